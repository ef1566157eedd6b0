import Exports
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import IOPDomain
import OperationsRecord
import Planner
import ServiceLifecycle
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
        router.post("/api/attendance", use: recordAttendance)
        router.get("/api/attendance/report", use: attendanceReport)
        router.post("/api/attendance/makeup", use: makeUp)
        router.get("/api/reviews/due", use: reviewsDue)
        router.get("/api/appeals", use: appeals)
        router.get("/api/billing", use: billing)
        router.get("/api/discharges", use: discharges)
        router.post("/api/reviews/decisions", use: decide)
        router.post("/api/appeals/items", use: completeAppealItem)
        router.post("/api/discharges/items", use: completeDischargeItem)
        router.get("/api/payers", use: payers)
        router.post("/api/payers", use: changePayer)
        router.get("/api/export/fhir", use: fhirBundle)
        router.get("/api/export/sheets", use: signInSheets)
        router.get("/api/whatif/absences", use: rankAbsences)
        router.get("/api/solve/progress", use: solveProgress)
        router.post("/api/solve/cancel", use: cancelSolve)
        router.get("/api/updates", use: updates)
        router.get("/api/calendar", use: staffCalendar)
        router.post("/api/calendar", use: clientCalendar)
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
        let login = Login(name: user.name, role: user.role, csrfToken: randomToken())
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
        let now = try Self.moment(request, "now")
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

    /// A sign-in sheet (CSV: session_id,client,status,minutes,reason) recorded against the
    /// published roster, all rows or none.
    @Sendable func recordAttendance(_ request: Request, context: ServiceContext) async throws -> Response {
        let login = try require(.changeWeek, context)
        let sheet = String(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        let store = self.store
        let recorded = try await ProgramDesk.offThread {
            try Attendance.record(sheet: sheet, file: "the sign-in sheet", in: store)
        }
        try audit(login.name, "attendance", "\(recorded.rows) rows against v\(recorded.version)", context)
        return try jsonResponse(RecordedBody(version: recorded.version, rows: recorded.rows))
    }

    private struct RecordedBody: Encodable {
        let version: Int64
        let rows: Int
    }

    /// The attendance report as of `as_of` (YYYY-MM-DD).
    @Sendable func attendanceReport(_ request: Request, context: ServiceContext) async throws -> Response {
        try require(.readWeek, context)
        let day = try Self.date(request, "as_of")
        let store = self.store
        return try jsonResponse(try await ProgramDesk.offThread { try Attendance.report(in: store, asOf: day) })
    }

    /// Reviews, expiries and unit run-outs from `as_of` through `within` days (7 by default).
    @Sendable func reviewsDue(_ request: Request, context: ServiceContext) async throws -> Response {
        try require(.readWeek, context)
        let day = try Self.date(request, "as_of")
        let given = request.uri.queryParameters.get("within") ?? "7"
        guard let within = Int(given), (0...366).contains(within) else {
            throw APIError(.badRequest, "within: expected a number of days from 0 to 366; found '\(given)'")
        }
        let store = self.store
        return try jsonResponse(
            try await ProgramDesk.offThread { try Reviews.due(in: store, asOf: day, within: within) })
    }

    /// The open appeals by deadline, with what each packet still lacks.
    @Sendable func appeals(_ request: Request, context: ServiceContext) async throws -> Response {
        try require(.readWeek, context)
        let store = self.store
        return try jsonResponse(try await ProgramDesk.offThread { try Reviews.appeals(in: store) })
    }

    /// The published week's per-diem claim evidence.
    @Sendable func billing(_ request: Request, context: ServiceContext) async throws -> Response {
        try require(.readWeek, context)
        let store = self.store
        return try jsonResponse(try await ProgramDesk.offThread { try Billing.week(in: store) })
    }

    /// The open discharge checklist items as of `as_of`.
    @Sendable func discharges(_ request: Request, context: ServiceContext) async throws -> Response {
        try require(.readWeek, context)
        let day = try Self.date(request, "as_of")
        let store = self.store
        return try jsonResponse(try await ProgramDesk.offThread { try Discharges.checklist(in: store, asOf: day) })
    }

    /// The published week as a FHIR R4 Bundle, with the attendance recorded.
    @Sendable func fhirBundle(_ request: Request, context: ServiceContext) async throws -> Response {
        try require(.readWeek, context)
        let (store, base) = (desk.store, desk.base)
        let bundle = try await ProgramDesk.offThread { () throws -> String in
            let week = try RecordWeek.load(base, from: store)
            let published = try Publishing.latest(in: store)
            return FHIRBundle(scenario: week.scenario, roster: published.roster, attendance: try store.attendance())
                .json()
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/fhir+json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: bundle)))
    }

    /// The published week's pre-filled sign-in sheets, of `day` or the whole week: print-ready
    /// HTML (one session to a page) or the CSV `POST /api/attendance` reads back once filled in.
    @Sendable func signInSheets(_ request: Request, context: ServiceContext) async throws -> Response {
        try require(.readWeek, context)
        let query = request.uri.queryParameters
        let day = try query.get("day").map { _ in try Self.date(request, "day") }
        enum Format: String { case html, csv }
        let given = query.get("format").map { String($0) } ?? "html"
        guard let format = Format(rawValue: given) else {
            throw APIError(.badRequest, "format: expected html or csv; found '\(given)'")
        }
        let (store, base) = (desk.store, desk.base)
        let sheets = try await ProgramDesk.offThread { () throws -> Sheets in
            let week = try RecordWeek.load(base, from: store)
            return Sheets(scenario: week.scenario, roster: try Publishing.latest(in: store).roster)
        }
        var headers = HTTPFields()
        headers[.contentType] = format == .csv ? "text/csv; charset=utf-8" : "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let body = format == .csv ? sheets.signInCSV(on: day) + "\n" : sheets.signInHTML(on: day)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Make-up sessions for clients at risk, re-planned from `as_of`; `apply=true` publishes them.
    @Sendable func makeUp(_ request: Request, context: ServiceContext) async throws -> Response {
        let login = try require(.changeWeek, context)
        let now = try Self.moment(request, "as_of")
        let apply = request.uri.queryParameters.get("apply") == "true"
        let (proposal, version) = try await desk.makeUp(asOf: now, apply: apply, by: login.name)
        if let version {
            try audit(login.name, "publish", "v\(version): make-up sessions added to v\(proposal.based)", context)
        }
        return try jsonResponse(ReplanBody(replan: proposal.replan, publishedVersion: version))
    }

    /// Every facilitator's one-day absence on `on` ranked by its impact, re-planned from `now`; nothing saved.
    @Sendable func rankAbsences(_ request: Request, context: ServiceContext) async throws -> Response {
        let login = try require(.readWeek, context)
        let day = try Self.date(request, "on")
        let now = try Self.moment(request, "now")
        return try jsonResponse(try await desk.rankAbsences(on: day, now: now, by: login.name).ranking)
    }

    /// The running solve's progress as server-sent events (`started`, `progress` with each
    /// stage's incumbent, bound and gap, `finished` with how it ended), from where it stands
    /// until it ends; a single `idle` event when none runs.
    @Sendable func solveProgress(_ request: Request, context: ServiceContext) async throws -> Response {
        try require(.readWeek, context)
        let encoder = Roster.encoder()
        encoder.outputFormatting = [.sortedKeys]
        let events = desk.feed.watch().map { update in
            ByteBuffer(
                string: "event: \(update.event.rawValue)\ndata: "
                    + String(decoding: (try? encoder.encode(update)) ?? Data("{}".utf8), as: UTF8.self) + "\n\n")
        }
        return eventStream(events)
    }

    /// A facilitator's (`facilitator=F`) or a room's (`room=R`) sessions of the published week
    /// as an iCalendar file.
    @Sendable func staffCalendar(_ request: Request, context: ServiceContext) async throws -> Response {
        try require(.readWeek, context)
        let query = request.uri.queryParameters
        if let id = query.get("facilitator").map({ String($0) }) {
            return try await calendar(.facilitator(FacilitatorID(id)))
        }
        if let id = query.get("room").map({ String($0) }) { return try await calendar(.room(RoomID(id))) }
        throw APIError(.badRequest, "give facilitator=ID or room=ID (a client's calendar is POST /api/calendar)")
    }

    /// A client's sessions as an iCalendar file; the client is named in the body
    /// (`{"client": ID}`), never in the URL.
    @Sendable func clientCalendar(_ request: Request, context: ServiceContext) async throws -> Response {
        try require(.readWeek, context)
        struct Body: Decodable { let client: String }
        let body = try await request.decode(as: Body.self, context: context)
        return try await calendar(.client(ClientID(body.client)))
    }

    private func calendar(_ subject: ICalendar.Subject) async throws -> Response {
        let (store, base) = (desk.store, desk.base)
        let feed = try await ProgramDesk.offThread { () throws -> String in
            let week = try RecordWeek.load(base, from: store)
            let published = try Publishing.latest(in: store)
            let calendar = ICalendar(
                scenario: week.scenario, roster: published.roster, previous: try store.publishedRoster(back: 1)?.roster,
                sequence: Int(published.version))
            guard calendar.knows(subject) else {
                throw APIError(.notFound, "no such facilitator, room or client in the week")
            }
            return calendar.feed(for: subject)
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/calendar; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: feed)))
    }

    /// Each newly published version of the week as a server-sent event `published`
    /// (`{"version": N}`), the current one first, and each solve of this server as it starts
    /// (`solving`, its `started` update), for as long as the client listens.
    @Sendable func updates(_ request: Request, context: ServiceContext) async throws -> Response {
        try require(.readWeek, context)
        // The stream never ends of itself: a graceful shutdown ends it, so the server can stop.
        let encoder = Roster.encoder()
        encoder.outputFormatting = [.sortedKeys]
        let events = desk.updates().cancelOnGracefulShutdown().map { update in
            switch update {
            case .published(let version):
                ByteBuffer(string: "event: published\ndata: {\"version\":\(version)}\n\n")
            case .solving(let started):
                ByteBuffer(
                    string: "event: solving\ndata: "
                        + String(decoding: (try? encoder.encode(started)) ?? Data("{}".utf8), as: UTF8.self) + "\n\n")
            }
        }
        return eventStream(events)
    }

    /// `events` (each a whole server-sent event) as a `text/event-stream` response.
    private func eventStream<Events: AsyncSequence & Sendable>(_ events: Events) -> Response
    where Events.Element == ByteBuffer {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: events))
    }

    /// Stops the running solve early: it keeps the best roster found so far. The user who
    /// started it or a coordinator may; 409 when none runs.
    @Sendable func cancelSolve(_ request: Request, context: ServiceContext) async throws -> Response {
        let login = try require(.readWeek, context)
        guard let owner = desk.feed.startedBy else { throw APIError(.conflict, "no solve is running") }
        guard owner == login.name || login.role.may(.changeWeek) else {
            throw APIError(.forbidden, "only \(owner), who started it, or a coordinator may stop this solve")
        }
        guard desk.feed.cancel() else { throw APIError(.conflict, "no solve is running") }
        try audit(login.name, "cancel solve", "started by \(owner)", context)
        return Response(status: .accepted)
    }

    /// The query parameter `name` as a date, or 400.
    private static func date(_ request: Request, _ name: String) throws -> LocalDate {
        let given = request.uri.queryParameters.get(name) ?? ""
        guard let date = LocalDate(iso: given) else {
            throw APIError(.badRequest, "\(name): expected a date, YYYY-MM-DD; found '\(given)'")
        }
        return date
    }

    /// The query parameter `name` as a moment, or 400.
    private static func moment(_ request: Request, _ name: String) throws -> DateTime {
        let given = request.uri.queryParameters.get(name) ?? ""
        guard let moment = DateTime(iso: given) else {
            throw APIError(.badRequest, "\(name): expected a moment, YYYY-MM-DDTHH:MM; found '\(given)'")
        }
        return moment
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
    func require(_ permission: Permission, _ context: ServiceContext) throws -> Login {
        let login = try context.login()
        guard login.role.may(permission) else {
            throw APIError(.forbidden, "a \(login.role.rawValue) may not do this")
        }
        return login
    }

    func audit(_ user: String, _ action: String, _ detail: String, _ context: ServiceContext) throws {
        try desk.audit(user, action, detail, from: context.address)
    }

}
