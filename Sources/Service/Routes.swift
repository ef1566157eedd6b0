import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import IOPDomain
import OperationsRecord
import Planner
import UseCases

/// The API's routes: each parses the request, checks the user may, calls a use case,
/// audits a write, and renders JSON.
struct Routes {
    let desk: ProgramDesk
    private var store: RecordStore { desk.store }

    func add(to router: Router<ServiceContext>) {
        router.get("/health") { _, _ in try jsonResponse(["status": "ok"]) }
        router.post("/api/login", use: logIn)
        router.post("/api/logout", use: logOut)
        router.get("/api/session") { _, context in try jsonResponse(SessionBody(try context.login())) }
        router.get("/api/week", use: week)
        router.post("/api/events", use: events)
        router.get("/api/users", use: users)
        router.post("/api/users", use: addUser)
        router.get("/api/audit", use: auditLog)
    }

    private struct Credentials: Decodable {
        let name: String
        let password: String
    }

    private struct SessionBody: Encodable {
        let name: String
        let role: Role
        let csrfToken: String
        init(_ login: Login) { (name, role, csrfToken) = (login.name, login.role, login.csrfToken) }
    }

    @Sendable func logIn(_ request: Request, context: ServiceContext) async throws -> Response {
        let credentials = try await request.decode(as: Credentials.self, context: context)
        let store = self.store
        let user: User
        do {
            user = try await ProgramDesk.offThread {
                try Accounts.logIn(credentials.name, password: credentials.password, in: store)
            }
        } catch let failure as Accounts.Failure {
            try audit(credentials.name, "login refused", "", context)
            throw APIError(.unauthorized, failure.description)
        }
        let login = Login(name: user.name, role: user.role, csrfToken: Self.token())
        context.sessions.createSession(login)
        try audit(user.name, "login", "role \(user.role.rawValue)", context)
        return try jsonResponse(SessionBody(login))
    }

    @Sendable func logOut(_ request: Request, context: ServiceContext) async throws -> Response {
        let login = try context.login()
        context.sessions.clearSession()
        try audit(login.name, "logout", "", context)
        return Response(status: .noContent)
    }

    @Sendable func week(_ request: Request, context: ServiceContext) async throws -> Response {
        try require(.readWeek, context)
        return try jsonResponse(try await desk.publishedWeek())
    }

    /// The re-plan after the events document in the body; `now` (YYYY-MM-DDTHH:MM) is the
    /// moment of the re-plan and `publish=true` publishes it.
    @Sendable func events(_ request: Request, context: ServiceContext) async throws -> Response {
        let login = try require(.changeWeek, context)
        let query = request.uri.queryParameters
        let given = query.get("now") ?? ""
        guard let now = DateTime(iso: given) else {
            throw APIError(.badRequest, "now: expected the moment of the re-plan, YYYY-MM-DDTHH:MM; found '\(given)'")
        }
        let publish = query.get("publish") == "true"
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let (proposal, version) = try await desk.replan(
            eventsText: String(buffer: body), now: now, publish: publish, by: login.name)
        if let version {
            try audit(
                login.name, "publish",
                "v\(version) re-planned from v\(proposal.based) after "
                    + proposal.events.map(\.event.summary).joined(separator: "; "), context)
        }
        return try jsonResponse(ReplanBody(replan: proposal.replan, publishedVersion: version))
    }

    private struct ReplanBody: Encodable {
        let replan: Replan
        let publishedVersion: Int64?
        private enum CodingKeys: String, CodingKey { case publishedVersion }
        func encode(to encoder: any Encoder) throws {
            try replan.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(publishedVersion, forKey: .publishedVersion)
        }
    }

    private struct UserBody: Codable {
        let name: String
        let role: Role
        var password: String? = nil
    }

    @Sendable func users(_ request: Request, context: ServiceContext) async throws -> Response {
        try require(.administer, context)
        return try jsonResponse(try store.users().map { UserBody(name: $0.name, role: $0.role) })
    }

    @Sendable func addUser(_ request: Request, context: ServiceContext) async throws -> Response {
        let login = try require(.administer, context)
        let new = try await request.decode(as: UserBody.self, context: context)
        let store = self.store
        do {
            try await ProgramDesk.offThread {
                try Accounts.add(new.name, role: new.role, password: new.password ?? "", to: store)
            }
        } catch let failure as Accounts.Failure {
            throw APIError(.unprocessableContent, failure.description)
        }
        try audit(login.name, "add user", "\(new.name) as \(new.role.rawValue)", context)
        return try jsonResponse(UserBody(name: new.name, role: new.role), status: .created)
    }

    @Sendable func auditLog(_ request: Request, context: ServiceContext) async throws -> Response {
        try require(.administer, context)
        return try jsonResponse(try store.auditLog())
    }

    /// The logged-in user when their role allows `permission`; 401 without a session, 403 otherwise.
    @discardableResult
    private func require(_ permission: Permission, _ context: ServiceContext) throws -> Login {
        let login = try context.login()
        guard login.role.may(permission) else {
            throw APIError(.forbidden, "a \(login.role.rawValue) may not do this")
        }
        return login
    }

    private func audit(_ user: String, _ action: String, _ detail: String, _ context: ServiceContext) throws {
        try store.audit(user: user, action: action, detail: detail, address: context.address)
    }

    /// A random token of 32 bytes, hex.
    private static func token() -> String {
        (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
