import IOPDomain

/// Each client's week as a roster schedules it: hours, days, billable days, sessions per group.
/// With a history, past sessions count the minutes recorded as attended (none for an absence).
enum ClientTotals {
    static func weeks(of scenario: Scenario, sessions: [Session], history: History = .none) -> [ClientWeek] {
        var minutes: [ClientID: [Weekday: Int]] = [:]
        var groups: [ClientID: [String: Int]] = [:]
        for session in sessions {
            guard let block = scenario.program.block(session.block) else { continue }
            for member in session.members {
                let spent = history.minutes(of: member, in: session, length: block.minutes)
                guard spent > 0 else { continue }
                minutes[member, default: [:]][session.day, default: 0] += spent
                groups[member, default: [:]][session.group.rawValue, default: 0] += 1
            }
        }
        return scenario.clients.map { client in
            let byDay = minutes[client.id] ?? [:]
            let billable = Int((scenario.billableDayMinHours(of: client) * 60).rounded(.up))
            return ClientWeek(
                client: client.id, hours: Double(byDay.values.reduce(0, +)) / 60,
                days: byDay.keys.sorted(), billableDays: byDay.values.filter { $0 >= billable }.count,
                groups: groups[client.id] ?? [:])
        }
    }
}
