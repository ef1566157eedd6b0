import IOPDomain
import OperationsRecord
import UseCases

// What the authorization, discharge and billing pages show, as plain values their
// templates render.

/// Reviews, expiries and unit run-outs due, with the evidence a reviewer asks for, and the
/// open appeals with what their packets still lack.
struct AuthorizationsView {
    struct Due {
        let date: String
        let what: String
        let client: String
        let payer: String
        let number: String
        let authorized: String
        let evidence: String
        let units: String
    }
    struct OpenAppeal {
        let number: String
        let client: String
        let openedOn: String
        let deadline: String
        let daysLeft: String
        let peerToPeer: String
        let missing: [String]
    }

    let asOf: String
    let within: Int
    let through: String
    let due: [Due]
    let dueCount: Int
    let anyDue: Bool
    let appeals: [OpenAppeal]
    let appealCount: Int
    let anyAppeal: Bool
    let csrfToken: String
    /// What the last action did, in one line.
    var notice: String?
    var error: String?
    var problems: [String] = []

    init(_ reviews: ReviewsDue, _ open: OpenAppeals, csrfToken: String) {
        asOf = reviews.from.description
        within = reviews.through.dayNumber - reviews.from.dayNumber
        through = reviews.through.description
        due = reviews.items.map { item in
            let hours = [item.minHoursPerWeek, item.maxHoursPerWeek].compactMap { $0.map(Self.hours) }
            return Due(
                date: item.date.description, what: Self.words(item.kind), client: item.client.rawValue,
                payer: item.payer, number: item.number,
                authorized: "\(item.levelOfCare) \(item.from) to \(item.to)"
                    + (hours.isEmpty ? "" : ", \(hours.joined(separator: "-")) h a week"),
                evidence: item.thisWeek.map {
                    "\(Self.hours($0.attendedHours)) h attended, \(Self.hours($0.scheduledHours)) h still scheduled, "
                        + "minimum \(Self.hours($0.minimumHours)); \($0.absences) absence\($0.absences == 1 ? "" : "s")"
                } ?? "no published week",
                units: item.units.map { units in
                    "\(Self.hours(units.approved)) \(units.unit) approved, \(Self.hours(units.used)) used, "
                        + "\(Self.hours(units.planned)) planned; "
                        + (units.firstUncovered.map { "not covered from \($0)" }
                            ?? "\(Self.hours(units.spare)) to spare")
                } ?? "")
        }
        (dueCount, anyDue) = (due.count, !due.isEmpty)
        let today = reviews.from
        appeals = open.appeals.map { appeal in
            let left = appeal.deadline.dayNumber - today.dayNumber
            return OpenAppeal(
                number: appeal.number, client: appeal.client.rawValue, openedOn: appeal.openedOn.description,
                deadline: appeal.deadline.description,
                daysLeft: left < 0 ? "\(-left) days late" : left == 0 ? "due today" : "\(left) days left",
                peerToPeer: appeal.peerToPeer ?? "not placed yet", missing: appeal.missing)
        }
        (appealCount, anyAppeal) = (appeals.count, !appeals.isEmpty)
        self.csrfToken = csrfToken
    }

    static func words(_ kind: AuthorizationDue.Kind) -> String {
        switch kind {
        case .review: "Concurrent review"
        case .expiry: "Authorization ends"
        case .units: "Approved units run out"
        }
    }

    static func hours(_ value: Double) -> String { ((value * 100).rounded() / 100).compact }
}

/// The open discharge and step-down checklist items, overdue first.
struct DischargesView {
    struct Item {
        let due: String
        let client: String
        let lastDay: String
        let item: String
    }

    let asOf: String
    let overdue: [Item]
    let dueNext: [Item]
    let overdueCount: Int
    let dueNextCount: Int
    let anyOverdue: Bool
    let anyDueNext: Bool
    let csrfToken: String
    var notice: String?
    var error: String?

    init(_ checklist: DischargeChecklist, csrfToken: String) {
        func item(_ item: ChecklistItem) -> Item {
            Item(
                due: item.due.description, client: item.client.rawValue, lastDay: item.lastDay.description,
                item: item.item)
        }
        asOf = checklist.asOf.description
        overdue = checklist.overdue.map(item)
        dueNext = checklist.dueNext.map(item)
        (overdueCount, dueNextCount) = (overdue.count, dueNext.count)
        (anyOverdue, anyDueNext) = (!overdue.isEmpty, !dueNext.isEmpty)
        self.csrfToken = csrfToken
    }
}

/// The published week's per-diem claim evidence, one row per client.
struct BillingView {
    struct Day {
        let date: String
        let minutes: Int
        let billable: String
        let sessions: String
    }
    struct Claim {
        let client: String
        let codes: String
        let rule: String
        let billableDays: Int
        let minimumDays: Int
        let standing: String
        let pending: String
        let days: [Day]
        let attendedDays: String
        let anyDay: Bool
    }

    let weekOf: String
    let claims: [Claim]
    let anyClaim: Bool
    let qualifying: Int

    init(_ week: BillingWeek) {
        weekOf = week.weekOf.description
        claims = week.clients.map { claim in
            Claim(
                client: claim.client.rawValue, codes: "\(claim.procedureCode) / \(claim.revenueCode)",
                rule: "\(AuthorizationsView.hours(Double(claim.dayMinimumMinutes) / 60)) h makes a day",
                billableDays: claim.billableDays, minimumDays: claim.minimumDays,
                standing: claim.weekQualifies
                    ? "qualifies" : claim.mayStillQualify ? "may still qualify" : "does not qualify",
                pending: claim.pendingDays.map { $0.weekday.title }.joined(separator: ", "),
                days: claim.days.map { day in
                    Day(
                        date: "\(day.date.weekday.title) \(day.date)", minutes: day.minutes,
                        billable: day.billable ? "billable" : "below the day's minimum",
                        sessions: day.sessions.map(\.line).joined(separator: "; "))
                }, attendedDays: "\(claim.days.count) day\(claim.days.count == 1 ? "" : "s") attended",
                anyDay: !claim.days.isEmpty)
        }
        anyClaim = !claims.isEmpty
        qualifying = week.clients.filter(\.weekQualifies).count
    }
}
