import Foundation
import Hummingbird
import IOPDomain
import OperationsRecord
import UseCases

/// The pages of what payers and discharges ask of the program: reviews and expiries due
/// with their decisions, appeals and their packets, discharge checklists, billing evidence.
/// Everyone may read them; a coordinator logs decisions and marks items done.
extension PageRoutes {
    func addAuthorizationPages(to router: Router<ServiceContext>) {
        router.get("/authorizations", use: authorizations)
        router.post("/authorizations/decide", use: decide)
        router.post("/authorizations/appeal-item", use: completeAppealItem)
        router.get("/discharges", use: discharges)
        router.post("/discharges/item", use: completeDischargeItem)
        router.get("/billing", use: billing)
    }

    /// Days ahead the reviews page looks by default.
    static let reviewWindow = 14

    /// The days ahead given, from 0 to 366 as the API takes them, or ``reviewWindow``.
    static func window(_ given: String?) -> Int {
        given.flatMap { Int($0) }.map { min(max($0, 0), 366) } ?? reviewWindow
    }

    @Sendable func authorizations(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let login = context.sessions.session else { return redirect("/login") }
        guard login.role.may(.readWeek) else { return try forbidden(login) }
        let query = request.uri.queryParameters
        return try await authorizationsPage(
            login, asOf: try await day(query.get("as_of").map { String($0) }),
            within: Self.window(query.get("within").map { String($0) }))
    }

    /// Logs the form's review decision, then shows the page with what it did.
    @Sendable func decide(_ request: Request, context: ServiceContext) async throws -> Response {
        let (login, form) = try await formLogin(request, context)
        guard login.role.may(.changeWeek) else { return try forbidden(login) }
        let asOf = try await day(form["as_of"])
        let within = Self.window(form["within"])
        func given(_ key: String) -> String? { form[key].flatMap { $0.isEmpty ? nil : $0 } }
        var problems: [String] = []
        func hours(_ key: String) -> Double? {
            guard let text = given(key) else { return nil }
            guard let value = Double(text) else {
                problems.append("\(key): expected a number of hours; found '\(text)'")
                return nil
            }
            return value
        }
        let outcome = given("outcome").flatMap(Routes.DecisionRequest.Outcome.init(rawValue:))
        if outcome == nil { problems.append("outcome: choose approved, denied or step-down") }
        let (low, high) = (hours("min_hours"), hours("max_hours"))
        guard problems.isEmpty, let outcome else {
            return try await authorizationsPage(
                login, asOf: asOf, within: within, error: "The decision does not hold; nothing was logged.",
                problems: problems, status: .unprocessableContent)
        }
        let asked = Routes.DecisionRequest(
            number: form["number"] ?? "", on: form["on"] ?? "", outcome: outcome, through: given("through"),
            minHours: low, maxHours: high, level: given("level"), note: given("note"))
        do {
            let decision = try await desk.decide(asked, by: login.name, from: context.address)
            let notice =
                decision.summary
                + (decision.unplaced.map { ". The peer-to-peer call is still to be placed: \($0)" } ?? "")
            return try await authorizationsPage(login, asOf: asOf, within: within, notice: notice)
        } catch let error as APIError where error.status == .unprocessableContent {
            return try await authorizationsPage(
                login, asOf: asOf, within: within, error: error.message, problems: error.problems,
                status: .unprocessableContent)
        }
    }

    @Sendable func completeAppealItem(_ request: Request, context: ServiceContext) async throws -> Response {
        let (login, form) = try await formLogin(request, context)
        guard login.role.may(.changeWeek) else { return try forbidden(login) }
        let asOf = try await day(form["as_of"])
        let within = Self.window(form["within"])
        let (number, item) = (form["number"] ?? "", form["item"] ?? "")
        do {
            _ = try await desk.completeAppealItem(item, of: number, by: login.name, from: context.address)
            return try await authorizationsPage(
                login, asOf: asOf, within: within, notice: "\(number): \(item), done")
        } catch let error as APIError where error.status == .unprocessableContent {
            return try await authorizationsPage(
                login, asOf: asOf, within: within, error: error.message, status: .unprocessableContent)
        }
    }

    @Sendable func discharges(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let login = context.sessions.session else { return redirect("/login") }
        guard login.role.may(.readWeek) else { return try forbidden(login) }
        return try await dischargesPage(
            login, asOf: try await day(request.uri.queryParameters.get("as_of").map { String($0) }))
    }

    /// Marks the form's checklist item done on the day the page shows.
    @Sendable func completeDischargeItem(_ request: Request, context: ServiceContext) async throws -> Response {
        let (login, form) = try await formLogin(request, context)
        guard login.role.may(.changeWeek) else { return try forbidden(login) }
        let asOf = try await day(form["as_of"])
        let (client, item) = (ClientID(form["client"] ?? ""), form["item"] ?? "")
        do {
            _ = try await desk.completeDischargeItem(item, of: client, on: asOf, by: login.name, from: context.address)
            return try await dischargesPage(login, asOf: asOf, notice: "\(client): \(item), done on \(asOf)")
        } catch let error as APIError where error.status == .unprocessableContent {
            return try await dischargesPage(login, asOf: asOf, error: error.message, status: .unprocessableContent)
        }
    }

    @Sendable func billing(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let login = context.sessions.session else { return redirect("/login") }
        guard login.role.may(.readWeek) else { return try forbidden(login) }
        let store = desk.store
        let week = try await ProgramDesk.offThread { try Billing.week(in: store) }
        return try page("billing", Frame(title: "Billing", login: LoginView(login)), BillingView(week))
    }

    // MARK: Helpers

    private func authorizationsPage(
        _ login: Login, asOf: LocalDate, within: Int, notice: String? = nil, error: String? = nil,
        problems: [String] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let store = desk.store
        let (due, appeals) = try await ProgramDesk.offThread {
            (try Reviews.due(in: store, asOf: asOf, within: within), try Reviews.appeals(in: store))
        }
        var view = AuthorizationsView(due, appeals, csrfToken: login.csrfToken)
        (view.notice, view.error, view.problems) = (notice, error, problems)
        return try page(
            "authorizations", Frame(title: "Authorizations", login: LoginView(login), keepOpen: true), view,
            status: status)
    }

    private func dischargesPage(
        _ login: Login, asOf: LocalDate, notice: String? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let store = desk.store
        let checklist = try await ProgramDesk.offThread { try Discharges.checklist(in: store, asOf: asOf) }
        var view = DischargesView(checklist, csrfToken: login.csrfToken)
        (view.notice, view.error) = (notice, error)
        return try page(
            "discharges", Frame(title: "Discharges", login: LoginView(login), keepOpen: true), view, status: status)
    }

    /// The day a page is as of: the one given, else the published week's first day (the
    /// program's first week before anything is published).
    private func day(_ given: String?) async throws -> LocalDate {
        if let day = given.flatMap(LocalDate.init(iso:)) { return day }
        let store = desk.store
        let published = try? await ProgramDesk.offThread { try Publishing.latest(in: store) }
        return published?.roster.weekOf ?? desk.base.program.weekOf
    }
}
