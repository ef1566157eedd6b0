import Foundation
import IOPDomain
import OperationsRecord
import RosterValidator
import ScenarioFile

/// The week as the record knows it, and what a re-plan gives as its reasons.
public struct RecordWeek: Sendable {
    /// The scenario with every event in effect applied, then the review decisions logged
    /// (iop auth decide), and each payer's per-diem rule (iop payer) as its clients' day rules.
    public var scenario: Scenario
    /// The review decisions and the events kept that no published roster has taken up yet
    /// (a census import): already in `scenario`, given to the planner for its reasons.
    public var news: [Event]

    public init(scenario: Scenario, news: [Event]) {
        self.scenario = scenario
        self.news = news
    }

    /// `base` (the scenario the record's rosters are planned from) as the record has changed it.
    public static func load(_ base: Scenario, from store: RecordStore) throws(UseCaseError) -> RecordWeek {
        let stored = try recording { try store.events().inEffect }
        let replayed: (scenario: Scenario, events: [[Event]])
        do {
            replayed = try EventsLoader.replayed(stored.map(\.source), on: base)
        } catch {
            throw .storedEventsNoLongerFit(error)
        }
        var current = replayed.scenario
        let decisions = try recording { try store.decisionEvents(for: current) }
        current = current.applying(decisions)
        current.program.policy.payers = try recording { try store.payerDayRules() }
        let pending = zip(stored, replayed.events).filter { $0.0.rosterVersion == nil }.flatMap(\.1)
        return RecordWeek(scenario: current, news: decisions + pending)
    }

    /// Loads a week into the record: its census, authorizations and discharge checklists,
    /// and `copy` (the scenario without names, ``ScenarioWriter/recordCopy(_:)``) as the
    /// week's scenario, entered by `user`.
    public static func importWeek(_ scenario: Scenario, copy: String?, by user: String, into store: RecordStore)
        throws(UseCaseError)
    {
        try recording {
            try store.importScenario(scenario, text: copy, by: user)
            try store.importAuthorizations(scenario)
            try store.importDischarges(scenario)
        }
    }

    /// The scenario the record keeps for its week (``RecordStore/weekScenario()``), read back.
    public static func keptScenario(in store: RecordStore) throws(UseCaseError) -> Scenario {
        guard let text = try recording({ try store.weekScenario() }) else { throw .noWeekScenario }
        do {
            return try ScenarioLoader.parse(text, file: "the record's week")
        } catch {
            throw .storedEventsNoLongerFit(error)
        }
    }
}

/// What publishing checks and does, for every interface.
public enum Publishing {
    /// The record's latest published version and its roster.
    public static func latest(in store: RecordStore) throws(UseCaseError) -> (version: Int64, roster: Roster) {
        guard let published = try recording({ try store.publishedRoster() }) else { throw .noPublishedRoster }
        return published
    }

    /// Every reason `roster` cannot be stored in the record: not for its program and week,
    /// or breaking a hard rule of `scenario` (the week as the record knows it) by the
    /// independent validator. Empty when it may be stored.
    public static func violations(of roster: Roster, in store: RecordStore, against scenario: Scenario)
        throws(UseCaseError) -> [String]
    {
        var violations = RosterValidator.check(roster, against: scenario)
        if let program = try recording({ try store.program() }),
            program.name != roster.program || program.weekOf != roster.weekOf
        {
            violations.insert(
                "the record is for \(program.name), week of \(program.weekOf); the roster for \(roster.program), "
                    + "week of \(roster.weekOf)", at: 0)
        }
        return violations
    }

    /// Publishes `roster` as the next version once it passes ``violations(of:in:against:)``;
    /// with `based`, only while that version is still the latest published one. The events
    /// it was re-planned after are kept with it, entered by `user`, and the census follows
    /// `scenario` (the week with every event applied).
    public static func publish(
        _ roster: Roster, in store: RecordStore, against scenario: Scenario, label: String,
        replacing based: Int64?, origin: RosterOrigin? = nil, events: [(event: Event, source: String)] = [],
        by user: String
    ) throws(UseCaseError) -> Int64 {
        let violations = try violations(of: roster, in: store, against: scenario)
        guard violations.isEmpty else { throw .violations(label: label, violations) }
        return try recording {
            guard !events.isEmpty else {
                return try store.saveRoster(roster, published: true, replacing: based, origin: origin, by: user)
            }
            return try store.publish(
                roster, replacing: based,
                events: events.map { NewEvent(at: $0.event.at, summary: $0.event.summary, source: $0.source) },
                enteredBy: user, scenario: scenario)
        }
    }
}
