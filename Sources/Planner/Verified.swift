import GLPKSolver
import IOPDomain
import RosterSolver
import RosterValidator

/// Why planning gave no roster that may leave the tool.
public enum PlanningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The solver could not run (an invalid model or option, an unwritable stage model).
    case solver(SolverError)
    /// The independent validator found these hard rules broken: the roster is withheld,
    /// never written or published.
    case rejected(violations: [String])
    /// The week has more places to decide (each slot times the people who might fill it)
    /// than one model can be built and solved for within a time limit.
    case tooLarge(places: Int, limit: Int)

    public var description: String {
        switch self {
        case .solver(let error): error.description
        case .rejected(let violations):
            "the planned roster breaks \(violations.count) hard rule\(violations.count == 1 ? "" : "s") and was not written "
                + "(a fault in the solver; please report it with the scenario):\n"
                + violations.capped().map { "  - \($0)" }.joined(separator: "\n")
        case .tooLarge(let places, let limit):
            "the week has \(places) places to decide (each slot of an offering times its clients and facilitators), "
                + "more than the \(limit) one plan can hold; nothing was planned: plan each site or track as its own "
                + "scenario (iop plan FOLDER plans them together)"
        }
    }
}

extension Planner {
    /// Plans a week and hands it back only if the independent validator passes it.
    public static func plan(_ scenario: Scenario, options: PlanOptions = PlanOptions()) throws(PlanningError) -> Plan {
        try verified(solve(scenario, baseline: nil, options: options), against: scenario)
    }

    /// The most places one plan holds: twenty times the bundled 120-client week, beyond
    /// which building and checking the model alone outlasts the time limits coordinators
    /// use (docs/speed.md).
    public static let mostPlaces = 100_000

    /// The solver's plan, its failure as a ``PlanningError``; a week over ``mostPlaces``
    /// is refused before anything is built.
    static func solve(_ scenario: Scenario, baseline: Baseline?, options: PlanOptions) throws(PlanningError) -> Plan {
        let places = self.places(scenario)
        guard places <= mostPlaces else { throw .tooLarge(places: places, limit: mostPlaces) }
        do { return try RosterSolver.plan(scenario, options: options, baseline: baseline) } catch {
            throw .solver(error)
        }
    }

    /// An upper bound on the decisions of the week: every slot the offerings open, times
    /// the clients and facilitators who might fill it.
    static func places(_ scenario: Scenario) -> Int {
        let slots = scenario.offerings.reduce(0) { $0 + $1.days.count * $1.blocks.count }
        return slots * (scenario.clients.count + scenario.facilitators.count)
    }

    /// The plan, if its roster breaks no hard rule of `scenario`; sessions that started
    /// before `settled` are what happened, at the minutes `attended`
    /// (``RosterValidator/check(_:against:settled:attended:)``).
    static func verified(
        _ plan: Plan, against scenario: Scenario, settled: DateTime? = nil,
        attended: [SessionMember: Int] = [:]
    ) throws(PlanningError) -> Plan {
        let violations = RosterValidator.check(plan.roster, against: scenario, settled: settled, attended: attended)
        guard violations.isEmpty else { throw .rejected(violations: violations) }
        return plan
    }
}
