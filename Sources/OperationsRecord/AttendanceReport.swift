import IOPDomain

/// One client's week as attended, against the authorized minimum: what a coordinator
/// brings to a concurrent review, and the flags that call for make-up sessions now.
public struct ClientAttendance: Sendable, Equatable {
    public enum Risk: String, Sendable {
        /// Attended plus every remaining scheduled session stays below the minimum.
        case cannotReach = "cannot_reach_minimum"
        /// The minimum is reached only if no further session is missed.
        case noFurtherAbsence = "no_further_absence"
    }

    public let client: ClientID
    public let minimumHours: Double
    public let attendedHours: Double
    /// Sessions still to come that have no attendance yet.
    public let remainingHours: Double
    /// Past sessions with no attendance recorded.
    public let unrecorded: [String]
    public let absences: [String]
    public let risk: Risk?
    /// Absence patterns the clinical team should hear about.
    public let patterns: [String]
    /// Days attended below the billable-day minimum.
    public let shortDays: [LocalDate]
    /// Sessions attended per group.
    public let groups: [GroupID: Int]

    public var projectedHours: Double { attendedHours + remainingHours }
}

/// Builds the week's attendance picture from the published roster and what was recorded.
public enum AttendanceReport {
    /// - Parameters:
    ///   - asOf: sessions on or after this date without a record are still to come.
    ///   - inARow: this many absences in a row is a pattern.
    ///   - inWindow: this many absences within `windowDays` (from all recorded history) is a pattern.
    ///   - billableDayMinutes: a day a client attends with fewer minutes is flagged (their payer's rule).
    public static func week(
        roster: Roster, entries: [AttendanceEntry], census: [ClientID: ClosedRange<Double>],
        asOf: LocalDate, inARow: Int = 2, inWindow: Int = 3, windowDays: Int = 14,
        billableDayMinutes: (ClientID) -> Int = { _ in PerDiemRule().dayMinimumMinutes }
    ) -> [ClientAttendance] {
        let recorded = Dictionary(
            entries.of(roster).map { (SessionMember($0.session, $0.client), $0) }, uniquingKeysWith: { _, last in last }
        )
        return census.keys.sorted().map { client in
            let sessions = roster.sessions.filter { $0.members.contains(client) }.sorted {
                ($0.date, $0.start) < ($1.date, $1.start)
            }
            var attended = 0
            var remaining = 0
            var longest = 0
            var unrecorded: [String] = []
            var absences: [String] = []
            var streak = 0
            var worstStreak = 0
            var minutesByDay: [LocalDate: Int] = [:]
            var groups: [GroupID: Int] = [:]
            for session in sessions {
                let length = SignInSheet.minutes(session)
                if let entry = recorded[SessionMember(session.id, client)] {
                    attended += entry.minutes
                    if entry.minutes > 0 {
                        minutesByDay[session.date, default: 0] += entry.minutes
                        groups[session.group, default: 0] += 1
                    }
                    if entry.status == .absentExcused || entry.status == .absentUnexcused {
                        absences.append(
                            "\(session.date) \(session.group) \(entry.status.rawValue)"
                                + (entry.reason.map { ": \($0)" } ?? ""))
                        streak += 1
                        worstStreak = max(worstStreak, streak)
                    } else if entry.status.attended {
                        streak = 0
                    }
                } else if session.date >= asOf {
                    remaining += length
                    longest = max(longest, length)
                } else {
                    unrecorded.append(session.id)
                }
            }
            let minimum = census[client]?.lowerBound ?? 0
            let projected = Double(attended + remaining) / 60
            let risk: ClientAttendance.Risk? =
                projected < minimum - 1e-9
                ? .cannotReach
                : (remaining > 0 && projected - Double(longest) / 60 < minimum - 1e-9) ? .noFurtherAbsence : nil
            var patterns = worstStreak >= inARow ? ["\(worstStreak) absences in a row"] : []
            let missed = entries.filter {
                $0.client == client && ($0.status == .absentExcused || $0.status == .absentUnexcused)
            }
            .map(\.date).sorted()
            if missed.indices.contains(where: { start in
                missed[start...].prefix { missed[start].adding(days: windowDays) > $0 }.count >= inWindow
            }) {
                patterns.append("\(inWindow)+ absences within \(windowDays) days")
            }
            return ClientAttendance(
                client: client, minimumHours: minimum, attendedHours: Double(attended) / 60,
                remainingHours: Double(remaining) / 60, unrecorded: unrecorded, absences: absences,
                risk: risk, patterns: patterns,
                shortDays: minutesByDay.filter { $0.value < billableDayMinutes(client) }.keys.sorted(), groups: groups)
        }
    }
}
