import Foundation
import IOPDomain

/// An authorization as the record keeps it, with its payer's concurrent-review cadence.
public struct AuthorizationRecord: Sendable, Equatable {
    public let client: ClientID
    public let payer: String
    public let number: String
    public let from: LocalDate
    public let to: LocalDate
    public let levelOfCare: LevelOfCare
    public let approved: ApprovedUnits?
    /// The payer's weekly limits, where the authorization sets them.
    public let minHoursPerWeek: Double?
    public let maxHoursPerWeek: Double?
    /// Days between concurrent reviews, from the payer's policy.
    public let reviewEveryDays: Int
    public let status: String

    /// The review dates inside the window: every `reviewEveryDays` from the start.
    public var reviews: [LocalDate] {
        guard reviewEveryDays > 0 else { return [] }
        return stride(from: reviewEveryDays, through: from.days(to: to), by: reviewEveryDays).map {
            from.adding(days: $0)
        }
    }
}

/// Something due on an authorization within the horizon.
public struct AuthorizationDue: Sendable, Equatable {
    public enum Kind: String, Sendable, Encodable {
        case review, expiry
        /// The approved units stop covering planned attendance before the window ends.
        case units
    }
    public let kind: Kind
    public let date: LocalDate
    public let authorization: AuthorizationRecord
    /// How the approved units are being spent, when the payer counts them.
    public let units: UnitsForecast?
}

extension LocalDate {
    /// Days from this date to `other`.
    func days(to other: LocalDate) -> Int { other.dayNumber - dayNumber }
}

extension RecordStore {
    /// Loads every client's authorization from a scenario, replacing the client's earlier
    /// active one (kept as history). A payer not yet in the record gets a policy that
    /// starts from the program's (see ``PayerPolicy/starting(_:from:)``).
    public func importAuthorizations(_ scenario: Scenario) throws {
        try write { db in try Self.importAuthorizations(scenario, db) }
    }

    static func importAuthorizations(_ scenario: Scenario, _ db: any SQLExecutor) throws {
        for client in scenario.clients {
            guard let authorization = client.authorization else { continue }
            try Self.upsert(.starting(authorization.payer, from: scenario.program.policy), db, replacing: false)
            try db.execute(
                sql:
                    "UPDATE \"authorization\" SET status = 'superseded' WHERE client_id = ? AND number <> ? AND status = 'active'",
                arguments: [client.id.rawValue, authorization.number])
            try db.execute(
                sql: """
                    INSERT INTO "authorization" (client_id, payer, number, starts, ends, status, level_of_care, approved_units, unit,
                                               min_hours_per_week, max_hours_per_week)
                    VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?)
                    ON CONFLICT(payer, number) DO UPDATE SET starts = excluded.starts, ends = excluded.ends,
                        level_of_care = excluded.level_of_care, approved_units = excluded.approved_units, unit = excluded.unit,
                        min_hours_per_week = excluded.min_hours_per_week, max_hours_per_week = excluded.max_hours_per_week
                    """,
                arguments: [
                    client.id.rawValue, authorization.payer, authorization.number,
                    authorization.from.description, authorization.to.description,
                    authorization.levelOfCare.rawValue, authorization.approved?.amount, authorization.approved?.unit,
                    authorization.minHoursPerWeek, authorization.maxHoursPerWeek,
                ])
        }
    }

    public func authorizations() throws -> [AuthorizationRecord] {
        try read { db in
            try SQLRow.fetchAll(
                db,
                sql: """
                    SELECT "authorization".*, COALESCE(payer.review_every_days, 7) AS review_every_days
                    FROM "authorization" LEFT JOIN payer ON payer.name = "authorization".payer ORDER BY client_id, starts
                    """
            ).compactMap { row in
                guard let from = LocalDate(iso: row["starts"]), let to = LocalDate(iso: row["ends"]) else { return nil }
                let amount: Double? = row["approved_units"]
                let unit: String? = row["unit"]
                let approved: ApprovedUnits? = amount.map { unit == "hours" ? .hours($0) : .days(Int($0)) }
                return AuthorizationRecord(
                    client: ClientID(row["client_id"] as String), payer: row["payer"], number: row["number"],
                    from: from, to: to, levelOfCare: LevelOfCare(rawValue: row["level_of_care"]) ?? .iop,
                    approved: approved, minHoursPerWeek: row["min_hours_per_week"],
                    maxHoursPerWeek: row["max_hours_per_week"], reviewEveryDays: row["review_every_days"],
                    status: row["status"])
            }
        }
    }

    /// Active authorizations' reviews, expiries and unit run-outs from `today` through
    /// `today + days`. Units are forecast from recorded attendance, the published roster and
    /// planned last days.
    public func due(asOf today: LocalDate, within days: Int) throws -> [AuthorizationDue] {
        let horizon = today.adding(days: days)
        let roster = try publishedRoster()?.roster
        let entries = try attendance()
        let rules = try perDiemRules()
        let lastDays = Dictionary(
            try dischargeItems().map { ($0.client, $0.lastDay) }, uniquingKeysWith: { first, _ in first })
        var result: [AuthorizationDue] = []
        for authorization in try authorizations() where authorization.status == "active" {
            let units = UnitsForecast.make(
                authorization, roster: roster, entries: entries,
                rule: rules[authorization.client] ?? PerDiemRule(), asOf: today,
                lastDay: lastDays[authorization.client])
            func add(_ kind: AuthorizationDue.Kind, _ date: LocalDate) {
                result.append(AuthorizationDue(kind: kind, date: date, authorization: authorization, units: units))
            }
            for review in authorization.reviews where review >= today && review <= horizon && review < authorization.to
            {
                add(.review, review)
            }
            if authorization.to >= today && authorization.to <= horizon { add(.expiry, authorization.to) }
            if let uncovered = units?.firstUncovered, uncovered <= horizon { add(.units, max(uncovered, today)) }
        }
        return result.sorted {
            ($0.date, $0.authorization.client.rawValue) < ($1.date, $1.authorization.client.rawValue)
        }
    }
}
