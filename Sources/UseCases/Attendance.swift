import IOPDomain
import OperationsRecord
import Planner
import RosterSolver

/// Attendance against the published roster: sign-in sheets, the week's report, make-up sessions.
public enum Attendance {
    /// Records a sign-in sheet (CSV: session_id,client,status,minutes,reason) against the
    /// published roster, all rows or none. Returns the version it was recorded against and
    /// the rows recorded.
    public static func record(sheet text: String, file: String, in store: RecordStore) throws(UseCaseError) -> (
        version: Int64, rows: Int
    ) {
        let (version, roster) = try Publishing.latest(in: store)
        switch SignInSheet.parse(text, file: file, roster: roster) {
        case .success(let entries):
            try recording { try store.record(entries) }
            return (version, entries.count)
        case .failure(let errors):
            throw .badRows(errors)
        }
    }

    /// Each client's hours attended, still to come and projected against their minimum as of
    /// `day`, with at-risk flags and absences; days below the client's payer's billable day
    /// are flagged.
    public static func report(in store: RecordStore, asOf day: LocalDate) throws(UseCaseError) -> AttendanceWeek {
        let (_, roster) = try Publishing.latest(in: store)
        return try recording {
            let rules = try store.perDiemRules()
            return AttendanceWeek(
                weekOf: roster.weekOf, asOf: day,
                clients: AttendanceReport.week(
                    roster: roster, entries: try store.attendance(), census: try store.census(), asOf: day,
                    billableDayMinutes: { (rules[$0] ?? PerDiemRule()).dayMinimumMinutes }))
        }
    }

    /// The fewest extra sessions later in the week that bring at-risk clients back to their
    /// minimum, re-planned from `now` with the hours attended as recorded.
    public static func proposeMakeUp(
        in store: RecordStore, base: Scenario, asOf now: DateTime, options: PlanOptions
    ) throws(UseCaseError) -> Proposal {
        let week = try RecordWeek.load(base, from: store)
        let (version, roster) = try Publishing.latest(in: store)
        let attended = Dictionary(
            try recording { try store.attendance() }.of(roster).map {
                (SessionMember($0.session, $0.client), $0.minutes)
            }, uniquingKeysWith: { _, last in last })
        let result: Replan
        do {
            result = try Planner.makeUp(
                week.scenario, roster: roster, attended: attended, asOf: now, events: week.news, options: options)
        } catch {
            throw .planning(error)
        }
        guard result.plan.solver.status != .none else { throw .noRoster }
        return Proposal(replan: result, based: version, events: [], origin: .madeUp)
    }
}

/// The attendance report of the published week as of a day.
public struct AttendanceWeek: Sendable, Encodable {
    public let weekOf: LocalDate
    public let asOf: LocalDate
    public let clients: [ClientAttendance]
}

extension ClientAttendance: Encodable {
    private enum CodingKeys: String, CodingKey {
        case client, minimumHours, attendedHours, remainingHours, projectedHours, unrecorded, absences, risk,
            patterns, shortDays, groups
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(client, forKey: .client)
        try container.encode(minimumHours, forKey: .minimumHours)
        try container.encode(attendedHours, forKey: .attendedHours)
        try container.encode(remainingHours, forKey: .remainingHours)
        try container.encode(projectedHours, forKey: .projectedHours)
        try container.encode(unrecorded, forKey: .unrecorded)
        try container.encode(absences, forKey: .absences)
        try container.encodeIfPresent(risk?.rawValue, forKey: .risk)
        try container.encode(patterns, forKey: .patterns)
        try container.encode(shortDays, forKey: .shortDays)
        try container.encode(
            Dictionary(uniqueKeysWithValues: groups.map { ($0.key.rawValue, $0.value) }), forKey: .groups)
    }
}
