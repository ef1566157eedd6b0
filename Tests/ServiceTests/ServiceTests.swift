import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IOPDomain
import Logging
import OperationsRecord
import RosterSolver
import TestSupport
import Testing
import UseCases
import Yams

@testable import Service

/// A record of the bundled Riverbend week with its published roster and one user of each role.
private func servedRecord(_ kind: RecordKind) throws -> RecordStore {
    let store = try RecordStore(path: try kind.newLocation("service"), create: true)
    let text = try String(
        contentsOf: repositoryRoot.appendingPathComponent("Scenarios/riverbend-small.yaml"), encoding: .utf8)
    let scenario = try bundledScenario("riverbend-small.yaml")
    try RecordWeek.importWeek(scenario, copy: text, by: "test", into: store)
    let roster = try Roster.decoder().decode(
        Roster.self,
        from: Data(
            contentsOf: repositoryRoot.appendingPathComponent("Scenarios/rosters/riverbend-small-published.json")))
    _ = try store.saveRoster(roster, published: true)
    for role in Role.allCases { try Accounts.add(role.rawValue, role: role, password: password(role), to: store) }
    return store
}

private func password(_ role: Role) -> String { "\(role.rawValue)-correct-horse" }

private func application(_ store: RecordStore) throws -> some ApplicationProtocol {
    var logger = Logger(label: "iop.serve.test")
    logger.logLevel = .warning
    return try Service.application(
        store: store, settings: ServiceSettings(host: "127.0.0.1", port: 0, timeLimit: 20), logger: logger)
}

private func json(_ value: [String: String]) -> ByteBuffer {
    ByteBuffer(data: try! JSONSerialization.data(withJSONObject: value))
}

private func object(_ response: TestResponse) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
}

/// Logs in as `role`: the session cookie and the CSRF token to send with writes.
private func logIn(_ client: some TestClientProtocol, _ role: Role) async throws -> (cookie: String, csrf: String) {
    let response = try await client.execute(
        uri: "/api/login", method: .post, body: json(["name": role.rawValue, "password": password(role)]))
    #expect(response.status == .ok)
    let cookie = try #require(response.headers[.setCookie])
    #expect(cookie.contains("HttpOnly"))
    #expect(cookie.contains("SameSite=Strict"))
    let csrf = try #require(try object(response)["csrf_token"] as? String)
    return (String(cookie.prefix { $0 != ";" }), csrf)
}

private func headers(_ login: (cookie: String, csrf: String), csrf: String? = nil) -> HTTPFields {
    var fields = HTTPFields()
    fields[.cookie] = login.cookie
    fields[HTTPField.Name("X-CSRF-Token")!] = csrf ?? login.csrf
    return fields
}

private let absence = try! String(
    contentsOf: repositoryRoot.appendingPathComponent("Scenarios/events/riverbend-thursday-absence.yaml"),
    encoding: .utf8)

@Suite("The service's JSON API, on a live server on loopback")
struct ServiceTests {
    @Test("health answers without logging in; the week and writes do not", arguments: RecordKind.tested)
    func healthAndNoSession(_ kind: RecordKind) async throws {
        try await application(try servedRecord(kind)).test(.live) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            #expect(try object(health)["status"] as? String == "ok")
            #expect(try await client.execute(uri: "/api/week", method: .get).status == .unauthorized)
            let write = try await client.execute(
                uri: "/api/events?now=2026-12-10T07:30", method: .post, body: ByteBuffer(string: absence))
            #expect(write.status == .unauthorized)
        }
    }

    @Test("a wrong name or password is 401, and nothing tells which", arguments: RecordKind.tested)
    func wrongPassword(_ kind: RecordKind) async throws {
        try await application(try servedRecord(kind)).test(.live) { client in
            let wrong = try await client.execute(
                uri: "/api/login", method: .post, body: json(["name": "coordinator", "password": "not it at all"]))
            let unknown = try await client.execute(
                uri: "/api/login", method: .post, body: json(["name": "nobody", "password": "not it at all"]))
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(Data(buffer: wrong.body) == Data(buffer: unknown.body))
            #expect(wrong.headers[.setCookie] == nil)
        }
    }

    @Test(
        "a coordinator reads the week, enters an absence, and the re-plan is published and audited",
        arguments: RecordKind.tested)
    func coordinatorReplans(_ kind: RecordKind) async throws {
        let store = try servedRecord(kind)
        try await application(store).test(.live) { client in
            let login = try await logIn(client, .coordinator)
            let week = try await client.execute(uri: "/api/week", method: .get, headers: headers(login))
            #expect(week.status == .ok)
            let before = try object(week)
            #expect(before["version"] as? Int == 1)
            #expect(before["program"] as? String == "Riverbend Adult IOP")
            let sessions = try #require(before["sessions"] as? [[String: Any]])
            #expect(
                sessions.contains {
                    ($0["facilitators"] as? [String])?.contains("f-ortiz") == true
                        && $0["date"] as? String == "2026-12-10"
                })

            let replan = try await client.execute(
                uri: "/api/events?now=2026-12-10T07:30&publish=true", method: .post, headers: headers(login),
                body: ByteBuffer(string: absence))
            #expect(replan.status == .ok)
            let result = try object(replan)
            #expect(result["published_version"] as? Int == 2)
            let changes = try #require(result["changes"] as? [[String: Any]])
            #expect(!changes.isEmpty)

            let after = try object(try await client.execute(uri: "/api/week", method: .get, headers: headers(login)))
            #expect(after["version"] as? Int == 2)
            let now = try #require(after["sessions"] as? [[String: Any]])
            #expect(
                !now.contains {
                    ($0["facilitators"] as? [String])?.contains("f-ortiz") == true
                        && ($0["date"] as? String ?? "") >= "2026-12-10"
                })
            #expect((after["clients"] as? [[String: Any]])?.contains { $0["client"] as? String == "c-113" } == true)
        }
        let log = try store.auditLog()
        #expect(log.map(\.action) == ["login", "publish"])
        #expect(log.allSatisfy { $0.user == "coordinator" && $0.address == "127.0.0.1" })
        #expect(try store.events().count == 3)
    }

    @Test(
        "a write without the CSRF token, or with a forged one, is 403 and stores nothing", arguments: RecordKind.tested)
    func csrf(_ kind: RecordKind) async throws {
        let store = try servedRecord(kind)
        try await application(store).test(.live) { client in
            let login = try await logIn(client, .coordinator)
            var missing = headers(login)
            missing[HTTPField.Name("X-CSRF-Token")!] = nil
            for fields in [missing, headers(login, csrf: String(repeating: "0", count: 64))] {
                let response = try await client.execute(
                    uri: "/api/events?now=2026-12-10T07:30&publish=true", method: .post, headers: fields,
                    body: ByteBuffer(string: absence))
                #expect(response.status == .forbidden)
            }
        }
        #expect(try store.publishedRoster()?.version == 1)
        #expect(try store.events().isEmpty)
    }

    @Test("each role may do what it should and no more", arguments: RecordKind.tested)
    func roles(_ kind: RecordKind) async throws {
        try await application(try servedRecord(kind)).test(.live) { client in
            for role in Role.allCases {
                let login = try await logIn(client, role)
                let week = try await client.execute(uri: "/api/week", method: .get, headers: headers(login))
                #expect(week.status == (role == .admin ? .forbidden : .ok), "\(role) reading the week")
                let audit = try await client.execute(uri: "/api/audit", method: .get, headers: headers(login))
                #expect(audit.status == (role == .admin ? .ok : .forbidden), "\(role) reading the audit log")
                if role != .coordinator {
                    let write = try await client.execute(
                        uri: "/api/events?now=2026-12-10T07:30", method: .post, headers: headers(login),
                        body: ByteBuffer(string: absence))
                    #expect(write.status == .forbidden, "\(role) re-planning")
                }
            }
        }
    }

    @Test(
        "five wrong passwords in a row lock a user out: the right one is then refused too", arguments: RecordKind.tested
    )
    func lockout(_ kind: RecordKind) async throws {
        let store = try servedRecord(kind)
        try await application(store).test(.live) { client in
            for _ in 0..<Accounts.allowedFailures {
                let response = try await client.execute(
                    uri: "/api/login", method: .post,
                    body: json(["name": "clinician", "password": "guess guess guess"]))
                #expect(response.status == .unauthorized)
            }
            let right = try await client.execute(
                uri: "/api/login", method: .post, body: json(["name": "clinician", "password": password(.clinician)]))
            #expect(right.status == .unauthorized)
        }
        #expect(try store.user(named: "clinician")?.isLocked(at: Date()) == true)
        #expect(try store.auditLog().filter { $0.action == "login refused" }.count == Accounts.allowedFailures + 1)
    }

    @Test("events that do not read are 422 with every problem; nothing is stored", arguments: RecordKind.tested)
    func badEvents(_ kind: RecordKind) async throws {
        let store = try servedRecord(kind)
        try await application(store).test(.live) { client in
            let login = try await logIn(client, .coordinator)
            let response = try await client.execute(
                uri: "/api/events?now=2026-12-10T07:30&publish=true", method: .post, headers: headers(login),
                body: ByteBuffer(
                    string:
                        "events:\n  - at: 2026-12-10T07:00\n    facilitator_absence: {facilitator: f-nobody, from: 2026-12-10}\n"
                ))
            #expect(response.status == .unprocessableContent)
            let problems = try #require(try object(response)["problems"] as? [String])
            #expect(problems.contains { $0.contains("f-nobody") })
        }
        #expect(try store.publishedRoster()?.version == 1)
    }

    @Test(
        "a denial, its appeal packet, a discharge item and a payer's policy changed through the API, each audited; bad bodies name their key",
        arguments: RecordKind.tested)
    func reviewWrites(_ kind: RecordKind) async throws {
        let store = try servedRecord(kind)
        try await application(store).test(.live) { client in
            let clinician = try await logIn(client, .clinician)
            let denial = ByteBuffer(string: #"{"number": "A-99812", "on": "2026-12-09", "outcome": "denied"}"#)
            let refused = try await client.execute(
                uri: "/api/reviews/decisions", method: .post, headers: headers(clinician), body: denial)
            #expect(refused.status == .forbidden)
            let login = try await logIn(client, .coordinator)
            let decided = try await client.execute(
                uri: "/api/reviews/decisions", method: .post, headers: headers(login), body: denial)
            #expect(decided.status == .ok)
            let decision = try object(decided)
            #expect(decision["outcome"] as? String == "denied")
            #expect(decision["appeal_due"] as? String == "2027-01-08")
            #expect(decision["peer_to_peer"] != nil || decision["unplaced"] != nil)
            let item = try await client.execute(
                uri: "/api/appeals/items", method: .post, headers: headers(login),
                body: json(["number": "A-99812", "item": "attendance report"]))
            #expect(item.status == .ok)
            let appeals = try #require(try object(item)["appeals"] as? [[String: Any]])
            #expect((appeals.first?["missing"] as? [String])?.contains("attendance report") == false)
            let unknownItem = try await client.execute(
                uri: "/api/appeals/items", method: .post, headers: headers(login),
                body: json(["number": "A-99812", "item": "fax cover"]))
            #expect(unknownItem.status == .unprocessableContent)
            let discharge = try await client.execute(
                uri: "/api/discharges/items", method: .post, headers: headers(login),
                body: json(["client": "c-112", "item": "records release on file", "on": "2026-12-11"]))
            #expect(discharge.status == .ok)
            #expect(try store.dischargeItems().contains { $0.item == "records release on file" && $0.doneOn != nil })
            let payer = try await client.execute(
                uri: "/api/payers", method: .post, headers: headers(login),
                body: ByteBuffer(string: #"{"payer": "acme", "appeal_days": 14}"#))
            #expect(payer.status == .ok)
            #expect(try object(payer)["appeal_days"] as? Int == 14)
            #expect(try store.policy(for: "acme").appealDays == 14)
            let mistyped = try await client.execute(
                uri: "/api/payers", method: .post, headers: headers(login),
                body: ByteBuffer(string: #"{"payer": "acmee", "appeal_days": 14}"#))
            #expect(mistyped.status == .unprocessableContent)
            #expect((try object(mistyped)["error"] as? String)?.contains("no payer 'acmee'") == true)
            let outOfRange = try await client.execute(
                uri: "/api/payers", method: .post, headers: headers(login),
                body: ByteBuffer(string: #"{"payer": "acme", "min_days": 9, "appeal_days": 0}"#))
            #expect(outOfRange.status == .unprocessableContent)
            #expect(
                try object(outOfRange)["problems"] as? [String] == [
                    "appeal_days: must be a number of days from 1 to 366", "min_days: must be between 0 and 7",
                ])
            let malformed = try await client.execute(
                uri: "/api/reviews/decisions", method: .post, headers: headers(login),
                body: ByteBuffer(string: #"{"number": 5, "on": "2026-12-09", "outcome": "denied"}"#))
            #expect(malformed.status == .badRequest)
            #expect((try object(malformed)["error"] as? String)?.contains("number: expected String") == true)
            let listed = try await client.execute(uri: "/api/payers", method: .get, headers: headers(clinician))
            #expect((try JSONSerialization.jsonObject(with: Data(buffer: listed.body)) as? [[String: Any]])?.count == 1)
        }
        #expect(
            try store.auditLog().map(\.action).filter { $0 != "login" } == [
                "review decision", "appeal item", "discharge item", "payer",
            ])
        #expect(try store.openAppeals().first?.deadline == LocalDate(iso: "2027-01-08"))
    }

    @Test(
        "the record's reports, the FHIR bundle and the sign-in sheets, read by a clinician; a bad query is a 400",
        arguments: RecordKind.tested)
    func reports(_ kind: RecordKind) async throws {
        let store = try servedRecord(kind)
        try await application(store).test(.live) { client in
            let login = try await logIn(client, .clinician)
            let due = try await client.execute(
                uri: "/api/reviews/due?as_of=2026-12-07&within=7", method: .get, headers: headers(login))
            #expect(due.status == .ok)
            let items = try #require(try object(due)["items"] as? [[String: Any]])
            #expect(items.contains { $0["kind"] as? String == "expiry" && $0["client"] as? String == "c-107" })
            let billing = try await client.execute(uri: "/api/billing", method: .get, headers: headers(login))
            #expect(billing.status == .ok)
            #expect(try object(billing)["week_of"] as? String == "2026-12-07")
            let appeals = try await client.execute(uri: "/api/appeals", method: .get, headers: headers(login))
            #expect((try object(appeals)["appeals"] as? [Any])?.isEmpty == true)
            let undated = try await client.execute(uri: "/api/discharges", method: .get, headers: headers(login))
            #expect(undated.status == .badRequest)
            let discharges = try await client.execute(
                uri: "/api/discharges?as_of=2026-12-11", method: .get, headers: headers(login))
            #expect(discharges.status == .ok)
            let fhir = try await client.execute(uri: "/api/export/fhir", method: .get, headers: headers(login))
            #expect(fhir.status == .ok)
            #expect(fhir.headers[.contentType]?.hasPrefix("application/fhir+json") == true)
            #expect(try object(fhir)["resourceType"] as? String == "Bundle")
            let roster = try #require(try store.publishedRoster()).roster
            let monday = roster.sessions.filter { $0.date == LocalDate(iso: "2026-12-07") }
            let printable = try await client.execute(
                uri: "/api/export/sheets?day=2026-12-07", method: .get, headers: headers(login))
            #expect(printable.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(
                String(buffer: printable.body).components(separatedBy: "<section class=\"sheet\">").count - 1
                    == monday.count)
            let csv = try await client.execute(
                uri: "/api/export/sheets?day=2026-12-07&format=csv", method: .get, headers: headers(login))
            let rows = String(buffer: csv.body).split(separator: "\n").dropFirst()
            #expect(rows.count == monday.map(\.members.count).reduce(0, +))
            let odd = try await client.execute(
                uri: "/api/export/sheets?format=pdf", method: .get, headers: headers(login))
            #expect(odd.status == .badRequest)
        }
    }

    @Test(
        "a sign-in sheet is recorded all or nothing; the report then shows who is at risk, and make-up sessions publish",
        arguments: RecordKind.tested)
    func attendance(_ kind: RecordKind) async throws {
        let store = try servedRecord(kind)
        let roster = try #require(try store.publishedRoster()).roster
        // Monday as attended: everyone present but c-101, off with flu.
        let monday = roster.sessions.filter { $0.date == LocalDate(iso: "2026-12-07") }
        let rows = monday.flatMap { session in
            session.members.sorted().map {
                "\(session.id),\($0),\($0 == "c-101" ? "absent_excused,,flu" : "present,,")"
            }
        }
        let sheet = (["session_id,client,status,minutes,reason"] + rows).joined(separator: "\n") + "\n"
        try await application(store).test(.live) { client in
            let login = try await logIn(client, .coordinator)
            let bad = try await client.execute(
                uri: "/api/attendance", method: .post, headers: headers(login),
                body: ByteBuffer(string: sheet + "\(monday[0].id),c-999,present,,\n"))
            #expect(bad.status == .unprocessableContent)
            #expect((try object(bad)["problems"] as? [String])?.contains { $0.contains("c-999") } == true)
            #expect(try store.attendance().isEmpty)

            let good = try await client.execute(
                uri: "/api/attendance", method: .post, headers: headers(login), body: ByteBuffer(string: sheet))
            #expect(good.status == .ok)
            #expect(try object(good)["rows"] as? Int == rows.count)

            let report = try await client.execute(
                uri: "/api/attendance/report?as_of=2026-12-08", method: .get, headers: headers(login))
            #expect(report.status == .ok)
            let clients = try #require(try object(report)["clients"] as? [[String: Any]])
            let flu = try #require(clients.first { $0["client"] as? String == "c-101" })
            #expect(flu["attended_hours"] as? Double == 0)
            #expect((flu["absences"] as? [String])?.isEmpty == false)

            let makeUp = try await client.execute(
                uri: "/api/attendance/makeup?as_of=2026-12-08T07:00&apply=true", method: .post, headers: headers(login))
            #expect(makeUp.status == .ok)
            #expect(try object(makeUp)["published_version"] as? Int == 2)
        }
        #expect(try store.rosterVersions().last?.origin == .madeUp)
        #expect(try store.auditLog().map(\.action) == ["login", "attendance", "publish"])
    }

    @Test("a clinician ranks every facilitator's absence tomorrow, and nothing is saved", arguments: RecordKind.tested)
    func whatIfRanking(_ kind: RecordKind) async throws {
        let store = try servedRecord(kind)
        try await application(store).test(.live) { client in
            let login = try await logIn(client, .clinician)
            let response = try await client.execute(
                uri: "/api/whatif/absences?on=2026-12-10&now=2026-12-09T18:00", method: .get, headers: headers(login))
            #expect(response.status == .ok)
            let ranking = try object(response)
            let rows = try #require(ranking["rows"] as? [[String: Any]])
            let ranked = Set(rows.compactMap { $0["facilitator"] as? String })
            let unranked = Set(
                (ranking["not_ranked"] as? [[String: Any]] ?? []).compactMap { $0["facilitator"] as? String })
            #expect(
                ranked.union(unranked)
                    == Set(try bundledScenario("riverbend-small.yaml").facilitators.map(\.id.rawValue)))
            let hours = rows.compactMap { ($0["impact"] as? [String: Any])?["hours_short"] as? Double }
            #expect(hours == hours.sorted(by: >))
            let malformed = try await client.execute(
                uri: "/api/whatif/absences?on=thursday&now=2026-12-09T18:00", method: .get, headers: headers(login))
            #expect(malformed.status == .badRequest)
        }
        #expect(try store.rosterVersions().count == 1)
    }

    @Test(
        "a second solve of a program while one runs is told the program is busy; watchers see it start and end",
        arguments: RecordKind.tested)
    func oneSolveAtATime(_ kind: RecordKind) async throws {
        let desk = ProgramDesk(
            store: try servedRecord(kind), base: try bundledScenario("riverbend-small.yaml"), options: PlanOptions())
        let gate = DispatchSemaphore(value: 0)
        let first = Task {
            try await desk.solving("re-plan", by: "dana") {
                gate.wait()
                return 1
            }
        }
        while !(await desk.busy) { try await Task.sleep(for: .milliseconds(5)) }
        // Watching from here, before the solve is let go: a watcher that starts after it ends sees only "idle".
        let feed = desk.feed.watch()
        let watching = Task { await Array(feed) }
        await #expect(throws: APIError.self) { try await desk.solving("what-if", by: "lee") { 2 } }
        gate.signal()
        #expect(try await first.value == 1)
        let updates = await watching.value
        #expect(updates.first?.event == .started && updates.first?.startedBy == "dana")
        #expect(updates.last?.event == .finished && updates.last?.outcome == "done")
        #expect(try await desk.solving("re-plan", by: "dana") { 3 } == 3)
        #expect(await Array(desk.feed.watch()).map(\.event) == [.idle])
    }

    @Test(
        "two servers on one record never solve it at once: while one holds the planning lock, the other is told it is busy",
        arguments: RecordKind.tested)
    func oneSolveAcrossServers(_ kind: RecordKind) async throws {
        let store = try servedRecord(kind)
        let base = try bundledScenario("riverbend-small.yaml")
        let other = try RecordStore(path: store.location)
        let desk = ProgramDesk(store: store, base: base, options: PlanOptions())
        let (holding, release) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        // The other server holds the lock on a thread of its own, never a cooperative one.
        let elsewhere = Task {
            try await ProgramDesk.offThread {
                try other.whilePlanning {
                    holding.signal()
                    release.wait()
                }
            }
        }
        try await ProgramDesk.offThread { holding.wait() }
        await #expect(throws: APIError.self) { try await desk.solving("re-plan", by: "dana") { 1 } }
        release.signal()
        #expect(try await elsewhere.value != nil)
        #expect(try await desk.solving("re-plan", by: "dana") { 2 } == 2)
    }

    @Test("a long re-plan is watched over server-sent events and cancelled: it answers with its best roster so far")
    func cancelALongSolve() async throws {
        // A 60-client week re-planned whole from an empty roster: tier 4 runs to its limit of 10 minutes.
        let store = try RecordStore(path: temporaryPath("long.sqlite"), create: true)
        let path = repositoryRoot.appendingPathComponent("Scenarios/generated-60-seed1.yaml")
        let scenario = try bundledScenario("generated-60-seed1.yaml")
        try store.importScenario(scenario, text: try String(contentsOf: path, encoding: .utf8))
        _ = try store.saveRoster(
            Roster(program: scenario.program.name, weekOf: scenario.program.weekOf, sessions: [], clients: []),
            published: true)
        try Accounts.add("coordinator", role: .coordinator, password: password(.coordinator), to: store)
        var logger = Logger(label: "iop.serve.test")
        logger.logLevel = .warning
        let app = try Service.application(
            store: store, settings: ServiceSettings(host: "127.0.0.1", port: 0, timeLimit: 600), logger: logger)
        try await app.test(.live) { client in
            let login = try await logIn(client, .coordinator)
            // The solve and its watcher each on a connection of its own, as two browsers would be.
            let port = try #require(client.port)
            let patient = TestClient.Configuration(timeout: .seconds(1200))
            let solve = Task {
                try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: patient) { other in
                    try await other.post(
                        "/api/events?now=2026-12-07T00:00&publish=true", headers: headers(login),
                        body: ByteBuffer(string: "events: []\n"))
                }
            }
            let watched = Task {
                try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: patient) { other in
                    while true {
                        let feed = try await other.get("/api/solve/progress", headers: headers(login))
                        let text = feed.body.map { String(buffer: $0) } ?? ""
                        if text.contains("event: started") { return (feed.head.headerFields[.contentType], text) }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
            }
            // Most machines have a roster by then; a slower one is stopped before it, which must hold too.
            try await Task.sleep(for: .seconds(3))
            var cancel = try await client.execute(uri: "/api/solve/cancel", method: .post, headers: headers(login))
            while cancel.status == .conflict {
                try await Task.sleep(for: .milliseconds(50))
                cancel = try await client.execute(uri: "/api/solve/cancel", method: .post, headers: headers(login))
            }
            #expect(cancel.status == .accepted)
            let answer = try await solve.value
            let (type, events) = try await watched.value
            #expect(type == "text/event-stream")
            #expect(events.contains("\"solve\":\"re-plan\"") && events.contains("\"started_by\":\"coordinator\""))
            #expect(events.hasSuffix("\n\n") && events.contains("event: finished"))
            #expect(events.contains("\"outcome\":\"cancelled\""))
            // Stopped before any roster, the re-plan says so; after one, it answers it.
            #expect(answer.head.status == .ok || answer.head.status == .serviceUnavailable)
            if answer.head.status == .ok {
                let bytes = try #require(answer.body)
                let body = try #require(JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any])
                let solver = try #require(body["solver"] as? [String: Any])
                let stages = try #require(solver["stages"] as? [[String: Any]])
                #expect(stages.contains { $0["stopped"] as? String == "interrupted" })
            }
            let idle = try await client.execute(uri: "/api/solve/progress", method: .get, headers: headers(login))
            #expect(String(buffer: idle.body) == "event: idle\ndata: {\"event\":\"idle\"}\n\n")
        }
        #expect(try store.auditLog().map(\.action).contains("cancel solve"))
    }

    @Test(
        "the page: the first page is the login form; a form without the session's token is refused and publishes nothing",
        arguments: RecordKind.tested)
    func pageForms(_ kind: RecordKind) async throws {
        let store = try servedRecord(kind)
        try await application(store).test(.live) { client in
            let first = try await client.execute(uri: "/", method: .get)
            #expect(first.status == .seeOther && first.headers[.location] == "/login")
            let form = String(buffer: try await client.execute(uri: "/login", method: .get).body)
            #expect(form.contains("name=\"name\"") && form.contains("type=\"password\""))
            var posted = HTTPFields()
            posted[.contentType] = "application/x-www-form-urlencoded"
            let login = try await client.execute(
                uri: "/login", method: .post, headers: posted,
                body: ByteBuffer(string: "name=coordinator&password=coordinator-correct-horse"))
            #expect(login.status == .seeOther && login.headers[.location] == "/week")
            let cookie = String(try #require(login.headers[.setCookie]).prefix { $0 != ";" })
            var session = posted
            session[.cookie] = cookie
            let week = String(buffer: try await client.execute(uri: "/week", method: .get, headers: session).body)
            #expect(week.contains("Riverbend Adult IOP, week of 2026-12-07") && week.contains("data-version=\"1\""))
            let forged = try await client.execute(
                uri: "/week/propose", method: .post, headers: session,
                body: ByteBuffer(
                    string: "csrf_token=forged&facilitator=f-ortiz&from=2026-12-10&to=2026-12-11&now=2026-12-10T07:30"))
            #expect(forged.status == .forbidden)
            let anonymous = try await client.execute(uri: "/week", method: .get)
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/login")
        }
        #expect(try store.publishedRoster()?.version == 1)
    }

    @Test(
        "every kind of change the page offers is re-planned and shown before anything is published",
        arguments: RecordKind.tested)
    func pageChanges(_ kind: RecordKind) async throws {
        let store = try servedRecord(kind)
        try await application(store).test(.live) { client in
            let login = try await logIn(client, .coordinator)
            var fields = headers(login)
            fields[.contentType] = "application/x-www-form-urlencoded"
            let changes = [
                "kind=facilitator_absence&subject=f-ortiz", "kind=client_absence&subject=c-105",
                "kind=room_unavailable&subject=oak", "kind=group_cancelled&subject=relapse",
                "kind=discharge&subject=c-112", "kind=admission&new_id=c-150&new_track=adult",
            ]
            for change in changes {
                let response = try await client.execute(
                    uri: "/week/propose", method: .post, headers: fields,
                    body: ByteBuffer(
                        string: "csrf_token=\(login.csrf)&\(change)&from=2026-12-10&to=2026-12-10&now=2026-12-09T18:00")
                )
                let page = String(buffer: response.body)
                #expect(response.status == .ok, "\(change): \(page.prefix(2000))")
                #expect(page.contains("The proposed re-plan"), "\(change)")
            }
            let unknown = try await client.execute(
                uri: "/week/propose", method: .post, headers: fields,
                body: ByteBuffer(
                    string:
                        "csrf_token=\(login.csrf)&kind=client_absence&subject=c-999&from=2026-12-10&now=2026-12-09T18:00"
                ))
            #expect(unknown.status == .unprocessableContent)
            #expect(String(buffer: unknown.body).contains("c-999"))
        }
        #expect(try store.publishedRoster()?.version == 1)
        #expect(try store.events().isEmpty)
    }

    @Test(
        "calendars: a facilitator's by query, a client's by body only; unknown people are 404",
        arguments: RecordKind.tested)
    func calendars(_ kind: RecordKind) async throws {
        try await application(try servedRecord(kind)).test(.live) { client in
            let login = try await logIn(client, .clinician)
            let staff = try await client.execute(
                uri: "/api/calendar?facilitator=f-chen", method: .get, headers: headers(login))
            #expect(staff.status == .ok)
            #expect(staff.headers[.contentType]?.hasPrefix("text/calendar") == true)
            #expect(String(buffer: staff.body).contains("BEGIN:VEVENT"))
            #expect(String(buffer: staff.body).contains("SEQUENCE:1"))
            let mine = try await client.execute(
                uri: "/api/calendar", method: .post, headers: headers(login), body: json(["client": "c-101"]))
            #expect(mine.status == .ok)
            #expect(!String(buffer: mine.body).contains("c-102"))
            let nobody = try await client.execute(
                uri: "/api/calendar?facilitator=f-nobody", method: .get, headers: headers(login))
            #expect(nobody.status == .notFound)
        }
    }

    @Test("docs/openapi.yaml documents exactly the routes the service answers", arguments: RecordKind.tested)
    func openAPI(_ kind: RecordKind) async throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        #expect(documented == Set(Service.routes.map { "\($0.method) \($0.path)" }))
        try await application(try servedRecord(kind)).test(.live) { client in
            for route in Service.routes {
                let response = try await client.execute(uri: route.path, method: HTTPRequest.Method(route.method)!)
                #expect(response.status != .notFound, "\(route.method) \(route.path)")
            }
        }
    }
}
