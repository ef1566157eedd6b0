import IOPDomain
import MIP

/// A soft rule's family: its name in reports, its tier (1 is most important), its unit and its weight.
public enum Family: String, CaseIterable, Sendable, Codable {
    case pinned
    case weeklyHours = "weekly_hours"
    case billableDay = "billable_day"
    case minimumDays = "minimum_days"
    case treatmentPlan = "treatment_plan"
    case continuity
    case stability
    case sectionsOpened = "sections_opened"
    case busiestLoad = "busiest_load"
    case facilitatorPreference = "facilitator_preference"
    case clientPreference = "client_preference"
    case secondFacilitators = "second_facilitators"
    case coLeading = "co_leading"

    public var tier: Int {
        switch self {
        case .pinned: 0
        case .weeklyHours, .billableDay, .minimumDays: 1
        case .treatmentPlan: 2
        case .continuity, .stability: 3
        case .sectionsOpened, .busiestLoad, .facilitatorPreference, .clientPreference, .secondFacilitators, .coLeading:
            4
        }
    }

    /// The family's price per unit within its tier, as the scenario's weights set it
    /// (a re-plan's changes are priced by `change_published` and `change_later` in the stability family).
    public func weight(in weights: Weights) -> Int {
        switch self {
        case .weeklyHours: weights.weeklyHoursShort
        case .billableDay: weights.billableDayShort
        case .minimumDays: weights.daysShort
        case .treatmentPlan: weights.planSessionShort
        case .continuity: weights.continuityBreak
        case .stability, .pinned: 1
        case .sectionsOpened: weights.sectionOpened
        case .busiestLoad: weights.busiestLoad
        case .facilitatorPreference: weights.facilitatorPreference
        case .clientPreference: weights.clientPreference
        case .secondFacilitators: weights.secondFacilitator
        case .coLeading: weights.coLeadShort
        }
    }

    public var unit: Measure {
        switch self {
        case .weeklyHours, .billableDay: .hours
        case .minimumDays: .days
        case .pinned, .treatmentPlan, .continuity, .busiestLoad, .facilitatorPreference, .clientPreference,
            .secondFacilitators, .coLeading:
            .sessions
        case .sectionsOpened: .sections
        case .stability: .changes
        }
    }
}

/// The amount of one family's shortfall: `amount` in the family's unit, priced at `weight`.
struct Penalty {
    let family: Family
    var amount = LinearExpression()
    let weight: Double
}

/// The roster as a MIP: attendance, leading and room variables on the pooled sections of
/// each slot, and one penalty expression per soft family. Constraint families live in
/// `ConstraintFamilies.swift`, one function each.
struct RosterModel {
    let index: WeekIndex
    /// The published roster being re-planned, if any.
    let baseline: Baseline?
    /// The sessions kept as published that can hold, and those that cannot.
    let locks: WeekLocks
    var model = Model()
    /// Per slot: (client index, x = client attends one of the slot's sections).
    var attend: [[(client: Int, variable: Variable)]] = []
    /// Per slot: (facilitator index, y = facilitator leads one of the slot's sections).
    var lead: [[(facilitator: Int, variable: Variable)]] = []
    /// Per slot: (facilitator index, z = facilitator co-facilitates one of the slot's sections).
    var coLead: [[(facilitator: Int, variable: Variable)]] = []
    /// Per slot: (room class, section capacity there, n = sections running in rooms of
    /// that class).
    var sections: [[(roomClass: Int, capacity: Int, variable: Variable)]] = []
    /// Per slot, where a staffing ratio applies: (room class, m = sections of that class
    /// led by a second facilitator, so they may hold more than the ratio's clients).
    var secondLeads: [[(roomClass: Int, variable: Variable)]] = []
    /// Per client: slot index to x, the inverse of `attend`.
    var attendByClient: [[Int: Variable]] = []
    /// Per client: (day, d = the client attends anything that day).
    var attendsDay: [[Weekday: Variable]] = []
    /// The busiest facilitator's number of sessions, once ``busiestFacilitatorLoad()`` made it.
    var busiestLoad: Variable?
    var penalties: [Family: Penalty] = [:]
    /// Valid rows that only help the stage of one tier, added just before it.
    var stageRows: [Int: [(name: String, row: ConstraintSpec)]] = [:]

    var scenario: Scenario { index.scenario }

    init(index: WeekIndex, baseline: Baseline? = nil) {
        self.index = index
        self.baseline = baseline
        locks = WeekLocks(index)
        for family in Family.allCases {
            penalties[family] = Penalty(family: family, weight: Double(family.weight(in: index.scenario.weights)))
        }
        createDecisionVariables()
    }

    /// Variables only where they can be 1: eligible pairs of slots that can run at all.
    private mutating func createDecisionVariables() {
        let clients = scenario.clients
        let facilitators = scenario.facilitators
        let classes = index.roomClasses
        for slot in index.slots {
            let open = index.whyClosed(slot) == nil
            let key = Self.key(slot)
            attend.append(
                open
                    ? index.clientsBySlot[slot.index].map { c in
                        (c, model.addBinary("x(\(clients[c].id),\(key))"))
                    } : [])
            lead.append(
                open
                    ? index.facilitatorsBySlot[slot.index].map { f in
                        (f, model.addBinary("lead(\(facilitators[f].id),\(key))"))
                    } : [])
            coLead.append(
                open
                    ? index.coLeadersBySlot[slot.index].map { f in
                        (f, model.addBinary("co_lead(\(facilitators[f].id),\(key))"))
                    } : [])
            let rooms = open ? index.roomClasses(for: slot) : []
            sections.append(
                rooms.map { entry in
                    let most = min(slot.maxSections, entry.available)
                    let name = "sections(\(key),\(classes[entry.roomClass].name))"
                    return (
                        entry.roomClass, entry.capacity,
                        most == 1 ? model.addBinary(name) : model.addVariable(name, kind: .integer, upper: Double(most))
                    )
                })
            secondLeads.append(
                rooms.compactMap { entry in
                    guard let ratio = slot.secondFacilitatorOver, entry.capacity > ratio else { return nil }
                    let most = min(slot.maxSections, entry.available)
                    let name = "second_leads(\(key),\(classes[entry.roomClass].name))"
                    return (
                        entry.roomClass,
                        most == 1 ? model.addBinary(name) : model.addVariable(name, kind: .integer, upper: Double(most))
                    )
                })
        }
        attendByClient = Array(repeating: [:], count: clients.count)
        for (slot, entries) in attend.enumerated() {
            for entry in entries { attendByClient[entry.client][slot] = entry.variable }
        }
        attendsDay = clients.indices.map { c in
            var days: [Weekday: Variable] = [:]
            for slot in index.slotsByClient[c]
            where days[index.slots[slot].day] == nil && !attend[slot].isEmpty
                && !index.history.attended(clients[c].id, on: index.slots[slot].day)
            {
                let day = index.slots[slot].day
                days[day] = model.addBinary("day(\(clients[c].id),\(day))")
            }
            return days
        }
    }

    /// The number of sections of the slot that run, over all room classes.
    func sectionsRunning(_ slot: Int) -> LinearExpression {
        .sum(sections[slot].map(\.variable))
    }

    /// Minutes the client attends over the given slots.
    func minutes(of client: Int, in slots: [Int]) -> LinearExpression {
        var total = LinearExpression()
        for slot in slots {
            if let x = variable(client: client, slot: slot) { total.add(Double(index.slots[slot].minutes), x) }
        }
        return total
    }

    func variable(client: Int, slot: Int) -> Variable? {
        attendByClient[client][slot]
    }

    func variable(facilitator: Int, slot: Int) -> Variable? {
        lead[slot].first { $0.facilitator == facilitator }?.variable
    }

    /// The facilitator's variables in the slot, leading and co-facilitating: their load there.
    func taking(part facilitator: Int, slot: Int) -> [Variable] {
        [
            variable(facilitator: facilitator, slot: slot),
            coLead[slot].first { $0.facilitator == facilitator }?.variable,
        ].compactMap { $0 }
    }

    /// Adds `amount` (in the family's unit) to the family's penalty.
    mutating func penalize(_ family: Family, _ amount: LinearExpression) {
        penalties[family]?.amount += amount
    }

    /// The weighted penalty of all families of one tier.
    func objective(tier: Int) -> LinearExpression {
        var total = LinearExpression()
        for family in Family.allCases where family.tier == tier {
            guard let penalty = penalties[family] else { continue }
            total += penalty.weight * penalty.amount
        }
        return total.merged()
    }

    static func key(_ slot: Slot) -> String { "\(slot.day),\(slot.block.id),\(slot.group.id)" }
}
