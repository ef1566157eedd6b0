import GLPKSolver
import MIP
import Testing

@Suite("LP relaxation minima")
struct RelaxationTests {
    private var later: ContinuousClock.Instant { .now.advanced(by: .seconds(60)) }

    @Test("each expression's least value over the relaxation, in order, from one loaded model")
    func minimaInOrder() throws {
        // Three binaries, 2a + 2b + 2c >= 3: a + b + c is 1.5 at least in the LP (2 at integers).
        var model = Model()
        let v = (0..<3).map { model.addBinary("v\($0)") }
        model.addConstraint("cover", 2 * v[0] + 2 * v[1] + 2 * v[2] >= 3)
        model.minimize(10 * v[0])
        let minima = try GLPKSolver.relaxationMinima(
            of: [LinearExpression.sum(v), LinearExpression(v[0]), LinearExpression.sum(v) + 4, 3 * v[1] - v[2]],
            in: model, until: later)
        let expected: [Double] = [1.5, 0, 5.5, -1]
        #expect(minima.count == expected.count)
        for (found, wanted) in zip(minima, expected) {
            #expect(abs((found ?? .nan) - wanted) < 1e-9, "\(String(describing: found)) is not \(wanted)")
        }
    }

    @Test("an infeasible relaxation, or a deadline already passed, gives no minimum")
    func noMinimum() throws {
        var model = Model()
        let a = model.addBinary("a")
        model.addConstraint("impossible", LinearExpression(a) >= 2)
        #expect(try GLPKSolver.relaxationMinima(of: [LinearExpression(a)], in: model, until: later) == [nil])
        var easy = Model()
        let b = easy.addBinary("b")
        #expect(try GLPKSolver.relaxationMinima(of: [LinearExpression(b)], in: easy, until: .now) == [nil])
    }

    @Test("a step exists only for integer variables with commensurable coefficients")
    func steps() {
        var model = Model()
        let a = model.addBinary("a")
        let n = model.addVariable("n", kind: .integer, upper: 5)
        let r = model.addVariable("r")
        #expect(model.step(of: (2 * a + 4 * n).terms) == 2)
        #expect(model.step(of: (0.5 * a + 1.5 * n).terms) == 0.5)
        #expect(model.step(of: (a + r).terms) == nil)
        #expect(model.step(of: []) == nil)
    }
}
