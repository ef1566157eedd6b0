import GLPKSolver
import MIP
import Testing

@Suite("Presolve: propagation and probing")
struct PresolveTests {
    @Test("rows that force values fix them, and the bounds they imply tighten the others")
    func propagationFixes() throws {
        var model = Model()
        let x = model.addBinary("x")
        let y = model.addBinary("y")
        let z = model.addVariable("z", kind: .integer, lower: 0, upper: 10)
        model.addConstraint("both", x + y >= 2)
        model.addConstraint("z_small", z - 3 * y <= 1)
        model.maximize(z + x)
        let reduced = try #require(Presolve.reduce(model))
        #expect(reduced.model.variables.count == 1)
        #expect(reduced.column(for: x) == nil && reduced.column(for: y) == nil)
        let column = try #require(reduced.column(for: z))
        #expect(reduced.model.definition(of: column)?.upper == 4)
        // Both rows are now met by every point of the box, so none is left.
        #expect(reduced.model.constraints.isEmpty)
        #expect(reduced.originalValues([4]) == [1, 1, 4])
        let solution = try GLPKSolver.solve(model)
        #expect(solution.objective == 5 && solution.values == [1, 1, 4])
    }

    @Test("probing merges a binary that always equals another, or its complement, into one column")
    func probingLinks() throws {
        var model = Model()
        let a = model.addBinary("a")
        let b = model.addBinary("b")
        let c = model.addBinary("c")
        let d = model.addVariable("d", kind: .integer, lower: 0, upper: 3)
        model.addConstraint("b_follows_a", a - b, lower: 0, upper: 0)
        model.addConstraint("c_opposite_a", a + c == 1)
        model.addConstraint("d_needs", d - a - b - c <= 0)
        model.maximize(d - a)
        let reduced = try #require(Presolve.reduce(model))
        let column = try #require(reduced.column(for: a))
        #expect(reduced.column(for: b) == column && reduced.column(for: c) == column)
        #expect(reduced.model.variables.count == 2)
        // a = 1 means b = 1 and c = 0.
        let back = reduced.originalValues(reduced.reducedValues([1, 1, 0, 2]))
        #expect(back == [1, 1, 0, 2])
        let solution = try GLPKSolver.solve(model)
        #expect(solution.objective == 1 && satisfies(model, solution.values))
    }

    @Test("probing fixes a binary whose one value cannot be met")
    func probingFixes() throws {
        var model = Model()
        let x = model.addBinary("x")
        let y1 = model.addBinary("y1")
        let y2 = model.addBinary("y2")
        model.addConstraint("x_needs_y1", x - y1 <= 0)
        model.addConstraint("x_needs_y2", x - y2 <= 0)
        model.addConstraint("one_y", y1 + y2 <= 1)
        model.maximize(x + y1)
        let reduced = try #require(Presolve.reduce(model))
        #expect(reduced.column(for: x) == nil)
        #expect(reduced.originalValues(Array(repeating: 0, count: reduced.model.variables.count))[0] == 0)
    }

    @Test("a model propagation proves infeasible is reported infeasible without a search")
    func infeasible() throws {
        var model = Model()
        let x = model.addBinary("x")
        let y = model.addBinary("y")
        model.addConstraint("too_much", x + y >= 3)
        model.minimize(LinearExpression(x))
        #expect(Presolve.reduce(model) == nil)
        let solution = try GLPKSolver.solve(model)
        #expect(solution.termination == .infeasible && solution.status == .none && solution.values.isEmpty)
    }

    @Test("no feasible point is lost or added, and each keeps its objective", arguments: 0..<150)
    func keepsEveryPoint(seed: UInt64) throws {
        var random = SeededGenerator(seed: 1000 + seed)
        let model = randomModel(&random)
        let points = feasiblePoints(model)
        guard let reduced = Presolve.reduce(model) else {
            #expect(points.isEmpty, "reduction said infeasible, but \(points.count) points are feasible")
            return
        }
        for point in points {
            let image = reduced.reducedValues(point)
            #expect(satisfies(reduced.model, image, tolerance: 1e-9))
            #expect(reduced.originalValues(image) == point)
            #expect(abs(reduced.model.objectiveValue(at: image) - model.objectiveValue(at: point)) < 1e-9)
        }
        for image in feasiblePoints(reduced.model) {
            let point = reduced.originalValues(image)
            #expect(satisfies(model, point, tolerance: 1e-9))
            #expect(abs(reduced.model.objectiveValue(at: image) - model.objectiveValue(at: point)) < 1e-9)
        }
    }

    @Test("the random models above are ones the reduction changes: it drops columns in many of them")
    func randomModelsAreReduced() {
        var smaller = 0
        var infeasible = 0
        for seed in 0..<UInt64(150) {
            var random = SeededGenerator(seed: 1000 + seed)
            let model = randomModel(&random)
            guard let reduced = Presolve.reduce(model) else {
                infeasible += 1
                continue
            }
            if reduced.model.variables.count < model.variables.count { smaller += 1 }
        }
        #expect(smaller >= 30 && infeasible >= 20, "\(smaller) smaller, \(infeasible) infeasible")
    }
}
