/// Something that changes the week, effective from `at`.
public struct Event: Sendable {
    public var at: DateTime
    public var change: Change

    public init(at: DateTime, change: Change) {
        self.at = at
        self.change = change
    }

    public enum Change: Sendable {
        /// A new client joins; `admitted` defaults to the event's date.
        case admission(Client)
        /// The client's last day in the program.
        case discharge(ClientID, lastDay: LocalDate)
        /// New weekly hours and/or an earlier end for the client.
        case stepDown(ClientID, hours: ClosedRange<Double>?, lastDay: LocalDate?)
        /// The client moves up to PHP and leaves the program from the event's date.
        case stepUp(ClientID)
        case facilitatorAbsence(FacilitatorID, Absence)
        /// The client cannot come then (a court date, an appointment).
        case clientAbsence(ClientID, Absence)
        /// New availability from the event's date on (earlier days keep the old one).
        case clientAvailability(ClientID, Availability)
        case facilitatorAvailability(FacilitatorID, Availability)
        case roomUnavailable(RoomID, Absence)
        case groupCancelled(GroupID, Absence)
        /// A new authorization window or hours; nil is a denial from the event's date.
        case authorization(ClientID, Authorization?)
        /// The coordinator keeps the client in a time of a group (``Client/pinned``).
        case pin(ClientID, SlotRef)
        /// The coordinator keeps the client out of a group or one of its times (``Client/barred``).
        case bar(ClientID, Bar)
        /// The coordinator keeps a session as published (``Scenario/locks``).
        case lock(SessionLock)
    }

    /// One line for change lists: what happened, with IDs only.
    public var summary: String {
        switch change {
        case .admission(let client): "\(client.id) admitted"
        case .discharge(let client, let day): "\(client) discharged after \(day)"
        case .stepDown(let client, let hours, let day):
            "\(client) stepped down" + (hours.map { " to \($0.lowerBound.compact)-\($0.upperBound.compact) h" } ?? "")
                + (day.map { " until \($0)" } ?? "")
        case .stepUp(let client): "\(client) stepped up to PHP"
        case .facilitatorAbsence(let facilitator, let absence): "\(facilitator) absent \(absence.summary)"
        case .clientAbsence(let client, let absence): "\(client) absent \(absence.summary)"
        case .clientAvailability(let client, _): "\(client) availability changed"
        case .facilitatorAvailability(let facilitator, _): "\(facilitator) availability changed"
        case .roomUnavailable(let room, let absence): "room \(room) unavailable \(absence.summary)"
        case .groupCancelled(let group, let absence): "\(group) cancelled \(absence.summary)"
        case .authorization(let client, let authorization):
            authorization.map { "\(client) authorization \($0.number) now \($0.from) to \($0.to)" }
                ?? "\(client) authorization denied"
        case .pin(let client, let slot): "\(client) pinned to \(slot)"
        case .bar(let client, let bar): "\(client) barred from \(bar)"
        case .lock(let lock): "\(lock.id) locked"
        }
    }
}

extension Absence {
    var summary: String {
        let days = from == to ? "\(from)" : "\(from) to \(to)"
        return blocks.map { "\(days) (\($0.map(\.rawValue).sorted().joined(separator: ", ")))" } ?? days
    }
}

extension Double {
    /// A whole number without its ".0" (9, not 9.0); any other value as Swift prints it.
    public var compact: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}

extension Scenario {
    /// The scenario as it stands after the events, in order of `at`. Unknown IDs are
    /// ignored here; the events loader rejects them first.
    public func applying(_ events: [Event]) -> Scenario {
        var result = self
        for event in events.sorted(by: { $0.at < $1.at }) { result.apply(event) }
        return result
    }

    private mutating func apply(_ event: Event) {
        let day = event.at.date
        switch event.change {
        case .admission(var client):
            client.admitted = max(client.admitted ?? day, day)
            clients.removeAll { $0.id == client.id }
            clients.append(client)
        case .discharge(let id, let lastDay):
            updateClient(id) { $0.dischargePlanned = min($0.dischargePlanned ?? lastDay, lastDay) }
        case .stepDown(let id, let hours, let lastDay):
            updateClient(id) { client in
                if let hours { client.weeklyHoursOverride = hours }
                if let lastDay { client.dischargePlanned = min(client.dischargePlanned ?? lastDay, lastDay) }
            }
        case .stepUp(let id):
            updateClient(id) {
                $0.dischargePlanned = min($0.dischargePlanned ?? day.adding(days: -1), day.adding(days: -1))
            }
        case .facilitatorAbsence(let id, let absence):
            if let index = facilitators.firstIndex(where: { $0.id == id }) {
                facilitators[index].absences.append(absence)
            }
        case .clientAbsence(let id, let absence):
            updateClient(id) { $0.absences.append(absence) }
        case .clientAvailability(let id, let availability):
            let program = self.program
            updateClient(id) { $0.available = $0.available.replaced(by: availability, from: day, in: program) }
        case .facilitatorAvailability(let id, let availability):
            if let index = facilitators.firstIndex(where: { $0.id == id }) {
                facilitators[index].available = facilitators[index].available.replaced(
                    by: availability, from: day, in: program)
            }
        case .roomUnavailable(let id, let absence):
            if let index = program.rooms.firstIndex(where: { $0.id == id }) {
                program.rooms[index].unavailable.append(absence)
            }
        case .groupCancelled(let id, let absence):
            if let index = groups.firstIndex(where: { $0.id == id }) { groups[index].cancelled.append(absence) }
        case .pin(let id, let slot):
            // A pin or bar holds from the event's date: earlier times of the week are the past.
            guard program.date(of: slot.day) >= day else { break }
            updateClient(id) { client in if !client.pinned.contains(slot) { client.pinned.append(slot) } }
        case .bar(let id, let bar):
            let from = barredTimes(bar, from: day)
            updateClient(id) { client in
                for bar in from where !client.barred.contains(bar) { client.barred.append(bar) }
                client.pinned.removeAll { pin in from.contains { $0.covers(pin.group, pin.day, pin.block) } }
            }
        case .lock(let lock):
            guard program.date(of: lock.slot.day) >= day else { break }
            locks.removeAll { $0.id == lock.id }
            locks.append(lock)
        case .authorization(let id, let authorization):
            updateClient(id) { client in
                if let authorization {
                    client.authorization = authorization
                } else if var denied = client.authorization {
                    denied.to = min(denied.to, day.adding(days: -1))
                    client.authorization = denied
                } else {
                    client.dischargePlanned = min(client.dischargePlanned ?? day.adding(days: -1), day.adding(days: -1))
                }
            }
        }
    }

    /// A bar from `date` on: the whole group when the week has not begun, else its times
    /// from that date.
    private func barredTimes(_ bar: Bar, from date: LocalDate) -> [Bar] {
        let starts = program.days.map(program.date(of:)).min() ?? program.weekOf
        switch bar {
        case .group(let group) where date > starts:
            return offerings.filter { $0.group == group }.flatMap { offering in
                offering.days.filter { program.date(of: $0) >= date }.flatMap { day in
                    offering.blocks.map { Bar.slot(SlotRef(group: group, day: day, block: $0)) }
                }
            }
        case .slot(let slot) where program.date(of: slot.day) < date: return []
        default: return [bar]
        }
    }

    private mutating func updateClient(_ id: ClientID, _ edit: (inout Client) -> Void) {
        if let index = clients.firstIndex(where: { $0.id == id }) { edit(&clients[index]) }
    }
}

extension Availability {
    /// This availability on the program's days before `date`, `other` from `date` on.
    func replaced(by other: Availability, from date: LocalDate, in program: Program) -> Availability {
        var days: [Weekday: Set<BlockID>?] = [:]
        for day in Weekday.allCases {
            let source = program.date(of: day) < date ? self : other
            if let entry = source.days[day] { days[day] = entry }
        }
        return Availability(days: days)
    }
}
