import Foundation
import GLPKSolver
import MIP
import Testing

@Suite("Why the solver stopped and what it found")
struct StatusTests {
    @Test("an infeasible model reports infeasible and no solution, with or without presolve", arguments: [true, false])
    func infeasible(presolve: Bool) throws {
        var model = Model()
        let x = model.addBinary("x")
        let y = model.addBinary("y")
        model.addConstraint("both", x + y >= 3)
        model.maximize(x + y)
        let solution = try GLPKSolver.solve(model, options: SolveOptions(presolve: presolve))
        #expect(solution.termination == .infeasible)
        #expect(solution.status == .none)
        #expect(solution.objective == nil)
        #expect(solution.value(x) == nil)
    }

    @Test("an unbounded model reports unbounded, with or without presolve", arguments: [true, false])
    func unbounded(presolve: Bool) throws {
        var model = Model()
        let x = model.addVariable("x", kind: .integer)
        let y = model.addVariable("y")
        model.addConstraint("link", x - y <= 3)
        model.maximize(x + y)
        let solution = try GLPKSolver.solve(model, options: SolveOptions(presolve: presolve))
        #expect(solution.termination == .unbounded)
        #expect(solution.status == .none)
    }

    @Test("a time limit stops a hard search with its incumbent reported feasible, not optimal")
    func timeLimit() throws {
        let model = hardKnapsack(items: 70, dimensions: 8)
        let solution = try GLPKSolver.solve(model, options: SolveOptions(timeLimit: 0.5, cuts: []))
        #expect(solution.termination == .timeLimit)
        #expect(solution.status == .feasible)
        let objective = try #require(solution.objective)
        let bound = try #require(solution.bound)
        #expect(bound >= objective)  // maximizing: the bound lies above the incumbent
        #expect((solution.relativeGap ?? 0) > 0)
        #expect(satisfies(model, solution.values))
        // Honoured on the wall clock, with generous slack for a busy machine.
        #expect(solution.statistics.seconds < 5)
    }

    @Test("a search whose roster and bound stop changing ends at its stall limit, long before its time limit")
    func stallLimit() throws {
        // Odd parity: 41 binaries counted twice must leave a remainder of 1, which the LP
        // spreads away (bound 0) and branch and bound proves only by visiting an exponential
        // tree. The first roster is the optimum; nothing changes after it.
        var model = Model()
        let x = (0..<41).map { model.addBinary("x\($0)") }
        let z = model.addBinary("z")
        model.addConstraint("parity", x.reduce(LinearExpression()) { $0 + 2 * $1 } + z == 41)
        model.minimize(1 * z)
        let options = SolveOptions(timeLimit: 120, presolve: false, cuts: [])
        var stalling = options
        stalling.stallLimit = 0.3
        let solution = try GLPKSolver.solve(model, options: stalling)
        #expect(solution.termination == .timeLimit && solution.status == .feasible)
        #expect(solution.objective == 1 && solution.bound == 0)
        #expect(solution.statistics.seconds < 60)
        #expect(satisfies(model, solution.values))
        // A stall limit must be a positive number of seconds.
        stalling.stallLimit = 0
        #expect(!stalling.validate().isEmpty)
    }

    @Test("a bound known from outside ends the search, proven, once the incumbent reaches it")
    func knownBound() throws {
        let model = hardKnapsack(items: 70, dimensions: 8)
        let first = try GLPKSolver.solve(model, options: SolveOptions(timeLimit: 0.5, cuts: []))
        let value = try #require(first.objective)
        // From that roster alone, half a second more does not prove it.
        let unaided = try GLPKSolver.solve(model, options: SolveOptions(timeLimit: 0.5, cuts: [], start: first.values))
        #expect(unaided.termination == .timeLimit)
        // Told that nothing beats it, the search stops at once.
        let told = try GLPKSolver.solve(
            model, options: SolveOptions(timeLimit: 30, cuts: [], start: first.values, knownBound: value))
        #expect(told.termination == .optimal && told.status == .optimal)
        #expect(told.objective == value && told.bound == value)
        #expect(told.statistics.seconds < 5)
    }

    @Test(
        "each better solution's objective reaches the monitor as the search finds it, the last one being the result's")
    func foundSolutions() throws {
        let model = hardKnapsack(items: 40, dimensions: 5)
        final class Found: @unchecked Sendable {
            let lock = NSLock()
            var values: [Double] = []
        }
        let found = Found()
        let monitor = SolveMonitor(
            interval: .infinity, found: { value in found.lock.withLock { found.values.append(value) } })
        let solution = try GLPKSolver.solve(model, options: SolveOptions(timeLimit: 2, cuts: []), monitor: monitor)
        let values = found.lock.withLock { found.values }
        #expect(values.count >= 2)
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 }, "\(values)")  // maximizing: each one better
        #expect(abs((values.last ?? .nan) - (solution.objective ?? .nan)) < 1e-6)
    }

    @Test("a requested gap stops the search early and says so")
    func gapReached() throws {
        let model = hardKnapsack(items: 70, dimensions: 8)
        let solution = try GLPKSolver.solve(model, options: SolveOptions(timeLimit: 30, relativeGap: 0.2))
        #expect(solution.termination == .gapReached || solution.termination == .optimal)
        #expect(solution.status != .none)
        #expect(try #require(solution.relativeGap) <= 0.2 + 1e-9)
    }

    @Test("invalid options are refused before GLPK runs")
    func invalidOptions() {
        var model = Model()
        model.minimize(LinearExpression(model.addBinary("x")))
        #expect(throws: SolverError.invalidOptions(["time limit -1.0 must be a finite number of seconds, 0 or more"])) {
            try GLPKSolver.solve(model, options: SolveOptions(timeLimit: -1))
        }
        #expect(throws: SolverError.invalidOptions(["relative gap nan must be a finite number, 0 or more"])) {
            try GLPKSolver.solve(model, options: SolveOptions(relativeGap: .nan))
        }
        let share = model.addVariable("share", upper: 1)
        #expect(
            throws: SolverError.invalidOptions([
                "branching order names share, which is continuous; only integer or binary variables can be branched on",
                "branching order names variable #7, which is not in this model (it has 2 variables)",
            ])
        ) {
            var other = Model()
            let foreign = (0..<8).map { other.addBinary("b\($0)") }.last!
            return try GLPKSolver.solve(model, options: SolveOptions(branchFirst: [share, foreign]))
        }
    }
}

/// A correlated multidimensional 0-1 knapsack: the empty set is feasible, so an
/// incumbent comes at once, but proving the optimum takes GLPK far longer than a second.
func hardKnapsack(items: Int, dimensions: Int, seed: UInt64 = 7) -> Model {
    var random = SeededGenerator(seed: seed)
    var model = Model()
    let take = (0..<items).map { model.addBinary("take\($0)") }
    var value = LinearExpression()
    var weights = Array(repeating: [Double](), count: dimensions)
    for index in 0..<items {
        var total = 0.0
        for d in 0..<dimensions {
            let weight = Double(Int.random(in: 100...1000, using: &random))
            weights[d].append(weight)
            total += weight
        }
        value.add((total / Double(dimensions)).rounded() + Double(Int.random(in: 0...50, using: &random)), take[index])
    }
    for d in 0..<dimensions {
        let capacity = (weights[d].reduce(0, +) / 2).rounded()
        model.addConstraint("capacity\(d)", .sum(zip(weights[d], take)) <= capacity)
    }
    model.maximize(value)
    return model
}
