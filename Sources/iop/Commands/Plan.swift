import ArgumentParser
import Foundation
import GLPKSolver
import IOPDomain
import MIP
import Planner
import RosterSolver
import ScenarioFile

enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a scenario's week: the roster, each client's totals and every shortfall explained.",
        discussion:
            "Every roster written has passed the independent validator. Exit code 0 with a roster, 3 when no roster was found within the time limit (nothing is written), 65 for an invalid scenario, 66 for an unreadable one, 70 when the solver fails or the validator rejects its roster (nothing is written), 73 when --out or --stage-models cannot be written."
    )

    @Argument(
        help: "The scenario file (YAML or JSON), or a folder of them to plan together (one program or site each).")
    var scenario: String

    @Option(help: "Output format: text, json or csv.")
    var format: PlanFormat = .text

    @Option(
        help:
            "Write the output to this file (owner-readable only) instead of standard output; for a folder, a folder to write one file per scenario into."
    )
    var out: String?

    @OptionGroup var limits: SolveLimits

    func run() throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: scenario, isDirectory: &isFolder), isFolder.boolValue {
            try planFolder()
            return
        }
        let loaded = try loadScenario(scenario)
        let options = try limits.options()
        Interrupt.install()
        let plan = try planned { try Planner.plan(loaded, options: options) }
        try requireRoster(plan)
        let output: String =
            switch format {
            case .text: PlanText(scenario: loaded, plan: plan).render()
            case .json: try PlanJSON.render(plan)
            case .csv: RosterCSV(roster: plan.roster).render()
            }
        try emit(output, to: out)
    }
}

extension PlanCommand {
    /// Plans every scenario file in the folder together, prints one line each, and with
    /// --out writes each plan beside the others. A bad file is reported and skipped.
    private func planFolder() throws {
        guard limits.stageModels == nil else {
            printError("--stage-models takes one scenario file, not a folder: \(scenario)")
            throw ExitCodes.invalidInput
        }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: scenario)) ?? [])
            .filter { [".yaml", ".yml", ".json"].contains(where: $0.hasSuffix) }.sorted()
        var loaded: [(name: String, scenario: Scenario)] = []
        var failed = false
        for file in files {
            let path = (scenario as NSString).appendingPathComponent(file)
            do {
                loaded.append((file, try ScenarioLoader.load(path: path)))
            } catch {
                printError(
                    "\(error.issues.count) problem\(error.issues.count == 1 ? "" : "s") in \(path):\n"
                        + error.description)
                failed = true
            }
        }
        if let out { try createOwnerOnlyFolder(out) }
        Interrupt.install()
        let stopOnly: @Sendable (Int) -> SolveMonitor = { _ in
            SolveMonitor(interval: .infinity, shouldStop: { Interrupt.requested.load(ordering: .relaxed) })
        }
        let results = Planner.planAll(loaded.map(\.scenario), options: try limits.options(monitor: stopOnly))
        print("file | program | clients | status | gap | seconds | shortfalls")
        for ((name, week), result) in zip(loaded, results) {
            switch result {
            case .success(let plan) where plan.solver.status == .none:
                print(
                    "\(name) | \(week.program.name) | \(week.clients.count) | none | - | "
                        + String(format: "%.2f", plan.solver.seconds) + " | -")
                printError("\(name): no roster found within the time limit; nothing written")
                failed = true
            case .success(let plan):
                let gapText = plan.solver.gap.map { String(format: "%.2f%%", $0 * 100) } ?? "-"
                print(
                    "\(name) | \(week.program.name) | \(week.clients.count) | \(plan.solver.status) | \(gapText) | "
                        + String(format: "%.2f", plan.solver.seconds) + " | \(plan.shortfalls.count)")
                if let out {
                    let base = (out as NSString).appendingPathComponent((name as NSString).deletingPathExtension)
                    let output: String =
                        switch format {
                        case .text: PlanText(scenario: week, plan: plan).render()
                        case .json: try PlanJSON.render(plan)
                        case .csv: RosterCSV(roster: plan.roster).render()
                        }
                    try emit(output, to: base + "." + (format == .text ? "txt" : format.rawValue))
                }
            case .failure(let error):
                print("\(name) | \(week.program.name) | \(week.clients.count) | failed | - | - | -")
                printError("\(name): \(error.description)")
                failed = true
            }
        }
        if failed { throw ExitCodes.invalidInput }
    }
}
