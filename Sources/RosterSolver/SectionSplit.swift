import GLPKSolver
import IOPDomain
import MIP

/// Turns the pooled solution into sections: for each slot, the rooms that run, who leads
/// each and which clients go where. A slot with one section is direct; a slot with
/// several gets free rooms of the classes the model chose, then a small assignment MIP
/// that keeps apart who must be apart, keeps sizes even (or within each room's minimum
/// and capacity when rooms differ), and keeps clients with last week's facilitator and
/// with the facilitator they had earlier this week; when re-planning, clients stay in the
/// section (facilitator and room) they were told. Each assignment MIP gets an even share
/// of the time left before `deadline` (at most half a second): its incumbent is taken
/// when it cannot prove optimality in that time.
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
        let order = roster.index.slots.sorted { ($0.date, $0.block.start, $0.group.id) < ($1.date, $1.block.start, $1.group.id) }
        var splitsLeft = order.filter { slot in roster.sections[slot.index].reduce(0) { $0 + (solution.value($1.variable) ?? 0) } > 1.5 }.count
        for slot in order {
            var rooms: [(room: Int, capacity: Int)] = []
            for entry in roster.sections[slot.index] {
                let count = Int((solution.value(entry.variable) ?? 0).rounded())
                let busy = Set((taken[slot.date] ?? []).filter { $0.block.overlaps(slot.block) }.map(\.room))
                // Rooms the published roster used for this slot first, so a re-plan keeps them.
                let published = Set(roster.baseline?.sessions(on: slot.date, slot.block.id, slot.group.id).map(\.room) ?? [])
                let free = roster.index.availableRooms(classes[entry.roomClass], slot).filter { !busy.contains($0) }
                let ordered = free.filter { published.contains(scenario.program.rooms[$0].id) } + free.filter { !published.contains(scenario.program.rooms[$0].id) }
                for room in ordered.prefix(count) {
                    rooms.append((room, entry.capacity))
                    taken[slot.date, default: []].append((room, slot.block))
                }
            }
            guard !rooms.isEmpty else { continue }
            let leaders = roster.lead[slot.index].filter { solution.isSet($0.variable) }.map { scenario.facilitators[$0.facilitator].id }
            let members = roster.attend[slot.index].filter { solution.isSet($0.variable) }.map(\.client)
            let left = Double((deadline - ContinuousClock.now) / .milliseconds(1)) / 1000
            let share = min(0.5, max(0.05, left / Double(max(1, splitsLeft))))
            if rooms.count > 1 { splitsLeft -= 1 }
            let assignment = assign(slot: slot, rooms: rooms, leaders: leaders, members: members, seen: seen, timeLimit: share)
            for (k, section) in assignment.enumerated() {
                let memberIDs = section.members.map { scenario.clients[$0].id }.sorted()
                sessions.append(Session(day: slot.day, date: slot.date, block: slot.block, group: slot.group.id,
                                        section: k + 1, room: scenario.program.rooms[section.room].id,
                                        facilitators: section.leaders.sorted(), members: memberIDs))
                for member in memberIDs {
                    for leader in section.leaders { seen[ClientGroup(client: member, group: slot.group.id), default: [:]][leader, default: 0] += 1 }
                }
            }
        }
        return sessions
    }

    private struct Section {
        let room: Int
        var leaders: [FacilitatorID]
        var members: [Int]
    }

    private func assign(slot: Slot, rooms: [(room: Int, capacity: Int)], leaders: [FacilitatorID], members: [Int],
                        seen: [ClientGroup: [FacilitatorID: Int]], timeLimit: Double) -> [Section] {
        let staff = slot.group.facilitatorsPerSection
        guard rooms.count > 1 else {
            return [Section(room: rooms[0].room, leaders: leaders, members: members)]
        }
        let published = roster.baseline?.sessions(on: slot.date, slot.block.id, slot.group.id) ?? []
        func affinity(_ client: Int, _ leader: FacilitatorID) -> Double {
            let id = scenario.clients[client].id
            let sameSection = published.contains { $0.members.contains(id) && $0.facilitators.contains(leader) } ? 30.0 : 0
            let lastWeek = scenario.clients[client].lastWeek[slot.group.id] == leader ? 10.0 : 0
            return sameSection + lastWeek + 3 * Double(seen[ClientGroup(client: id, group: slot.group.id)]?[leader] ?? 0)
        }
        var model = Model()
        let sections = rooms.indices
        let place = members.map { c in sections.map { k in model.addBinary("in(\(c),\(k))") } }
        let leads = leaders.map { f in sections.map { k in model.addBinary("leads(\(f),\(k))") } }
        var objective = LinearExpression()
        for (i, row) in place.enumerated() { model.addConstraint("one_section(\(i))", LinearExpression.sum(row) == 1) }
        for (j, row) in leads.enumerated() { model.addConstraint("one_room(\(j))", LinearExpression.sum(row) == 1) }
        // Even sizes when every room can take the larger share; otherwise any size the room allows.
        let share = Double(members.count) / Double(rooms.count)
        let even = rooms.allSatisfy { Double($0.capacity) >= share.rounded(.up) }
        for k in sections {
            let lower = even ? max(Double(slot.minParticipants), share.rounded(.down)) : Double(slot.minParticipants)
            let upper = even ? share.rounded(.up) : Double(rooms[k].capacity)
            model.addConstraint("staff(\(k))", LinearExpression.sum(leads.map { $0[k] }) == Double(staff))
            model.addConstraint("size(\(k))", LinearExpression.sum(place.map { $0[k] }), lower: lower, upper: upper)
        }
        let position = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($0.element, $0.offset) })
        for (a, b) in roster.keepApartPairs() {
            guard let i = position[a], let j = position[b] else { continue }
            for k in sections { model.addConstraint("apart(\(i),\(j),\(k))", place[i][k] + place[j][k] <= 1) }
        }
        for (i, client) in members.enumerated() {
            for (j, leader) in leaders.enumerated() {
                let weight = affinity(client, leader)
                guard weight > 0 else { continue }
                for k in sections {
                    let with = model.addVariable("with(\(i),\(j),\(k))", upper: 1)
                    model.addConstraint("with_in(\(i),\(j),\(k))", with <= place[i][k])
                    model.addConstraint("with_leads(\(i),\(j),\(k))", with <= leads[j][k])
                    objective -= weight * with
                }
            }
        }
        // When re-planning, each facilitator keeps the room they were announced in.
        for (j, leader) in leaders.enumerated() {
            for k in sections where published.contains(where: { $0.facilitators.contains(leader) && $0.room == scenario.program.rooms[rooms[k].room].id }) {
                objective -= 50 * leads[j][k]
            }
        }
        model.minimize(objective)
        if let solution = try? GLPKSolver.solve(model, options: SolveOptions(timeLimit: timeLimit)), solution.status != .none {
            return sections.map { k in
                Section(room: rooms[k].room,
                        leaders: leaders.indices.filter { solution.isSet(leads[$0][k]) }.map { leaders[$0] },
                        members: members.indices.filter { solution.isSet(place[$0][k]) }.map { members[$0] })
            }
        }
        return roundRobin(rooms: rooms, leaders: leaders, members: members, staff: staff)
    }

    /// The fallback when no split meets every rule (an odd cycle of keep-apart pairs):
    /// deal clients out in turn; the roster validator will name what breaks.
    private func roundRobin(rooms: [(room: Int, capacity: Int)], leaders: [FacilitatorID], members: [Int], staff: Int) -> [Section] {
        var sections = rooms.enumerated().map { k, entry in
            Section(room: entry.room, leaders: Array(leaders.dropFirst(k * staff).prefix(staff)), members: [])
        }
        for (i, member) in members.enumerated() { sections[i % sections.count].members.append(member) }
        return sections
    }
}

struct ClientGroup: Hashable {
    let client: ClientID
    let group: GroupID
}
