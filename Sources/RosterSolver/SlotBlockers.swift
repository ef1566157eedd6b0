import IOPDomain

/// Why one client is not in a slot they could attend, read off the roster: each answer
/// is a fact of the roster or the scenario, ranked so the rules that bind come before the
/// choices the roster made.
struct SlotBlockers {
    let index: WeekIndex
    let roster: Roster
    /// The client's index in the scenario.
    let client: Int
    /// The client's hours this week as the roster has them.
    let hours: Double
    /// Everyone the client is kept apart from.
    let keptApart: [ClientID]

    /// Kinds of reason, most binding first.
    enum Cause: Int, Comparable {
        /// The slot cannot run at all (no qualified facilitator, room or enough eligible clients).
        case cannotRun
        /// Every section that runs is locked as published.
        case locked
        /// Every section is at its capacity.
        case full
        case keptApart
        case payerMaximum
        case dailyHours
        case mostDays
        case onceADay
        /// No facilitator, room or enough clients were free when it would run.
        case nothingFree
        /// Alone it would make a day short of the billable minimum.
        case shortDay
        /// The client attends something else then.
        case clash
        /// The roster did not open it, or left a seat the client could have taken.
        case notChosen

        static func < (a: Cause, b: Cause) -> Bool { a.rawValue < b.rawValue }
    }

    private var scenario: Scenario { index.scenario }

    /// One thing keeping the client out of a slot.
    struct Obstacle {
        let cause: Cause
        let text: String
    }

    /// Everything keeping the client out of the slot, in the order it is checked (the
    /// first is the one shown); empty when they are in it. A slot that cannot run has only
    /// that; one the roster did not open but could have has what else keeps the client out.
    func obstacles(_ slot: Slot) -> [Obstacle] {
        let id = scenario.clients[client].id
        let label = slot.label
        let mine = roster.sessions.filter { $0.members.contains(id) }
        let sessions = roster.sessions.filter {
            $0.day == slot.day && $0.block == slot.block.id && $0.group == slot.group.id
        }
        if sessions.contains(where: { $0.members.contains(id) }) { return [] }
        if let why = index.whyClosed(slot) { return [Obstacle(cause: .cannotRun, text: "\(label) cannot run: \(why)")] }
        var found: [Obstacle] = []
        if let other = mine.first(where: { overlaps($0, slot) }) {
            found.append(Obstacle(cause: .clash, text: "\(label) clashes with \(other.group) at \(other.start)"))
        }
        if slot.group.onceADay, mine.contains(where: { $0.day == slot.day && $0.group == slot.group.id }) {
            found.append(
                Obstacle(cause: .onceADay, text: "\(label): already in \(slot.group.id) that day (once a day)"))
        }
        let attendsThatDay = mine.contains { $0.day == slot.day }
        if let most = scenario.maxDaysPerWeek(of: scenario.clients[client]), !attendsThatDay,
            Set(mine.map(\.day)).count >= most
        {
            found.append(
                Obstacle(cause: .mostDays, text: "\(label): already attends the most days allowed (\(most) a week)"))
        }
        // What the slot's sections (or their absence) put in the way comes next; an unopened
        // slot that could run, or a seat left open, is only in the way when nothing else is.
        let sectionWise = sessions.isEmpty ? notRun(slot) : seatObstacle(slot, sessions)
        if let sectionWise, sectionWise.cause != .notChosen { found.append(sectionWise) }
        let maximum = scenario.weeklyHours(of: scenario.clients[client]).upperBound
        let displacedHours = displaced(by: slot).reduce(0) { $0 + (scenario.program.block($1.block)?.hours ?? 0) }
        if hours - displacedHours + slot.block.hours > maximum + 1e-9 {
            found.append(
                Obstacle(cause: .payerMaximum, text: "\(label) would pass the payer maximum of \(maximum.text) h"))
        }
        if let cap = scenario.maxHoursPerDay(of: scenario.clients[client]) {
            let displacedToday = displaced(by: slot).filter { $0.day == slot.day }
            let today = mine.filter { $0.day == slot.day && !displacedToday.contains($0) }
            let minutes = today.reduce(0) { $0 + (scenario.program.block($1.block)?.minutes ?? 0) } + slot.block.minutes
            if Double(minutes) > cap * 60 + 1e-9 {
                found.append(
                    Obstacle(cause: .dailyHours, text: "\(label) would pass \(id)'s most of \(cap.text) h a day"))
            }
        }
        let billable = scenario.billableDayMinHours(of: scenario.clients[client])
        if !attendsThatDay, !index.history.attended(id, on: slot.day), slot.block.hours < billable - 1e-9 {
            found.append(
                Obstacle(
                    cause: .shortDay,
                    text:
                        "\(label) would be \(id)'s only session on \(slot.day.title): \(slot.block.hours.text) h, short of the \(billable.text) h billable day"
                ))
        }
        guard found.isEmpty else { return found }
        return [sectionWise ?? Obstacle(cause: .notChosen, text: "\(label) had a seat the roster left open")]
    }

    /// The client's sessions that joining the slot would take them out of: those it
    /// overlaps and, for a group held once a day, that group's other session that day.
    func displaced(by slot: Slot) -> [Session] {
        let id = scenario.clients[client].id
        return roster.sessions.filter { session in
            session.members.contains(id)
                && (overlaps(session, slot)
                    || (slot.group.onceADay && session.day == slot.day && session.group == slot.group.id))
        }
    }

    /// Why the slot's sessions have no seat for the client: every one locked as published,
    /// none in an accessible room they need, someone they are kept apart from in its only
    /// section, or every section full.
    private func seatObstacle(_ slot: Slot, _ sessions: [Session]) -> Obstacle? {
        let label = slot.label
        if sessions.allSatisfy({ session in scenario.locks.contains { $0.id == session.id } }) {
            return Obstacle(cause: .locked, text: "\(label) is locked as published")
        }
        if scenario.clients[client].needsAccessibleRoom {
            let accessible = sessions.filter { session in
                scenario.program.rooms.first { $0.id == session.room }?.accessible == true
            }
            if accessible.isEmpty { return Obstacle(cause: .full, text: "\(label) ran in no accessible room") }
            if accessible.allSatisfy({ $0.members.count >= capacity(of: $0, slot) }) {
                return Obstacle(
                    cause: .full,
                    text:
                        "\(label) is full in its accessible room\(accessible.count == 1 ? "" : "s") (\(accessible.reduce(0) { $0 + $1.members.count }) seats)"
                )
            }
        }
        if let partner = keptApart.first(where: { partner in
            sessions.count == 1 && sessions[0].members.contains(partner)
        }) {
            return Obstacle(
                cause: .keptApart,
                text: "\(label) has \(partner), whom \(scenario.clients[client].id) is kept apart from")
        }
        if sessions.allSatisfy({ $0.members.count >= capacity(of: $0, slot) }) {
            let used = sessions.reduce(0) { $0 + $1.members.count }
            let seats = sessions.reduce(0) { $0 + capacity(of: $1, slot) }
            let ratio = slot.secondFacilitatorOver.flatMap { ratio in
                sessions.contains { $0.facilitators.count < 2 && capacity(of: $0, slot) == ratio } ? ratio : nil
            }
            return Obstacle(
                cause: .full,
                text:
                    "\(label) is full (\(used)/\(seats)\(ratio.map { "; more than \($0) a section need a second facilitator" } ?? ""))"
            )
        }
        return nil
    }

    /// Why a runnable slot has no session: no qualified facilitator free (naming what the
    /// eligible ones lead then), no room free, too few eligible clients free, else the
    /// roster did not open it.
    private func notRun(_ slot: Slot) -> Obstacle {
        let label = slot.label
        let clash = roster.sessions.filter { overlaps($0, slot) }
        let eligible = index.facilitatorsBySlot[slot.index].map { scenario.facilitators[$0] }
        let busy = eligible.compactMap { facilitator in
            clash.first { $0.facilitators.contains(facilitator.id) }.map { (facilitator.id, $0) }
        }
        let atLimit = eligible.filter { facilitator in
            let led = roster.sessions.filter { $0.facilitators.contains(facilitator.id) }
            return facilitator.maxSessionsPerWeek.map { led.count >= $0 } == true
                || facilitator.maxSessionsPerDay.map { limit in led.filter { $0.day == slot.day }.count >= limit }
                    == true
        }.map(\.id)
        let free = eligible.count - Set(busy.map(\.0) + atLimit).count
        if free < slot.group.facilitatorsPerSection {
            let who = slot.group.credentialsText.map { "\($0) facilitator" } ?? "facilitator"
            let doing =
                busy.prefix(2).map { "\($0.0) leads \($0.1.group) then" }
                + atLimit.prefix(2).map { "\($0) has led the most sessions allowed" }
            return Obstacle(
                cause: .nothingFree, text: "\(label) did not run: no \(who) was free (\(doing.joined(separator: "; ")))"
            )
        }
        let heldRooms = Set(clash.map(\.room))
        let freeRooms = index.roomClasses(for: slot).flatMap {
            index.availableRooms(index.roomClasses[$0.roomClass], slot)
        }
        .filter { !heldRooms.contains(scenario.program.rooms[$0].id) }
        if freeRooms.isEmpty {
            return Obstacle(cause: .nothingFree, text: "\(label) did not run: every room that fits it was in use")
        }
        // The client is counted free: what keeps them elsewhere is an obstacle of its own.
        let freeClients = index.clientsBySlot[slot.index].filter { c in
            c == client || !clash.contains { $0.members.contains(scenario.clients[c].id) }
        }
        if freeClients.count < slot.minParticipants {
            return Obstacle(
                cause: .nothingFree,
                text:
                    "\(label) did not run: \(freeClients.count) eligible client\(freeClients.count == 1 ? " was" : "s were") free then, below its minimum of \(slot.minParticipants)"
            )
        }
        return Obstacle(cause: .notChosen, text: "\(label) was not opened")
    }

    /// The clients the session may hold: the smaller of room and group, and of the
    /// staffing ratio when one facilitator leads it.
    private func capacity(of session: Session, _ slot: Slot) -> Int {
        let room = scenario.program.rooms.first { $0.id == session.room }?.capacity ?? slot.group.capacity
        let ratio = session.facilitators.count < 2 ? slot.secondFacilitatorOver ?? .max : .max
        return min(room, slot.group.capacity, ratio)
    }

    private func overlaps(_ session: Session, _ slot: Slot) -> Bool {
        guard session.day == slot.day, let block = scenario.program.block(session.block) else { return false }
        return block.overlaps(slot.block)
    }
}
