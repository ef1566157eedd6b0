import Foundation
import IOPDomain
import ScenarioFile
import TestSupport
import Testing

@Suite("Scenario files")
struct ScenarioFileTests {
    private func issues(_ yaml: String) -> [String] { scenarioIssues(yaml) }

    @Test("every mistake in a file is reported at once, with line, key path and what was expected")
    func everyMistakeAtOnce() {
        let yaml = """
            program:
              name: Broken IOP
              week_of: 2026-12-08
              days: [mon, tue]
              blocks:
                - {id: am1, start: "09:00", end: "08:30"}
                - {id: am2, start: "10:45", end: "12:15"}
              rooms: [{id: oak, capacity: 0}]
            groups:
              - {id: process, kind: psychotherapy, capacity: 10, requires: [licensed]}
              - {id: process, kind: skills, capacity: twelve}
            offerings:
              - {group: process, days: [mon], blocks: [am2], facilitators: [f-nobody]}
              - {group: yoga, blocks: [am2]}
            facilitators:
              - {id: f-lee, credentials: [licensed]}
            clients:
              - {id: c-1, track: adult, plan: {dbt: 2}}
              - {id: c-1, track: adult, admitted: 2027-02-01}
              - {id: c-3, track: adult, available: {mon: [pm9]}, authorization: {payer: acme, number: A-1, from: 2026-12-10, to: 2026-12-01}}
            """
        #expect(
            issues(yaml) == [
                "bad.yaml:3:12: program.week_of: expected the Monday of the planned week; 2026-12-08 is a Tue",
                "bad.yaml:6:38: program.blocks[0].end: expected an end after the start 09:00; found 08:30",
                "bad.yaml:8:31: program.rooms[0].capacity: expected a whole number of at least 1, found 0",
                "bad.yaml:11:10: groups[1].id: duplicate id 'process'; first used at groups[0]",
                "bad.yaml:11:43: groups[1].capacity: expected a whole number, found 'twelve'",
                "bad.yaml:13:5: offerings[0].group: group 'process' needs 1 facilitator(s) with licensed; the offering has 0 who may lead it",
                "bad.yaml:13:64: offerings[0].facilitators: unknown facilitator 'f-nobody'; expected one of: f-lee",
                "bad.yaml:14:13: offerings[1].group: unknown group 'yoga'; expected one of: process",
                "bad.yaml:18:36: clients[0].plan.dbt: unknown group 'dbt'; expected one of: process",
                "bad.yaml:19:5: clients[1]: client c-1 is not enrolled and authorized on any day of the week of 2026-12-08; expected admission, discharge and authorization dates that overlap 2026-12-08..2026-12-09",
                "bad.yaml:19:10: clients[1].id: duplicate id 'c-1'; first used at clients[0]",
                "bad.yaml:20:5: clients[2]: client c-3 is not enrolled and authorized on any day of the week of 2026-12-08; expected admission, discharge and authorization dates that overlap 2026-12-08..2026-12-09",
                "bad.yaml:20:46: clients[2].available.mon: unknown block 'pm9'; expected all or some of: am2",
                "bad.yaml:20:118: clients[2].authorization.to: expected a date on or after 2026-12-10; found 2026-12-01",
            ])
    }

    @Test("wrong types name the key and the type expected")
    func wrongTypes() {
        let yaml = """
            program: {name: T, week_of: 2026-12-07, days: mon, blocks: {id: b1}, rooms: []}
            groups: [{id: g, capacity: [1]}]
            offerings: []
            facilitators: [{id: f, max_sessions: {per_day: -1}}]
            clients: [{id: c, track: adult, plan: 3}]
            """
        #expect(
            issues(yaml) == [
                "bad.yaml:1:60: program.blocks: expected a list, found a mapping",
                "bad.yaml:2:28: groups[0].capacity: expected text, found a list",
                "bad.yaml:4:48: facilitators[0].max_sessions.per_day: expected a whole number of at least 0, found -1",
                "bad.yaml:5:39: clients[0].plan: expected a mapping, found '3'",
            ])
    }

    @Test("a time zone that is not an IANA name is a located error")
    func timeZone() throws {
        let text = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Scenarios/riverbend-small.yaml"), encoding: .utf8)
        let bad = text.replacingOccurrences(of: "timezone: America/Chicago", with: "timezone: Central")
        #expect(
            issues(bad).contains {
                $0.hasSuffix(
                    "program.timezone: expected an IANA time zone name such as America/Chicago or UTC; found 'Central'")
            })
        #expect(try ScenarioLoader.parse(text, file: "riverbend.yaml").program.timeZone == "America/Chicago")
    }

    @Test("unknown and missing keys are reported with the keys that are allowed")
    func unknownAndMissingKeys() {
        let yaml = """
            program: {name: T, week_of: 2026-12-07, days: [mon], blocks: [], rooms: [], colour: blue}
            groups: []
            offerings: []
            clients: []
            """
        #expect(
            issues(yaml) == [
                "bad.yaml:1:1: missing required key 'facilitators'",
                "bad.yaml:1:77: program.colour: unknown key 'colour'; expected one of: name, week_of, timezone, days, blocks, rooms, policy, tracks",
            ])
    }

    @Test("a YAML syntax error gives its line")
    func syntaxError() {
        #expect(issues("program: {name: [unclosed\n").first?.hasPrefix("bad.yaml:2:1: not valid YAML or JSON") == true)
    }

    @Test("JSON is accepted as well as YAML")
    func json() throws {
        let text = """
            {"program": {"name": "J", "week_of": "2026-12-07", "days": ["mon"],
                         "blocks": [{"id": "b1", "start": "09:00", "end": "10:00"}], "rooms": [{"id": "r", "capacity": 5}]},
             "groups": [{"id": "g", "capacity": 5}], "offerings": [{"group": "g", "blocks": ["b1"]}],
             "facilitators": [{"id": "f"}], "clients": [{"id": "c", "track": "adult", "plan": {"g": 1}}]}
            """
        let loaded = try ScenarioLoader.parse(text, file: "j.json")
        #expect(loaded.clients.first?.plan == [GroupID("g"): 1])
        #expect(loaded.program.blocks.first?.minutes == 60)
    }

    @Test("defaults keep a small program short: all days, all blocks, one section, policy numbers")
    func defaults() throws {
        let loaded = try scenario(
            tiny(
                days: "[mon, wed]", policy: "{}", groups: "  - {id: g, capacity: 8}",
                offerings: "  - {group: g, blocks: [b1]}", facilitators: "  - {id: f}",
                clients: "  - {id: c, track: adult}"))
        #expect(loaded.offerings[0].days == [.mon, .wed])
        #expect(loaded.offerings[0].sections == 1)
        #expect(loaded.program.policy == Policy())
        #expect(loaded.clients[0].available.allows(.wed, "b2"))
        #expect(loaded.weeklyHours(of: loaded.clients[0]) == 9...19)
    }

    @Test("authorizations carry a level of care and approved days or hours; a wrong level or both units is an error")
    func authorizationUnits() throws {
        func clients(_ authorizations: [String]) -> String {
            authorizations.enumerated().map {
                "  - {id: c\($0.offset), track: adult, authorization: {payer: acme, number: A-\($0.offset), from: 2026-12-01, to: 2026-12-31\($0.element)}}"
            }
            .joined(separator: "\n")
        }
        let good = try scenario(
            tiny(
                days: "[mon]", policy: "{}", groups: "  - {id: g, capacity: 8}",
                offerings: "  - {group: g, blocks: [b1]}",
                facilitators: "  - {id: f}",
                clients: clients(["", ", level_of_care: php, approved_days: 12", ", approved_hours: 40.5"])))
        #expect(good.clients.map { $0.authorization?.levelOfCare } == [.iop, .php, .iop])
        #expect(good.clients.map { $0.authorization?.approved } == [nil, .days(12), .hours(40.5)])
        let bad = issues(
            tiny(
                days: "[mon]", policy: "{}", groups: "  - {id: g, capacity: 8}",
                offerings: "  - {group: g, blocks: [b1]}",
                facilitators: "  - {id: f}",
                clients: clients([
                    ", level_of_care: residential", ", approved_days: 3, approved_hours: 9", ", approved_days: -2",
                ])))
        #expect(
            bad.map { $0.split(separator: " ", maxSplits: 1).last.map(String.init) ?? $0 } == [
                "clients[0].authorization.level_of_care: expected one of PHP, IOP, OP, found 'residential'",
                "clients[1].authorization.approved_hours: expected approved_days or approved_hours, not both",
                "clients[2].authorization.approved_days: expected a whole number of at least 0, found -2",
            ])
    }

    @Test("a missing file is unreadable, not invalid")
    func missingFile() {
        #expect {
            try ScenarioLoader.load(path: "/nonexistent/s.yaml")
        } throws: { error in
            (error as? ScenarioError)?.unreadable == true
        }
    }
}

@Suite("Scenario writer")
struct ScenarioWriterTests {
    private static let bundledNames = [
        "riverbend-small.yaml", "cedar-grove-mixed.yaml", "harbor-teen-afterschool.yaml", "pinecrest-understaffed.yaml",
        "willow-keepapart-absences.yaml", "maple-evening-teens.yaml", "lakeside-large.yaml",
        "generated-36-seed2.yaml", "generated-60-seed1.yaml",
    ]

    @Test(
        "every bundled week written out reads back to a scenario that writes the same text, with the same people and rules"
    )
    func roundTrip() throws {
        for name in Self.bundledNames {
            let original = try bundled(name)
            let text = try ScenarioWriter.yaml(original)
            let read = try scenario(text, file: name)
            #expect(try ScenarioWriter.yaml(read) == text, "\(name)")
            #expect(read.clients.map(\.id) == original.clients.map(\.id))
            #expect(
                read.clients.map(read.weeklyHours(of:)) == original.clients.map(original.weeklyHours(of:)), "\(name)")
            #expect(
                read.clients.map(read.minDaysPerWeek(of:)) == original.clients.map(original.minDaysPerWeek(of:)),
                "\(name)")
            #expect(read.facilitators.map(\.available) == original.facilitators.map(\.available), "\(name)")
            #expect(read.offerings == original.offerings, "\(name)")
            #expect(read.groups == original.groups, "\(name)")
        }
    }

    @Test(
        "what only events could say before is written too: a room out of use, a group cancelled, a step-down, a lock; and it plans the same"
    )
    func eventsWritten() throws {
        var week = try bundled("riverbend-small.yaml")
        week.program.rooms[0].unavailable = [
            Absence(from: LocalDate(iso: "2026-12-10")!, to: LocalDate(iso: "2026-12-10")!, blocks: ["am1"])
        ]
        week.groups[1].cancelled = [Absence(from: LocalDate(iso: "2026-12-11")!, to: LocalDate(iso: "2026-12-11")!)]
        week.clients[0].weeklyHoursOverride = 6...9
        week.locks = [
            SessionLock(
                slot: SlotRef(group: "process", day: .mon, block: "am1"), section: 1, room: "pine",
                facilitators: ["f-ortiz"], members: ["c-101", "c-102"])
        ]
        let text = try ScenarioWriter.yaml(week)
        let read = try scenario(text)
        #expect(read.program.rooms[0].unavailable == week.program.rooms[0].unavailable)
        #expect(read.groups[1].cancelled == week.groups[1].cancelled)
        #expect(read.weeklyHours(of: read.clients[0]) == 6...9)
        #expect(read.locks == week.locks)
        let before = try planAndValidate(week)
        let after = try planAndValidate(read)
        #expect(before.objective.map(\.amount) == after.objective.map(\.amount))
    }
}
