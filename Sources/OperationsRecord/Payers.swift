import IOPDomain

/// Codes and thresholds of one payer's per-diem rule.
public struct PerDiemRule: Sendable, Equatable {
    public var procedureCode: String
    public var revenueCode: String
    /// Attended minutes that make a day billable.
    public var dayMinimumMinutes: Int
    /// Billable days a week needs for a claim.
    public var minimumDays: Int

    public init(
        procedureCode: String = "H0015", revenueCode: String = "0906", dayMinimumMinutes: Int = 180,
        minimumDays: Int = 3
    ) {
        self.procedureCode = procedureCode
        self.revenueCode = revenueCode
        self.dayMinimumMinutes = dayMinimumMinutes
        self.minimumDays = minimumDays
    }
}

/// How one payer reviews, hears appeals and pays. The record keeps one per payer; a payer
/// first seen on an imported authorization starts from the program's policy.
public struct PayerPolicy: Sendable, Equatable {
    public var payer: String
    /// Days between concurrent reviews (7 weekly, 14 every two weeks).
    public var reviewEveryDays: Int
    /// Days from a denial to the appeal deadline.
    public var appealDays: Int
    public var perDiem: PerDiemRule

    public init(payer: String, reviewEveryDays: Int = 7, appealDays: Int = 30, perDiem: PerDiemRule = PerDiemRule()) {
        self.payer = payer
        self.reviewEveryDays = reviewEveryDays
        self.appealDays = appealDays
        self.perDiem = perDiem
    }

    /// A new payer's policy: the program's billable-day rule, weekly reviews, 30 days to appeal.
    public static func starting(_ payer: String, from policy: Policy) -> PayerPolicy {
        PayerPolicy(
            payer: payer,
            perDiem: PerDiemRule(
                dayMinimumMinutes: Int((policy.billableDayMinHours * 60).rounded()),
                minimumDays: policy.minDaysPerWeek))
    }
}

extension RecordStore {
    /// Every payer's policy, by name.
    public func payers() throws -> [PayerPolicy] {
        try read { db in try SQLRow.fetchAll(db, sql: "SELECT * FROM payer ORDER BY name").map(Self.policy(from:)) }
    }

    /// The payer's policy, or the usual one (``PayerPolicy/init(payer:reviewEveryDays:appealDays:perDiem:)``)
    /// when the record has none.
    public func policy(for payer: String) throws -> PayerPolicy {
        try read { db in try Self.payerPolicy(payer, db) ?? PayerPolicy(payer: payer) }
    }

    /// Each payer's per-diem rule as day rules for planning: the billable day and the days
    /// a week its claims need.
    public func payerDayRules() throws -> [String: DayRules] {
        Dictionary(
            try payers().map { policy in
                (
                    policy.payer,
                    DayRules(
                        minDaysPerWeek: policy.perDiem.minimumDays,
                        billableDayMinHours: Double(policy.perDiem.dayMinimumMinutes) / 60)
                )
            }, uniquingKeysWith: { first, _ in first })
    }

    /// Adds or replaces a payer's policy.
    public func setPayer(_ policy: PayerPolicy) throws {
        try write { db in try Self.upsert(policy, db, replacing: true) }
    }

    /// The per-diem rule of the payer of each client's latest authorization (denied or
    /// ended ones included: their weeks are still billed); clients without one are missing.
    public func perDiemRules() throws -> [ClientID: PerDiemRule] {
        try read { db in
            var rules: [ClientID: PerDiemRule] = [:]
            for row in try SQLRow.fetchAll(
                db,
                sql: """
                    SELECT "authorization".client_id, payer.* FROM "authorization" JOIN payer ON payer.name = "authorization".payer
                    WHERE "authorization".status <> 'superseded' ORDER BY "authorization".starts, "authorization".id
                    """)
            {
                rules[ClientID(row["client_id"] as String)] = Self.policy(from: row).perDiem
            }
            return rules
        }
    }

    static func payerPolicy(_ payer: String, _ db: any SQLExecutor) throws -> PayerPolicy? {
        try SQLRow.fetchOne(db, sql: "SELECT * FROM payer WHERE name = ?", arguments: [payer]).map(Self.policy(from:))
    }

    static func upsert(_ policy: PayerPolicy, _ db: any SQLExecutor, replacing: Bool) throws {
        try db.execute(
            sql: """
                INSERT INTO payer (name, review_every_days, appeal_days, procedure_code, revenue_code, day_min_minutes, min_days)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO
                """
                    + (replacing
                        ? """
                         UPDATE SET review_every_days = excluded.review_every_days, appeal_days = excluded.appeal_days,
                            procedure_code = excluded.procedure_code, revenue_code = excluded.revenue_code,
                            day_min_minutes = excluded.day_min_minutes, min_days = excluded.min_days
                        """ : " NOTHING"),
            arguments: [
                policy.payer, policy.reviewEveryDays, policy.appealDays, policy.perDiem.procedureCode,
                policy.perDiem.revenueCode, policy.perDiem.dayMinimumMinutes, policy.perDiem.minimumDays,
            ])
    }

    private static func policy(from row: SQLRow) -> PayerPolicy {
        PayerPolicy(
            payer: row["name"], reviewEveryDays: row["review_every_days"], appealDays: row["appeal_days"],
            perDiem: PerDiemRule(
                procedureCode: row["procedure_code"], revenueCode: row["revenue_code"],
                dayMinimumMinutes: row["day_min_minutes"], minimumDays: row["min_days"]))
    }
}
