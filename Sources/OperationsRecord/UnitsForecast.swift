import IOPDomain

/// How an authorization's approved units are being spent: what recorded attendance used
/// inside the window, what is still planned there, and the first planned day the units no
/// longer cover. A day unit is a day whose attended minutes reach the payer's billable day;
/// an hour unit is sixty attended minutes.
public struct UnitsForecast: Sendable, Equatable {
    public let approved: ApprovedUnits
    /// Units attended inside the window, as recorded.
    public let used: Double
    /// Units planned from `asOf` to the window's end (or the client's last day) and not yet
    /// recorded: the published week as scheduled, later weeks on the same weekly pattern.
    public let planned: Double
    /// The first day with planned attendance beyond the approved units.
    public let firstUncovered: LocalDate?

    public var left: Double { approved.amount - used }

    public static func make(
        _ authorization: AuthorizationRecord, roster: Roster?, entries: [AttendanceEntry],
        rule: PerDiemRule, asOf: LocalDate, lastDay: LocalDate? = nil
    ) -> UnitsForecast? {
        guard let approved = authorization.approved else { return nil }
        func units(_ minutes: Int) -> Double {
            switch approved {
            case .days: minutes >= rule.dayMinimumMinutes ? 1 : 0
            case .hours: Double(minutes) / 60
            }
        }
        let client = authorization.client
        let window = authorization.from...authorization.to
        let mine = entries.filter { $0.client == client }
        let recorded = Set(mine.map { "\($0.session)|\($0.date)" })
        let attendedByDay = Dictionary(
            grouping: mine.filter { $0.status.attended && window.contains($0.date) }, by: \.date
        )
        .mapValues { $0.reduce(0) { $0 + $1.minutes } }
        let used = attendedByDay.values.reduce(0) { $0 + units($1) }

        var planned = 0.0
        var total = used
        var firstUncovered: LocalDate?
        if let roster {
            let sessions = roster.sessions.filter { $0.members.contains(client) }
            let weekEnd = roster.weekOf.adding(days: 6)
            let end = min(authorization.to, lastDay ?? authorization.to)
            var date = max(asOf, authorization.from, roster.weekOf)
            while date <= end {
                let day =
                    date <= weekEnd
                    ? sessions.filter { $0.date == date } : sessions.filter { $0.date.weekday == date.weekday }
                let minutes = day.filter { !recorded.contains("\($0.id)|\(date)") }.reduce(0) {
                    $0 + SignInSheet.minutes($1)
                }
                let attended = attendedByDay[date] ?? 0
                let added = units(attended + minutes) - units(attended)
                if added > 0 {
                    planned += added
                    total += added
                    if firstUncovered == nil, total > approved.amount + 1e-9 { firstUncovered = date }
                }
                date = date.adding(days: 1)
            }
        }
        return UnitsForecast(approved: approved, used: used, planned: planned, firstUncovered: firstUncovered)
    }
}
