import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord
import Planner
import RosterSolver
import ScenarioFile
import UseCases

struct WeekCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "week", abstract: "Start the program's next week from the record.",
        subcommands: [WeekStartCommand.self])
}

struct WeekStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Build a later week from this one as the record knows it, plan it, and store the plan as a draft.",
        discussion: """
            The new week is this week's scenario with every event in effect applied, on the new dates: the census still \
            enrolled (clients discharged or no longer authorized leave it), absences and closures that reach into the new \
            week, availability changes and whole-group bars, and each client's process facilitator from the published roster \
            for continuity. It is written to --out (owner-readable only) for the week's later commands, kept in the record, \
            and planned; the plan, checked by the independent validator, is stored as a draft (iop roster publish DB N \
            publishes it). From then on the record's commands work on the new week; earlier weeks' rosters and events stay.
            """)

    @Argument(help: "The record file.")
    var record: String

    @Option(help: "This week's scenario, as the record's rosters are planned from.")
    var scenario: String

    @Option(help: "The new week's Monday, YYYY-MM-DD, after this week's.")
    var week: LocalDate

    @Option(help: "Where to write the new week's scenario (YAML).")
    var out: String

    @OptionGroup var limits: SolveLimits

    func run() throws {
        let store = try openRecord(record)
        // The record's planning lock is held from the week read to the draft stored.
        try whilePlanning(store, record) { try start(store) }
    }

    private func start(_ store: RecordStore) throws {
        let base = try loadScenario(scenario)
        guard let program = try recordProgram(store), program.weekOf == base.program.weekOf else {
            printError(
                "\(record): the record's week is not \(base.program.weekOf), the week of \(scenario); nothing was started"
            )
            throw ExitCodes.invalidInput
        }
        guard week.weekday == .mon, week > base.program.weekOf else {
            printError("--week: expected a Monday after \(base.program.weekOf); found \(week)")
            throw ExitCodes.invalidInput
        }
        let current = try weekInRecord(base, store, record)
        let events: [Event]
        let published: Roster?
        do {
            events = try EventsLoader.replayed(store.events().inEffect.map(\.source), on: base).events.flatMap { $0 }
            published = try store.publishedRoster()?.roster
        } catch { throw recordFailure(error, record) }
        let next = NextWeek(from: current.scenario, events: events, published: published, monday: week)
        let text: String
        let reread: Scenario
        do {
            text = try ScenarioWriter.yaml(next.scenario)
            reread = try ScenarioLoader.parse(text, file: out)
        } catch {
            printError("the week of \(week) could not be written as a scenario that reads back: \(error)")
            throw ExitCodes.solverFailure
        }
        let options = try limits.options()
        Interrupt.install()
        let plan = try planned { try Planner.plan(reread, options: options) }
        try requireRoster(plan)
        try emit(text, to: out)
        let version: Int64
        do {
            version = try store.startWeek(
                reread, text: try ScenarioWriter.recordCopy(reread), draft: plan.roster, by: NSUserName())
        } catch { throw recordFailure(error, record) }
        print(
            "\(record): week of \(week) started from the week of \(base.program.weekOf): \(reread.clients.count) clients"
                + (next.ended.isEmpty
                    ? "" : "; no longer enrolled: \(next.ended.map(\.rawValue).joined(separator: ", "))"))
        print(
            "Scenario written to \(out); its plan (\(plan.solver.status), \(plan.shortfalls.count) shortfall\(plan.shortfalls.count == 1 ? "" : "s")) "
                + "stored as draft version \(version)")
        for shortfall in plan.shortfalls { print("  - \(shortfall.message)") }
        print("Publish it: iop roster publish \(record) \(version) --scenario \(out)")
    }

    private func recordProgram(_ store: RecordStore) throws -> (name: String, weekOf: LocalDate)? {
        do { return try store.program() } catch { throw recordFailure(error, record) }
    }
}
