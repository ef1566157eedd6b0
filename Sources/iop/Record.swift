import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord
import Planner
import RosterSolver
import RosterValidator

/// The record's published roster, or exit with what to do.
func requirePublished(_ store: RecordStore, _ record: String) throws -> (version: Int64, roster: Roster) {
    guard let published = try store.publishedRoster() else {
        printError("\(record) has no published roster; run iop publish first")
        throw ExitCodes.invalidInput
    }
    return published
}

/// The most days any option counting days may give (a year): review cadences, appeal
/// windows, how far ahead to look.
let maximumDays = 366

/// Opens a program's record (creating it only for `iop init`) or exits with a clear message.
func openRecord(_ path: String, create: Bool = false) throws -> RecordStore {
    do {
        return try RecordStore(path: path, create: create)
    } catch RecordError.missing(let path) {
        printError("no record at \(path); create one with iop init \(path)")
        throw ExitCodes.unreadableInput
    } catch {
        throw recordFailure(error, path)
    }
}

/// Prints a record write that did not go through and gives the exit code: 75 when another
/// writer kept the record busy (try again), 4 for a re-plan of a superseded version, 65 for
/// an authorization or checklist item the record does not have, 73 otherwise.
func recordFailure(_ error: any Error, _ path: String) -> ExitCode {
    switch error {
    case let error as RecordError:
        printError("\(path): \(error.description)")
        switch error {
        case .busy: return ExitCodes.busy
        case .outdated, .superseded: return ExitCodes.outdated
        case .unknownItem, .unknownAuthorization, .unknownVersion, .unknownEvent: return ExitCodes.invalidInput
        case .cannotCreate, .missing: return ExitCodes.unwritableOutput
        }
    default:
        printError("cannot use the record \(path): \(error)")
        return ExitCodes.unwritableOutput
    }
}

/// Publishes a checked roster in the record as the next version; with `based`, only while
/// that version is still the latest published one. The events it was re-planned after are
/// kept with it, entered by the OS user, and the census follows `scenario` (the week with
/// every event applied).
func publishRoster(
    _ roster: Roster, in store: RecordStore, _ path: String, replacing based: Int64?, origin: RosterOrigin? = nil,
    events: [(event: Event, source: String)] = [], scenario: Scenario? = nil
) throws -> Int64 {
    do {
        guard let scenario, !events.isEmpty else {
            return try store.saveRoster(roster, published: true, replacing: based, origin: origin, by: NSUserName())
        }
        return try store.publish(
            roster, replacing: based,
            events: events.map { NewEvent(at: $0.event.at, summary: $0.event.summary, source: $0.source) },
            enteredBy: NSUserName(), scenario: scenario)
    } catch {
        throw recordFailure(error, path)
    }
}

/// Exits 65 with every violation, nothing stored, unless the roster is for the record's
/// program and week and passes the independent validator against `scenario` (the week as
/// the record knows it).
func requireFitsRecord(_ roster: Roster, _ scenario: Scenario, _ store: RecordStore, label: String) throws {
    var violations = RosterValidator.check(roster, against: scenario)
    if let program = try store.program(), program.name != roster.program || program.weekOf != roster.weekOf {
        violations.insert(
            "the record is for \(program.name), week of \(program.weekOf); the roster for \(roster.program), "
                + "week of \(roster.weekOf)", at: 0)
    }
    guard violations.isEmpty else {
        printError(
            "\(label): \(violations.count) violation\(violations.count == 1 ? "" : "s"); nothing was stored:\n"
                + violations.capped().map { "  - \($0)" }.joined(separator: "\n"))
        throw ExitCodes.invalidInput
    }
}

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a program's record (an SQLite file readable by its owner only).")

    @Argument(help: "The record file to create.")
    var record: String

    func run() throws {
        guard !FileManager.default.fileExists(atPath: record) else {
            printError("\(record) already exists; nothing was changed")
            throw ExitCodes.invalidInput
        }
        let store = try openRecord(record, create: true)
        print("\(record): created, schema \(try store.appliedMigrations().joined(separator: ", "))")
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load a scenario's program and census (IDs, tracks, weekly hours) into the record.")

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The scenario file.")
    var scenario: String

    func run() throws {
        let loaded = try loadScenario(scenario)
        let store = try openRecord(record)
        try store.importScenario(loaded)
        try store.importAuthorizations(loaded)
        try store.importDischarges(loaded)
        let authorizations = loaded.clients.filter { $0.authorization != nil }.count
        print(
            "\(record): \(loaded.program.name), \(loaded.clients.count) clients, "
                + "\(authorizations) authorization\(authorizations == 1 ? "" : "s")")
    }
}

struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "Store a roster (from plan or replan) in the record as a new version.",
        discussion:
            "The roster must be for the record's program and week and pass the independent validator against --scenario (with --events applied, as for iop check); otherwise every violation is printed, nothing is stored, and the exit code is 65."
    )

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The roster JSON.")
    var roster: String

    @Option(help: "The scenario the roster was planned from.")
    var scenario: String

    @Option(help: "Events the roster was re-planned with, applied to the scenario first; repeatable.")
    var events: [String] = []

    @Flag(help: "Store it as a draft instead of the published roster.")
    var draft = false

    func run() throws {
        let store = try openRecord(record)
        var loaded = try scenarioInRecord(try loadScenario(scenario), store, record)
        var kept: [(event: Event, source: String)] = []
        for path in events {
            let new = try loadEventsWithSources(path, for: loaded)
            kept += new
            loaded = loaded.applying(new.map(\.event))
        }
        let decoded = try readRoster(roster)
        try requireFitsRecord(decoded, loaded, store, label: roster)
        let version: Int64
        if draft {
            do { version = try store.saveRoster(decoded, published: false, by: NSUserName()) } catch {
                throw recordFailure(error, record)
            }
        } else {
            version = try publishRoster(decoded, in: store, record, replacing: nil, events: kept, scenario: loaded)
        }
        print(
            "\(record): roster version \(version) \(draft ? "saved as a draft" : "published")\(kept.isEmpty || draft ? "" : " with \(kept.count) event\(kept.count == 1 ? "" : "s") kept")"
        )
    }
}
