import IOPDomain

/// A later week of the program built from this one as the record knows it: the same
/// calendar, rooms, groups and staff on the new dates, the census that is still enrolled,
/// absences and closures that reach into the new week, changes in availability and whole-
/// group bars from the events in effect, and last week's process facilitators from the
/// roster as published.
public struct NextWeek: Sendable {
    public let scenario: Scenario
    /// Clients of this week who are not enrolled on any day of the new one.
    public let ended: [ClientID]

    /// - Parameters:
    ///   - week: this week with every event in effect applied.
    ///   - events: those events, in order (availability changes hold for the whole new week).
    ///   - published: this week's latest published roster, for process-group continuity.
    ///   - monday: the new week's Monday, after this week's.
    public init(from week: Scenario, events: [Event], published: Roster?, monday: LocalDate) {
        var next = week
        next.program.weekOf = monday
        next.program.policy.payers = [:]
        next.locks = []
        let start = monday
        let dates = next.program.days.map(next.program.date(of:))
        let ahead = { (absence: Absence) in absence.to >= start }
        for index in next.program.rooms.indices { next.program.rooms[index].unavailable.removeAll { !ahead($0) } }
        for index in next.groups.indices { next.groups[index].cancelled.removeAll { !ahead($0) } }
        for index in next.facilitators.indices { next.facilitators[index].absences.removeAll { !ahead($0) } }
        for index in next.clients.indices { next.clients[index].absences.removeAll { !ahead($0) } }
        for event in events {
            switch event.change {
            case .clientAvailability(let id, let availability):
                if let index = next.clients.firstIndex(where: { $0.id == id }) {
                    next.clients[index].available = availability
                }
            case .facilitatorAvailability(let id, let availability):
                if let index = next.facilitators.firstIndex(where: { $0.id == id }) {
                    next.facilitators[index].available = availability
                }
            case .bar(let id, .group(let group)):
                // Entered mid-week, it became the week's remaining times; next week it is the group again.
                if let index = next.clients.firstIndex(where: { $0.id == id }) {
                    next.clients[index].barred.removeAll { bar in
                        if case .slot(let slot) = bar { slot.group == group } else { false }
                    }
                    if !next.clients[index].barred.contains(.group(group)) {
                        next.clients[index].barred.append(.group(group))
                    }
                }
            default: break
            }
        }
        let ended = next.clients.filter { client in !dates.contains(where: client.isEnrolled) }.map(\.id)
        next.clients.removeAll { ended.contains($0.id) }
        for index in next.clients.indices { next.clients[index].keepApart.removeAll(where: ended.contains) }
        self.ended = ended
        if let published {
            let process = Set(next.groups.filter { $0.kind == "psychotherapy" }.map(\.id))
            for index in next.clients.indices {
                let id = next.clients[index].id
                for group in process {
                    let leaders = published.sessions.filter { $0.group == group && $0.members.contains(id) }.compactMap(
                        \.facilitators.first)
                    let counts = Dictionary(leaders.map { ($0, 1) }, uniquingKeysWith: +)
                    if let most = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key {
                        next.clients[index].lastWeek[group] = most
                    }
                }
            }
        }
        scenario = next
    }
}
