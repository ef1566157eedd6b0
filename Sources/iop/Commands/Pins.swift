import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord
import ScenarioFile

/// What `pin` and `bar` share: the record, the scenario, the client and the group's time.
struct PlacementOptions: ParsableArguments {
    @Argument(help: "The record file.")
    var record: String

    @Option(help: "The scenario the record's rosters are planned from.")
    var scenario: String

    @Option(help: "The client's ID.")
    var client: String

    @Option(help: "The group's ID.")
    var group: String

    @Option(help: "The day (mon ... sun), with --block.")
    var day: String?

    @Option(help: "The block's ID, with --day.")
    var block: String?

    @Option(name: .customLong("as-of"), help: "When it takes effect, YYYY-MM-DDTHH:MM.")
    var now: DateTime

    /// Keeps the event (a `pin` or `bar`) in the record, for the next re-plan to roster.
    func keep(_ kind: String) throws {
        var body: [(String, [String])] = [("client", [client]), ("group", [group])]
        if let day { body.append(("day", [day])) }
        if let block { body.append(("block", [block])) }
        try keepEvent(kind, body, record: record, scenario: scenario, at: now)
    }
}

struct LockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract: "Keep a session as published (its room, facilitators and members): a hard rule, kept in the record.",
        discussion:
            "The session is read from the latest published roster and kept as an event (iop events lists it, --withdraw undoes it); every re-plan holds it and the validator checks it. A lock the week no longer allows (a facilitator now absent) is reported by name and the week is planned without it."
    )

    @Argument(help: "The record file.")
    var record: String

    @Option(help: "The scenario the record's rosters are planned from.")
    var scenario: String

    @Option(help: "The session's ID in the published roster, e.g. wed-am1-process-A.")
    var session: String

    @Option(name: .customLong("as-of"), help: "When it takes effect, YYYY-MM-DDTHH:MM.")
    var now: DateTime

    func run() throws {
        let store = try openRecord(record)
        let published: Roster
        do {
            guard let latest = try store.publishedRoster()?.roster else {
                printError("\(record): no roster is published yet; publish one before locking its sessions")
                throw ExitCodes.invalidInput
            }
            published = latest
        } catch let exit as ExitCode { throw exit } catch { throw recordFailure(error, record) }
        guard let found = published.sessions.first(where: { $0.id == session }) else {
            printError("\(record): the published roster has no session \(session)")
            throw ExitCodes.invalidInput
        }
        let body: [(String, [String])] = [
            ("group", [found.group.rawValue]), ("day", [found.day.rawValue]), ("block", [found.block.rawValue]),
            ("section", [String(found.section)]), ("room", [found.room.rawValue]),
            ("facilitators", found.facilitators.map(\.rawValue)), ("members", found.members.map(\.rawValue)),
        ]
        try keepEvent(
            "lock", body, lists: ["facilitators", "members"], record: record, scenario: scenario, at: now, store: store)
    }
}

struct PinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Keep a client in a time of a group: held by every plan before anything else, kept in the record.",
        discussion:
            "Kept as an event (iop events lists it, --withdraw undoes it); every command that reads the record applies it. A pin the week rules out is reported as a shortfall with its reason."
    )

    @OptionGroup var options: PlacementOptions

    func validate() throws {
        guard options.day != nil, options.block != nil else { throw ValidationError("a pin needs --day and --block") }
    }

    func run() throws { try options.keep("pin") }
}

struct BarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bar",
        abstract: "Keep a client out of a group, or of one of its times: a hard rule, kept in the record.",
        discussion:
            "Kept as an event (iop events lists it, --withdraw undoes it); every command that reads the record applies it and the validator checks it."
    )

    @OptionGroup var options: PlacementOptions

    func validate() throws {
        guard (options.day == nil) == (options.block == nil) else {
            throw ValidationError("give --day and --block together, or neither for the whole group")
        }
    }

    func run() throws { try options.keep("bar") }
}
