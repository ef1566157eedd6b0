import Foundation
import IOPDomain
import Planner
import RosterSolver
import RosterValidator
import ScenarioFile
import TestSupport
import Testing

private let root = repositoryRoot

private func bundled(_ name: String) throws -> Scenario { try bundledScenario(name) }

private func events(_ yaml: String, for scenario: Scenario) throws -> [Event] {
    try EventsLoader.parse(yaml, file: "events.yaml", for: scenario)
}

private func at(_ text: String) -> DateTime { DateTime(iso: text)! }

/// Re-plans and checks the whole new roster with the independent validator.
private func replan(_ scenario: Scenario, _ roster: Roster, _ events: [Event], now: String) throws -> Replan {
    let result = try Planner.replan(scenario, roster: roster, events: events, now: at(now))
    let violations = RosterValidator.check(result.plan.roster, against: result.scenario)
    #expect(violations.isEmpty, "validator: \(violations.joined(separator: "; "))")
    return result
}

/// (date, block, group) -> members, for comparing rosters slot by slot.
private func placements(_ roster: Roster, from: DateTime? = nil) -> Set<String> {
    Set(
        roster.sessions.filter { session in
            from.map { DateTime(date: session.date, time: session.start) >= $0 } ?? true
        }.flatMap { session in session.members.map { "\(session.date) \(session.block) \(session.group) \($0)" } })
}

@Suite("Re-planning")
struct PlannerTests {
    static let riverbend = try! bundled("riverbend-small.yaml")
    /// The week as published on Monday (a file, so the tests start from one roster whichever
    /// of the equally good rosters the solver would pick today).
    static let published = try! Roster.decoder().decode(
        Roster.self,
        from: Data(contentsOf: root.appendingPathComponent("Scenarios/rosters/riverbend-small-published.json")))

    @Test("no events means no changes")
    func noEventsNoChanges() throws {
        let result = try replan(Self.riverbend, Self.published, [], now: "2026-12-09T08:00")
        #expect(result.changes.isEmpty)
        #expect(placements(result.plan.roster) == placements(Self.published))
    }

    @Test("a session before now never changes, whatever the events")
    func pastNeverChanges() throws {
        let absence = try events(
            """
            events:
              - {at: 2026-12-09T07:00, facilitator_absence: {facilitator: f-lee, from: 2026-12-07, to: 2026-12-11}}
            """, for: Self.riverbend)
        let result = try Planner.replan(
            Self.riverbend, roster: Self.published, events: absence, now: at("2026-12-09T08:00"))
        let cutoff = at("2026-12-09T08:00")
        let past = { (roster: Roster) in
            roster.sessions.filter { DateTime(date: $0.date, time: $0.start) < cutoff }
        }
        #expect(past(result.plan.roster) == past(Self.published))
        #expect(
            !result.plan.roster.sessions.contains {
                DateTime(date: $0.date, time: $0.start) >= cutoff && $0.facilitators.contains("f-lee")
            })
    }

    @Test("one absence changes only what it must; planning from scratch moves far more")
    func absenceChangesLittle() throws {
        let absence = try events(
            """
            events:
              - {at: 2026-12-10T07:00, facilitator_absence: {facilitator: f-ortiz, from: 2026-12-10}}
            """, for: Self.riverbend)
        let now = "2026-12-10T07:30"
        let result = try replan(Self.riverbend, Self.published, absence, now: now)
        #expect(
            !result.plan.roster.sessions.contains {
                $0.date == LocalDate(iso: "2026-12-10")! && $0.facilitators.contains("f-ortiz")
            })
        let before = placements(Self.published, from: at(now))
        let after = placements(result.plan.roster, from: at(now))
        let replanMoves = before.symmetricDifference(after).count
        let scratch = try RosterSolver.plan(result.scenario).roster
        let scratchMoves = before.symmetricDifference(placements(scratch, from: at(now))).count
        #expect(replanMoves < scratchMoves)
        // Clients keep their places; those in f-ortiz's sessions only get another facilitator.
        let clientChanges = result.changes.filter { $0.kind != .facilitatorAdded && $0.kind != .facilitatorRemoved }
        #expect(clientChanges.allSatisfy { $0.kind == .moved && $0.reason == "f-ortiz is absent" })
        #expect(result.changes.contains { $0.person == "f-ortiz" && $0.reason == "f-ortiz is absent" })
        // Hours and plans are no worse than before for clients still in the week.
        #expect(result.plan.shortfalls.filter { $0.rule == .weeklyHours }.isEmpty)
    }

    @Test("an admission gets the new client a valid week from the admission day")
    func admission() throws {
        let admission = try events(
            """
            events:
              - at: 2026-12-09T07:00
                admission: {id: c-200, track: adult, plan: {process: 2, dbt: 1}}
            """, for: Self.riverbend)
        let result = try replan(Self.riverbend, Self.published, admission, now: "2026-12-09T08:00")
        let sessions = result.plan.roster.sessions.filter { $0.members.contains("c-200") }
        #expect(!sessions.isEmpty)
        #expect(sessions.allSatisfy { $0.date >= LocalDate(iso: "2026-12-09")! })
        let week = try #require(result.plan.roster.clients.first { $0.client == "c-200" })
        #expect(week.groups["process", default: 0] >= 2 && week.groups["dbt", default: 0] >= 1)
        #expect(week.hours >= 9)  // Wednesday to Friday mornings
        #expect(result.changes.contains { $0.person == "c-200" && $0.kind == .added && $0.reason == "admitted" })
    }

    @Test("a discharge and a step-up free their places; nothing is scheduled after")
    func dischargeAndStepUp() throws {
        let leaving = try events(
            """
            events:
              - {at: 2026-12-09T07:00, discharge: {client: c-101, last_day: 2026-12-09}}
              - {at: 2026-12-09T07:00, step_up: {client: c-102}}
            """, for: Self.riverbend)
        let result = try replan(Self.riverbend, Self.published, leaving, now: "2026-12-09T08:00")
        #expect(
            !result.plan.roster.sessions.contains {
                $0.date > LocalDate(iso: "2026-12-09")! && $0.members.contains("c-101")
            })
        #expect(
            !result.plan.roster.sessions.contains {
                $0.date >= LocalDate(iso: "2026-12-09")! && $0.members.contains("c-102")
            })
        #expect(result.changes.contains { $0.person == "c-102" && $0.reason == "stepped up to PHP" })
    }

    @Test("admissions planned together are at least as good as one by one")
    func batchAtLeastAsGoodAsSequential() throws {
        let intake = try events(
            """
            events:
              - {at: 2026-12-07T07:00, admission: {id: c-201, track: adult, plan: {process: 3, dbt: 2}}}
              - {at: 2026-12-07T07:00, admission: {id: c-202, track: adult, plan: {process: 3, psychoed: 1}}}
              - {at: 2026-12-07T07:00, admission: {id: c-203, track: adult, plan: {process: 3, relapse: 2}}}
            """, for: Self.riverbend)
        let now = "2026-12-07T07:30"
        let batch = try replan(Self.riverbend, Self.published, intake, now: now)
        var scenario = Self.riverbend
        var roster = Self.published
        for event in intake {
            let step = try replan(scenario, roster, [event], now: now)
            scenario = step.scenario
            roster = step.plan.roster
        }
        let sequential = try Planner.replan(scenario, roster: roster, events: [], now: at(now))
        for tier in [1, 2] {
            let a = batch.plan.solver.stages.first { $0.tier == tier }?.objective ?? 0
            let b = sequential.plan.solver.stages.first { $0.tier == tier }?.objective ?? 0
            #expect(a <= b + 1e-9, "tier \(tier): batch \(a), sequential \(b)")
        }
    }

    @Test("a what-if leaves its inputs untouched")
    func whatIfLeavesInputs() throws {
        let scenario = Self.riverbend
        let roster = Self.published
        let absence = try events(
            "events: [{at: 2026-12-10T07:00, facilitator_absence: {facilitator: f-lee, from: 2026-12-10}}]",
            for: scenario)
        _ = try replan(scenario, roster, absence, now: "2026-12-09T18:00")
        #expect(roster == Self.published)
        #expect(scenario.facilitators.first { $0.id == "f-lee" }?.absences.isEmpty == true)
    }

    @Test("changes inside the published window are flagged and turned into messages")
    func publishedWindow() throws {
        let absence = try events(
            "events: [{at: 2026-12-09T17:00, facilitator_absence: {facilitator: f-lee, from: 2026-12-10}}]",
            for: Self.riverbend)
        // At 18:00 tomorrow's reminders have gone out: Thursday is published.
        let result = try replan(Self.riverbend, Self.published, absence, now: "2026-12-09T18:00")
        let thursday = result.changes.filter { $0.from?.hasPrefix("Thu") == true || $0.to?.hasPrefix("Thu") == true }
        #expect(!thursday.isEmpty)
        #expect(thursday.allSatisfy { $0.published })
        #expect(result.messages.contains { $0.to == "f-lee" && $0.text.contains("no longer leads Thu") })
    }

    @Test("a week too large for one plan is refused before anything is built, saying how to split it")
    func tooLarge() throws {
        var huge = Self.riverbend
        let client = huge.clients[0]
        huge.clients = (0..<10_000).map { n in
            var copy = client
            copy.id = ClientID("c-\(100_000 + n)")
            return copy
        }
        let places =
            huge.offerings.reduce(0) { $0 + $1.days.count * $1.blocks.count }
            * (huge.clients.count + huge.facilitators.count)
        #expect(places > Planner.mostPlaces)
        #expect(throws: PlanningError.tooLarge(places: places, limit: Planner.mostPlaces)) {
            try Planner.plan(huge, options: PlanOptions(timeLimit: 5))
        }
        #expect(
            PlanningError.tooLarge(places: places, limit: Planner.mostPlaces).description.contains(
                "plan each site or track as its own scenario"))
    }

    @Test("an events file that is not YAML says where it breaks")
    func eventsSyntaxError() {
        #expect {
            try events("events: [{at: 2026-12-09T07:00\n", for: Self.riverbend)
        } throws: { error in
            (error as? ScenarioError)?.issues.first?.description.hasPrefix("events.yaml:2:1: not valid YAML or JSON")
                == true
        }
    }

    @Test("an events file with mistakes reports each with line and key")
    func eventsFileErrors() {
        #expect {
            try events(
                """
                events:
                  - {at: 2026-12-09T07:00, facilitator_absence: {facilitator: f-nobody, from: 2026-12-09}}
                  - {at: yesterday, discharge: {client: c-101, last_day: 2026-12-09}}
                  - {at: 2026-12-09T07:00}
                  - {at: 2026-12-09T07:00, room_unavailable: {room: oak, from: 2026-12-10, to: 2026-12-09}}
                """, for: Self.riverbend)
        } throws: { error in
            let messages = (error as? ScenarioError)?.issues.map(\.description) ?? []
            return messages == [
                "events.yaml:2:63: events[0].facilitator_absence.facilitator: unknown facilitator 'f-nobody'; expected one of: f-chen, f-lee, f-ortiz, f-patel",
                "events.yaml:3:10: events[1].at: expected a date and time YYYY-MM-DDTHH:MM, found 'yesterday'",
                "events.yaml:4:5: events[2]: expected exactly one of: admission, discharge, step_down, step_up, facilitator_absence, client_absence, client_availability, facilitator_availability, room_unavailable, group_cancelled, authorization, pin, bar, lock; found none",
                "events.yaml:5:80: events[3].room_unavailable.to: expected a date on or after 2026-12-10; found 2026-12-09",
            ]
        }
    }

    @Test("no events means no changes on the 36-client program too, rooms included")
    func noEventsNoChangesMixed() throws {
        let scenario = try bundled("cedar-grove-mixed.yaml")
        let roster = try RosterSolver.plan(scenario).roster
        let result = try replan(scenario, roster, [], now: "2026-12-08T18:00")
        #expect(result.changes.isEmpty)
        #expect(result.plan.roster.sessions == roster.sessions)
    }

    @Test("reminders list the day's lineup and flag what changed since the last notice")
    func reminders() throws {
        let absence = try events(
            "events: [{at: 2026-12-09T17:00, facilitator_absence: {facilitator: f-lee, from: 2026-12-10}}]",
            for: Self.riverbend)
        let result = try replan(Self.riverbend, Self.published, absence, now: "2026-12-09T18:00")
        let day = LocalDate(iso: "2026-12-10")!
        let reminders = Reminder.make(
            for: day, roster: result.plan.roster, since: Self.published, scenario: result.scenario)
        let attending = Set(result.plan.roster.sessions.filter { $0.date == day }.flatMap(\.members))
        #expect(Set(reminders.map(\.client)).isSuperset(of: attending))
        let moved = result.changes.filter { $0.kind == .moved && $0.to?.hasPrefix("Thu") == true }.map(\.person)
        for client in moved {
            #expect(reminders.first { $0.client.rawValue == client }?.items.contains { $0.change == "changed" } == true)
        }
        #expect(reminders.allSatisfy { $0.text.hasPrefix("Hi c-") })
    }

    @Test(
        "a reminder says CANCELLED only when the session no longer runs; a client taken out of one that runs is REMOVED"
    )
    func remindersCancelledOrRemoved() throws {
        let day = LocalDate(iso: "2026-12-10")!
        var roster = Self.published
        let thursday = roster.sessions.indices.filter { roster.sessions[$0].date == day }
        // Two sessions of different groups and blocks, each the only section of its slot.
        func alone(_ i: Int) -> Bool {
            roster.sessions.filter {
                $0.date == day && $0.block == roster.sessions[i].block && $0.group == roster.sessions[i].group
            }.count == 1
        }
        let kept = try #require(thursday.first(where: alone))
        let dropped = try #require(
            thursday.first { alone($0) && roster.sessions[$0].block != roster.sessions[kept].block })
        let client = roster.sessions[kept].members[0]
        roster.sessions[kept].members.removeAll { $0 == client }
        let droppedSession = roster.sessions.remove(at: dropped)
        let reminders = Reminder.make(for: day, roster: roster, since: Self.published, scenario: Self.riverbend)
        let kept0 = Self.published.sessions[kept]
        let mine = try #require(reminders.first { $0.client == client })
        #expect(mine.removed == ["\(kept0.start) \(kept0.group)"])
        #expect(mine.text.contains("\(kept0.start) \(kept0.group) is no longer on your schedule (REMOVED)"))
        for member in droppedSession.members {
            let reminder = try #require(reminders.first { $0.client == member })
            #expect(reminder.cancelled.contains("\(droppedSession.start) \(droppedSession.group)"))
            #expect(reminder.text.contains("\(droppedSession.start) \(droppedSession.group) is cancelled (CANCELLED)"))
        }
    }

    @Test("staff reminders: each facilitator's sessions with room and headcount; new, changed and removed flagged")
    func staffReminders() throws {
        var roster = Self.published
        let day = try #require(roster.sessions.first?.date)
        let today = roster.sessions.indices.filter { roster.sessions[$0].date == day }
        let (handed, grown) = (try #require(today.first), try #require(today.last))
        #expect(handed != grown)
        let before = roster.sessions[handed].facilitators
        let taker = try #require(
            Self.riverbend.facilitators.map(\.id).first { id in !roster.sessions[handed].facilitators.contains(id) })
        roster.sessions[handed].facilitators = [taker]
        roster.sessions[grown].members.removeLast()
        let reminders = StaffReminder.make(for: day, roster: roster, since: Self.published)
        let mine = try #require(reminders.first { $0.facilitator == taker })
        #expect(mine.items.first { $0.session == roster.sessions[handed].id }?.change == "new")
        for leader in before where leader != taker {
            let reminder = try #require(reminders.first { $0.facilitator == leader })
            #expect(reminder.text.contains("is no longer yours (REMOVED)"))
        }
        let changed = try #require(reminders.first { $0.facilitator == roster.sessions[grown].facilitators[0] })
        let item = try #require(changed.items.first { $0.session == roster.sessions[grown].id })
        #expect(item.change == "changed" && item.clients == roster.sessions[grown].members.count)
        #expect(
            StaffReminder.make(for: day, roster: Self.published, since: Self.published).allSatisfy {
                $0.items.allSatisfy { $0.change == nil } && $0.removed.isEmpty
            })
    }

    @Test(
        "make-up: a client who missed Monday and Tuesday gets later sessions back to the minimum, nothing else moves for them"
    )
    func makeUp() throws {
        let asOf = at("2026-12-09T07:00")
        let past = Self.published.sessions.filter { DateTime(date: $0.date, time: $0.start) < asOf }
        let absent = try #require(past.flatMap(\.members).first)
        var attended: [SessionMember: Int] = [:]
        for session in past {
            for member in session.members {
                let length = session.end.minutes - session.start.minutes
                attended[SessionMember(session.id, member)] = member == absent ? 0 : length
            }
        }
        let result = try Planner.makeUp(Self.riverbend, roster: Self.published, attended: attended, asOf: asOf)
        let violations = RosterValidator.check(result.plan.roster, against: Self.riverbend)
        #expect(violations.isEmpty, "validator: \(violations.joined(separator: "; "))")
        let added = result.changes.filter { $0.person == absent.rawValue && $0.kind == .added }
        #expect(!added.isEmpty)
        #expect(added.allSatisfy { $0.reason == "make-up for missed sessions" })
        #expect(!result.changes.contains { $0.person == absent.rawValue && $0.kind == .removed })
        // Attended before plus scheduled from now on reaches the minimum, if the week allows it.
        let later = result.plan.roster.sessions.filter {
            DateTime(date: $0.date, time: $0.start) >= asOf && $0.members.contains(absent)
        }
        let hours = Double(later.reduce(0) { $0 + $1.end.minutes - $1.start.minutes }) / 60
        let short = result.plan.shortfalls.contains { $0.client == absent && $0.rule == .weeklyHours }
        #expect(hours >= 9 || short)
        // Clients who attended keep what they were told.
        #expect(result.changes.allSatisfy { $0.kind != .removed })
    }

    @Test(
        "shortfalls count what was attended: a client absent all of Monday to Wednesday is reported short, with only the hours still to come"
    )
    func shortfallsCountAttendance() throws {
        let asOf = at("2026-12-10T07:00")
        let past = Self.published.sessions.filter { DateTime(date: $0.date, time: $0.start) < asOf }
        let absent = try #require(past.flatMap(\.members).first)
        let attended = Dictionary(
            uniqueKeysWithValues: past.filter { $0.members.contains(absent) }.map { (SessionMember($0.id, absent), 0) })
        let result = try Planner.makeUp(Self.riverbend, roster: Self.published, attended: attended, asOf: asOf)
        #expect(RosterValidator.check(result.plan.roster, against: Self.riverbend).isEmpty)
        let later = result.plan.roster.sessions.filter {
            DateTime(date: $0.date, time: $0.start) >= asOf && $0.members.contains(absent)
        }
        let hours = Double(later.reduce(0) { $0 + $1.end.minutes - $1.start.minutes }) / 60
        // Two days are left, and a day holds less than the 9-hour minimum.
        #expect(hours < 9)
        let short = try #require(result.plan.shortfalls.first { $0.client == absent && $0.rule == .weeklyHours })
        #expect(short.scheduled == hours)
        #expect(result.plan.shortfalls.filter { $0.client == absent && $0.rule == .minimumDays }.count == 1)
    }

    @Test(
        "make-up within a payer maximum equal to the minimum: hours missed do not count toward it, and the roster is not rejected"
    )
    func makeUpAtTheMaximum() throws {
        let week = try ScenarioLoader.parse(
            """
            program:
              name: Tight
              week_of: 2026-12-07
              days: [mon, tue]
              blocks: [{id: am, start: "09:00", end: "12:00"}]
              rooms: [{id: oak, capacity: 10}]
              policy: {min_participants: 1, billable_day_min_hours: 0, min_days_per_week: 1, min_hours_per_week: 3, max_hours_per_week: 3}
            groups: [{id: g, capacity: 10}]
            offerings: [{group: g, blocks: [am]}]
            facilitators: [{id: f-1}]
            clients: [{id: c-1, track: adult, prefers_days: [mon]}, {id: c-2, track: adult}]
            """, file: "tight.yaml")
        let planned = try Planner.plan(week)
        let monday = try #require(planned.roster.sessions.first { $0.day == .mon && $0.members.contains("c-1") })
        // c-1 missed Monday: the make-up puts them in Tuesday, 6 h scheduled in all, 3 h attended.
        let result = try Planner.makeUp(
            week, roster: planned.roster, attended: [SessionMember(monday.id, "c-1"): 0], asOf: at("2026-12-08T07:00"))
        #expect(result.plan.roster.sessions.contains { $0.day == .tue && $0.members.contains("c-1") })
        #expect(
            RosterValidator.check(
                result.plan.roster, against: week, settled: at("2026-12-08T07:00"),
                attended: [SessionMember(monday.id, "c-1"): 0]
            ).isEmpty)
        // Counted as scheduled, Monday would put c-1 above the maximum.
        #expect(
            RosterValidator.check(result.plan.roster, against: week).contains {
                $0.contains("c-1 is scheduled 6.0 h, above the payer maximum 3.0 h")
            })
    }
}
