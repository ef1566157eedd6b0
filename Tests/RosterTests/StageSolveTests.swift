import MIP
@testable import RosterSolver
import Testing

@Suite("Stage solves")
struct StageSolveTests {
    private func run(_ objective: Double?, bound: Double?, _ termination: TerminationReason, value: Double, seconds: Double) -> Solution {
        Solution(termination: termination, status: objective == nil ? .none : .feasible, objective: objective, bound: bound,
                 values: [value], statistics: SolveStatistics(seconds: seconds, nodes: 10))
    }

    @Test("two runs of one stage: the better roster, the higher bound, and optimal once they meet at the objective's step")
    func combinedRuns() {
        let first = run(60, bound: 56, .timeLimit, value: 1, seconds: 5)
        let second = run(58, bound: 57, .timeLimit, value: 2, seconds: 50)
        let both = RosterSolver.combined(first, second, step: 1)
        #expect(both.objective == 58 && both.bound == 57 && both.values == [2])
        #expect(both.termination == .timeLimit && both.status == .feasible)
        #expect(both.statistics.seconds == 55 && both.statistics.nodes == 20)
        // A bound of 57.2 on an objective that moves in whole steps proves 58.
        let proven = RosterSolver.combined(run(58, bound: 55, .timeLimit, value: 1, seconds: 5), run(59, bound: 57.2, .timeLimit, value: 2, seconds: 9), step: 1)
        #expect(proven.termination == .optimal && proven.status == .optimal && proven.objective == 58 && proven.values == [1])
        // Without a step the bound must reach the objective itself.
        #expect(RosterSolver.combined(run(58, bound: 55, .timeLimit, value: 1, seconds: 5), run(59, bound: 57.2, .timeLimit, value: 2, seconds: 9), step: nil).status == .feasible)
        // A second run that found nothing keeps the first roster.
        #expect(RosterSolver.combined(first, run(nil, bound: 57, .timeLimit, value: 0, seconds: 50), step: 1).objective == 60)
    }
}
