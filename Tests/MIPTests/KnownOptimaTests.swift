import GLPKSolver
import MIP
import Testing

@Suite("Known optima")
struct KnownOptimaTests {
    @Test("a 0-1 knapsack picks the best-valued items that fit")
    func knapsack() throws {
        // Values 60, 100, 120 with weights 10, 20, 30 and capacity 50: take items 2 and 3.
        var model = Model()
        let items = (0..<3).map { model.addBinary("take\($0)") }
        model.addConstraint("weight", 10 * items[0] + 20 * items[1] + 30 * items[2] <= 50)
        model.maximize(60 * items[0] + 100 * items[1] + 120 * items[2])
        let solution = try GLPKSolver.solve(model)
        #expect(solution.termination == .optimal)
        #expect(solution.status == .optimal)
        #expect(solution.objective == 220)
        #expect(solution.bound == 220)
        #expect(items.map(solution.isSet) == [false, true, true])
        #expect(bruteForceOptimum(model) == 220)
    }

    @Test("an assignment problem finds the cheapest perfect matching")
    func assignment() throws {
        let cost: [[Double]] = [[9, 2, 7, 8], [6, 4, 3, 7], [5, 8, 1, 8], [7, 6, 9, 4]]
        var model = Model()
        let x = (0..<4).map { worker in (0..<4).map { task in model.addBinary("x(\(worker),\(task))") } }
        for i in 0..<4 {
            model.addConstraint("worker\(i)", LinearExpression.sum(x[i]) == 1)
            model.addConstraint("task\(i)", LinearExpression.sum((0..<4).map { x[$0][i] }) == 1)
        }
        model.minimize(.sum((0..<4).flatMap { i in (0..<4).map { j in (cost[i][j], x[i][j]) } }))
        let solution = try GLPKSolver.solve(model)
        #expect(solution.status == .optimal)
        #expect(solution.objective == 13)  // 2 + 6 + 1 + 4
        #expect(solution.objective == bruteForceOptimum(model))
        #expect(satisfies(model, solution.values))
    }

    @Test("a set cover chooses the cheapest sets covering every element")
    func setCover() throws {
        let sets: [(cost: Double, elements: Set<Int>)] = [
            (3, [1, 2, 3]), (2, [2, 4]), (2, [3, 4]), (4, [4, 5, 6]), (1, [5]), (3, [1, 6]),
        ]
        var model = Model()
        let chosen = sets.indices.map { model.addBinary("set\($0)") }
        for element in 1...6 {
            let covering = sets.indices.filter { sets[$0].elements.contains(element) }.map { chosen[$0] }
            model.addConstraint("cover\(element)", LinearExpression.sum(covering) >= 1)
        }
        model.minimize(.sum(sets.indices.map { (sets[$0].cost, chosen[$0]) }))
        let solution = try GLPKSolver.solve(model)
        #expect(solution.status == .optimal)
        #expect(solution.objective == 7)  // {1,2,3} + {4,5,6}
        #expect(solution.objective == bruteForceOptimum(model))
    }

    @Test("random tiny integer models match brute force", arguments: 0..<40)
    func randomTinyModels(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let model = randomModel(&random)
        let reference = bruteForceOptimum(model)
        // Half the seeds with GLPK's presolve; every third branching on pseudocosts; every
        // fourth branching on its integer variables first, last column first; every fifth
        // without our reduction.
        let order =
            seed % 4 == 1 ? model.allVariables.filter { model.definition(of: $0)?.kind != .continuous }.reversed() : []
        let solution = try GLPKSolver.solve(
            model,
            options: SolveOptions(
                presolve: seed % 2 == 0,
                branching: seed % 3 == 0 ? .pseudocost : .driebeckTomlin,
                branchFirst: order, reduce: seed % 5 != 0))
        if let reference {
            #expect(solution.termination == .optimal)
            #expect(abs((solution.objective ?? .nan) - reference) < 1e-6)
            #expect(satisfies(model, solution.values))
        } else {
            #expect(solution.termination == .infeasible)
            #expect(solution.status == .none)
        }
    }

    @Test("a pure LP with continuous variables is solved exactly")
    func continuousLP() throws {
        var model = Model()
        let x = model.addVariable("x")
        let y = model.addVariable("y")
        model.addConstraint("c1", x + 2 * y <= 14)
        model.addConstraint("c2", 3 * x - y >= 0)
        model.addConstraint("c3", x - y <= 2)
        model.maximize(3 * x + 4 * y)
        let solution = try GLPKSolver.solve(model)
        #expect(solution.status == .optimal)
        #expect(abs((solution.value(x) ?? 0) - 6) < 1e-9)
        #expect(abs((solution.value(y) ?? 0) - 4) < 1e-9)
        #expect(abs((solution.objective ?? 0) - 34) < 1e-9)
    }

    @Test("an objective constant and a fixed variable are honoured")
    func constantAndFixed() throws {
        var model = Model()
        let x = model.addVariable("x", kind: .integer, lower: 2, upper: 2)
        let y = model.addVariable("y", kind: .integer, lower: 0, upper: 10)
        model.addConstraint("sum", x + y <= 5)
        model.maximize(x + y + 100)
        let solution = try GLPKSolver.solve(model)
        #expect(solution.objective == 105)
        #expect(solution.value(x) == 2)
    }
}

/// A random model over 2-6 integer variables with domains of 1-4 values, 1-4 rows.
func randomModel(_ random: inout SeededGenerator) -> Model {
    var model = Model()
    let count = Int.random(in: 2...6, using: &random)
    let variables = (0..<count).map { index -> Variable in
        if Bool.random(using: &random) {
            return model.addBinary("b\(index)")
        }
        let lower = Double(Int.random(in: -2...1, using: &random))
        return model.addVariable(
            "i\(index)", kind: .integer, lower: lower, upper: lower + Double(Int.random(in: 0...3, using: &random)))
    }
    for row in 0..<Int.random(in: 1...4, using: &random) {
        var expression = LinearExpression()
        for variable in variables where Int.random(in: 0..<3, using: &random) > 0 {
            expression.add(Double(Int.random(in: -5...5, using: &random)), variable)
        }
        let rhs = Double(Int.random(in: -4...8, using: &random))
        switch Int.random(in: 0..<3, using: &random) {
        case 0: model.addConstraint("r\(row)", expression <= rhs)
        case 1: model.addConstraint("r\(row)", expression >= rhs - 6)
        default: model.addConstraint("r\(row)", expression, lower: rhs - 3, upper: rhs)
        }
    }
    let objective = LinearExpression.sum(variables.map { (Double(Int.random(in: -6...6, using: &random)), $0) })
    if Bool.random(using: &random) { model.maximize(objective) } else { model.minimize(objective) }
    return model
}
