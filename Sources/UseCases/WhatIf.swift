import IOPDomain
import Planner
import RosterSolver

/// What-ifs: re-plans tried and never saved.
public enum WhatIf {
    /// Every facilitator's one-day absence on `day`, each re-planned from `now` in parallel,
    /// worst first; a facilitator whose re-plan failed is returned with why.
    public static func rankAbsences(
        _ scenario: Scenario, roster: Roster, on day: LocalDate, now: DateTime, options: PlanOptions,
        remindersAt: ClockTime = ClockTime(minutes: 16 * 60)
    ) throws(UseCaseError) -> AbsenceRanking {
        let today: Replan
        do {
            today = try Planner.replan(
                scenario, roster: roster, events: [], now: now, options: options, remindersAt: remindersAt)
        } catch {
            throw .planning(error)
        }
        guard today.plan.solver.status != .none else { throw .noRoster }
        let facilitators = scenario.facilitators
        let results = concurrentMap(facilitators.count) { index -> Result<Replan, PlanningError> in
            let event = Event(
                at: now, change: .facilitatorAbsence(facilitators[index].id, Absence(from: day, to: day)))
            return Result { () throws(PlanningError) -> Replan in
                try Planner.replan(
                    scenario, roster: roster, events: [event], now: now, options: options, remindersAt: remindersAt)
            }
        }
        var ranked: [AbsenceRanking.Row] = []
        var failed: [AbsenceRanking.Failure] = []
        for (index, facilitator) in facilitators.enumerated() {
            switch results[index] {
            case .success(let result) where result.plan.solver.status != .none:
                ranked.append(
                    AbsenceRanking.Row(
                        facilitator: facilitator.id,
                        impact: Impact(today: today, result: result, absent: facilitator.id, on: day)))
            case .success:
                failed.append(.init(facilitator: facilitator.id, reason: "no roster within the time limit"))
            case .failure(let error):
                failed.append(.init(facilitator: facilitator.id, reason: error.description))
            }
        }
        return AbsenceRanking(
            day: day, rows: ranked.sorted { $0.impact > $1.impact }, notRanked: failed)
    }
}

/// Every facilitator's one-day absence ranked by how much worse it leaves the week.
public struct AbsenceRanking: Sendable, Encodable {
    public struct Row: Sendable, Encodable {
        public let facilitator: FacilitatorID
        public let impact: Impact
    }

    public struct Failure: Sendable, Encodable {
        public let facilitator: FacilitatorID
        public let reason: String
    }

    public let day: LocalDate
    /// Worst first.
    public let rows: [Row]
    /// Absences that could not be re-planned, with why.
    public let notRanked: [Failure]
}

/// How much worse a re-plan leaves the week than today's roster.
public struct Impact: Comparable, Sendable, Encodable {
    public let hoursShort: Double
    public let planShort: Double
    public let sessionsLed: Int
    public let changes: Int
    public let published: Int

    public init(today: Replan, result: Replan, absent: FacilitatorID, on day: LocalDate) {
        func amount(_ plan: Plan, _ families: [Family]) -> Double {
            plan.objective.filter { families.contains($0.family) }.reduce(0) { $0 + $1.amount }
        }
        hoursShort = amount(result.plan, [.weeklyHours]) - amount(today.plan, [.weeklyHours])
        planShort = amount(result.plan, [.treatmentPlan]) - amount(today.plan, [.treatmentPlan])
        sessionsLed = today.plan.roster.sessions.filter { $0.date == day && $0.facilitators.contains(absent) }.count
        changes = result.changes.count
        published = result.changes.filter(\.published).count
    }

    public static func < (a: Impact, b: Impact) -> Bool {
        (a.hoursShort, a.planShort, a.changes) < (b.hoursShort, b.planShort, b.changes)
    }
}
