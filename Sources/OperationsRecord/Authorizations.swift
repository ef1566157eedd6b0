import Foundation
import GRDB
import IOPDomain

/// An authorization as the record keeps it, with its concurrent-review cadence.
public struct AuthorizationRecord: Sendable, Equatable {
    public let client: ClientID
    public let payer: String
    public let number: String
    public let from: LocalDate
    public let to: LocalDate
    /// Days between concurrent reviews (7 weekly, 14 every two weeks).
    public let reviewEveryDays: Int
    public let status: String

    /// The review dates inside the window: every `reviewEveryDays` from the start.
    public var reviews: [LocalDate] {
        guard reviewEveryDays > 0 else { return [] }
        return stride(from: reviewEveryDays, through: from.days(to: to), by: reviewEveryDays).map { from.adding(days: $0) }
    }
}

/// Something due on an authorization within the horizon.
public struct AuthorizationDue: Sendable, Equatable {
    public enum Kind: String, Sendable { case review, expiry }
    public let kind: Kind
    public let date: LocalDate
    public let authorization: AuthorizationRecord
}

extension LocalDate {
    /// Days from this date to `other`.
    func days(to other: LocalDate) -> Int { other.dayNumber - dayNumber }
}

extension RecordStore {
    /// Loads every client's authorization from a scenario (replacing the client's earlier
    /// active one, which is kept as history), reviewed every `reviewEveryDays`.
    public func importAuthorizations(_ scenario: Scenario, reviewEveryDays: Int = 7) throws {
        try write { db in
            for client in scenario.clients {
                guard let authorization = client.authorization else { continue }
                try db.execute(sql: "UPDATE authorization SET status = 'superseded' WHERE client_id = ? AND number <> ? AND status = 'active'",
                               arguments: [client.id.rawValue, authorization.number])
                try db.execute(sql: """
                    INSERT INTO authorization (client_id, payer, number, starts, ends, review_every_days, status)
                    VALUES (?, ?, ?, ?, ?, ?, 'active')
                    ON CONFLICT(payer, number) DO UPDATE SET starts = excluded.starts, ends = excluded.ends,
                        review_every_days = excluded.review_every_days
                    """, arguments: [client.id.rawValue, authorization.payer, authorization.number,
                                     authorization.from.description, authorization.to.description, reviewEveryDays])
            }
        }
    }

    public func authorizations() throws -> [AuthorizationRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM authorization ORDER BY client_id, starts").compactMap { row in
                guard let from = LocalDate(iso: row["starts"]), let to = LocalDate(iso: row["ends"]) else { return nil }
                return AuthorizationRecord(client: ClientID(row["client_id"] as String), payer: row["payer"], number: row["number"],
                                           from: from, to: to, reviewEveryDays: row["review_every_days"], status: row["status"])
            }
        }
    }

    /// Active authorizations' reviews and expiries from `today` through `today + days`.
    public func due(asOf today: LocalDate, within days: Int) throws -> [AuthorizationDue] {
        let horizon = today.adding(days: days)
        var result: [AuthorizationDue] = []
        for authorization in try authorizations() where authorization.status == "active" {
            for review in authorization.reviews where review >= today && review <= horizon && review < authorization.to {
                result.append(AuthorizationDue(kind: .review, date: review, authorization: authorization))
            }
            if authorization.to >= today && authorization.to <= horizon {
                result.append(AuthorizationDue(kind: .expiry, date: authorization.to, authorization: authorization))
            }
        }
        return result.sorted { ($0.date, $0.authorization.client.rawValue) < ($1.date, $1.authorization.client.rawValue) }
    }
}
