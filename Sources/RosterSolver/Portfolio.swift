import Foundation
import GLPKSolver
import MIP

/// One stage searched two ways at once, one on each core: with GLPK's Gomory cuts and
/// without them. Which way proves a week sooner cannot be told beforehand (on weeks of
/// one-hour blocks the cuts prove tier 1 in seconds where the search without them runs
/// out of time; on others they slow it a hundredfold), so the first way to settle the
/// stage (proven, or shown infeasible) stops the other, and the stage takes the better
/// roster and the higher bound of the two.
struct Portfolio {
    /// The cuts of the second way, beside `options.cuts` in the first.
    let otherCuts: SolveOptions.Cuts

    func solve(_ model: Model, options: SolveOptions, monitor: SolveMonitor?) throws(SolverError) -> Solution {
        let clock = ContinuousClock()
        let start = clock.now
        let settled = Flag()
        let userStop: @Sendable () -> Bool = { monitor?.shouldStop() ?? false }
        // Better rosters are reported from the first way only, so each report improves on the last.
        let found: @Sendable (Double) -> Void = { value in monitor?.found(value) }
        let report: @Sendable (SolveMonitor.Progress) -> Void = { progress in monitor?.report(progress) }
        let stop: @Sendable () -> Bool = { settled.isSet || userStop() }
        let firstMonitor = SolveMonitor(
            interval: monitor?.interval ?? .infinity, report: report, found: found, shouldStop: stop)
        let secondMonitor = SolveMonitor(interval: .infinity, shouldStop: stop)
        var other = options
        other.cuts = otherCuts
        let (first, second) = GLPKSolver.atOnce(
            {
                let result = Result { () throws(SolverError) in
                    try GLPKSolver.solve(model, options: options, monitor: firstMonitor)
                }
                if case .success(let found) = result, Self.settles(found) { settled.set() }
                return result
            },
            { [other] in
                let result = Result { () throws(SolverError) in
                    try GLPKSolver.solve(model, options: other, monitor: secondMonitor)
                }
                if case .success(let found) = result, Self.settles(found) { settled.set() }
                return result
            })
        let a = try first.get()
        let b = try second.get()
        let seconds = Double((clock.now - start) / .milliseconds(1)) / 1000
        return Self.better(a, b, seconds: seconds, step: model.objectiveStep)
    }

    /// Whether a search's end settles the stage.
    static func settles(_ solution: Solution) -> Bool {
        solution.termination == .optimal || solution.termination == .infeasible
    }

    /// Two searches of one minimization run side by side: a settled one wins; otherwise the
    /// better roster with the higher bound (optimal when they meet at the objective's
    /// step), over the wall time both took.
    static func better(_ a: Solution, _ b: Solution, seconds: Double, step: Double?) -> Solution {
        if settles(a) { return timed(a, seconds: seconds, nodes: a.statistics.nodes + b.statistics.nodes) }
        if settles(b) { return timed(b, seconds: seconds, nodes: a.statistics.nodes + b.statistics.nodes) }
        let both = RosterSolver.combined(a, b, step: step)
        // Stopped by the caller, one of them says so; otherwise the time ran out.
        let termination =
            both.termination == .optimal
            ? TerminationReason.optimal
            : [a, b].contains { $0.termination == .interrupted } ? .interrupted : both.termination
        return Solution(
            termination: termination, status: both.status, objective: both.objective, bound: both.bound,
            values: both.values,
            statistics: SolveStatistics(
                seconds: seconds, nodes: both.statistics.nodes,
                variables: both.statistics.variables,
                constraints: both.statistics.constraints,
                nonzeros: both.statistics.nonzeros))
    }

    private static func timed(_ solution: Solution, seconds: Double, nodes: Int) -> Solution {
        var statistics = solution.statistics
        statistics.seconds = seconds
        statistics.nodes = nodes
        return Solution(
            termination: solution.termination, status: solution.status, objective: solution.objective,
            bound: solution.bound, values: solution.values, statistics: statistics)
    }
}

/// Set once, read from any thread.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
