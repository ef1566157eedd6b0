import IOPDomain
import RosterSolver

/// One change to what someone was told, in plain words.
public struct Change: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case added, removed, moved
        case facilitatorAdded = "facilitator_added"
        case facilitatorRemoved = "facilitator_removed"
    }

    public let kind: Kind
    /// A client or facilitator ID.
    public let person: String
    public let from: String?
    public let to: String?
    /// Whether it falls in the published window (and must be announced now).
    public let published: Bool
    public let reason: String
    /// The whole change as a sentence.
    public let message: String
    /// The change as the person is told it, without the reason.
    public let notice: String
}

/// Compares the published roster with the re-planned one, session by session from now on.
struct ChangeList {
    let before: Roster
    let after: Roster
    let baseline: Baseline
    let scenario: Scenario
    let events: [Event]

    /// A client's or facilitator's place in a slot.
    private struct Place: Hashable {
        let date: LocalDate
        let start: String
        let block: BlockID
        let group: GroupID
        let room: RoomID
        let facilitators: [FacilitatorID]

        init(_ session: Session) {
            date = session.date
            start = session.start
            block = session.block
            group = session.group
            room = session.room
            facilitators = session.facilitators
        }

        var slot: String { "\(date.weekday.title) \(start) \(group)" }
        var label: String { "\(slot) (\(facilitators.map(\.rawValue).joined(separator: "+")), \(room))" }
        var sameSlot: (LocalDate, BlockID, GroupID) { (date, block, group) }
    }

    func changes() -> [Change] {
        let future = { (roster: Roster) in roster.sessions.filter(baseline.isFuture) }
        let old = future(before), new = future(after)
        var result: [Change] = []
        let clients = Set(old.flatMap(\.members) + new.flatMap(\.members)).sorted()
        for client in clients {
            let was = old.filter { $0.members.contains(client) }.map(Place.init)
            let now = new.filter { $0.members.contains(client) }.map(Place.init)
            result += placeChanges(person: client.rawValue, was: was, now: now, client: client)
        }
        let facilitators = Set(old.flatMap(\.facilitators) + new.flatMap(\.facilitators)).sorted()
        for facilitator in facilitators {
            let was = Set(old.filter { $0.facilitators.contains(facilitator) }.map(Place.init))
            let now = Set(new.filter { $0.facilitators.contains(facilitator) }.map(Place.init))
            let removed = was.filter { place in !now.contains { $0.sameSlot == place.sameSlot } }
            let added = now.filter { place in !was.contains { $0.sameSlot == place.sameSlot } }
            for place in removed.sorted(by: { ($0.date, $0.start) < ($1.date, $1.start) }) {
                let reason = why(removedFrom: place, facilitator: facilitator)
                result.append(change(.facilitatorRemoved, facilitator.rawValue, from: place.slot, to: nil, date: place.date, start: place.start,
                                     notice: "\(facilitator) no longer leads \(place.slot)", reason: reason))
            }
            for place in added.sorted(by: { ($0.date, $0.start) < ($1.date, $1.start) }) {
                result.append(change(.facilitatorAdded, facilitator.rawValue, from: nil, to: place.label, date: place.date, start: place.start,
                                     notice: "\(facilitator) now leads \(place.label)", reason: coverReason(place)))
            }
        }
        return result
    }

    private func placeChanges(person: String, was: [Place], now: [Place], client: ClientID) -> [Change] {
        var removed = was.filter { place in !now.contains { $0.sameSlot == place.sameSlot } }
        var added = now.filter { place in !was.contains { $0.sameSlot == place.sameSlot } }
        var result: [Change] = []
        // The same slot with another facilitator or room is a move within the slot.
        for place in now {
            if let old = was.first(where: { $0.sameSlot == place.sameSlot }), old != place {
                result.append(change(.moved, person, from: old.label, to: place.label, date: place.date, start: place.start,
                                     notice: "\(place.slot) is now with \(place.facilitators.map(\.rawValue).joined(separator: "+")) in \(place.room)",
                                     reason: why(removedFrom: old, client: client)))
            }
        }
        // A removal and an addition of the same group is a move to another time.
        for old in removed {
            guard let index = added.firstIndex(where: { $0.group == old.group }) else { continue }
            let place = added.remove(at: index)
            removed.removeAll { $0 == old }
            result.append(change(.moved, person, from: old.label, to: place.label, date: min(old.date, place.date), start: old.start,
                                 notice: "\(old.slot) moves to \(place.label)", reason: why(removedFrom: old, client: client)))
        }
        for old in removed {
            result.append(change(.removed, person, from: old.label, to: nil, date: old.date, start: old.start,
                                 notice: "\(old.slot) is cancelled for you", reason: why(removedFrom: old, client: client)))
        }
        for place in added {
            result.append(change(.added, person, from: nil, to: place.label, date: place.date, start: place.start,
                                 notice: "you are added to \(place.label)", reason: addedReason(client)))
        }
        return result
    }

    private func change(_ kind: Change.Kind, _ person: String, from: String?, to: String?, date: LocalDate, start: String,
                        notice: String, reason: String) -> Change {
        let published = ClockTime(start).map { baseline.isPublished(date, Block(id: "", start: $0, end: $0)) } ?? false
        let what: String = switch kind {
        case .added: "\(person) is added to \(to ?? "")"
        case .removed: "\(person) leaves \(from ?? "")"
        case .moved: "\(person) moves from \(from ?? "") to \(to ?? "")"
        case .facilitatorAdded: "\(person) now leads \(to ?? "")"
        case .facilitatorRemoved: "\(person) no longer leads \(from ?? "")"
        }
        return Change(kind: kind, person: person, from: from, to: to, published: published, reason: reason,
                      message: "\(what): \(reason)\(published ? " (published: tell them now)" : "")", notice: notice)
    }

    // MARK: Reasons

    /// Why someone lost a place: the event that rules it out (an absence, a closed room,
    /// a client's end of care), else an event that touches the client, else the knock-on
    /// of others.
    private func why(removedFrom place: Place, client: ClientID? = nil, facilitator: FacilitatorID? = nil) -> String {
        for event in events {
            switch event.change {
            case .facilitatorAbsence(let id, let absence) where place.facilitators.contains(id) && absence.covers(place.date, place.block):
                return "\(id) is absent"
            case .facilitatorAvailability(let id, _) where place.facilitators.contains(id) && id == facilitator:
                return "\(id)'s availability changed"
            case .roomUnavailable(let id, let absence) where place.room == id && absence.covers(place.date, place.block):
                return "room \(id) is unavailable"
            case .groupCancelled(let id, let absence) where place.group == id && absence.covers(place.date, place.block):
                return "\(id) is cancelled then"
            default:
                break
            }
        }
        if let client {
            let touching = events.compactMap { clientReason($0, client, place) }
            if let reason = touching.first(where: \.rulesOut) ?? touching.first { return reason.text }
        }
        return "a knock-on of the changes above"
    }

    /// What an event does to `client`'s place, if it concerns the client at all.
    private func clientReason(_ event: Event, _ client: ClientID, _ place: Place) -> (text: String, rulesOut: Bool)? {
        let from = event.at.date
        switch event.change {
        case .discharge(let id, let lastDay) where id == client: return ("discharged", place.date > lastDay)
        case .stepUp(let id) where id == client: return ("stepped up to PHP", place.date >= from)
        case .stepDown(let id, _, let lastDay) where id == client: return ("stepped down", lastDay.map { place.date > $0 } ?? false)
        case .clientAbsence(let id, let absence) where id == client: return ("absent", absence.covers(place.date, place.block))
        case .clientAvailability(let id, let available) where id == client:
            return ("availability changed", place.date >= from && !available.allows(place.date.weekday, place.block))
        case .authorization(let id, let authorization?) where id == client:
            return ("authorization changed", place.date < authorization.from || place.date > authorization.to)
        case .authorization(let id, nil) where id == client: return ("authorization denied", place.date >= from)
        default: return nil
        }
    }

    private func addedReason(_ client: ClientID) -> String {
        for event in events {
            if case .admission(let admitted) = event.change, admitted.id == client { return "admitted" }
        }
        let missed = baseline.history.contains { session in
            guard session.members.contains(client), let attended = baseline.attended["\(session.id)|\(client)"],
                  let start = ClockTime(session.start), let end = ClockTime(session.end) else { return false }
            return attended < end.minutes - start.minutes
        }
        if missed {
            return "make-up for missed sessions"
        }
        return "to keep weekly hours and the treatment plan"
    }

    private func coverReason(_ place: Place) -> String {
        let before = baseline.sessions(on: place.date, place.block, place.group)
        guard !before.isEmpty else { return "a session opened in the re-plan" }
        let absent = events.compactMap { event -> FacilitatorID? in
            if case .facilitatorAbsence(let id, let absence) = event.change, absence.covers(place.date, place.block),
               before.contains(where: { $0.facilitators.contains(id) }) { return id }
            return nil
        }
        return absent.isEmpty ? "to staff the re-planned session" : "covers for \(absent.map(\.rawValue).joined(separator: ", "))"
    }
}
