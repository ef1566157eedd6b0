import Foundation

/// One value bound to or read from the record's SQL, whichever database keeps it.
enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
    /// SQLite keeps a boolean as an integer; PostgreSQL as a boolean.
    case bool(Bool)
}

/// A Swift value the record stores in one column.
protocol SQLConvertible {
    var sqlValue: SQLValue { get }
    /// The value a column holds, or nil when it holds another kind.
    init?(sqlValue: SQLValue)
}

extension String: SQLConvertible {
    var sqlValue: SQLValue { .text(self) }
    init?(sqlValue: SQLValue) {
        guard case .text(let text) = sqlValue else { return nil }
        self = text
    }
}

extension Int64: SQLConvertible {
    var sqlValue: SQLValue { .integer(self) }
    init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .integer(let number): self = number
        case .bool(let flag): self = flag ? 1 : 0
        default: return nil
        }
    }
}

extension Int: SQLConvertible {
    var sqlValue: SQLValue { .integer(Int64(self)) }
    init?(sqlValue: SQLValue) {
        guard let number = Int64(sqlValue: sqlValue) else { return nil }
        self = Int(number)
    }
}

extension Double: SQLConvertible {
    var sqlValue: SQLValue { .real(self) }
    init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .real(let number): self = number
        case .integer(let number): self = Double(number)
        default: return nil
        }
    }
}

extension Bool: SQLConvertible {
    var sqlValue: SQLValue { .bool(self) }
    init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .bool(let flag): self = flag
        case .integer(let number): self = number != 0
        default: return nil
        }
    }
}

extension Data: SQLConvertible {
    var sqlValue: SQLValue { .blob(self) }
    init?(sqlValue: SQLValue) {
        guard case .blob(let data) = sqlValue else { return nil }
        self = data
    }
}

extension Optional: SQLConvertible where Wrapped: SQLConvertible {
    var sqlValue: SQLValue { self?.sqlValue ?? .null }
    init?(sqlValue: SQLValue) {
        if case .null = sqlValue {
            self = .none
        } else if let value = Wrapped(sqlValue: sqlValue) {
            self = .some(value)
        } else {
            return nil
        }
    }
}

/// A statement's arguments, bound to its `?` placeholders in order; nil is NULL.
struct SQLArguments: ExpressibleByArrayLiteral, Sendable {
    let values: [SQLValue]

    init(arrayLiteral elements: (any SQLConvertible)?...) {
        values = elements.map { $0?.sqlValue ?? .null }
    }

    init(_ elements: [some SQLConvertible]) {
        values = elements.map(\.sqlValue)
    }
}

/// One row a query returned: its columns by name, in order.
struct SQLRow: Sendable {
    let columns: [(name: String, value: SQLValue)]

    init(_ columns: [(name: String, value: SQLValue)]) { self.columns = columns }

    /// The first column of that name (letter case aside).
    func value(_ name: String) -> SQLValue {
        columns.first { $0.name == name }?.value
            ?? columns.first { $0.name.lowercased() == name.lowercased() }?.value ?? .null
    }

    /// The column's value as `T`. The schema fixes each column's kind, so another kind is a
    /// programming error and traps, naming the column (never its value).
    subscript<T: SQLConvertible>(_ name: String) -> T {
        guard let value = T(sqlValue: value(name)) else {
            preconditionFailure("the record's column \(name) does not hold a \(T.self)")
        }
        return value
    }
}

/// Runs statements inside one read or one write transaction of the record. Statements are
/// written once for both databases: `?` placeholders, identifiers PostgreSQL reserves
/// (`"user"`, `"authorization"`) in double quotes, `IS NOT DISTINCT FROM` for equality
/// with NULL, TRUE and FALSE for booleans, `RETURNING` for generated keys.
protocol SQLExecutor {
    /// Runs a statement; returns how many rows it changed.
    @discardableResult
    func execute(sql: String, arguments: SQLArguments) throws -> Int
    func fetchAll(sql: String, arguments: SQLArguments) throws -> [SQLRow]
}

extension SQLExecutor {
    @discardableResult
    func execute(sql: String) throws -> Int { try execute(sql: sql, arguments: []) }
}

extension SQLRow {
    static func fetchAll(_ db: any SQLExecutor, sql: String, arguments: SQLArguments = []) throws -> [SQLRow] {
        try db.fetchAll(sql: sql, arguments: arguments)
    }

    static func fetchOne(_ db: any SQLExecutor, sql: String, arguments: SQLArguments = []) throws -> SQLRow? {
        try db.fetchAll(sql: sql, arguments: arguments).first
    }
}

extension SQLConvertible {
    /// The first column of every row.
    static func fetchAll(_ db: any SQLExecutor, sql: String, arguments: SQLArguments = []) throws -> [Self] {
        try db.fetchAll(sql: sql, arguments: arguments).compactMap { row in
            row.columns.first.flatMap { Self(sqlValue: $0.value) }
        }
    }

    /// The first column of the first row; nil when there is no row or it is NULL.
    static func fetchOne(_ db: any SQLExecutor, sql: String, arguments: SQLArguments = []) throws -> Self? {
        try db.fetchAll(sql: sql, arguments: arguments).first?.columns.first.flatMap { Self(sqlValue: $0.value) }
    }
}

/// Where a record is kept: the transactions and migrations of one database.
protocol RecordBackend: Sendable {
    /// The file, or the server's URL without its password.
    var location: String { get }
    /// One write transaction, all or nothing; ``RecordError/busy(_:)`` when another writer
    /// kept the record locked past ``RecordStore/busyTimeout``.
    func write<T>(_ body: (any SQLExecutor) throws -> T) throws -> T
    /// One read, from a consistent snapshot.
    func read<T>(_ body: (any SQLExecutor) throws -> T) throws -> T
    /// The migrations applied, oldest first.
    func appliedMigrations() throws -> [String]
    /// Runs `body` holding the record's planning lock, or returns nil at once, `body` not
    /// run, when another holder has it (in this process or another sharing the record).
    func whilePlanning<T>(_ body: () throws -> T) throws -> T?
}
