import ArgumentParser
import Foundation
import GLPKSolver
import IOPDomain
import RosterSolver
import ScenarioFile

enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a scenario's week: the roster, each client's totals and every shortfall explained.",
        discussion: "Exit code 0 with a roster, 65 for an invalid scenario, 66 for an unreadable one, 73 when --out cannot be written."
    )

    @Argument(help: "The scenario file (YAML or JSON).")
    var scenario: String

    @Option(help: "Output format: text, json or csv.")
    var format: PlanFormat = .text

    @Option(help: "Write the output to this file (owner-readable only) instead of standard output.")
    var out: String?

    @Option(help: "Wall-clock limit in seconds for the whole solve.")
    var timeLimit: Double = 60

    @Option(help: "Stop each tier at this relative gap (0.01 = 1%).")
    var gap: Double = 0

    @Option(help: "Write each stage's model as DIR/tierN.lp (tiers above held), for other solvers.")
    var stageModels: String?

    func validate() throws {
        guard timeLimit.isFinite, timeLimit > 0 else { throw ValidationError("--time-limit must be a number of seconds above 0") }
        guard gap.isFinite, gap >= 0 else { throw ValidationError("--gap must be a number, 0 or more") }
    }

    func run() throws {
        let loaded = try loadScenario(scenario)
        let plan: Plan
        do {
            Interrupt.install()
            plan = try RosterSolver.plan(loaded, options: PlanOptions(timeLimit: timeLimit, relativeGap: gap, stageModels: stageModels,
                                                                      monitor: Interrupt.monitor(tier:)))
        } catch {
            printError(error.description)
            throw ExitCodes.solverFailure
        }
        let output: String = switch format {
        case .text: PlanText(scenario: loaded, plan: plan).render()
        case .json: try PlanJSON.render(plan)
        case .csv: PlanCSV(scenario: loaded, plan: plan).render()
        }
        try emit(output, to: out)
    }
}

/// Loads a scenario or exits with every issue on stderr.
func loadScenario(_ path: String) throws -> Scenario {
    do {
        return try ScenarioLoader.load(path: path)
    } catch {
        printError("\(error.issues.count) problem\(error.issues.count == 1 ? "" : "s") in \(path):\n" + error.description)
        throw error.unreadable ? ExitCodes.unreadableInput : ExitCodes.invalidInput
    }
}

/// Writes to a file readable by its owner only (client data), atomically, or to stdout.
func emit(_ text: String, to path: String?) throws {
    guard let path else {
        print(text)
        return
    }
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    do {
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data((text + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        // rename(2) replaces the target atomically: readers see the old file or the new one.
        guard rename(temporary.path, url.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        printError("cannot write \(path): \(error.localizedDescription)")
        throw ExitCodes.unwritableOutput
    }
}
