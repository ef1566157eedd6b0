import Foundation

/// What a user of the service may do is set by their role.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Changes the week: events, re-plans, publishing, attendance.
    case coordinator
    /// Reads the week and tries what-ifs.
    case clinician
    /// Reads the week and tries what-ifs.
    case director
    /// Manages users and reads the audit log.
    case admin
}

/// A user of the service as the record keeps them: the password only as its hash.
public struct User: Sendable, Equatable {
    public let name: String
    public let role: Role
    public let passwordHash: String
    /// Failed logins since the last one that succeeded.
    public let failedLogins: Int
    /// Until when logins are refused after too many failures.
    public let lockedUntil: Date?

    public func isLocked(at moment: Date) -> Bool { lockedUntil.map { moment < $0 } ?? false }
}

/// One write made through the service: who, what, when, from which address.
public struct AuditEntry: Sendable, Equatable, Codable {
    public let id: Int64
    public let at: String
    public let user: String
    public let action: String
    public let detail: String
    public let address: String?
}

public enum UserError: Error, Equatable, CustomStringConvertible {
    case exists(String)
    case unknown(String)

    public var description: String {
        switch self {
        case .exists(let name): "a user named '\(name)' exists already; nothing was changed"
        case .unknown(let name): "no user named '\(name)'"
        }
    }
}

extension RecordStore {
    /// Adds a user; ``UserError/exists(_:)`` if the name is taken.
    public func addUser(_ name: String, role: Role, passwordHash: String, at moment: Date = Date()) throws {
        try write { db in
            guard try SQLRow.fetchOne(db, sql: "SELECT 1 FROM \"user\" WHERE name = ?", arguments: [name]) == nil else {
                throw UserError.exists(name)
            }
            try db.execute(
                sql: "INSERT INTO \"user\" (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                arguments: [name, role.rawValue, passwordHash, Self.stamp(moment)])
        }
    }

    /// Sets a user's password (and clears a lockout); ``UserError/unknown(_:)`` for a name the record lacks.
    public func setPassword(of name: String, hash: String) throws {
        try write { db in
            let changed = try db.execute(
                sql: "UPDATE \"user\" SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE name = ?",
                arguments: [hash, name])
            guard changed == 1 else { throw UserError.unknown(name) }
        }
    }

    public func user(named name: String) throws -> User? {
        try read { db in
            try SQLRow.fetchOne(db, sql: "SELECT * FROM \"user\" WHERE name = ?", arguments: [name]).flatMap(
                Self.user(from:))
        }
    }

    public func users() throws -> [User] {
        try read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM \"user\" ORDER BY name").compactMap(Self.user(from:))
        }
    }

    /// Counts a failed login; the `allowed`-th failure in a row locks the user for `lockFor`.
    /// Returns the user as they are now.
    @discardableResult
    public func noteFailedLogin(_ name: String, allowed: Int, lockFor: TimeInterval, at moment: Date = Date())
        throws -> User?
    {
        try write { db in
            try db.execute(
                sql: "UPDATE \"user\" SET failed_logins = failed_logins + 1 WHERE name = ?", arguments: [name])
            try db.execute(
                sql: "UPDATE \"user\" SET locked_until = ?, failed_logins = 0 WHERE name = ? AND failed_logins >= ?",
                arguments: [Self.stamp(moment.addingTimeInterval(lockFor)), name, allowed])
            return try SQLRow.fetchOne(db, sql: "SELECT * FROM \"user\" WHERE name = ?", arguments: [name])
                .flatMap(Self.user(from:))
        }
    }

    /// Clears the failure count after a login that succeeded.
    public func noteLogin(_ name: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE \"user\" SET failed_logins = 0, locked_until = NULL WHERE name = ?", arguments: [name])
        }
    }

    /// Keeps one entry of the audit log.
    public func audit(
        user: String, action: String, detail: String, address: String?, at moment: Date = Date()
    ) throws {
        try write { db in
            try db.execute(
                sql: "INSERT INTO audit (at, \"user\", action, detail, address) VALUES (?, ?, ?, ?, ?)",
                arguments: [Self.stamp(moment), user, action, detail, address])
        }
    }

    /// The audit log, oldest first.
    public func auditLog() throws -> [AuditEntry] {
        try read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id").map { row in
                AuditEntry(
                    id: row["id"], at: row["at"], user: row["user"], action: row["action"], detail: row["detail"],
                    address: row["address"])
            }
        }
    }

    private static func user(from row: SQLRow) -> User? {
        guard let role = Role(rawValue: row["role"]) else { return nil }
        let locked: String? = row["locked_until"]
        return User(
            name: row["name"], role: role, passwordHash: row["password_hash"], failedLogins: row["failed_logins"],
            lockedUntil: locked.flatMap { ISO8601DateFormatter().date(from: $0) })
    }

    static func stamp(_ moment: Date) -> String { ISO8601DateFormatter().string(from: moment) }
}
