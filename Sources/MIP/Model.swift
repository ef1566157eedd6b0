/// A mixed-integer linear program: variables, named constraints `lower <= expr <= upper`
/// and one objective. A plain value: build it, copy it, hand it to a solver. Nothing is
/// checked while building; ``validate()`` checks everything at once, and a solver calls
/// it before it touches the model.
public struct Model: Sendable {
    public enum Sense: String, Sendable { case minimize, maximize }

    public private(set) var variables: [VariableDefinition] = []
    public private(set) var constraints: [ConstraintDefinition] = []
    /// Merged objective terms; the constant is kept apart in ``objectiveConstant``.
    public private(set) var objectiveTerms: [Term] = []
    public private(set) var objectiveConstant: Double = 0
    public private(set) var sense: Sense = .minimize

    public init() {}

    /// Adds a column. Bounds default to `0...1` for binaries and `0...∞` otherwise.
    @discardableResult
    public mutating func addVariable(
        _ name: String, kind: VariableKind = .continuous,
        lower: Double = 0, upper: Double? = nil
    ) -> Variable {
        let upper = upper ?? (kind == .binary ? 1 : .infinity)
        variables.append(VariableDefinition(name: name, kind: kind, lower: lower, upper: upper))
        return Variable(index: variables.count - 1)
    }

    /// Adds a binary column.
    @discardableResult
    public mutating func addBinary(_ name: String) -> Variable {
        addVariable(name, kind: .binary)
    }

    /// Adds the named row `spec.lower <= spec.expression <= spec.upper`; repeated
    /// variables are summed and the expression's constant moves to the bounds.
    public mutating func addConstraint(_ name: String, _ spec: ConstraintSpec) {
        let expression = spec.expression.merged()
        constraints.append(
            ConstraintDefinition(
                name: name, terms: expression.terms,
                lower: spec.lower - expression.constant, upper: spec.upper - expression.constant))
    }

    /// Adds the named row `lower <= expression <= upper`.
    public mutating func addConstraint(
        _ name: String, _ expression: LinearExpression,
        lower: Double = -.infinity, upper: Double = .infinity
    ) {
        addConstraint(name, ConstraintSpec(expression, lower: lower, upper: upper))
    }

    /// Fixes a variable of this model at a value: both its bounds become `value`. A foreign
    /// handle is left for ``validate()`` to report.
    public mutating func fix(_ variable: Variable, at value: Double) {
        guard variables.indices.contains(variable.index) else { return }
        variables[variable.index].lower = value
        variables[variable.index].upper = value
    }

    public mutating func minimize(_ expression: LinearExpression) { setObjective(.minimize, expression) }
    public mutating func maximize(_ expression: LinearExpression) { setObjective(.maximize, expression) }

    public mutating func setObjective(_ sense: Sense, _ expression: LinearExpression) {
        let merged = expression.merged()
        self.sense = sense
        objectiveTerms = merged.terms
        objectiveConstant = merged.constant
    }

    /// The definition of a variable of this model, or nil for a foreign handle.
    public func definition(of variable: Variable) -> VariableDefinition? {
        variables.indices.contains(variable.index) ? variables[variable.index] : nil
    }

    /// All handles, in column order.
    public var allVariables: [Variable] { variables.indices.map(Variable.init(index:)) }

    /// The objective's value at the given column values (by column order).
    public func objectiveValue(at values: [Double]) -> Double {
        objectiveTerms.reduce(objectiveConstant) { sum, term in
            sum + term.coefficient * (values.indices.contains(term.variable.index) ? values[term.variable.index] : 0)
        }
    }

    /// The number of non-zero coefficients in the constraint matrix.
    public var nonzeroCount: Int { constraints.reduce(0) { $0 + $1.terms.count } }
}

extension Model {
    /// The largest step δ such that the objective less its constant is a multiple of δ at
    /// every integer point: when every objective term is on an integer or binary variable
    /// and the coefficients are multiples of one number (found up to a denominator of
    /// 3600). nil otherwise. A solver may round its bound up to the next multiple and stop
    /// as soon as the incumbent meets it.
    public var objectiveStep: Double? { step(of: objectiveTerms) }

    /// The step between the values `terms` can take at integer points: the largest `s`
    /// with every coefficient a whole multiple of `s` (up to a denominator of 3600), when
    /// every variable is integer; nil otherwise.
    public func step(of terms: [Term]) -> Double? {
        guard !terms.isEmpty,
            terms.allSatisfy({
                variables.indices.contains($0.variable.index) && variables[$0.variable.index].kind != .continuous
            })
        else { return nil }
        let coefficients = terms.map { abs($0.coefficient) }
        for scale in [1.0, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 30, 40, 60, 100, 120, 180, 360, 600, 1000, 3600] {
            let scaled = coefficients.map { $0 * scale }
            guard scaled.allSatisfy({ $0 < 1e12 && abs($0 - $0.rounded()) <= 1e-9 * max(1, $0) }) else { continue }
            let divisor = scaled.reduce(Int64(0)) { greatestCommonDivisor($0, Int64($1.rounded())) }
            return divisor > 0 ? Double(divisor) / scale : nil
        }
        return nil
    }
}

private func greatestCommonDivisor(_ a: Int64, _ b: Int64) -> Int64 {
    b == 0 ? a : greatestCommonDivisor(b, a % b)
}
