/// One coefficient times one variable.
public struct Term: Sendable, Equatable {
    public var variable: Variable
    public var coefficient: Double

    public init(_ coefficient: Double, _ variable: Variable) {
        self.coefficient = coefficient
        self.variable = variable
    }
}

/// `constant + Σ coefficient·variable`, built with operators that read like the math:
/// `2 * x + y - 3`. Terms on the same variable may repeat; the model merges them.
public struct LinearExpression: Sendable, Equatable {
    public var terms: [Term]
    public var constant: Double

    public init(terms: [Term] = [], constant: Double = 0) {
        self.terms = terms
        self.constant = constant
    }

    public init(_ variable: Variable) { self.init(terms: [Term(1, variable)]) }

    /// `Σ variables`, each with coefficient 1.
    public static func sum<S: Sequence>(_ variables: S) -> LinearExpression where S.Element == Variable {
        LinearExpression(terms: variables.map { Term(1, $0) })
    }

    /// `Σ coefficient·variable` over the pairs.
    public static func sum<S: Sequence>(_ pairs: S) -> LinearExpression where S.Element == (Double, Variable) {
        LinearExpression(terms: pairs.map { Term($0.0, $0.1) })
    }

    /// Adds `coefficient·variable` in place; the cheap way to grow a long expression.
    public mutating func add(_ coefficient: Double, _ variable: Variable) {
        terms.append(Term(coefficient, variable))
    }

    /// The same expression with duplicate variables summed, zero coefficients dropped and
    /// terms in column order.
    public func merged() -> LinearExpression {
        guard terms.count > 1 else {
            return LinearExpression(terms: terms.filter { $0.coefficient != 0 }, constant: constant)
        }
        let sorted = terms.sorted { $0.variable.index < $1.variable.index }
        var result: [Term] = []
        result.reserveCapacity(sorted.count)
        for term in sorted {
            if let last = result.last, last.variable == term.variable {
                result[result.count - 1].coefficient += term.coefficient
            } else {
                result.append(term)
            }
        }
        return LinearExpression(terms: result.filter { $0.coefficient != 0 }, constant: constant)
    }
}

// MARK: - Operators

extension LinearExpression {
    public static func + (a: LinearExpression, b: LinearExpression) -> LinearExpression {
        LinearExpression(terms: a.terms + b.terms, constant: a.constant + b.constant)
    }
    public static func - (a: LinearExpression, b: LinearExpression) -> LinearExpression { a + (-b) }
    public static prefix func - (a: LinearExpression) -> LinearExpression {
        LinearExpression(terms: a.terms.map { Term(-$0.coefficient, $0.variable) }, constant: -a.constant)
    }
    public static func * (k: Double, a: LinearExpression) -> LinearExpression {
        LinearExpression(terms: a.terms.map { Term(k * $0.coefficient, $0.variable) }, constant: k * a.constant)
    }
    public static func * (a: LinearExpression, k: Double) -> LinearExpression { k * a }
    public static func += (a: inout LinearExpression, b: LinearExpression) {
        a.terms.append(contentsOf: b.terms)
        a.constant += b.constant
    }
    public static func -= (a: inout LinearExpression, b: LinearExpression) { a += -b }

    public static func + (a: LinearExpression, b: Variable) -> LinearExpression { a + LinearExpression(b) }
    public static func + (a: Variable, b: LinearExpression) -> LinearExpression { LinearExpression(a) + b }
    public static func - (a: LinearExpression, b: Variable) -> LinearExpression { a - LinearExpression(b) }
    public static func - (a: Variable, b: LinearExpression) -> LinearExpression { LinearExpression(a) - b }
    public static func + (a: LinearExpression, b: Double) -> LinearExpression { a + LinearExpression(constant: b) }
    public static func + (a: Double, b: LinearExpression) -> LinearExpression { LinearExpression(constant: a) + b }
    public static func - (a: LinearExpression, b: Double) -> LinearExpression { a + LinearExpression(constant: -b) }
    public static func - (a: Double, b: LinearExpression) -> LinearExpression { LinearExpression(constant: a) - b }
    public static func += (a: inout LinearExpression, b: Variable) { a.add(1, b) }
    public static func -= (a: inout LinearExpression, b: Variable) { a.add(-1, b) }
}

extension Variable {
    public static func * (k: Double, v: Variable) -> LinearExpression { LinearExpression(terms: [Term(k, v)]) }
    public static func * (v: Variable, k: Double) -> LinearExpression { k * v }
    public static func + (a: Variable, b: Variable) -> LinearExpression { LinearExpression(a) + LinearExpression(b) }
    public static func - (a: Variable, b: Variable) -> LinearExpression { LinearExpression(a) - LinearExpression(b) }
    public static func + (a: Variable, b: Double) -> LinearExpression { LinearExpression(a) + b }
    public static func + (a: Double, b: Variable) -> LinearExpression { a + LinearExpression(b) }
    public static func - (a: Variable, b: Double) -> LinearExpression { LinearExpression(a) - b }
    public static func - (a: Double, b: Variable) -> LinearExpression { a - LinearExpression(b) }
    public static prefix func - (v: Variable) -> LinearExpression { LinearExpression(terms: [Term(-1, v)]) }
}
