import IOPDomain
import RosterSolver
import RosterValidator
import Testing

/// The validator must catch what a broken solver would produce: each test breaks a good
/// roster in one way and expects that one violation, named.
@Suite("Independent roster validator")
struct RosterValidatorTests {
    private static func base() throws -> (Scenario, Roster) {
        let scenario = try bundled("riverbend-small.yaml")
        return (scenario, try RosterSolver.plan(scenario).roster)
    }

    private func violations(_ edit: (inout Roster, Scenario) -> Void) throws -> [String] {
        let (scenario, good) = try Self.base()
        #expect(RosterValidator.check(good, against: scenario).isEmpty)
        var roster = good
        edit(&roster, scenario)
        return RosterValidator.check(roster, against: scenario)
    }

    private func index(_ roster: Roster, _ id: String) -> Int {
        roster.sessions.firstIndex { $0.id == id } ?? -1
    }

    @Test func overCapacity() throws {
        let found = try violations { roster, _ in
            let i = roster.sessions.firstIndex { $0.group == "process" } ?? 0
            let outsiders = [
                "c-101", "c-102", "c-103", "c-104", "c-105", "c-106", "c-107", "c-108", "c-109", "c-110", "c-111",
            ]
            .map { ClientID($0) }.filter { !roster.sessions[i].members.contains($0) }
            roster.sessions[i].members += outsiders
        }
        #expect(found.contains { $0.hasSuffix("clients exceed the capacity 10") })
    }

    @Test func clientInTwoPlacesAtOnce() throws {
        let found = try violations { roster, _ in
            let session = roster.sessions[0]
            let block = Block(id: session.block, start: session.start, end: session.end)
            roster.sessions.append(
                Session(
                    day: session.day, date: session.date, block: block, group: "mindfulness", section: 1,
                    room: session.room == "oak" ? "pine" : "oak", facilitators: ["f-patel"],
                    members: Array(session.members.prefix(2))))
        }
        #expect(found.contains { $0.hasSuffix("mon-am1-mindfulness-A at once") })
    }

    @Test func unqualifiedFacilitator() throws {
        let found = try violations { roster, _ in
            let i = roster.sessions.firstIndex { $0.group == "process" } ?? 0
            roster.sessions[i].facilitators = ["f-patel"]
        }
        #expect(found.contains { $0.contains("f-patel lacks licensed") })
    }

    @Test func absentFacilitator() throws {
        let found = try violations { roster, _ in
            let i = roster.sessions.firstIndex { $0.day == .wed && $0.group == "process" } ?? 0
            roster.sessions[i].facilitators = ["f-ortiz"]
        }
        #expect(found.contains { $0.hasSuffix("f-ortiz is absent that day") })
    }

    @Test func keptApartTogether() throws {
        let found = try violations { roster, _ in
            let i = roster.sessions.firstIndex { $0.members.contains("c-102") } ?? 0
            if !roster.sessions[i].members.contains("c-103") { roster.sessions[i].members.append("c-103") }
        }
        #expect(found.contains { $0.hasSuffix("c-102 and c-103 must be kept apart") })
    }

    @Test func reportedTotalsMustMatch() throws {
        let found = try violations { roster, _ in roster.clients[0].hours += 1.5 }
        #expect(found.contains { $0.hasPrefix("c-101: reported") && $0.contains("recomputed") })
    }

    @Test func outsideEnrolment() throws {
        let found = try violations { roster, _ in
            let i = roster.sessions.firstIndex { $0.day == .mon } ?? 0
            roster.sessions[i].members.append("c-108")
        }
        #expect(found.contains { $0.hasSuffix("c-108 is not admitted until 2026-12-08") })
    }

    @Test func groupNotOffered() throws {
        let found = try violations { roster, _ in
            let i = roster.sessions.firstIndex { $0.group == "dbt" } ?? 0
            roster.sessions[i].group = "psychoed"
        }
        #expect(found.contains { $0.contains("psychoed is not offered on") })
    }

    @Test func payerMaximum() throws {
        let found = try violations { roster, _ in
            for i in roster.sessions.indices
            where !roster.sessions[i].members.contains("c-107")
                && !roster.sessions.contains(where: {
                    $0.members.contains("c-107") && $0.day == roster.sessions[i].day
                        && $0.block == roster.sessions[i].block
                })
            {
                roster.sessions[i].members.append("c-107")
            }
        }
        #expect(found.contains { $0.hasPrefix("c-107 is scheduled") && $0.hasSuffix("above the payer maximum 12.0 h") })
    }
}
