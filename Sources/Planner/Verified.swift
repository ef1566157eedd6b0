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

    public var description: String {
        switch self {
        case .solver(let error): error.description
        case .rejected(let violations):
            "the planned roster breaks \(violations.count) hard rule\(violations.count == 1 ? "" : "s") and was not written "
                + "(a fault in the solver; please report it with the scenario):\n"
                + violations.capped().map { "  - \($0)" }.joined(separator: "\n")
        }
    }
}

extension Planner {
    /// Plans a week and hands it back only if the independent validator passes it.
    public static func plan(_ scenario: Scenario, options: PlanOptions = PlanOptions()) throws(PlanningError) -> Plan {
        try verified(solve(scenario, baseline: nil, options: options), against: scenario)
    }

    /// The solver's plan, its failure as a ``PlanningError``.
    static func solve(_ scenario: Scenario, baseline: Baseline?, options: PlanOptions) throws(PlanningError) -> Plan {
        do { return try RosterSolver.plan(scenario, options: options, baseline: baseline) } catch { throw .solver(error) }
    }

    /// The plan, if its roster breaks no hard rule of `scenario`; sessions that started
    /// before `settled` are what happened, at the minutes `attended`
    /// (``RosterValidator/check(_:against:settled:attended:)``).
    static func verified(_ plan: Plan, against scenario: Scenario, settled: DateTime? = nil,
                         attended: [String: Int] = [:]) throws(PlanningError) -> Plan {
        let violations = RosterValidator.check(plan.roster, against: scenario, settled: settled, attended: attended)
        guard violations.isEmpty else { throw .rejected(violations: violations) }
        return plan
    }
}
