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
        let calendar = ICalendar(scenario: loaded, roster: current, previous: previous, sequence: sequence)
        let subject = try self.subject(of: calendar)
        if loaded.program.timeZone == nil {
            printError("\(scenario): program.timezone is not set; the times are given as UTC")
        }
        let feed = calendar.feed(for: subject)
        try emit(String(feed.dropLast(2)), to: out, terminator: "\r\n")
    }

    /// The feed's subject, once the week knows it (65 with the choices otherwise).
    private func subject(of calendar: ICalendar) throws -> ICalendar.Subject {
        let scenario = calendar.scenario
        let (subject, kind, id, known): (ICalendar.Subject, String, String, [String]) =
            if let facilitator {
                (
                    .facilitator(FacilitatorID(facilitator)), "facilitator", facilitator,
                    scenario.facilitators.map(\.id.rawValue)
                )
            } else if let room {
                (.room(RoomID(room)), "room", room, scenario.program.rooms.map(\.id.rawValue))
            } else {
                (.client(ClientID(client ?? "")), "client", client ?? "", scenario.clients.map(\.id.rawValue))
            }
        guard calendar.knows(subject) else {
            printError(
                "unknown \(kind) '\(id)'; expected one of: \(known.sorted().capped(at: 12).joined(separator: ", "))")
            throw ExitCodes.invalidInput
        }
        return subject
    }
}
