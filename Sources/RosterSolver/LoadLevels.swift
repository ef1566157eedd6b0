import Foundation
import GLPKSolver
import MIP

/// Tier 4 solved level by level of the busiest facilitator's load `B`, which the objective
/// charges at `weight` a session. First the week without that charge (the rest of the
/// objective); its optimum `R` bounds every level from below: a roster whose busiest
/// facilitator leads `b` sessions costs at least `R + weight·b`. Then, for b = 0, 1, ...,
/// the week with `B` fixed at `b`, which makes every facilitator's load a hard limit the
/// presolve can use, until `R + weight·b` can no longer beat the best roster found.
///
/// Measured on the generated 36-client weeks: seed 9's tier 4 was proven in 27.5 s by
/// one search; here the rest takes 0.3 s (56), levels 0-3 are infeasible in 0.05 s each,
/// level 4 costs 60 in 0.45 s, and 56 + 5 > 60 ends it.
struct LoadLevels {
    let busiest: Variable
    let weight: Double
    /// Improves the best roster when the levels cannot be bounded; without it, one whole search.
    var fallback: NeighbourhoodSearch? = nil

    /// Seconds one search of the whole stage gets, beside the rest's search.
    static let quickSearch = 0.5

    /// Solves the stage; `options.timeLimit` covers all of it. One search of the whole stage
    /// for ``quickSearch`` seconds and the search of the rest run side by side, one on each
    /// core (generated 36-client seeds 1-5 and 9: 1.32/1.30/1.30/1.45/0.51/1.24 s one after
    /// the other, 0.89/0.82/0.98/0.95/0.50/0.84 s side by side). A stage the quick search
    /// proves is left at that (most bundled weeks and re-plans); its roster otherwise starts
    /// the levels. When the rest is not proven within a quarter of the time (weeks of 60-100
    /// clients), the levels cannot be bounded: see ``improveUnbounded``.
    func solve(_ model: Model, options: SolveOptions, monitor: SolveMonitor?) throws(SolverError) -> Solution {
        let clock = ContinuousClock()
        let start = clock.now
        let limit = options.timeLimit ?? .infinity
        func elapsed() -> Double { Double((clock.now - start) / .milliseconds(1)) / 1000 }
        func left() -> Double { limit - elapsed() }
        let quiet = monitor.map { SolveMonitor(interval: .infinity, shouldStop: $0.shouldStop) }
        var spent = SolveStatistics()
        func record(_ solution: Solution) {
            spent.seconds += solution.statistics.seconds
            spent.nodes += solution.statistics.nodes
        }

        // The quick search and the week without the load charge run side by side, one on
        // each core; the rest stops when the quick search settles the stage.
        let quickLimit = min(Self.quickSearch, limit / 4)
        var quick = options
        quick.timeLimit = quickLimit
        var rest = model
        rest.minimize(LinearExpression(terms: model.objectiveTerms.filter { $0.variable != busiest }, constant: model.objectiveConstant))
        var restOptions = options
        restOptions.timeLimit = limit.isFinite ? (limit - quickLimit) / 4 : nil
        restOptions.branchFirst = options.branchFirst.filter { $0 != busiest }
        let settled = Flag()
        let startCost = options.start.map { model.objectiveValue(at: $0) }
        let lowestCharge = lowestCharge(in: model)
        let restMonitor = Self.relay(monitor, after: 0, incumbent: startCost, sameObjective: false) { $0.map { $0 + lowestCharge } }
            ?? SolveMonitor(interval: .infinity)
        let stoppable = SolveMonitor(interval: restMonitor.interval, report: restMonitor.report,
                                     shouldStop: { settled.isSet || restMonitor.shouldStop() })
        let (quickResult, restResult) = GLPKSolver.atOnce({
            let result = Result { () throws(SolverError) in try GLPKSolver.solve(model, options: quick, monitor: quiet) }
            if case .success(let found) = result, Self.settles(found) { settled.set() }
            return result
        }, { [rest, restOptions] in
            Result { () throws(SolverError) in try GLPKSolver.solve(rest, options: restOptions, monitor: stoppable) }
        })
        let first = try quickResult.get()
        if Self.settles(first) { return first }
        let restSolution = try restResult.get()
        // The two ran side by side: what they add to the first's seconds is the wall time.
        spent.seconds += max(0, elapsed() - first.statistics.seconds)
        spent.nodes += restSolution.statistics.nodes
        guard restSolution.status == .optimal, let floor = restSolution.objective,
              let definition = model.definition(of: busiest) else {
            guard let fallback, first.objective != nil, limit.isFinite else {
                var whole = options
                whole.timeLimit = limit.isFinite ? max(0.05, left()) : nil
                let improved = try GLPKSolver.solve(model, options: whole, monitor: monitor)
                return RosterSolver.combined(first, summed(improved, spent), step: model.objectiveStep)
            }
            let deadline = start.advanced(by: .milliseconds(Int64(limit * 1000)))
            return try improveUnbounded(model, rest: rest, options: options, first: first, restSolution: restSolution,
                                        fallback: fallback, until: deadline, spent: spent, monitor: monitor)
        }

        let step = model.objectiveStep
        var best: Solution? = first.objective == nil ? nil : first
        var openBounds: [Double] = []
        var interrupted = false
        var level = loadFloor(in: model)
        while level <= definition.upper {
            let lowest = floor + weight * level
            if let incumbent = best?.objective, !Self.mayImprove(incumbent, from: lowest, step: step) { break }
            if left() <= 0 || interrupted {
                openBounds.append(lowest)
                break
            }
            var fixed = model
            fixed.fix(busiest, at: level)
            var levelOptions = options
            levelOptions.timeLimit = limit.isFinite ? left() : nil
            levelOptions.branchFirst = restOptions.branchFirst
            levelOptions.start = nil  // a start is a roster of any load, not of this level
            levelOptions.knownBound = lowest  // a roster at the floor ends the level at once
            // While this level is searched, the stage's bound is the lowest of this level's,
            // the levels left open and every higher level's floor.
            let others = min(openBounds.min() ?? .infinity, floor + weight * (level + 1))
            let known = first.bound ?? -.infinity
            let solution = try GLPKSolver.solve(fixed, options: levelOptions,
                                                monitor: Self.relay(monitor, after: elapsed(), incumbent: best?.objective) { levelBound in
                                                    max(known, min(others, levelBound ?? lowest))
                                                })
            record(solution)
            if let objective = solution.objective, objective < best?.objective ?? .infinity { best = solution }
            switch solution.termination {
            case .optimal, .infeasible: break
            case .interrupted:
                interrupted = true
                openBounds.append(solution.bound ?? lowest)
            default:
                openBounds.append(solution.bound ?? lowest)
            }
            level += 1
        }
        record(first)
        guard let best, let objective = best.objective else {
            let termination: TerminationReason = interrupted ? .interrupted : openBounds.isEmpty ? .infeasible : .timeLimit
            return Solution(termination: termination, status: .none, objective: nil, bound: openBounds.min(), values: [], statistics: spent)
        }
        // The quick search's bound holds for the whole stage too.
        let bound = min(objective, max(first.bound ?? -.infinity, openBounds.min() ?? objective))
        let proven = openBounds.isEmpty || !Self.mayImprove(objective, from: bound, step: step)
        let termination: TerminationReason = proven ? .optimal : interrupted ? .interrupted : .timeLimit
        return Solution(termination: termination, status: proven ? .optimal : .feasible, objective: objective, bound: bound,
                        values: best.values, statistics: spent)
    }

    /// Tier 4 when the levels cannot be bounded (the rest was not proven in its time). The
    /// sections-first order proves but does not find: the rest is searched an eighth of the
    /// time more with GLPK's own branching, which finds rosters with fewer sections, and a
    /// roster of the rest is a roster of the stage. The cheapest roster so far goes to
    /// `fallback`, and the time it leaves to one search of the whole stage from the result
    /// (for the bound). Measured on generated weeks, tier 4 ends at (HiGHS's proven optimum
    /// in brackets): 60 clients seeds 1-3 90/88/88 -> 87/86/84 (87/86/83), 80 clients seeds
    /// 1-2 114/110 -> 114/108 (114/108).
    private func improveUnbounded(_ model: Model, rest: Model, options: SolveOptions, first quick: Solution, restSolution: Solution,
                                  fallback: NeighbourhoodSearch, until deadline: ContinuousClock.Instant,
                                  spent: SolveStatistics, monitor: SolveMonitor?) throws(SolverError) -> Solution {
        let clock = ContinuousClock()
        func left() -> Double { Double((deadline - clock.now) / .milliseconds(1)) / 1000 }
        func stageSeconds() -> Double { (options.timeLimit ?? 0) - left() }
        var spent = spent
        let probing = clock.now
        let lowest = try lowestLoad(model, until: deadline, monitor: monitor)
        spent.seconds += Double((clock.now - probing) / .milliseconds(1)) / 1000
        // The stage's bound: the quick search's, or the rest's plus the lowest load's charge.
        let bound = [quick.bound, restSolution.bound.map { $0 + weight * lowest }].compactMap { $0 }.max()
        let first = Solution(termination: quick.termination, status: quick.status, objective: quick.objective, bound: bound,
                             values: quick.values, statistics: quick.statistics)
        var best = first.values
        func consider(_ values: [Double]) {
            if !values.isEmpty, model.objectiveValue(at: values) < model.objectiveValue(at: best) { best = values }
        }
        consider(restSolution.values)
        var finding = options
        finding.branchFirst = []
        finding.start = best
        finding.timeLimit = min(left(), (options.timeLimit ?? 0) / 8)
        let found = try GLPKSolver.solve(rest, options: finding,
                                         monitor: Self.relay(monitor, after: stageSeconds(), incumbent: model.objectiveValue(at: best),
                                                             sameObjective: false) { _ in bound })
        spent.seconds += found.statistics.seconds
        spent.nodes += found.statistics.nodes
        consider(found.values)
        // Progress from here on reports the stage: its seconds so far and its bound.
        let from = Solution(termination: .timeLimit, status: .feasible, objective: model.objectiveValue(at: best), bound: bound,
                            values: best, statistics: SolveStatistics(seconds: stageSeconds(), variables: quick.statistics.variables,
                                                                      constraints: quick.statistics.constraints,
                                                                      nonzeros: quick.statistics.nonzeros))
        let improved = try fallback.improve(model, from: from, until: deadline, monitor: monitor)
        var result = RosterSolver.combined(first, improved, step: model.objectiveStep)
        if left() > 1, improved.termination != .interrupted, result.termination != .optimal {
            var whole = options
            whole.timeLimit = left()
            whole.start = result.values
            let search = try GLPKSolver.solve(model, options: whole, monitor: Self.relay(monitor, after: stageSeconds(), incumbent: result.objective) {
                [$0, bound].compactMap { $0 }.max()
            })
            result = RosterSolver.combined(result, search, step: model.objectiveStep)
        }
        return summed(result, spent)
    }

    /// The lowest busiest load any roster can have: each level from the load's lower bound up
    /// is probed (any roster ends the probe) while it is shown infeasible, which the
    /// reduction or the root does in milliseconds. The 60-client week: levels 0-2 in
    /// 0.1 s, so its bound is the rest's plus 3 (gap 6.9% -> 4.6%).
    func lowestLoad(_ model: Model, until deadline: ContinuousClock.Instant, monitor: SolveMonitor? = nil) throws(SolverError) -> Double {
        let clock = ContinuousClock()
        let quiet = monitor.map { SolveMonitor(interval: .infinity, shouldStop: $0.shouldStop) }
        var level = loadFloor(in: model)
        while true {
            let left = Double((deadline - clock.now) / .milliseconds(1)) / 1000
            guard left > 0.1 else { break }
            var fixed = model
            fixed.fix(busiest, at: level)
            let probe = try GLPKSolver.solve(fixed, options: SolveOptions(timeLimit: min(Self.probeLimit, left), relativeGap: 1),
                                             monitor: quiet)
            guard probe.termination == .infeasible else { break }
            level += 1
        }
        return level
    }

    /// Seconds a probe of one load level gets.
    static let probeLimit = 0.5

    /// The least the busiest load can add to the objective: its weight times the load's lower bound.
    private func lowestCharge(in model: Model) -> Double { weight * loadFloor(in: model) }

    /// The busiest load's lower bound in the model, as a whole number of sessions.
    private func loadFloor(in model: Model) -> Double {
        max(0, (model.definition(of: busiest)?.lower ?? 0).rounded(.up))
    }

    /// Whether a search's end settles the stage: proven, infeasible, or stopped by the caller.
    private static func settles(_ solution: Solution) -> Bool {
        solution.termination == .optimal || solution.termination == .infeasible || solution.termination == .interrupted
    }

    /// Whether a roster costing at least `lowest` can beat `incumbent`: by a whole step when
    /// the objective moves in steps, by anything otherwise.
    static func mayImprove(_ incumbent: Double, from lowest: Double, step: Double?) -> Bool {
        let tolerance = 1e-9 * max(1, abs(incumbent))
        if let step { return lowest <= incumbent - step + tolerance }
        return lowest < incumbent - tolerance
    }

    /// A monitor for one search within the stage that reports the stage as a whole: the
    /// better of `incumbent` and the search's roster (when the search has the stage's
    /// objective), the stage's bound given the search's, and the seconds since the stage
    /// began. Stopping passes straight through.
    private static func relay(_ monitor: SolveMonitor?, after seconds: Double, incumbent: Double?, sameObjective: Bool = true,
                              bound: @escaping @Sendable (Double?) -> Double?) -> SolveMonitor? {
        guard let monitor else { return nil }
        return SolveMonitor(interval: monitor.interval, report: { progress in
            let found = [incumbent, sameObjective ? progress.incumbent : nil].compactMap { $0 }.min()
            let lowest = bound(progress.bound).map { min($0, found ?? .infinity) }
            monitor.report(SolveMonitor.Progress(incumbent: found, bound: lowest, nodes: progress.nodes, seconds: seconds + progress.seconds))
        }, shouldStop: monitor.shouldStop)
    }

    private func summed(_ solution: Solution, _ before: SolveStatistics) -> Solution {
        var statistics = solution.statistics
        statistics.seconds += before.seconds
        statistics.nodes += before.nodes
        return Solution(termination: solution.termination, status: solution.status, objective: solution.objective,
                        bound: solution.bound, values: solution.values, statistics: statistics)
    }
}

/// Set once, read from any thread.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
