import IOPDomain
import MIP

/// A planned week: the roster, how the solve went, every shortfall with its reasons, and
/// what each soft family cost.
///
/// Encoded flat: the roster's keys (`program`, `week_of`, `sessions`, `clients`) beside
/// `solver`, `shortfalls` and `objective`, so the same file decodes as a ``Roster``.
public struct Plan: Sendable, Encodable {
    public let roster: Roster
    public let solver: SolveSummary
    public let shortfalls: [Shortfall]
    public let objective: [FamilyCost]
    /// Each lock the week no longer allows, with why: "wed-am1-process-A is locked, but f-lee is absent then".
    public let locksNotHeld: [String]

    private enum CodingKeys: String, CodingKey {
        case solver, shortfalls, objective
        case locksNotHeld = "locks_not_held"
    }

    public func encode(to encoder: Encoder) throws {
        try roster.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(solver, forKey: .solver)
        try container.encode(shortfalls, forKey: .shortfalls)
        try container.encode(objective, forKey: .objective)
        if !locksNotHeld.isEmpty { try container.encode(locksNotHeld, forKey: .locksNotHeld) }
    }
}

/// How the lexicographic solve went: one stage per tier, each minimizing its tier with
/// the tiers above held at their optimum.
public struct SolveSummary: Sendable, Codable {
    /// optimal when every stage proved optimality; feasible when some stage stopped early;
    /// none when no roster was found (the roster is then empty).
    public let status: SolutionStatus
    public let stages: [StageSummary]
    public let seconds: Double
    public let variables: Int
    public let constraints: Int
    /// The largest relative gap over the stages; 0 when proven optimal; nil when a stage
    /// found no solution of its own (the roster is then the previous stage's).
    public let gap: Double?
    /// Independent parts the week was split into and solved separately (1 when it did not separate).
    public let parts: Int
}

public struct StageSummary: Sendable, Codable {
    public let tier: Int
    public let stopped: TerminationReason
    public let objective: Double?
    public let bound: Double?
    public let gap: Double?
    public let seconds: Double
    public let nodes: Int

    /// What the stage established about its tier.
    public enum Outcome: Sendable, Equatable {
        /// No roster does better on this tier (with the tiers above held).
        case best
        /// The roster is at most this far above the best possible, in the tier's points.
        case within(Double)
        /// A roster of its own, but no bound to measure it against.
        case unproven
        /// No roster of its own: the previous stage's roster stands for this tier.
        case keptPrevious
        /// The time ran out before the stage could start.
        case notRun
    }

    public var outcome: Outcome {
        if stopped == .optimal { return .best }
        guard let objective else { return seconds == 0 && nodes == 0 ? .notRun : .keptPrevious }
        guard let bound else { return .unproven }
        return .within(max(0, objective - bound))
    }

    /// The outcome in the coordinator's words: `client hours and days best possible`,
    /// `treatment plans within 2 points of the best`.
    public var proven: String {
        let title =
            switch tier {
            case 0: "pins"
            case 1: "client hours and days"
            case 2: "treatment plans"
            case 3: "stability and continuity"
            default: "sections, staff load and preferences"
            }
        return switch outcome {
        case .best: "\(title) best possible"
        case .within(let points):
            "\(title) within \(((points * 100).rounded() / 100).compact) point\(points == 1 ? "" : "s") of the best"
        case .unproven: "\(title) not shown best"
        case .keptPrevious: "\(title) not searched to the end (the roster above kept)"
        case .notRun: "\(title) not searched (time ran out)"
        }
    }
}

extension StageSummary {
    init(_ solution: Solution, tier: Int) {
        self.init(
            tier: tier, stopped: solution.termination, objective: solution.objective, bound: solution.bound,
            gap: solution.relativeGap, seconds: solution.statistics.seconds, nodes: solution.statistics.nodes)
    }

    /// This stage with its search run a second time (`again`, from the stage's roster or a
    /// better one): the better roster, the higher bound, the time and nodes of both; proven
    /// when the bound, rounded up to the objective's `step`, reaches the roster.
    func resumed(by again: Solution, step: Double?) -> StageSummary {
        let objective = [self.objective, again.objective].compactMap { $0 }.min()
        let bound = [self.bound, again.bound].compactMap { $0 }.max()
        var proven = again.termination == .optimal && again.objective != nil
        if let objective, let bound { proven = proven || RosterSolver.proves(bound, objective, step: step) }
        let gap = proven ? 0 : objective.flatMap { o in bound.map { abs(o - $0) / max(abs(o), 1e-9) } }
        return StageSummary(
            tier: tier, stopped: proven ? .optimal : again.termination, objective: objective,
            bound: proven ? objective : bound, gap: gap, seconds: seconds + again.statistics.seconds,
            nodes: nodes + again.statistics.nodes)
    }
}

/// What a target or a shortfall counts, written as its name ("hours").
public enum Measure: String, Sendable, Codable {
    case hours, days, sessions, sections, changes
}

/// One soft family's part of the objective: `amount` in `unit`, times `weight`.
public struct FamilyCost: Sendable, Codable, Equatable {
    public let family: Family
    public let tier: Int
    public let amount: Double
    public let unit: Measure
    public let weight: Double
    public let cost: Double
}

/// A client below one of their targets, by how much, and why.
public struct Shortfall: Sendable, Codable, Equatable {
    public enum Rule: String, Sendable, Codable {
        /// A time of a group the coordinator pinned the client to.
        case pinned
        case weeklyHours = "weekly_hours"
        case billableDay = "billable_day"
        case minimumDays = "minimum_days"
        case treatmentPlan = "treatment_plan"
    }

    public let client: ClientID
    public let rule: Rule
    public let target: Double
    public let scheduled: Double
    public let unit: Measure
    /// The day, for a billable-day shortfall.
    public let day: Weekday?
    /// The group, for a treatment-plan shortfall or a pin.
    public let group: GroupID?
    public let reasons: [String]
    /// The stage of the rule's tier stopped before proving its best, so the shortfall is
    /// not shown to be unavoidable.
    public let searchStopped: Bool
    /// The whole explanation as one sentence.
    public let message: String

    public var amount: Double { target - scheduled }
}

extension Shortfall.Rule {
    /// The tier of the soft rule.
    public var tier: Int {
        switch self {
        case .pinned: 0
        case .weeklyHours, .billableDay, .minimumDays: 1
        case .treatmentPlan: 2
        }
    }
}

/// How to plan.
public struct PlanOptions: Sendable {
    /// Wall-clock seconds for all stages together.
    public var timeLimit: Double
    /// Relative gap at which each stage may stop.
    public var relativeGap: Double
    /// A directory to write each stage's model to (`tier1.lp`, ...), with the tiers above
    /// held, so another solver can check every stage.
    public var stageModels: String?
    /// Receives progress and may stop the solve (the best roster so far is returned);
    /// `tier` says which stage reports.
    public var monitor: (@Sendable (_ tier: Int) -> SolveMonitor)?

    public init(
        timeLimit: Double = 60, relativeGap: Double = 0, stageModels: String? = nil,
        monitor: (@Sendable (_ tier: Int) -> SolveMonitor)? = nil
    ) {
        self.timeLimit = timeLimit
        self.relativeGap = relativeGap
        self.stageModels = stageModels
        self.monitor = monitor
    }
}
