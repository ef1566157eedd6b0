import Exports
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import IOPDomain
import Mustache
import OperationsRecord
import UseCases

/// The clinical team's pages: server-rendered HTML over the same use cases as the API.
/// Each page parses its form, checks the user may, calls the desk, and renders a template.
struct PageRoutes {
    let desk: ProgramDesk
    let templates: MustacheLibrary
    /// `page.js` and `page.css`, served as they are.
    let assets: [String: (type: String, body: String)]

    /// The templates and assets bundled with the module.
    static func load(desk: ProgramDesk) throws -> PageRoutes {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw APIError(.internalServerError, "the page templates are missing from the build")
        }
        var library = MustacheLibrary()
        var assets: [String: (String, String)] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            switch (file as NSString).pathExtension {
            case "mustache": try library.register(text, named: (file as NSString).deletingPathExtension)
            case "js": assets[file] = ("text/javascript; charset=utf-8", text)
            case "css": assets[file] = ("text/css; charset=utf-8", text)
            default: continue
            }
        }
        return PageRoutes(desk: desk, templates: library, assets: assets)
    }

    func add(to router: Router<ServiceContext>) {
        for (file, asset) in assets {
            router.get(RouterPath(stringLiteral: "/\(file)")) { _, _ in
                var headers = HTTPFields()
                headers[.contentType] = asset.type
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: asset.body)))
            }
        }
        router.get("/") { _, context in
            redirect(context.sessions.session == nil ? "/login" : "/week")
        }
        router.get("/login") { _, _ in try page("login", Frame(title: "Log in"), [:]) }
        router.post("/login", use: logIn)
        router.post("/logout", use: logOut)
        router.get("/week", use: week)
        router.get("/week/change", use: changeForm)
        router.post("/week/propose", use: propose)
        router.post("/week/publish", use: publish)
        router.post("/week/discard", use: discard)
        router.get("/whatif", use: whatIf)
        router.get("/attendance", use: attendance)
        router.get("/attendance/sheet", use: sheet)
        router.post("/attendance/sheet", use: saveSheet)
        addAuthorizationPages(to: router)
    }

    // MARK: Logging in

    @Sendable func logIn(_ request: Request, context: ServiceContext) async throws -> Response {
        let form = try await self.form(request, context)
        let (name, password) = (form["name"] ?? "", form["password"] ?? "")
        let store = desk.store
        do {
            let user = try await ProgramDesk.offThread { try Accounts.logIn(name, password: password, in: store) }
            let login = Login(name: user.name, role: user.role, csrfToken: randomToken())
            context.sessions.createSession(login)
            try desk.audit(user.name, "login", "role \(user.role.rawValue) (page)", from: context.address)
            return redirect("/week")
        } catch let failure as Accounts.Failure {
            try desk.audit(name, "login refused", "(page)", from: context.address)
            return try page("login", Frame(title: "Log in"), ["error": failure.description], status: .unauthorized)
        }
    }

    @Sendable func logOut(_ request: Request, context: ServiceContext) async throws -> Response {
        let login = try await formLogin(request, context).login
        context.sessions.clearSession()
        try desk.audit(login.name, "logout", "(page)", from: context.address)
        return redirect("/login")
    }

    // MARK: The week

    @Sendable func week(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let login = context.sessions.session else { return redirect("/login") }
        guard login.role.may(.readWeek) else { return try forbidden(login) }
        let week = try await desk.publishedWeek()
        let view = WeekView(week, in: week.scenario)
        return try page(
            "week", Frame(title: "The week", login: LoginView(login), version: week.version), view)
    }

    @Sendable func changeForm(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let login = context.sessions.session else { return redirect("/login") }
        guard login.role.may(.changeWeek) else { return try forbidden(login) }
        return try changePage(login, error: nil, problems: [])
    }

    /// The re-plan after the form's event, kept for the user to publish or discard.
    @Sendable func propose(_ request: Request, context: ServiceContext) async throws -> Response {
        let (login, form) = try await formLogin(request, context)
        guard login.role.may(.changeWeek) else { return try forbidden(login) }
        guard let now = DateTime(iso: (form["now"] ?? "").replacingOccurrences(of: "T", with: " ")) else {
            return try changePage(login, error: "Give the moment to re-plan from.")
        }
        let change: String
        switch try await event(form) {
        case .success(let line): change = line
        case .failure(let problem): return try changePage(login, error: problem.message)
        }
        let events = """
            events:
              - at: \(now)
                \(change)
            """
        do {
            let (proposal, _) = try await desk.replan(eventsText: events, now: now, publish: false, by: login.name)
            let id = await desk.keep(proposal, for: login.name)
            return try page(
                "proposal", Frame(title: "The proposed re-plan", login: LoginView(login), keepOpen: true),
                ProposalView(id: id, proposal, now: now, csrfToken: login.csrfToken))
        } catch let error as APIError where error.status == .unprocessableContent || error.status == .conflict {
            return try changePage(login, error: error.message, problems: error.problems)
        }
    }

    /// A problem with the change form, said to the coordinator.
    struct FormProblem: Error {
        let message: String
    }

    /// The form's change as one line of an events document: an absence, a room lost, a
    /// cancelled group, a discharge or an admission from the form's fields, or from the
    /// grid a published session's lock or a client's pin into its time.
    private func event(_ form: [String: String]) async throws -> Result<String, FormProblem> {
        let kind = form["kind"] ?? ""
        if kind == "lock" || kind == "pin" {
            // From the grid: one published session kept as it is, or a client pinned into its time.
            let session = try await publishedSession(form["session"])
            let time = "group: \"\(session.group)\", day: \(session.day.rawValue), block: \"\(session.block)\""
            func list(_ ids: [String]) -> String { "[" + ids.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
            return .success(
                kind == "lock"
                    ? "lock: {\(time), section: \(session.section), room: \"\(session.room)\", "
                        + "facilitators: \(list(session.facilitators.map(\.rawValue))), "
                        + "members: \(list(session.members.map(\.rawValue)))}"
                    : "pin: {client: \"\(Self.yamlSafe(form["subject"] ?? ""))\", \(time)}")
        }
        guard let from = LocalDate(iso: form["from"] ?? "") else {
            return .failure(FormProblem(message: "Give the day the change starts and the moment to re-plan from."))
        }
        let to = LocalDate(iso: form["to"] ?? "").map { max($0, from) } ?? from
        let subject = Self.yamlSafe(form["subject"] ?? "")
        switch kind {
        case "facilitator_absence":
            return .success("facilitator_absence: {facilitator: \"\(subject)\", from: \(from), to: \(to)}")
        case "client_absence": return .success("client_absence: {client: \"\(subject)\", from: \(from), to: \(to)}")
        case "room_unavailable": return .success("room_unavailable: {room: \"\(subject)\", from: \(from), to: \(to)}")
        case "group_cancelled": return .success("group_cancelled: {group: \"\(subject)\", from: \(from), to: \(to)}")
        case "discharge": return .success("discharge: {client: \"\(subject)\", last_day: \(from)}")
        case "admission":
            let (id, track) = (Self.yamlSafe(form["new_id"] ?? ""), Self.yamlSafe(form["new_track"] ?? ""))
            return .success("admission: {id: \"\(id)\", track: \"\(track)\", admitted: \(from)}")
        default: return .failure(FormProblem(message: "Choose what changed."))
        }
    }

    @Sendable func publish(_ request: Request, context: ServiceContext) async throws -> Response {
        let (login, form) = try await formLogin(request, context)
        guard login.role.may(.changeWeek) else { return try forbidden(login) }
        guard let proposal = await desk.take(form["proposal"] ?? "", for: login.name) else {
            return try changePage(
                login, error: "That proposal was published or discarded already; enter the change again.")
        }
        let store = desk.store
        do {
            let version = try await ProgramDesk.offThread {
                try Replanning.publish(proposal, in: store, by: login.name)
            }
            try desk.audit(
                login.name, "publish",
                "v\(version) re-planned from v\(proposal.based) after "
                    + proposal.events.map(\.event.summary).joined(separator: "; ") + " (page)", from: context.address)
            return redirect("/week")
        } catch let error as APIError {
            return try changePage(login, error: error.message, problems: error.problems)
        }
    }

    @Sendable func discard(_ request: Request, context: ServiceContext) async throws -> Response {
        let (login, form) = try await formLogin(request, context)
        _ = await desk.take(form["proposal"] ?? "", for: login.name)
        return redirect("/week")
    }

    /// Every facilitator's absence on a day ranked by its impact; nothing is saved.
    @Sendable func whatIf(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let login = context.sessions.session else { return redirect("/login") }
        guard login.role.may(.readWeek) else { return try forbidden(login) }
        let query = request.uri.queryParameters
        let frame = Frame(title: "What if", login: LoginView(login))
        let firstDay = desk.base.program.weekOf.description
        guard let on = query.get("on").map({ String($0) }), let given = query.get("now").map({ String($0) }) else {
            return try page("whatif", frame, RankingView(nil, day: firstDay, now: "\(firstDay)T07:00"))
        }
        guard let day = LocalDate(iso: on), let now = DateTime(iso: given) else {
            var values: [String: Any] = ["day": on, "now": given, "ranked": false]
            values["error"] = "Give the day of the absence and the moment to re-plan from."
            return try page("whatif", frame, values, status: .badRequest)
        }
        do {
            let (ranking, stoppedEarly) = try await desk.rankAbsences(on: day, now: now, by: login.name)
            return try page("whatif", frame, RankingView(ranking, day: on, now: given, stoppedEarly: stoppedEarly))
        } catch let error as APIError {
            var values: [String: Any] = ["day": on, "now": given, "ranked": false]
            values["error"] = error.message
            return try page("whatif", frame, values, status: error.status)
        }
    }

    // MARK: Attendance

    @Sendable func attendance(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let login = context.sessions.session else { return redirect("/login") }
        guard login.role.may(.readWeek) else { return try forbidden(login) }
        let store = desk.store
        let published = try await ProgramDesk.offThread { try Publishing.latest(in: store) }
        let day =
            request.uri.queryParameters.get("as_of").flatMap { LocalDate(iso: String($0)) }
            ?? published.roster.weekOf
        let report = try await ProgramDesk.offThread { try Attendance.report(in: store, asOf: day) }
        return try page(
            "attendance",
            Frame(title: "Attendance", login: LoginView(login), version: published.version),
            AttendanceView(report, roster: published.roster))
    }

    @Sendable func sheet(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let login = context.sessions.session else { return redirect("/login") }
        guard login.role.may(.changeWeek) else { return try forbidden(login) }
        let session = try await publishedSession(request.uri.queryParameters.get("session").map { String($0) })
        return try page(
            "sheet", Frame(title: "Sign-in sheet", login: LoginView(login), keepOpen: true),
            SheetView(session, csrfToken: login.csrfToken))
    }

    /// The form's rows as a sign-in sheet, recorded all together or not at all.
    @Sendable func saveSheet(_ request: Request, context: ServiceContext) async throws -> Response {
        let (login, form) = try await formLogin(request, context)
        guard login.role.may(.changeWeek) else { return try forbidden(login) }
        let session = try await publishedSession(form["session"])
        let sheet =
            CSVTable(
                header: SignInSheet.header,
                rows: session.members.map(\.rawValue).sorted().map { client in
                    [
                        session.id, client, form["status_\(client)"] ?? "", form["minutes_\(client)"] ?? "",
                        form["reason_\(client)"] ?? "",
                    ]
                }
            ).render() + "\n"
        let store = desk.store
        do {
            let recorded = try await ProgramDesk.offThread {
                try Attendance.record(sheet: sheet, file: "the sign-in sheet", in: store)
            }
            try desk.audit(
                login.name, "attendance", "\(recorded.rows) rows of \(session.id) against v\(recorded.version) (page)",
                from: context.address)
            return redirect("/attendance?as_of=\(session.date)")
        } catch let error as APIError where error.status == .unprocessableContent {
            var view = SheetView(session, csrfToken: login.csrfToken)
            view.error = error.message
            view.problems = error.problems
            return try page(
                "sheet", Frame(title: "Sign-in sheet", login: LoginView(login), keepOpen: true), view,
                status: .unprocessableContent)
        }
    }

    // MARK: Helpers

    private func changePage(_ login: Login, error: String?, problems: [String] = []) throws -> Response {
        let scenario = desk.base
        var values: [String: Any] = [
            "csrfToken": login.csrfToken,
            "facilitators": scenario.facilitators.map(\.id.rawValue),
            "clients": scenario.clients.map(\.id.rawValue),
            "rooms": scenario.program.rooms.map(\.id.rawValue),
            "groups": scenario.groups.map(\.id.rawValue),
            "tracks": Set(scenario.clients.map(\.track.rawValue)).sorted(),
            "firstDay": scenario.program.weekOf.description,
            "now": WeekView.replanFrom(scenario.program.weekOf),
            "problems": problems,
        ]
        if let error { values["error"] = error }
        return try page(
            "change", Frame(title: "Change the week", login: LoginView(login), keepOpen: true), values,
            status: error == nil ? .ok : .unprocessableContent)
    }

    private func publishedSession(_ id: String?) async throws -> Session {
        let store = desk.store
        let roster = try await ProgramDesk.offThread { try Publishing.latest(in: store) }.roster
        guard let session = roster.sessions.first(where: { $0.id == id }) else {
            throw APIError(.notFound, "no session '\(id ?? "")' in the published roster")
        }
        return session
    }

    /// The logged-in user and the posted form, once the form carries the session's CSRF token.
    func formLogin(_ request: Request, _ context: ServiceContext) async throws -> (
        login: Login, form: [String: String]
    ) {
        let login = try context.login()
        let form = try await self.form(request, context)
        guard let token = form["csrf_token"], constantTimeEqual(token, login.csrfToken) else {
            throw APIError(.forbidden, "this form is out of date (no CSRF token of this session); reload the page")
        }
        return (login, form)
    }

    private func form(_ request: Request, _ context: ServiceContext) async throws -> [String: String] {
        let body = String(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        return try URLEncodedFormDecoder().decode([String: String].self, from: body)
    }

    func forbidden(_ login: Login) throws -> Response {
        try page(
            "login", Frame(title: "Not allowed", login: LoginView(login)),
            ["error": "A \(login.role.rawValue) may not open this page."], status: .forbidden)
    }

    /// `template` rendered with the frame's values and `view`'s.
    func page(
        _ template: String, _ frame: Frame, _ view: Any, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        var values: [String: Any] = ["title": frame.title, "keepOpen": frame.keepOpen]
        if let login = frame.login { values["login"] = login }
        if let version = frame.version { values["version"] = version }
        if let extra = view as? [String: Any] {
            values.merge(extra) { _, new in new }
        } else {
            for child in Mirror(reflecting: view).children {
                if let label = child.label { values[label] = unwrapped(child.value) }
            }
            values["view"] = view
        }
        guard let html = templates.render(values, withTemplate: template) else {
            throw APIError(.internalServerError, "no page template '\(template)'")
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    private static func yamlSafe(_ text: String) -> String {
        text.filter { $0 != "\"" && $0 != "\\" && !$0.isNewline }
    }
}

/// `value` itself, or what an optional holds (nil when it holds nothing), so that a
/// template's `{{#error}}` section shows only when there is one.
private func unwrapped(_ value: Any) -> Any? {
    let mirror = Mirror(reflecting: value)
    guard mirror.displayStyle == .optional else { return value }
    return mirror.children.first.flatMap { unwrapped($0.value) }
}

func redirect(_ location: String) -> Response {
    var headers = HTTPFields()
    headers[.location] = location
    return Response(status: .seeOther, headers: headers)
}
