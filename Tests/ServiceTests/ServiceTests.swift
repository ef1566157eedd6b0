import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IOPDomain
import Logging
import OperationsRecord
import Service
import TestSupport
import Testing
import UseCases
import Yams

/// A record of the bundled Riverbend week with its published roster and one user of each role.
private func servedRecord() throws -> RecordStore {
    let path = temporaryPath("service.sqlite")
    let store = try RecordStore(path: path, create: true)
    let text = try String(
        contentsOf: repositoryRoot.appendingPathComponent("Scenarios/riverbend-small.yaml"), encoding: .utf8)
    let scenario = try bundledScenario("riverbend-small.yaml")
    try store.importScenario(scenario, text: text)
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
    @Test("health answers without logging in; the week and writes do not")
    func healthAndNoSession() async throws {
        try await application(try servedRecord()).test(.live) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            #expect(try object(health)["status"] as? String == "ok")
            #expect(try await client.execute(uri: "/api/week", method: .get).status == .unauthorized)
            let write = try await client.execute(
                uri: "/api/events?now=2026-12-10T07:30", method: .post, body: ByteBuffer(string: absence))
            #expect(write.status == .unauthorized)
        }
    }

    @Test("a wrong name or password is 401, and nothing tells which")
    func wrongPassword() async throws {
        try await application(try servedRecord()).test(.live) { client in
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

    @Test("a coordinator reads the week, enters an absence, and the re-plan is published and audited")
    func coordinatorReplans() async throws {
        let store = try servedRecord()
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

    @Test("a write without the CSRF token, or with a forged one, is 403 and stores nothing")
    func csrf() async throws {
        let store = try servedRecord()
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

    @Test("each role may do what it should and no more")
    func roles() async throws {
        try await application(try servedRecord()).test(.live) { client in
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

    @Test("five wrong passwords in a row lock a user out: the right one is then refused too")
    func lockout() async throws {
        let store = try servedRecord()
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

    @Test("events that do not read are 422 with every problem; nothing is stored")
    func badEvents() async throws {
        let store = try servedRecord()
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

    @Test("docs/openapi.yaml documents exactly the routes the service answers")
    func openAPI() async throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        #expect(documented == Set(Service.routes.map { "\($0.method) \($0.path)" }))
        try await application(try servedRecord()).test(.live) { client in
            for route in Service.routes {
                let response = try await client.execute(uri: route.path, method: HTTPRequest.Method(route.method)!)
                #expect(response.status != .notFound, "\(route.method) \(route.path)")
            }
        }
    }
}
