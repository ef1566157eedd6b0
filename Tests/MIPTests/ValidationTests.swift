import GLPKSolver
import MIP
import Testing

/// Every rule that keeps GLPK from aborting the process or answering garbage, each
/// rejecting its own bad input with a message that names the culprit.
@Suite("Validation before GLPK")
struct ValidationTests {
    private func rejected(_ model: Model) -> [String] {
        do {
            _ = try GLPKSolver.solve(model)
            return []
        } catch {
            guard case .invalidModel(let issues) = error else { return ["unexpected: \(error)"] }
            return issues.map(\.description)
        }
    }

    private func modelWith(_ edit: (inout Model, Variable) -> Void) -> Model {
        var model = Model()
        let x = model.addVariable("x", kind: .integer, lower: 0, upper: 5)
        model.minimize(LinearExpression(x))
        edit(&model, x)
        return model
    }

    @Test func emptyModel() {
        #expect(rejected(Model()) == ["model: has no variables; an empty model cannot be solved"])
    }

    @Test func lowerAboveUpper() {
        var model = Model()
        model.addVariable("late", lower: 3, upper: 2)
        #expect(rejected(model) == ["variable 'late': lower bound 3 exceeds upper bound 2"])
    }

    @Test func nanAndInfiniteBounds() {
        var model = Model()
        model.addVariable("a", lower: .nan)
        model.addVariable("b", lower: .infinity)
        model.addVariable("c", lower: -.infinity, upper: -.infinity)
        #expect(
            rejected(model) == [
                "variable 'a': lower bound is NaN",
                "variable 'b': lower bound is +infinity",
                "variable 'c': upper bound is -infinity",
            ])
    }

    @Test func fractionalIntegerBounds() {
        var model = Model()
        model.addVariable("n", kind: .integer, lower: 0.5, upper: 4)
        #expect(rejected(model) == ["variable 'n': integer variable has fractional lower bound 0.5"])
    }

    @Test func binaryBoundsOutsideZeroOne() {
        var model = Model()
        model.addVariable("b", kind: .binary, lower: 0, upper: 2)
        #expect(rejected(model) == ["variable 'b': binary variable has upper bound 2; only 0 or 1 is allowed"])
    }

    @Test func nonFiniteCoefficients() {
        let model = modelWith { model, x in
            model.addConstraint("cap", Double.nan * x <= 3)
            model.addConstraint("load", Double.infinity * x >= 1)
        }
        #expect(
            rejected(model) == [
                "constraint 'cap': coefficient of 'x' is NaN; it must be finite",
                "constraint 'load': coefficient of 'x' is +infinity; it must be finite",
            ])
    }

    @Test func nonFiniteObjective() {
        let model = modelWith { model, x in model.minimize(Double.nan * x + 1) }
        #expect(rejected(model) == ["objective: coefficient of 'x' is NaN; it must be finite"])
    }

    @Test func constraintBounds() {
        let model = modelWith { model, x in
            model.addConstraint("window", LinearExpression(x), lower: 4, upper: 1)
            model.addConstraint("broken", LinearExpression(x), lower: .nan, upper: 1)
        }
        #expect(
            rejected(model) == [
                "constraint 'window': lower bound 4 exceeds upper bound 1",
                "constraint 'broken': lower bound is NaN",
            ])
    }

    @Test func foreignHandle() {
        var other = Model()
        for n in 0..<5 { other.addBinary("o\(n)") }
        let foreign = other.allVariables[4]
        let model = modelWith { model, x in model.addConstraint("mixed", x + foreign <= 1) }
        #expect(
            rejected(model) == [
                "constraint 'mixed': refers to variable #4, but the model has 1 variables (a handle from another model?)"
            ])
    }

    @Test func duplicateNames() {
        var model = Model()
        let a = model.addBinary("x")
        let b = model.addBinary("x")
        model.addConstraint("r", a + b <= 1)
        model.addConstraint("r", a - b >= 0)
        #expect(
            rejected(model) == [
                "variable 'x': name is used by variables #0 and #1; names must be unique",
                "constraint 'r': name is used by constraints #0 and #1; names must be unique",
            ])
    }

    @Test func emptyAndOverlongNames() {
        var model = Model()
        model.addBinary("")
        model.addBinary(String(repeating: "y", count: 256))
        #expect(
            rejected(model) == [
                "variable '#0': has an empty name",
                "variable '\(String(repeating: "y", count: 256))': name is 256 bytes in LP form; at most 255 are allowed",
            ])
    }

    @Test("duplicate terms are merged, zero terms dropped, constants moved to the bounds")
    func duplicateTermsMerged() throws {
        var model = Model()
        let x = model.addVariable("x", kind: .integer, upper: 10)
        let y = model.addVariable("y", kind: .integer, upper: 10)
        model.addConstraint("r", x + x + y - y + 2 <= 8)
        #expect(model.constraints[0].terms == [Term(2, x)])
        #expect(model.constraints[0].upper == 6)
        model.maximize(x + x)
        let solution = try GLPKSolver.solve(model)
        #expect(solution.value(x) == 3)
        #expect(solution.objective == 6)
    }

    @Test("all issues are reported at once")
    func everythingAtOnce() {
        var model = Model()
        model.addVariable("a", lower: 2, upper: 1)
        model.addVariable("b", kind: .integer, lower: 0.5, upper: 1)
        #expect(rejected(model).count == 2)
    }
}
