import IOPDomain

/// One mistake in a scenario file: where it is and what was expected.
public struct ScenarioIssue: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    /// 1-based; 0 when the position is unknown.
    public let line: Int
    public let column: Int
    /// Key path such as `clients[3].plan.dbt`.
    public let path: String
    public let message: String

    public var description: String {
        let position = line > 0 ? "\(file):\(line):\(column)" : file
        return path.isEmpty ? "\(position): \(message)" : "\(position): \(path): \(message)"
    }
}

/// A scenario that could not be loaded, with every issue found.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public let issues: [ScenarioIssue]
    /// True when the file itself could not be read (as opposed to read and found wrong).
    public let unreadable: Bool

    /// Every issue, one a line, up to 100; then how many more there are.
    public var description: String {
        issues.map(\.description).capped(at: 100).joined(separator: "\n")
    }
}
