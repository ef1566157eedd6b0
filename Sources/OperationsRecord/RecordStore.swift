import Foundation
import GRDB
import IOPDomain

/// A program's operational record in one SQLite file: the census by ID, roster versions,
/// and attendance. Every write is one transaction; the schema changes only through
/// migrations; the file is created readable and writable by its owner only. No names or
/// diagnoses are stored: client IDs, tracks and hour limits only.
///
/// Several processes may share one record: it is kept in write-ahead-log mode, so readers
/// never wait for a writer, and a writer waits up to ``busyTimeout`` for another to
/// finish before it gives up with ``RecordError/busy(_:)``, having written nothing.
public final class RecordStore: Sendable {
    private let queue: DatabasePool

    /// The record's file.
    public var path: String { queue.path }

    /// How long a write waits for another process's write to finish.
    public static let busyTimeout: TimeInterval = 15

    /// Opens the record at `path` and migrates it as needed. With `create`, a record that
    /// does not exist is created (mode 0600); without it, that is ``RecordError/missing(_:)``.
    public init(path: String, create: Bool = false) throws {
        let url = URL(fileURLWithPath: path)
        if !FileManager.default.fileExists(atPath: url.path) {
            guard create else { throw RecordError.missing(path) }
            let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard descriptor >= 0 else { throw RecordError.cannotCreate(path) }
            close(descriptor)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        do {
            queue = try DatabasePool(path: url.path, configuration: configuration)
            try Self.migrator.migrate(queue)
        } catch let error as DatabaseError where Self.isBusy(error) {
            throw RecordError.busy(path)
        }
    }

    static func isBusy(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: program, census, rosters, attendance") { db in
            try db.create(table: "program") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("name", .text).notNull()
                t.column("week_of", .text).notNull()
            }
            try db.create(table: "client") { t in
                t.primaryKey("id", .text)
                t.column("track", .text).notNull()
                t.column("min_hours", .double).notNull()
                t.column("max_hours", .double).notNull()
            }
            try db.create(table: "roster") { t in
                t.autoIncrementedPrimaryKey("version")
                t.column("week_of", .text).notNull()
                t.column("status", .text).notNull().check(sql: "status IN ('draft', 'published')")
                t.column("saved_at", .text).notNull()
                t.column("json", .blob).notNull()
            }
            try db.create(table: "attendance") { t in
                t.column("session_id", .text).notNull()
                t.column("date", .text).notNull()
                t.column("client_id", .text).notNull()
                t.column("status", .text).notNull()
                t.column("minutes", .integer).notNull()
                t.column("reason", .text)
                t.primaryKey(["session_id", "date", "client_id"])
            }
        }
        migrator.registerMigration("v2: authorizations") { db in
            try db.create(table: "authorization") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("client_id", .text).notNull().indexed()
                t.column("payer", .text).notNull()
                t.column("number", .text).notNull()
                t.column("starts", .text).notNull()
                t.column("ends", .text).notNull()
                t.column("review_every_days", .integer).notNull()
                t.column("status", .text).notNull()
                t.uniqueKey(["payer", "number"])
            }
        }
        migrator.registerMigration("v3: review decisions and appeals") { db in
            try db.create(table: "decision") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("authorization_id", .integer).notNull().references("authorization")
                t.column("decided_on", .text).notNull()
                t.column("outcome", .text).notNull().check(sql: "outcome IN ('approved', 'denied', 'step_down')")
                t.column("new_end", .text)
                t.column("note", .text)
            }
            try db.create(table: "appeal") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("authorization_id", .integer).notNull().references("authorization")
                t.column("opened_on", .text).notNull()
                t.column("deadline", .text).notNull()
                t.column("status", .text).notNull()
            }
            try db.create(table: "appeal_item") { t in
                t.column("appeal_id", .integer).notNull().references("appeal")
                t.column("item", .text).notNull()
                t.column("done", .boolean).notNull().defaults(to: false)
                t.primaryKey(["appeal_id", "item"])
            }
        }
        migrator.registerMigration("v4: discharge checklists") { db in
            try db.create(table: "discharge_item") { t in
                t.column("client_id", .text).notNull()
                t.column("last_day", .text).notNull()
                t.column("item", .text).notNull()
                t.column("due", .text).notNull()
                t.column("done_on", .text)
                t.primaryKey(["client_id", "item"])
            }
        }
        migrator.registerMigration("v5: peer-to-peer calls") { db in
            try db.alter(table: "appeal") { t in t.add(column: "peer_to_peer", .text) }
        }
        migrator.registerMigration("v6: payer policies, level of care, approved units") { db in
            try db.create(table: "payer") { t in
                t.primaryKey("name", .text)
                t.column("review_every_days", .integer).notNull().check { $0 > 0 }
                t.column("appeal_days", .integer).notNull().check { $0 > 0 }
                t.column("procedure_code", .text).notNull()
                t.column("revenue_code", .text).notNull()
                t.column("day_min_minutes", .integer).notNull()
                t.column("min_days", .integer).notNull()
            }
            // The review cadence moves from each authorization to its payer.
            try db.execute(
                sql: """
                    INSERT INTO payer SELECT payer, MAX(review_every_days), 30, 'H0015', '0906', 180, 3
                    FROM authorization GROUP BY payer
                    """)
            try db.alter(table: "authorization") { t in
                t.add(column: "level_of_care", .text).notNull().defaults(to: LevelOfCare.iop.rawValue)
                t.add(column: "approved_units", .double)
                t.add(column: "unit", .text).check(sql: "unit IN ('days', 'hours')")
                t.add(column: "min_hours_per_week", .double)
                t.add(column: "max_hours_per_week", .double)
                t.drop(column: "review_every_days")
            }
            // A step-down's new hours and level, so re-plans can replay the decision.
            try db.alter(table: "decision") { t in
                t.add(column: "min_hours", .double)
                t.add(column: "max_hours", .double)
                t.add(column: "level_of_care", .text)
            }
        }
        migrator.registerMigration("v7: events") { db in
            try db.create(table: "event") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .text).notNull()
                t.column("summary", .text).notNull()
                t.column("source", .text).notNull()
                t.column("entered_by", .text).notNull()
                t.column("entered_at", .text).notNull()
                t.column("roster_version", .integer).references("roster")
            }
        }
        migrator.registerMigration("v8: roster origins") { db in
            try db.alter(table: "roster") { t in
                t.add(column: "origin", .text).notNull().defaults(to: RosterOrigin.stored.rawValue)
                    .check(
                        sql: "origin IN (\(RosterOrigin.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")))")
                t.add(column: "based_on", .integer).references("roster")
                t.add(column: "saved_by", .text)
            }
        }
        migrator.registerMigration("v9: withdrawn events") { db in
            try db.alter(table: "event") { t in t.add(column: "withdraws", .integer).references("event") }
        }
        migrator.registerMigration("v10: weeks") { db in
            // Events belong to the week they were entered for; the record's week is the program's.
            try db.alter(table: "event") { t in t.add(column: "week_of", .text) }
            try db.execute(sql: "UPDATE event SET week_of = (SELECT week_of FROM program WHERE id = 1)")
            try db.create(table: "week") { t in
                t.primaryKey("week_of", .text)
                t.column("scenario", .text).notNull()
                t.column("draft_version", .integer).references("roster")
                t.column("started_at", .text).notNull()
                t.column("started_by", .text)
            }
        }
        migrator.registerMigration("v11: users and the audit log") { db in
            try db.create(table: "user") { t in
                t.primaryKey("name", .text)
                t.column("role", .text).notNull()
                    .check(sql: "role IN (\(Role.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")))")
                t.column("password_hash", .text).notNull()
                t.column("failed_logins", .integer).notNull().defaults(to: 0)
                t.column("locked_until", .text)
                t.column("created_at", .text).notNull()
            }
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .text).notNull()
                t.column("user", .text).notNull()
                t.column("action", .text).notNull()
                t.column("detail", .text).notNull()
                t.column("address", .text)
            }
        }
        return migrator
    }

    /// One write transaction, all or nothing; ``RecordError/busy(_:)`` when another
    /// process kept the record locked past ``busyTimeout``.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.write(body)
        } catch let error as DatabaseError where Self.isBusy(error) {
            throw RecordError.busy(queue.path)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T { try queue.read(body) }

    /// The migrations this file has had, oldest first.
    public func appliedMigrations() throws -> [String] {
        try queue.read { try Self.migrator.appliedMigrations($0) }
    }

    /// Loads a scenario's program and census, replacing what was there; with `text` (the
    /// scenario written without names), the record keeps it as its week's scenario, which
    /// ``weekScenario()`` gives to a caller that has only the record.
    public func importScenario(
        _ scenario: Scenario, text: String? = nil, by user: String? = nil, at moment: Date = Date()
    )
        throws
    {
        try write { db in
            try db.execute(sql: "DELETE FROM program")
            try db.execute(
                sql: "INSERT INTO program (id, name, week_of) VALUES (1, ?, ?)",
                arguments: [scenario.program.name, scenario.program.weekOf.description])
            try db.execute(sql: "DELETE FROM client")
            try Self.upsertCensus(scenario, db)
            guard let text else { return }
            try db.execute(
                sql: """
                    INSERT INTO week (week_of, scenario, started_at, started_by) VALUES (?, ?, ?, ?)
                    ON CONFLICT(week_of) DO UPDATE SET scenario = excluded.scenario
                    """,
                arguments: [
                    scenario.program.weekOf.description, text, ISO8601DateFormatter().string(from: moment), user,
                ])
        }
    }

    /// The scenario the record keeps for its current week (as imported or started), if any.
    public func weekScenario() throws -> String? {
        try read { db in
            try String.fetchOne(
                db, sql: "SELECT scenario FROM week WHERE week_of = (SELECT week_of FROM program WHERE id = 1)")
        }
    }

    /// Makes `scenario` (written as `text`) the record's week, in one transaction: the
    /// program's week and census become the new week's, authorizations and discharge
    /// checklists follow it, its plan is stored as a draft, and the week is kept with its
    /// scenario. Events and published rosters of earlier weeks stay as they were; later
    /// commands work on the new week. Returns the draft's version.
    public func startWeek(_ scenario: Scenario, text: String, draft: Roster, by user: String?, at moment: Date = Date())
        throws -> Int64
    {
        let json = try Roster.encoder().encode(draft)
        let stamp = ISO8601DateFormatter().string(from: moment)
        return try write { db in
            try db.execute(
                sql: "UPDATE program SET week_of = ? WHERE id = 1", arguments: [scenario.program.weekOf.description])
            try db.execute(sql: "DELETE FROM client")
            try Self.upsertCensus(scenario, db)
            try Self.importAuthorizations(scenario, db)
            try Self.importDischarges(scenario, db)
            let version = try Self.insertRoster(
                json, weekOf: draft.weekOf, published: false, origin: .stored, basedOn: nil,
                expecting: .anything, by: user, at: stamp, db)
            try db.execute(
                sql: """
                    INSERT INTO week (week_of, scenario, draft_version, started_at, started_by) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(week_of) DO UPDATE SET scenario = excluded.scenario, draft_version = excluded.draft_version,
                        started_at = excluded.started_at, started_by = excluded.started_by
                    """, arguments: [scenario.program.weekOf.description, text, version, stamp, user])
            return version
        }
    }

    /// The weeks started in the record, oldest first: each one's Monday, the scenario it was
    /// built as, and the version of its first plan.
    public func weeks() throws -> [(weekOf: LocalDate, scenario: String, draft: Int64?)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT week_of, scenario, draft_version FROM week ORDER BY week_of").compactMap {
                row in
                LocalDate(iso: row["week_of"]).map { ($0, row["scenario"], row["draft_version"]) }
            }
        }
    }

    /// Adds or updates every client of the scenario in the census (hours as they stand).
    static func upsertCensus(_ scenario: Scenario, _ db: Database) throws {
        for client in scenario.clients {
            let hours = scenario.weeklyHours(of: client)
            try db.execute(
                sql: """
                    INSERT INTO client (id, track, min_hours, max_hours) VALUES (?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET track = excluded.track, min_hours = excluded.min_hours, max_hours = excluded.max_hours
                    """, arguments: [client.id.rawValue, client.track.rawValue, hours.lowerBound, hours.upperBound])
        }
    }

    /// The census: client ID to weekly hour range.
    public func census() throws -> [ClientID: ClosedRange<Double>] {
        try queue.read { db in
            var result: [ClientID: ClosedRange<Double>] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, min_hours, max_hours FROM client") {
                let low: Double = row["min_hours"]
                let high: Double = row["max_hours"]
                result[ClientID(row["id"] as String)] = low...max(low, high)
            }
            return result
        }
    }

    /// The record's week: the program's, as imported or last started (``startWeek``).
    static func currentWeek(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT week_of FROM program WHERE id = 1")
    }

    /// The program the record was imported for: its name and week.
    public func program() throws -> (name: String, weekOf: LocalDate)? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT name, week_of FROM program WHERE id = 1"),
                let week = LocalDate(iso: row["week_of"])
            else { return nil }
            return (row["name"], week)
        }
    }

    /// Records attendance, all rows or none.
    public func record(_ entries: [AttendanceEntry]) throws {
        try write { db in
            for entry in entries {
                try db.execute(
                    sql: """
                        INSERT INTO attendance (session_id, date, client_id, status, minutes, reason) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT(session_id, date, client_id) DO UPDATE SET status = excluded.status,
                            minutes = excluded.minutes, reason = excluded.reason
                        """,
                    arguments: [
                        entry.session, entry.date.description, entry.client.rawValue, entry.status.rawValue,
                        entry.minutes, entry.reason,
                    ])
            }
        }
    }

    public func attendance() throws -> [AttendanceEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attendance ORDER BY date, session_id, client_id").compactMap {
                row in
                guard let date = LocalDate(iso: row["date"]), let status = AttendanceStatus(rawValue: row["status"])
                else { return nil }
                return AttendanceEntry(
                    session: row["session_id"], date: date, client: ClientID(row["client_id"] as String),
                    status: status, minutes: row["minutes"], reason: row["reason"])
            }
        }
    }
}

public enum RecordError: Error, Equatable, CustomStringConvertible {
    case cannotCreate(String)
    /// No record at the path (only `iop init` creates one).
    case missing(String)
    /// Another process held the record locked for longer than ``RecordStore/busyTimeout``.
    case busy(String)
    /// A re-plan of version `based` while `latest` has been published since.
    case outdated(based: Int64, latest: Int64)
    /// Another version was published while the command ran.
    case superseded(latest: Int64)
    /// No roster version of that number.
    case unknownVersion(Int64)
    /// No stored event of that number that is still in effect.
    case unknownEvent(Int64, known: [Int64])
    case unknownAuthorization(String)
    /// No open checklist item of that name for the client (or the appeal of that number).
    case unknownItem(client: String, item: String, known: [String])

    public var description: String {
        switch self {
        case .cannotCreate(let path): "cannot create \(path)"
        case .missing(let path): "no record at \(path) (iop init creates one)"
        case .busy(let path):
            "\(path) stayed busy with another writer for \(Int(RecordStore.busyTimeout)) s; nothing was written, try again"
        case .outdated(let based, let latest):
            "this roster was re-planned from version \(based), but version \(latest) has been published since; "
                + "nothing was written: re-plan from the latest version"
        case .superseded(let latest):
            "version \(latest) was published meanwhile; nothing was written: see iop roster list and try again"
        case .unknownVersion(let number): "no roster version \(number) in the record (iop roster list shows them)"
        case .unknownEvent(let number, let known):
            "no event \(number) in effect to withdraw; nothing was changed; "
                + (known.isEmpty
                    ? "no event is in effect" : "in effect: \(known.map(String.init).joined(separator: ", "))")
        case .unknownAuthorization(let number): "no authorization numbered '\(number)' in the record"
        case .unknownItem(let owner, let item, let known):
            known.isEmpty
                ? "\(owner) has no open checklist; nothing was marked"
                : "\(owner) has no item '\(item)'; nothing was marked; expected one of: \(known.joined(separator: ", "))"
        }
    }
}
