import IOPDomain

/// Tomorrow's lineup for one client, ready for an SMS or e-mail gateway: the schedule
/// only, nothing clinical; the client's ID unless the scenario gives a preferred name.
public struct Reminder: Sendable, Codable, Equatable {
    public struct Item: Sendable, Codable, Equatable {
        public let start: ClockTime
        public let end: ClockTime
        public let group: GroupID
        public let room: RoomID
        public let facilitators: [FacilitatorID]
        /// What changed since the last notified roster: nil when nothing did.
        public let change: String?
    }

    public let client: ClientID
    public let date: LocalDate
    public let items: [Item]
    /// Sessions the client was told about that no longer run.
    public let cancelled: [String]
    /// Sessions the client was told about that still run without them.
    public let removed: [String]
    public let text: String

    /// Reminders for every client with a session on `date` or one taken off, comparing
    /// with `since` (the roster last notified) when given.
    public static func make(for date: LocalDate, roster: Roster, since: Roster?, scenario: Scenario) -> [Reminder] {
        let today = roster.sessions.filter { $0.date == date }
        let before = since?.sessions.filter { $0.date == date } ?? []
        let clients = Set(today.flatMap(\.members) + before.flatMap(\.members)).sorted()
        return clients.compactMap { client in
            let mine = today.filter { $0.members.contains(client) }.sorted { $0.start < $1.start }
            let old = before.filter { $0.members.contains(client) }
            let items = mine.map { session -> Item in
                let previous = old.first { $0.block == session.block && $0.group == session.group }
                let change: String? =
                    switch previous {
                    case nil where since != nil: "new"
                    case let previous?
                    where previous.room != session.room || previous.facilitators != session.facilitators: "changed"
                    default: nil
                    }
                return Item(
                    start: session.start, end: session.end, group: session.group, room: session.room,
                    facilitators: session.facilitators, change: change)
            }
            let gone = old.filter { previous in
                !mine.contains { $0.block == previous.block && $0.group == previous.group }
            }
            let stillRuns = { (previous: Session) in
                today.contains { $0.block == previous.block && $0.group == previous.group }
            }
            let cancelled = gone.filter { !stillRuns($0) }.map { "\($0.start) \($0.group)" }
            let removed = gone.filter(stillRuns).map { "\($0.start) \($0.group)" }
            guard !items.isEmpty || !gone.isEmpty else { return nil }
            let name = scenario.client(client)?.preferredName ?? client.rawValue
            var lines = ["Hi \(name), your groups on \(date.weekday.title) \(date):"]
            lines += items.map { item in
                "\(item.start)-\(item.end) \(item.group), room \(item.room), with \(item.facilitators.map(\.rawValue).joined(separator: " and "))"
                    + (item.change.map { " (\($0 == "new" ? "NEW" : "CHANGED"))" } ?? "")
            }
            lines += cancelled.map { "\($0) is cancelled (CANCELLED)" }
            lines += removed.map { "\($0) is no longer on your schedule (REMOVED)" }
            return Reminder(
                client: client, date: date, items: items, cancelled: cancelled, removed: removed,
                text: lines.joined(separator: "\n"))
        }
    }
}
