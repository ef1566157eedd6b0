import Foundation
import GLPKSolver
import IOPDomain
import MIP

/// Splits a week into parts that share nothing: no client, no facilitator, and no room
/// at overlapping times (programs or tracks with their own staff and rooms). Each part is
/// a scenario of its own, solved on its own core; the rosters are joined afterwards. The
/// objective separates over parts except the busiest facilitator's load, which is then
/// balanced within each part.
enum Decomposition {
    /// Slot indices of each part; one part when the week does not separate.
    static func parts(of index: WeekIndex) -> [[Int]] {
        var parent = Array(index.slots.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        func union(_ slots: [Int]) {
            guard let first = slots.first else { return }
            for other in slots.dropFirst() { parent[find(other)] = find(first) }
        }
        for slots in index.slotsByClient { union(slots) }
        for slots in index.slotsByFacilitator { union(slots) }
        for clash in index.overlappingSlots {
            for roomClass in index.roomClasses {
                union(clash.filter { index.mayHost(roomClass, index.slots[$0]) })
            }
        }
        // A keep-apart pair links nothing new (each slot of a pair is already in one part).
        let groups = Dictionary(grouping: index.slots.indices, by: find)
        return groups.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    /// The scenario of one part: its slots as offerings, every group and room, and the
    /// people who can take part in them. People who can take part in nothing go to the first part, so their
    /// shortfalls are still reported.
    static func scenario(of part: [Int], in index: WeekIndex, isFirst: Bool) -> Scenario {
        let scenario = index.scenario
        let slots = part.map { index.slots[$0] }
        let clients = Set(part.flatMap { index.clientsBySlot[$0] })
        let facilitators = Set(part.flatMap { index.facilitatorsBySlot[$0] + index.coLeadersBySlot[$0] })
        var result = scenario
        result.offerings = slots.map { slot in
            Offering(
                group: slot.group.id, days: [slot.day], blocks: [slot.block.id], sections: slot.maxSections,
                facilitators: slot.leaders, rooms: slot.rooms)
        }
        result.locks = scenario.locks.filter { lock in
            slots.contains {
                $0.group.id == lock.slot.group && $0.day == lock.slot.day && $0.block.id == lock.slot.block
            }
        }
        result.clients = scenario.clients.indices.filter {
            clients.contains($0) || (isFirst && index.slotsByClient[$0].isEmpty)
        }.map { scenario.clients[$0] }
        result.facilitators = scenario.facilitators.indices.filter {
            facilitators.contains($0) || (isFirst && index.slotsByFacilitator[$0].isEmpty)
        }
        .map { scenario.facilitators[$0] }
        return result
    }

    /// Plans each part concurrently, each within `options`' time limit scaled so the parts
    /// together finish within it on the machine's cores, and joins the results.
    static func plan(_ parts: [[Int]], index: WeekIndex, options: PlanOptions, baseline: Baseline?) throws(SolverError)
        -> Plan
    {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let rounds = Double((parts.count + cores - 1) / cores)
        let budget = options.timeLimit - RosterSolver.reserve(options.timeLimit)
        let partOptions = PlanOptions(
            timeLimit: budget / rounds, relativeGap: options.relativeGap, monitor: options.monitor)
        let scenarios = parts.enumerated().map { scenario(of: $0.element, in: index, isFirst: $0.offset == 0) }
        let results = concurrentMap(parts.count) { part in
            Result { () throws(SolverError) -> Plan in
                try RosterSolver.plan(scenarios[part], options: partOptions, baseline: baseline, decompose: false)
            }
        }
        var plans: [Plan] = []
        for result in results { plans.append(try result.get()) }
        return join(plans, scenario: index.scenario, history: index.history)
    }

    private static func join(_ plans: [Plan], scenario: Scenario, history: History) -> Plan {
        let historyIDs = Set(history.sessions.map(\.id))
        var sessions = history.sessions
        for plan in plans { sessions += plan.roster.sessions.filter { !historyIDs.contains($0.id) } }
        sessions.sort { ($0.date, $0.start, $0.group, $0.section) < ($1.date, $1.start, $1.group, $1.section) }
        let weeks = Dictionary(
            plans.flatMap(\.roster.clients).map { ($0.client, $0) }, uniquingKeysWith: { first, _ in first })
        let roster = Roster(
            program: scenario.program.name, weekOf: scenario.program.weekOf, sessions: sessions,
            clients: scenario.clients.compactMap { weeks[$0.id] })
        let tiers = Set(plans.flatMap { $0.solver.stages.map(\.tier) }).sorted()
        let stages = tiers.map { tier -> StageSummary in
            let parts = plans.compactMap { $0.solver.stages.first { $0.tier == tier } }
            let objective = parts.allSatisfy { $0.objective != nil } ? parts.compactMap(\.objective).reduce(0, +) : nil
            let bound = parts.allSatisfy { $0.bound != nil } ? parts.compactMap(\.bound).reduce(0, +) : nil
            let gap = objective.flatMap { objective in bound.map { abs(objective - $0) / max(abs(objective), 1e-9) } }
            let stopped = parts.first { $0.stopped != .optimal }?.stopped ?? .optimal
            return StageSummary(
                tier: tier, stopped: stopped, objective: objective, bound: bound, gap: gap,
                seconds: parts.map(\.seconds).max() ?? 0, nodes: parts.map(\.nodes).reduce(0, +))
        }
        let statuses = plans.map(\.solver.status)
        let status: SolutionStatus =
            statuses.contains(.none)
            ? (statuses.allSatisfy { $0 == .none } ? .none : .feasible)
            : statuses.allSatisfy { $0 == .optimal } ? .optimal : .feasible
        let summary = SolveSummary(
            status: status, stages: stages, seconds: plans.map(\.solver.seconds).max() ?? 0,
            variables: plans.map(\.solver.variables).reduce(0, +),
            constraints: plans.map(\.solver.constraints).reduce(0, +),
            gap: plans.contains { $0.solver.gap == nil } ? nil : plans.compactMap(\.solver.gap).max() ?? 0,
            parts: plans.count)
        let costs = Family.allCases.compactMap { family -> FamilyCost? in
            let parts = plans.compactMap { $0.objective.first { $0.family == family } }
            guard let first = parts.first else { return nil }
            let amount = parts.map(\.amount).reduce(0, +)
            return FamilyCost(
                family: family, tier: first.tier, amount: amount, unit: first.unit, weight: first.weight,
                cost: amount * first.weight)
        }
        return Plan(
            roster: roster, solver: summary, shortfalls: plans.flatMap(\.shortfalls), objective: costs,
            locksNotHeld: WeekLocks(WeekIndex(scenario, history: history)).notHeld)
    }
}
