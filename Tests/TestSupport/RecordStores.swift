import Foundation

/// Where a record suite keeps its records: SQLite always, and PostgreSQL where
/// `IOP_TEST_POSTGRES` names a server's admin URL (`.ci/run` starts one with
/// `scripts/postgres-test-server.sh` and sets `IOP_REQUIRE_POSTGRES`, so CI cannot skip it).
public enum RecordKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite, postgres

    public var description: String { rawValue }

    /// The kinds this run tests.
    public static var tested: [RecordKind] {
        ProcessInfo.processInfo.environment["IOP_TEST_POSTGRES"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    /// Whether this run must test PostgreSQL too.
    public static var postgresRequired: Bool { ProcessInfo.processInfo.environment["IOP_REQUIRE_POSTGRES"] != nil }

    /// Where a new, empty record of this kind can be created: a temporary file, or a new
    /// database on the test server (made with `psql`).
    public func newLocation(_ name: String) throws -> String {
        switch self {
        case .sqlite:
            return temporaryPath("\(name).sqlite", prefix: "iop-record")
        case .postgres:
            guard let admin = ProcessInfo.processInfo.environment["IOP_TEST_POSTGRES"],
                var components = URLComponents(string: admin)
            else { throw TestStoreError.noServer }
            let database = "iop_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let run = try runProcess(
                URL(fileURLWithPath: "/usr/bin/env"), ["psql", admin, "-q", "-c", "CREATE DATABASE \(database)"],
                in: FileManager.default.temporaryDirectory)
            guard run.status == 0 else { throw TestStoreError.createFailed(run.stderr) }
            components.path = "/\(database)"
            guard let url = components.string else { throw TestStoreError.noServer }
            return url
        }
    }
}

public enum TestStoreError: Error {
    case noServer
    case createFailed(String)
}
