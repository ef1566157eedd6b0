import IOPDomain

/// One step of a discharge or step-down, due by a date.
public struct DischargeItem: Sendable, Equatable {
    public let client: ClientID
    public let lastDay: LocalDate
    public let item: String
    public let due: LocalDate
    public let doneOn: LocalDate?
}

extension RecordStore {
    /// The checklist of a discharge, each item with its due date relative to the last day
    /// (negative is before it). Aftercare within `aftercareDays` of discharge is the usual standard.
    public static func dischargeChecklist(aftercareDays: Int = 7) -> [(item: String, offset: Int)] {
        [
            ("termination session scheduled", 0),
            ("aftercare appointment booked (within \(aftercareDays) days of discharge)", -2),
            ("records release on file", -2),
            ("records sent to the receiving provider", aftercareDays),
            ("final authorization closed", 3),
            ("episode billing reconciled", 14),
        ]
    }

    /// Opens a checklist for every client with a planned last day (keeping items already
    /// done; a changed last day moves the due dates).
    public func importDischarges(_ scenario: Scenario, aftercareDays: Int = 7) throws {
        try write { db in try Self.importDischarges(scenario, aftercareDays: aftercareDays, db) }
    }

    static func importDischarges(_ scenario: Scenario, aftercareDays: Int = 7, _ db: any SQLExecutor) throws {
        for client in scenario.clients {
            guard let last = client.dischargePlanned else { continue }
            for (item, offset) in Self.dischargeChecklist(aftercareDays: aftercareDays) {
                try db.execute(
                    sql: """
                        INSERT INTO discharge_item (client_id, last_day, item, due) VALUES (?, ?, ?, ?)
                        ON CONFLICT(client_id, item) DO UPDATE SET last_day = excluded.last_day, due = excluded.due
                        """,
                    arguments: [client.id.rawValue, last.description, item, last.adding(days: offset).description])
            }
        }
    }

    /// Marks a client's checklist item done; ``RecordError/unknownItem(client:item:known:)``,
    /// nothing changed, when the client has no such item.
    public func completeDischargeItem(_ client: ClientID, _ item: String, on date: LocalDate) throws {
        try write { db in
            let marked = try db.execute(
                sql: "UPDATE discharge_item SET done_on = ? WHERE client_id = ? AND item = ?",
                arguments: [date.description, client.rawValue, item])
            guard marked > 0 else {
                let known = try String.fetchAll(
                    db, sql: "SELECT item FROM discharge_item WHERE client_id = ? ORDER BY rowid",
                    arguments: [client.rawValue])
                throw RecordError.unknownItem(client: client.rawValue, item: item, known: known)
            }
        }
    }

    public func dischargeItems() throws -> [DischargeItem] {
        try read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM discharge_item ORDER BY due, client_id, rowid").compactMap {
                row in
                guard let last = LocalDate(iso: row["last_day"]), let due = LocalDate(iso: row["due"]) else {
                    return nil
                }
                return DischargeItem(
                    client: ClientID(row["client_id"] as String), lastDay: last, item: row["item"], due: due,
                    doneOn: (row["done_on"] as String?).flatMap(LocalDate.init(iso:)))
            }
        }
    }

    /// Items not done whose due date has passed.
    public func overdueDischargeItems(asOf today: LocalDate) throws -> [DischargeItem] {
        try dischargeItems().filter { $0.doneOn == nil && $0.due < today }
    }
}
