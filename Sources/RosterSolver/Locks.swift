import IOPDomain

/// The scenario's session locks against the week: each one that can hold, resolved to its
/// slot, room and people, and each one the week no longer allows, with why. A lock on a
/// session already past is neither: the past stays as it was.
struct WeekLocks: Sendable {
    struct Held: Sendable {
        let lock: SessionLock
        let slot: Int
        /// The room's index in the program and its room class.
        let room: Int
        let roomClass: Int
        /// Client and facilitator indices.
        let members: [Int]
        let facilitators: [Int]
    }

    let held: [Held]
    /// "wed-am1-process-A is locked, but f-lee is absent then".
    let notHeld: [String]

    init(_ index: WeekIndex) {
        var held: [Held] = []
        var notHeld: [String] = []
        for lock in index.scenario.locks {
            switch Self.resolve(lock, index, beside: held) {
            case .held(let entry): held.append(entry)
            case .notHeld(let why): notHeld.append("\(lock.id) is locked, but \(why)")
            case .past: break
            }
        }
        self.held = held
        self.notHeld = notHeld
    }

    /// The held locks of one slot.
    func held(in slot: Int) -> [Held] { held.filter { $0.slot == slot } }

    private enum Resolution {
        case held(Held)
        case notHeld(String)
        case past
    }

    private static func resolve(_ lock: SessionLock, _ index: WeekIndex, beside held: [Held]) -> Resolution {
        let scenario = index.scenario
        let program = scenario.program
        let ref = lock.slot
        guard
            let slot = index.slots.first(where: {
                $0.group.id == ref.group && $0.day == ref.day && $0.block.id == ref.block
            })
        else {
            let offered = scenario.offerings.contains {
                $0.group == ref.group && $0.days.contains(ref.day) && $0.blocks.contains(ref.block)
            }
            guard let block = program.block(ref.block), offered, program.days.contains(ref.day) else {
                return .notHeld("\(ref) is not offered")
            }
            return index.history.isFuture(program.date(of: ref.day), block)
                ? .notHeld("\(ref) is cancelled then") : .past
        }
        if let why = index.whyClosed(slot) { return .notHeld("\(slot.label) cannot run: \(why)") }
        if lock.section > slot.maxSections {
            return .notHeld("the offering has \(slot.maxSections) section\(slot.maxSections == 1 ? "" : "s")")
        }
        var members: [Int] = []
        for id in lock.members {
            guard let c = scenario.clients.firstIndex(where: { $0.id == id }) else {
                return .notHeld("\(id) is not in the census")
            }
            guard index.clientsBySlot[slot.index].contains(c) else {
                return .notHeld("\(id) \(whyNot(scenario.clients[c], slot))")
            }
            members.append(c)
        }
        var facilitators: [Int] = []
        for id in lock.facilitators {
            guard let f = scenario.facilitators.firstIndex(where: { $0.id == id }) else {
                return .notHeld("\(id) is not on the staff")
            }
            guard index.facilitatorsBySlot[slot.index].contains(f) else {
                return .notHeld("\(id) may not lead it then (absent, unavailable or not qualified)")
            }
            facilitators.append(f)
        }
        let staff = slot.group.facilitatorsPerSection
        let needed = slot.secondFacilitatorOver.map { members.count > $0 ? 2 : 1 } ?? staff
        let allowed = slot.secondFacilitatorOver == nil ? needed...needed : needed...2
        guard allowed.contains(Set(facilitators).count), Set(facilitators).count == facilitators.count else {
            return .notHeld(
                "\(slot.group.id) needs \(needed) facilitator\(needed == 1 ? "" : "s") for \(members.count) clients")
        }
        if !slot.group.oneLeaderRequires.isEmpty,
            !facilitators.contains(where: { scenario.facilitators[$0].mayLeadFirst(slot.group) })
        {
            return .notHeld("none of its facilitators holds \(slot.group.oneLeaderRequires.joined(separator: ", "))")
        }
        guard let room = program.rooms.firstIndex(where: { $0.id == lock.room }),
            let roomClass = index.roomClasses.firstIndex(where: { $0.rooms.contains(room) }),
            index.mayHost(index.roomClasses[roomClass], slot),
            index.availableRooms(index.roomClasses[roomClass], slot).contains(room)
        else { return .notHeld("room \(lock.room) may not host it then") }
        let ratio = facilitators.count < 2 ? slot.secondFacilitatorOver ?? .max : .max
        let capacity = min(program.rooms[room].capacity, slot.group.capacity, ratio)
        if Set(members).count != members.count || members.count > capacity || members.count < slot.minParticipants {
            return .notHeld(
                "its \(members.count) clients do not fit a section (\(slot.minParticipants) to \(capacity))")
        }
        for (a, b) in index.keepApartPairs() where members.contains(a) && members.contains(b) {
            return .notHeld("\(scenario.clients[a].id) and \(scenario.clients[b].id) are kept apart")
        }
        for other in held
        where index.slots[other.slot].day == slot.day && index.slots[other.slot].block.overlaps(slot.block) {
            let shared =
                other.slot == slot.index && other.lock.section == lock.section
                ? "its section"
                : other.room == room
                    ? "room \(lock.room)"
                    : Set(other.members).intersection(members).first.map { "\(scenario.clients[$0].id)" }
                        ?? Set(other.facilitators).intersection(facilitators).first.map {
                            "\(scenario.facilitators[$0].id)"
                        }
            if let shared { return .notHeld("\(other.lock.id) holds \(shared) at the same time") }
        }
        if slot.group.onceADay,
            let other = held.first(where: { other in
                other.slot != slot.index && index.slots[other.slot].group.id == slot.group.id
                    && index.slots[other.slot].day == slot.day
                    && !Set(other.members).isDisjoint(with: members)
            })
        {
            return .notHeld("\(other.lock.id) already has one of its clients that day (once a day)")
        }
        return .held(
            Held(
                lock: lock, slot: slot.index, room: room, roomClass: roomClass, members: members,
                facilitators: facilitators))
    }

    /// Why a client in the census is not eligible for the slot.
    private static func whyNot(_ client: Client, _ slot: Slot) -> String {
        if client.isAbsent(on: slot.date, slot.block.id) { return "is absent then" }
        if !client.isEnrolled(on: slot.date) { return "is not enrolled then" }
        if client.bar(slot.group.id, slot.day, slot.block.id) != nil { return "is barred from it" }
        if !client.available.allows(slot.day, slot.block.id) { return "is not available then" }
        return "may not attend it then"
    }
}
