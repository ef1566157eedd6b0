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

    /// Keeps the event (a `pin` or `bar`) in the record, read against the week as the record
    /// knows it, for the next re-plan to roster.
    func keep(_ kind: String) throws {
        let store = try openRecord(record)
        let week = try scenarioInRecord(try loadScenario(scenario), store, record)
        var body: [(String, String)] = [("client", client), ("group", group)]
        if let day { body.append(("day", day)) }
        if let block { body.append(("block", block)) }
        let parsed: [(event: Event, source: String)]
        do {
            parsed = try EventsLoader.single(kind, body, at: now, label: "iop \(kind)", for: week)
        } catch {
            // Each problem named by its option.
            let lines = error.issues.map { issue in (issue.path.split(separator: ".").dropFirst(2).first.map { "--\($0): " } ?? "") + issue.message }
            printError("\(lines.count) problem\(lines.count == 1 ? "" : "s"); nothing was kept:\n" + lines.map { "  \($0)" }.joined(separator: "\n"))
            throw ExitCodes.invalidInput
        }
        do {
            try store.keep(parsed.map { NewEvent(at: $0.event.at, summary: $0.event.summary, source: $0.source) },
                           enteredBy: NSUserName(), scenario: week.applying(parsed.map(\.event)))
        } catch {
            throw recordFailure(error, record)
        }
        for entry in parsed { print("\(record): \(entry.event.summary), from \(now)") }
        print("Re-plan to roster it: iop replan \(scenario) --record \(record) --now \(now) --publish")
    }
}

struct PinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin", abstract: "Keep a client in a time of a group: held by every plan before anything else, kept in the record.",
        discussion: "Kept as an event (iop events lists it, --withdraw undoes it); every command that reads the record applies it. A pin the week rules out is reported as a shortfall with its reason.")

    @OptionGroup var options: PlacementOptions

    func validate() throws {
        guard options.day != nil, options.block != nil else { throw ValidationError("a pin needs --day and --block") }
    }

    func run() throws { try options.keep("pin") }
}

struct BarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bar", abstract: "Keep a client out of a group, or of one of its times: a hard rule, kept in the record.",
        discussion: "Kept as an event (iop events lists it, --withdraw undoes it); every command that reads the record applies it and the validator checks it.")

    @OptionGroup var options: PlacementOptions

    func validate() throws {
        guard (options.day == nil) == (options.block == nil) else { throw ValidationError("give --day and --block together, or neither for the whole group") }
    }

    func run() throws { try options.keep("bar") }
}
