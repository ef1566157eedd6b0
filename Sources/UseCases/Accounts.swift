import Foundation
import HummingbirdBcrypt
import OperationsRecord

/// Users and their passwords: bcrypt hashes only, and a lockout after repeated failures.
public enum Accounts {
    /// Failed logins in a row that lock a user out.
    public static let allowedFailures = 5
    /// How long a lockout lasts.
    public static let lockout: TimeInterval = 15 * 60
    /// bcrypt's cost (2^cost rounds).
    static let cost: UInt8 = 12
    /// The shortest password accepted.
    public static let minimumPasswordLength = 12

    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// A wrong name or password, or a locked-out user: the caller is not told which.
        case refused
        case weakPassword
        case user(UserError)

        public var description: String {
            switch self {
            case .refused: "wrong name or password, or too many failed logins (try again in 15 minutes)"
            case .weakPassword: "a password needs at least \(Accounts.minimumPasswordLength) characters"
            case .user(let error): error.description
            }
        }
    }

    /// Adds a user with `password`, kept as its bcrypt hash.
    public static func add(_ name: String, role: Role, password: String, to store: RecordStore) throws {
        guard password.count >= minimumPasswordLength else { throw Failure.weakPassword }
        do {
            try store.addUser(name, role: role, passwordHash: Bcrypt.hash(password, cost: cost))
        } catch let error as UserError {
            throw Failure.user(error)
        }
    }

    /// The user, once `password` is theirs and they are not locked out; each failure counts
    /// toward the lockout (``allowedFailures`` in a row lock the user for ``lockout``).
    public static func logIn(_ name: String, password: String, in store: RecordStore, at moment: Date = Date())
        throws -> User
    {
        guard let user = try store.user(named: name) else {
            // The same work as for a real user, so timing does not tell which names exist.
            _ = Bcrypt.verify(password, hash: dummyHash)
            throw Failure.refused
        }
        guard !user.isLocked(at: moment) else { throw Failure.refused }
        guard Bcrypt.verify(password, hash: user.passwordHash) else {
            try store.noteFailedLogin(name, allowed: allowedFailures, lockFor: lockout, at: moment)
            throw Failure.refused
        }
        try store.noteLogin(name)
        return user
    }

    private static let dummyHash = Bcrypt.hash("not a password of anyone's", cost: cost)
}
