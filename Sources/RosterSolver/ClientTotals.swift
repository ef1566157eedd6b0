import IOPDomain

/// Each client's week as a roster schedules it: hours, days, billable days, sessions per group.
enum ClientTotals {
    static func weeks(of scenario: Scenario, sessions: [Session]) -> [ClientWeek] {
        var minutes: [ClientID: [Weekday: Int]] = [:]
        var groups: [ClientID: [String: Int]] = [:]
        for session in sessions {
            guard let block = scenario.program.block(session.block) else { continue }
            for member in session.members {
                minutes[member, default: [:]][session.day, default: 0] += block.minutes
                groups[member, default: [:]][session.group.rawValue, default: 0] += 1
            }
        }
        let billable = Int((scenario.program.policy.billableDayMinHours * 60).rounded(.up))
        return scenario.clients.map { client in
            let byDay = minutes[client.id] ?? [:]
            return ClientWeek(client: client.id, hours: Double(byDay.values.reduce(0, +)) / 60,
                              days: byDay.keys.sorted(), billableDays: byDay.values.filter { $0 >= billable }.count,
                              groups: groups[client.id] ?? [:])
        }
    }
}
