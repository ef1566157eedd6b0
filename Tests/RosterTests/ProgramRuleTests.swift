import IOPDomain
import RosterValidator
import ScenarioFile
import Testing

@testable import RosterSolver

/// Rules a program sets beyond the fixed catalogue: credentials any of which will do,
/// client absences, groups a client may attend twice a day, the most days a week, and day
/// rules by level of care and payer. Each is planned (the roster passes the validator),
/// broken on purpose (the validator names it) and explained.
@Suite("Program rules")
struct ProgramRuleTests {
    @Test("requires_any: a facilitator holding one of the credentials leads; one holding none may not")
    func requiresAny() throws {
        let loaded = try scenario(
            tiny(
                groups: "  - {id: relapse, capacity: 10, requires_any: [cadc, licensed]}",
                offerings: "  - {group: relapse, blocks: [b1]}",
                facilitators: "  - {id: f-bht, credentials: [bht]}\n  - {id: f-cadc, credentials: [cadc]}",
                clients: "  - {id: c1, track: a, plan: {relapse: 1}}"))
        let plan = try planAndValidate(loaded)
        #expect(plan.sessions(of: "relapse").map(\.facilitators) == [["f-cadc"]])
        var broken = plan.roster
        broken.sessions[0].facilitators = ["f-bht"]
        #expect(
            RosterValidator.check(broken, against: loaded) == ["mon-b1-relapse-A: f-bht holds none of cadc, licensed"])
    }

    @Test("requires_any with nobody qualified: the offering is refused, naming the credentials")
    func requiresAnyUnstaffed() {
        let issues = scenarioIssues(
            tiny(
                groups: "  - {id: relapse, capacity: 10, requires: [trained], requires_any: [cadc, licensed]}",
                offerings: "  - {group: relapse, blocks: [b1]}",
                facilitators: "  - {id: f1, credentials: [cadc]}",
                clients: "  - {id: c1, track: a}"))
        #expect(
            issues.contains {
                $0.contains(
                    "group 'relapse' needs 1 facilitator(s) with trained and cadc or licensed; the offering has 0 who may lead it"
                )
            })
    }

    @Test("one_leader_requires: of two co-leaders one holds the credential, in every section")
    func oneQualifiedLeader() throws {
        for lmfts in [1, 2] {
            let loaded = try scenario(
                tiny(
                    rooms: "[{id: r1, capacity: 12}, {id: r2, capacity: 12}]",
                    groups: "  - {id: family, capacity: 8, facilitators_per_section: 2, one_leader_requires: [lmft]}",
                    offerings: "  - {group: family, blocks: [b1], sections: 2}",
                    facilitators: (1...4).map { "  - {id: f\($0)\($0 <= lmfts ? ", credentials: [lmft]" : "")}" }
                        .joined(separator: "\n"),
                    clients: (1...16).map { "  - {id: c\($0), track: a, plan: {family: 1}}" }.joined(separator: "\n")))
            let plan = try planAndValidate(loaded)
            let sections = plan.sessions(of: "family")
            #expect(sections.count == lmfts)
            #expect(
                sections.allSatisfy { $0.facilitators.contains { ["f1", "f2"].prefix(lmfts).contains($0.rawValue) } })
            if lmfts == 2 {
                var broken = plan.roster
                let other = broken.sessions[1].facilitators.first { !["f1", "f2"].contains($0.rawValue) }!
                let lmft = broken.sessions[0].facilitators.first { ["f1", "f2"].contains($0.rawValue) }!
                // Swap section A's LMFT with section B's other leader: B has both LMFTs, A none.
                broken.sessions[0].facilitators = broken.sessions[0].facilitators.map { $0 == lmft ? other : $0 }
                broken.sessions[1].facilitators = broken.sessions[1].facilitators.map { $0 == other ? lmft : $0 }
                #expect(
                    RosterValidator.check(broken, against: loaded).contains(
                        "\(broken.sessions[0].id): no facilitator holds lmft, which one leader of family needs"))
            }
        }
        let unstaffed = scenarioIssues(
            tiny(
                groups: "  - {id: family, capacity: 8, facilitators_per_section: 2, one_leader_requires: [lmft]}",
                offerings: "  - {group: family, blocks: [b1]}",
                facilitators: "  - {id: f1}\n  - {id: f2}",
                clients: "  - {id: c1, track: a}"))
        #expect(
            unstaffed.contains {
                $0.contains(
                    "group 'family' needs one leader with lmft in each section; none of the offering's facilitators holds it"
                )
            })
    }

    @Test("a client absent on a date is not scheduled then, and the shortfall says absent")
    func clientAbsence() throws {
        let loaded = try scenario(
            tiny(
                days: "[mon, tue]",
                groups: "  - {id: g, capacity: 10}",
                offerings: "  - {group: g, blocks: [b1]}",
                facilitators: "  - {id: f1}",
                clients:
                    "  - {id: c1, track: a, plan: {g: 2}, absent: [2026-12-08]}\n  - {id: c2, track: a, plan: {g: 2}}"))
        let plan = try planAndValidate(loaded)
        #expect(!plan.attends("c1", "g", on: .tue))
        #expect(plan.attends("c2", "g", on: .tue))
        #expect(plan.shortfalls.map(\.message) == ["c1 gets 1 of 2 g sessions: cannot attend g on Tue b1: absent"])
        var broken = plan.roster
        let tuesday = try #require(broken.sessions.firstIndex { $0.day == .tue })
        broken.sessions[tuesday].members.append("c1")
        broken.clients = try RosterSolver.plan(loaded).roster.clients
        #expect(RosterValidator.check(broken, against: loaded).contains("tue-b1-g-A: c1 is absent then"))
    }

    @Test("a client_absence event removes the client from those blocks only")
    func clientAbsenceEvent() throws {
        let loaded = try scenario(
            tiny(
                groups: "  - {id: g, capacity: 10}\n  - {id: h, capacity: 10}",
                offerings: "  - {group: g, blocks: [b1]}\n  - {group: h, blocks: [b2]}",
                facilitators: "  - {id: f1}",
                clients: "  - {id: c1, track: a, plan: {g: 1, h: 1}}"))
        let events = try EventsLoader.parse(
            """
            events:
              - at: 2026-12-04T12:00
                client_absence: {client: c1, from: 2026-12-07, blocks: [b1]}
            """, file: "events.yaml", for: loaded)
        let week = loaded.applying(events)
        let plan = try planAndValidate(week)
        #expect(!plan.attends("c1", "g"))
        #expect(plan.attends("c1", "h"))
        #expect(events.map(\.summary) == ["c1 absent 2026-12-07 (b1)"])
    }

    @Test("once_a_day: by default a client takes one session of a group a day; a group may allow two")
    func onceADay() throws {
        for allowed in [false, true] {
            let loaded = try scenario(
                tiny(
                    groups: "  - {id: g, capacity: 10\(allowed ? ", once_a_day: false" : "")}",
                    offerings: "  - {group: g, blocks: [b1, b2]}",
                    facilitators: "  - {id: f1}",
                    clients: "  - {id: c1, track: a, plan: {g: 2}}"))
            let plan = try planAndValidate(loaded)
            #expect(plan.week(of: "c1")?.groups["g"] == (allowed ? 2 : 1))
            if !allowed {
                #expect(
                    plan.shortfalls.map(\.message) == [
                        "c1 gets 1 of 2 g sessions: c1 can attend at most 1 g session this week (once a day); "
                            + "\(plan.sessions(of: "g")[0].block == "b1" ? "Mon b2" : "Mon b1") g: already in g that day (once a day)"
                    ])
            }
        }
    }

    @Test("max_days_per_week caps the days a client attends, from the policy, a track or the client")
    func maximumDays() throws {
        for (policy, track, client, expected) in [
            ("", "", "", 3), (", max_days_per_week: 2", "", "", 2),
            ("", ", max_days_per_week: 1", "", 1), (", max_days_per_week: 2", "", ", max_days_per_week: 1", 1),
        ] {
            let loaded = try scenario(
                tiny(
                    days: "[mon, tue, wed]",
                    policy:
                        "{min_participants: 1, billable_day_min_hours: 0, min_days_per_week: 0, min_hours_per_week: 0\(policy)}",
                    groups: "  - {id: g, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1]}",
                    facilitators: "  - {id: f1}",
                    clients: "  - {id: c1, track: a, plan: {g: 3}\(client)}"
                )
                .replacingOccurrences(of: "  policy:", with: "  tracks: [{id: a\(track)}]\n  policy:"))
            let plan = try planAndValidate(loaded)
            #expect(plan.week(of: "c1")?.days.count == expected)
            if expected < 3 {
                let message = try #require(plan.shortfalls.first?.message)
                #expect(message.hasPrefix("c1 gets \(expected) of 3 g sessions: "))
                #expect(message.contains("already attends the most days allowed (\(expected) a week)"))
            }
        }
    }

    @Test("the validator names a client on more days than allowed")
    func maximumDaysValidated() throws {
        let free = try scenario(
            tiny(
                days: "[mon, tue]",
                groups: "  - {id: g, capacity: 10}",
                offerings: "  - {group: g, blocks: [b1]}",
                facilitators: "  - {id: f1}",
                clients: "  - {id: c1, track: a, plan: {g: 2}}"))
        var capped = free
        capped.clients[0].maxDaysPerWeek = 1
        let roster = try planAndValidate(free).roster
        #expect(RosterValidator.check(roster, against: capped) == ["c1 attends 2 days, above the maximum 1 a week"])
    }

    @Test("levels of care and payers set minimum days and the billable day for their clients")
    func dayRulesByLevelAndPayer() throws {
        let loaded = try scenario(
            tiny(
                days: "[mon, tue, wed]",
                policy: """
                    {min_participants: 1, billable_day_min_hours: 3, min_days_per_week: 1, min_hours_per_week: 0,
                        levels_of_care: {PHP: {min_days_per_week: 3}}}
                    """,
                groups: "  - {id: g, capacity: 10}",
                offerings: "  - {group: g, blocks: [b1]}",
                facilitators: "  - {id: f1}",
                clients: """
                      - {id: c-php, track: a, authorization: {payer: p, number: A-1, from: 2026-12-01, to: 2026-12-31, level_of_care: PHP, billable_day_min_hours: 1.5}}
                      - {id: c-iop, track: a, authorization: {payer: p, number: A-2, from: 2026-12-01, to: 2026-12-31}}
                    """))
        #expect(loaded.minDaysPerWeek(of: loaded.clients[0]) == 3)
        #expect(loaded.minDaysPerWeek(of: loaded.clients[1]) == 1)
        let plan = try planAndValidate(loaded)
        // c-php needs three days, each billable at 1.5 h; c-iop needs one, but no day can make its
        // 3 h billable day, and a short day costs more than a day not attended.
        #expect(plan.week(of: "c-php")?.days.count == 3)
        #expect(plan.week(of: "c-php")?.billableDays == 3)
        #expect(plan.week(of: "c-iop")?.billableDays == 0)
        #expect(!plan.shortfalls.contains { $0.client == "c-php" })
        #expect(plan.shortfalls.map(\.client) == ["c-iop"])
        #expect(
            plan.shortfalls.first?.message.hasPrefix(
                "c-iop attends 0 days, short of 1 a week: no day c-iop can attend reaches the 3 h billable day (at most 1.5 h); Mon b1 g would be c-iop's only session on Mon: 1.5 h, short of the 3 h billable day"
            ) == true)
    }

    @Test(
        "a staffing ratio: a section of more clients than it allows gets a second facilitator, a smaller one does not")
    func staffingRatio() throws {
        for (clients, facilitators, members, leaders) in [(10, 2, 10, 2), (6, 2, 6, 1), (10, 1, 8, 1)] {
            let loaded = try scenario(
                tiny(
                    groups: "  - {id: teen-skills, capacity: 12, two_facilitators_over: 8}",
                    offerings: "  - {group: teen-skills, blocks: [b1]}",
                    facilitators: (1...facilitators).map { "  - {id: f\($0)}" }.joined(separator: "\n"),
                    clients: (1...clients).map { "  - {id: c\($0), track: a, plan: {teen-skills: 1}}" }.joined(
                        separator: "\n")))
            let plan = try planAndValidate(loaded)
            let session = try #require(plan.sessions(of: "teen-skills").first)
            #expect(session.members.count == members)
            #expect(session.facilitators.count == leaders)
            if members < clients {
                #expect(
                    plan.shortfalls.first?.message.hasSuffix(
                        "Mon b1 teen-skills is full (8/8; more than 8 a section need a second facilitator)") == true)
            }
        }
    }

    @Test("a staffing ratio in the policy holds for every group of one facilitator; sections split within it")
    func policyRatioSplit() throws {
        let loaded = try scenario(
            tiny(
                rooms: "[{id: r1, capacity: 12}, {id: r2, capacity: 12}]",
                policy:
                    "{min_participants: 1, billable_day_min_hours: 0, min_days_per_week: 0, min_hours_per_week: 0, two_facilitators_over: 6}",
                groups: "  - {id: g, capacity: 12}\n  - {id: family, capacity: 12, facilitators_per_section: 2}",
                offerings: "  - {group: g, blocks: [b1], sections: 2}\n  - {group: family, blocks: [b2]}",
                facilitators: "  - {id: f1}\n  - {id: f2}\n  - {id: f3}",
                clients: (1...15).map { "  - {id: c\($0), track: a, plan: {g: 1, family: 1}}" }.joined(separator: "\n"))
        )
        let plan = try planAndValidate(loaded)
        let sections = plan.sessions(of: "g")
        #expect(sections.reduce(0) { $0 + $1.members.count } == 15)
        #expect(sections.allSatisfy { $0.members.count <= 6 || $0.facilitators.count == 2 })
        #expect(plan.sessions(of: "family").map(\.facilitators.count) == [2])
        #expect(plan.sessions(of: "family").first?.members.count == 12)
        var broken = plan.roster
        let big = try #require(broken.sessions.firstIndex { $0.group == "g" && $0.members.count > 6 })
        broken.sessions[big].facilitators = [broken.sessions[big].facilitators[0]]
        let id = broken.sessions[big].id
        let count = broken.sessions[big].members.count
        #expect(
            RosterValidator.check(broken, against: loaded) == [
                "\(id): has 1 facilitator(s); g needs 2 for \(count) clients (two above 6)"
            ])
    }

    @Test("day rules: the authorization's own, else the level of care's, the payer's (from the record), the policy's")
    func dayRulePrecedence() throws {
        var week = try scenario(
            tiny(
                policy:
                    "{min_participants: 1, billable_day_min_hours: 3, min_days_per_week: 3, min_hours_per_week: 0, levels_of_care: {PHP: {min_days_per_week: 5}}}",
                groups: "  - {id: g, capacity: 10}",
                offerings: "  - {group: g, blocks: [b1]}",
                facilitators: "  - {id: f1}",
                clients: """
                      - {id: c-own, track: a, authorization: {payer: acme, number: A-1, from: 2026-12-01, to: 2026-12-31, min_days_per_week: 2}}
                      - {id: c-php, track: a, authorization: {payer: acme, number: A-2, from: 2026-12-01, to: 2026-12-31, level_of_care: PHP}}
                      - {id: c-acme, track: a, authorization: {payer: acme, number: A-3, from: 2026-12-01, to: 2026-12-31}}
                      - {id: c-none, track: a}
                    """))
        #expect(week.clients.map(week.minDaysPerWeek(of:)) == [2, 5, 3, 3])
        week.program.policy.payers = ["acme": DayRules(minDaysPerWeek: 4, billableDayMinHours: 4)]
        #expect(week.clients.map(week.minDaysPerWeek(of:)) == [2, 5, 4, 3])
        #expect(week.clients.map(week.billableDayMinHours(of:)) == [4, 4, 4, 3])
    }

    @Test("the new keys are checked: true or false, known groups and levels of care, a maximum not below the minimum")
    func badRuleKeys() {
        let issues = scenarioIssues(
            tiny(
                rooms: "[{id: r1, capacity: 12, only_for: [nope], accessible: maybe}]",
                policy:
                    "{min_days_per_week: 3, max_days_per_week: 2, levels_of_care: {ICU: {min_days_per_week: 5}, PHP: {max_days_per_week: 9}}}",
                groups: "  - {id: g, capacity: 10, once_a_day: yes, two_facilitators_over: 0}",
                offerings: "  - {group: g, blocks: [b1]}",
                facilitators: "  - {id: f1}",
                clients: "  - {id: c1, track: a, absent: [2026-13-01], max_days_per_week: -1}"))
        let expected = [
            "program.policy.max_days_per_week: expected at least min_days_per_week (3); found 2",
            "program.policy.levels_of_care.ICU: unknown level of care 'ICU'; expected one of: PHP, IOP, OP",
            "program.policy.levels_of_care.PHP.max_days_per_week: expected a whole number of at most 7, found 9",
            "program.rooms[0].only_for: unknown group 'nope'; expected one of: g",
            "program.rooms[0].accessible: expected true or false, found 'maybe'",
            "groups[0].once_a_day: expected true or false, found 'yes'",
            "groups[0].two_facilitators_over: expected a whole number of at least 1, found 0",
            "clients[0].absent[0]: expected a date",
            "clients[0].max_days_per_week: expected a whole number of at least 0, found -1",
        ]
        for fragment in expected {
            #expect(
                issues.contains { $0.contains(fragment) }, "missing: \(fragment)\nin: \(issues.joined(separator: "\n"))"
            )
        }
    }
}

@Suite("Explanations name the true cause")
struct TrueReasonTests {
    @Test("a short billable day caused by the client's availability that day says so first")
    func shortDayFromAvailability() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    policy:
                        "{min_participants: 1, billable_day_min_hours: 3, min_days_per_week: 1, min_hours_per_week: 1.5}",
                    groups: "  - {id: g, capacity: 10}\n  - {id: h, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1]}\n  - {group: h, blocks: [b2]}",
                    facilitators: "  - {id: f1}\n  - {id: f2}",
                    clients: "  - {id: c1, track: a, available: {mon: [b1]}}")))
        #expect(
            plan.shortfalls.map(\.message) == [
                "c1 has 1.5 h on Mon, 1.5 h short of a 3 h billable day: the groups c1 can attend on Mon add up to at most 1.5 h; not available Mon b2, b3"
            ])
    }
}

extension TrueReasonTests {
    @Test(
        "a group that did not run because its only qualified facilitator led another then says so, not 'too few clients'"
    )
    func onlyNurseBusy() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    rooms: "[{id: r1, capacity: 12}, {id: r2, capacity: 12}]",
                    groups:
                        "  - {id: psychoed, capacity: 10, requires: [nurse]}\n  - {id: med-ed, capacity: 10, requires: [nurse]}",
                    offerings: "  - {group: psychoed, blocks: [b1]}\n  - {group: med-ed, blocks: [b3]}",
                    facilitators: "  - {id: f-nurse, credentials: [nurse]}\n  - {id: f-bht}",
                    clients: (1...3).map { "  - {id: c\($0), track: a, plan: {psychoed: 1}}" }.joined(separator: "\n")
                        + "\n"
                        + (4...5).map { "  - {id: c\($0), track: a, plan: {med-ed: 1}}" }.joined(separator: "\n"))))
        // Three clients want psychoed, two med-ed; the nurse cannot lead both, so med-ed does not run.
        #expect(plan.sessions(of: "psychoed").count == 1 && plan.sessions(of: "med-ed").isEmpty)
        #expect(
            plan.shortfalls.map(\.message) == [
                "c4 gets 0 of 1 med-ed sessions: Mon b3 med-ed did not run: no nurse facilitator was free (f-nurse leads psychoed then)",
                "c5 gets 0 of 1 med-ed sessions: Mon b3 med-ed did not run: no nurse facilitator was free (f-nurse leads psychoed then)",
            ])
    }

    @Test("a shortfall of a stage that stopped before its proof says it is not shown to be unavoidable")
    func unprovenStage() throws {
        let week = try scenario(
            tiny(
                days: "[mon, tue]",
                groups: "  - {id: g, capacity: 10}",
                offerings: "  - {group: g, days: [mon], blocks: [b1]}",
                facilitators: "  - {id: f1}",
                clients: "  - {id: c1, track: a, plan: {g: 2}}"))
        let plan = try planAndValidate(week)
        let index = WeekIndex(week)
        #expect(
            Explainer(index: index, roster: plan.roster).shortfalls().map(\.message) == [
                "c1 gets 1 of 2 g sessions: g is offered once this week"
            ])
        let stopped = Explainer(index: index, roster: plan.roster, unproven: [2]).shortfalls()
        #expect(
            stopped.map(\.message) == [
                "c1 gets 1 of 2 g sessions (not shown to be unavoidable: the search stopped before proving it): g is offered once this week"
            ])
        #expect(stopped.map(\.searchStopped) == [true])
        #expect(
            Explainer(index: index, roster: plan.roster, unproven: [1]).shortfalls().map(\.searchStopped) == [false])
    }

    @Test("re-planning, the most a client can reach counts the hours already attended")
    func reachableCountsHistory() throws {
        let week = try scenario(
            tiny(
                days: "[mon, tue]",
                policy: "{min_participants: 1, billable_day_min_hours: 0, min_days_per_week: 0, min_hours_per_week: 6}",
                groups: "  - {id: g, capacity: 10}\n  - {id: h, capacity: 10}",
                offerings: "  - {group: g, blocks: [b1]}\n  - {group: h, days: [mon], blocks: [b2]}",
                facilitators: "  - {id: f1}",
                clients: "  - {id: c1, track: a}"))
        let monday = try planAndValidate(week).roster.sessions.filter { $0.day == .mon }
        #expect(monday.count == 2)
        // Tuesday morning: Monday's 3 h happened; only Tuesday's 1.5 h are left, 4.5 h in all.
        let history = History(now: DateTime(iso: "2026-12-08T08:00"), sessions: monday, program: week.program)
        let index = WeekIndex(week, history: history)
        let tuesday = Session(
            day: .tue, date: week.program.date(of: .tue), block: week.program.blocks[0], group: "g", section: 1,
            room: "r1", facilitators: ["f1"], members: ["c1"])
        let roster = Roster(
            program: "Tiny", weekOf: week.program.weekOf, sessions: monday + [tuesday],
            clients: ClientTotals.weeks(of: week, sessions: monday + [tuesday], history: history))
        #expect(
            Explainer(index: index, roster: roster).shortfalls().map(\.message) == [
                "c1 is 1.5 h short of 6 h this week: eligible groups add up to at most 4.5 h this week"
            ])
    }
}

@Suite("Rooms that fit")
struct RoomRuleTests {
    @Test("a room kept for some groups hosts no other group")
    func roomKeptForGroups() throws {
        let loaded = try scenario(
            tiny(
                rooms: "[{id: studio, capacity: 12, only_for: [art]}, {id: hall, capacity: 12}]",
                groups: "  - {id: art, capacity: 10}\n  - {id: g, capacity: 10}",
                offerings: "  - {group: art, blocks: [b1]}\n  - {group: g, blocks: [b2]}",
                facilitators: "  - {id: f1}",
                clients: "  - {id: c1, track: a, plan: {art: 1, g: 1}}"))
        let plan = try planAndValidate(loaded)
        #expect(plan.sessions(of: "g").map(\.room) == ["hall"])
        var broken = plan.roster
        let g = try #require(broken.sessions.firstIndex { $0.group == "g" })
        broken.sessions[g].room = "studio"
        #expect(RosterValidator.check(broken, against: loaded) == ["mon-b2-g-A: room studio is kept for art"])
    }

    @Test("an offering that names rooms runs only in them; the group's other offerings use any room")
    func roomsPerOffering() throws {
        // Two rooms alike in every way: only the Monday offering's list tells them apart.
        func week(family: Int) -> String {
            tiny(
                days: "[mon, tue]", rooms: "[{id: small, capacity: 12}, {id: family, capacity: \(family)}]",
                groups: "  - {id: g, capacity: 10, min_participants: 3}",
                offerings:
                    "  - {group: g, days: [mon], blocks: [b1], rooms: [family]}\n  - {group: g, days: [tue], blocks: [b1]}",
                facilitators: "  - {id: f1}",
                clients: (1...3).map { "  - {id: c\($0), track: a, plan: {g: 2}}" }.joined(separator: "\n"))
        }
        let loaded = try scenario(week(family: 12))
        let plan = try planAndValidate(loaded)
        #expect(plan.sessions(of: "g").first { $0.day == .mon }?.room == "family")
        var broken = plan.roster
        let monday = try #require(broken.sessions.firstIndex { $0.day == .mon })
        broken.sessions[monday].room = "small"
        #expect(
            RosterValidator.check(broken, against: loaded) == [
                "mon-b1-g-A: room small is not among the offering's rooms family"
            ])

        // With its only room too small, the Monday offering cannot run, and the shortfalls say so.
        let closed = try planAndValidate(scenario(week(family: 2)))
        #expect(closed.sessions(of: "g").map(\.day) == [.tue])
        #expect(
            closed.shortfalls.map(\.message)
                == (1...3).map {
                    "c\($0) gets 1 of 2 g sessions: Mon b1 g cannot run: no room is free that holds its minimum of 3"
                })
    }

    @Test("an offering's room must be one its group may use")
    func offeringRoomChecked() {
        #expect(
            scenarioIssues(
                tiny(
                    rooms: "[{id: studio, capacity: 12, only_for: [art]}, {id: hall, capacity: 12}]",
                    groups: "  - {id: art, capacity: 10}\n  - {id: g, capacity: 10, rooms: [hall]}",
                    offerings:
                        "  - {group: g, blocks: [b1], rooms: [studio]}\n  - {group: art, blocks: [b2], rooms: [hall, gym]}",
                    facilitators: "  - {id: f1}",
                    clients: "  - {id: c1, track: a}")) == [
                    "bad.yaml:15:5: offerings[0].rooms: room 'studio' may not host group 'g' (the room is kept for other groups)",
                    "bad.yaml:16:39: offerings[1].rooms: unknown room 'gym'; expected one of: hall, studio",
                ])
    }

    @Test("a client who needs an accessible room gets a section in one; with none, the shortfall says so")
    func accessibleRoom() throws {
        let loaded = try scenario(
            tiny(
                rooms: "[{id: upstairs, capacity: 12}, {id: ground, capacity: 12, accessible: true}]",
                groups: "  - {id: g, capacity: 3}\n  - {id: h, capacity: 10, rooms: [upstairs]}",
                offerings: "  - {group: g, blocks: [b1], sections: 2}\n  - {group: h, blocks: [b2]}",
                facilitators: "  - {id: f1}\n  - {id: f2}",
                clients: (1...5).map {
                    "  - {id: c\($0), track: a, plan: {g: 1, h: 1}\($0 >= 4 ? ", needs_accessible_room: true" : "")}"
                }.joined(separator: "\n")))
        let plan = try planAndValidate(loaded)
        let sections = plan.sessions(of: "g")
        #expect(sections.count == 2 && sections.reduce(0) { $0 + $1.members.count } == 5)
        #expect(
            sections.first { $0.room == "ground" }.map {
                Set(["c4", "c5"]).isSubset(of: Set($0.members.map(\.rawValue)))
            } == true)
        #expect(!plan.attends("c4", "h") && !plan.attends("c5", "h"))
        #expect(
            plan.shortfalls.map(\.message) == [
                "c4 gets 0 of 1 h sessions: cannot attend h on Mon b2: needs an accessible room, and none may host it",
                "c5 gets 0 of 1 h sessions: cannot attend h on Mon b2: needs an accessible room, and none may host it",
            ])
        var broken = plan.roster
        let upstairs = try #require(broken.sessions.firstIndex { $0.group == "g" && $0.room == "upstairs" })
        let ground = try #require(broken.sessions.firstIndex { $0.group == "g" && $0.room == "ground" })
        broken.sessions[upstairs].room = "ground"
        broken.sessions[ground].room = "upstairs"
        #expect(
            RosterValidator.check(broken, against: loaded).contains(
                "\(broken.sessions[ground].id): c4 needs an accessible room; upstairs is not"))
    }

    @Test(
        "accessible seats bind: more clients who need them than an accessible room holds leave the rest short, and the reason says so"
    )
    func accessibleSeatsFull() throws {
        let week = try scenario(
            tiny(
                rooms: "[{id: upstairs, capacity: 12}, {id: ground, capacity: 2, accessible: true}]",
                policy: "{min_participants: 1, billable_day_min_hours: 0, min_days_per_week: 0, min_hours_per_week: 0}",
                groups: "  - {id: g, capacity: 10}",
                offerings: "  - {group: g, blocks: [b1], sections: 2}",
                facilitators: "  - {id: f1}\n  - {id: f2}",
                clients: (1...3).map { "  - {id: c\($0), track: a, plan: {g: 1}, needs_accessible_room: true}" }.joined(
                    separator: "\n")))
        let plan = try planAndValidate(week)
        #expect(plan.sessions(of: "g").allSatisfy { $0.room == "ground" })
        #expect(plan.shortfalls.count == 1)
        // Each client who needs the room attends only when a section runs in it (a row per client and slot).
        let rows = RosterSolver.exportModel(week).constraints.map(\.name).filter { $0.hasPrefix("accessible_section") }
        #expect(
            rows == [
                "accessible_section(c1,mon,b1,g)", "accessible_section(c2,mon,b1,g)", "accessible_section(c3,mon,b1,g)",
            ])
        #expect(plan.shortfalls.first?.message.hasSuffix("Mon b1 g is full in its accessible room (2 seats)") == true)
    }
}

@Suite("Coordinator's pins and bars")
struct PinsAndBarsTests {
    /// Two days of one group; c1 would rather come Monday, c2 either day.
    private func week(_ c1: String, _ c2: String = "") -> String {
        tiny(
            days: "[mon, tue]",
            groups: "  - {id: process, capacity: 10}\n  - {id: dbt, capacity: 10}",
            offerings: "  - {group: process, blocks: [b1]}\n  - {group: dbt, days: [mon], blocks: [b2]}",
            facilitators: "  - {id: f1}",
            clients:
                "  - {id: c1, track: a, plan: {process: 1, dbt: 1}, prefers_days: [mon]\(c1)}\n  - {id: c2, track: a, plan: {process: 1}\(c2)}"
        )
    }

    @Test(
        "a bar keeps the client out of the group (hard), says why in the shortfall, and the validator names a roster that breaks it"
    )
    func barred() throws {
        let loaded = try scenario(week(", barred: [dbt, {group: process, day: mon, block: b1}]"))
        let plan = try planAndValidate(loaded)
        #expect(
            !plan.attends("c1", "dbt") && !plan.attends("c1", "process", on: .mon)
                && plan.attends("c1", "process", on: .tue))
        let dbt = try #require(
            plan.shortfalls.first { $0.client == "c1" && $0.rule == .treatmentPlan && $0.group == "dbt" })
        #expect(dbt.reasons.contains("cannot attend dbt on Mon b2: barred from dbt by the coordinator"))
        // The same session, Monday's: barred for c1.
        var broken = plan.roster
        let index = try #require(broken.sessions.firstIndex { $0.members.contains("c1") })
        broken.sessions[index].day = .mon
        broken.sessions[index].date = LocalDate(iso: "2026-12-07")!
        #expect(
            RosterValidator.check(broken, against: loaded).contains {
                $0.contains("c1 is barred from process then by the coordinator")
            })
    }

    @Test("a pin holds before every other tier; one the week rules out is a shortfall that says why")
    func pinned() throws {
        // c1 prefers Monday, but is pinned to Tuesday's process group.
        let plan = try planAndValidate(try scenario(week(", pinned: [{group: process, day: tue, block: b1}]")))
        #expect(plan.attends("c1", "process", on: .tue) && !plan.attends("c1", "process", on: .mon))
        #expect(!plan.shortfalls.contains { $0.rule == .pinned })
        #expect(plan.solver.stages.first?.tier == 0)
        // c2 is not available on Tuesday: the pin cannot hold, and the plan says so.
        let ruledOut = try planAndValidate(
            try scenario(week("", ", available: {mon: all}, pinned: [{group: process, day: tue, block: b1}]")))
        let shortfall = try #require(ruledOut.shortfalls.first { $0.rule == .pinned })
        #expect(shortfall.message == "c2 is not in process on Tue b1 as pinned: cannot attend it: not available then")
    }

    @Test("pins and bars are checked as they are read: unknown groups, days and blocks, a pin into a bar")
    func located() {
        let issues = scenarioIssues(
            week(
                ", barred: [dbx, {group: process, day: sun, block: b1}], pinned: [{group: dbt, day: mon, block: b9}]",
                ", barred: [dbt], pinned: [{group: dbt, day: mon, block: b2}]"))
        #expect(issues.contains { $0.contains("clients[0].barred[0]: unknown group 'dbx'") })
        #expect(issues.contains { $0.contains("clients[0].barred[1].day: unknown day 'sun'") })
        #expect(issues.contains { $0.contains("clients[0].pinned[0].block: unknown block 'b9'") })
        #expect(
            issues.contains {
                $0.contains("clients[1].pinned[0]: pinned into dbt on Mon b2, which the client is barred from")
            })
    }
}

extension TrueReasonTests {
    @Test(
        "the reason that alone would let the client reach the target comes first, before a more binding kind that would not"
    )
    func decisiveReasonFirst() throws {
        // c1 can take h (1.5 h, one seat, held by c2 for c2's plan) or g (1 h, whose only
        // facilitator is away then). The full seat alone would close the 1.5 h gap; g's
        // cannot-run, though the stronger kind of rule, would not.
        let plan = try planAndValidate(
            scenario(
                tiny(
                    policy:
                        "{min_participants: 1, billable_day_min_hours: 0, min_days_per_week: 0, min_hours_per_week: 1.5}",
                    groups: "  - {id: g, capacity: 10, requires: [nurse]}\n  - {id: h, capacity: 1}",
                    offerings: "  - {group: g, blocks: [b3]}\n  - {group: h, blocks: [b2]}",
                    facilitators: "  - {id: f1}\n  - {id: f2, credentials: [nurse], available: {mon: [b1]}}",
                    clients:
                        "  - {id: c1, track: a, available: {mon: [b2, b3]}}\n  - {id: c2, track: a, available: {mon: [b2]}, plan: {h: 1}}"
                )))
        #expect(plan.attends("c2", "h"))
        #expect(
            plan.shortfalls.map(\.message) == [
                "c1 is 1.5 h short of 1.5 h this week: Mon b2 h is full (1/1); Mon b3 g cannot run: no nurse facilitator available"
            ])
    }

    @Test("a clash is decisive when trading the session it clashes with for the missed one closes the gap")
    func decisiveClashFirst() throws {
        // c1 is pinned to g on Monday at 10:00 (1 h) and needs 1.5 h, on at most one day.
        // Trading g for k at 09:00 (1.5 h) would reach it; Tuesday's m would not, being a
        // second day (and full besides), though the most-days rule is the stronger kind.
        let plan = try planAndValidate(
            scenario(
                tiny(
                    days: "[mon, tue]", rooms: "[{id: r1, capacity: 12}, {id: r2, capacity: 12}]",
                    policy:
                        "{min_participants: 1, billable_day_min_hours: 0, min_days_per_week: 0, min_hours_per_week: 1.5}",
                    groups: "  - {id: g, capacity: 10}\n  - {id: k, capacity: 10}\n  - {id: m, capacity: 1}",
                    offerings:
                        "  - {group: g, days: [mon], blocks: [b3]}\n  - {group: k, days: [mon], blocks: [b1]}\n  - {group: m, days: [tue], blocks: [b3]}",
                    facilitators: "  - {id: f1}\n  - {id: f2}",
                    clients: "  - {id: c1, track: a, max_days_per_week: 1, pinned: [{group: g, day: mon, block: b3}]}\n"
                        + "  - {id: c2, track: a, available: {tue: [b3]}, plan: {m: 1}}")))
        #expect(plan.attends("c1", "g") && plan.attends("c2", "m"))
        #expect(
            plan.shortfalls.first { $0.client == ClientID("c1") }?.reasons == [
                "Mon b1 k clashes with g at 10:00", "Tue b3 m: already attends the most days allowed (1 a week)",
            ])
    }
}

@Suite("Co-facilitators")
struct CoFacilitatorTests {
    /// dbt needs a licensed leader, led by f-lic on Monday and Tuesday; t-1 is a trainee
    /// who holds no licence and should co-facilitate `sessions` of them.
    private func week(trainee: String) -> String {
        tiny(
            days: "[mon, tue]",
            groups: "  - {id: dbt, capacity: 10, requires: [licensed]}\n  - {id: art, capacity: 10}",
            offerings: "  - {group: dbt, blocks: [b1]}\n  - {group: art, blocks: [b2]}",
            facilitators: "  - {id: f-lic, credentials: [licensed]}\n  - {id: f-art}\n  - \(trainee)",
            clients: "  - {id: c1, track: a, plan: {dbt: 2, art: 2}}")
    }

    @Test(
        "a trainee joins sections of the groups they co-lead, after the leader, as many as they should and their load allows"
    )
    func traineeJoins() throws {
        let plan = try planAndValidate(scenario(week(trainee: "{id: t-1, co_leads: {groups: [dbt], sessions: 2}}")))
        #expect(plan.sessions(of: "dbt").map(\.facilitators) == [["f-lic", "t-1"], ["f-lic", "t-1"]])
        #expect(plan.sessions(of: "art").allSatisfy { $0.facilitators.count == 1 })
        #expect(plan.cost(.coLeading) == 0)

        let capped = try planAndValidate(
            scenario(week(trainee: "{id: t-1, max_sessions: {per_week: 1}, co_leads: {groups: [dbt], sessions: 2}}")))
        #expect(capped.sessions(of: "dbt").filter { $0.facilitators.contains("t-1") }.count == 1)
        #expect(capped.objective.first { $0.family == .coLeading }?.amount == 1)
    }

    @Test("without a number of sessions the plan adds no co-facilitator, and a roster that has one passes")
    func noTargetNoCoLead() throws {
        let loaded = try scenario(week(trainee: "{id: t-1, co_leads: {groups: [dbt]}}"))
        let plan = try planAndValidate(loaded)
        #expect(plan.roster.sessions.allSatisfy { $0.facilitators.count == 1 })
        var edited = plan.roster
        let dbt = try #require(edited.sessions.firstIndex { $0.group == "dbt" })
        edited.sessions[dbt].facilitators.append("t-1")
        #expect(RosterValidator.check(edited, against: loaded).isEmpty)
    }

    @Test(
        "the validator names a co-facilitator of a group they do not co-lead, a second one, a co-facilitator leading alone, one double-booked"
    )
    func coLeadValidated() throws {
        let loaded = try scenario(
            week(trainee: "{id: t-1, co_leads: {groups: [dbt]}}\n  - {id: t-2, co_leads: {groups: [dbt]}}"))
        let plan = try planAndValidate(loaded)
        func broken(_ change: (inout [Session]) -> Void) -> [String] {
            var roster = plan.roster
            change(&roster.sessions)
            return RosterValidator.check(roster, against: loaded)
        }
        let dbt = try #require(plan.roster.sessions.firstIndex { $0.group == "dbt" && $0.day == .mon })
        let art = try #require(plan.roster.sessions.firstIndex { $0.group == "art" && $0.day == .mon })
        #expect(broken { $0[art].facilitators.append("t-1") } == ["mon-b2-art-A: has 2 facilitator(s); art needs 1"])
        #expect(
            broken { $0[dbt].facilitators += ["t-1", "t-2"] } == [
                "mon-b1-dbt-A: has 3 facilitator(s); dbt needs 1 and at most one co-facilitator",
                "mon-b1-dbt-A: t-2 lacks licensed",
            ])
        #expect(broken { $0[dbt].facilitators = ["t-1"] } == ["mon-b1-dbt-A: t-1 lacks licensed"])
        // b1 (09:00-10:30) and b3 (10:00-11:00) overlap: a co-facilitator is in one place at a time too.
        #expect(
            broken { sessions in
                sessions[dbt].facilitators.append("t-1")
                var other = sessions[art]
                other.block = "b3"
                other.start = ClockTime("10:00")!
                other.end = ClockTime("11:00")!
                other.id = "mon-b3-art-A"
                other.facilitators = ["t-1"]
                sessions[art] = other
            }.contains("t-1 leads mon-b1-dbt-A and mon-b3-art-A at once"))
    }

    @Test("co_leads is checked: a known group, a count")
    func badCoLeads() {
        #expect(
            scenarioIssues(week(trainee: "{id: t-1, co_leads: {groups: [dbt, yoga], sessions: -1}}")) == [
                "bad.yaml:20:34: facilitators[2].co_leads.groups: unknown group 'yoga'; expected one of: art, dbt",
                "bad.yaml:20:57: facilitators[2].co_leads.sessions: expected a whole number of at least 0, found -1",
            ])
    }
}

@Suite("Most hours a day")
struct DailyHoursTests {
    /// Monday's three blocks: b1 and b2 (1.5 h each) in a row, b3 (1 h) overlapping both.
    private func week(cap: String, client: String = "") -> String {
        tiny(
            policy:
                "{min_participants: 1, billable_day_min_hours: 0, min_days_per_week: 0, min_hours_per_week: 3\(cap)}",
            groups: "  - {id: g, capacity: 10}\n  - {id: h, capacity: 10}",
            offerings: "  - {group: g, blocks: [b1]}\n  - {group: h, blocks: [b2]}",
            facilitators: "  - {id: f1}\n  - {id: f2}",
            clients: "  - {id: c1, track: a\(client)}")
    }

    @Test("without a cap the client takes both blocks; with max_hours_per_day 2 only one, and the shortfall says why")
    func capBinds() throws {
        let free = try planAndValidate(scenario(week(cap: "")))
        #expect(free.week(of: "c1")?.hours == 3)
        let capped = try planAndValidate(scenario(week(cap: ", max_hours_per_day: 2")))
        #expect(capped.week(of: "c1")?.hours == 1.5)
        #expect(
            capped.shortfalls.map(\.message) == [
                "c1 is 1.5 h short of 3 h this week: eligible groups add up to at most 2 h this week, at most 2 h a day; Mon b1 g would pass c1's most of 2 h a day"
            ])
        // The client's own cap overrides the policy's.
        let own = try planAndValidate(scenario(week(cap: ", max_hours_per_day: 2", client: ", max_hours_per_day: 3")))
        #expect(own.week(of: "c1")?.hours == 3)
    }

    @Test("the validator names a client above their hours a day; the key is checked")
    func validatedAndChecked() throws {
        let loaded = try scenario(week(cap: ", max_hours_per_day: 2"))
        let free = try planAndValidate(scenario(week(cap: "")))
        #expect(
            RosterValidator.check(free.roster, against: loaded) == [
                "c1 attends 3.0 h on mon, above the maximum 2.0 h a day"
            ])
        #expect(
            scenarioIssues(week(cap: ", max_hours_per_day: 30")) == [
                "bad.yaml:10:124: program.policy.max_hours_per_day: expected a number of at most 24, found 30"
            ])
    }
}

extension TrueReasonTests {
    @Test("a plan asking more sessions of a group than the client can attend says how many they can")
    func planAboveWhatRuns() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    days: "[mon, tue]", rooms: "[{id: r1, capacity: 12}, {id: r2, capacity: 12}]",
                    groups: "  - {id: g, capacity: 10}\n  - {id: h, capacity: 10, once_a_day: false}",
                    offerings: "  - {group: g, blocks: [b1, b2]}\n  - {group: h, days: [mon], blocks: [b1, b2, b3]}",
                    facilitators: "  - {id: f1}\n  - {id: f2}",
                    clients: "  - {id: c1, track: a, plan: {g: 3}}\n  - {id: c2, track: a, plan: {h: 3}}")))
        #expect(
            plan.shortfalls.map(\.message) == [
                "c1 gets 2 of 3 g sessions: c1 can attend at most 2 g sessions this week (once a day); Mon b2 g: already in g that day (once a day); Tue b2 g: already in g that day (once a day)",
                "c2 gets 2 of 3 h sessions: c2 can attend at most 2 h sessions this week (one at a time); Mon b3 h clashes with h at 09:00",
            ])
    }
}

extension TrueReasonTests {
    @Test("the objective block and the shortfall list agree, family by family, on the bundled weeks with shortfalls")
    func objectiveAgreesWithShortfalls() throws {
        let families: [(Family, Shortfall.Rule)] = [
            (.weeklyHours, .weeklyHours), (.billableDay, .billableDay), (.minimumDays, .minimumDays),
            (.treatmentPlan, .treatmentPlan),
        ]
        for name in ["pinecrest-understaffed.yaml", "maple-evening-teens.yaml", "willow-keepapart-absences.yaml"] {
            let plan = try planAndValidate(bundled(name))
            for (family, rule) in families {
                let listed = plan.shortfalls.filter { $0.rule == rule }.reduce(0) { $0 + $1.amount }
                #expect(
                    abs(plan.cost(family) - listed) < 1e-6,
                    "\(name) \(family): objective \(plan.cost(family)), shortfalls \(listed)")
            }
        }
    }
}

@Suite("Session locks")
struct SessionLockTests {
    /// g may run two sections at b1; three clients want it, one facilitator would do.
    private func week(lock: String, facilitators: String = "  - {id: f1}\n  - {id: f2}") -> String {
        tiny(
            rooms: "[{id: r1, capacity: 12}, {id: r2, capacity: 12}]",
            groups: "  - {id: g, capacity: 10}",
            offerings: "  - {group: g, blocks: [b1], sections: 2}",
            facilitators: facilitators,
            clients:
                "  - {id: c1, track: a, plan: {g: 1}}\n  - {id: c2, track: a, plan: {g: 1}}\n  - {id: c3, track: a, plan: {g: 1}}"
        )
            + "\nlocks:\n" + lock
    }

    @Test("a locked session runs exactly as locked; the slot's other clients go to another section")
    func lockHolds() throws {
        let loaded = try scenario(
            week(lock: "  - {group: g, day: mon, block: b1, section: 2, room: r2, facilitators: [f2], members: [c1]}"))
        let plan = try planAndValidate(loaded)
        #expect(plan.locksNotHeld.isEmpty)
        let locked = try #require(plan.roster.sessions.first { $0.id == "mon-b1-g-B" })
        #expect(locked.room == "r2" && locked.facilitators == ["f2"] && locked.members == ["c1"])
        #expect(plan.roster.sessions.first { $0.id == "mon-b1-g-A" }?.members == ["c2", "c3"])

        var broken = plan.roster
        let b = try #require(broken.sessions.firstIndex { $0.id == "mon-b1-g-B" })
        broken.sessions[b].members = ["c1", "c2"]
        let a = try #require(broken.sessions.firstIndex { $0.id == "mon-b1-g-A" })
        broken.sessions[a].members = ["c3"]
        broken.clients = plan.roster.clients
        #expect(RosterValidator.check(broken, against: loaded) == ["mon-b1-g-B is locked with its members; added c2"])
    }

    @Test("a lock the week no longer allows is reported by name and the week is planned without it")
    func lockCannotHold() throws {
        let loaded = try scenario(
            week(
                lock: "  - {group: g, day: mon, block: b1, section: 1, room: r1, facilitators: [f2], members: [c1]}",
                facilitators: "  - {id: f1}\n  - {id: f2, absent: [2026-12-07]}"))
        let plan = try planAndValidate(loaded)
        #expect(
            plan.locksNotHeld == [
                "mon-b1-g-A is locked, but f2 may not lead it then (absent, unavailable or not qualified)"
            ])
        #expect(plan.roster.sessions.allSatisfy { !$0.facilitators.contains("f2") })
        #expect(plan.shortfalls.isEmpty)
    }

    @Test("locks are read with located errors: unknown rooms, people and days")
    func badLocks() {
        #expect(
            scenarioIssues(
                week(lock: "  - {group: g, day: sun, block: b1, room: r9, facilitators: [f1], members: [c9]}")) == [
                    "bad.yaml:23:21: locks[0].day: unknown day 'sun'; expected one of: mon",
                    "bad.yaml:23:43: locks[0].room: unknown room 'r9'; expected one of: r1, r2",
                    "bad.yaml:23:76: locks[0].members: unknown client 'c9'; expected one of: c1, c2, c3",
                ])
    }
}
