import IOPDomain

/// Where a client or facilitator is in one session: the slot, group, room and leads.
public struct Placement: Hashable, Sendable {
    public let date: LocalDate
    public let start: ClockTime
    public let block: BlockID
    public let group: GroupID
    public let room: RoomID
    public let facilitators: [FacilitatorID]

    init(_ session: Session) {
        date = session.date
        start = session.start
        block = session.block
        group = session.group
        room = session.room
        facilitators = session.facilitators
    }

    /// "Wed 09:00 process".
    public var slot: String { "\(date.weekday.title) \(start) \(group)" }
    /// "Wed 09:00 process (f-lee, room-a)".
    public var label: String { "\(slot) (\(facilitators.map(\.rawValue).joined(separator: "+")), \(room))" }

    func sameSlot(as other: Placement) -> Bool { date == other.date && block == other.block && group == other.group }
}

/// One person's difference between two rosters.
public struct RosterDifference: Sendable, Equatable {
    public let kind: Change.Kind
    /// A client or facilitator ID.
    public let person: String
    public let from: Placement?
    public let to: Placement?

    /// The earlier of the two places' dates and the first place's start.
    var when: (date: LocalDate, start: ClockTime) {
        let first = from ?? to!
        return (min(first.date, to?.date ?? first.date), first.start)
    }

    /// The place left as told: the slot a facilitator no longer leads, else its label.
    var fromText: String? { kind == .facilitatorRemoved ? from?.slot : from?.label }

    /// What changed, in plain words.
    public var description: String {
        switch kind {
        case .added: "\(person) is added to \(to?.label ?? "")"
        case .removed: "\(person) leaves \(fromText ?? "")"
        case .moved: "\(person) moves from \(fromText ?? "") to \(to?.label ?? "")"
        case .facilitatorAdded: "\(person) now leads \(to?.label ?? "")"
        case .facilitatorRemoved: "\(person) no longer leads \(fromText ?? "")"
        }
    }

    /// Every difference from `before` to `after`, clients first (by ID), then
    /// facilitators. A client in the same slot with another facilitator or room, or in
    /// the same group at another time, has moved; otherwise they left or were added. A
    /// facilitator leads a slot or no longer does.
    public static func between(_ before: [Session], _ after: [Session]) -> [RosterDifference] {
        var result: [RosterDifference] = []
        for client in Set(before.flatMap(\.members) + after.flatMap(\.members)).sorted() {
            result += clientDifferences(
                client.rawValue, was: before.filter { $0.members.contains(client) }.map(Placement.init),
                now: after.filter { $0.members.contains(client) }.map(Placement.init))
        }
        for facilitator in Set(before.flatMap(\.facilitators) + after.flatMap(\.facilitators)).sorted() {
            let was = Set(before.filter { $0.facilitators.contains(facilitator) }.map(Placement.init))
            let now = Set(after.filter { $0.facilitators.contains(facilitator) }.map(Placement.init))
            let inOrder = { (places: [Placement]) in places.sorted { ($0.date, $0.start) < ($1.date, $1.start) } }
            for place in inOrder(was.filter { place in !now.contains { $0.sameSlot(as: place) } }) {
                result.append(
                    RosterDifference(kind: .facilitatorRemoved, person: facilitator.rawValue, from: place, to: nil))
            }
            for place in inOrder(now.filter { place in !was.contains { $0.sameSlot(as: place) } }) {
                result.append(
                    RosterDifference(kind: .facilitatorAdded, person: facilitator.rawValue, from: nil, to: place))
            }
        }
        return result
    }

    private static func clientDifferences(_ person: String, was: [Placement], now: [Placement]) -> [RosterDifference] {
        var removed = was.filter { place in !now.contains { $0.sameSlot(as: place) } }
        var added = now.filter { place in !was.contains { $0.sameSlot(as: place) } }
        var result: [RosterDifference] = []
        for place in now {
            if let old = was.first(where: { $0.sameSlot(as: place) }), old != place {
                result.append(RosterDifference(kind: .moved, person: person, from: old, to: place))
            }
        }
        for old in removed {
            guard let index = added.firstIndex(where: { $0.group == old.group }) else { continue }
            let place = added.remove(at: index)
            removed.removeAll { $0 == old }
            result.append(RosterDifference(kind: .moved, person: person, from: old, to: place))
        }
        result += removed.map { RosterDifference(kind: .removed, person: person, from: $0, to: nil) }
        result += added.map { RosterDifference(kind: .added, person: person, from: nil, to: $0) }
        return result
    }
}
