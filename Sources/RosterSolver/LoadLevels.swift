import Foundation
import GLPKSolver
import MIP

/// Tier 4 solved level by level of the busiest facilitator's load `B`, which the objective
/// charges at `weight` a session. First the week without that charge (the rest of the
/// objective); its optimum `R` bounds every level from below: a roster whose busiest
/// facilitator leads `b` sessions costs at least `R + weight·b`. Then, for b = 0, 1, ...,
/// the week with `B` fixed at `b`, which makes every facilitator's load a hard limit the
/// presolve can use, until `R + weight·b` can no longer beat the best roster found.
struct LoadLevels {
    let busiest: Variable
    let weight: Double
    /// Improves the best roster when the levels cannot be bounded; without it, one whole search.
    var fallback: NeighbourhoodSearch? = nil

    /// Solves the stage; `options.timeLimit` covers all of it. One search of the whole stage
    /// from the roster so far, for ``SearchStrategy/quickSearch`` seconds, runs on one core,
    /// then one with GLPK's presolver (and so without that roster or the branching order)
    /// for as long as the other core works; on the other, the search of the rest and, once
    /// it is proven, the levels, which stop at a level whose floor cannot beat the whole
    /// searches' roster so far.
    /// Whichever settles the stage first stops the other: a stage the quick search proves is
    /// left at that (most bundled weeks and re-plans). When the rest is not proven within its
    /// share of the time (see ``SearchStrategy/restAtLeast``; weeks of 60-100 clients), the levels cannot be
    /// bounded: see ``improveUnbounded``.
    func solve(_ model: Model, options: SolveOptions, monitor: SolveMonitor?) throws(SolverError) -> Solution {
        let clock = ContinuousClock()
        let start = clock.now
        let limit = options.timeLimit ?? .infinity
        func elapsed() -> Double { Double((clock.now - start) / .milliseconds(1)) / 1000 }

        let quickLimit = min(SearchStrategy.quickSearch, limit / 4)
        var quick = options
        quick.timeLimit = quickLimit
        var presolved = options
        presolved.start = nil
        presolved.branchFirst = []
        var rest = model
        rest.minimize(
            LinearExpression(
                terms: model.objectiveTerms.filter { $0.variable != busiest }, constant: model.objectiveConstant))
        var restOptions = options
        restOptions.timeLimit =
            limit.isFinite
            ? max((limit - quickLimit) / 4, min((limit - quickLimit) / 2, SearchStrategy.restAtLeast)) : nil
        restOptions.branchFirst = options.branchFirst.filter { $0 != busiest }
        let quickSettled = Flag()
        let levelsDone = Flag()
        let otherDone = Flag()
        let quickBest = Lowest()
        let userStop: @Sendable () -> Bool = { monitor?.shouldStop() ?? false }
        let quickMonitor = SolveMonitor(
            interval: .infinity, found: { quickBest.offer($0) },
            shouldStop: { levelsDone.isSet || userStop() })
        let startCost = options.start.map { model.objectiveValue(at: $0) }
        let lowestCharge = lowestCharge(in: model)
        let restMonitor =
            Self.relay(monitor, after: 0, incumbent: startCost, sameObjective: false) { $0.map { $0 + lowestCharge } }
            ?? SolveMonitor(interval: .infinity)
        let whileOtherRuns = SolveMonitor(
            interval: .infinity, found: { quickBest.offer($0) },
            shouldStop: { otherDone.isSet || userStop() })
        let stoppable = SolveMonitor(
            interval: restMonitor.interval, report: restMonitor.report,
            shouldStop: { quickSettled.isSet || restMonitor.shouldStop() })
        let (quickResult, restResult) = GLPKSolver.atOnce(
            {
                let result = Result { () throws(SolverError) -> Solution in
                    let first = try GLPKSolver.solve(model, options: quick, monitor: quickMonitor)
                    guard !Self.settles(first), limit.isFinite, !otherDone.isSet else { return first }
                    presolved.timeLimit = max(0.05, limit - elapsed())
                    var second = try GLPKSolver.solve(model, options: presolved, monitor: whileOtherRuns)
                    if second.termination == .interrupted, !userStop() {
                        // Stopped because the other core is done, not by the user: as good as out of time.
                        second = Solution(
                            termination: .timeLimit, status: second.status, objective: second.objective,
                            bound: second.bound, values: second.values, statistics: second.statistics)
                    }
                    return RosterSolver.combined(first, second, step: model.objectiveStep)
                }
                if case .success(let found) = result, Self.settles(found), !levelsDone.isSet { quickSettled.set() }
                return result
            },
            { [self, rest, restOptions] in
                Result { () throws(SolverError) -> (rest: Solution, levels: Levels?) in
                    defer { otherDone.set() }
                    let solution = try GLPKSolver.solve(rest, options: restOptions, monitor: stoppable)
                    guard solution.status == .optimal, let floor = solution.objective, !quickSettled.isSet else {
                        return (solution, nil)
                    }
                    let deadline = start.advanced(by: .milliseconds(Int64(min(limit, 1e9) * 1000)))
                    let levels = try searchLevels(
                        model, from: floor, options: restOptions, until: deadline, quickBest: { quickBest.value },
                        abandon: { quickSettled.isSet }, monitor: monitor, stageStart: start)
                    levelsDone.set()
                    return (solution, levels)
                }
            })
        let first = try quickResult.get()
        if quickSettled.isSet { return first }
        let (restSolution, found) = try restResult.get()
        guard let found else {
            // The rest ran beside the quick search: what it adds to the quick search's seconds is the wall time.
            let spent = SolveStatistics(
                seconds: max(0, elapsed() - first.statistics.seconds), nodes: restSolution.statistics.nodes)
            guard let fallback, first.objective != nil, limit.isFinite else {
                var whole = options
                whole.timeLimit = limit.isFinite ? max(0.05, limit - elapsed()) : nil
                let improved = try GLPKSolver.solve(model, options: whole, monitor: monitor)
                return RosterSolver.combined(first, improved.after(spent), step: model.objectiveStep)
            }
            let deadline = start.advanced(by: .milliseconds(Int64(min(limit, 1e9) * 1000)))
            return try improveUnbounded(
                model, rest: rest, options: options, first: first, restSolution: restSolution,
                fallback: fallback, until: deadline, spent: spent, monitor: monitor)
        }

        let spent = SolveStatistics(
            seconds: elapsed(), nodes: first.statistics.nodes + restSolution.statistics.nodes + found.nodes)
        let best = [first, found.best].compactMap { $0 }.min {
            ($0.objective ?? .infinity) < ($1.objective ?? .infinity)
        }
        .flatMap { $0.objective == nil ? nil : $0 }
        guard let best, let objective = best.objective else {
            let termination: TerminationReason =
                found.interrupted ? .interrupted : found.openBounds.isEmpty ? .infeasible : .timeLimit
            return Solution(
                termination: termination, status: .none, objective: nil, bound: found.openBounds.min(), values: [],
                statistics: spent)
        }
        // The quick search's bound holds for the whole stage too.
        let step = model.objectiveStep
        let bound = min(objective, max(first.bound ?? -.infinity, found.openBounds.min() ?? objective))
        let proven = !Self.mayImprove(objective, from: bound, step: step)
        let termination: TerminationReason = proven ? .optimal : found.interrupted ? .interrupted : .timeLimit
        return Solution(
            termination: termination, status: proven ? .optimal : .feasible, objective: objective, bound: bound,
            values: best.values, statistics: spent)
    }

    /// What the levels found: their best roster, the floors of the levels they left open
    /// (cut off by a roster of the quick search, or out of time), and whether the caller
    /// stopped them.
    struct Levels {
        var best: Solution?
        var openBounds: [Double] = []
        var interrupted = false
        var nodes = 0
    }

    /// Searches the levels b of the busiest load, from its lower bound up, the load fixed at
    /// b, each told its floor `floor + weight·b` (a roster there ends it at once), until a floor
    /// cannot beat the best roster of the levels or of the quick search (`quickBest`, read
    /// while they run), the time is up, or `abandon` says the quick search settled the stage.
    func searchLevels(
        _ model: Model, from floor: Double, options: SolveOptions, until deadline: ContinuousClock.Instant,
        quickBest: @escaping @Sendable () -> Double?, abandon: @escaping @Sendable () -> Bool,
        monitor: SolveMonitor?, stageStart: ContinuousClock.Instant
    ) throws(SolverError) -> Levels {
        let clock = ContinuousClock()
        func left() -> Double { Double((deadline - clock.now) / .milliseconds(1)) / 1000 }
        guard let definition = model.definition(of: busiest) else { return Levels(openBounds: [floor]) }
        let step = model.objectiveStep
        var levels = Levels()
        var level = loadFloor(in: model)
        while level <= definition.upper, !abandon() {
            let lowest = floor + weight * level
            let incumbent = [levels.best?.objective, quickBest()].compactMap { $0 }.min()
            let beaten = incumbent.map { !Self.mayImprove($0, from: lowest, step: step) } ?? false
            if beaten || left() <= 0 || levels.interrupted {
                levels.openBounds.append(lowest)
                break
            }
            var fixed = model
            fixed.fix(busiest, at: level)
            var levelOptions = options
            levelOptions.timeLimit = options.timeLimit == nil ? nil : max(0, left())
            levelOptions.start = nil  // a start is a roster of any load, not of this level
            levelOptions.knownBound = lowest  // a roster at the floor ends the level at once
            // Stopped, too, once the quick search finds a roster this level cannot beat.
            let cutOff: @Sendable () -> Bool = {
                quickBest().map { !Self.mayImprove($0, from: lowest, step: step) } ?? false
            }
            // While this level is searched, the stage's bound is the lowest of this level's,
            // the levels left open and every higher level's floor.
            let others = min(levels.openBounds.min() ?? .infinity, floor + weight * (level + 1))
            let relayed = Self.relay(
                monitor, after: Double((clock.now - stageStart) / .milliseconds(1)) / 1000, incumbent: incumbent
            ) {
                min(others, $0 ?? lowest)
            }
            let stoppable = SolveMonitor(
                interval: relayed?.interval ?? .infinity, report: { relayed?.report($0) },
                shouldStop: { abandon() || cutOff() || (monitor?.shouldStop() ?? false) })
            let solution = try GLPKSolver.solve(fixed, options: levelOptions, monitor: stoppable)
            levels.nodes += solution.statistics.nodes
            if let objective = solution.objective, objective < levels.best?.objective ?? .infinity {
                levels.best = solution
            }
            switch solution.termination {
            case .optimal, .infeasible: break
            case .interrupted where cutOff():
                levels.openBounds.append(lowest)
                return levels
            case .interrupted:
                levels.interrupted = !abandon()
                levels.openBounds.append(solution.bound ?? lowest)
            default:
                levels.openBounds.append(solution.bound ?? lowest)
            }
            level += 1
        }
        return levels
    }

    /// Tier 4 when the levels cannot be bounded (the rest was not proven in its time). The
    /// sections-first order proves but does not find: the rest is searched an eighth of the
    /// time more with GLPK's own branching, which finds rosters with fewer sections, and a
    /// roster of the rest is a roster of the stage. The cheapest roster so far goes to
    /// `fallback`, and the time it leaves to one search of the whole stage from the result
    /// (for the bound).
    private func improveUnbounded(
        _ model: Model, rest: Model, options: SolveOptions, first quick: Solution, restSolution: Solution,
        fallback: NeighbourhoodSearch, until deadline: ContinuousClock.Instant,
        spent: SolveStatistics, monitor: SolveMonitor?
    ) throws(SolverError) -> Solution {
        let clock = ContinuousClock()
        func left() -> Double { Double((deadline - clock.now) / .milliseconds(1)) / 1000 }
        func stageSeconds() -> Double { (options.timeLimit ?? 0) - left() }
        var spent = spent
        let probing = clock.now
        let lowest = try lowestLoad(model, until: deadline, monitor: monitor)
        spent.seconds += Double((clock.now - probing) / .milliseconds(1)) / 1000
        // The stage's bound: the quick search's, or the rest's plus the lowest load's charge.
        let bound = [quick.bound, restSolution.bound.map { $0 + weight * lowest }].compactMap { $0 }.max()
        let first = Solution(
            termination: quick.termination, status: quick.status, objective: quick.objective, bound: bound,
            values: quick.values, statistics: quick.statistics)
        var best = first.values
        func consider(_ values: [Double]) {
            if !values.isEmpty, model.objectiveValue(at: values) < model.objectiveValue(at: best) { best = values }
        }
        consider(restSolution.values)
        var finding = options
        finding.cuts = .standard
        finding.branchFirst = []
        finding.start = best
        finding.timeLimit = max(0, min(left(), (options.timeLimit ?? 0) / 8))
        let found = try GLPKSolver.solve(
            rest, options: finding,
            monitor: Self.relay(
                monitor, after: stageSeconds(), incumbent: model.objectiveValue(at: best),
                sameObjective: false
            ) { _ in bound })
        spent.seconds += found.statistics.seconds
        spent.nodes += found.statistics.nodes
        consider(found.values)
        // Progress from here on reports the stage: its seconds so far and its bound.
        let from = Solution(
            termination: .timeLimit, status: .feasible, objective: model.objectiveValue(at: best), bound: bound,
            values: best,
            statistics: SolveStatistics(
                seconds: stageSeconds(), variables: quick.statistics.variables,
                constraints: quick.statistics.constraints,
                nonzeros: quick.statistics.nonzeros))
        let improved = try fallback.improve(model, from: from, until: deadline, monitor: monitor)
        var result = RosterSolver.combined(first, improved, step: model.objectiveStep)
        if left() > 0.2, improved.termination != .interrupted, result.termination != .optimal {
            var whole = options
            whole.cuts = .standard
            whole.timeLimit = left()
            whole.start = result.values
            let search = try GLPKSolver.solve(
                model, options: whole,
                monitor: Self.relay(monitor, after: stageSeconds(), incumbent: result.objective) {
                    [$0, bound].compactMap { $0 }.max()
                })
            result = RosterSolver.combined(result, search, step: model.objectiveStep)
        }
        return result.after(spent)
    }

    /// The lowest busiest load any roster can have: each level from the load's lower bound up
    /// is probed (any roster ends the probe) while it is shown infeasible, which the
    /// reduction or the root does in milliseconds; a probe unsettled after `probeLimit`
    /// seconds ends the climb at that level, which stays a valid bound.
    func lowestLoad(
        _ model: Model, until deadline: ContinuousClock.Instant, probeLimit: Double = SearchStrategy.probeLimit,
        monitor: SolveMonitor? = nil
    ) throws(SolverError) -> Double {
        let clock = ContinuousClock()
        let quiet = monitor.map { SolveMonitor(interval: .infinity, shouldStop: $0.shouldStop) }
        var level = loadFloor(in: model)
        while true {
            let left = Double((deadline - clock.now) / .milliseconds(1)) / 1000
            guard left > 0.1 else { break }
            var fixed = model
            fixed.fix(busiest, at: level)
            let probe = try GLPKSolver.solve(
                fixed, options: SolveOptions(timeLimit: min(probeLimit, left), relativeGap: 1),
                monitor: quiet)
            guard probe.termination == .infeasible else { break }
            level += 1
        }
        return level
    }

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
    /// the objective moves in steps, by anything otherwise. GLPK's objective values carry
    /// noise of about 1e-6 (75 arrives as 74.999998), far below any step, so a step is
    /// compared with a thousandth of itself to spare.
    static func mayImprove(_ incumbent: Double, from lowest: Double, step: Double?) -> Bool {
        let tolerance = 1e-9 * max(1, abs(incumbent))
        if let step { return lowest <= incumbent - step + max(tolerance, step * 1e-3) }
        return lowest < incumbent - tolerance
    }

    /// A monitor for one search within the stage that reports the stage as a whole: the
    /// better of `incumbent` and the search's roster (when the search has the stage's
    /// objective), the stage's bound given the search's, and the seconds since the stage
    /// began. Stopping passes straight through.
    private static func relay(
        _ monitor: SolveMonitor?, after seconds: Double, incumbent: Double?, sameObjective: Bool = true,
        bound: @escaping @Sendable (Double?) -> Double?
    ) -> SolveMonitor? {
        guard let monitor else { return nil }
        return SolveMonitor(
            interval: monitor.interval,
            report: { progress in
                let found = [incumbent, sameObjective ? progress.incumbent : nil].compactMap { $0 }.min()
                let lowest = bound(progress.bound).map { min($0, found ?? .infinity) }
                monitor.report(
                    SolveMonitor.Progress(
                        incumbent: found, bound: lowest, nodes: progress.nodes, seconds: seconds + progress.seconds))
            }, shouldStop: monitor.shouldStop)
    }

}

/// The lowest value offered so far, from any thread.
private final class Lowest: @unchecked Sendable {
    private let lock = NSLock()
    private var lowest: Double?
    var value: Double? { lock.withLock { lowest } }
    func offer(_ candidate: Double) { lock.withLock { lowest = min(lowest ?? candidate, candidate) } }
}
