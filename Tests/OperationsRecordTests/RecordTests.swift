import Foundation
import GRDB
import IOPDomain
import Planner
import RosterSolver
import RosterValidator
import ScenarioFile
import TestSupport
import Testing

@testable import OperationsRecord

private let root = repositoryRoot

private func temporary(_ name: String) -> String { temporaryPath(name, prefix: "iop-record") }

@Suite("Operations record")
struct RecordTests {
    static let scenario = try! ScenarioLoader.load(
        path: root.appendingPathComponent("Scenarios/riverbend-small.yaml").path)
    /// The week as published (a file, so the record starts from one roster).
    static let roster = try! Roster.decoder().decode(
        Roster.self,
        from: Data(contentsOf: root.appendingPathComponent("Scenarios/rosters/riverbend-small-published.json")))

    private func store(_ kind: RecordKind) throws -> RecordStore {
        let store = try RecordStore(path: try kind.newLocation("record"), create: true)
        try store.importScenario(Self.scenario)
        try store.saveRoster(Self.roster, published: true)
        return store
    }

    @Test("a record is created only when asked, owner-only, and migrated from empty; reopening changes nothing")
    func migrationsFromEmpty() throws {
        let path = temporary("new.sqlite")
        #expect(throws: RecordError.missing(path)) { try RecordStore(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
        let store = try RecordStore(path: path, create: true)
        #expect(
            try store.appliedMigrations() == [
                "v1: program, census, rosters, attendance", "v2: authorizations", "v3: review decisions and appeals",
                "v4: discharge checklists", "v5: peer-to-peer calls",
                "v6: payer policies, level of care, approved units", "v7: events", "v8: roster origins",
                "v9: withdrawn events", "v10: weeks", "v11: users and the audit log",
            ])
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(
            try RecordStore(path: path).appliedMigrations() == [
                "v1: program, census, rosters, attendance", "v2: authorizations", "v3: review decisions and appeals",
                "v4: discharge checklists", "v5: peer-to-peer calls",
                "v6: payer policies, level of care, approved units", "v7: events", "v8: roster origins",
                "v9: withdrawn events", "v10: weeks", "v11: users and the audit log",
            ])
    }

    @Test(
        "a PostgreSQL record: refused on an empty database unless created, then the same migrations as SQLite; reopening changes nothing",
        .enabled(if: RecordKind.tested.contains(.postgres)))
    func postgresFromEmpty() throws {
        let url = try RecordKind.postgres.newLocation("new")
        let shown = try #require(PostgresAddress(url: url)).redacted
        #expect(throws: RecordError.missing(shown)) { try RecordStore(path: url) }
        let sqlite = try RecordStore(path: temporary("beside.sqlite"), create: true)
        #expect(try RecordStore(path: url, create: true).appliedMigrations() == sqlite.appliedMigrations())
        #expect(try RecordStore(path: url).appliedMigrations() == sqlite.appliedMigrations())
        #expect(throws: OperationsRecord.RecordError.exists(shown)) { try RecordStore.create(at: url) }
    }

    @Test("CI tests the record on PostgreSQL as well as SQLite")
    func postgresInCI() {
        #expect(!RecordKind.postgresRequired || RecordKind.tested.contains(.postgres))
    }

    @Test(
        "a password in a record URL is refused, never shown; a server that cannot be reached is a clear error naming it"
    )
    func postgresUnreachable() throws {
        #expect {
            try RecordStore(path: "postgres://iop:secret@127.0.0.1:1/cedar_grove")
        } throws: { error in
            (error as? OperationsRecord.RecordError).map { "\($0)" }
                == "cannot reach the record at postgres://iop@127.0.0.1:1/cedar_grove: "
                + "give the password in PGPASSWORD, not in the URL (commands print it, ps shows it)"
        }
        do {
            _ = try RecordStore(path: "postgres://iop@127.0.0.1:1/cedar_grove")
            Issue.record("opened a record on a closed port")
        } catch let error as OperationsRecord.RecordError {
            guard case .unreachable(let location, _) = error else {
                Issue.record("expected unreachable, got \(error)")
                return
            }
            #expect(location == "postgres://iop@127.0.0.1:1/cedar_grove")
        }
    }

    @Test("record URLs: user, host, port, database, socket directory and TLS mode; a file path is not one")
    func postgresAddresses() throws {
        let full = try #require(PostgresAddress(url: "postgresql://iop@db.example:6543/cedar?sslmode=require"))
        #expect(
            [full.user, full.host, "\(full.port)", full.database, full.tls.rawValue]
                == ["iop", "db.example", "6543", "cedar", "require"])
        let socket = try #require(PostgresAddress(url: "postgres://iop@/cedar?host=/run/postgresql"))
        #expect(socket.host == "/run/postgresql" && socket.port == 5432 && socket.tls == .prefer)
        #expect(socket.redacted == "postgres://iop@/cedar?host=/run/postgresql")
        #expect(PostgresAddress(url: "/var/lib/iop/cedar.sqlite") == nil)
        #expect(PostgresAddress(url: "postgres-notes.sqlite") == nil)
    }

    @Test("placeholders are numbered for PostgreSQL outside quoted text and identifiers")
    func placeholderNumbering() {
        #expect(
            PostgresBackend.numberingPlaceholders(#"SELECT '?', "a?" FROM t WHERE x = ? AND y IN (?, ?)"#)
                == #"SELECT '?', "a?" FROM t WHERE x = $1 AND y IN ($2, $3)"#)
    }

    @Test(
        "the planning lock is held by one store at a time, across processes sharing the record, and free again after",
        arguments: RecordKind.tested)
    func planningLock(_ kind: RecordKind) throws {
        let store = try store(kind)
        let other = try RecordStore(path: store.location)
        let inner = try store.whilePlanning { try other.whilePlanning { "ran" } }
        #expect(inner == .some(nil))
        #expect(try other.whilePlanning { "ran" } == "ran")
        #expect(try store.whilePlanning { "ran" } == "ran")
    }

    @Test("census and rosters round-trip; the latest published version wins over drafts", arguments: RecordKind.tested)
    func roundTrip(_ kind: RecordKind) throws {
        let store = try store(kind)
        let census = try store.census()
        #expect(census.count == 12)
        #expect(census["c-107"] == 9...12)
        var draft = Self.roster
        draft.sessions.removeLast()
        try store.saveRoster(draft, published: false)
        let published = try #require(try store.publishedRoster())
        #expect(published.version == 1)
        #expect(published.roster == Self.roster)
    }

    @Test("a roster re-planned from a superseded version is refused, nothing written", arguments: RecordKind.tested)
    func outdatedRefused(_ kind: RecordKind) throws {
        let store = try store(kind)
        let second = try store.saveRoster(Self.roster, published: true, replacing: 1)
        #expect(second == 2)
        #expect(throws: RecordError.outdated(based: 1, latest: 2)) {
            try store.saveRoster(Self.roster, published: true, replacing: 1)
        }
        #expect(try store.publishedRoster()?.version == 2)
        #expect(try store.saveRoster(Self.roster, published: false) == 3)
    }

    @Test(
        "versions keep how they came: stored, re-planned, a draft published, a revert; a republish over a newer version is refused",
        arguments: RecordKind.tested)
    func versionOrigins(_ kind: RecordKind) throws {
        let store = try store(kind)
        try store.saveRoster(Self.roster, published: true, replacing: 1, by: "coordinator")
        let draft = try store.saveRoster(Self.roster, published: false)
        #expect(try store.republish(draft, whileLatest: 2, by: "coordinator") == 4)
        #expect(try store.republish(1, whileLatest: 4, by: "coordinator") == 5)
        #expect(throws: RecordError.superseded(latest: 5)) { try store.republish(2, whileLatest: 4, by: "coordinator") }
        #expect(throws: RecordError.unknownVersion(9)) { try store.republish(9, whileLatest: 5, by: "coordinator") }
        let versions = try store.rosterVersions()
        #expect(versions.map(\.origin) == [.stored, .replanned, .stored, .publishedDraft, .reverted])
        #expect(versions.map(\.basedOn) == [nil, 1, nil, 3, 1])
        #expect(versions.map(\.published) == [true, true, false, true, true])
        #expect(versions[1].savedBy == "coordinator")
        #expect(try store.publishedRoster()?.version == 5)
        #expect(try store.rosterVersion(6) == nil)
    }

    @Test(
        "two writers on one record at once both get through, and a reader never fails meanwhile",
        arguments: RecordKind.tested)
    func concurrentWriters(_ kind: RecordKind) throws {
        let path = try store(kind).location
        let writers = 2
        let rounds = 40
        let lock = NSLock()
        nonisolated(unsafe) var failures: [String] = []
        DispatchQueue.concurrentPerform(iterations: writers + 1) { worker in
            do {
                // Each its own connection, as two processes would have.
                let own = try RecordStore(path: path)
                for round in 0..<rounds {
                    if worker == writers {
                        _ = try own.publishedRoster()
                    } else {
                        let session = "w\(worker)-r\(round)"
                        try own.record([
                            AttendanceEntry(
                                session: session, date: Self.scenario.program.weekOf, client: "c-101",
                                status: .present, minutes: 90, reason: nil)
                        ])
                    }
                }
            } catch {
                lock.withLock { failures.append("worker \(worker): \(error)") }
            }
        }
        #expect(failures.isEmpty)
        #expect(try RecordStore(path: path).attendance().count == writers * rounds)
    }

    @Test(
        "sign-in sheets parse the same way whatever their layout: blank lines, no final newline, a BOM, spaces, short rows"
    )
    func sheetLayouts() throws {
        let session = try #require(Self.roster.sessions.first)
        let a = try #require(session.members.first)
        let b = try #require(session.members.dropFirst().first)
        func parse(_ text: String) -> Result<[AttendanceEntry], SheetErrors> {
            SignInSheet.parse(text, file: "s.csv", roster: Self.roster)
        }
        func rows(_ text: String) -> [String]? {
            guard case .success(let entries) = parse(text) else { return nil }
            return entries.map { "\($0.client) \($0.status.rawValue) \($0.minutes) \($0.reason ?? "-")" }
        }
        let header = "session_id,client,status,minutes,reason"
        let expected = ["\(a) present 90 -", "\(b) absent_excused 0 flu"]
        // Blank lines anywhere, and no newline after a last row whose reason is empty.
        #expect(
            rows("\(header)\n\n\(session.id),\(b),absent_excused,,flu\n\n\(session.id),\(a),present,,")?.sorted()
                == expected.sorted())
        // A UTF-8 byte-order mark, CRLF line ends, and spaces around fields.
        #expect(
            rows(
                "\u{FEFF}\(header)\r\n \(session.id) , \(a) ,present , , \r\n\(session.id),\(b),absent_excused,,flu \r\n"
            ) == expected)
        // A row of four fields is rejected alone and beside another row alike.
        for text in [
            "\(header)\n\(session.id),\(a),present,",
            "\(header)\n\(session.id),\(b),absent_excused,,flu\n\(session.id),\(a),present,",
        ] {
            guard case .failure(let errors) = parse(text) else {
                Issue.record("a four-field row was accepted: \(text)")
                continue
            }
            #expect(errors.description.contains("expected 5 fields, found 4"), "\(errors)")
        }
        // A name typed into the client column is not repeated in the error.
        guard case .failure(let named) = parse("\(header)\n\(session.id),Jane Roe,present,,") else {
            Issue.record("a name as client was accepted")
            return
        }
        #expect(
            named.description
                == "s.csv: row 2: a value that is not an ID (not repeated here) is not on the roster of \(session.id)")
    }

    @Test(
        "a sheet with bad rows is rejected whole, each row named, and nothing is written", arguments: RecordKind.tested)
    func badRowsRejected(_ kind: RecordKind) throws {
        let store = try store(kind)
        let session = try #require(Self.roster.sessions.first)
        let member = try #require(session.members.first)
        let outsider = try #require(Self.scenario.clients.map(\.id).first { !session.members.contains($0) })
        let sheet = """
            session_id,client,status,minutes,reason
            \(session.id),\(member),present,,
            nowhere-A,\(member),present,,
            \(session.id),\(outsider),present,,
            \(session.id),\(member),asleep,,
            \(session.id),\(member),late,900,bus
            """
        guard case .failure(let errors) = SignInSheet.parse(sheet, file: "sheet.csv", roster: Self.roster) else {
            Issue.record("the sheet should have been rejected")
            return
        }
        #expect(errors.problems.map(\.row) == [3, 4, 5, 6])
        #expect(
            errors.problems[0].description
                == "sheet.csv: row 3: unknown session 'nowhere-A' (not in the published roster)")
        #expect(errors.problems[3].message.hasPrefix("late needs the minutes attended, between 1 and 89"))
        #expect(try store.attendance().isEmpty)
    }

    @Test("at-risk flags on a hand-made week, with hours recomputed from the raw rows", arguments: RecordKind.tested)
    func atRisk(_ kind: RecordKind) throws {
        let store = try store(kind)
        // Everything before Wednesday happened; c-101 missed all of it, c-102 came late once.
        let asOf = LocalDate(iso: "2026-12-09")!
        var rows = ["session_id,client,status,minutes,reason"]
        var expected: [ClientID: Int] = [:]
        for session in Self.roster.sessions where session.date < asOf {
            for member in session.members {
                let length = session.end.minutes - session.start.minutes
                switch member {
                case "c-101": rows.append("\(session.id),\(member),absent_unexcused,,no show")
                case "c-102" where expected[member] == nil:
                    rows.append("\(session.id),\(member),late,30,bus")
                    expected[member, default: 0] += 30
                default:
                    rows.append("\(session.id),\(member),present,,")
                    expected[member, default: 0] += length
                }
            }
        }
        guard
            case .success(let entries) = SignInSheet.parse(
                rows.joined(separator: "\n"), file: "week.csv", roster: Self.roster)
        else {
            Issue.record("the sheet should parse")
            return
        }
        try store.record(entries)
        let report = AttendanceReport.week(
            roster: Self.roster, entries: try store.attendance(), census: try store.census(), asOf: asOf)
        for line in report {
            #expect(abs(line.attendedHours - Double(expected[line.client] ?? 0) / 60) < 1e-9, "\(line.client)")
            let remaining = Self.roster.sessions.filter { $0.date >= asOf && $0.members.contains(line.client) }
                .reduce(0) { $0 + $1.end.minutes - $1.start.minutes }
            #expect(abs(line.remainingHours - Double(remaining) / 60) < 1e-9, "\(line.client)")
            let longest =
                Self.roster.sessions.filter { $0.date >= asOf && $0.members.contains(line.client) }
                .map { Double($0.end.minutes - $0.start.minutes) / 60 }.max() ?? 0
            let projected = line.attendedHours + line.remainingHours
            let risk: ClientAttendance.Risk? =
                projected < line.minimumHours
                ? .cannotReach
                : (remaining > 0 && projected - longest < line.minimumHours) ? .noFurtherAbsence : nil
            #expect(line.risk == risk, "\(line.client)")
        }
        // c-101 missed every session before Wednesday: that is at least one absence, all flagged.
        let c101 = try #require(report.first { $0.client == "c-101" })
        #expect(c101.attendedHours == 0)
        #expect(!c101.absences.isEmpty && c101.absences.allSatisfy { $0.hasSuffix("absent_unexcused: no show") })
        #expect(c101.patterns.contains("\(c101.absences.count) absences in a row") == (c101.absences.count >= 2))
        #expect(report.contains { $0.risk == .cannotReach })
        // Groups attended and short days, recomputed from the rows.
        let c102 = try #require(report.first { $0.client == "c-102" })
        let c102Rows = entries.filter { $0.client == "c-102" && $0.minutes > 0 }
        #expect(c102.groups.values.reduce(0, +) == c102Rows.count)
        let c102Days = Dictionary(grouping: c102Rows, by: \.date).filter {
            $0.value.reduce(0) { $0 + $1.minutes } < 180
        }.keys.sorted()
        #expect(c102.shortDays == c102Days)
        if c101.absences.count >= 3 { #expect(c101.patterns.contains("3+ absences within 14 days")) }
    }

    @Test(
        "authorizations: reviews on the payer's cadence and expiries inside the horizon, history kept",
        arguments: RecordKind.tested)
    func authorizationsDue(_ kind: RecordKind) throws {
        let store = try store(kind)
        try store.importAuthorizations(Self.scenario)
        // c-107's authorization A-99812 runs 2026-11-30 to 2026-12-13: reviews 12-07, expiry 12-13.
        let due = try store.due(asOf: LocalDate(iso: "2026-12-07")!, within: 7)
        #expect(
            due.map { "\($0.date) \($0.kind.rawValue) \($0.authorization.number)" } == [
                "2026-12-07 review A-99812", "2026-12-13 expiry A-99812",
            ])
        // A new authorization for the same client supersedes the old one and keeps it.
        var renewed = Self.scenario
        renewed.clients[6].authorization = Authorization(
            payer: "acme", number: "A-99999", from: LocalDate(iso: "2026-12-14")!,
            to: LocalDate(iso: "2026-12-27")!, minHoursPerWeek: 9, maxHoursPerWeek: 12)
        try store.importAuthorizations(renewed)
        try store.setPayer(PayerPolicy(payer: "acme", reviewEveryDays: 14))
        let all = try store.authorizations().filter { $0.client == "c-107" }
        #expect(all.map(\.status) == ["superseded", "active"])
        #expect(
            all.map {
                "\($0.number) \($0.levelOfCare.rawValue) \($0.approved.map { "\($0.amount) \($0.unit)" } ?? "-") \($0.minHoursPerWeek ?? 0)-\($0.maxHoursPerWeek ?? 0)"
            }
                == ["A-99812 IOP 6.0 days 9.0-12.0", "A-99999 IOP - 9.0-12.0"])
        #expect(try store.due(asOf: LocalDate(iso: "2026-12-14")!, within: 14).map(\.kind) == [.expiry])
    }

    @Test(
        "review decisions: approval extends, a denial ends the authorization and opens an appeal with its packet",
        arguments: RecordKind.tested)
    func decisionsAndAppeals(_ kind: RecordKind) throws {
        let store = try store(kind)
        try store.importAuthorizations(Self.scenario)
        try store.decide(
            "A-99812", on: LocalDate(iso: "2026-12-07")!, .approved(through: LocalDate(iso: "2026-12-20")!))
        #expect(try store.authorizations().first?.to == LocalDate(iso: "2026-12-20"))
        #expect(try store.due(asOf: LocalDate(iso: "2026-12-14")!, within: 7).map(\.kind) == [.review, .expiry])
        try store.decide("A-99812", on: LocalDate(iso: "2026-12-14")!, .denied, appealDays: 10)
        #expect(try store.due(asOf: LocalDate(iso: "2026-12-14")!, within: 7).isEmpty)
        let appeal = try #require(try store.openAppeals().first)
        #expect(appeal.deadline == LocalDate(iso: "2026-12-24"))
        #expect(appeal.missing == RecordStore.appealPacket)
        try store.completeAppealItem("A-99812", "treatment plan")
        #expect(
            try store.openAppeals().first?.missing == [
                "attendance report", "clinical notes reference", "peer-to-peer call scheduled",
            ])
        #expect(throws: OperationsRecord.RecordError.self) {
            try store.decide("NOPE", on: LocalDate(iso: "2026-12-14")!, .stepDown(hours: nil))
        }
    }

    @Test(
        "discharge checklists: due dates from the last day, overdue items, done items stay done when the date moves",
        arguments: RecordKind.tested)
    func dischargeChecklist(_ kind: RecordKind) throws {
        let store = try store(kind)
        try store.importDischarges(Self.scenario)
        // c-112 leaves after 2026-12-10.
        let items = try store.dischargeItems().filter { $0.client == "c-112" }
        #expect(items.count == 6)
        #expect(items.first { $0.item == "termination session scheduled" }?.due == LocalDate(iso: "2026-12-10"))
        #expect(items.first { $0.item.hasPrefix("aftercare appointment booked") }?.due == LocalDate(iso: "2026-12-08"))
        try store.completeDischargeItem("c-112", "records release on file", on: LocalDate(iso: "2026-12-07")!)
        let overdue = try store.overdueDischargeItems(asOf: LocalDate(iso: "2026-12-11")!).map(\.item)
        #expect(
            overdue == ["aftercare appointment booked (within 7 days of discharge)", "termination session scheduled"])
        var later = Self.scenario
        later.clients[11].dischargePlanned = LocalDate(iso: "2026-12-17")
        try store.importDischarges(later)
        #expect(try store.overdueDischargeItems(asOf: LocalDate(iso: "2026-12-11")!).isEmpty)
        #expect(
            try store.dischargeItems().first { $0.item == "records release on file" }?.doneOn
                == LocalDate(iso: "2026-12-07"))
    }

    @Test(
        "events kept with the roster they produced: an admission joins the census, a discharge opens its checklist; an outdated publish keeps nothing",
        arguments: RecordKind.tested)
    func eventsKept(_ kind: RecordKind) throws {
        let store = try store(kind)
        try store.importScenario(Self.scenario)
        let first = try store.saveRoster(Self.roster, published: true)
        let text = """
            events:
              - at: 2026-12-09T07:00
                admission: {id: c-300, preferred_name: Sam, track: adult, plan: {process: 2}}
              - at: 2026-12-09T07:05
                discharge: {client: c-300, last_day: 2026-12-11}
            """
        let parsed = try EventsLoader.parseWithSources(text, file: "events.yaml", for: Self.scenario)
        #expect(parsed.allSatisfy { !$0.source.contains("Sam") })
        let week = Self.scenario.applying(parsed.map(\.event))
        let new = parsed.map { NewEvent(at: $0.event.at, summary: $0.event.summary, source: $0.source) }
        // A publish over a version that is no longer the latest writes nothing at all.
        _ = try store.saveRoster(Self.roster, published: true)
        #expect(throws: RecordError.outdated(based: first, latest: first + 1)) {
            try store.publish(Self.roster, replacing: first, events: new, enteredBy: "coordinator", scenario: week)
        }
        #expect(try store.events().isEmpty)
        #expect(try store.census()["c-300"] == nil)
        let version = try store.publish(
            Self.roster, replacing: first + 1, events: new, enteredBy: "coordinator", scenario: week)
        let kept = try store.events()
        #expect(kept.map(\.summary) == ["c-300 admitted", "c-300 discharged after 2026-12-11"])
        #expect(kept.allSatisfy { $0.rosterVersion == version && $0.enteredBy == "coordinator" })
        #expect(try store.census()["c-300"] == 9...19)
        #expect(
            try store.dischargeItems().filter { $0.client == "c-300" }.count == RecordStore.dischargeChecklist().count)
        // Replayed on the scenario file, the kept events give the same week (names left out).
        let replayed = try EventsLoader.replay(kept.map(\.source), on: Self.scenario)
        #expect(replayed.client("c-300")?.dischargePlanned == week.client("c-300")?.dischargePlanned)
        #expect(replayed.client("c-300")?.preferredName == nil)
    }

    @Test(
        "a withdrawn event stays in the history, leaves the week, and the census, authorizations and checklists follow",
        arguments: RecordKind.tested)
    func withdrawal(_ kind: RecordKind) throws {
        let store = try store(kind)
        let first = try #require(try store.publishedRoster()).version
        let text = """
            events:
              - at: 2026-12-09T07:00
                admission: {id: c-300, track: adult, plan: {process: 2}, authorization: {payer: acme, number: N-300, from: 2026-12-09, to: 2026-12-31}}
              - at: 2026-12-09T07:05
                discharge: {client: c-104, last_day: 2026-12-10}
            """
        let parsed = try EventsLoader.parseWithSources(text, file: "events.yaml", for: Self.scenario)
        let new = parsed.map { NewEvent(at: $0.event.at, summary: $0.event.summary, source: $0.source) }
        try store.publish(
            Self.roster, replacing: first, events: new, enteredBy: "coordinator",
            scenario: Self.scenario.applying(parsed.map(\.event)))
        #expect(try store.census()["c-300"] != nil)
        #expect(try store.dischargeItems().contains { $0.client == "c-104" })
        let (admission, discharge) = try {
            let kept = try store.events()
            return (kept[0].id, kept[1].id)
        }()
        // Both withdrawn, one at a time, each against the week without it.
        let withoutAdmission = try EventsLoader.replay([new[1].source], on: Self.scenario)
        let withdrawal = try store.withdraw(admission, enteredBy: "coordinator", scenario: withoutAdmission)
        #expect(
            withdrawal.summary == "withdrawn: event \(admission) (c-300 admitted)" && withdrawal.withdraws == admission)
        #expect(try store.census()["c-300"] == nil && store.census().count == 12)
        #expect(try store.authorizations().first { $0.number == "N-300" }?.status == "withdrawn")
        #expect(try store.dischargeItems().contains { $0.client == "c-104" })
        try store.withdraw(discharge, enteredBy: "coordinator", scenario: Self.scenario)
        #expect(try !store.dischargeItems().contains { $0.client == "c-104" })
        #expect(throws: RecordError.unknownEvent(admission, known: [])) {
            try store.withdraw(admission, enteredBy: "coordinator", scenario: Self.scenario)
        }
        let history = try store.events()
        #expect(history.count == 4 && history.inEffect.isEmpty)
    }

    @Test(
        "each payer's per-diem rule in the record is its clients' day rules when planning", arguments: RecordKind.tested
    )
    func payerDayRules(_ kind: RecordKind) throws {
        let store = try store(kind)
        try store.setPayer(PayerPolicy(payer: "acme", perDiem: PerDiemRule(dayMinimumMinutes: 240, minimumDays: 4)))
        #expect(try store.payerDayRules() == ["acme": DayRules(minDaysPerWeek: 4, billableDayMinHours: 4)])
    }

    @Test(
        "billing evidence: a day bills at 3 attended hours, a week at 3 billable days; absences and partial days counted exactly"
    )
    func billing() throws {
        let monday = Self.roster.sessions.filter { $0.day == .mon }
        let client = try #require(
            monday.flatMap(\.members).first { id in monday.filter { $0.members.contains(id) }.count >= 2 })
        let mine = monday.filter { $0.members.contains(client) }
        var entries: [AttendanceEntry] = []
        for (index, session) in mine.enumerated() {
            let length = session.end.minutes - session.start.minutes
            entries.append(
                AttendanceEntry(
                    session: session.id, date: session.date, client: client,
                    status: index == 0 ? .leftEarly : .present, minutes: index == 0 ? length - 30 : length, reason: nil)
            )
        }
        let total = entries.reduce(0) { $0 + $1.minutes }
        let billing = BillingSummary.week(roster: Self.roster, entries: entries, rule: { _ in PerDiemRule() })
        let line = try #require(billing.first { $0.client == client })
        #expect(line.days.map(\.minutes) == [total])
        #expect(line.days.first?.billable == (total >= 180))
        #expect(!line.weekQualifies)
        #expect(line.days.first?.sessions.count == mine.count)
        // Monday alone is recorded: the rest of the client's planned days may still make the week.
        let planned = Set(Self.roster.sessions.filter { $0.members.contains(client) }.map(\.date))
        #expect(line.pendingDays == planned.filter { $0.weekday != .mon }.sorted())
        #expect(line.mayStillQualify == (line.billableDays + line.pendingDays.count >= 3))
        // Once every planned day is recorded as absent, nothing is pending and the week cannot qualify.
        let absences = Self.roster.sessions.filter { $0.members.contains(client) && $0.day != .mon }.map {
            AttendanceEntry(
                session: $0.id, date: $0.date, client: client, status: .absentUnexcused, minutes: 0, reason: nil)
        }
        let closed = try #require(
            BillingSummary.week(roster: Self.roster, entries: entries + absences, rule: { _ in PerDiemRule() })
                .first { $0.client == client })
        #expect(closed.pendingDays.isEmpty && !closed.mayStillQualify)
    }

    @Test(
        "a denial's peer-to-peer call goes in the first block the treating clinician is free before the deadline",
        arguments: RecordKind.tested)
    func peerToPeer(_ kind: RecordKind) throws {
        var scenario = Self.scenario
        scenario.clients[6].clinician = "f-lee"
        let from = LocalDate(iso: "2026-12-09")!
        let slot = try #require(
            PeerToPeer.firstFreeBlock(
                for: "f-lee", scenario: scenario, roster: Self.roster,
                from: from, deadline: from.adding(days: 10)))
        #expect(slot.date >= from)
        let lee = try #require(scenario.facilitator("f-lee"))
        #expect(lee.available.allows(slot.date.weekday, slot.block.id))
        #expect(
            !Self.roster.sessions.contains {
                $0.date == slot.date && $0.facilitators.contains("f-lee")
                    && (scenario.program.block($0.block).map { $0.overlaps(slot.block) } ?? false)
            })
        // Every earlier block that day or before is taken or unavailable.
        for day in scenario.program.days
        where scenario.program.date(of: day) >= from && scenario.program.date(of: day) <= slot.date {
            for block in scenario.program.blocks
            where scenario.program.date(of: day) < slot.date || block.start < slot.block.start {
                let date = scenario.program.date(of: day)
                let free =
                    lee.available.allows(day, block.id) && !lee.absences.contains { $0.covers(date, block.id) }
                    && !Self.roster.sessions.contains {
                        $0.date == date && $0.facilitators.contains("f-lee")
                            && (scenario.program.block($0.block).map { $0.overlaps(block) } ?? false)
                    }
                #expect(!free, "\(date) \(block.id) was free")
            }
        }
        let store = try store(kind)
        try store.importAuthorizations(scenario)
        try store.decide("A-99812", on: from, .denied, peerToPeer: "\(slot.date) \(slot.block.start) with f-lee")
        let appeal = try #require(try store.openAppeals().first)
        #expect(appeal.peerToPeer == "\(slot.date) \(slot.block.start) with f-lee")
        #expect(!appeal.missing.contains("peer-to-peer call scheduled"))
    }

    @Test(
        "a step-down with new hours changes the client's weekly targets and keeps the authorization",
        arguments: RecordKind.tested)
    func stepDownHours(_ kind: RecordKind) throws {
        let store = try store(kind)
        try store.importAuthorizations(Self.scenario)
        #expect(try store.authorizations().first?.levelOfCare == .iop)
        try store.decide("A-99812", on: LocalDate(iso: "2026-12-09")!, .stepDown(hours: 6...9, level: .op))
        #expect(try store.census()["c-107"] == 6...9)
        #expect(
            try store.authorizations().first { $0.number == "A-99812" }.map { "\($0.status) \($0.levelOfCare)" }
                == "active op")
        try store.decide("A-99812", on: LocalDate(iso: "2026-12-11")!, .stepDown(hours: nil))
        #expect(try store.authorizations().first { $0.number == "A-99812" }?.status == "step_down")
    }

    @Test(
        "payer policies live in the record: a new payer starts from the program's; changing one moves reviews, appeals and billable days",
        arguments: RecordKind.tested)
    func payerPolicies(_ kind: RecordKind) throws {
        let store = try store(kind)
        try store.importAuthorizations(Self.scenario)
        // Riverbend's policy: 3-hour billable day, 3 days a week.
        #expect(
            try store.payers() == [
                PayerPolicy(
                    payer: "acme", reviewEveryDays: 7, appealDays: 30,
                    perDiem: PerDiemRule(dayMinimumMinutes: 180, minimumDays: 3))
            ])
        #expect(
            try store.due(asOf: LocalDate(iso: "2026-12-01")!, within: 13).map { "\($0.date) \($0.kind)" }
                == ["2026-12-07 review", "2026-12-13 expiry"])

        let changed = PayerPolicy(
            payer: "acme", reviewEveryDays: 3, appealDays: 10,
            perDiem: PerDiemRule(procedureCode: "S9480", revenueCode: "0905", dayMinimumMinutes: 120, minimumDays: 2))
        try store.setPayer(changed)
        try store.importAuthorizations(Self.scenario)  // a re-import keeps the changed policy
        #expect(try store.payers() == [changed])
        #expect(
            try store.due(asOf: LocalDate(iso: "2026-12-01")!, within: 13).map { "\($0.date) \($0.kind)" }
                == [
                    "2026-12-03 review", "2026-12-06 review", "2026-12-09 review", "2026-12-12 review",
                    "2026-12-13 expiry",
                ])
        #expect(try store.perDiemRules() == ["c-107": changed.perDiem])

        // c-107 attends 150 minutes on one day: billable for acme now, not under the 3-hour default.
        let session = try #require(Self.roster.sessions.first { $0.members.contains("c-107") })
        let day = [
            AttendanceEntry(
                session: session.id, date: session.date, client: "c-107", status: .present, minutes: 150, reason: nil)
        ]
        let rules = try store.perDiemRules()
        let billing = BillingSummary.week(roster: Self.roster, entries: day, rule: { rules[$0] ?? PerDiemRule() })
        #expect(billing.map { "\($0.client) \($0.rule.procedureCode) \($0.billableDays)" } == ["c-107 S9480 1"])
        #expect(
            BillingSummary.week(roster: Self.roster, entries: day, rule: { _ in PerDiemRule() }).first?.billableDays
                == 0)
        // The report's short-day flag follows the same rule.
        let report = AttendanceReport.week(
            roster: Self.roster, entries: day, census: try store.census(), asOf: session.date.adding(days: 1),
            billableDayMinutes: { (rules[$0] ?? PerDiemRule()).dayMinimumMinutes })
        #expect(report.first { $0.client == "c-107" }?.shortDays == [])
        #expect(
            AttendanceReport.week(
                roster: Self.roster, entries: day, census: try store.census(), asOf: session.date.adding(days: 1)
            )
            .first { $0.client == "c-107" }?.shortDays == [session.date])

        try store.decide("A-99812", on: LocalDate(iso: "2026-12-09")!, .denied)
        #expect(try store.openAppeals().first?.deadline == LocalDate(iso: "2026-12-19"))
    }

    @Test("a record from before payer policies keeps each payer's review cadence through the migration")
    func migrationToPayers() throws {
        let path = temporary("v5.sqlite")
        let queue = try DatabaseQueue(path: path)
        try SQLiteBackend.migrator.migrate(queue, upTo: "v5: peer-to-peer calls")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO authorization (client_id, payer, number, starts, ends, review_every_days, status)
                    VALUES ('c-1', 'acme', 'A-1', '2026-12-01', '2026-12-31', 14, 'active'),
                           ('c-2', 'bluepeak', 'B-1', '2026-12-01', '2026-12-31', 7, 'active')
                    """)
        }
        try queue.close()
        let store = try RecordStore(path: path)
        #expect(try store.payers().map { "\($0.payer) \($0.reviewEveryDays)" } == ["acme 14", "bluepeak 7"])
        #expect(
            try store.authorizations().map {
                "\($0.number) \($0.reviewEveryDays) \($0.levelOfCare) \($0.approved == nil)"
            }
                == ["A-1 14 iop true", "B-1 7 iop true"])
    }

    @Test(
        "approved units: recorded use inside the window, the published week and its weekly pattern planned, the first day not covered",
        arguments: RecordKind.tested)
    func unitsForecast(_ kind: RecordKind) throws {
        let client: ClientID = "c-107"
        let asOf = LocalDate(iso: "2026-12-07")!
        let mine = Self.roster.sessions.filter { $0.members.contains(client) }.sorted {
            ($0.date, $0.start) < ($1.date, $1.start)
        }
        func minutes(_ session: Session) -> Int { session.end.minutes - session.start.minutes }
        // Last week: two billable days and one short one. This week: the first session attended.
        var entries = [("2026-11-30", 180), ("2026-12-01", 200), ("2026-12-02", 90), ("2026-11-20", 240)].map {
            AttendanceEntry(
                session: "earlier", date: LocalDate(iso: $0.0)!, client: client, status: .present, minutes: $0.1,
                reason: nil)
        }
        let first = try #require(mine.first)
        entries.append(
            AttendanceEntry(
                session: first.id, date: first.date, client: client, status: .present, minutes: minutes(first),
                reason: nil))
        let still = mine.dropFirst()
        // A day counts once its recorded and planned minutes together reach three hours.
        let plannedDays = Dictionary(grouping: mine, by: \.date).filter { $0.value.map(minutes).reduce(0, +) >= 180 }
            .keys.sorted()
        try #require(plannedDays.count >= 3, "c-107 should have at least three full days this week")

        // Days: 2 used (11-20 is outside the window), four approved, so the third planned day is the first not covered.
        var scenario = Self.scenario
        scenario.clients[6].authorization?.approved = .days(4)
        let store = try store(kind)
        try store.importAuthorizations(scenario)
        try store.record(entries)
        let days = try #require(try store.due(asOf: asOf, within: 6).first { $0.kind == .units })
        #expect(
            days.units
                == UnitsForecast(
                    approved: .days(4), used: 2, planned: Double(plannedDays.count), firstUncovered: plannedDays[2]))
        #expect(days.date == plannedDays[2])

        // Hours over a longer window: later weeks repeat this week's pattern until the planned last day (Wednesday 12-16).
        scenario.clients[6].authorization?.approved = .hours(40)
        scenario.clients[6].authorization?.to = LocalDate(iso: "2026-12-20")!
        scenario.clients[6].dischargePlanned = LocalDate(iso: "2026-12-16")!
        try store.importAuthorizations(scenario)
        try store.importDischarges(scenario)
        let thisWeek = still.map(minutes).reduce(0, +)
        let nextWeek = mine.filter { [.mon, .tue, .wed].contains($0.day) }.map(minutes).reduce(0, +)
        let hours = try #require(try store.due(asOf: asOf, within: 13).first?.units)
        #expect(hours.used == Double(180 + 200 + 90 + minutes(first)) / 60)
        #expect(hours.planned == Double(thisWeek + nextWeek) / 60)
        #expect((hours.firstUncovered == nil) == (hours.used + hours.planned <= 40))
    }

    @Test("after the planned week, the peer-to-peer call follows the week's pattern of sessions")
    func peerToPeerNextWeek() throws {
        var scenario = Self.scenario
        let friday = LocalDate(iso: "2026-12-11")!
        scenario.facilitators[0].absences.append(Absence(from: friday, to: friday))
        let lee = scenario.facilitators[0]
        #expect(lee.id == "f-lee")
        let slot = try #require(
            PeerToPeer.firstFreeBlock(
                for: "f-lee", scenario: scenario, roster: Self.roster,
                from: friday, deadline: friday.adding(days: 14)))
        let program = scenario.program
        func free(_ date: LocalDate, _ block: Block) -> Bool {
            program.days.contains(date.weekday) && lee.available.allows(date.weekday, block.id)
                && !lee.absences.contains { $0.covers(date, block.id) }
                && !Self.roster.sessions.contains {
                    $0.day == date.weekday && $0.facilitators.contains("f-lee")
                        && (program.block($0.block).map { $0.overlaps(block) } ?? false)
                }
        }
        #expect(slot.date > friday)
        #expect(free(slot.date, slot.block))
        for offset in 0..<friday.days(to: slot.date) {
            for block in program.blocks { #expect(!free(friday.adding(days: offset), block)) }
        }
        for block in program.blocks where block.start < slot.block.start { #expect(!free(slot.date, block)) }
    }

    @Test(
        "logged decisions replay as planner events: a denial drops the client from the next day; a step-down's hours become the targets",
        arguments: RecordKind.tested)
    func decisionsReplayInReplans(_ kind: RecordKind) throws {
        #expect(RosterValidator.check(Self.roster, against: Self.scenario).isEmpty)
        let store = try store(kind)
        try store.importAuthorizations(Self.scenario)
        // Step down on Monday to 6-9 h, denial on Tuesday; decisions on another authorization number are not replayed.
        try store.decide("A-99812", on: LocalDate(iso: "2026-12-07")!, .stepDown(hours: 6...9, level: .op))
        try store.decide("A-99812", on: LocalDate(iso: "2026-12-08")!, .denied)
        let events = try store.decisionEvents(for: Self.scenario)
        #expect(events.map(\.summary) == ["c-107 stepped down to 6-9 h", "c-107 authorization denied"])
        #expect(events.map(\.at.description) == ["2026-12-07T00:00", "2026-12-09T00:00"])

        let result = try Planner.replan(
            Self.scenario, roster: Self.roster, events: events, now: DateTime(iso: "2026-12-08T07:00")!)
        #expect(RosterValidator.check(result.plan.roster, against: result.scenario).isEmpty)
        let before = Self.roster.sessions.filter { $0.members.contains("c-107") }
        let after = result.plan.roster.sessions.filter { $0.members.contains("c-107") }
        #expect(
            !before.filter { $0.date > LocalDate(iso: "2026-12-08")! }.isEmpty, "c-107 had sessions after the denial")
        #expect(after.allSatisfy { $0.date <= LocalDate(iso: "2026-12-08")! })
        #expect(
            result.changes.filter { $0.person == "c-107" }.map(\.reason)
                == Array(repeating: "authorization denied", count: before.count - after.count))
        #expect(result.scenario.client("c-107")?.weeklyHoursOverride == 6...9)

        var renewed = Self.scenario
        renewed.clients[6].authorization?.number = "A-12000"
        #expect(try store.decisionEvents(for: renewed).isEmpty)
    }
}
