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

/// A day's lineup for one facilitator: the sessions they lead with room and headcount,
/// each change since the roster they were last told flagged like a client's.
public struct StaffReminder: Sendable, Codable, Equatable {
    public struct Item: Sendable, Codable, Equatable {
        public let session: String
        public let start: ClockTime
        public let end: ClockTime
        public let group: GroupID
        /// The section's letter: A, B, ...
        public let section: String
        public let room: RoomID
        public let clients: Int
        /// `new` (not theirs before), `changed` (another room, other co-facilitators or
        /// other members), or nil when nothing changed.
        public let change: String?
    }

    public let facilitator: FacilitatorID
    public let date: LocalDate
    public let items: [Item]
    /// Sessions they were told they lead that they no longer do.
    public let removed: [String]
    public let text: String

    /// Reminders for every facilitator leading a session on `date` or one taken from
    /// them, comparing with `since` (the roster last notified) when given.
    public static func make(for date: LocalDate, roster: Roster, since: Roster?) -> [StaffReminder] {
        let today = roster.sessions.filter { $0.date == date }
        let before = since?.sessions.filter { $0.date == date } ?? []
        let staff = Set(today.flatMap(\.facilitators) + before.flatMap(\.facilitators)).sorted()
        return staff.compactMap { facilitator in
            let mine = today.filter { $0.facilitators.contains(facilitator) }.sorted { $0.start < $1.start }
            let old = before.filter { $0.facilitators.contains(facilitator) }
            let items = mine.map { session -> Item in
                let previous = old.first { $0.id == session.id }
                let change: String? =
                    switch previous {
                    case nil where since != nil: "new"
                    case let previous?
                    where previous.room != session.room || previous.facilitators != session.facilitators
                        || Set(previous.members) != Set(session.members):
                        "changed"
                    default: nil
                    }
                return Item(
                    session: session.id, start: session.start, end: session.end, group: session.group,
                    section: session.letter, room: session.room, clients: session.members.count, change: change)
            }
            let removed = old.filter { previous in !mine.contains { $0.id == previous.id } }.map {
                "\($0.start) \($0.group) \($0.letter)"
            }
            guard !items.isEmpty || !removed.isEmpty else { return nil }
            var lines = ["\(facilitator), your sessions on \(date.weekday.title) \(date):"]
            lines += items.map { item in
                "\(item.start)-\(item.end) \(item.group) \(item.section), room \(item.room), \(item.clients) client\(item.clients == 1 ? "" : "s")"
                    + (item.change.map { " (\($0 == "new" ? "NEW" : "CHANGED"))" } ?? "")
            }
            lines += removed.map { "\($0) is no longer yours (REMOVED)" }
            return StaffReminder(
                facilitator: facilitator, date: date, items: items, removed: removed,
                text: lines.joined(separator: "\n"))
        }
    }
}
