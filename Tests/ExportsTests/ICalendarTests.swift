import Foundation
import IOPDomain
import TestSupport
import Testing

@testable import Exports

@Suite("iCalendar feeds")
struct ICalendarTests {
    let scenario: Scenario
    let roster: Roster

    init() throws {
        scenario = try bundledScenario("riverbend-small.yaml")
        roster = try bundledRoster("riverbend-small-published.json")
    }

    private func events(_ feed: String) -> [String] {
        feed.components(separatedBy: "BEGIN:VEVENT").dropFirst().map { $0 }
    }

    @Test("a facilitator's feed has one event per session they lead, at the program's time in UTC")
    func facilitatorFeed() throws {
        let feed = ICalendar(scenario: scenario, roster: roster).feed(for: .facilitator("f-chen"))
        let led = roster.sessions.filter { $0.facilitators.contains("f-chen") }
        #expect(events(feed).count == led.count)
        #expect(feed.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(feed.hasSuffix("END:VCALENDAR\r\n"))
        // Monday's DBT at 10:45 in Chicago (UTC-6 in December) is 16:45 UTC.
        let monday = try #require(led.first { $0.date == LocalDate(iso: "2026-12-07") && $0.group == "dbt" })
        #expect(feed.contains("UID:2026-12-07-\(monday.id)@riverbend-adult-iop.iop-scheduler"))
        #expect(feed.contains("DTSTART:20261207T164500Z"))
        #expect(!feed.contains("STATUS:CANCELLED"))
    }

    @Test("a client's feed names the group, the time and the room, and no other client")
    func clientFeed() {
        let feed = ICalendar(scenario: scenario, roster: roster).feed(for: .client("c-101"))
        let mine = roster.sessions.filter { $0.members.contains("c-101") }
        #expect(events(feed).count == mine.count)
        let others = Set(roster.sessions.flatMap(\.members)).subtracting(["c-101"])
        #expect(others.allSatisfy { !feed.contains($0.rawValue) })
        #expect(!feed.contains("DESCRIPTION"))
        #expect(feed.contains("CLASS:PRIVATE"))
    }

    @Test("after a re-plan the same sessions keep their UIDs, and a session no longer theirs is cancelled")
    func replanned() throws {
        var moved = roster
        let index = try #require(moved.sessions.firstIndex { $0.facilitators.contains("f-chen") })
        let dropped = moved.sessions[index]
        moved.sessions[index].facilitators = ["f-lee"]
        let before = ICalendar(scenario: scenario, roster: roster).feed(for: .facilitator("f-chen"))
        let after = ICalendar(scenario: scenario, roster: moved, previous: roster, sequence: 2)
            .feed(for: .facilitator("f-chen"))
        let uids = { (feed: String) in Set(feed.split(separator: "\r\n").filter { $0.hasPrefix("UID:") }) }
        #expect(uids(after) == uids(before))
        let cancelled = try #require(events(after).first { $0.contains("STATUS:CANCELLED") })
        #expect(cancelled.contains("UID:2026-12-07-\(dropped.id)@"))
        #expect(after.contains("SEQUENCE:2"))
    }

    @Test("lines fold at 75 octets without splitting a character; text values are escaped")
    func folding() {
        let line = "SUMMARY:" + String(repeating: "é", count: 80)
        let folded = ICalendar.folded(line)
        let parts = folded.components(separatedBy: "\r\n")
        #expect(parts.count > 1)
        #expect(parts.allSatisfy { $0.utf8.count <= 75 })
        #expect(parts.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(
            parts.enumerated().map { $0.offset == 0 ? $0.element : String($0.element.dropFirst()) }.joined() == line)
        #expect(ICalendar.text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne")
    }
}
