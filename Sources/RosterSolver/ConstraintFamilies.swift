import IOPDomain
import MIP

/// The constraint catalogue of the design, one function per family. Hard families add
/// rows; soft families add rows with a shortfall variable and charge it to their penalty.
extension RosterModel {
    /// Builds every family in catalogue order.
    mutating func addAllFamilies() {
        sectionsWithinOffering()
        roomsAtOnce()
        capacity()
        staffingRatio()
        accessibleSeats()
        minimumParticipants()
        qualifiedStaffing()
        oneQualifiedLeader()
        clientOnePlaceAtATime()
        facilitatorOnePlaceAtATime()
        coFacilitators()
        oneSectionOfAGroupPerDay()
        lockedSessions()
        maximumDaysPerWeek()
        maximumHoursPerDay()
        facilitatorLoad()
        keepApart()
        payerMaximumHours()
        attendanceDays()
        weeklyMinimumHours()
        billableDayMinimum()
        minimumDaysPerWeek()
        treatmentPlanCounts()
        processContinuity()
        stability()
        sectionsOpened()
        busiestFacilitatorLoad()
        preferences()
        coLeadingSessions()
        pins()
    }

    // MARK: Hard rules

    /// Hard: a slot runs at most as many parallel sections as its offering allows.
    mutating func sectionsWithinOffering() {
        for slot in index.slots where sections[slot.index].count > 1 {
            model.addConstraint("sections(\(Self.key(slot)))", sectionsRunning(slot.index) <= Double(slot.maxSections))
        }
    }

    /// Hard: at any moment, no more sections run in rooms of a capacity than there are
    /// such rooms free (each room hosts one section at a time; the split names the rooms).
    mutating func roomsAtOnce() {
        for (c, roomClass) in index.roomClasses.enumerated() {
            for clash in index.overlappingSlots {
                let uses = clash.compactMap { slot in sections[slot].first { $0.roomClass == c }?.variable }
                guard uses.count > 1 else { continue }
                let free = clash.map { index.availableRooms(roomClass, index.slots[$0]).count }.min() ?? 0
                model.addConstraint("rooms_at_once(\(roomClass.name),\(clashKey(clash)))", .sum(uses) <= Double(free))
            }
        }
    }

    /// Hard: a slot's attendance fits the sections that run, each holding the smaller of
    /// the group's and the room's capacity.
    mutating func capacity() {
        for slot in index.slots where !attend[slot.index].isEmpty {
            var seats = LinearExpression()
            for entry in sections[slot.index] { seats.add(Double(entry.capacity), entry.variable) }
            model.addConstraint("capacity(\(Self.key(slot)))", .sum(attend[slot.index].map(\.variable)) <= seats)
        }
    }

    /// Hard: where a staffing ratio applies, a section led by one facilitator holds at most
    /// the ratio's clients; `m` of a room class's sections, each with a second facilitator,
    /// hold up to their capacity: attendance <= sum(min(cap, N) n + (cap - N) m), m <= n.
    /// Each second facilitator is charged in tier 4, so none is added where not needed.
    mutating func staffingRatio() {
        for slot in index.slots where !secondLeads[slot.index].isEmpty && !attend[slot.index].isEmpty {
            for (roomClass, m) in secondLeads[slot.index] {
                guard let entry = sections[slot.index].first(where: { $0.roomClass == roomClass }) else { continue }
                model.addConstraint(
                    "second_lead_needs_section(\(Self.key(slot)),\(index.roomClasses[roomClass].name))",
                    LinearExpression(m) <= LinearExpression(entry.variable))
            }
            model.addConstraint(
                "ratio_seats(\(Self.key(slot)))", .sum(attend[slot.index].map(\.variable)) <= seats(slot) { _ in true })
            penalize(.secondFacilitators, .sum(secondLeads[slot.index].map(\.variable)))
        }
    }

    /// Hard: clients who need an accessible room fit in the sections running in accessible
    /// rooms; and each such client attends only when one runs, `x(c, s) <= accessible
    /// sections(s)` (implied by the seats when integral, far tighter in the LP relaxation,
    /// where the seats alone let a twelfth of a section carry the client).
    mutating func accessibleSeats() {
        for slot in index.slots
        where index.roomClasses(for: slot).contains(where: { index.roomClasses[$0.roomClass].accessible }) {
            let needing = attend[slot.index].filter { scenario.clients[$0.client].needsAccessibleRoom }
            guard !needing.isEmpty else { continue }
            let accessible = LinearExpression.sum(
                sections[slot.index].filter { index.roomClasses[$0.roomClass].accessible }.map(\.variable))
            model.addConstraint(
                "accessible_seats(\(Self.key(slot)))",
                .sum(needing.map(\.variable)) <= seats(slot) { index.roomClasses[$0].accessible })
            for (client, x) in needing {
                model.addConstraint(
                    "accessible_section(\(scenario.clients[client].id),\(Self.key(slot)))",
                    LinearExpression(x) <= accessible)
            }
        }
    }

    /// The seats of the slot's running sections in room classes that pass `include`: each
    /// section's capacity, or under a staffing ratio the ratio's clients unless it has a
    /// second facilitator.
    private func seats(_ slot: Slot, _ include: (Int) -> Bool) -> LinearExpression {
        var seats = LinearExpression()
        for entry in sections[slot.index] where include(entry.roomClass) {
            guard let ratio = slot.secondFacilitatorOver, entry.capacity > ratio else {
                seats.add(Double(entry.capacity), entry.variable)
                continue
            }
            seats.add(Double(ratio), entry.variable)
            if let m = secondLeads[slot.index].first(where: { $0.roomClass == entry.roomClass })?.variable {
                seats.add(Double(entry.capacity - ratio), m)
            }
        }
        return seats
    }

    /// Hard: every running section has at least the group's minimum participants; a slot
    /// with nobody in it runs no section.
    mutating func minimumParticipants() {
        for slot in index.slots where !attend[slot.index].isEmpty {
            model.addConstraint(
                "min_participants(\(Self.key(slot)))",
                LinearExpression.sum(attend[slot.index].map(\.variable)) >= Double(slot.minParticipants)
                    * sectionsRunning(slot.index))
        }
    }

    /// Hard: every running section has the group's number of facilitators, and one more
    /// where the staffing ratio asks for it, each holding the group's credentials,
    /// available and present (only such pairs have variables).
    mutating func qualifiedStaffing() {
        for slot in index.slots where !sections[slot.index].isEmpty {
            let staff = Double(slot.group.facilitatorsPerSection)
            model.addConstraint(
                "staffing(\(Self.key(slot)))",
                LinearExpression.sum(lead[slot.index].map(\.variable)) - staff * sectionsRunning(slot.index)
                    - .sum(secondLeads[slot.index].map(\.variable)) == 0)
        }
    }

    /// Hard: where a group asks it of one leader, each running section has a leader
    /// holding those credentials: such leaders >= sections running (the split gives each
    /// section one).
    mutating func oneQualifiedLeader() {
        for slot in index.slots where !slot.group.oneLeaderRequires.isEmpty && !sections[slot.index].isEmpty {
            let holders = lead[slot.index].filter { scenario.facilitators[$0.facilitator].mayLeadFirst(slot.group) }
                .map(\.variable)
            model.addConstraint("one_qualified_leader(\(Self.key(slot)))", .sum(holders) >= sectionsRunning(slot.index))
        }
    }

    /// Hard: a client is in at most one session at any moment (overlapping clock times).
    mutating func clientOnePlaceAtATime() {
        for client in scenario.clients.indices {
            let own = index.overlappingSlots.map { clash in
                (clash, clash.compactMap { variable(client: client, slot: $0) })
            }
            onePlaceAtATime("client_once(\(scenario.clients[client].id)", own)
        }
    }

    /// Hard: a facilitator leads or co-facilitates at most one section at any moment.
    mutating func facilitatorOnePlaceAtATime() {
        for facilitator in scenario.facilitators.indices {
            let own = index.overlappingSlots.map { clash in
                (clash, clash.flatMap { taking(part: facilitator, slot: $0) })
            }
            onePlaceAtATime("lead_once(\(scenario.facilitators[facilitator].id)", own)
        }
    }

    /// Hard: a running section not locked has at most one co-facilitator, nobody both leads and
    /// co-facilitates a slot, and nobody co-facilitates more sessions than they should.
    mutating func coFacilitators() {
        for (f, facilitator) in scenario.facilitators.enumerated() {
            let zs = index.slotsByFacilitator[f].compactMap { slot in
                coLead[slot].first { $0.facilitator == f }?.variable
            }
            let left = coLeadingLeft(facilitator)
            if zs.count > left { model.addConstraint("co_lead_most(\(facilitator.id))", .sum(zs) <= Double(left)) }
        }
        for slot in index.slots where !coLead[slot.index].isEmpty {
            let key = Self.key(slot)
            let unlocked = sectionsRunning(slot.index) - Double(locks.held(in: slot.index).count)
            model.addConstraint(
                "co_leads(\(key))", LinearExpression.sum(coLead[slot.index].map(\.variable)) <= unlocked)
            for (f, z) in coLead[slot.index] {
                guard let y = variable(facilitator: f, slot: slot.index) else { continue }
                model.addConstraint("lead_or_co_lead(\(scenario.facilitators[f].id),\(key))", y + z <= 1)
            }
        }
    }

    /// At most one of one person's variables in each set of slots that share a moment.
    private mutating func onePlaceAtATime(_ name: String, _ sets: [(clash: [Int], own: [Variable])]) {
        for (clash, own) in sets where own.count > 1 {
            model.addConstraint("\(name),\(clashKey(clash)))", .sum(own) <= 1)
        }
    }

    /// Hard: a client attends a group at most once a day, unless the group allows more;
    /// where the model has the client's day, at most once and only on a day attended
    /// (the same rosters, and an LP that cannot take the group a fraction each time).
    mutating func oneSectionOfAGroupPerDay() {
        for client in scenario.clients.indices {
            let bySlot = attendByClient[client]
            let grouped = Dictionary(grouping: bySlot.keys.filter { index.slots[$0].group.onceADay }) {
                GroupDay(group: index.slots[$0].group.id, day: index.slots[$0].day)
            }
            for (key, slots) in grouped.sorted(by: { $0.key < $1.key }) where slots.count > 1 {
                let once = attendsDay[client][key.day].map { LinearExpression($0) } ?? LinearExpression(constant: 1)
                model.addConstraint(
                    "group_once_a_day(\(scenario.clients[client].id),\(key.group),\(key.day))",
                    .sum(slots.sorted().compactMap { bySlot[$0] }) <= once)
            }
        }
    }

    /// Hard: a session kept as published runs with its members and facilitators in a room
    /// of its room's class (and, above a staffing ratio, as a second-led section); the
    /// slot's other clients fit its other sections, and run in none when none runs.
    mutating func lockedSessions() {
        for slot in index.slots {
            let held = locks.held(in: slot.index)
            guard !held.isEmpty else { continue }
            let key = Self.key(slot)
            for entry in held {
                for c in entry.members {
                    if let x = variable(client: c, slot: slot.index) {
                        model.addConstraint("locked_member(\(scenario.clients[c].id),\(key))", LinearExpression(x) >= 1)
                    }
                }
                for f in entry.facilitators {
                    if let y = variable(facilitator: f, slot: slot.index) {
                        model.addConstraint(
                            "locked_lead(\(scenario.facilitators[f].id),\(key))", LinearExpression(y) >= 1)
                    }
                }
            }
            for (roomClass, inClass) in Dictionary(grouping: held, by: \.roomClass).sorted(by: { $0.key < $1.key }) {
                let name = "\(key),\(index.roomClasses[roomClass].name)"
                let n = sections[slot.index].first { $0.roomClass == roomClass }?.variable
                model.addConstraint(
                    "locked_sections(\(name))",
                    n.map { LinearExpression($0) } ?? LinearExpression() >= Double(inClass.count))
                let secondLed = inClass.filter { $0.facilitators.count > slot.group.facilitatorsPerSection }.count
                if secondLed > 0 {
                    let m = secondLeads[slot.index].first { $0.roomClass == roomClass }?.variable
                    model.addConstraint(
                        "locked_second_leads(\(name))",
                        m.map { LinearExpression($0) } ?? LinearExpression() >= Double(secondLed))
                }
            }
            let members = Set(held.flatMap(\.members))
            let others = attend[slot.index].filter { !members.contains($0.client) }
            guard !others.isEmpty else { continue }
            let lockedRuns = sectionsRunning(slot.index) - Double(held.count)
            for (c, x) in others {
                model.addConstraint(
                    "beside_locked(\(scenario.clients[c].id),\(key))", LinearExpression(x) <= lockedRuns)
            }
            let lockedSeats = held.reduce(0.0) { total, entry in
                let ratio = entry.facilitators.count < 2 ? slot.secondFacilitatorOver ?? .max : .max
                return total + Double(min(scenario.program.rooms[entry.room].capacity, slot.group.capacity, ratio))
            }
            model.addConstraint(
                "seats_beside_locked(\(key))", .sum(others.map(\.variable)) <= seats(slot) { _ in true } - lockedSeats)
            model.addConstraint(
                "minimum_beside_locked(\(key))",
                .sum(others.map(\.variable)) >= Double(slot.minParticipants) * lockedRuns)
        }
    }

    /// Hard: a client attends on at most their maximum days a week, counting days already attended.
    mutating func maximumDaysPerWeek() {
        for (c, client) in scenario.clients.enumerated() {
            guard let maximum = scenario.maxDaysPerWeek(of: client) else { continue }
            let past = scenario.program.days.filter { index.history.attended(client.id, on: $0) }.count
            let days = attendsDay[c].sorted { $0.key < $1.key }.map(\.value)
            if days.count + past > maximum {
                model.addConstraint("max_days(\(client.id))", .sum(days) <= Double(max(0, maximum - past)))
            }
        }
    }

    /// Hard: a client attends at most their daily hours, counting what they attended that day.
    mutating func maximumHoursPerDay() {
        for (c, client) in scenario.clients.enumerated() {
            guard let cap = scenario.maxHoursPerDay(of: client) else { continue }
            let byDay = Dictionary(grouping: attendByClient[c].keys) { index.slots[$0].day }
            for (day, slots) in byDay.sorted(by: { $0.key < $1.key }) {
                let left = cap * 60 - Double(index.history.minutes(of: client.id, on: day))
                guard Double(Self.mostMinutes(slots.map { index.slots[$0].block })) > left + 1e-9 else { continue }
                model.addConstraint(
                    "max_hours_day(\(client.id),\(day))", minutes(of: c, in: slots.sorted()) <= max(0, left))
            }
        }
    }

    /// Hard: a facilitator leads or co-facilitates at most their daily and weekly maximum
    /// of sessions, counting what they already led.
    mutating func facilitatorLoad() {
        for (f, facilitator) in scenario.facilitators.enumerated() {
            let slots = index.slotsByFacilitator[f]
            let past = index.history.load[facilitator.id] ?? [:]
            if let perWeek = facilitator.maxSessionsPerWeek {
                let ys = slots.flatMap { taking(part: f, slot: $0) }
                let left = perWeek - past.values.reduce(0, +)
                if ys.count > left {
                    model.addConstraint("load_week(\(facilitator.id))", .sum(ys) <= Double(max(0, left)))
                }
            }
            if let perDay = facilitator.maxSessionsPerDay {
                for day in scenario.program.days {
                    let ys = slots.filter { index.slots[$0].day == day }.flatMap { taking(part: f, slot: $0) }
                    let left = perDay - (past[day] ?? 0)
                    if ys.count > left {
                        model.addConstraint("load_day(\(facilitator.id),\(day))", .sum(ys) <= Double(max(0, left)))
                    }
                }
            }
        }
    }

    /// Hard: two clients kept apart never share a section: in a slot they may both attend
    /// only when at least two sections run (the split puts them in different ones).
    mutating func keepApart() {
        for (a, b) in index.keepApartPairs() {
            for slot in index.slots.indices {
                guard let xa = variable(client: a, slot: slot), let xb = variable(client: b, slot: slot) else {
                    continue
                }
                model.addConstraint(
                    "keep_apart(\(scenario.clients[a].id),\(scenario.clients[b].id),\(Self.key(index.slots[slot])))",
                    xa + xb <= sectionsRunning(slot))
            }
        }
    }

    /// Hard: a client's weekly hours, with those already attended, stay within the payer's maximum.
    mutating func payerMaximumHours() {
        for (c, client) in scenario.clients.enumerated() {
            let maximum =
                scenario.weeklyHours(of: client).upperBound * 60 - Double(index.history.minutes(of: client.id))
            let slots = Array(attendByClient[c].keys).sorted()
            let possible = slots.reduce(0) { $0 + index.slots[$1].minutes }
            if Double(possible) > maximum {
                model.addConstraint("max_hours(\(client.id))", minutes(of: c, in: slots) <= max(0, maximum))
            }
        }
    }

    /// Hard (definition): d(client, day) is 1 exactly when the client attends something that day.
    ///
    /// A client's sessions that share a moment are bounded by d together (`sum x <= d`: at
    /// most one of them, and only on a day attended), any other session alone (`x <= d`):
    /// the same rosters as a row per session, but an LP that cannot attend a moment's
    /// sessions a fraction each on a fraction of a day.
    mutating func attendanceDays() {
        for (c, client) in scenario.clients.enumerated() {
            for (day, d) in attendsDay[c].sorted(by: { $0.key < $1.key }) {
                let entries = attendByClient[c].filter { index.slots[$0.key].day == day }.sorted { $0.key < $1.key }
                var together: Set<Int> = []
                for clash in index.overlappingSlots where index.slots[clash[0]].day == day {
                    let own = clash.filter { attendByClient[c][$0] != nil }
                    guard own.count > 1 else { continue }
                    together.formUnion(own)
                    model.addConstraint(
                        "day_if_any(\(client.id),\(clashKey(clash)))",
                        .sum(own.compactMap { attendByClient[c][$0] }) <= LinearExpression(d))
                }
                for (slot, x) in entries where !together.contains(slot) {
                    model.addConstraint(
                        "day_if_any(\(client.id),\(Self.key(index.slots[slot])))", x <= LinearExpression(d))
                }
                model.addConstraint(
                    "day_only_if_some(\(client.id),\(day))", d <= LinearExpression.sum(entries.map(\.value)))
            }
        }
    }

    // MARK: Soft rules, tier 1

    /// Tier 1: each client's weekly hours reach their authorized minimum.
    mutating func weeklyMinimumHours() {
        for (c, client) in scenario.clients.enumerated() {
            let target = (scenario.weeklyHours(of: client).lowerBound * 60).rounded()
            guard target > 0 else { continue }
            let short = model.addVariable("short_minutes(\(client.id))", kind: .integer, lower: 0, upper: target)
            let past = Double(index.history.minutes(of: client.id))
            model.addConstraint(
                "min_hours(\(client.id))",
                minutes(of: c, in: Array(attendByClient[c].keys).sorted()) + short >= target - past)
            penalize(.weeklyHours, (1.0 / 60) * short)
        }
    }

    /// Tier 1: a day a client attends has at least the billable-day minimum hours.
    mutating func billableDayMinimum() {
        for (c, client) in scenario.clients.enumerated() {
            let target = (scenario.billableDayMinHours(of: client) * 60).rounded()
            guard target > 0 else { continue }
            for day in scenario.program.days {
                let slots = attendByClient[c].keys.filter { index.slots[$0].day == day }.sorted()
                let past = Double(index.history.minutes(of: client.id, on: day))
                // A day already attended counts whole; otherwise only if d says so.
                let attending: LinearExpression
                if past > 0 {
                    attending = LinearExpression(constant: 1)
                } else if let d = attendsDay[c][day] {
                    attending = LinearExpression(d)
                } else {
                    continue
                }
                let short = model.addVariable(
                    "short_day_minutes(\(client.id),\(day))", kind: .integer, lower: 0, upper: target)
                model.addConstraint(
                    "billable_day(\(client.id),\(day))", minutes(of: c, in: slots) + past + short >= target * attending)
                penalize(.billableDay, (1.0 / 60) * short)
                if past == 0, let d = attendsDay[c][day] {
                    requiredBlocks(client: c, day: d, slots: slots, short: short, target: target)
                }
            }
        }
    }

    /// Valid rows for the billable day: when the client's other blocks that day cannot add
    /// up to the minimum, a day attended includes the block, `d <= x(block) + short / gap`
    /// (`gap` is the minimum less the most the other blocks give). The LP relaxation
    /// otherwise meets the minutes with fractions of every block, which hides how many
    /// sections the week really needs.
    private mutating func requiredBlocks(client c: Int, day d: Variable, slots: [Int], short: Variable, target: Double)
    {
        let blocks = Dictionary(grouping: slots) { index.slots[$0].block.id }
        for (block, inBlock) in blocks.sorted(by: { $0.key < $1.key }) {
            let others = blocks.filter { $0.key != block }.map { index.slots[$0.value[0]].block }
            let most = Double(Self.mostMinutes(others))
            guard most < target else { continue }
            let xs = LinearExpression.sum(inBlock.compactMap { variable(client: c, slot: $0) })
            model.addConstraint(
                "billable_day_needs(\(scenario.clients[c].id),\(index.slots[inBlock[0]].day),\(block))",
                LinearExpression(d) <= xs + (1 / (target - most)) * short)
        }
    }

    /// The most minutes one person can spend in blocks that do not overlap (weighted
    /// interval scheduling).
    static func mostMinutes(_ blocks: [Block]) -> Int {
        let sorted = blocks.sorted { $0.end < $1.end }
        var best = [0]
        for (i, block) in sorted.enumerated() {
            let previous = sorted[..<i].lastIndex { !$0.overlaps(block) && $0.end <= block.start }.map { $0 + 1 } ?? 0
            best.append(max(best[i], best[previous] + block.minutes))
        }
        return best.last ?? 0
    }

    /// Tier 1: each client attends at least their minimum days a week (payer, level of care or policy).
    mutating func minimumDaysPerWeek() {
        for (c, client) in scenario.clients.enumerated() {
            let target = Double(scenario.minDaysPerWeek(of: client))
            guard target > 0 else { continue }
            let short = model.addVariable("short_days(\(client.id))", kind: .integer, lower: 0, upper: target)
            let past = Double(scenario.program.days.filter { index.history.attended(client.id, on: $0) }.count)
            model.addConstraint(
                "min_days(\(client.id))",
                LinearExpression.sum(attendsDay[c].sorted { $0.key < $1.key }.map(\.value)) + short >= target - past)
            penalize(.minimumDays, LinearExpression(short))
        }
    }

    // MARK: Soft rules, tiers 2-4

    /// Tier 2: each client gets the number of sessions of each group their treatment plan sets.
    mutating func treatmentPlanCounts() {
        for (c, client) in scenario.clients.enumerated() {
            for (group, count) in client.plan.sorted(by: { $0.key < $1.key }) where count > 0 {
                let xs = attendByClient[c].filter { index.slots[$0.key].group.id == group }.sorted { $0.key < $1.key }
                    .map(\.value)
                let short = model.addVariable(
                    "short_plan(\(client.id),\(group))", kind: .integer, lower: 0, upper: Double(count))
                let past = Double(index.history.groups[client.id]?[group] ?? 0)
                model.addConstraint(
                    "plan(\(client.id),\(group))", LinearExpression.sum(xs) + short >= Double(count) - past)
                penalize(.treatmentPlan, LinearExpression(short))
            }
        }
    }

    /// Tier 3: a client's process-group sessions are led by last week's facilitator.
    /// `with(c, s) <= x(c, s)` and `with(c, s) <= lead(f, s)`; each session without is one break.
    mutating func processContinuity() {
        for (c, client) in scenario.clients.enumerated() {
            for (group, facilitator) in client.lastWeek.sorted(by: { $0.key < $1.key }) {
                guard let f = scenario.facilitators.firstIndex(where: { $0.id == facilitator }) else { continue }
                for (slot, x) in attendByClient[c].sorted(by: { $0.key < $1.key })
                where index.slots[slot].group.id == group {
                    var breaks = LinearExpression(x)
                    if let y = variable(facilitator: f, slot: slot) {
                        let with = model.addBinary("with(\(client.id),\(facilitator),\(Self.key(index.slots[slot])))")
                        model.addConstraint("with_attends(\(client.id),\(Self.key(index.slots[slot])))", with <= x)
                        model.addConstraint("with_leads(\(client.id),\(Self.key(index.slots[slot])))", with <= y)
                        breaks -= with
                    }
                    penalize(.continuity, breaks)
                }
            }
        }
    }

    /// Tier 3: when re-planning, every change to what was published costs: a client added
    /// to or removed from a slot, a facilitator added or removed, a section opened or
    /// closed (per room capacity, so a move to another kind of room counts); a change inside the published window (the rest of today, and tomorrow once
    /// reminders went out) costs `changePublished`, a later one `changeLater`.
    mutating func stability() {
        guard let baseline else { return }
        let weights = scenario.weights
        for slot in index.slots {
            let published = baseline.isPublished(slot.date, slot.block)
            let price = Double(published ? weights.changePublished : weights.changeLater)
            let before = baseline.sessions(on: slot.date, slot.block.id, slot.group.id)
            let members = Set(before.flatMap(\.members))
            let leaders = Set(before.flatMap(\.facilitators))
            var changes = LinearExpression()
            for (c, client) in scenario.clients.enumerated() {
                let x = variable(client: c, slot: slot.index)
                if members.contains(client.id) {
                    changes += x.map { 1 - $0 } ?? LinearExpression(constant: 1)
                } else if let x {
                    changes += x
                }
            }
            for (f, facilitator) in scenario.facilitators.enumerated() {
                let there = LinearExpression.sum(taking(part: f, slot: slot.index))
                changes += leaders.contains(facilitator.id) ? 1 - there : there
            }
            // Sections per room class, so moving a section to another kind of room is a change too.
            for (c, roomClass) in index.roomClasses.enumerated() {
                let rooms = Set(roomClass.rooms.map { scenario.program.rooms[$0].id })
                let count = Double(before.filter { rooms.contains($0.room) }.count)
                guard let n = sections[slot.index].first(where: { $0.roomClass == c })?.variable else {
                    changes += LinearExpression(constant: count)
                    continue
                }
                let name = "\(Self.key(slot)),\(roomClass.name)"
                let difference = model.addVariable(
                    "section_change(\(name))", kind: .integer, upper: Double(slot.maxSections) + count)
                model.addConstraint("sections_opened_since(\(name))", LinearExpression(difference) >= n - count)
                model.addConstraint("sections_closed_since(\(name))", LinearExpression(difference) >= count - n)
                changes += difference
            }
            penalize(.stability, price * changes)
        }
    }

    /// Tier 4: open no more sections than needed. For this tier's stage only, the rows
    /// `x(c, s) <= sections running(s)` (implied by capacity) lift the LP bound on sections;
    /// in earlier stages they only slow the search.
    mutating func sectionsOpened() {
        for slot in index.slots {
            penalize(.sectionsOpened, sectionsRunning(slot.index))
            let running = sectionsRunning(slot.index)
            for (client, x) in attend[slot.index] {
                stageRows[Family.sectionsOpened.tier, default: []].append(
                    ("attend_if_running(\(scenario.clients[client].id),\(Self.key(slot)))", x <= running))
            }
        }
    }

    /// Tier 4: balance the load: charge the sessions the busiest facilitator leads
    /// (co-facilitating is not leading).
    mutating func busiestFacilitatorLoad() {
        guard lead.contains(where: { !$0.isEmpty }) else { return }
        let pastMost = index.history.load.values.map { $0.values.reduce(0, +) }.max() ?? 0
        let busiest = model.addVariable(
            "busiest_load", kind: .integer, lower: 0, upper: Double(index.slots.count + pastMost))
        busiestLoad = busiest
        for (f, facilitator) in scenario.facilitators.enumerated() {
            let ys = index.slotsByFacilitator[f].compactMap { variable(facilitator: f, slot: $0) }
            guard !ys.isEmpty else { continue }
            let past = Double(index.history.load[facilitator.id]?.values.reduce(0, +) ?? 0)
            model.addConstraint(
                "load_at_most_busiest(\(facilitator.id))", LinearExpression.sum(ys) + past <= LinearExpression(busiest))
        }
        penalize(.busiestLoad, LinearExpression(busiest))
    }

    /// Tier 4: facilitators lead their preferred groups and clients attend on their
    /// preferred days, where they state a preference.
    mutating func preferences() {
        for (f, facilitator) in scenario.facilitators.enumerated() where !facilitator.prefers.isEmpty {
            for slot in index.slotsByFacilitator[f] where !facilitator.prefers.contains(index.slots[slot].group.id) {
                if let y = variable(facilitator: f, slot: slot) {
                    penalize(.facilitatorPreference, LinearExpression(y))
                }
            }
        }
        for (c, client) in scenario.clients.enumerated() where !client.preferredDays.isEmpty {
            for (slot, x) in attendByClient[c].sorted(by: { $0.key < $1.key })
            where !client.preferredDays.contains(index.slots[slot].day) {
                penalize(.clientPreference, LinearExpression(x))
            }
        }
    }

    /// Tier 4: each facilitator who should co-facilitate some sessions a week does, one
    /// session short per session below it, counting past sessions of those groups they
    /// took part in with more facilitators than the group requires.
    mutating func coLeadingSessions() {
        for (f, facilitator) in scenario.facilitators.enumerated() {
            let left = coLeadingLeft(facilitator)
            guard left > 0 else { continue }
            let zs = index.slotsByFacilitator[f].compactMap { slot in
                coLead[slot].first { $0.facilitator == f }?.variable
            }
            let short = model.addVariable("co_lead_short(\(facilitator.id))", lower: 0, upper: Double(left))
            model.addConstraint("co_leading(\(facilitator.id))", LinearExpression(short) + .sum(zs) >= Double(left))
            penalize(.coLeading, LinearExpression(short))
        }
    }

    /// Soft, a tier of its own before every other: a client stays in each time of a group
    /// the coordinator pinned them to, one session short per pin not held (a pin the week
    /// rules out, or the past, costs its session whatever the roster).
    mutating func pins() {
        for (c, client) in scenario.clients.enumerated() {
            for pin in client.pinned {
                let slot = index.slots.firstIndex {
                    $0.group.id == pin.group && $0.day == pin.day && $0.block.id == pin.block
                }
                penalize(
                    .pinned,
                    slot.flatMap { variable(client: c, slot: $0) }.map { 1 - LinearExpression($0) }
                        ?? LinearExpression(constant: 1))
            }
        }
    }

    // MARK: Helpers

    /// The sessions the facilitator should still co-facilitate this week: past sessions of
    /// their co-led groups with more facilitators than the group requires count.
    func coLeadingLeft(_ facilitator: Facilitator) -> Int {
        guard let wanted = facilitator.coLeads?.sessions, wanted > 0 else { return 0 }
        let past = index.history.sessions.filter { session in
            session.facilitators.contains(facilitator.id) && facilitator.mayCoLead(session.group)
                && session.facilitators.count > (scenario.group(session.group)?.facilitatorsPerSection ?? 1)
        }.count
        return max(0, wanted - past)
    }

    private func clashKey(_ clash: [Int]) -> String {
        let first = index.slots[clash[0]]
        return "\(first.day),\(clash.map { String($0) }.joined(separator: "+"))"
    }
}

/// A group on a day.
struct GroupDay: Hashable, Comparable {
    let group: GroupID
    let day: Weekday
    static func < (a: GroupDay, b: GroupDay) -> Bool { (a.day, a.group) < (b.day, b.group) }
}
