import Foundation

/// Why a solver call was refused or failed before a solution could be attempted.
public enum SolverError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidModel([ModelIssue])
    case invalidOptions([String])
    case fileUnreadable(path: String, reason: String)
    case fileUnwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidModel(let issues):
            "the model is invalid (\(issues.count) issue\(issues.count == 1 ? "" : "s")):\n"
                + issues.map { "  - \($0)" }.joined(separator: "\n")
        case .invalidOptions(let problems): "invalid solve options: " + problems.joined(separator: "; ")
        case .fileUnreadable(let path, let reason):
            "cannot read \(path): \(reason.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .fileUnwritable(let path, let reason):
            "cannot write \(path): \(reason.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
    }
}
