import ArgumentParser
import Foundation
import GLPKSolver
import IOPDomain
import RosterSolver
import RosterValidator
import ScenarioFile

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario file and report every mistake at once.",
        discussion:
            "Exit code 0 when valid, 65 when not (each problem with file, line, key path and what was expected), 66 when unreadable."
    )

    @Argument(help: "The scenario file (YAML or JSON).")
    var scenario: String

    func run() throws {
        let loaded = try loadScenario(scenario)
        print(
            "\(scenario): valid (\(loaded.clients.count) clients, \(loaded.facilitators.count) facilitators, "
                + "\(loaded.groups.count) groups, \(loaded.offerings.count) offerings)")
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a roster (JSON from iop plan) against its scenario with the independent validator.",
        discussion: "Exit code 0 when every hard rule holds and the totals match, 1 when not."
    )

    @Argument(help: "The scenario file.")
    var scenario: String

    @Argument(help: "The roster JSON written by iop plan --format json.")
    var roster: String

    @Option(help: "Events the roster was re-planned with (iop replan), applied to the scenario first; repeatable.")
    var events: [String] = []

    @Option(
        help: "Check against the week as this record knows it (its events, decisions and payer rules applied first).")
    var record: String?

    func run() throws {
        var loaded = try loadScenario(scenario)
        if let record { loaded = try scenarioInRecord(loaded, openRecord(record), record) }
        for path in events { loaded = loaded.applying(try loadEvents(path, for: loaded)) }
        let decoded = try readRoster(roster)
        let violations = RosterValidator.check(decoded, against: loaded)
        if violations.isEmpty {
            print("\(roster): valid: \(decoded.sessions.count) sessions, every hard rule holds and every total matches")
        } else {
            print("\(roster): \(violations.count) violation\(violations.count == 1 ? "" : "s")")
            for violation in violations.capped(at: 200) { print("  - \(violation)") }
            throw ExitCode.failure
        }
    }
}

struct ExportLP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-lp",
        abstract: "Write a scenario's roster model as a CPLEX LP file, with readable names, for other solvers.",
        discussion:
            "The model has every hard rule and soft row; its objective is one tier's penalty (tier 1 by default), the first stage of iop plan."
    )

    @Argument(help: "The scenario file.")
    var scenario: String

    @Option(help: "Which tier's penalty is the objective (1-4).")
    var tier: Int = 1

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    func validate() throws {
        guard (1...4).contains(tier) else { throw ValidationError("--tier must be 1, 2, 3 or 4") }
    }

    func run() throws {
        let loaded = try loadScenario(scenario)
        do {
            try emit(GLPKSolver.lpText(of: RosterSolver.exportModel(loaded, tier: tier)), to: out)
        } catch let error as SolverError {
            printError(error.description)
            throw ExitCodes.solverFailure
        }
    }
}
