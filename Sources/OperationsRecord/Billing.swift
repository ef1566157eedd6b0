import IOPDomain

/// The evidence a per-diem claim needs for one client's week: which days qualify, and
/// for each the sessions attended with their minutes and facilitators. Not a claims system.
public struct ClientBilling: Sendable, Equatable {
    public struct Day: Sendable, Equatable {
        public let date: LocalDate
        public let minutes: Int
        /// Whether the day reaches the payer's minimum hours.
        public let billable: Bool
        /// The sessions attended that day, by start time.
        public let sessions: [Attended]
    }

    /// One session a client attended: when, which group, the minutes recorded and who led it.
    public struct Attended: Sendable, Equatable, Encodable {
        public let session: String
        public let start: ClockTime
        public let group: GroupID
        public let minutes: Int
        public let facilitators: [FacilitatorID]

        /// `09:00 process 180 min f1`.
        public var line: String {
            "\(start) \(group) \(minutes) min \(facilitators.map(\.rawValue).joined(separator: "+"))"
        }
    }

    public let client: ClientID
    /// The payer's rule the days were judged by.
    public let rule: PerDiemRule
    public let days: [Day]
    /// Whether the week has the payer's minimum billable days.
    public let weekQualifies: Bool
    /// Days the published week plans for the client with no attendance recorded yet.
    public let pendingDays: [LocalDate]

    public var billableDays: Int { days.filter(\.billable).count }

    /// Whether the week can still reach the minimum: it does not yet, but the days not
    /// recorded could make up the difference.
    public var mayStillQualify: Bool { !weekQualifies && billableDays + pendingDays.count >= rule.minimumDays }
}

public enum BillingSummary {
    /// Attended minutes only (present, late, left early); unrecorded sessions are not billed.
    /// Each client's days are judged by `rule(client)`, their payer's.
    public static func week(roster: Roster, entries: [AttendanceEntry], rule: (ClientID) -> PerDiemRule)
        -> [ClientBilling]
    {
        let sessions = Dictionary(roster.sessions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let entries = entries.of(roster)
        let attended = entries.filter { $0.status.attended && $0.minutes > 0 }
        var recorded: [ClientID: Set<LocalDate>] = [:]
        for entry in entries { recorded[entry.client, default: []].insert(entry.date) }
        return Dictionary(grouping: attended, by: \.client).map { client, rows in
            let planned = Set(roster.sessions.filter { $0.members.contains(client) }.map(\.date))
            let pending = planned.subtracting(recorded[client] ?? []).sorted()
            let rule = rule(client)
            let days = Dictionary(grouping: rows, by: \.date).map { date, rows -> ClientBilling.Day in
                let minutes = rows.reduce(0) { $0 + $1.minutes }
                let attended = rows.compactMap { row in
                    sessions[row.session].map { session in
                        ClientBilling.Attended(
                            session: session.id, start: session.start, group: session.group, minutes: row.minutes,
                            facilitators: session.facilitators)
                    }
                }.sorted { ($0.start, $0.group) < ($1.start, $1.group) }
                return ClientBilling.Day(
                    date: date, minutes: minutes, billable: minutes >= rule.dayMinimumMinutes, sessions: attended)
            }.sorted { $0.date < $1.date }
            return ClientBilling(
                client: client, rule: rule, days: days,
                weekQualifies: days.filter(\.billable).count >= rule.minimumDays,
                pendingDays: pending)
        }.sorted { $0.client < $1.client }
    }
}
