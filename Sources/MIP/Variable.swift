/// A handle to one column of a ``Model``. Read its value from a ``Solution`` by handle,
/// never by name.
public struct Variable: Hashable, Sendable, Comparable {
    /// The column's position in its model, from 0.
    public let index: Int

    public static func < (a: Variable, b: Variable) -> Bool { a.index < b.index }
}

/// The domain of a variable.
public enum VariableKind: Sendable, Equatable {
    /// Any real value between the bounds.
    case continuous
    /// Whole numbers between the bounds; bounds must be whole numbers.
    case integer
    /// 0 or 1; bounds may only narrow this to 0 or to 1.
    case binary
}

/// A variable as the model records it.
public struct VariableDefinition: Sendable, Equatable {
    public var name: String
    public var kind: VariableKind
    /// `-Double.infinity` means no lower bound.
    public var lower: Double
    /// `Double.infinity` means no upper bound.
    public var upper: Double
}
