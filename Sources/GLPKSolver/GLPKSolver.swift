import CGLPK
import Foundation
import Logging
import MIP

/// Solves ``Model``s with GLPK and moves them in and out of CPLEX LP files.
///
/// Every call validates first, then creates, uses and deletes one GLPK problem inside
/// that one synchronous call on the calling thread, because GLPK keeps its state per
/// thread and aborts the process on any misuse. Calls from many threads at once are safe.
public enum GLPKSolver {
    /// Solves `model`, returning the best solution found within the options' limits.
    /// Throws ``SolverError/invalidModel(_:)`` or ``SolverError/invalidOptions(_:)`` before
    /// GLPK is touched.
    public static func solve(
        _ model: Model, options: SolveOptions = SolveOptions(),
        monitor: SolveMonitor? = nil
    ) throws(SolverError) -> Solution {
        let optionProblems = options.validate(for: model)
        guard optionProblems.isEmpty else { throw .invalidOptions(optionProblems) }
        try requireValid(model)
        if options.reduce { return try solveReduced(model, options: options, monitor: monitor) }
        return withProblem { problem, output in
            ProblemLoader.load(model, into: problem, names: false)
            return Search(model: model, options: options, monitor: monitor, problem: problem, output: output).run()
        }
    }

    /// Solves the model ``Presolve`` reduces `model` to, with the start and branching order
    /// carried over, and maps the solution back; the presolve's time counts in the limit,
    /// and its probing gets at most half of it.
    private static func solveReduced(_ model: Model, options: SolveOptions, monitor: SolveMonitor?) throws(SolverError)
        -> Solution
    {
        let clock = ContinuousClock()
        let start = clock.now
        let reduction = Presolve.reduce(
            model, until: options.timeLimit.map { start.advanced(by: .milliseconds(Int64(min($0, 1e9) * 500))) })
        let seconds = Double((clock.now - start) / .milliseconds(1)) / 1000
        guard let reduction else {
            return Solution(
                termination: .infeasible, status: .none, objective: nil, bound: nil, values: [],
                statistics: SolveStatistics(seconds: seconds))
        }
        var inner = options
        inner.reduce = false
        inner.timeLimit = options.timeLimit.map { max(0, $0 - seconds) }
        inner.start = options.start.map(reduction.reducedValues)
        var seen: Set<Variable> = []
        inner.branchFirst = options.branchFirst.compactMap(reduction.column(for:)).filter { seen.insert($0).inserted }
        let solution: Solution
        if reduction.model.variables.isEmpty {
            // Everything is fixed: the one point left is the solution.
            solution = Solution(
                termination: .optimal, status: .optimal, objective: reduction.model.objectiveConstant,
                bound: reduction.model.objectiveConstant, values: [], statistics: SolveStatistics())
        } else {
            solution = try solve(reduction.model, options: inner, monitor: monitor)
        }
        let values =
            solution.values.isEmpty && solution.status == .none ? [] : reduction.originalValues(solution.values)
        var statistics = solution.statistics
        statistics.seconds += seconds
        return Solution(
            termination: solution.termination, status: solution.status,
            objective: values.isEmpty ? nil : model.objectiveValue(at: values),
            bound: solution.bound, values: values, statistics: statistics)
    }

    /// The model as CPLEX LP text, with names mangled by ``LPName``.
    public static func lpText(of model: Model) throws(SolverError) -> String {
        try requireValid(model)
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("iop-\(UUID().uuidString).lp").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writeLP(model, to: path)
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .fileUnwritable(path: path, reason: error.localizedDescription)
        }
    }

    /// Writes the model as a CPLEX LP file that any LP-reading solver can re-solve. The file
    /// is readable by its owner only (a roster's model names its clients) and appears whole
    /// or not at all: it is written beside the target and renamed into place.
    public static func writeLP(_ model: Model, to path: String) throws(SolverError) {
        try requireValid(model)
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(UUID().uuidString).tmp"
        ).path
        // Created owner-only from the start (not chmod-ed after), and new: never an existing file.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw .fileUnwritable(
                path: path,
                reason: FileManager.default.fileExists(atPath: folder)
                    ? "permission denied" : "no such folder \(folder)")
        }
        close(descriptor)
        var failure: String? = withProblem { problem, output in
            ProblemLoader.load(model, into: problem, names: true)
            guard glp_write_lp(problem, nil, temporary) == 0 else {
                return output.text.split(separator: "\n").filter { !$0.hasPrefix("Writing problem data") }.joined(
                    separator: "\n")
            }
            return nil
        }
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .fileUnwritable(path: path, reason: failure)
        }
    }

    /// Reads a CPLEX LP file into a model. GLPK's own parse errors (with line numbers) are
    /// passed on in the error.
    public static func readLP(path: String) throws(SolverError) -> Model {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .fileUnreadable(
                path: path,
                reason: FileManager.default.fileExists(atPath: path)
                    ? "permission denied" : "no such file")
        }
        let result: Result<Model, SolverError> = withProblem { problem, output in
            guard glp_read_lp(problem, nil, path) == 0 else {
                let reason = output.text.split(separator: "\n")
                    .filter { !$0.hasPrefix("Reading problem data") }.joined(separator: "\n")
                return .failure(.fileUnreadable(path: path, reason: reason))
            }
            return .success(ProblemLoader.model(from: problem))
        }
        return try result.get()
    }

    static func requireValid(_ model: Model) throws(SolverError) {
        let issues = model.validate()
        guard issues.isEmpty else { throw .invalidModel(issues) }
    }

    /// Runs `body` with a fresh GLPK problem whose terminal output is captured, then
    /// deletes the problem. Create, use and delete all happen on this thread.
    static func withProblem<T>(_ body: (OpaquePointer, CapturedOutput) -> T) -> T {
        let output = CapturedOutput()
        let info = Unmanaged.passUnretained(output).toOpaque()
        glp_term_out(GLP_ON)
        glp_term_hook(
            { info, text in
                guard let info, let text else { return 1 }
                Unmanaged<CapturedOutput>.fromOpaque(info).takeUnretainedValue().append(String(cString: text))
                return 1
            }, info)
        guard let problem = glp_create_prob() else { fatalError("glp_create_prob returned NULL") }
        defer {
            glp_delete_prob(problem)
            glp_term_hook(nil, nil)
            withExtendedLifetime(output) {}
        }
        return body(problem, output)
    }
}

/// Why a solver call was refused or failed before a solution could be attempted.
public enum SolverError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidModel([ModelIssue])
    case invalidOptions([String])
    case fileUnreadable(path: String, reason: String)
    case fileUnwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidModel(let issues):
            "the model is invalid (\(issues.count) issue\(issues.count == 1 ? "" : "s")):\n"
                + issues.map { "  - \($0)" }.joined(separator: "\n")
        case .invalidOptions(let problems): "invalid solve options: " + problems.joined(separator: "; ")
        case .fileUnreadable(let path, let reason):
            "cannot read \(path): \(reason.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .fileUnwritable(let path, let reason):
            "cannot write \(path): \(reason.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
    }
}

/// GLPK's terminal output for one call: kept for error messages, passed to the log.
final class CapturedOutput {
    private static let logger = Logger(label: "iop.glpk")
    private(set) var text = ""

    func append(_ chunk: String) {
        text += chunk
        Self.logger.trace("\(chunk.trimmingCharacters(in: .newlines))")
    }
}
