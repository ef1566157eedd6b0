import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// Where a PostgreSQL record is: a `postgres://` or `postgresql://` URL naming the user,
/// host, port and database (`postgres://iop@db.example:5432/cedar_grove`);
/// `?host=/run/postgresql` reaches the server by its Unix socket in that directory, and
/// `?sslmode=disable|prefer|require` says how TLS is used (`prefer` unless given). The
/// password comes from `PGPASSWORD`, as for psql: a URL with one is refused, since
/// commands print their record's name and process lists show arguments.
struct PostgresAddress: Sendable, Equatable {
    enum TLSMode: String, Sendable { case disable, prefer, require }

    let user: String
    /// From `PGPASSWORD`.
    let password: String?
    /// The URL carried a password, which is not used.
    let passwordInURL: Bool
    /// A host name or address, or the directory of the server's Unix socket.
    let host: String
    let port: Int
    let database: String
    let tls: TLSMode

    /// Nil for anything but a `postgres://` or `postgresql://` URL (a file path).
    init?(url text: String) {
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"),
            let components = URLComponents(string: text)
        else { return nil }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        user = components.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        password = ProcessInfo.processInfo.environment["PGPASSWORD"]
        passwordInURL = components.password != nil
        host = query["host"] ?? (components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1")
        port = components.port ?? 5432
        database = String(components.path.drop { $0 == "/" })
        tls = query["sslmode"].flatMap(TLSMode.init(rawValue:)) ?? .prefer
    }

    /// The URL without the password, for messages.
    var redacted: String {
        let place = host.hasPrefix("/") ? "/\(database)?host=\(host)" : "\(host):\(port)/\(database)"
        return "postgres://\(user)@\(place)"
    }
}

/// A record in a PostgreSQL database, which several `iop` processes and servers may share
/// (one database per program). Writes are serialized by a transaction-level advisory lock,
/// as SQLite serializes its writers, so a check made inside a write (the latest published
/// version, a checklist item) still holds when the write commits; a writer waits up to
/// ``RecordStore/busyTimeout`` for that lock. Reads run in a read-only snapshot.
/// Statements run on the event loop's threads and the caller waits, as it waits on a file.
struct PostgresBackend: RecordBackend {
    private let address: PostgresAddress
    private let connections: Connections

    var location: String { address.redacted }

    /// Connects and migrates; on a database without the record's schema, creates it with
    /// `create` and is ``RecordError/missing(_:)`` without.
    init(_ address: PostgresAddress, create: Bool) throws {
        guard !address.passwordInURL else {
            throw RecordError.unreachable(
                address.redacted, "give the password in PGPASSWORD, not in the URL (commands print it, ps shows it)")
        }
        guard !address.database.isEmpty else {
            throw RecordError.unreachable(address.redacted, "the URL names no database (postgres://user@host/DATABASE)")
        }
        self.address = address
        connections = Connections(address)
        try write { db in try PostgresSchema.migrate(db, create: create, location: address.redacted) }
    }

    func write<T>(_ body: (any SQLExecutor) throws -> T) throws -> T {
        try transaction(
            [
                "BEGIN ISOLATION LEVEL READ COMMITTED",
                "SET LOCAL lock_timeout = '\(Int(RecordStore.busyTimeout * 1000))ms'",
                "SELECT pg_advisory_xact_lock(\(Self.writersLock))",
            ], body)
    }

    func read<T>(_ body: (any SQLExecutor) throws -> T) throws -> T {
        try transaction(["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"], body)
    }

    func appliedMigrations() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT name FROM record_migration ORDER BY applied_order") }
    }

    /// PostgreSQL numbers its placeholders: each `?` outside quotes becomes `$1`, `$2`, ...
    static func numberingPlaceholders(_ sql: String) -> String {
        var result = ""
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// The advisory lock every write of a record's database takes (an arbitrary key, "IOPW").
    static let writersLock: Int64 = 0x494F_5057
    /// The session-level advisory lock a solve holds ("IOPP"); the server drops it if the
    /// holder's connection ends.
    static let planningLock: Int64 = 0x494F_5050

    func whilePlanning<T>(_ body: () throws -> T) throws -> T? {
        let connection = try connections.take()
        let executor = Executor(connection: connection, location: address.redacted)
        do {
            guard try Bool.fetchOne(executor, sql: "SELECT pg_try_advisory_lock(\(Self.planningLock))") == true else {
                connections.give(back: connection)
                return nil
            }
        } catch {
            connections.discard(connection)
            throw error
        }
        defer {
            if (try? executor.execute(sql: "SELECT pg_advisory_unlock(\(Self.planningLock))")) != nil {
                connections.give(back: connection)
            } else {
                connections.discard(connection)
            }
        }
        return try body()
    }

    private func transaction<T>(_ opening: [String], _ body: (any SQLExecutor) throws -> T) throws -> T {
        let connection = try connections.take()
        let executor = Executor(connection: connection, location: address.redacted)
        do {
            for statement in opening { try executor.execute(sql: statement) }
            let result = try body(executor)
            try executor.execute(sql: "COMMIT")
            connections.give(back: connection)
            return result
        } catch {
            // A connection whose transaction did not end cleanly is not reused.
            if (try? executor.execute(sql: "ROLLBACK")) != nil {
                connections.give(back: connection)
            } else {
                connections.discard(connection)
            }
            throw error
        }
    }

    /// Statements on one connection, each waited for.
    private struct Executor: SQLExecutor {
        let connection: PostgresConnection
        let location: String

        func execute(sql: String, arguments: SQLArguments) throws -> Int {
            try run(sql, arguments).metadata.rows ?? 0
        }

        func fetchAll(sql: String, arguments: SQLArguments) throws -> [SQLRow] {
            try run(sql, arguments).rows.map { row in
                SQLRow(row.map { cell in (cell.columnName, Self.value(of: cell)) })
            }
        }

        private func run(_ sql: String, _ arguments: SQLArguments) throws -> PostgresQueryResult {
            var binds = PostgresBindings(capacity: arguments.values.count)
            for value in arguments.values {
                switch value {
                case .null: binds.appendNull()
                case .integer(let number): binds.append(number)
                case .real(let number): binds.append(number)
                case .text(let text): binds.append(text)
                case .blob(let data): binds.append(ByteBuffer(bytes: data))
                case .bool(let flag): binds.append(flag)
                }
            }
            let query = PostgresQuery(unsafeSQL: PostgresBackend.numberingPlaceholders(sql), binds: binds)
            do {
                return try connection.query(query, logger: Connections.logger).wait()
            } catch let error as PSQLError {
                throw Self.recordError(error, location)
            }
        }

        private static func value(of cell: PostgresCell) -> SQLValue {
            guard let bytes = cell.bytes else { return .null }
            switch cell.dataType {
            case .int2, .int4, .int8: return (try? cell.decode(Int64.self)).map(SQLValue.integer) ?? .null
            case .float4, .float8: return (try? cell.decode(Double.self)).map(SQLValue.real) ?? .null
            case .bool: return (try? cell.decode(Bool.self)).map(SQLValue.bool) ?? .null
            case .bytea: return .blob(Data(bytes.readableBytesView))
            default: return (try? cell.decode(String.self)).map(SQLValue.text) ?? .null
            }
        }

        /// Busy for a lock not granted in time, a serialization failure or a deadlock; the
        /// server's message otherwise (never the statement's values).
        static func recordError(_ error: PSQLError, _ location: String) -> RecordError {
            let state = error.serverInfo?[.sqlState]
            if let state, ["55P03", "40001", "40P01"].contains(state) { return .busy(location) }
            if let message = error.serverInfo?[.message] {
                return .database("\(location): \(message) (SQLSTATE \(state ?? "?"))")
            }
            return .unreachable(location, "\(error.code)")
        }
    }

    /// The record's open connections: a transaction takes an idle one or opens another,
    /// and gives it back when it ends cleanly. They close with the record.
    private final class Connections: Sendable {
        private let address: PostgresAddress
        private let idle = Mutex<[PostgresConnection]>([])
        private let opened = Atomic<Int>(0)

        /// postgres-nio's own log stays off: statements and their values are client data.
        static let logger = Logger(label: "iop.record.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

        init(_ address: PostgresAddress) { self.address = address }

        deinit {
            for connection in idle.withLock({ $0 }) { discard(connection) }
        }

        func take() throws -> PostgresConnection {
            if let connection = idle.withLock({ $0.popLast() }) { return connection }
            let id = opened.add(1, ordering: .relaxed).newValue
            do {
                return try PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: try configuration(), id: id,
                    logger: Self.logger
                ).wait()
            } catch let error as PSQLError {
                throw error.serverInfo?[.message].map { RecordError.unreachable(address.redacted, $0) }
                    ?? RecordError.unreachable(address.redacted, Self.reason(error))
            } catch let error as RecordError {
                throw error
            } catch {
                throw RecordError.unreachable(address.redacted, "\(error)")
            }
        }

        func give(back connection: PostgresConnection) { idle.withLock { $0.append(connection) } }

        /// Closes a connection, waiting for it (postgres-nio requires a connection closed before it is freed).
        func discard(_ connection: PostgresConnection) { try? connection.close().wait() }

        private func configuration() throws -> PostgresConnection.Configuration {
            let tls: PostgresConnection.Configuration.TLS
            switch address.tls {
            case .disable: tls = .disable
            case .prefer, .require:
                let context: NIOSSLContext
                do {
                    context = try NIOSSLContext(configuration: .makeClientConfiguration())
                } catch {
                    throw RecordError.unreachable(address.redacted, "TLS could not be set up: \(error)")
                }
                tls = address.tls == .require ? .require(context) : .prefer(context)
            }
            if address.host.hasPrefix("/") {
                var configuration = PostgresConnection.Configuration(
                    unixSocketPath: "\(address.host)/.s.PGSQL.\(address.port)", username: address.user,
                    password: address.password, database: address.database)
                configuration.options.connectTimeout = .seconds(10)
                return configuration
            }
            var configuration = PostgresConnection.Configuration(
                host: address.host, port: address.port, username: address.user, password: address.password,
                database: address.database, tls: tls)
            configuration.options.connectTimeout = .seconds(10)
            return configuration
        }

        private static func reason(_ error: PSQLError) -> String {
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        }
    }
}
