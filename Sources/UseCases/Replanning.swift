import IOPDomain
import OperationsRecord
import Planner
import RosterSolver
import ScenarioFile

/// A re-plan of the record's published roster, not yet published.
public struct Proposal: Sendable {
    public let replan: Replan
    /// The published version it was re-planned from: it is published only while that
    /// version is still the latest.
    public let based: Int64
    /// The new events it takes up, each with its source for the record.
    public let events: [(event: Event, source: String)]
    /// How the version it is published as came to be (a re-plan when nil).
    public var origin: RosterOrigin? = nil
}

/// Re-planning the record's week after events, for every interface.
public enum Replanning {
    /// Re-plans the published roster of `store` from `now` after the events of `eventsText`
    /// (an events document, YAML or JSON, named `label` in its problems), read against the
    /// week as the record knows it, and the news the record has not rostered yet.
    public static func propose(
        in store: RecordStore, base: Scenario, eventsText: String?, label: String, now: DateTime,
        options: PlanOptions, remindersAt: ClockTime = ClockTime(minutes: 16 * 60)
    ) throws(UseCaseError) -> Proposal {
        let week = try RecordWeek.load(base, from: store)
        let published = try Publishing.latest(in: store)
        var new: [(event: Event, source: String)] = []
        if let eventsText {
            do {
                new = try EventsLoader.parseWithSources(eventsText, file: label, for: week.scenario)
            } catch {
                throw .invalid(error)
            }
        }
        let result: Replan
        do {
            result = try Planner.replan(
                week.scenario, roster: published.roster, events: week.news + new.map(\.event), now: now,
                options: options, remindersAt: remindersAt)
        } catch {
            throw .planning(error)
        }
        guard result.plan.solver.status != .none else { throw .noRoster }
        return Proposal(replan: result, based: published.version, events: new)
    }

    /// Publishes a proposal as the next version, with its events kept, while the version it
    /// was re-planned from is still the latest published one.
    public static func publish(_ proposal: Proposal, in store: RecordStore, by user: String) throws(UseCaseError)
        -> Int64
    {
        try Publishing.publish(
            proposal.replan.plan.roster, in: store, against: proposal.replan.scenario, label: "the re-planned roster",
            replacing: proposal.based, origin: proposal.origin, events: proposal.events, by: user)
    }
}
