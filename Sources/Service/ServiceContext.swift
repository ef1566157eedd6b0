import HTTPTypes
import Hummingbird
import HummingbirdAuth
import OperationsRecord

/// A logged-in user's session, kept server-side; the browser holds only its cookie.
struct Login: Codable, Sendable {
    let name: String
    let role: Role
    /// Sent back on every write in the `X-CSRF-Token` header.
    let csrfToken: String
}

/// Each request's context: its session, and the address it came from for the audit log.
struct ServiceContext: SessionRequestContext, RequestContext {
    var coreContext: CoreRequestContextStorage
    let sessions: SessionContext<Login>
    /// The peer's IP address.
    let address: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        sessions = .init()
        address = source.channel.remoteAddress?.ipAddress
    }

    /// The logged-in user, or 401.
    func login() throws -> Login {
        guard let login = sessions.session else { throw APIError(.unauthorized, "log in first (POST /api/login)") }
        return login
    }
}
