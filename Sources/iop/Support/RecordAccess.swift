import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord
import Planner
import RosterSolver
import RosterValidator
import ScenarioFile
import UseCases

/// The week as the record at `path` knows it (``RecordWeek/load(_:from:)``).
func weekInRecord(_ scenario: Scenario, _ store: RecordStore, _ path: String) throws -> RecordWeek {
    try useCase(path) { () throws(UseCaseError) in try RecordWeek.load(scenario, from: store) }
}

/// Runs a use case on the record at `path`; a refusal is printed and ends the command: 75
/// busy, 4 outdated, 65 for input or a roster that does not fit, 3 for no roster in time,
/// 70 when the solver failed, 73 when the record cannot be used.
func useCase<T>(_ path: String, _ body: () throws(UseCaseError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        switch error {
        case .record(let failure): throw recordFailure(failure, path)
        case .planning(let failure): return try planned { throw failure }
        case .recordUnusable(let message):
            printError("cannot use the record \(path): \(message)")
            throw ExitCodes.unwritableOutput
        case .noPublishedRoster:
            printError("\(path) has no published roster; run iop publish first")
            throw ExitCodes.invalidInput
        case .violations, .badRows, .rejected:
            printError(error.description)
            throw ExitCodes.invalidInput
        case .noRoster:
            printError(error.description)
            throw ExitCodes.noSolution
        case .invalid(let issues):
            printError(error.description)
            throw issues.unreadable ? ExitCodes.unreadableInput : ExitCodes.invalidInput
        case .unknownPayer:
            printError("\(path): \(error.description); add --new to add it")
            throw ExitCodes.invalidInput
        case .storedEventsNoLongerFit, .noWeekScenario:
            printError("\(path): \(error.description)")
            throw ExitCodes.invalidInput
        }
    }
}

/// ``weekInRecord(_:_:_:)``'s scenario.
func scenarioInRecord(_ scenario: Scenario, _ store: RecordStore, _ path: String) throws -> Scenario {
    try weekInRecord(scenario, store, path).scenario
}

/// The record's published roster, or exit with what to do.
func requirePublished(_ store: RecordStore, _ record: String) throws -> (version: Int64, roster: Roster) {
    let published: (version: Int64, roster: Roster)?
    do { published = try store.publishedRoster() } catch { throw recordFailure(error, record) }
    guard let published else {
        printError("\(record) has no published roster; run iop publish first")
        throw ExitCodes.invalidInput
    }
    return published
}

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
        switch error {
        case .missing, .exists, .busy, .unreachable, .cannotCreate: printError(error.description)
        default: printError("\(path): \(error.description)")
        }
        switch error {
        case .busy: return ExitCodes.busy
        case .outdated, .superseded: return ExitCodes.outdated
        case .unknownItem, .unknownAuthorization, .unknownVersion, .unknownEvent, .exists: return ExitCodes.invalidInput
        case .cannotCreate, .missing, .unreachable, .database: return ExitCodes.unwritableOutput
        }
    default:
        printError("cannot use the record \(path): \(error)")
        return ExitCodes.unwritableOutput
    }
}

/// Runs `body` holding the record's planning lock, so that no server and no other command
/// solves the program meanwhile; exits 75 when one does (nothing was solved or written).
func whilePlanning<T>(_ store: RecordStore, _ path: String, _ body: () throws -> T) throws -> T {
    let result: T?
    do {
        result = try store.whilePlanning(body)
    } catch let error as RecordError {
        throw recordFailure(error, path)
    }
    guard let result else {
        printError("\(path): another server or command is planning this program; nothing was changed, try again")
        throw ExitCodes.busy
    }
    return result
}

/// Publishes a roster in the record as the next version (``Publishing/publish``), entered
/// by the OS user: checked against the week with every event applied (`scenario`, or the
/// week as the record knows it).
func publishRoster(
    _ roster: Roster, in store: RecordStore, _ path: String, replacing based: Int64?, origin: RosterOrigin? = nil,
    events: [(event: Event, source: String)] = [], scenario: Scenario
) throws -> Int64 {
    try useCase(path) { () throws(UseCaseError) in
        try Publishing.publish(
            roster, in: store, against: scenario, label: "the roster", replacing: based, origin: origin,
            events: events, by: NSUserName())
    }
}

/// Exits 65 with every violation, nothing stored, unless the roster is for the record's
/// program and week and passes the independent validator against `scenario` (the week as
/// the record knows it).
func requireFitsRecord(_ roster: Roster, _ scenario: Scenario, _ store: RecordStore, label: String) throws {
    try useCase(store.location) { () throws(UseCaseError) in
        let violations = try Publishing.violations(of: roster, in: store, against: scenario)
        guard violations.isEmpty else { throw .violations(label: label, violations) }
    }
}

/// Keeps one event given as a command's options in the record, read against the week as
/// the record knows it (each problem named by its option), for the next re-plan to roster.
func keepEvent(
    _ kind: String, _ body: [(String, [String])], lists: Set<String> = [], record: String, scenario: String,
    at now: DateTime,
    store opened: RecordStore? = nil, week known: Scenario? = nil
) throws {
    let store = try opened ?? openRecord(record)
    let week = try known ?? scenarioInRecord(try loadScenario(scenario), store, record)
    let parsed: [(event: Event, source: String)]
    do {
        parsed = try EventsLoader.single(kind, body, lists: lists, at: now, label: "iop \(kind)", for: week)
    } catch {
        // Each problem named by its option.
        let lines = error.issues.map { issue in
            (issue.path.split(separator: ".").dropFirst(2).first.map { "--\($0): " } ?? "") + issue.message
        }
        printError(
            "\(lines.count) problem\(lines.count == 1 ? "" : "s"); nothing was kept:\n"
                + lines.map { "  \($0)" }.joined(separator: "\n"))
        throw ExitCodes.invalidInput
    }
    do {
        try store.keep(
            parsed.map { NewEvent(at: $0.event.at, summary: $0.event.summary, source: $0.source) },
            enteredBy: NSUserName(), scenario: week.applying(parsed.map(\.event)))
    } catch {
        throw recordFailure(error, record)
    }
    for entry in parsed { print("\(record): \(entry.event.summary), from \(now)") }
    print("Re-plan to roster it: iop replan \(scenario) --record \(record) --now \(now) --publish")
}

/// How a version came to be, in the coordinator's words.
func origin(_ version: RosterVersion) -> String {
    let based = version.basedOn.map { "v\($0)" } ?? "?"
    let events = version.events == 0 ? "" : " after \(version.events) event\(version.events == 1 ? "" : "s")"
    return switch version.origin {
    case .stored: (version.startedWeek ? "planned when the week was started" : "stored from a file") + events
    case .replanned: "re-planned from \(based)" + events
    case .madeUp: "make-up sessions added to \(based)"
    case .reverted: "a copy of \(based) (reverted)"
    case .publishedDraft: "draft \(based) published"
    }
}

/// A version the record has, or exit 65 (no such version) or 73 (a record that cannot be read).
func requireVersion(_ store: RecordStore, _ number: Int64, _ record: String) throws -> RosterVersion {
    let version: RosterVersion?
    do { version = try store.rosterVersion(number) } catch { throw recordFailure(error, record) }
    guard let version else { throw recordFailure(RecordError.unknownVersion(number), record) }
    return version
}
