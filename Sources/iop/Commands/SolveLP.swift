import ArgumentParser
import Foundation
import GLPKSolver
import IOPDomain
import MIP

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct SolveLP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve-lp",
        abstract: "Solve a CPLEX LP file and print status, objective, bound, gap and non-zero variables.",
        discussion:
            "Exit code 0 when a solution was found, 3 when none was (infeasible, unbounded or out of time), 65 for a file GLPK cannot parse or a model it cannot take, 66 for a file that cannot be read."
    )

    @Argument(help: "The CPLEX LP file.")
    var file: String

    @Option(help: "Wall-clock limit in seconds.")
    var timeLimit: Double = 60

    @Option(help: "Stop at this relative MIP gap (0.01 = 1%).")
    var gap: Double = 0

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard timeLimit.isFinite, timeLimit >= 0 else {
            throw ValidationError("--time-limit must be a number of seconds, 0 or more")
        }
        guard gap.isFinite, gap >= 0 else { throw ValidationError("--gap must be a number, 0 or more") }
    }

    func run() throws {
        let model: Model
        do {
            model = try GLPKSolver.readLP(path: file)
        } catch {
            printError(error.description)
            switch error {
            case .fileUnreadable(_, let reason) where reason == "no such file" || reason == "permission denied":
                throw ExitCodes.unreadableInput
            default:
                throw ExitCodes.invalidInput
            }
        }
        let solution: Solution
        do {
            solution = try GLPKSolver.solve(model, options: SolveOptions(timeLimit: timeLimit, relativeGap: gap))
        } catch .invalidModel(let issues) where !issues.isEmpty && issues.allSatisfy(\.provesInfeasible) {
            // Bounds that cross: no point satisfies the model, which is an answer.
            printError("\(file): " + issues.map(\.description).capped().joined(separator: "; "))
            solution = Solution(
                termination: .infeasible, status: .none, objective: nil, bound: nil, values: [],
                statistics: SolveStatistics())
        } catch {
            printError("\(file): \(error.description)")
            throw ExitCodes.invalidInput
        }
        let report = LPReport(model: model, solution: solution)
        print(format == .json ? report.json() : report.text())
        if case .error = solution.termination { throw ExitCodes.solverFailure }
        if solution.status == .none { throw ExitCodes.noSolution }
    }
}

/// What `iop solve-lp` prints.
struct LPReport: Encodable {
    let termination: String
    let status: String
    let objective: Double?
    let bound: Double?
    let gap: Double?
    let seconds: Double
    let nodes: Int
    let values: [Value]

    struct Value: Encodable {
        let name: String
        let value: Double
    }

    init(model: Model, solution: Solution) {
        termination = solution.termination.description
        status = solution.status.rawValue
        objective = solution.objective
        bound = solution.bound
        gap = solution.relativeGap
        seconds = solution.statistics.seconds
        nodes = solution.statistics.nodes
        values = model.allVariables.compactMap { variable in
            guard let value = solution.value(variable), abs(value) > 1e-9,
                let definition = model.definition(of: variable)
            else { return nil }
            return Value(name: definition.name, value: value)
        }
    }

    func text() -> String {
        var lines = [
            "stopped    \(termination)",
            "found      \(status)",
            "objective  \(objective.map(Self.number) ?? "-")",
            "bound      \(bound.map(Self.number) ?? "-")",
            "gap        \(gap.map { String(format: "%.2f%%", $0 * 100) } ?? "-")",
            "time       \(String(format: "%.3f", seconds)) s, \(nodes) node\(nodes == 1 ? "" : "s")",
        ]
        if !values.isEmpty {
            let width = values.map(\.name.count).max() ?? 0
            lines.append("non-zero variables (\(values.count)):")
            lines += values.map {
                "  " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + Self.number($0.value)
            }
        }
        return lines.joined(separator: "\n")
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.6g", value)
    }
}
