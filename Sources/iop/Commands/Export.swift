import ArgumentParser
import Exports
import Foundation
import IOPDomain
import OperationsRecord

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a roster to the tools people already use.",
        subcommands: [ExportICal.self])
}

struct ExportICal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ical",
        abstract: "One facilitator's, room's or client's sessions as an iCalendar file (RFC 5545).",
        discussion:
            "Each session keeps its event's UID from one roster to the next, so importing the file again after a re-plan updates the events; a session the previous roster gave the same person and this one does not is sent as cancelled (--since, or with --record the version before the published one). Times are given in UTC from the program's timezone (program.timezone; UTC when it is not set). A client's file holds the group, the time and the room only."
    )

    @Argument(help: "The scenario the roster was planned from.")
    var scenario: String

    @Option(help: "The roster (JSON from iop plan or iop replan).")
    var roster: String?

    @Option(help: "Take the published roster from this record instead of --roster.")
    var record: String?

    @Option(help: "The roster people were given before, whose sessions no longer theirs are cancelled.")
    var since: String?

    @Option(help: "A facilitator's sessions.")
    var facilitator: String?

    @Option(help: "A room's sessions.")
    var room: String?

    @Option(help: "A client's sessions.")
    var client: String?

    @Option(help: "Write the file here (owner-readable only) instead of standard output.")
    var out: String?

    func validate() throws {
        guard (roster == nil) != (record == nil) else {
            throw ValidationError("give exactly one of --roster and --record")
        }
        guard [facilitator, room, client].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --facilitator, --room and --client")
        }
    }

    func run() throws {
        var loaded = try loadScenario(scenario)
        let current: Roster
        var previous: Roster?
        var sequence = 0
        if let record {
            let store = try openRecord(record)
            loaded = try scenarioInRecord(loaded, store, record)
            let published = try requirePublished(store, record)
            current = published.roster
            sequence = Int(published.version)
            do { previous = try store.publishedRoster(back: 1)?.roster } catch { throw recordFailure(error, record) }
        } else {
            current = try readRoster(roster ?? "")
        }
        if let since { previous = try readRoster(since) }
        let subject = try self.subject(in: loaded, current)
        if loaded.program.timeZone == nil {
            printError("\(scenario): program.timezone is not set; the times are given as UTC")
        }
        let feed = ICalendar(scenario: loaded, roster: current, previous: previous, sequence: sequence).feed(
            for: subject)
        try emit(String(feed.dropLast(2)), to: out, terminator: "\r\n")
    }

    /// The feed's subject, once the week knows it.
    private func subject(in scenario: Scenario, _ roster: Roster) throws -> ICalendar.Subject {
        func unknown(_ kind: String, _ id: String, _ known: [String]) -> ExitCode {
            printError("unknown \(kind) '\(id)'; expected one of: \(known.capped(at: 12).joined(separator: ", "))")
            return ExitCodes.invalidInput
        }
        if let facilitator {
            let known = scenario.facilitators.map(\.id.rawValue)
            guard known.contains(facilitator) else { throw unknown("facilitator", facilitator, known) }
            return .facilitator(FacilitatorID(facilitator))
        }
        if let room {
            let known = scenario.program.rooms.map(\.id.rawValue)
            guard known.contains(room) else { throw unknown("room", room, known) }
            return .room(RoomID(room))
        }
        let id = client ?? ""
        let known = Set(scenario.clients.map(\.id.rawValue) + roster.sessions.flatMap { $0.members.map(\.rawValue) })
        guard known.contains(id) else { throw unknown("client", id, known.sorted()) }
        return .client(ClientID(id))
    }
}
