/// `lower <= expression <= upper`, made by the comparison operators (`x + y <= 1`) or
/// given bounds explicitly. Infinite bounds mean "no bound on that side".
public struct ConstraintSpec: Sendable, Equatable {
    public var expression: LinearExpression
    public var lower: Double
    public var upper: Double

    public init(_ expression: LinearExpression, lower: Double = -.infinity, upper: Double = .infinity) {
        self.expression = expression
        self.lower = lower
        self.upper = upper
    }
}

/// A named row as the model records it: merged terms and bounds with the expression's
/// constant already moved to the bounds.
public struct ConstraintDefinition: Sendable, Equatable {
    public var name: String
    public var terms: [Term]
    public var lower: Double
    public var upper: Double
}

extension LinearExpression {
    public static func <= (a: LinearExpression, b: Double) -> ConstraintSpec { ConstraintSpec(a, upper: b) }
    public static func >= (a: LinearExpression, b: Double) -> ConstraintSpec { ConstraintSpec(a, lower: b) }
    public static func == (a: LinearExpression, b: Double) -> ConstraintSpec { ConstraintSpec(a, lower: b, upper: b) }
    public static func <= (a: LinearExpression, b: LinearExpression) -> ConstraintSpec { (a - b) <= 0 }
    public static func >= (a: LinearExpression, b: LinearExpression) -> ConstraintSpec { (a - b) >= 0 }
    public static func == (a: LinearExpression, b: LinearExpression) -> ConstraintSpec { (a - b) == 0 }
    public static func <= (a: LinearExpression, b: Variable) -> ConstraintSpec { (a - b) <= 0 }
    public static func >= (a: LinearExpression, b: Variable) -> ConstraintSpec { (a - b) >= 0 }
}

extension Variable {
    public static func <= (a: Variable, b: Double) -> ConstraintSpec { LinearExpression(a) <= b }
    public static func >= (a: Variable, b: Double) -> ConstraintSpec { LinearExpression(a) >= b }
    public static func == (a: Variable, b: Double) -> ConstraintSpec { LinearExpression(a) == b }
    public static func <= (a: Variable, b: Variable) -> ConstraintSpec { (a - b) <= 0 }
    public static func <= (a: Variable, b: LinearExpression) -> ConstraintSpec { (a - b) <= 0 }
    public static func >= (a: Variable, b: LinearExpression) -> ConstraintSpec { (a - b) >= 0 }
}
