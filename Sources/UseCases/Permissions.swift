import OperationsRecord

/// What a user may do through the service.
public enum Permission: Sendable {
    /// Read the week, its shortfalls and rosters.
    case readWeek
    /// Enter events, re-plan and publish.
    case changeWeek
    /// Add users and read the audit log.
    case administer
}

extension Role {
    /// Coordinators change the week; clinicians and directors read it (and try what-ifs);
    /// admins manage users and read the audit log.
    public func may(_ permission: Permission) -> Bool {
        switch permission {
        case .readWeek: self != .admin
        case .changeWeek: self == .coordinator
        case .administer: self == .admin
        }
    }
}
