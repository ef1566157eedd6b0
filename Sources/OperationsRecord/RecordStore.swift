import Foundation
import IOPDomain

/// A program's operational record: the census by ID, roster versions, attendance,
/// authorizations, reviews, events, users and the audit log. Every write is one
/// transaction; the schema changes only through migrations. No names or diagnoses are
/// stored: client IDs, tracks and hour limits only.
///
/// The record is kept in one SQLite file (the default, created owner-only) or in a
/// PostgreSQL database named by a `postgres://` URL, where several servers may share it.
/// Either way, readers never wait for a writer, and a writer waits up to ``busyTimeout``
/// for another to finish before it gives up with ``RecordError/busy(_:)``, having written
/// nothing.
public final class RecordStore: Sendable {
    private let backend: any RecordBackend

    /// The record's file, or its server's URL without the password.
    public var location: String { backend.location }

    /// How long a write waits for another process's write to finish.
    public static let busyTimeout: TimeInterval = 15

    /// Opens the record at `path` (a file, or a `postgres://` or `postgresql://` URL) and
    /// migrates it as needed. With `create`, a record that does not exist is created (a
    /// file with mode 0600, or the schema in an empty database); without it, that is
    /// ``RecordError/missing(_:)``.
    public init(path: String, create: Bool = false) throws {
        if let server = PostgresAddress(url: path) {
            backend = try PostgresBackend(server, create: create)
        } else {
            backend = try SQLiteBackend(path: path, create: create)
        }
    }

    /// Creates a new record at `location`; ``RecordError/exists(_:)``, nothing changed, when
    /// there is one already (a file, or a database holding the schema).
    public static func create(at location: String) throws -> RecordStore {
        if let server = PostgresAddress(url: location) {
            do {
                _ = try RecordStore(path: location)
                throw RecordError.exists(server.redacted)
            } catch RecordError.missing {}
        } else if FileManager.default.fileExists(atPath: location) {
            throw RecordError.exists(location)
        }
        return try RecordStore(path: location, create: true)
    }

    /// One write transaction, all or nothing; ``RecordError/busy(_:)`` when another
    /// process kept the record locked past ``busyTimeout``.
    @discardableResult
    func write<T>(_ body: (any SQLExecutor) throws -> T) throws -> T { try backend.write(body) }

    func read<T>(_ body: (any SQLExecutor) throws -> T) throws -> T { try backend.read(body) }

    /// Runs `body` holding the record's planning lock, which one solve at a time holds
    /// across every process and server sharing the record; nil at once, `body` not run,
    /// while another holds it.
    public func whilePlanning<T>(_ body: () throws -> T) throws -> T? { try backend.whilePlanning(body) }

    /// The migrations this record has had, oldest first.
    public func appliedMigrations() throws -> [String] { try backend.appliedMigrations() }

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
            try SQLRow.fetchAll(db, sql: "SELECT week_of, scenario, draft_version FROM week ORDER BY week_of")
                .compactMap {
                    row in
                    LocalDate(iso: row["week_of"]).map { ($0, row["scenario"], row["draft_version"]) }
                }
        }
    }

    /// Adds or updates every client of the scenario in the census (hours as they stand).
    static func upsertCensus(_ scenario: Scenario, _ db: any SQLExecutor) throws {
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
        try read { db in
            var result: [ClientID: ClosedRange<Double>] = [:]
            for row in try SQLRow.fetchAll(db, sql: "SELECT id, min_hours, max_hours FROM client") {
                let low: Double = row["min_hours"]
                let high: Double = row["max_hours"]
                result[ClientID(row["id"] as String)] = low...max(low, high)
            }
            return result
        }
    }

    /// The record's week: the program's, as imported or last started (``startWeek``).
    static func currentWeek(_ db: any SQLExecutor) throws -> String? {
        try String.fetchOne(db, sql: "SELECT week_of FROM program WHERE id = 1")
    }

    /// The program the record was imported for: its name and week.
    public func program() throws -> (name: String, weekOf: LocalDate)? {
        try read { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT name, week_of FROM program WHERE id = 1"),
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
            try SQLRow.fetchAll(db, sql: "SELECT * FROM attendance ORDER BY date, session_id, client_id").compactMap {
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
    /// A record is there already (`iop init` makes only new ones).
    case exists(String)
    /// Another process held the record locked for longer than ``RecordStore/busyTimeout``.
    case busy(String)
    /// The record's PostgreSQL server could not be reached or refused the login: where, and why.
    case unreachable(String, String)
    /// The database refused a statement: its message, never the statement's values.
    case database(String)
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
        case .exists(let path): "a record exists at \(path) already; nothing was changed"
        case .unreachable(let location, let reason): "cannot reach the record at \(location): \(reason)"
        case .database(let message): "the record's database refused a change, nothing was written: \(message)"
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
