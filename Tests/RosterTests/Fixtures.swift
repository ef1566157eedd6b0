import Foundation
import IOPDomain
import RosterSolver
import RosterValidator
import ScenarioFile
import TestSupport
import Testing

/// A scenario from YAML text; a test failure (with every issue) when it does not load.
func scenario(_ yaml: String, file: String = "test.yaml") throws -> Scenario {
    do {
        return try ScenarioLoader.parse(yaml, file: file)
    } catch {
        Issue.record("scenario did not load:\n\(error.description)")
        throw error
    }
}

/// Every issue loading the YAML text reports, as printed; empty when it loads.
func scenarioIssues(_ yaml: String, file: String = "bad.yaml") -> [String] {
    do {
        _ = try ScenarioLoader.parse(yaml, file: file)
        return []
    } catch {
        return error.issues.map(\.description)
    }
}

/// A one-to-three-object program: Monday only (unless `days` says otherwise), two 90-minute
/// blocks and a 60-minute one, one large room, and no soft targets unless the test sets them.
func tiny(
    days: String = "[mon]", rooms: String = "[{id: r1, capacity: 12}]",
    policy: String = "{min_participants: 1, billable_day_min_hours: 0, min_days_per_week: 0, min_hours_per_week: 0}",
    groups: String, offerings: String, facilitators: String, clients: String
) -> String {
    """
    program:
      name: Tiny
      week_of: 2026-12-07
      days: \(days)
      blocks:
        - {id: b1, start: "09:00", end: "10:30"}
        - {id: b2, start: "10:45", end: "12:15"}
        - {id: b3, start: "10:00", end: "11:00"}
      rooms: \(rooms)
      policy: \(policy)
    groups:
    \(groups)
    offerings:
    \(offerings)
    facilitators:
    \(facilitators)
    clients:
    \(clients)
    """
}

/// Plans the scenario and checks the roster with the independent validator.
func planAndValidate(_ scenario: Scenario, timeLimit: Double = 60) throws -> Plan {
    let plan = try RosterSolver.plan(scenario, options: PlanOptions(timeLimit: timeLimit))
    let violations = RosterValidator.check(plan.roster, against: scenario)
    #expect(violations.isEmpty, "validator: \(violations.joined(separator: "; "))")
    return plan
}

extension Plan {
    func sessions(of group: String) -> [Session] { roster.sessions.filter { $0.group.rawValue == group } }
    func week(of client: String) -> ClientWeek? { roster.clients.first { $0.client.rawValue == client } }
    func attends(_ client: String, _ group: String, on day: Weekday? = nil) -> Bool {
        roster.sessions.contains {
            $0.group.rawValue == group && (day == nil || $0.day == day) && $0.members.contains(ClientID(client))
        }
    }
    func cost(_ family: Family) -> Double { objective.first { $0.family == family }?.amount ?? 0 }
}

/// The bundled scenario of that file name.
func bundled(_ name: String) throws -> Scenario { try bundledScenario(name) }
