import ArgumentParser
import Foundation
import GLPKSolver
import IOPDomain
import Planner
import RosterSolver
import ScenarioFile
import UseCases

/// What `replan` and `whatif` share: the scenario, the published roster, the moment.
struct ReplanInputs: ParsableArguments {
    @Argument(help: "The scenario file the roster was planned from.")
    var scenario: String

    @Option(help: "The published roster (JSON from iop plan or iop replan).")
    var roster: String?

    @Option(
        help:
            "Take the published roster from this record instead of --roster; the review decisions logged there apply too."
    )
    var record: String?

    @Option(help: "The moment of the re-plan, YYYY-MM-DDTHH:MM; sessions that started before it never change.")
    var now: DateTime

    @Option(help: "When the day's reminders go out (HH:MM); after it, tomorrow counts as published.")
    var remindersAt: ClockTime = ClockTime(minutes: 16 * 60)

    @Option(
        name: .customLong("with-events"),
        help: "Events already in effect from earlier re-plans (repeatable); applied to the scenario first.")
    var withEvents: [String] = []

    @OptionGroup var limits: SolveLimits

    func validate() throws {
        guard (roster == nil) != (record == nil) else {
            throw ValidationError("give exactly one of --roster and --record")
        }
    }

    var moment: DateTime { now }
    var reminders: ClockTime { remindersAt }

    func loadRoster() throws -> Roster { try loadBase().roster }

    /// The roster to re-plan, with its version when it comes from --record.
    func loadBase() throws -> (version: Int64?, roster: Roster) {
        if let record {
            let published = try requirePublished(openRecord(record), record)
            return (published.version, published.roster)
        }
        return (nil, try readRoster(roster ?? ""))
    }

    /// The scenario with the events already in effect applied: those stored in --record,
    /// then any --with-events files.
    func loadScenarioInEffect() throws -> Scenario { try loadWeek().scenario }

    /// ``loadScenarioInEffect()``, with the record's news for the planner's reasons (none without --record).
    func loadWeek() throws -> RecordWeek {
        var week = RecordWeek(scenario: try loadScenario(scenario), news: [])
        if let record { week = try weekInRecord(week.scenario, openRecord(record), record) }
        for path in withEvents { week.scenario = week.scenario.applying(try loadEvents(path, for: week.scenario)) }
        return week
    }

    func replan(_ scenario: Scenario, _ roster: Roster, _ events: [Event]) throws -> Replan {
        let options = try limits.options()
        Interrupt.install()
        return try planned {
            try Planner.replan(
                scenario, roster: roster, events: events, now: moment, options: options, remindersAt: reminders)
        }
    }
}

struct ReplanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replan",
        abstract:
            "Re-plan a published roster after events: keep the past, change as little of what was announced as possible.",
        discussion:
            "Prints the events, every change with its reason (published ones first: tell those people now), the messages to send, then the new plan in the chosen format. The new roster can be saved with --out and re-planned again."
    )

    @OptionGroup var inputs: ReplanInputs

    @Option(
        help: "The events file (YAML or JSON); without it, the week as it stands (after an event was withdrawn, say).")
    var events: String?

    @Option(help: "Output format: text, json or csv.")
    var format: PlanFormat = .text

    @Option(help: "Write the output to this file (owner-readable only) instead of standard output.")
    var out: String?

    @Flag(help: "With --record: publish the new roster there as the next version.")
    var publish = false

    func validate() throws {
        guard !publish || inputs.record != nil else { throw ValidationError("--publish needs --record") }
    }

    func run() throws {
        // Publishing holds the record's planning lock from the week read to the version stored.
        guard publish, let record = inputs.record else { return try replan() }
        try whilePlanning(try openRecord(record), record) { try replan() }
    }

    private func replan() throws {
        let week = try inputs.loadWeek()
        let scenario = week.scenario
        let (based, roster) = try inputs.loadBase()
        let new = try events.map { try loadEventsWithSources($0, for: scenario) } ?? []
        let result = try inputs.replan(scenario, roster, week.news + new.map(\.event))
        try requireRoster(result.plan)
        let output: String =
            switch format {
            case .text:
                ReplanText(result: result).render() + "\n\n"
                    + PlanText(scenario: result.scenario, plan: result.plan).render()
            case .json: String(decoding: try Roster.encoder().encode(result), as: UTF8.self)
            case .csv: RosterCSV(roster: result.plan.roster).render()
            }
        // The file first: a version is published only once everything else has gone through.
        try emit(output, to: out)
        if publish, let record = inputs.record, let based {
            let version = try publishRoster(
                result.plan.roster, in: openRecord(record), record, replacing: based,
                events: new, scenario: result.scenario)
            printError(
                "\(record): roster version \(version) published"
                    + (new.isEmpty ? "" : " with \(new.count) event\(new.count == 1 ? "" : "s") kept"))
        }
    }
}

struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Answer a what-if without saving anything: what breaks, the best repair, and what it costs.",
        discussion:
            "Give --events FILE, or --absent FACILITATOR --on DATE for a one-day absence, or --each-facilitator --on DATE to rank every facilitator's one-day absence by its impact (runs on all cores)."
    )

    @OptionGroup var inputs: ReplanInputs

    @Option(help: "An events file to try.")
    var events: String?

    @Option(help: "A facilitator to try absent for a day (with --on).")
    var absent: String?

    @Option(help: "The day of the absence, YYYY-MM-DD.")
    var on: LocalDate?

    @Flag(help: "Rank every facilitator's one-day absence on --on by its impact.")
    var eachFacilitator = false

    func validate() throws {
        let modes = [events != nil, absent != nil, eachFacilitator].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("give exactly one of --events, --absent or --each-facilitator") }
        if absent != nil || eachFacilitator {
            guard on != nil else { throw ValidationError("--on is needed with --absent and --each-facilitator") }
        }
    }

    func run() throws {
        let scenario = try inputs.loadScenarioInEffect()
        let roster = try inputs.loadRoster()
        if eachFacilitator, let day = on {
            let options = try inputs.limits.options()
            Interrupt.install()
            let ranking = try useCase(inputs.record ?? inputs.scenario) { () throws(UseCaseError) in
                try WhatIf.rankAbsences(
                    scenario, roster: roster, on: day, now: inputs.moment, options: options,
                    remindersAt: inputs.reminders)
            }
            print(render(ranking))
            return
        }
        let today = try inputs.replan(scenario, roster, [])
        try requireRoster(today.plan)
        let tried: [Event]
        if let events {
            tried = try loadEvents(events, for: scenario)
        } else if let absent, let day = on {
            guard scenario.facilitator(FacilitatorID(absent)) != nil else {
                printError(
                    "unknown facilitator '\(absent)'; expected one of: \(scenario.facilitators.map(\.id.rawValue).joined(separator: ", "))"
                )
                throw ExitCodes.invalidInput
            }
            tried = [
                Event(
                    at: inputs.moment, change: .facilitatorAbsence(FacilitatorID(absent), Absence(from: day, to: day)))
            ]
        } else {
            tried = []
        }
        let result = try inputs.replan(scenario, roster, tried)
        try requireRoster(result.plan)
        print(WhatIfText(today: today, result: result, roster: roster).render())
    }

    private func render(_ ranking: AbsenceRanking) -> String {
        var lines = [
            "Impact of a one-day absence on \(ranking.day.weekday.title) \(ranking.day), worst first:",
            "  facilitator       hours short   plan sessions short   sessions led   changes (published)",
        ]
        for row in ranking.rows {
            let impact = row.impact
            lines.append(
                "  " + row.facilitator.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + "  " + "+\(number(impact.hoursShort)) h".padding(toLength: 12, withPad: " ", startingAt: 0)
                    + "  " + "+\(number(impact.planShort))".padding(toLength: 20, withPad: " ", startingAt: 0)
                    + "  " + "\(impact.sessionsLed)".padding(toLength: 13, withPad: " ", startingAt: 0)
                    + "  \(impact.changes) (\(impact.published))")
        }
        if !ranking.notRanked.isEmpty {
            lines +=
                ["", "Not ranked (\(ranking.notRanked.count))"]
                + ranking.notRanked.map { "  \($0.facilitator): \($0.reason)" }
        }
        return lines.joined(separator: "\n")
    }
}

struct RemindersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reminders",
        abstract:
            "Each client's (with --staff, each facilitator's) lineup for a day, every change since the last notified roster flagged.",
        discussion:
            "Text for people, or JSON for an SMS or e-mail gateway. Schedules only, nothing clinical; client IDs unless the scenario gives a preferred name."
    )

    @Argument(help: "The scenario file.")
    var scenario: String

    @Option(help: "The current roster (JSON).")
    var roster: String?

    @Option(
        help:
            "Take the current roster from this record, and the one clients were last told from its previous published version."
    )
    var record: String?

    @Option(name: .customLong("for"), help: "The day, YYYY-MM-DD.")
    var day: LocalDate

    @Option(help: "The roster clients were last notified of, to flag changes.")
    var since: String?

    func validate() throws {
        guard (roster == nil) != (record == nil) else {
            throw ValidationError("give exactly one of --roster and --record")
        }
    }

    @Flag(help: "Each facilitator's lineup instead: the sessions they lead, room and headcount, changes flagged.")
    var staff = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(help: "Write to this file (owner-readable only) instead of standard output.")
    var out: String?

    func run() throws {
        var loaded = try loadScenario(scenario)
        let current: Roster
        let previous: Roster?
        if let record {
            let store = try openRecord(record)
            loaded = try scenarioInRecord(loaded, store, record)
            current = try requirePublished(store, record).roster
            previous = try since.map(readRoster) ?? store.publishedRoster(back: 1)?.roster
        } else {
            current = try readRoster(roster ?? "")
            previous = try since.map(readRoster)
        }
        let date = day
        let output: String
        if staff {
            let reminders = StaffReminder.make(for: date, roster: current, since: previous)
            output = try render(reminders.map(\.text), as: reminders)
        } else {
            let reminders = Reminder.make(for: date, roster: current, since: previous, scenario: loaded)
            output = try render(reminders.map(\.text), as: reminders)
        }
        try emit(output, to: out)
    }

    private func render(_ texts: [String], as value: some Encodable) throws -> String {
        switch format {
        case .text: texts.isEmpty ? "No sessions on \(day)." : texts.joined(separator: "\n\n")
        case .json: String(decoding: try Roster.encoder().encode(value), as: UTF8.self)
        }
    }
}
