import Foundation
import GLPKSolver
import IOPDomain
import RosterSolver

/// Re-plans a published roster when the week changes: applies the events, keeps what
/// already happened, and finds the best roster that changes as little of what clients
/// and staff were told as the higher tiers allow. What-if runs are the same call; the
/// caller simply does not save the result.
public enum Planner {
    public static func replan(
        _ scenario: Scenario, roster: Roster, events: [Event], now: DateTime,
        options: PlanOptions = PlanOptions(),
        remindersAt: ClockTime = ClockTime(minutes: 16 * 60)
    ) throws(PlanningError) -> Replan {
        let updated = scenario.applying(events)
        let baseline = Baseline(roster: roster, now: now, remindersAt: remindersAt)
        let plan = try verified(solve(updated, baseline: baseline, options: options), against: updated, settled: now)
        let changes = ChangeList(
            before: roster, after: plan.roster, baseline: baseline, scenario: updated, events: events
        ).changes()
        return Replan(plan: plan, scenario: updated, events: events.map(\.summary), changes: changes)
    }
}

extension Planner {
    /// Make-up sessions: re-plans from `asOf` with the hours clients actually attended
    /// (`attended` minutes), so tier 1 adds the sessions
    /// that bring at-risk clients back to their minimum within capacity, availability and
    /// the payer maximum, and the stability tier keeps everything else as published.
    /// `events` (such as logged review decisions) apply as in ``replan(_:roster:events:now:options:remindersAt:)``.
    /// The changes are the proposal; saving the new roster applies it.
    public static func makeUp(
        _ scenario: Scenario, roster: Roster, attended: [SessionMember: Int], asOf: DateTime,
        events: [Event] = [], options: PlanOptions = PlanOptions()
    ) throws(PlanningError) -> Replan {
        let updated = scenario.applying(events)
        let baseline = Baseline(roster: roster, now: asOf, attended: attended)
        let plan = try verified(
            solve(updated, baseline: baseline, options: options), against: updated, settled: asOf,
            attended: attended)
        let changes = ChangeList(
            before: roster, after: plan.roster, baseline: baseline, scenario: updated, events: events
        ).changes()
        return Replan(plan: plan, scenario: updated, events: events.map(\.summary), changes: changes)
    }
}

/// A re-planned week: the new plan, the scenario as changed by the events, and every
/// change to what was published.
public struct Replan: Sendable, Encodable {
    public let plan: Plan
    public let scenario: Scenario
    public let events: [String]
    public let changes: [Change]

    private enum CodingKeys: String, CodingKey { case events, changes, messages }

    public func encode(to encoder: Encoder) throws {
        try plan.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(events, forKey: .events)
        try container.encode(changes, forKey: .changes)
        try container.encode(messages, forKey: .messages)
    }

    /// One message per person whose published schedule changed, for the messaging gateway.
    public var messages: [Message] {
        let urgent = changes.filter(\.published)
        let people = Set(urgent.map(\.person)).sorted()
        return people.map { person in
            let mine = urgent.filter { $0.person == person }
            return Message(to: person, text: "Schedule change: " + mine.map(\.notice).joined(separator: "; ") + ".")
        }
    }
}

/// A message to one client or facilitator, by ID.
public struct Message: Sendable, Codable, Equatable {
    public let to: String
    public let text: String
}

extension Planner {
    /// Plans several programs' weeks (sites that share nothing) at once, as many at a
    /// time as the machine has cores, all of them within `options`' time limit; each
    /// roster checked as ``plan(_:options:)`` checks it.
    public static func planAll(_ scenarios: [Scenario], options: PlanOptions = PlanOptions()) -> [Result<
        Plan, PlanningError
    >] {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let rounds = Double((scenarios.count + cores - 1) / cores)
        var each = options
        each.timeLimit = options.timeLimit * 0.95 / max(1, rounds)  // 5% kept for loading and writing
        let shared = each
        return concurrentMap(scenarios.count) { index in
            Result { () throws(PlanningError) -> Plan in try plan(scenarios[index], options: shared) }
        }
    }
}
