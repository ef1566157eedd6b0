import GLPKSolver
import IOPDomain
import MIP

/// Turns the pooled solution into sections: for each slot, the rooms that run, who leads
/// each and which clients go where. A slot with one section is direct. A slot with
/// several gets free rooms of the classes the model chose, then a split dealt by
/// construction (``SectionDeal``: every room's minimum and capacity, keep-apart pairs),
/// which a small assignment MIP starts from and improves: it keeps sizes even (when every
/// room can take the larger share), keeps clients with last week's facilitator and with
/// the facilitator they had earlier this week, and when re-planning keeps clients in the
/// section (facilitator and room) they were told. Each assignment MIP gets an even share
/// of the time left before `deadline` (at most half a second); whatever it reaches in
/// that time, the split it returns is one that meets every rule the deal met.
struct SectionSplit {
    let roster: RosterModel
    let solution: Solution
    let deadline: ContinuousClock.Instant

    private var scenario: Scenario { roster.scenario }

    func sessions() -> [Session] {
        var sessions: [Session] = []
        /// (client, group) -> facilitators seen earlier this week, for in-week continuity.
        var seen: [ClientGroup: [FacilitatorID: Int]] = [:]
        /// Rooms taken so far, by date: (room, block).
        var taken: [LocalDate: [(room: Int, block: Block)]] = [:]
        let classes = roster.index.roomClasses
        // By start time, so picking any free room of the class never runs out (interval
        // partitioning; the model capped each class at every moment).
        let order = roster.index.slots.sorted {
            ($0.date, $0.block.start, $0.group.id) < ($1.date, $1.block.start, $1.group.id)
        }
        var splitsLeft = order.filter { slot in
            roster.sections[slot.index].reduce(0) { $0 + (solution.value($1.variable) ?? 0) } > 1.5
        }.count
        for slot in order {
            let held = roster.locks.held(in: slot.index)
            // Rooms locked by another slot at the same time are kept for it.
            let lockedElsewhere = Set(
                roster.locks.held.filter { other in
                    other.slot != slot.index && roster.index.slots[other.slot].date == slot.date
                        && roster.index.slots[other.slot].block.overlaps(slot.block)
                }.map(\.room))
            var rooms: [SectionRoom] = []
            for entry in roster.sections[slot.index] {
                let count = Int((solution.value(entry.variable) ?? 0).rounded())
                // The first `seconds` rooms of the class get a second facilitator and may fill to capacity.
                let seconds =
                    roster.secondLeads[slot.index].first { $0.roomClass == entry.roomClass }
                    .map { Int((solution.value($0.variable) ?? 0).rounded()) } ?? 0
                let single = slot.secondFacilitatorOver.map { min($0, entry.capacity) } ?? entry.capacity
                let busy = Set((taken[slot.date] ?? []).filter { $0.block.overlaps(slot.block) }.map(\.room))
                // Rooms the published roster used for this slot first, so a re-plan keeps them.
                let published = Set(
                    roster.baseline?.sessions(on: slot.date, slot.block.id, slot.group.id).map(\.room) ?? [])
                let free = roster.index.availableRooms(classes[entry.roomClass], slot).filter {
                    !busy.contains($0) && !lockedElsewhere.contains($0)
                }
                // Locked rooms first, then those the published roster used for this slot, so a re-plan keeps them.
                let locked = Set(held.map(\.room))
                let ordered =
                    free.filter { locked.contains($0) }
                    + free.filter { !locked.contains($0) && published.contains(scenario.program.rooms[$0].id) }
                    + free.filter { !locked.contains($0) && !published.contains(scenario.program.rooms[$0].id) }
                for (n, room) in ordered.prefix(count).enumerated() {
                    let second = n < seconds
                    rooms.append(
                        SectionRoom(
                            room: room, capacity: second ? entry.capacity : single,
                            staff: slot.group.facilitatorsPerSection + (second ? 1 : 0),
                            accessible: classes[entry.roomClass].accessible))
                    taken[slot.date, default: []].append((room, slot.block))
                }
            }
            guard !rooms.isEmpty else { continue }
            // Locked sessions run as locked; the slot's other rooms, leaders and clients split as usual.
            let lockedRooms = Set(held.map(\.room))
            let lockedLeaders = Set(held.flatMap(\.facilitators))
            let lockedMembers = Set(held.flatMap(\.members))
            let open = rooms.filter { !lockedRooms.contains($0.room) }
            let leaders = roster.lead[slot.index].filter {
                solution.isSet($0.variable) && !lockedLeaders.contains($0.facilitator)
            }
            .map { scenario.facilitators[$0.facilitator].id }
            let members = roster.attend[slot.index].filter {
                solution.isSet($0.variable) && !lockedMembers.contains($0.client)
            }.map(\.client)
            let left = Double((deadline - ContinuousClock.now) / .milliseconds(1)) / 1000
            let share = min(0.5, max(0.05, left / Double(max(1, splitsLeft))))
            if rooms.count > 1 { splitsLeft -= 1 }
            let assignment =
                open.isEmpty
                ? [] : assign(slot: slot, rooms: open, leaders: leaders, members: members, seen: seen, timeLimit: share)
            let lockedSections = held.map { entry in
                (
                    number: entry.lock.section,
                    section: Section(
                        room: entry.room, leaders: entry.facilitators.map { scenario.facilitators[$0].id },
                        members: entry.members)
                )
            }
            let numbers = Set(lockedSections.map(\.number))
            let free = (1...max(rooms.count, numbers.max() ?? 0)).filter { !numbers.contains($0) }
            let numbered = (lockedSections + zip(free, assignment).map { (number: $0, section: $1) }).sorted {
                $0.number < $1.number
            }
            // Co-facilitators one a section (the model allows no more), after its leaders.
            let coLeaders = roster.coLead[slot.index].filter { solution.isSet($0.variable) }.map {
                scenario.facilitators[$0.facilitator].id
            }
            var coLeadersLeft = coLeaders[...]
            for (number, section) in numbered {
                let memberIDs = section.members.map { scenario.clients[$0].id }.sorted()
                let co = numbers.contains(number) ? [] : coLeadersLeft.popFirst().map { [$0] } ?? []
                sessions.append(
                    Session(
                        day: slot.day, date: slot.date, block: slot.block, group: slot.group.id,
                        section: number, room: scenario.program.rooms[section.room].id,
                        facilitators: (numbers.contains(number) ? section.leaders : section.leaders.sorted()) + co,
                        members: memberIDs))
                for member in memberIDs {
                    for leader in section.leaders {
                        seen[ClientGroup(client: member, group: slot.group.id), default: [:]][leader, default: 0] += 1
                    }
                }
            }
        }
        return sessions
    }

    /// A room a section of the slot runs in: the clients it may hold (with the leaders it
    /// has) and how many leaders it has.
    private struct SectionRoom {
        let room: Int
        let capacity: Int
        let staff: Int
        let accessible: Bool
    }

    /// The leaders ordered so that holders of the one-leader credentials stand at the
    /// given positions (each section's first), as far as there are holders.
    static func holdersFirst(_ leaders: [FacilitatorID], at positions: [Int], _ holds: (FacilitatorID) -> Bool)
        -> [FacilitatorID]
    {
        var holders = leaders.filter(holds)
        var others = leaders.filter { !holds($0) }
        var result: [FacilitatorID?] = Array(repeating: nil, count: leaders.count)
        for position in positions where position < result.count && !holders.isEmpty {
            result[position] = holders.removeFirst()
        }
        var rest = holders + others
        for i in result.indices where result[i] == nil && !rest.isEmpty { result[i] = rest.removeFirst() }
        return result.compactMap { $0 }
    }

    private struct Section {
        let room: Int
        var leaders: [FacilitatorID]
        var members: [Int]
    }

    private func assign(
        slot: Slot, rooms: [SectionRoom], leaders pooled: [FacilitatorID], members: [Int],
        seen: [ClientGroup: [FacilitatorID: Int]], timeLimit: Double
    ) -> [Section] {
        guard rooms.count > 1 else {
            return [Section(room: rooms[0].room, leaders: pooled, members: members)]
        }
        let firstLeader = rooms.indices.map { k in rooms[..<k].reduce(0) { $0 + $1.staff } }
        // Where one leader of each section needs a credential, its holders take each
        // section's first place in the dealt split.
        let holds = { (id: FacilitatorID) in self.scenario.facilitator(id)?.mayLeadFirst(slot.group) ?? false }
        let leaders = slot.group.oneLeaderRequires.isEmpty ? pooled : Self.holdersFirst(pooled, at: firstLeader, holds)
        let published = roster.baseline?.sessions(on: slot.date, slot.block.id, slot.group.id) ?? []
        func affinity(_ client: Int, _ leader: FacilitatorID) -> Double {
            let id = scenario.clients[client].id
            let sameSection =
                published.contains { $0.members.contains(id) && $0.facilitators.contains(leader) } ? 30.0 : 0
            let lastWeek = scenario.clients[client].lastWeek[slot.group.id] == leader ? 10.0 : 0
            return sameSection + lastWeek + 3
                * Double(seen[ClientGroup(client: id, group: slot.group.id)]?[leader] ?? 0)
        }
        let sections = rooms.indices
        // Even sizes when every room can take the larger share; otherwise (or when no even
        // split meets the other rules) any size the room allows.
        let share = Double(members.count) / Double(rooms.count)
        let wide = rooms.map { min(slot.minParticipants, $0.capacity)...$0.capacity }
        let even =
            rooms.allSatisfy { Double($0.capacity) >= share.rounded(.up) }
            ? rooms.map { _ in
                min(
                    Int(share.rounded(.up)), max(slot.minParticipants, Int(share.rounded(.down))))...Int(
                        share.rounded(.up))
            }
            : nil
        let position = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($0.element, $0.offset) })
        let apart = roster.index.keepApartPairs().compactMap { a, b in
            position[a].flatMap { i in position[b].map { (i, $0) } }
        }
        // Clients who need an accessible room go only to sections in one.
        let accessibleSections = Set(sections.filter { rooms[$0].accessible })
        var only: [Int: Set<Int>] = [:]
        for (i, client) in members.enumerated() where scenario.clients[client].needsAccessibleRoom {
            only[i] = accessibleSections
        }
        var sizes = even ?? wide
        var dealt = SectionDeal(sizes: sizes, apart: apart, only: only).deal(members.count)
        if dealt == nil, even != nil {
            sizes = wide
            dealt = SectionDeal(sizes: sizes, apart: apart, only: only).deal(members.count)
        }

        var model = Model()
        let place = members.indices.map { c in sections.map { k in model.addBinary("in(\(c),\(k))") } }
        let leads = leaders.indices.map { f in sections.map { k in model.addBinary("leads(\(f),\(k))") } }
        var objective = LinearExpression()
        for (i, row) in place.enumerated() { model.addConstraint("one_section(\(i))", LinearExpression.sum(row) == 1) }
        for (j, row) in leads.enumerated() { model.addConstraint("one_room(\(j))", LinearExpression.sum(row) == 1) }
        let holders = leaders.indices.filter { holds(leaders[$0]) }
        for k in sections {
            model.addConstraint("staff(\(k))", LinearExpression.sum(leads.map { $0[k] }) == Double(rooms[k].staff))
            if !slot.group.oneLeaderRequires.isEmpty {
                model.addConstraint("qualified_leader(\(k))", LinearExpression.sum(holders.map { leads[$0][k] }) >= 1)
            }
            model.addConstraint(
                "size(\(k))", LinearExpression.sum(place.map { $0[k] }),
                lower: Double(sizes[k].lowerBound), upper: Double(sizes[k].upperBound))
        }
        for (i, j) in apart {
            for k in sections { model.addConstraint("apart(\(i),\(j),\(k))", place[i][k] + place[j][k] <= 1) }
        }
        for (i, allowed) in only.sorted(by: { $0.key < $1.key }) {
            for k in sections where !allowed.contains(k) {
                model.addConstraint("accessible(\(i),\(k))", LinearExpression(place[i][k]) <= 0)
            }
        }
        /// Section k's leaders in the dealt split: the facilitators in turn, as many as each section's staff.
        func dealtLeads(_ j: Int, _ k: Int) -> Bool { j >= firstLeader[k] && j < firstLeader[k] + rooms[k].staff }
        var with: [(variable: Variable, client: Int, leader: Int, section: Int)] = []
        for (i, client) in members.enumerated() {
            for (j, leader) in leaders.enumerated() {
                let weight = affinity(client, leader)
                guard weight > 0 else { continue }
                for k in sections {
                    let both = model.addVariable("with(\(i),\(j),\(k))", upper: 1)
                    model.addConstraint("with_in(\(i),\(j),\(k))", both <= place[i][k])
                    model.addConstraint("with_leads(\(i),\(j),\(k))", both <= leads[j][k])
                    objective -= weight * both
                    with.append((both, i, j, k))
                }
            }
        }
        // When re-planning, each facilitator keeps the room they were announced in.
        for (j, leader) in leaders.enumerated() {
            for k in sections
            where published.contains(where: {
                $0.facilitators.contains(leader) && $0.room == scenario.program.rooms[rooms[k].room].id
            }) {
                objective -= 50 * leads[j][k]
            }
        }
        model.minimize(objective)
        var start: [Double]?
        if let dealt, leaders.count == rooms.reduce(0, { $0 + $1.staff }) {
            var values = [Double](repeating: 0, count: model.variables.count)
            for (i, k) in dealt.enumerated() { values[place[i][k].index] = 1 }
            for (j, k) in sections.flatMap({ k in leaders.indices.filter { dealtLeads($0, k) }.map { ($0, k) } }) {
                values[leads[j][k].index] = 1
            }
            for entry in with where dealt[entry.client] == entry.section && dealtLeads(entry.leader, entry.section) {
                values[entry.variable.index] = 1
            }
            start = values
        }
        if let solution = try? GLPKSolver.solve(model, options: SolveOptions(timeLimit: timeLimit, start: start)),
            solution.status != .none
        {
            return sections.map { k in
                Section(
                    room: rooms[k].room,
                    leaders: leaders.indices.filter { solution.isSet(leads[$0][k]) }.map { leaders[$0] },
                    members: members.indices.filter { solution.isSet(place[$0][k]) }.map { members[$0] })
            }
        }
        let section = dealt ?? members.indices.map { $0 % rooms.count }
        return sections.map { k in
            Section(
                room: rooms[k].room, leaders: leaders.indices.filter { dealtLeads($0, k) }.map { leaders[$0] },
                members: members.indices.filter { section[$0] == k }.map { members[$0] })
        }
    }
}

/// Deals a slot's clients into its sections so that every section's size is within its
/// range, no keep-apart pair shares a section and a client limited to some sections (an
/// accessible room) gets one of them: limited clients and those with the most keep-apart
/// partners first, each into the section furthest below its minimum, else the one with
/// the most seats left, backtracking when a client fits nowhere. Nil when no such split
/// exists (an odd cycle of keep-apart pairs in two sections) or none is found within
/// ``nodeLimit`` placements.
struct SectionDeal {
    /// Each section's smallest and largest size.
    let sizes: [ClosedRange<Int>]
    /// Pairs of client positions that may not share a section.
    let apart: [(Int, Int)]
    /// The only sections some client positions may go to.
    var only: [Int: Set<Int>] = [:]

    static let nodeLimit = 100_000

    /// The section of each of `count` clients, by position.
    func deal(_ count: Int) -> [Int]? {
        guard sizes.map(\.lowerBound).reduce(0, +) <= count, count <= sizes.map(\.upperBound).reduce(0, +) else {
            return nil
        }
        var partners = [[Int]](repeating: [], count: count)
        for (a, b) in apart where a < count && b < count && a != b {
            partners[a].append(b)
            partners[b].append(a)
        }
        let limited = { (client: Int) in self.only[client] == nil ? 0 : 1 }
        let order = (0..<count).sorted { (limited($0), partners[$0].count, $1) > (limited($1), partners[$1].count, $0) }
        var section = [Int](repeating: -1, count: count)
        var filled = [Int](repeating: 0, count: sizes.count)
        var nodes = 0
        func place(_ n: Int) -> Bool {
            guard n < order.count else { return true }
            nodes += 1
            guard nodes <= Self.nodeLimit else { return false }
            // Seats the sections still need filled must not exceed the clients left.
            let missing = sizes.indices.reduce(0) { $0 + max(0, sizes[$1].lowerBound - filled[$1]) }
            guard missing <= order.count - n else { return false }
            let client = order[n]
            let candidates = sizes.indices.filter { k in
                filled[k] < sizes[k].upperBound && !partners[client].contains { section[$0] == k }
                    && only[client]?.contains(k) != false
            }.sorted { a, b in
                (sizes[a].lowerBound - filled[a], sizes[a].upperBound - filled[a], b)
                    > (sizes[b].lowerBound - filled[b], sizes[b].upperBound - filled[b], a)
            }
            for k in candidates {
                section[client] = k
                filled[k] += 1
                if place(n + 1) { return true }
                section[client] = -1
                filled[k] -= 1
                if nodes > Self.nodeLimit { return false }
            }
            return false
        }
        return place(0) ? section : nil
    }
}

struct ClientGroup: Hashable {
    let client: ClientID
    let group: GroupID
}
