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

    func changes() -> [Change] {
        let future = { (roster: Roster) in roster.sessions.filter(baseline.isFuture) }
        return RosterDifference.between(future(before), future(after)).map { difference in
            let person = difference.person
            let (notice, reason): (String, String) =
                switch (difference.kind, difference.from, difference.to) {
                case (.moved, let old?, let place?) where old.sameSlot(as: place):
                    (
                        "\(place.slot) is now with \(place.facilitators.map(\.rawValue).joined(separator: "+")) in \(place.room)",
                        why(removedFrom: old, client: ClientID(person))
                    )
                case (.moved, let old?, let place?):
                    ("\(old.slot) moves to \(place.label)", why(removedFrom: old, client: ClientID(person)))
                case (.removed, let old?, _):
                    ("\(old.slot) is cancelled for you", why(removedFrom: old, client: ClientID(person)))
                case (.added, _, let place?): ("you are added to \(place.label)", addedReason(ClientID(person)))
                case (.facilitatorRemoved, let place?, _):
                    (
                        "\(person) no longer leads \(place.slot)",
                        why(removedFrom: place, facilitator: FacilitatorID(person))
                    )
                case (.facilitatorAdded, _, let place?): ("\(person) now leads \(place.label)", coverReason(place))
                default: (difference.description, "")
                }
            let (date, start) = difference.when
            let published = baseline.isPublished(date, Block(id: "", start: start, end: start))
            return Change(
                kind: difference.kind, person: person, from: difference.fromText, to: difference.to?.label,
                published: published, reason: reason,
                message: "\(difference.description): \(reason)\(published ? " (published: tell them now)" : "")",
                notice: notice)
        }
    }

    // MARK: Reasons

    /// Why someone lost a place: the event that rules it out (an absence, a closed room,
    /// a client's end of care), a client no longer in the week at all (an admission
    /// withdrawn), else an event that touches the client, else the knock-on of others.
    private func why(removedFrom place: Placement, client: ClientID? = nil, facilitator: FacilitatorID? = nil) -> String
    {
        for event in events {
            switch event.change {
            case .facilitatorAbsence(let id, let absence)
            where place.facilitators.contains(id) && absence.covers(place.date, place.block):
                return "\(id) is absent"
            case .facilitatorAvailability(let id, _) where place.facilitators.contains(id) && id == facilitator:
                return "\(id)'s availability changed"
            case .roomUnavailable(let id, let absence)
            where place.room == id && absence.covers(place.date, place.block):
                return "room \(id) is unavailable"
            case .groupCancelled(let id, let absence)
            where place.group == id && absence.covers(place.date, place.block):
                return "\(id) is cancelled then"
            default:
                break
            }
        }
        if let client, scenario.client(client) == nil { return "no longer in the program" }
        if let client {
            let touching = events.compactMap { clientReason($0, client, place) }
            if let reason = touching.first(where: \.rulesOut) ?? touching.first { return reason.text }
        }
        return "a knock-on of the changes above"
    }

    /// What an event does to `client`'s place, if it concerns the client at all.
    private func clientReason(_ event: Event, _ client: ClientID, _ place: Placement) -> (text: String, rulesOut: Bool)?
    {
        let from = event.at.date
        switch event.change {
        case .discharge(let id, let lastDay) where id == client: return ("discharged", place.date > lastDay)
        case .stepUp(let id) where id == client: return ("stepped up to PHP", place.date >= from)
        case .stepDown(let id, _, let lastDay) where id == client:
            return ("stepped down", lastDay.map { place.date > $0 } ?? false)
        case .clientAbsence(let id, let absence) where id == client:
            return ("absent", absence.covers(place.date, place.block))
        case .clientAvailability(let id, let available) where id == client:
            return ("availability changed", place.date >= from && !available.allows(place.date.weekday, place.block))
        case .authorization(let id, let authorization?) where id == client:
            return ("authorization changed", place.date < authorization.from || place.date > authorization.to)
        case .authorization(let id, nil) where id == client: return ("authorization denied", place.date >= from)
        case .bar(let id, let bar) where id == client:
            return ("barred by the coordinator", bar.covers(place.group, place.date.weekday, place.block))
        default: return nil
        }
    }

    private func addedReason(_ client: ClientID) -> String {
        for event in events {
            if case .admission(let admitted) = event.change, admitted.id == client { return "admitted" }
            if case .pin(let id, _) = event.change, id == client { return "pinned by the coordinator" }
        }
        let missed = baseline.history.contains { session in
            guard session.members.contains(client), let attended = baseline.attended[SessionMember(session.id, client)]
            else { return false }
            return attended < session.end.minutes - session.start.minutes
        }
        if missed {
            return "make-up for missed sessions"
        }
        return "to keep weekly hours and the treatment plan"
    }

    private func coverReason(_ place: Placement) -> String {
        let before = baseline.sessions(on: place.date, place.block, place.group)
        guard !before.isEmpty else { return "a session opened in the re-plan" }
        let absent = events.compactMap { event -> FacilitatorID? in
            if case .facilitatorAbsence(let id, let absence) = event.change, absence.covers(place.date, place.block),
                before.contains(where: { $0.facilitators.contains(id) })
            {
                return id
            }
            return nil
        }
        return absent.isEmpty
            ? "to staff the re-planned session" : "covers for \(absent.map(\.rawValue).joined(separator: ", "))"
    }
}
