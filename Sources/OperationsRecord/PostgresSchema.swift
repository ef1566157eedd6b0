import IOPDomain

/// The record's schema in PostgreSQL. A new database gets the schema SQLite reaches after
/// all of ``SQLiteBackend/migrator``'s migrations, in one step recorded under their names,
/// so both stores report the same migrations; a later change is a migration in both.
/// Tables SQLite orders by `rowid` have a `rowid` column of their own here.
enum PostgresSchema {
    /// Creates the schema in an empty database (only with `create`) and applies what is
    /// missing; inside the caller's write transaction, so two processes never migrate at once.
    static func migrate(_ db: any SQLExecutor, create: Bool, location: String) throws {
        let present = try Bool.fetchOne(db, sql: "SELECT to_regclass('record_migration') IS NOT NULL") ?? false
        if !present {
            guard create else { throw RecordError.missing(location) }
            try db.execute(
                sql: "CREATE TABLE record_migration (name TEXT PRIMARY KEY, applied_order BIGSERIAL NOT NULL)")
            for statement in tables { try db.execute(sql: statement) }
            for name in SQLiteBackend.migrator.migrations {
                try db.execute(sql: "INSERT INTO record_migration (name) VALUES (?)", arguments: [name])
            }
        }
    }

    private static func allowed(_ values: [String]) -> String {
        values.map { "'\($0)'" }.joined(separator: ", ")
    }

    /// The tables as SQLite has them after migration "v11: users and the audit log".
    static let tables = [
        "CREATE TABLE program (id BIGINT PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL, week_of TEXT NOT NULL)",
        """
        CREATE TABLE client (
            id TEXT PRIMARY KEY, track TEXT NOT NULL, min_hours DOUBLE PRECISION NOT NULL,
            max_hours DOUBLE PRECISION NOT NULL)
        """,
        """
        CREATE TABLE roster (
            version BIGSERIAL PRIMARY KEY, week_of TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'published')), saved_at TEXT NOT NULL, json BYTEA NOT NULL,
            origin TEXT NOT NULL DEFAULT 'stored' CHECK (origin IN (\(allowed(RosterOrigin.allCases.map(\.rawValue))))),
            based_on BIGINT REFERENCES roster, saved_by TEXT)
        """,
        """
        CREATE TABLE attendance (
            session_id TEXT NOT NULL, date TEXT NOT NULL, client_id TEXT NOT NULL, status TEXT NOT NULL,
            minutes BIGINT NOT NULL, reason TEXT, PRIMARY KEY (session_id, date, client_id))
        """,
        """
        CREATE TABLE payer (
            name TEXT PRIMARY KEY, review_every_days BIGINT NOT NULL CHECK (review_every_days > 0),
            appeal_days BIGINT NOT NULL CHECK (appeal_days > 0), procedure_code TEXT NOT NULL,
            revenue_code TEXT NOT NULL, day_min_minutes BIGINT NOT NULL, min_days BIGINT NOT NULL)
        """,
        """
        CREATE TABLE "authorization" (
            id BIGSERIAL PRIMARY KEY, client_id TEXT NOT NULL, payer TEXT NOT NULL, number TEXT NOT NULL,
            starts TEXT NOT NULL, ends TEXT NOT NULL, status TEXT NOT NULL,
            level_of_care TEXT NOT NULL DEFAULT '\(LevelOfCare.iop.rawValue)', approved_units DOUBLE PRECISION,
            unit TEXT CHECK (unit IN ('days', 'hours')), min_hours_per_week DOUBLE PRECISION,
            max_hours_per_week DOUBLE PRECISION, UNIQUE (payer, number))
        """,
        "CREATE INDEX authorization_on_client_id ON \"authorization\" (client_id)",
        """
        CREATE TABLE decision (
            id BIGSERIAL PRIMARY KEY, authorization_id BIGINT NOT NULL REFERENCES "authorization",
            decided_on TEXT NOT NULL, outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'denied', 'step_down')),
            new_end TEXT, note TEXT, min_hours DOUBLE PRECISION, max_hours DOUBLE PRECISION, level_of_care TEXT)
        """,
        """
        CREATE TABLE appeal (
            id BIGSERIAL PRIMARY KEY, authorization_id BIGINT NOT NULL REFERENCES "authorization",
            opened_on TEXT NOT NULL, deadline TEXT NOT NULL, status TEXT NOT NULL, peer_to_peer TEXT)
        """,
        """
        CREATE TABLE appeal_item (
            rowid BIGSERIAL, appeal_id BIGINT NOT NULL REFERENCES appeal, item TEXT NOT NULL,
            done BOOLEAN NOT NULL DEFAULT FALSE, PRIMARY KEY (appeal_id, item))
        """,
        """
        CREATE TABLE discharge_item (
            rowid BIGSERIAL, client_id TEXT NOT NULL, last_day TEXT NOT NULL, item TEXT NOT NULL, due TEXT NOT NULL,
            done_on TEXT, PRIMARY KEY (client_id, item))
        """,
        """
        CREATE TABLE event (
            id BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, summary TEXT NOT NULL, source TEXT NOT NULL,
            entered_by TEXT NOT NULL, entered_at TEXT NOT NULL, roster_version BIGINT REFERENCES roster,
            withdraws BIGINT REFERENCES event, week_of TEXT)
        """,
        """
        CREATE TABLE week (
            week_of TEXT PRIMARY KEY, scenario TEXT NOT NULL, draft_version BIGINT REFERENCES roster,
            started_at TEXT NOT NULL, started_by TEXT)
        """,
        """
        CREATE TABLE "user" (
            name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN (\(allowed(Role.allCases.map(\.rawValue))))),
            password_hash TEXT NOT NULL, failed_logins BIGINT NOT NULL DEFAULT 0, locked_until TEXT,
            created_at TEXT NOT NULL)
        """,
        """
        CREATE TABLE audit (
            id BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, "user" TEXT NOT NULL, action TEXT NOT NULL,
            detail TEXT NOT NULL, address TEXT)
        """,
    ]
}
