import Foundation
import GRDB
import IOPDomain

/// An event applied through the record: what it said (a one-event events document, IDs
/// only), when it took effect, who entered it and when, and the roster version it produced.
public struct StoredEvent: Sendable, Equatable {
    public let id: Int64
    public let at: DateTime
    public let summary: String
    public let source: String
    public let enteredBy: String
    public let enteredAt: String
    public let rosterVersion: Int64?
}

/// An event to store with the roster it produced.
public struct NewEvent: Sendable {
    public let at: DateTime
    public let summary: String
    public let source: String

    public init(at: DateTime, summary: String, source: String) {
        self.at = at
        self.summary = summary
        self.source = source
    }
}

extension RecordStore {
    /// Every stored event, in the order entered.
    public func events() throws -> [StoredEvent] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM event ORDER BY id").compactMap { row in
                guard let at = DateTime(iso: row["at"]) else { return nil }
                return StoredEvent(id: row["id"], at: at, summary: row["summary"], source: row["source"],
                                   enteredBy: row["entered_by"], enteredAt: row["entered_at"], rosterVersion: row["roster_version"])
            }
        }
    }

    /// Publishes a roster re-planned after `events` and keeps them, in one transaction:
    /// the roster as the next version (only while `based` is still the latest published,
    /// else ``RecordError/outdated(based:latest:)`` and nothing written), each event with
    /// who entered it and that version, and the census, authorizations and discharge
    /// checklists as `scenario` (the week with every event applied) has them.
    @discardableResult
    public func publish(_ roster: Roster, replacing based: Int64?, events: [NewEvent], enteredBy: String,
                        scenario: Scenario, at moment: Date = Date()) throws -> Int64 {
        let json = try Roster.encoder().encode(roster)
        let stamp = ISO8601DateFormatter().string(from: moment)
        return try write { db in
            let version = try Self.insertRoster(json, weekOf: roster.weekOf, published: true, origin: based == nil ? .stored : .replanned,
                                                basedOn: based, expecting: based.map { .replanned(from: $0) } ?? .anything,
                                                by: enteredBy, at: stamp, db)
            for event in events {
                try db.execute(sql: "INSERT INTO event (at, summary, source, entered_by, entered_at, roster_version) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [event.at.description, event.summary, event.source, enteredBy, stamp, version])
            }
            if !events.isEmpty {
                try Self.upsertCensus(scenario, db)
                try Self.importAuthorizations(scenario, db)
                try Self.importDischarges(scenario, db)
            }
            return version
        }
    }
}
