import Foundation
import IOPDomain
import OperationsRecord
import TestSupport
import Testing

@testable import Exports

@Suite("Sign-in sheets and schedules")
struct SheetsTests {
    let scenario: Scenario
    let roster: Roster

    init() throws {
        scenario = try bundledScenario("riverbend-small.yaml")
        roster = try bundledRoster("riverbend-small-published.json")
    }

    @Test("the CSV sign-in sheet, once its status column is filled, is what attendance import records")
    func csvRoundTrip() throws {
        let sheets = Sheets(scenario: scenario, roster: roster)
        let monday = try #require(roster.sessions.first?.date)
        let blank = sheets.signInCSV(on: monday)
        let rows = blank.split(separator: "\n").map(String.init)
        let members = roster.sessions.filter { $0.date == monday }.reduce(0) { $0 + $1.members.count }
        #expect(rows.count == members + 1)
        let filled = ([rows[0]] + rows.dropFirst().map { $0.replacingOccurrences(of: ",,,", with: ",present,,") })
            .joined(separator: "\n")
        let entries = try SignInSheet.parse(filled, file: "sheet.csv", roster: roster).get()
        #expect(entries.count == members)
        #expect(entries.allSatisfy { $0.date == monday && $0.status == .present })
    }

    @Test("the printable sheets: one to a page per session of the day, each member listed by ID")
    func html() throws {
        let sheets = Sheets(scenario: scenario, roster: roster)
        let monday = try #require(roster.sessions.first?.date)
        let page = sheets.signInHTML(on: monday)
        let sessions = roster.sessions.filter { $0.date == monday }
        #expect(page.components(separatedBy: "<section class=\"sheet\">").count - 1 == sessions.count)
        #expect(page.contains("page-break-after: always"))
        for member in sessions.flatMap(\.members) { #expect(page.contains("<td>\(member.rawValue)</td>")) }
        #expect(!roster.sessions.contains { $0.date != monday && page.contains($0.id) })
    }

    @Test("a client's week names no other client; a facilitator's has each session they lead")
    func schedules() throws {
        let sheets = Sheets(scenario: scenario, roster: roster)
        let client = ClientID("c-101")
        let mine = roster.sessions.filter { $0.members.contains(client) }
        let csv = sheets.scheduleCSV(of: .client(client))
        #expect(csv.split(separator: "\n").count == mine.count + 1)
        let others = Set(mine.flatMap(\.members)).subtracting([client])
        #expect(!others.isEmpty)
        for page in [csv, sheets.scheduleHTML(of: .client(client))] {
            #expect(!others.contains { page.contains($0.rawValue) })
        }
        let led = roster.sessions.filter { $0.facilitators.contains("f-ortiz") }
        #expect(sheets.scheduleCSV(of: .facilitator("f-ortiz")).split(separator: "\n").count == led.count + 1)
        #expect(!sheets.knows(.client("c-999")))
    }

    @Test("text is escaped for HTML")
    func escaping() {
        #expect(Sheets.escape("<b> & \"x\"") == "&lt;b&gt; &amp; &quot;x&quot;")
    }
}
