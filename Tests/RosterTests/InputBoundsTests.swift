import IOPDomain
import ScenarioFile
import Testing

/// Values no program could have are located errors, never crashes downstream; errors
/// quote keys and positions, never a client's data, and stay small.
@Suite("Input bounds")
struct InputBoundsTests {
    private func issues(_ yaml: String) -> [String] { scenarioIssues(yaml) }

    private func week(policy: String = "{}", client: String = "{id: c-1, track: adult}", extra: String = "") -> String {
        """
        program:
          name: Bounds
          week_of: 2026-12-07
          days: [mon]
          blocks: [{id: am, start: "09:00", end: "12:00"}]
          rooms: [{id: oak, capacity: 10}]
          policy: \(policy)
        groups: [{id: g, capacity: 10}]
        offerings: [{group: g, blocks: [am]}]
        facilitators: [{id: f-1}]
        clients:
          - \(client)
        \(extra)
        """
    }

    @Test("hours, days and weights beyond any week are rejected with their key path (they used to crash the plan)")
    func hugeNumbers() {
        #expect(
            issues(week(policy: "{max_hours_per_week: 1e30}"))
                == ["bad.yaml:7:32: program.policy.max_hours_per_week: expected a number of at most 168, found 1e30"])
        #expect(
            issues(week(policy: "{billable_day_min_hours: 25}"))
                == ["bad.yaml:7:36: program.policy.billable_day_min_hours: expected a number of at most 24, found 25"])
        #expect(
            issues(week(policy: "{min_days_per_week: 9223372036854775807}"))
                == [
                    "bad.yaml:7:31: program.policy.min_days_per_week: expected a whole number of at most 7, found 9223372036854775807"
                ])
        #expect(
            issues(week(extra: "weights: {weekly_hours_short: 9223372036854775807}"))
                == [
                    "bad.yaml:13:31: weights.weekly_hours_short: expected a whole number of at most 1000000, found 9223372036854775807"
                ])
    }

    @Test("empty, null and over-long IDs, and signed dates and times, are rejected")
    func malformedValues() {
        #expect(
            issues(week(client: "{id: \"\", track: adult}"))
                == [
                    "bad.yaml:12:10: clients[0].id: expected an ID of 1 to 64 characters without spaces or control characters, found empty text"
                ])
        #expect(
            issues(week(client: "{id: ~, track: adult}")) == [
                "bad.yaml:12:10: clients[0].id: expected an ID, found nothing (null)"
            ])
        let long = String(repeating: "c", count: 250)
        #expect(
            issues(week(client: "{id: \(long), track: adult}")).first?.contains("expected an ID of 1 to 64 characters")
                == true)
        #expect(issues(week(client: "{id: \(long), track: adult}")).first?.contains(long) == false)
        #expect(
            issues(week(client: "{id: c-1, track: adult, admitted: 2026-12-+7}"))
                == [
                    "bad.yaml:12:39: clients[0].admitted: expected a date YYYY-MM-DD from 2000-01-01 to 2099-12-31, found '2026-12-+7'"
                ])
        // Payer names and authorization numbers may have spaces inside, not be empty.
        #expect(
            issues(
                week(
                    client:
                        "{id: c-1, track: adult, authorization: {payer: Blue Cross, number: A 17, from: 2026-12-01, to: 2026-12-31}}"
                )
            ).isEmpty)
        #expect(
            issues(
                week(
                    client:
                        "{id: c-1, track: adult, authorization: {payer: ~, number: A-1, from: 2026-12-01, to: 2026-12-31}}"
                )
            )
            .first?.contains("authorization.payer: expected a name, found nothing (null)") == true)
        #expect(LocalDate(iso: "9999-12-31") == nil && LocalDate(iso: "2026-12-07") != nil)
        #expect(ClockTime("+9:00") == nil && ClockTime("9:00") != nil)
        #expect(DateTime(iso: "2026-12-09TT07:00") == nil && DateTime(iso: "2026-12-09T07:00") != nil)
    }

    @Test("a syntax error names its line, never the text around it (a duplicate key, a control character)")
    func syntaxErrorsCarryNoData() {
        let duplicate = week(client: "{id: c-1, track: adult, preferred_name: Jane Roe, preferred_name: Jane Roe}")
        let found = issues(duplicate)
        #expect(found.count == 1 && found[0].hasPrefix("bad.yaml:12:"), "\(found)")
        #expect(!found.joined().contains("Jane"))
        let control = week(client: "{id: c-1, track: adult, preferred_name: \"Jane\u{7}Roe\"}")
        let issue = issues(control)
        #expect(issue.count == 1 && !issue.joined().contains("Jane"), "\(issue)")
    }

    @Test("ten thousand bad references make a short error: at most 100 lines, each listing at most a dozen choices")
    func errorsStaySmall() {
        let offerings = (0..<10_000).map { "  - {group: g\($0), blocks: [am]}" }.joined(separator: "\n")
        let groups = (0..<50).map { "{id: h\($0), capacity: 10}" }.joined(separator: ", ")
        let yaml = week().replacingOccurrences(of: "groups: [{id: g, capacity: 10}]", with: "groups: [\(groups)]")
            .replacingOccurrences(of: "offerings: [{group: g, blocks: [am]}]", with: "offerings:\n\(offerings)")
        do {
            _ = try ScenarioLoader.parse(yaml, file: "bad.yaml")
            Issue.record("expected errors")
        } catch {
            let text = error.description
            #expect(error.issues.count == 10_000)
            #expect(text.split(separator: "\n").count == 101)
            #expect(text.hasSuffix("and 9900 more"))
            #expect(text.utf8.count < 30_000)
        }
    }

    @Test("an admission may not reuse a client's ID, nor admit one client twice")
    func admissionsAreNew() throws {
        let scenario = try ScenarioLoader.parse(week(), file: "week.yaml")
        func events(_ body: String) -> [String] {
            do {
                _ = try EventsLoader.parse("events:\n" + body, file: "events.yaml", for: scenario)
                return []
            } catch {
                return error.issues.map(\.description)
            }
        }
        #expect(
            events("  - {at: 2026-12-07T07:00, admission: {id: c-1, track: adult}}")
                == ["events.yaml:2:44: events[0].admission.id: client c-1 is already in the census; expected a new ID"])
        let twice = events(
            "  - {at: 2026-12-07T07:00, admission: {id: c-2, track: adult}}\n  - {at: 2026-12-07T07:10, admission: {id: c-2, track: adult}}"
        )
        #expect(twice.contains { $0.contains("client c-2 is admitted twice") })
        #expect(
            events("  - {at: 2026-12-07TT07:00, step_up: {client: c-1}}").first?.contains("expected a date and time")
                == true)
    }

    @Test(
        "a value run into its key by an invisible character (a byte-order mark after the colon) is not repeated in the error"
    )
    func keyWithValueNotRepeated() {
        let yaml = tiny(
            groups: "  - {id: g, capacity: 10}", offerings: "  - {group: g, blocks: [b1]}",
            facilitators: "  - {id: f1}",
            clients: "  - {id: c1, preferred_name:\u{FEFF} Zed-Name-6, track: a}")
        let issues = scenarioIssues(yaml)
        #expect(
            issues.contains {
                $0.contains("clients[0]: unknown key with spaces or invisible characters (not repeated here)")
            }, "\(issues)")
        #expect(!issues.contains { $0.contains("Zed-Name") })
    }
}
