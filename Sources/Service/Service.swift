import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import IOPDomain
import Logging
import OperationsRecord
import RosterSolver
import UseCases

/// Where the service listens and how long a re-plan may search.
public struct ServiceSettings: Sendable {
    public var host: String
    public var port: Int
    /// Seconds each re-plan may search.
    public var timeLimit: Double

    public init(host: String = "127.0.0.1", port: Int = 8080, timeLimit: Double = 30) {
        self.host = host
        self.port = port
        self.timeLimit = timeLimit
    }
}

/// The program's JSON API over its record (`docs/openapi.yaml` lists every route).
public enum Service {
    /// The routes, each one's method and path as the OpenAPI file gives them.
    public static let routes: [(method: String, path: String)] = [
        ("GET", "/health"),
        ("POST", "/api/login"), ("POST", "/api/logout"), ("GET", "/api/session"),
        ("GET", "/api/week"), ("POST", "/api/events"),
        ("POST", "/api/attendance"), ("GET", "/api/attendance/report"), ("POST", "/api/attendance/makeup"),
        ("GET", "/api/reviews/due"), ("GET", "/api/appeals"), ("GET", "/api/billing"), ("GET", "/api/discharges"),
        ("POST", "/api/reviews/decisions"), ("POST", "/api/appeals/items"), ("POST", "/api/discharges/items"),
        ("GET", "/api/payers"), ("POST", "/api/payers"),
        ("GET", "/api/export/fhir"), ("GET", "/api/export/sheets"),
        ("GET", "/api/whatif/absences"), ("GET", "/api/solve/progress"), ("POST", "/api/solve/cancel"),
        ("GET", "/api/updates"), ("GET", "/api/calendar"), ("POST", "/api/calendar"),
        ("GET", "/api/users"), ("POST", "/api/users"), ("GET", "/api/audit"),
    ]

    /// The application serving `store`, whose week's scenario it keeps; `onRunning` is told
    /// the port once the server listens (port 0 picks a free one).
    public static func application(
        store: RecordStore, settings: ServiceSettings, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws(UseCaseError) -> some ApplicationProtocol {
        let desk = ProgramDesk(
            store: store, base: try RecordWeek.keptScenario(in: store),
            options: PlanOptions(timeLimit: settings.timeLimit))
        let sessions = MemoryPersistDriver()
        let router = Router(context: ServiceContext.self)
        router.add(middleware: LogRequestsMiddleware<ServiceContext>(.info, includeHeaders: .none))
        router.add(
            middleware: SessionMiddleware<ServiceContext>(
                storage: sessions,
                configuration: SessionMiddlewareConfiguration(
                    sessionCookieParameters: SessionCookieParameters(name: "iop_session", sameSite: .strict),
                    defaultSessionExpiration: .seconds(8 * 60 * 60))))
        router.add(middleware: CSRFMiddleware())
        Routes(desk: desk).add(to: router)
        do {
            try PageRoutes.load(desk: desk).add(to: router)
        } catch {
            throw .recordUnusable("the page templates do not load: \(error)")
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(settings.host, port: settings.port), serverName: nil),
            services: [sessions],
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? settings.port) },
            logger: logger)
    }
}

extension Service {
    /// Serves `store` until the process is told to stop (SIGINT, SIGTERM).
    public static func run(
        store: RecordStore, settings: ServiceSettings, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await application(store: store, settings: settings, logger: logger, onRunning: onRunning).runService()
    }
}

/// Refuses an API write (any method but GET and HEAD under `/api/`) from a session without
/// its CSRF token in the `X-CSRF-Token` header (403). Logging in is the one write without a
/// session. The pages' forms carry the token as a field, which each page checks.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = ServiceContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard request.uri.path.hasPrefix("/api/"), request.method != .get, request.method != .head,
            request.uri.path != "/api/login"
        else {
            return try await next(request, context)
        }
        let login = try context.login()
        guard let token = request.headers[.csrfToken], constantTimeEqual(token, login.csrfToken) else {
            throw APIError(.forbidden, "this write needs the session's CSRF token in the X-CSRF-Token header")
        }
        return try await next(request, context)
    }
}

/// Compares two strings in time that does not depend on where they differ.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let (x, y) = (Array(a.utf8), Array(b.utf8))
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}

extension HTTPField.Name {
    static let csrfToken = Self("X-CSRF-Token")!
}
