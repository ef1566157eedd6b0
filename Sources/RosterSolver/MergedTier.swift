import GLPKSolver
import MIP

/// A stage that searches its own tier together with the tier just proven optimal, instead
/// of holding that tier at its optimum: it minimizes `weight · above + own`, where one step
/// of the tier above costs more than the most the own tier can gain over the incumbent
/// (the previous stage's roster, which is optimal above). So a roster worse above is always
/// worse than the incumbent, and the best roster is optimal above and then best below,
/// exactly as under a hold; but the search may pass through rosters worse above, where a
/// hold leaves it only the thin slice of rosters at the optimum, in which GLPK's search may
/// find nothing at all (docs/speed.md).
struct MergedTier {
    let above: RosterSolver.HeldTier
    let own: LinearExpression
    let weight: Double
    /// The previous stage's roster.
    let start: Solution
    /// The least the own tier can be.
    let lowest: Double

    /// `weight · above + own`, minimized by the stage.
    var objective: LinearExpression { weight * above.objective + own }

    /// Nil when the tiers cannot be merged exactly: the tier above not proven optimal, a
    /// tier without a step (an objective not of whole steps), or an own tier without a
    /// finite lowest value.
    init?(above: RosterSolver.HeldTier, own: LinearExpression, ownStep: Double?, incumbent: Solution, model: Model) {
        guard above.proven, let aboveStep = above.step, aboveStep > 0, let ownStep, ownStep > 0,
            let lowest = Self.lowest(own, in: model)
        else { return nil }
        let gain = max(0, incumbent.value(own) - lowest)
        // One step above outweighs the largest gain below by at least one own step.
        let weight = ownStep * ((gain / ownStep).rounded(.up) + 1) / aboveStep
        guard weight.isFinite, weight * abs(above.value) < 1e12 else { return nil }
        self.init(above: above, own: own, weight: weight, start: incumbent, lowest: lowest)
    }

    private init(above: RosterSolver.HeldTier, own: LinearExpression, weight: Double, start: Solution, lowest: Double) {
        self.above = above
        self.own = own
        self.weight = weight
        self.start = start
        self.lowest = lowest
    }

    /// The stage's outcome in its own tier's terms: the better of its roster and the
    /// previous stage's on the merged objective, with that roster's own objective and the
    /// merged bound less the tier above at its optimum.
    func translated(_ solution: Solution) -> Solution {
        let before = start.value(objective)
        let better = solution.objective != nil && solution.value(objective) <= before + 1e-9 * max(1, abs(before))
        let kept = better ? solution : start
        return Solution(
            termination: solution.termination,
            status: better ? solution.status : (solution.termination == .optimal ? .optimal : .feasible),
            objective: kept.value(own), bound: solution.bound.map { max($0 - weight * above.value, lowest) },
            values: kept.values, statistics: solution.statistics)
    }

    /// The relative gap for the merged search that leaves the own tier the gap asked of it.
    func relativeGap(_ asked: Double) -> Double {
        asked == 0 ? 0 : asked * max(1, abs(start.value(own))) / max(1, abs(start.value(objective)))
    }

    /// The least the expression can be within the variables' bounds, if finite.
    static func lowest(_ expression: LinearExpression, in model: Model) -> Double? {
        var total = expression.constant
        for term in expression.terms {
            guard let definition = model.definition(of: term.variable) else { return nil }
            total += term.coefficient * (term.coefficient >= 0 ? definition.lower : definition.upper)
        }
        return total.isFinite ? total : nil
    }

    /// The stage held (`held`, two ways at once) for ``SearchStrategy/heldShare`` of its time, and,
    /// unproven, then merged (`merged`, two ways at once) from the best roster so far: the
    /// held search's bound is the stronger, the merged search's rosters the better; the
    /// stage takes the better roster and the higher bound.
    func solve(
        held: Model, merged: Model, portfolio: Portfolio, options: SolveOptions,
        monitor: SolveMonitor?
    ) throws(SolverError) -> Solution {
        let limit = options.timeLimit ?? .infinity
        // A start already at the own tier's least value is optimal as it is.
        if start.value(own) <= lowest + 1e-9 * max(1, abs(lowest)) {
            return Solution(
                termination: .optimal, status: .optimal, objective: start.value(own), bound: lowest,
                values: start.values,
                statistics: SolveStatistics(seconds: 0, nodes: 0))
        }
        var first = options
        first.timeLimit = limit * SearchStrategy.heldShare
        first.stallLimit = SearchStrategy.stall(limit * SearchStrategy.heldShare)
        let heldRun = try portfolio.solve(held, options: first, monitor: monitor)
        guard heldRun.termination == .timeLimit else { return heldRun }
        let from =
            heldRun.objective != nil && heldRun.value(objective) < start.value(objective)
            ? self.restarted(from: heldRun) : self
        var second = options
        second.timeLimit = max(0.05, limit - heldRun.statistics.seconds)
        second.relativeGap = from.relativeGap(options.relativeGap)
        let mergedRun = from.translated(try portfolio.solve(merged, options: second, monitor: monitor.map(inOwnTerms)))
        return RosterSolver.combined(heldRun, mergedRun, step: held.objectiveStep)
    }

    /// The monitor with the merged search's values in the own tier's terms (its rosters
    /// are optimal above, its bound counted from the optimum above).
    private func inOwnTerms(_ monitor: SolveMonitor) -> SolveMonitor {
        let offset = weight * above.value
        let lowest = lowest
        return SolveMonitor(
            interval: monitor.interval,
            report: { progress in
                monitor.report(
                    SolveMonitor.Progress(
                        incumbent: progress.incumbent.map { $0 - offset },
                        bound: progress.bound.map { max($0 - offset, lowest) },
                        nodes: progress.nodes, seconds: progress.seconds))
            }, found: { monitor.found($0 - offset) }, shouldStop: monitor.shouldStop)
    }

    /// The same merge from a better roster.
    private func restarted(from roster: Solution) -> MergedTier {
        MergedTier(above: above, own: own, weight: weight, start: roster, lowest: lowest)
    }
}
