import Foundation
import IOPDomain

/// An event applied through the record: what it said (a one-event events document, IDs
/// only), when it took effect, who entered it and when, and the roster version it produced
/// (for an event kept before any re-plan, the first version published after it; nil until then).
/// A withdrawal is an event too: it names the event it undoes and says nothing itself.
public struct StoredEvent: Sendable, Equatable {
    public let id: Int64
    public let at: DateTime
    public let summary: String
    public let source: String
    public let enteredBy: String
    public let enteredAt: String
    public let rosterVersion: Int64?
    /// The event this one withdraws.
    public let withdraws: Int64?
}

extension [StoredEvent] {
    /// The events in effect: neither withdrawn nor a withdrawal, in the order entered.
    public var inEffect: [StoredEvent] {
        let withdrawn = Set(compactMap(\.withdraws))
        return filter { $0.withdraws == nil && !withdrawn.contains($0.id) }
    }
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
    /// Every event stored for the record's week, withdrawals included, in the order entered.
    public func events() throws -> [StoredEvent] {
        try read(Self.events)
    }

    private static func events(_ db: any SQLExecutor) throws -> [StoredEvent] {
        try SQLRow.fetchAll(
            db,
            sql:
                "SELECT * FROM event WHERE week_of IS NOT DISTINCT FROM (SELECT week_of FROM program WHERE id = 1) ORDER BY id",
            arguments: []
        ).compactMap { row in
            guard let at = DateTime(iso: row["at"]) else { return nil }
            return StoredEvent(
                id: row["id"], at: at, summary: row["summary"], source: row["source"],
                enteredBy: row["entered_by"], enteredAt: row["entered_at"], rosterVersion: row["roster_version"],
                withdraws: row["withdraws"])
        }
    }

    /// Publishes a roster re-planned after `events` and keeps them, in one transaction:
    /// the roster as the next version (only while `based` is still the latest published,
    /// else ``RecordError/outdated(based:latest:)`` and nothing written), each event with
    /// who entered it and that version, and the census, authorizations and discharge
    /// checklists as `scenario` (the week with every event applied) has them.
    @discardableResult
    public func publish(
        _ roster: Roster, replacing based: Int64?, events: [NewEvent], enteredBy: String,
        scenario: Scenario, at moment: Date = Date()
    ) throws -> Int64 {
        let json = try Roster.encoder().encode(roster)
        let stamp = ISO8601DateFormatter().string(from: moment)
        return try write { db in
            let version = try Self.insertRoster(
                json, weekOf: roster.weekOf, published: true, origin: based == nil ? .stored : .replanned,
                basedOn: based, expecting: based.map { .replanned(from: $0) } ?? .anything,
                by: enteredBy, at: stamp, db)
            try Self.insert(events, version: version, enteredBy: enteredBy, at: stamp, scenario: scenario, db)
            return version
        }
    }

    /// Keeps events no published roster has yet (a census import), with the census,
    /// authorizations and discharge checklists as `scenario` (the week with them applied)
    /// has them, in one transaction. The next version published takes them up.
    public func keep(_ events: [NewEvent], enteredBy: String, scenario: Scenario, at moment: Date = Date()) throws {
        let stamp = ISO8601DateFormatter().string(from: moment)
        try write { db in try Self.insert(events, version: nil, enteredBy: enteredBy, at: stamp, scenario: scenario, db)
        }
    }

    private static func insert(
        _ events: [NewEvent], version: Int64?, enteredBy: String, at stamp: String, scenario: Scenario,
        _ db: any SQLExecutor
    ) throws {
        for event in events {
            try db.execute(
                sql: """
                    INSERT INTO event (at, summary, source, entered_by, entered_at, roster_version, week_of)
                    VALUES (?, ?, ?, ?, ?, ?, (SELECT week_of FROM program WHERE id = 1))
                    """, arguments: [event.at.description, event.summary, event.source, enteredBy, stamp, version])
        }
        guard !events.isEmpty else { return }
        try upsertCensus(scenario, db)
        try importAuthorizations(scenario, db)
        try importDischarges(scenario, db)
    }

    /// Withdraws event `id` (entered by mistake) with a new event that undoes it, history
    /// kept, and makes the census, authorizations and open discharge checklists follow
    /// `scenario`, the week with the events still in effect: a client it admitted leaves
    /// the census (their authorization marked withdrawn), a discharge it planned loses the
    /// checklist items not yet done. One transaction;
    /// ``RecordError/unknownEvent(_:known:)`` and nothing changed when `id` is not in effect.
    @discardableResult
    public func withdraw(_ id: Int64, enteredBy: String, scenario: Scenario, at moment: Date = Date()) throws
        -> StoredEvent
    {
        let stamp = ISO8601DateFormatter().string(from: moment)
        return try write { db in
            let events = try Self.events(db)
            guard let withdrawn = events.inEffect.first(where: { $0.id == id }) else {
                throw RecordError.unknownEvent(id, known: events.inEffect.map(\.id))
            }
            try db.execute(
                sql: """
                    INSERT INTO event (at, summary, source, entered_by, entered_at, withdraws, week_of)
                    VALUES (?, ?, '', ?, ?, ?, (SELECT week_of FROM program WHERE id = 1))
                    """,
                arguments: [
                    withdrawn.at.description, "withdrawn: event \(id) (\(withdrawn.summary))", enteredBy, stamp, id,
                ])
            let kept = scenario.clients.map(\.id.rawValue)
            let placeholders = kept.isEmpty ? "NULL" : Array(repeating: "?", count: kept.count).joined(separator: ", ")
            try db.execute(
                sql: "DELETE FROM client WHERE id NOT IN (\(placeholders))", arguments: SQLArguments(kept))
            try db.execute(
                sql:
                    "UPDATE \"authorization\" SET status = 'withdrawn' WHERE status = 'active' AND client_id NOT IN (\(placeholders))",
                arguments: SQLArguments(kept))
            let discharged = scenario.clients.filter { $0.dischargePlanned != nil }.map(\.id.rawValue)
            let stillDischarged =
                discharged.isEmpty ? "NULL" : Array(repeating: "?", count: discharged.count).joined(separator: ", ")
            try db.execute(
                sql: "DELETE FROM discharge_item WHERE done_on IS NULL AND client_id NOT IN (\(stillDischarged))",
                arguments: SQLArguments(discharged))
            try Self.upsertCensus(scenario, db)
            try Self.importAuthorizations(scenario, db)
            try Self.importDischarges(scenario, db)
            return try Self.events(db).last!
        }
    }
}
