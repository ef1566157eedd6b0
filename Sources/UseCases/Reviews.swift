import IOPDomain
import OperationsRecord

/// Concurrent reviews: what is due with the evidence a reviewer asks for, decisions (a
/// denial books the peer-to-peer call), and the appeals they open.
public enum Reviews {
    /// Active authorizations' reviews, expiries and unit run-outs from `today` through
    /// `today + days`, each with the client's week so far when a roster is published.
    public static func due(in store: RecordStore, asOf today: LocalDate, within days: Int) throws(UseCaseError)
        -> ReviewsDue
    {
        try recording {
            let due = try store.due(asOf: today, within: days)
            let evidence =
                try store.publishedRoster().map { published in
                    Dictionary(
                        AttendanceReport.week(
                            roster: published.roster, entries: try store.attendance(), census: try store.census(),
                            asOf: today
                        ).map { ($0.client, $0) }, uniquingKeysWith: { first, _ in first })
                } ?? [:]
            return ReviewsDue(
                from: today, through: today.adding(days: days),
                items: due.map { DueItem($0, week: evidence[$0.authorization.client].map(WeekEvidence.init)) })
        }
    }

    /// Logs `outcome` on the authorization `number`. A denial opens an appeal due
    /// `appealDays` later (the payer's window by default) and, given the week's `scenario`,
    /// books the peer-to-peer call in the treating clinician's first free block before then.
    public static func decide(
        _ number: String, on date: LocalDate, _ outcome: ReviewOutcome, appealDays: Int? = nil, note: String? = nil,
        scenario: Scenario?, in store: RecordStore
    ) throws(UseCaseError) -> ReviewDecision {
        try recording {
            guard let authorization = try store.authorizations().first(where: { $0.number == number }) else {
                throw RecordError.unknownAuthorization(number)
            }
            let window = try appealDays ?? store.policy(for: authorization.payer).appealDays
            let deadline = date.adding(days: window)
            var call: PeerToPeerCall?
            var unplaced: ReviewDecision.Unplaced?
            if outcome == .denied, let scenario {
                if let clinician = scenario.client(authorization.client)?.clinician,
                    let (_, roster) = try store.publishedRoster()
                {
                    if let slot = PeerToPeer.firstFreeBlock(
                        for: clinician, scenario: scenario, roster: roster, from: date, deadline: deadline)
                    {
                        call = PeerToPeerCall(
                            date: slot.date, start: slot.block.start, end: slot.block.end, clinician: clinician)
                    } else {
                        unplaced = .noFreeBlock(clinician: clinician, before: deadline)
                    }
                } else {
                    unplaced = .noClinicianOrRoster(authorization.client)
                }
            }
            try store.decide(
                number, on: date, outcome, appealDays: window, note: note, peerToPeer: call?.description)
            return ReviewDecision(
                number: number, on: date, outcome: outcome, appealDue: outcome == .denied ? deadline : nil,
                peerToPeer: call, unplaced: unplaced)
        }
    }

    /// Open appeals by deadline, each with what its packet still lacks.
    public static func appeals(in store: RecordStore) throws(UseCaseError) -> OpenAppeals {
        OpenAppeals(appeals: try recording { try store.openAppeals() })
    }

    /// Marks `item` (one of ``RecordStore/appealPacket``) done on the open appeal of `number`.
    public static func completeAppealItem(_ item: String, of number: String, in store: RecordStore)
        throws(UseCaseError)
    {
        try recording { try store.completeAppealItem(number, item) }
    }
}

/// What is due between two days.
public struct ReviewsDue: Sendable, Encodable {
    public let from: LocalDate
    public let through: LocalDate
    public let items: [DueItem]
}

/// One review, expiry or unit run-out, with its authorization and the evidence for it.
public struct DueItem: Sendable, Encodable {
    public let date: LocalDate
    public let kind: AuthorizationDue.Kind
    public let client: ClientID
    public let payer: String
    public let number: String
    public let levelOfCare: String
    public let from: LocalDate
    public let to: LocalDate
    public let minHoursPerWeek: Double?
    public let maxHoursPerWeek: Double?
    /// The client's published week so far, when a roster is published.
    public let thisWeek: WeekEvidence?
    /// How the approved units are being spent, when the payer counts them.
    public let units: UnitsEvidence?

    init(_ due: AuthorizationDue, week: WeekEvidence?) {
        let a = due.authorization
        (date, kind, client, payer, number) = (due.date, due.kind, a.client, a.payer, a.number)
        (levelOfCare, from, to) = (a.levelOfCare.rawValue, a.from, a.to)
        (minHoursPerWeek, maxHoursPerWeek) = (a.minHoursPerWeek, a.maxHoursPerWeek)
        thisWeek = week
        units = due.units.map(UnitsEvidence.init)
    }
}

/// A client's hours this week, as the attendance report counts them.
public struct WeekEvidence: Sendable, Encodable {
    public let attendedHours: Double
    public let scheduledHours: Double
    public let minimumHours: Double
    public let absences: Int

    init(_ week: ClientAttendance) {
        (attendedHours, scheduledHours) = (week.attendedHours, week.remainingHours)
        (minimumHours, absences) = (week.minimumHours, week.absences.count)
    }
}

/// Approved units against those used and those the published week still plans.
public struct UnitsEvidence: Sendable, Encodable {
    public let unit: String
    public let approved: Double
    public let used: Double
    public let planned: Double
    /// The first day of planned attendance the units no longer cover.
    public let firstUncovered: LocalDate?
    /// Units left once the planned ones are spent.
    public let spare: Double

    init(_ forecast: UnitsForecast) {
        (unit, approved) = (forecast.approved.unit, forecast.approved.amount)
        (used, planned, firstUncovered) = (forecast.used, forecast.planned, forecast.firstUncovered)
        spare = forecast.left - forecast.planned
    }
}

/// The open appeals, by deadline.
public struct OpenAppeals: Sendable, Encodable {
    public let appeals: [Appeal]
}

/// The peer-to-peer call booked for a denial.
public struct PeerToPeerCall: Sendable, Equatable, CustomStringConvertible {
    public let date: LocalDate
    public let start: ClockTime
    public let end: ClockTime
    public let clinician: FacilitatorID

    /// `2026-03-04 13:00-14:00 with clin1`, as the appeal keeps it.
    public var description: String { "\(date) \(start)-\(end) with \(clinician)" }
}

/// A decision logged.
public struct ReviewDecision: Sendable {
    /// Why a denial's peer-to-peer call was not booked.
    public enum Unplaced: Sendable, Equatable {
        case noFreeBlock(clinician: FacilitatorID, before: LocalDate)
        /// The client has no treating clinician in the scenario, or no roster is published.
        case noClinicianOrRoster(ClientID)
    }

    public let number: String
    public let on: LocalDate
    public let outcome: ReviewOutcome
    /// A denial's appeal deadline.
    public let appealDue: LocalDate?
    public let peerToPeer: PeerToPeerCall?
    public let unplaced: Unplaced?

    /// The decision as logged, in one line: `A-99812: denied on 2026-12-09; appeal open, due
    /// 2026-12-23; peer-to-peer call 2026-12-09 10:45-12:15 with f-lee`.
    public var summary: String {
        switch outcome {
        case .approved(let through): return "\(number): approved through \(through)"
        case .denied:
            return "\(number): denied on \(on); appeal open, due \(appealDue ?? on)"
                + (peerToPeer.map { "; peer-to-peer call \($0)" } ?? "")
        case .stepDown(let hours?, let level):
            let low = ((hours.lowerBound * 100).rounded() / 100).compact
            let high = ((hours.upperBound * 100).rounded() / 100).compact
            return "\(number): step-down on \(on) to \(level.rawValue), \(low)-\(high) h a week"
        case .stepDown(nil, _): return "\(number): step-down on \(on); the IOP authorization ends"
        }
    }
}

extension ReviewDecision.Unplaced: CustomStringConvertible {
    /// Why the call is still to be placed.
    public var description: String {
        switch self {
        case .noFreeBlock(let clinician, let before): "\(clinician) has no free block before \(before)"
        case .noClinicianOrRoster(let client): "\(client) has no treating clinician, or no roster is published"
        }
    }
}
