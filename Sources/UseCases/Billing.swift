import IOPDomain
import OperationsRecord

/// Per-diem claim evidence for the published week.
public enum Billing {
    /// Each client's attended days judged by their payer's rule (the defaults for a client
    /// with no authorization): billable days, sessions, minutes, facilitators.
    public static func week(in store: RecordStore) throws(UseCaseError) -> BillingWeek {
        let (_, roster) = try Publishing.latest(in: store)
        return try recording {
            let rules = try store.perDiemRules()
            return BillingWeek(
                weekOf: roster.weekOf,
                clients: BillingSummary.week(
                    roster: roster, entries: try store.attendance(), rule: { rules[$0] ?? PerDiemRule() }
                ).map(ClientClaim.init))
        }
    }
}

/// The billing evidence of one week.
public struct BillingWeek: Sendable, Encodable {
    public let weekOf: LocalDate
    public let clients: [ClientClaim]
}

/// One client's week under their payer's per-diem rule.
public struct ClientClaim: Sendable, Encodable {
    public let client: ClientID
    public let procedureCode: String
    public let revenueCode: String
    /// Attended minutes that make a day billable.
    public let dayMinimumMinutes: Int
    /// Billable days the week needs for a claim.
    public let minimumDays: Int
    public let billableDays: Int
    public let weekQualifies: Bool
    /// The week does not qualify yet, but the days not recorded could make up the difference.
    public let mayStillQualify: Bool
    /// Days the published week plans for the client with no attendance recorded yet.
    public let pendingDays: [LocalDate]
    public let days: [ClaimDay]

    init(_ billing: ClientBilling) {
        client = billing.client
        (procedureCode, revenueCode) = (billing.rule.procedureCode, billing.rule.revenueCode)
        (dayMinimumMinutes, minimumDays) = (billing.rule.dayMinimumMinutes, billing.rule.minimumDays)
        (billableDays, weekQualifies, mayStillQualify) =
            (billing.billableDays, billing.weekQualifies, billing.mayStillQualify)
        pendingDays = billing.pendingDays
        days = billing.days.map {
            ClaimDay(date: $0.date, minutes: $0.minutes, billable: $0.billable, sessions: $0.sessions)
        }
    }
}

/// One attended day of a claim.
public struct ClaimDay: Sendable, Encodable {
    public let date: LocalDate
    public let minutes: Int
    public let billable: Bool
    public let sessions: [ClientBilling.Attended]
}
