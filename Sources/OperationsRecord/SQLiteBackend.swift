import Foundation
import GRDB
import IOPDomain

/// A record in one SQLite file through GRDB, the embedded default. The file is kept in
/// write-ahead-log mode, so readers never wait for a writer, and a writer waits up to
/// ``RecordStore/busyTimeout`` for another to finish; created readable and writable by its
/// owner only. The schema changes only through ``migrator``'s migrations.
struct SQLiteBackend: RecordBackend {
    private let pool: DatabasePool

    var location: String { pool.path }

    /// Opens the file at `path` and migrates it as needed. With `create`, a file that does
    /// not exist is created (mode 0600); without it, that is ``RecordError/missing(_:)``.
    init(path: String, create: Bool) throws {
        let url = URL(fileURLWithPath: path)
        if !FileManager.default.fileExists(atPath: url.path) {
            guard create else { throw RecordError.missing(path) }
            let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard descriptor >= 0 else { throw RecordError.cannotCreate(path) }
            close(descriptor)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(RecordStore.busyTimeout)
        do {
            pool = try DatabasePool(path: url.path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch let error as DatabaseError where Self.isBusy(error) {
            throw RecordError.busy(path)
        }
    }

    func write<T>(_ body: (any SQLExecutor) throws -> T) throws -> T {
        do {
            return try pool.write { db in try body(Executor(db: db)) }
        } catch let error as DatabaseError where Self.isBusy(error) {
            throw RecordError.busy(pool.path)
        }
    }

    func read<T>(_ body: (any SQLExecutor) throws -> T) throws -> T {
        try pool.read { db in try body(Executor(db: db)) }
    }

    func appliedMigrations() throws -> [String] {
        try pool.read { try Self.migrator.appliedMigrations($0) }
    }

    /// The planning lock is an exclusive `flock` on the file beside the record,
    /// `RECORD.planning` (owner-only); the system drops it if the holder dies.
    func whilePlanning<T>(_ body: () throws -> T) throws -> T? {
        let lockPath = pool.path + ".planning"
        let descriptor = open(lockPath, O_RDWR | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw RecordError.cannotCreate(lockPath) }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return nil }
        return try body()
    }

    static func isBusy(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// Statements on one GRDB connection.
    private struct Executor: SQLExecutor {
        let db: Database

        func execute(sql: String, arguments: SQLArguments) throws -> Int {
            try db.execute(sql: sql, arguments: Self.bound(arguments))
            return db.changesCount
        }

        func fetchAll(sql: String, arguments: SQLArguments) throws -> [SQLRow] {
            try Row.fetchAll(db, sql: sql, arguments: Self.bound(arguments)).map { row in
                SQLRow(
                    zip(row.columnNames, row.databaseValues).map { name, value in
                        let converted: SQLValue =
                            switch value.storage {
                            case .null: .null
                            case .int64(let number): .integer(number)
                            case .double(let number): .real(number)
                            case .string(let text): .text(text)
                            case .blob(let data): .blob(data)
                            }
                        return (name, converted)
                    })
            }
        }

        private static func bound(_ arguments: SQLArguments) -> StatementArguments {
            StatementArguments(
                arguments.values.map { value -> (any DatabaseValueConvertible)? in
                    switch value {
                    case .null: nil
                    case .integer(let number): number
                    case .real(let number): number
                    case .text(let text): text
                    case .blob(let data): data
                    case .bool(let flag): flag
                    }
                })
        }
    }

    /// The schema, one migration per change; PostgreSQL's ``PostgresSchema`` has the same names.
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
}
