import Foundation
import GLPKSolver
import MIP
import Testing

@testable import RosterSolver

@Suite("Stage solves")
struct StageSolveTests {
    private func run(
        _ objective: Double?, bound: Double?, _ termination: TerminationReason, value: Double, seconds: Double
    ) -> Solution {
        Solution(
            termination: termination, status: objective == nil ? .none : .feasible, objective: objective, bound: bound,
            values: [value], statistics: SolveStatistics(seconds: seconds, nodes: 10))
    }

    @Test(
        "a stage GLPK calls infeasible under tiers held tight runs again with room: no stage of a feasible week ends infeasible"
    )
    func heldTierLeavesRoom() throws {
        let plan = try planAndValidate(try bundled("regressions/varied-rules-seed21.yaml"), timeLimit: 600)
        #expect(plan.solver.stages.map(\.tier) == [1, 2, 4])
        #expect(!plan.solver.stages.contains { $0.stopped == .infeasible })
        #expect(plan.solver.stages.allSatisfy { $0.objective != nil })
    }

    @Test(
        "a tier searched with the proven tier above it gives the lexicographic optimum: one step above outweighs any gain below"
    )
    func mergedTierIsLexicographic() throws {
        var model = Model()
        let x = model.addBinary("x")
        let y = model.addBinary("y")
        let z = model.addBinary("z")
        model.addConstraint("cover", LinearExpression.sum([x, y, z]) >= 2)
        // Tier 1 (x) is proven at 0 by the roster y = z = 1; tier 2 then costs 3y + 2z = 5.
        // Weighted 1:1 the stage would give up tier 1 for x + z = 3.
        let above = RosterSolver.HeldTier(tier: 1, objective: LinearExpression(x), value: 0, step: 1, proven: true)
        let own = 3 * LinearExpression(y) + 2 * LinearExpression(z)
        let start = Solution(
            termination: .optimal, status: .optimal, objective: 0, bound: 0, values: [0, 1, 1],
            statistics: SolveStatistics(seconds: 0, nodes: 0))
        let merged = try #require(MergedTier(above: above, own: own, ownStep: 1, incumbent: start, model: model))
        #expect(merged.weight * 1 > 5)
        model.minimize(merged.objective)
        let solved = merged.translated(try GLPKSolver.solve(model, options: SolveOptions(timeLimit: nil)))
        #expect(
            solved.termination == .optimal && solved.objective == 5 && solved.bound.map { abs($0 - 5) < 1e-6 } == true)
        #expect(solved.values.map { $0.rounded() } == [0, 1, 1])
        // Unproven above, the tier is held instead.
        let unproven = RosterSolver.HeldTier(tier: 1, objective: LinearExpression(x), value: 0, step: 1, proven: false)
        #expect(MergedTier(above: unproven, own: own, ownStep: 1, incumbent: start, model: model) == nil)
        // A stage roster worse than the start on the merged objective leaves the start.
        let worse = Solution(
            termination: .timeLimit, status: .feasible, objective: 8, bound: 4, values: [1, 0, 1],
            statistics: SolveStatistics(seconds: 1, nodes: 3))
        let kept = merged.translated(worse)
        #expect(kept.values == [0, 1, 1] && kept.objective == 5 && kept.bound == 4 && kept.termination == .timeLimit)
    }

    @Test(
        "two runs of one stage: the better roster, the higher bound, and optimal once they meet at the objective's step"
    )
    func combinedRuns() {
        let first = run(60, bound: 56, .timeLimit, value: 1, seconds: 5)
        let second = run(58, bound: 57, .timeLimit, value: 2, seconds: 50)
        let both = RosterSolver.combined(first, second, step: 1)
        #expect(both.objective == 58 && both.bound == 57 && both.values == [2])
        #expect(both.termination == .timeLimit && both.status == .feasible)
        #expect(both.statistics.seconds == 55 && both.statistics.nodes == 20)
        // A bound of 57.2 on an objective that moves in whole steps proves 58.
        let proven = RosterSolver.combined(
            run(58, bound: 55, .timeLimit, value: 1, seconds: 5),
            run(59, bound: 57.2, .timeLimit, value: 2, seconds: 9), step: 1)
        #expect(
            proven.termination == .optimal && proven.status == .optimal && proven.objective == 58
                && proven.values == [1])
        // Without a step the bound must reach the objective itself.
        #expect(
            RosterSolver.combined(
                run(58, bound: 55, .timeLimit, value: 1, seconds: 5),
                run(59, bound: 57.2, .timeLimit, value: 2, seconds: 9), step: nil
            ).status == .feasible)
        // A second run that found nothing keeps the first roster.
        #expect(
            RosterSolver.combined(first, run(nil, bound: 57, .timeLimit, value: 0, seconds: 50), step: 1).objective
                == 60)
    }

    @Test(
        "a stage run again with the time the stages below left: the better roster, the higher bound, optimal once the bound reaches it"
    )
    func stageRunAgain() {
        let first = StageSummary(
            tier: 2, stopped: .timeLimit, objective: 23, bound: 20, gap: 0.13, seconds: 4, nodes: 1900)
        // The second search finds the optimum and proves it.
        let found = first.resumed(by: run(22, bound: 22, .optimal, value: 1, seconds: 3), step: 1)
        #expect(found.stopped == .optimal && found.objective == 22 && found.bound == 22 && found.gap == 0)
        #expect(found.seconds == 7 && found.nodes == 1910 && found.outcome == .best)
        // It proves the first roster: a bound of 22.2 on whole steps reaches 23.
        let proved = first.resumed(by: run(23, bound: 22.2, .timeLimit, value: 1, seconds: 3), step: 1)
        #expect(proved.stopped == .optimal && proved.objective == 23 && proved.outcome == .best)
        // Neither: the higher bound stands, and the stage is still within its gap.
        let neither = first.resumed(by: run(23, bound: 21.5, .timeLimit, value: 1, seconds: 3), step: 1)
        #expect(neither.stopped == .timeLimit && neither.bound == 21.5 && neither.outcome == .within(1.5))
        // A second search that reached no bound keeps the first one's.
        #expect(first.resumed(by: run(23, bound: nil, .timeLimit, value: 1, seconds: 3), step: 1).bound == 20)
    }

    @Test("a better roster may cost a whole objective step less, or anything less without steps")
    func mayImprove() {
        #expect(LoadLevels.mayImprove(60, from: 59, step: 1))
        #expect(!LoadLevels.mayImprove(60, from: 59.5, step: 1))
        #expect(!LoadLevels.mayImprove(60, from: 59, step: 2))
        #expect(LoadLevels.mayImprove(60, from: 59.5, step: nil))
        #expect(!LoadLevels.mayImprove(60, from: 60, step: nil))
        // GLPK's 75 arrives as 74.999998: a level whose floor is 74 may still beat it (varied seed 21's
        // tier 4 stopped there unproven, with 7 s left, before this was so).
        #expect(LoadLevels.mayImprove(74.99999799259247, from: 74, step: 1))
        #expect(!LoadLevels.mayImprove(75.000002, from: 74.5, step: 1))
    }

    @Test(
        "tier 4 by load levels reaches the optimum one whole search proves, on the stage as planned",
        arguments: ["cedar-grove-mixed.yaml", "generated-36-seed2.yaml", "willow-keepapart-absences.yaml"])
    func loadLevelsMatchOneSearch(file: String) throws {
        let model = try tierFourStage(file)
        let busiest = try #require(model.allVariables.first { model.definition(of: $0)?.name == "busiest_load" })
        let weight = try #require(model.objectiveTerms.first { $0.variable == busiest }?.coefficient)
        let order =
            [busiest] + model.allVariables.filter { model.definition(of: $0)?.name.hasPrefix("sections(") == true }
        let options = SolveOptions(timeLimit: nil, branchFirst: order)
        let levels = try LoadLevels(busiest: busiest, weight: weight).solve(model, options: options, monitor: nil)
        let whole = try GLPKSolver.solve(model, options: options)
        #expect(levels.termination == .optimal && whole.termination == .optimal)
        #expect(levels.objective == whole.objective)
        #expect(levels.bound == levels.objective)
        let values = try #require(levels.values.isEmpty ? nil : levels.values)
        #expect(abs(model.objectiveValue(at: values) - (levels.objective ?? .nan)) < 1e-6)
        for row in model.constraints {
            let activity = row.terms.reduce(0.0) { $0 + $1.coefficient * values[$1.variable.index] }
            #expect(activity >= row.lower - 1e-6 && activity <= row.upper + 1e-6, "\(row.name)")
        }
    }

    @Test(
        "two ways at once: a settled search wins; otherwise the better roster with the higher bound, proven where they meet"
    )
    func portfolioPicksTheBetter() {
        let proven = run(58, bound: 58, .optimal, value: 1, seconds: 2)
        let stopped = run(60, bound: 55, .timeLimit, value: 2, seconds: 2)
        let settled = Portfolio.better(stopped, proven, seconds: 2.5, step: 1)
        #expect(settled.termination == .optimal && settled.objective == 58 && settled.values == [1])
        #expect(settled.statistics.seconds == 2.5 && settled.statistics.nodes == 20)
        let other = run(59, bound: 58.5, .timeLimit, value: 3, seconds: 2)
        let both = Portfolio.better(stopped, other, seconds: 2, step: 1)
        // 59 with a bound of 58.5 on a whole-number objective: nothing cheaper than 59 exists.
        #expect(both.termination == .optimal && both.objective == 59 && both.values == [3])
        let open = Portfolio.better(stopped, run(61, bound: 56, .timeLimit, value: 4, seconds: 2), seconds: 2, step: 1)
        #expect(open.termination == .timeLimit && open.objective == 60 && open.bound == 56)
    }

    @Test("the portfolio proves what one search proves, on a model both ways can solve")
    func portfolioSolves() throws {
        var model = Model()
        let take = (0..<12).map { model.addBinary("take\($0)") }
        let weights = [12.0, 7, 11, 8, 9, 6, 5, 14, 3, 10, 4, 13]
        model.addConstraint("weight", LinearExpression.sum(zip(weights, take).map { ($0, $1) }) <= 40)
        model.minimize(-LinearExpression.sum(zip(weights.map { $0 + 1 }, take).map { ($0, $1) }))
        let alone = try GLPKSolver.solve(model, options: SolveOptions(timeLimit: nil))
        let both = try Portfolio(otherCuts: []).solve(model, options: SolveOptions(timeLimit: nil), monitor: nil)
        #expect(both.termination == .optimal && both.objective == alone.objective)
    }

    @Test(
        "a stage's outcome: best when optimal, within its gap in points, kept from above without a roster, not run without time"
    )
    func stageOutcomes() {
        func stage(_ stopped: TerminationReason, _ objective: Double?, _ bound: Double?, seconds: Double = 1)
            -> StageSummary.Outcome
        {
            StageSummary(
                tier: 4, stopped: stopped, objective: objective, bound: bound, gap: nil, seconds: seconds, nodes: 0
            ).outcome
        }
        #expect(stage(.optimal, 56, 56) == .best)
        #expect(stage(.timeLimit, 90, 83) == .within(7))
        #expect(stage(.timeLimit, 90, nil) == .unproven)
        #expect(stage(.timeLimit, nil, nil) == .keptPrevious)
        #expect(stage(.timeLimit, nil, nil, seconds: 0) == .notRun)
    }

    @Test(
        "the levels stop at the first level whose floor cannot beat the quick search's roster, and find the optimum without one"
    )
    func levelsCutOffByTheQuickSearch() throws {
        let model = try tierFourStage("generated-36-seed2.yaml")
        let busiest = try #require(model.allVariables.first { model.definition(of: $0)?.name == "busiest_load" })
        let weight = try #require(model.objectiveTerms.first { $0.variable == busiest }?.coefficient)
        var rest = model
        rest.minimize(
            LinearExpression(
                terms: model.objectiveTerms.filter { $0.variable != busiest }, constant: model.objectiveConstant))
        // Proven with the sections first, as tier 4 does (GLPK's own branching does not prove it in a minute).
        let sections = model.allVariables.filter { model.definition(of: $0)?.name.hasPrefix("sections(") == true }
        let restSolution = try GLPKSolver.solve(rest, options: SolveOptions(branchFirst: sections))
        #expect(restSolution.termination == .optimal)
        let floor = try #require(restSolution.objective)
        let levels = LoadLevels(busiest: busiest, weight: weight)
        let deadline = ContinuousClock().now.advanced(by: .seconds(3_600))
        let lowest = (model.definition(of: busiest)?.lower ?? 0).rounded(.up)

        // A roster costing the rest's optimum beats every level (each costs that plus its load): nothing is searched.
        let beaten = try levels.searchLevels(
            model, from: floor, options: SolveOptions(), until: deadline, quickBest: { floor },
            abandon: { false }, monitor: nil, stageStart: ContinuousClock().now)
        #expect(beaten.best == nil && beaten.nodes == 0)
        #expect(beaten.openBounds == [floor + weight * lowest])

        // Without one, the levels find the optimum (56: 26 sections and a busiest load of 4) and stop above it.
        let alone = try levels.searchLevels(
            model, from: floor, options: SolveOptions(), until: deadline, quickBest: { nil },
            abandon: { false }, monitor: nil, stageStart: ContinuousClock().now)
        #expect(alone.best?.objective == 56)
        #expect(alone.openBounds.allSatisfy { $0 >= 56 } && !alone.interrupted)
        let values = try #require(alone.best?.values)
        for row in model.constraints {
            let activity = row.terms.reduce(0.0) { $0 + $1.coefficient * values[$1.variable.index] }
            #expect(activity >= row.lower - 1e-6 && activity <= row.upper + 1e-6, "\(row.name)")
        }
    }
}

@Suite("Tier 4 of the 60-client week")
struct StageProgressTests {
    /// Reports received from a solve, from any thread.
    private final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var incumbents: [Double] = []
        func add(_ value: Double?) { if let value { lock.withLock { incumbents.append(value) } } }
        var all: [Double] { lock.withLock { incumbents } }
    }

    /// The bundled 60-client week's tier-4 stage, as planning writes it.
    private func sixtyClientTierFour() throws -> (model: Model, busiest: Variable, weight: Double) {
        let model = try tierFourStage("generated-60-seed1.yaml")
        let busiest = try #require(model.allVariables.first { model.definition(of: $0)?.name == "busiest_load" })
        let weight = try #require(model.objectiveTerms.first { $0.variable == busiest }?.coefficient)
        return (model, busiest, weight)
    }

    @Test(
        "the lowest busiest load of the 60-client week is 3: levels 0-2 are shown infeasible, level 3 is not (HiGHS's optimum has load 3)"
    )
    func lowestLoad() throws {
        let (model, busiest, weight) = try sixtyClientTierFour()
        // No deadline that a slow machine could reach first.
        let deadline = ContinuousClock().now.advanced(by: .seconds(3_600))
        #expect(
            try LoadLevels(busiest: busiest, weight: weight).lowestLoad(model, until: deadline, probeLimit: 3_600) == 3)
    }

    @Test(
        "progress during tier 4 by levels never shows a roster cheaper than the one it ends with (the week without the load charge costs less by the load)"
    )
    func progressInStageUnits() throws {
        let (model, busiest, weight) = try sixtyClientTierFour()
        let sections = model.allVariables.filter { model.definition(of: $0)?.name.hasPrefix("sections(") == true }
        // Any roster will do as the start: the first one found (a gap of 100% ends the search), however long it takes.
        let start = try #require(
            try GLPKSolver.solve(model, options: SolveOptions(timeLimit: nil, relativeGap: 1)).values.nilIfEmpty)
        let reports = Reports()
        let monitor = SolveMonitor(interval: 0.2, report: { reports.add($0.incumbent) })
        // Too little time to prove the week without the load charge: the levels cannot be bounded.
        let solution = try LoadLevels(busiest: busiest, weight: weight)
            .solve(
                model, options: SolveOptions(timeLimit: 4, start: start, branchFirst: [busiest] + sections),
                monitor: monitor)
        let objective = try #require(solution.objective)
        #expect(!reports.all.isEmpty)
        #expect(reports.all.allSatisfy { $0 >= objective - 1e-6 }, "reported \(reports.all), ended at \(objective)")
    }
}

extension Array {
    fileprivate var nilIfEmpty: Self? { isEmpty ? nil : self }
}

/// A bundled week's tier-4 stage as planning writes it, with tiers 1-3 searched to their end
/// (however long that takes) and tier 4 stopped as soon as it starts: the same model on a
/// fast machine and a slow one.
func tierFourStage(_ file: String) throws -> Model {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iop-stage-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let stopTierFour: @Sendable (Int) -> SolveMonitor = { tier in
        SolveMonitor(interval: .infinity, shouldStop: { tier == 4 })
    }
    let plan = try RosterSolver.plan(
        try bundled(file), options: PlanOptions(timeLimit: 3_600, stageModels: directory, monitor: stopTierFour))
    #expect(plan.solver.stages.filter { $0.tier < 4 }.allSatisfy { $0.stopped == .optimal })
    return try GLPKSolver.readLP(path: "\(directory)/tier4.lp")
}
