import IOPDomain

/// One (group, day, block) where an offering lets a group run, in up to `maxSections`
/// parallel sections. Sections of a slot are pooled in the model and split afterwards.
struct Slot: Sendable {
    let index: Int
    let group: Group
    let day: Weekday
    let date: LocalDate
    let block: Block
    let maxSections: Int
    let minParticipants: Int
    /// Only these may lead; empty means any qualified facilitator.
    let leaders: [FacilitatorID]
    /// Only these rooms host it; empty means any the group may use.
    let rooms: [RoomID]
    /// A section with more clients than this needs a second facilitator; nil means no ratio.
    let secondFacilitatorOver: Int?

    var minutes: Int { block.minutes }
    var label: String { "\(day.title) \(block.id) \(group.id)" }
}

/// Who could take part in what: the slots of the week, and for each the clients who may
/// attend, the facilitators who may lead and the rooms that can host a section. A pair
/// that is not here can never be 1, so the model creates no variable for it.
struct WeekIndex: Sendable {
    let scenario: Scenario
    /// What already happened, when re-planning; slots are only those still to come.
    let history: History
    let slots: [Slot]
    /// Client indices eligible for each slot.
    let clientsBySlot: [[Int]]
    /// Facilitator indices eligible for each slot.
    let facilitatorsBySlot: [[Int]]
    /// Facilitator indices who may join each slot's sections as co-facilitators and should
    /// co-facilitate some sessions this week.
    let coLeadersBySlot: [[Int]]
    /// Sets of slots whose blocks share a moment on the same day (two or more slots each).
    let overlappingSlots: [[Int]]
    /// Slot indices by client, the inverse of `clientsBySlot`.
    let slotsByClient: [[Int]]
    /// Slot indices by facilitator, leading or co-facilitating.
    let slotsByFacilitator: [[Int]]

    init(_ scenario: Scenario, history: History = .none) {
        self.scenario = scenario
        self.history = history
        roomClasses = Self.classes(of: scenario)
        let program = scenario.program
        var slots: [Slot] = []
        for offering in scenario.offerings {
            guard let group = scenario.group(offering.group) else { continue }
            for day in offering.days where program.days.contains(day) {
                for blockID in offering.blocks {
                    guard let block = program.block(blockID), history.isFuture(program.date(of: day), block),
                        !group.cancelled.contains(where: { $0.covers(program.date(of: day), blockID) })
                    else { continue }
                    slots.append(
                        Slot(
                            index: slots.count, group: group, day: day, date: program.date(of: day), block: block,
                            maxSections: offering.sections,
                            minParticipants: group.minParticipants ?? program.policy.minParticipants,
                            leaders: offering.facilitators, rooms: offering.rooms,
                            secondFacilitatorOver: scenario.secondFacilitatorOver(in: group)))
                }
            }
        }
        self.slots = slots
        let classes = roomClasses
        clientsBySlot = slots.map { slot in
            let busy = history.overlapping(slot.date, slot.block, in: program)
            let accessible = classes.contains { $0.accessible && Self.mayHost($0, slot, in: program) }
            return scenario.clients.indices.filter { c in
                let id = scenario.clients[c].id
                return Self.mayAttend(scenario.clients[c], slot) && !busy.contains { $0.members.contains(id) }
                    && (accessible || !scenario.clients[c].needsAccessibleRoom)
                    && !history.sessions.contains {
                        $0.date == slot.date && $0.group == slot.group.id && $0.members.contains(id)
                    }
            }
        }
        facilitatorsBySlot = slots.map { slot in
            let busy = history.overlapping(slot.date, slot.block, in: program)
            return scenario.facilitators.indices.filter { f in
                Self.mayLead(scenario.facilitators[f], slot)
                    && !busy.contains { $0.facilitators.contains(scenario.facilitators[f].id) }
            }
        }
        coLeadersBySlot = slots.map { slot in
            let busy = history.overlapping(slot.date, slot.block, in: program)
            return scenario.facilitators.indices.filter { f in
                let facilitator = scenario.facilitators[f]
                return facilitator.mayCoLead(slot.group.id) && (facilitator.coLeads?.sessions ?? 0) > 0
                    && Self.isFree(facilitator, slot)
                    && !busy.contains { $0.facilitators.contains(facilitator.id) }
            }
        }
        var byClient = Array(repeating: [Int](), count: scenario.clients.count)
        for (slot, clients) in clientsBySlot.enumerated() { for client in clients { byClient[client].append(slot) } }
        slotsByClient = byClient
        var byFacilitator = Array(repeating: [Int](), count: scenario.facilitators.count)
        for slot in slots.indices {
            for f in Set(facilitatorsBySlot[slot] + coLeadersBySlot[slot]).sorted() { byFacilitator[f].append(slot) }
        }
        slotsByFacilitator = byFacilitator
        overlappingSlots = Self.overlaps(slots)
    }

    /// Each keep-apart pair once, as client indices.
    func keepApartPairs() -> [(Int, Int)] {
        let position = Dictionary(
            uniqueKeysWithValues: scenario.clients.enumerated().map { ($0.element.id, $0.offset) })
        var pairs: Set<[Int]> = []
        for (a, client) in scenario.clients.enumerated() {
            for other in client.keepApart {
                guard let b = position[other], a != b else { continue }
                pairs.insert([min(a, b), max(a, b)])
            }
        }
        return pairs.sorted { $0.lexicographicallyPrecedes($1) }.map { ($0[0], $0[1]) }
    }

    /// Track, availability, absences, enrolment, authorization window and the
    /// coordinator's bars all allow it.
    static func mayAttend(_ client: Client, _ slot: Slot) -> Bool {
        slot.group.admits(client.track) && client.available.allows(slot.day, slot.block.id)
            && !client.isAbsent(on: slot.date, slot.block.id) && client.isEnrolled(on: slot.date)
            && client.bar(slot.group.id, slot.day, slot.block.id) == nil
    }

    /// The offering names them (or no one), and credentials, availability and absences allow it.
    static func mayLead(_ facilitator: Facilitator, _ slot: Slot) -> Bool {
        (slot.leaders.isEmpty || slot.leaders.contains(facilitator.id)) && facilitator.isQualified(for: slot.group)
            && isFree(facilitator, slot)
    }

    /// Availability, absences and a nonzero load limit allow them to take part in the slot.
    private static func isFree(_ facilitator: Facilitator, _ slot: Slot) -> Bool {
        facilitator.available.allows(slot.day, slot.block.id)
            && !facilitator.absences.contains { $0.covers(slot.date, slot.block.id) }
            && facilitator.maxSessionsPerDay != 0 && facilitator.maxSessionsPerWeek != 0
    }

    /// Maximal sets of slots that share a moment: for every block start on a day, the slots
    /// running at that moment. Interval overlap means such "start points" cover every clash.
    private static func overlaps(_ slots: [Slot]) -> [[Int]] {
        var result: Set<[Int]> = []
        for day in Set(slots.map(\.day)) {
            let today = slots.filter { $0.day == day }
            for moment in Set(today.map(\.block.start)) {
                let running = today.filter { $0.block.start <= moment && moment < $0.block.end }.map(\.index)
                if running.count > 1 { result.insert(running.sorted()) }
            }
        }
        // Drop sets contained in another.
        let sets = result.sorted { $0.count > $1.count }
        var kept: [[Int]] = []
        for set in sets where !kept.contains(where: { Set($0).isSuperset(of: set) }) { kept.append(set) }
        return kept.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Rooms of one capacity and accessibility open to the same groups and named by the same
    /// offerings: interchangeable, so the model counts sections per class instead of choosing
    /// rooms (which would multiply equal solutions).
    struct RoomClass: Sendable {
        let capacity: Int
        let rooms: [Int]
        /// Groups that may use these rooms.
        let groups: Set<GroupID>
        /// Fit for clients who need an accessible room.
        let accessible: Bool
        /// For row and column names: capacity and first room, e.g. `cap12.oak`.
        let name: String
    }

    /// The program's rooms grouped by capacity and the groups allowed in them, largest first.
    let roomClasses: [RoomClass]

    private static func classes(of scenario: Scenario) -> [RoomClass] {
        let rooms = scenario.program.rooms
        let allowed = rooms.map { room in Set(scenario.groups.filter { $0.mayUse(room) }.map(\.id)) }
        let naming = rooms.map { room in
            scenario.offerings.indices.filter { scenario.offerings[$0].rooms.contains(room.id) }
        }
        let keys = rooms.indices.map {
            "\(rooms[$0].capacity)|\(rooms[$0].accessible)|"
                + allowed[$0].map(\.rawValue).sorted().joined(separator: ",")
                + "|\(naming[$0].map(String.init).joined(separator: ","))"
        }
        return Dictionary(grouping: rooms.indices) { keys[$0] }.values
            .map { members in
                let sorted = members.sorted()
                return RoomClass(
                    capacity: rooms[sorted[0]].capacity, rooms: sorted, groups: allowed[sorted[0]],
                    accessible: rooms[sorted[0]].accessible,
                    name: "cap\(rooms[sorted[0]].capacity).\(rooms[sorted[0]].id)")
            }
            .sorted { ($0.capacity, $1.rooms[0]) > ($1.capacity, $0.rooms[0]) }
    }

    /// Room classes that can host a section of the slot's group, with that section's
    /// capacity (the smaller of room and group) and how many of its rooms are free then.
    func roomClasses(for slot: Slot) -> [(roomClass: Int, capacity: Int, available: Int)] {
        roomClasses.enumerated().compactMap { offset, roomClass in
            guard mayHost(roomClass, slot) else { return nil }
            let capacity = min(roomClass.capacity, slot.group.capacity)
            let available = availableRooms(roomClass, slot).count
            return capacity >= slot.minParticipants && available > 0 ? (offset, capacity, available) : nil
        }
    }

    /// The class's rooms may host the slot: its group may use them and its offering names them (or none).
    func mayHost(_ roomClass: RoomClass, _ slot: Slot) -> Bool { Self.mayHost(roomClass, slot, in: scenario.program) }

    private static func mayHost(_ roomClass: RoomClass, _ slot: Slot, in program: Program) -> Bool {
        roomClass.groups.contains(slot.group.id)
            && (slot.rooms.isEmpty || slot.rooms.contains(program.rooms[roomClass.rooms[0]].id))
    }

    /// The rooms of a class that are not out of use, nor held by a session that already
    /// started, at the slot's date and block.
    func availableRooms(_ roomClass: RoomClass, _ slot: Slot) -> [Int] {
        let held = Set(history.overlapping(slot.date, slot.block, in: scenario.program).map(\.room))
        return roomClass.rooms.filter {
            scenario.program.rooms[$0].isAvailable(on: slot.date, slot.block.id)
                && !held.contains(scenario.program.rooms[$0].id)
        }
    }

    /// Why the slot cannot run at all, or nil when it could.
    func whyClosed(_ slot: Slot) -> String? {
        let staff = slot.group.facilitatorsPerSection
        if facilitatorsBySlot[slot.index].count < staff {
            return
                "\(staff == 1 ? "no" : "fewer than \(staff)")\(slot.group.credentialsText.map { " " + $0 } ?? "") facilitator\(staff == 1 ? "" : "s") available"
        }
        if !facilitatorsBySlot[slot.index].contains(where: { scenario.facilitators[$0].mayLeadFirst(slot.group) }) {
            return "no \(slot.group.oneLeaderRequires.joined(separator: ", ")) facilitator available to lead it"
        }
        if roomClasses(for: slot).isEmpty { return "no room is free that holds its minimum of \(slot.minParticipants)" }
        if clientsBySlot[slot.index].count < slot.minParticipants {
            return "fewer than \(slot.minParticipants) eligible clients"
        }
        return nil
    }
}
