import Foundation
import GLPKSolver
import IOPDomain
import MIP
import RosterSolver
import Testing

/// Each constraint family alone, on one to three objects. Monday only unless a test says
/// otherwise; blocks b1 09:00-10:30, b2 10:45-12:15 and b3 10:00-11:00 (which overlaps both).
@Suite("Hard rules")
struct HardRuleTests {
    @Test("a slot runs no more sections than its offering allows")
    func sectionsWithinOffering() throws {
        for (sections, placed) in [(1, 2), (2, 3)] {
            let plan = try planAndValidate(
                scenario(
                    tiny(
                        rooms: "[{id: r1, capacity: 12}, {id: r2, capacity: 12}]",
                        groups: "  - {id: g, capacity: 2}",
                        offerings: "  - {group: g, blocks: [b1], sections: \(sections)}",
                        facilitators: "  - {id: f1}\n  - {id: f2}",
                        clients: (1...3).map { "  - {id: c\($0), track: a, plan: {g: 1}}" }.joined(separator: "\n"))))
            #expect(plan.sessions(of: "g").count == sections)
            #expect(plan.sessions(of: "g").reduce(0) { $0 + $1.members.count } == placed)
        }
    }

    @Test("a room holds one section at a time")
    func roomOnePlaceAtATime() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    groups: "  - {id: g, capacity: 5}\n  - {id: h, capacity: 5}",
                    offerings: "  - {group: g, blocks: [b1]}\n  - {group: h, blocks: [b3]}",
                    facilitators: "  - {id: f1}\n  - {id: f2}",
                    clients: "  - {id: c1, track: a, plan: {g: 1}}\n  - {id: c2, track: a, plan: {h: 1}}")))
        #expect(plan.roster.sessions.count == 1)
        #expect(plan.cost(.treatmentPlan) == 1)
    }

    @Test("a section holds the smaller of group and room capacity")
    func capacity() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    rooms: "[{id: small, capacity: 2}]",
                    groups: "  - {id: g, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1]}",
                    facilitators: "  - {id: f1}",
                    clients: (1...3).map { "  - {id: c\($0), track: a, plan: {g: 1}}" }.joined(separator: "\n"))))
        #expect(plan.sessions(of: "g").map(\.members.count) == [2])
        #expect(plan.shortfalls.map(\.message).contains { $0.contains("b1 g is full (2/2)") })
    }

    @Test("a section below its minimum participants does not run, and the explanation says why")
    func minimumParticipants() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    policy:
                        "{min_participants: 3, billable_day_min_hours: 0, min_days_per_week: 0, min_hours_per_week: 0}",
                    groups: "  - {id: g, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1]}",
                    facilitators: "  - {id: f1}",
                    clients: "  - {id: c1, track: a, plan: {g: 1}}\n  - {id: c2, track: a, plan: {g: 1}}")))
        #expect(plan.roster.sessions.isEmpty)
        #expect(
            plan.shortfalls.first?.message
                == "c1 gets 0 of 1 g sessions: Mon b1 g cannot run: fewer than 3 eligible clients")
    }

    @Test("a section is led by the required number of facilitators holding the group's credentials")
    func qualifiedStaffing() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    groups: "  - {id: g, capacity: 10, requires: [licensed], facilitators_per_section: 2}",
                    offerings: "  - {group: g, blocks: [b1]}",
                    facilitators:
                        "  - {id: f-bht, credentials: [bht]}\n  - {id: f-lcsw, credentials: [licensed]}\n  - {id: f-lpc, credentials: [licensed]}",
                    clients: "  - {id: c1, track: a, plan: {g: 1}}")))
        #expect(plan.sessions(of: "g").first?.facilitators == ["f-lcsw", "f-lpc"])
    }

    @Test("an offering that names its facilitators is led only by them")
    func offeringFacilitators() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    groups: "  - {id: g, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1], facilitators: [f2]}",
                    facilitators: "  - {id: f1}\n  - {id: f2}",
                    clients: "  - {id: c1, track: a, plan: {g: 1}}")))
        #expect(plan.sessions(of: "g").first?.facilitators == ["f2"])
    }

    @Test("a client is in one place at a time, by clock time, not block name")
    func clientOnePlaceAtATime() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    rooms: "[{id: r1, capacity: 12}, {id: r2, capacity: 12}]",
                    groups: "  - {id: g, capacity: 10}\n  - {id: h, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1]}\n  - {group: h, blocks: [b3]}",
                    facilitators: "  - {id: f1}\n  - {id: f2}",
                    clients: "  - {id: c1, track: a, plan: {g: 1, h: 1}}")))
        #expect(plan.roster.sessions.count == 1)
        #expect(plan.shortfalls.first?.message.contains("clashes with") == true)
    }

    @Test("a facilitator leads one section at a time")
    func facilitatorOnePlaceAtATime() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    rooms: "[{id: r1, capacity: 12}, {id: r2, capacity: 12}]",
                    groups: "  - {id: g, capacity: 10}\n  - {id: h, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1]}\n  - {group: h, blocks: [b3]}",
                    facilitators: "  - {id: f1}",
                    clients: "  - {id: c1, track: a, plan: {g: 1}}\n  - {id: c2, track: a, plan: {h: 1}}")))
        #expect(plan.roster.sessions.count == 1)
    }

    @Test("a client attends a group at most once a day")
    func oneSectionOfAGroupPerDay() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    groups: "  - {id: g, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1, b2]}",
                    facilitators: "  - {id: f1}",
                    clients: "  - {id: c1, track: a, plan: {g: 2}}")))
        #expect(plan.week(of: "c1")?.groups["g"] == 1)
    }

    @Test("a facilitator stays within the daily and weekly maximum", arguments: ["{per_day: 1}", "{per_week: 1}"])
    func facilitatorLoad(limit: String) throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    groups: "  - {id: g, capacity: 10}\n  - {id: h, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1]}\n  - {group: h, blocks: [b2]}",
                    facilitators: "  - {id: f1, max_sessions: \(limit)}",
                    clients: "  - {id: c1, track: a, plan: {g: 1, h: 1}}")))
        #expect(plan.roster.sessions.count == 1)
    }

    @Test("clients kept apart never share a section; with two sections both attend, apart")
    func keepApart() throws {
        for sections in [1, 2] {
            let plan = try planAndValidate(
                scenario(
                    tiny(
                        rooms: "[{id: r1, capacity: 12}, {id: r2, capacity: 12}]",
                        groups: "  - {id: g, capacity: 10}",
                        offerings: "  - {group: g, blocks: [b1], sections: \(sections)}",
                        facilitators: "  - {id: f1}\n  - {id: f2}",
                        clients:
                            "  - {id: c1, track: a, plan: {g: 1}, keep_apart: [c2]}\n  - {id: c2, track: a, plan: {g: 1}}"
                    )))
            let together = plan.roster.sessions.contains { $0.members.contains("c1") && $0.members.contains("c2") }
            #expect(!together)
            #expect(plan.cost(.treatmentPlan) == (sections == 1 ? 1 : 0))
        }
    }

    @Test("a client stays within the payer's maximum weekly hours")
    func payerMaximumHours() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    groups: "  - {id: g, capacity: 10}\n  - {id: h, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1]}\n  - {group: h, blocks: [b2]}",
                    facilitators: "  - {id: f1}",
                    clients:
                        "  - {id: c1, track: a, plan: {g: 1, h: 1}, authorization: {payer: p, number: N-1, from: 2026-12-01, to: 2026-12-31, min_hours_per_week: 0, max_hours_per_week: 2}}"
                )))
        #expect(plan.week(of: "c1")?.hours == 1.5)
    }

    @Test("availability and absences: nobody is scheduled when they cannot be there")
    func availabilityAndAbsence() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    days: "[mon, tue]",
                    groups: "  - {id: g, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1]}",
                    facilitators: "  - {id: f1, absent: [2026-12-07]}",
                    clients:
                        "  - {id: c1, track: a, plan: {g: 2}}\n  - {id: c2, track: a, plan: {g: 2}, available: {mon: all}}"
                )))
        #expect(plan.sessions(of: "g").map(\.day) == [.tue])
        #expect(!plan.attends("c2", "g"))
        #expect(
            plan.shortfalls.contains {
                $0.message == "c1 gets 1 of 2 g sessions: Mon b1 g cannot run: no facilitator available"
            })
    }

    @Test("enrolment, authorization windows and tracks limit who may attend")
    func enrolmentAndTracks() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    days: "[mon, tue]",
                    groups: "  - {id: teen, capacity: 10, tracks: [adolescent]}\n  - {id: g, capacity: 10}",
                    offerings: "  - {group: teen, blocks: [b1]}\n  - {group: g, blocks: [b2]}",
                    facilitators: "  - {id: f1}",
                    clients: """
                          - {id: c-adult, track: adult, plan: {g: 2}, admitted: 2026-12-08}
                          - {id: c-teen, track: adolescent, plan: {teen: 2, g: 2}, authorization: {payer: p, number: N-2, from: 2026-11-01, to: 2026-12-07}}
                          - {id: c-teen2, track: adolescent, plan: {teen: 1}}
                        """)))
        #expect(!plan.attends("c-adult", "teen"))
        #expect(!plan.attends("c-adult", "g", on: .mon))
        #expect(!plan.roster.sessions.contains { $0.day == .tue && $0.members.contains("c-teen") })
        #expect(
            plan.shortfalls.contains {
                $0.message
                    == "c-teen gets 1 of 2 teen sessions: cannot attend teen on Tue b1: authorization N-2 ends 2026-12-07"
            })
    }
}

@Suite("Soft rules")
struct SoftRuleTests {
    @Test("tier 1: a client is scheduled up to their weekly minimum, which otherwise nothing asks for")
    func weeklyMinimumHours() throws {
        for (minimum, expected) in [(0.0, 0.0), (3.0, 3.0)] {
            let plan = try planAndValidate(
                scenario(
                    tiny(
                        policy:
                            "{min_participants: 1, billable_day_min_hours: 0, min_days_per_week: 0, min_hours_per_week: \(minimum)}",
                        groups: "  - {id: g, capacity: 10}\n  - {id: h, capacity: 10}",
                        offerings: "  - {group: g, blocks: [b1]}\n  - {group: h, blocks: [b2]}",
                        facilitators: "  - {id: f1}",
                        clients: "  - {id: c1, track: a}")))
            #expect(plan.week(of: "c1")?.hours == expected)
        }
    }

    @Test("tier 1: a day attended holds the billable minimum, so both blocks fall on one day")
    func billableDayMinimum() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    days: "[mon, tue]",
                    policy:
                        "{min_participants: 1, billable_day_min_hours: 3, min_days_per_week: 0, min_hours_per_week: 3}",
                    groups: "  - {id: g, capacity: 10}\n  - {id: h, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1]}\n  - {group: h, blocks: [b2]}",
                    facilitators: "  - {id: f1}",
                    clients: "  - {id: c1, track: a, available: {mon: [b1], tue: all}}")))
        #expect(plan.week(of: "c1")?.days == [.tue])
        #expect(plan.week(of: "c1")?.billableDays == 1)
    }

    @Test(
        "tier 1 rows: a day attended needs each block the rest of the day cannot make up for; overlapping blocks count once"
    )
    func billableDayNeedsBlocks() throws {
        // b1 09:00-10:30 and b2 10:45-12:15 make 180 minutes; b3 10:00-11:00 overlaps both.
        let loaded = try scenario(
            tiny(
                days: "[mon]",
                policy: "{min_participants: 1, billable_day_min_hours: 3, min_days_per_week: 0, min_hours_per_week: 3}",
                groups: "  - {id: g, capacity: 10}\n  - {id: h, capacity: 10}\n  - {id: k, capacity: 10}",
                offerings: "  - {group: g, blocks: [b1]}\n  - {group: h, blocks: [b2]}\n  - {group: k, blocks: [b3]}",
                facilitators: "  - {id: f1}\n  - {id: f2}\n  - {id: f3}",
                clients: "  - {id: c1, track: a}\n  - {id: c2, track: a, available: {mon: [b1, b3]}}"))
        let rows = RosterSolver.exportModel(loaded).constraints.map(\.name).filter {
            $0.hasPrefix("billable_day_needs")
        }
        // Without b3, b1 + b2 still make 180: no row for b3. c2 can never make 180, so each of its blocks is needed.
        #expect(
            rows == [
                "billable_day_needs(c1,mon,b1)", "billable_day_needs(c1,mon,b2)",
                "billable_day_needs(c2,mon,b1)", "billable_day_needs(c2,mon,b3)",
            ])
        // The rows only cut fractions: c1 still gets its billable day, c2 its best short day.
        let plan = try planAndValidate(loaded)
        #expect(plan.week(of: "c1")?.billableDays == 1)
        #expect(plan.week(of: "c1")?.hours == 3)
    }

    @Test(
        "tier 1's LP cannot make half a day of two sessions at most one of which is attended",
        arguments: [
            // g and h both run in b1, the only block c1 may come to.
            ("  - {group: g, blocks: [b1]}\n  - {group: h, blocks: [b1]}", "{mon: [b1]}"),
            // g runs in b1 and b2, and a client takes a group once a day.
            ("  - {group: g, blocks: [b1, b2]}", "{mon: [b1, b2]}"),
        ])
    func dayBoundsExclusiveSessionsTogether(offerings: String, available: String) throws {
        // One 90-minute session, where a billable day needs 180: attending is 90 minutes
        // short of the day (9), staying away 1.5 hours short of the week (15). Half of each
        // of the two sessions on half a day would make the week's 90 minutes and, with
        // 180 x 0.5 = 90, a billable half day at no cost at all.
        let loaded = try scenario(
            tiny(
                rooms: "[{id: r1, capacity: 12}, {id: r2, capacity: 12}]",
                policy:
                    "{min_participants: 1, billable_day_min_hours: 3, min_days_per_week: 0, min_hours_per_week: 1.5}",
                groups: "  - {id: g, capacity: 10}\n  - {id: h, capacity: 10}",
                offerings: offerings,
                facilitators: "  - {id: f1}\n  - {id: f2}",
                clients: "  - {id: c1, track: a, available: \(available)}"))
        let plan = try planAndValidate(loaded)
        let tierOne = try #require(plan.solver.stages.first { $0.tier == 1 })
        let optimum = try #require(tierOne.objective)
        #expect(abs(optimum - 9) < 1e-6)
        #expect(plan.week(of: "c1")?.hours == 1.5)
        let model = RosterSolver.exportModel(loaded)
        let objective = LinearExpression(terms: model.objectiveTerms, constant: model.objectiveConstant)
        let root = try #require(
            try GLPKSolver.relaxationMinima(of: [objective], in: model, until: .now.advanced(by: .seconds(60))).first
                ?? nil)
        #expect(abs(root - optimum) < 1e-6, "root LP bound \(root), optimum \(optimum)")
    }

    @Test("tier 1: a client attends the minimum days a week")
    func minimumDays() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    days: "[mon, tue, wed]",
                    policy:
                        "{min_participants: 1, billable_day_min_hours: 0, min_days_per_week: 2, min_hours_per_week: 0}",
                    groups: "  - {id: g, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1]}",
                    facilitators: "  - {id: f1}",
                    clients: "  - {id: c1, track: a}")))
        #expect(plan.week(of: "c1")?.days.count == 2)
        #expect(plan.cost(.minimumDays) == 0)
    }

    @Test("tier 2: treatment-plan counts are met where the week allows, and the shortfall is explained")
    func treatmentPlanCounts() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    days: "[mon, tue]",
                    groups: "  - {id: g, capacity: 10}",
                    offerings: "  - {group: g, days: [mon], blocks: [b1]}",
                    facilitators: "  - {id: f1}",
                    clients: "  - {id: c1, track: a, plan: {g: 2}}")))
        #expect(plan.week(of: "c1")?.groups["g"] == 1)
        #expect(plan.shortfalls.map(\.message) == ["c1 gets 1 of 2 g sessions: g is offered once this week"])
    }

    @Test("tier 3: a process-group client stays with last week's facilitator")
    func processContinuity() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    rooms: "[{id: r1, capacity: 12}, {id: r2, capacity: 12}]",
                    policy:
                        "{min_participants: 2, billable_day_min_hours: 0, min_days_per_week: 0, min_hours_per_week: 0}",
                    groups: "  - {id: process, kind: psychotherapy, capacity: 2}",
                    offerings: "  - {group: process, blocks: [b1], sections: 2}",
                    facilitators: "  - {id: f-a}\n  - {id: f-b}",
                    clients: """
                          - {id: c1, track: a, plan: {process: 1}, last_week: {process: f-b}}
                          - {id: c2, track: a, plan: {process: 1}, last_week: {process: f-a}}
                          - {id: c3, track: a, plan: {process: 1}, last_week: {process: f-b}}
                          - {id: c4, track: a, plan: {process: 1}}
                        """)))
        let withB = plan.sessions(of: "process").first { $0.facilitators == ["f-b"] }
        #expect(withB?.members == ["c1", "c3"])
        #expect(plan.cost(.continuity) == 0)
    }

    @Test("tier 4: no more sections are opened than needed")
    func sectionsOpened() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    rooms: "[{id: r1, capacity: 12}, {id: r2, capacity: 12}]",
                    groups: "  - {id: g, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1], sections: 2}",
                    facilitators: "  - {id: f1}\n  - {id: f2}",
                    clients: "  - {id: c1, track: a, plan: {g: 1}}\n  - {id: c2, track: a, plan: {g: 1}}")))
        #expect(plan.sessions(of: "g").count == 1)
    }

    @Test("tier 4: the load is spread so the busiest facilitator leads as few sessions as possible")
    func busiestLoad() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    groups: "  - {id: g, capacity: 10}\n  - {id: h, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1]}\n  - {group: h, blocks: [b2]}",
                    facilitators: "  - {id: f1}\n  - {id: f2}",
                    clients: "  - {id: c1, track: a, plan: {g: 1, h: 1}}")))
        #expect(Set(plan.roster.sessions.flatMap(\.facilitators)).count == 2)
        #expect(plan.cost(.busiestLoad) == 1)
    }

    @Test("tier 4: facilitators lead preferred groups; clients come on preferred days")
    func preferences() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    days: "[mon, tue]",
                    groups: "  - {id: g, capacity: 10}\n  - {id: h, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1]}",
                    facilitators: "  - {id: f1, prefers: [g]}\n  - {id: f2, prefers: [h]}",
                    clients: "  - {id: c1, track: a, plan: {g: 1}, prefers_days: [tue]}")))
        #expect(plan.roster.sessions.map(\.day) == [.tue])
        #expect(plan.roster.sessions.first?.facilitators == ["f1"])
    }

    @Test("tiers are strict: one more plan session outweighs any number of extra sections")
    func tiersAreStrict() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    days: "[mon, tue, wed]",
                    groups: "  - {id: g, capacity: 10}",
                    offerings: "  - {group: g, blocks: [b1]}",
                    facilitators: "  - {id: f1}",
                    clients: "  - {id: c1, track: a, plan: {g: 3}}")))
        #expect(plan.sessions(of: "g").count == 3)
    }
}

@Suite("Rooms and independent parts")
struct RoomsAndPartsTests {
    @Test("a group uses only the rooms it names")
    func groupRooms() throws {
        let plan = try planAndValidate(
            scenario(
                tiny(
                    rooms: "[{id: big, capacity: 12}, {id: studio, capacity: 12}]",
                    groups: "  - {id: g, capacity: 10, rooms: [studio]}",
                    offerings: "  - {group: g, blocks: [b1]}",
                    facilitators: "  - {id: f1}",
                    clients: "  - {id: c1, track: a, plan: {g: 1}}")))
        #expect(plan.roster.sessions.map(\.room) == ["studio"])
    }

    @Test("two programs that share no one and no room are solved as two parts, each as if alone")
    func independentParts() throws {
        let both = try scenario(
            tiny(
                rooms: "[{id: r-a, capacity: 12}, {id: r-b, capacity: 12}]",
                policy:
                    "{min_participants: 1, billable_day_min_hours: 0, min_days_per_week: 0, min_hours_per_week: 1.5}",
                groups:
                    "  - {id: ga, capacity: 10, rooms: [r-a], tracks: [a]}\n  - {id: gb, capacity: 10, rooms: [r-b], tracks: [b]}",
                offerings:
                    "  - {group: ga, blocks: [b1], facilitators: [fa]}\n  - {group: gb, blocks: [b1], facilitators: [fb]}",
                facilitators: "  - {id: fa}\n  - {id: fb}",
                clients:
                    "  - {id: ca, track: a, plan: {ga: 1}}\n  - {id: cb, track: b, plan: {gb: 1}}\n  - {id: cc, track: b, plan: {gb: 1}}"
            ))
        let plan = try planAndValidate(both)
        #expect(plan.solver.parts == 2)
        #expect(plan.solver.status == .optimal)
        #expect(plan.roster.sessions.map(\.room).sorted() == ["r-a", "r-b"])
        #expect(plan.roster.clients.map(\.client) == ["ca", "cb", "cc"])
        #expect(plan.shortfalls.isEmpty)
    }
}
