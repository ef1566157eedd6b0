import Foundation
import TestSupport
import Testing

extension CLITests {
    /// A new record of the scenario with Monday's bundled roster published as version 1.
    func startRecord(_ record: String, _ scenario: String) throws {
        #expect(try iop("init", record).status == 0)
        #expect(try iop("import", record, scenario).status == 0)
        #expect(
            try iop("publish", record, "Scenarios/rosters/riverbend-small-published.json", "--scenario", scenario)
                .status == 0)
    }

    @Test(
        "roster versions: listed with their origins, compared, a stale revert refused whole, a draft published, an earlier version restored",
        arguments: RecordKind.tested
    )
    func rosterVersions(_ kind: RecordKind) throws {
        let record = try kind.newLocation("versions")
        let copy = temporary("v2.json")
        let scenario = "Scenarios/riverbend-small.yaml"
        try startRecord(record, scenario)
        #expect(
            try iop(
                "replan", scenario, "--record", record, "--events", "Scenarios/events/riverbend-thursday-absence.yaml",
                "--now", "2026-12-09T07:30", "--publish"
            ).status == 0)
        let list = try iop("roster", "list", record)
        #expect(list.stdout.contains("v1  published  week of 2026-12-07"))
        #expect(list.stdout.contains("stored from a file"))
        #expect(list.stdout.contains("re-planned from v1 after 3 events"))
        #expect(list.stdout.hasSuffix("Latest published: v2\n"))
        // The absence moved Thursday's process group from f-ortiz to f-lee.
        let diff = try iop("roster", "diff", record, "1", "2")
        #expect(
            diff.stdout.contains(
                "c-105 moves from Thu 09:00 process (f-ortiz, pine) to Thu 09:00 process (f-lee, pine)"))
        #expect(diff.stdout.contains("f-ortiz no longer leads Thu 09:00 process"))
        #expect(diff.stdout.contains("c-113 is added to Thu 09:00 process (f-lee, pine)"))
        // v1 still has the absent facilitator: going back to it is refused, nothing stored.
        let stale = try iop("roster", "revert", record, "1", "--scenario", scenario)
        #expect(stale.status == 65)
        #expect(stale.stderr.contains("thu-am1-process-A: f-ortiz is absent that day"))
        #expect(stale.stderr.contains("nothing was stored"))
        #expect(try iop("roster", "list", record).stdout.contains("Roster versions (2)"))
        // A draft of the same roster, published; then a copy of v2 as v5.
        let shown = try iop("roster", "show", record, "2", "--format", "json")
        try shown.stdout.write(toFile: copy, atomically: true, encoding: .utf8)
        #expect(try iop("publish", record, copy, "--scenario", scenario, "--draft").status == 0)
        #expect(
            try iop("roster", "revert", record, "3", "--scenario", scenario).stderr.contains(
                "v3 is a draft; iop roster publish"))
        #expect(
            try iop("roster", "publish", record, "3", "--scenario", scenario).stdout.contains(
                "roster version 4 published (draft v3)"))
        #expect(
            try iop("roster", "revert", record, "2", "--scenario", scenario).stdout.contains(
                "roster version 5 published (a copy of v2)"))
        let after = try iop("roster", "list", record).stdout
        #expect(after.contains("draft v3 published") && after.contains("a copy of v2 (reverted)"))
        #expect(try iop("roster", "diff", record, "2", "5").stdout == "v2 -> v5: 0 changes\n")
        let missing = try iop("roster", "show", record, "9")
        #expect(missing.status == 65)
        #expect(missing.stderr.contains("no roster version 9 in the record"))
        let text = try iop("roster", "show", record, "5").stdout
        #expect(
            text.hasPrefix(
                "Roster version 5: published, Riverbend Adult IOP, week of 2026-12-07, a copy of v2 (reverted)\nMon 2026-12-07\n"
            ))
        #expect(text.contains("  09:00-10:30  process 1      f-lee in pine: c-101 c-102"))
    }

    @Test(
        "an event entered by mistake is withdrawn: listed as such, the published roster named as no longer fitting, a re-plan without events takes it out",
        arguments: RecordKind.tested
    )
    func withdrawnEvent(_ kind: RecordKind) throws {
        let record = try kind.newLocation("withdraw")
        let scenario = "Scenarios/riverbend-small.yaml"
        try startRecord(record, scenario)
        #expect(
            try iop(
                "replan", scenario, "--record", record, "--events", "Scenarios/events/riverbend-thursday-absence.yaml",
                "--now", "2026-12-09T07:30", "--publish"
            ).status == 0)
        let withdrawn = try iop("events", record, "--withdraw", "3", "--scenario", scenario)
        #expect(withdrawn.status == 0)
        #expect(withdrawn.stdout.contains("withdrawn: event 3 (c-113 admitted)"))
        #expect(withdrawn.stdout.contains("The published roster v2 no longer fits the week (7 violations)"))
        #expect(withdrawn.stdout.contains("thu-am1-process-A: unknown client c-113"))
        let again = try iop("events", record, "--withdraw", "3", "--scenario", scenario)
        #expect(again.status == 65)
        #expect(again.stderr.contains("no event 3 in effect to withdraw; nothing was changed; in effect: 1, 2"))
        let listed = try iop("events", record).stdout
        #expect(listed.contains("3. 2026-12-10T07:10  c-113 admitted (WITHDRAWN)"))
        #expect(listed.contains("4. 2026-12-10T07:10  withdrawn: event 3 (c-113 admitted)"))
        // The re-plan needs no events file: the week as the record now knows it.
        let replan = try iop("replan", scenario, "--record", record, "--now", "2026-12-09T08:00", "--publish")
        #expect(replan.status == 0)
        #expect(replan.stdout.contains("c-113 leaves Thu 09:00 process (f-lee, pine): no longer in the program"))
        #expect(replan.stderr.contains("roster version 3 published"))
        let check = try iop("roster", "show", record, "3")
        #expect(!check.stdout.contains("c-113"))
        #expect(try iop("attendance", "report", record, "--as-of", "2026-12-09").stdout.contains("c-113") == false)
    }
}

extension CLITests {
    @Test(
        "a census import keeps its changes as events, all rows or none; the next re-plan rosters them with their reasons",
        arguments: RecordKind.tested
    )
    func censusImport(_ kind: RecordKind) throws {
        let record = try kind.newLocation("census")
        let census = temporary("census.csv")
        let bad = temporary("bad.csv")
        let scenario = "Scenarios/riverbend-small.yaml"
        try startRecord(record, scenario)
        try """
        client_id,track,planned_discharge,plan
        c-201,adult,,process:2;dbt:1
        c-202,adult,,process:2;dbx:1
        """.write(toFile: bad, atomically: true, encoding: .utf8)
        let rejected = try iop("census", "import", record, bad, "--scenario", scenario, "--as-of", "2026-12-09T07:00")
        #expect(rejected.status == 65)
        #expect(
            rejected.stderr.contains("bad.csv:3:4: plan: unknown group 'dbx'")
                && rejected.stderr.contains("nothing was kept"))
        #expect(try iop("events", record).stdout == "Events (0)\n")
        try """
        client_id,track,planned_discharge,plan
        c-201,adult,,process:2;dbt:1
        c-104,adult,2026-12-10,
        """.write(toFile: census, atomically: true, encoding: .utf8)
        let imported = try iop(
            "census", "import", record, census, "--scenario", scenario, "--as-of", "2026-12-09T07:00")
        #expect(imported.status == 0)
        #expect(imported.stdout.contains("2 changes kept as events from 2026-12-09T07:00; 0 clients unchanged"))
        #expect(imported.stdout.contains("Not in the file, still in the record"))
        #expect(try iop("events", record).stdout.contains("c-201 admitted  (entered by \(NSUserName()) at"))
        #expect(try iop("events", record).stdout.contains("not yet in a published roster"))
        let report = try iop("attendance", "report", record, "--as-of", "2026-12-09").stdout
        #expect(report.contains("c-201"))
        let replan = try iop("replan", scenario, "--record", record, "--now", "2026-12-09T07:00", "--publish")
        #expect(replan.status == 0)
        #expect(replan.stdout.contains("c-201 is added to Thu 09:00 process"))
        #expect(replan.stdout.contains(": admitted"))
        #expect(replan.stdout.contains("c-104 leaves Fri 09:00 process (f-ortiz, pine): discharged"))
        #expect(try iop("events", record).stdout.contains("c-201 admitted  (entered by \(NSUserName()) at"))
        #expect(!(try iop("events", record).stdout.contains("not yet in a published roster")))
        // The same census again says nothing new.
        #expect(
            try iop("census", "import", record, census, "--scenario", scenario, "--as-of", "2026-12-09T08:00").stdout
                .contains("nothing new against the record"))
    }
}

extension CLITests {
    @Test(
        "pins and bars kept in the record: applied by the next re-plan, a pin the week rules out reported, a bad group refused by its option",
        arguments: RecordKind.tested
    )
    func pinsAndBars(_ kind: RecordKind) throws {
        let record = try kind.newLocation("pins")
        let scenario = "Scenarios/riverbend-small.yaml"
        try startRecord(record, scenario)
        let bar = try iop(
            "bar", record, "--scenario", scenario, "--client", "c-101", "--group", "dbt", "--as-of", "2026-12-09T07:00")
        #expect(bar.status == 0 && bar.stdout.contains("c-101 barred from dbt, from 2026-12-09T07:00"))
        // c-104 comes Monday, Wednesday and Friday only.
        #expect(
            try iop(
                "pin", record, "--scenario", scenario, "--client", "c-104", "--group", "process", "--day", "thu",
                "--block", "am1",
                "--as-of", "2026-12-09T07:00"
            ).status == 0)
        let wrong = try iop(
            "bar", record, "--scenario", scenario, "--client", "c-101", "--group", "dbx", "--as-of", "2026-12-09T07:00")
        #expect(
            wrong.status == 65 && wrong.stderr.contains("--group: unknown group 'dbx'")
                && wrong.stderr.contains("nothing was kept"))
        #expect(
            try iop(
                "pin", record, "--scenario", scenario, "--client", "c-104", "--group", "process", "--as-of",
                "2026-12-09T07:00"
            ).status == 64)
        let replan = try iop("replan", scenario, "--record", record, "--now", "2026-12-09T07:00", "--publish")
        #expect(replan.status == 0)
        #expect(replan.stdout.contains("c-101 leaves Wed 10:45 dbt (f-chen, pine): barred by the coordinator"))
        #expect(
            replan.stdout.contains("c-104 is not in process on Thu am1 as pinned: cannot attend it: not available then")
        )
        // From Wednesday on, c-101 is in no dbt session; Monday's stays as it happened, and the
        // version passes the validator against the week as the record knows it.
        let roster = try iop("roster", "show", record, "2").stdout.split(separator: "\n").map(String.init)
        #expect(roster.contains { $0.contains("10:45-12:15  dbt 1") && $0.contains("c-101") })
        #expect(roster.filter { $0.contains("dbt 1") && $0.contains("c-101") }.count == 1)
        let copy = temporary("v2.json")
        try iop("roster", "show", record, "2", "--format", "json").stdout.write(
            toFile: copy, atomically: true, encoding: .utf8)
        #expect(try iop("publish", record, copy, "--scenario", scenario, "--draft").status == 0)
        // Monday's bundled roster, checked against the week the record knows, breaks the bar from Wednesday on.
        let stale = try iop("check", scenario, "Scenarios/rosters/riverbend-small-published.json", "--record", record)
        #expect(stale.status == 1 && stale.stdout.contains("c-101 is barred from dbt then by the coordinator"))
        #expect(try iop("check", scenario, "Scenarios/rosters/riverbend-small-published.json").status == 0)
        #expect(try iop("events", record).stdout.contains("c-104 pinned to process on Thu am1"))
    }
}

extension CLITests {
    @Test(
        "locks kept in the record: a locked session stays as published through a re-plan, one the week no longer allows is named"
    )
    func locks() throws {
        let record = temporary("locks.sqlite")
        let scenario = "Scenarios/riverbend-small.yaml"
        try startRecord(record, scenario)
        let friday = try iop(
            "lock", record, "--scenario", scenario, "--session", "fri-am2-dbt-A", "--as-of", "2026-12-09T17:00")
        #expect(friday.status == 0 && friday.stdout.contains("fri-am2-dbt-A locked, from 2026-12-09T17:00"))
        #expect(
            try iop(
                "lock", record, "--scenario", scenario, "--session", "thu-am2-relapse-A", "--as-of", "2026-12-09T17:00"
            ).status == 0)
        let unknown = try iop(
            "lock", record, "--scenario", scenario, "--session", "sat-am1-process-A", "--as-of", "2026-12-09T17:00")
        #expect(unknown.status == 65 && unknown.stderr.contains("no session sat-am1-process-A"))
        // Thursday: oak is lost for the morning, a client is admitted to dbt-heavy Friday's track.
        let replan = try iop(
            "replan", scenario, "--record", record, "--events", "Scenarios/events/riverbend-thursday-absence.yaml",
            "--now", "2026-12-10T07:30", "--publish")
        #expect(replan.status == 0)
        #expect(replan.stdout.contains("Locks that cannot hold (1), re-planned without them"))
        #expect(replan.stdout.contains("thu-am2-relapse-A is locked, but room oak may not host it then"))
        let published = try iop("roster", "show", record, "2", "--format", "json").stdout
        let monday = try String(contentsOfFile: "Scenarios/rosters/riverbend-small-published.json", encoding: .utf8)
        func session(_ id: String, in json: String) throws -> NSDictionary {
            let roster = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let sessions = try #require(roster["sessions"] as? [[String: Any]])
            return NSDictionary(dictionary: try #require(sessions.first { $0["id"] as? String == id }))
        }
        #expect(try session("fri-am2-dbt-A", in: published) == session("fri-am2-dbt-A", in: monday))
        #expect(try iop("check", scenario, "--record", record, temporaryRoster(published)).status == 0)
        #expect(try iop("events", record).stdout.contains("fri-am2-dbt-A locked"))
    }

    /// The roster text in a file of its own, for `iop check`.
    private func temporaryRoster(_ json: String) throws -> String {
        let path = temporary("locked.json")
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

extension CLITests {
    @Test(
        "iop user add reads the password from standard input, refuses a short one or a taken name; iop serve needs the week's scenario"
    )
    func usersAndServe() throws {
        let record = temporary("served.sqlite")
        try startRecord(record, "Scenarios/riverbend-small.yaml")
        let add = try iop(
            input: "a long coordinator passphrase\n", "user", "add", record, "dana", "--role", "coordinator")
        #expect(add.status == 0)
        #expect(add.stdout == "\(record): user dana added as coordinator\n")
        let again = try iop(input: "another long passphrase\n", "user", "add", record, "dana", "--role", "admin")
        #expect(again.status == 65)
        #expect(again.stderr.contains("a user named 'dana' exists already"))
        let short = try iop(input: "short\n", "user", "add", record, "lee", "--role", "clinician")
        #expect(short.status == 65)
        #expect(short.stderr.contains("at least 12 characters"))
        let none = try iop("user", "add", record, "kim", "--role", "director")
        #expect(none.status == 65)
        #expect(none.stderr.contains("no password on standard input"))
        #expect(try iop("user", "list", record).stdout == "Users (1)\n  dana  coordinator\n")
        let role = try iop(input: "a long passphrase\n", "user", "add", record, "kim", "--role", "boss")
        #expect(role.status == 64)

        // A record made without `iop import` keeps no scenario: the server says what to do.
        let bare = temporary("bare.sqlite")
        #expect(try iop("init", bare).status == 0)
        let serve = try iop("serve", bare, "--port", "0")
        #expect(serve.status == 65)
        #expect(serve.stderr.contains("keeps no scenario for its week; run iop import"))
    }
}

extension CLITests {
    @Test("the attendance report as CSV (one row per client) and as JSON, the same figures as the text")
    func attendanceReportFormats() throws {
        let record = temporary("report.sqlite")
        let sheet = temporary("monday.csv")
        try startRecord(record, "Scenarios/riverbend-small.yaml")
        try "session_id,client,status,minutes,reason\nmon-am1-process-A,c-101,absent_excused,,flu\n"
            .write(toFile: sheet, atomically: true, encoding: .utf8)
        #expect(try iop("attendance", "import", record, sheet).status == 0)
        let csv = try iop("attendance", "report", record, "--as-of", "2026-12-08", "--format", "csv")
        #expect(csv.status == 0)
        let rows = csv.stdout.split(separator: "\n").map(String.init)
        #expect(
            rows.first?.hasPrefix("client,minimum_hours,attended_hours,remaining_hours,projected_hours,risk") == true)
        #expect(rows.count == 13)
        #expect(rows.contains { $0.hasPrefix("c-101,") && $0.contains("absent_excused: flu") })
        let json = try iop("attendance", "report", record, "--as-of", "2026-12-08", "--format", "json")
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["as_of"] as? String == "2026-12-08")
        let clients = try #require(object["clients"] as? [[String: Any]])
        #expect(clients.count == 12)
        #expect((clients.first { $0["client"] as? String == "c-101" }?["absences"] as? [String])?.count == 1)
    }

    @Test(
        "auth due, appeals, billing and discharges as CSV and JSON: the same items as the text, in documented columns")
    func reportsAsData() throws {
        let record = temporary("reports.sqlite")
        let sheet = temporary("monday.csv")
        let scenario = "Scenarios/riverbend-small.yaml"
        try startRecord(record, scenario)
        try "session_id,client,status,minutes,reason\ntue-am1-process-B,c-107,present,,\n"
            .write(toFile: sheet, atomically: true, encoding: .utf8)
        #expect(try iop("attendance", "import", record, sheet).status == 0)
        func json(_ arguments: String...) throws -> [String: Any] {
            let run = try iop(arguments + ["--format", "json"])
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            return try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        }
        func csv(_ arguments: String...) throws -> [String] {
            let run = try iop(arguments + ["--format", "csv"])
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            return run.stdout.split(separator: "\n").map(String.init)
        }
        let due = try json("auth", "due", record, "--as-of", "2026-12-07")
        let items = try #require(due["items"] as? [[String: Any]])
        let expiry = try #require(items.first { $0["kind"] as? String == "expiry" })
        #expect(expiry["client"] as? String == "c-107" && expiry["date"] as? String == "2026-12-13")
        #expect((expiry["units"] as? [String: Any])?["approved"] as? Double == 6)
        let dueRows = try csv("auth", "due", record, "--as-of", "2026-12-07")
        #expect(dueRows.first?.hasPrefix("date,kind,client,payer,number,level_of_care,from,to") == true)
        #expect(dueRows.contains { $0.hasPrefix("2026-12-13,expiry,c-107,acme,A-99812,IOP,2026-11-30,2026-12-13,") })
        #expect(dueRows.count == items.count + 1)

        let denied = try iop(
            "auth", "decide", record, "A-99812", "--on", "2026-12-09", "--denied", "--scenario", scenario)
        #expect(denied.status == 0)
        let appeals = try #require(try json("auth", "appeals", record)["appeals"] as? [[String: Any]])
        #expect(appeals.count == 1)
        #expect(appeals.first?["deadline"] as? String == "2027-01-08")
        #expect((appeals.first?["missing"] as? [String])?.contains("attendance report") == true)
        let appealRows = try csv("auth", "appeals", record)
        #expect(appealRows.first == "number,client,opened_on,deadline,peer_to_peer,missing")
        #expect(appealRows.dropFirst().first?.hasPrefix("A-99812,c-107,2026-12-09,2027-01-08,") == true)

        let billing = try #require(try json("billing", record)["clients"] as? [[String: Any]])
        let days = try #require(billing.first { $0["client"] as? String == "c-107" }?["days"] as? [[String: Any]])
        let attended = try #require((days.first?["sessions"] as? [[String: Any]])?.first)
        #expect(attended["session"] as? String == "tue-am1-process-B" && attended["group"] as? String == "process")
        let billingRows = try csv("billing", record)
        #expect(billingRows.first?.hasPrefix("client,date,minutes,billable,procedure_code") == true)
        #expect(billingRows.contains { $0.hasPrefix("c-107,2026-12-08,90,false,H0015,0906,") })

        let checklist = try json("discharges", record, "--as-of", "2026-12-11")
        let open = (checklist["overdue"] as? [Any] ?? []).count + (checklist["due_next"] as? [Any] ?? []).count
        let checklistRows = try csv("discharges", record, "--as-of", "2026-12-11")
        #expect(checklistRows.first == "status,due,client,last_day,item")
        #expect(checklistRows.count == open + 1)
    }

    @Test(
        "export sheets, schedule and fhir from the record: owner-only files; an empty day or an unknown person is refused"
    )
    func paperAndEHR() throws {
        let record = temporary("paper.sqlite")
        let scenario = "Scenarios/riverbend-small.yaml"
        try startRecord(record, scenario)
        let sheets = temporary("sheets.html")
        #expect(
            try iop("export", "sheets", scenario, "--record", record, "--day", "2026-12-08", "--out", sheets).status
                == 0)
        #expect((try FileManager.default.attributesOfItem(atPath: sheets)[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: sheets, encoding: .utf8).contains("tue-am1-process-A"))
        let weekend = try iop("export", "sheets", scenario, "--record", record, "--day", "2026-12-12")
        #expect(weekend.status == 65 && weekend.stderr.contains("no sessions on 2026-12-12"))
        let stranger = try iop("export", "schedule", scenario, "--record", record, "--client", "c-999")
        #expect(stranger.status == 65 && stranger.stderr.contains("unknown client 'c-999'"))
        #expect(try iop("export", "schedule", scenario, "--record", record).status == 64)
        let bundle = temporary("week.json")
        #expect(try iop("export", "fhir", scenario, "--record", record, "--out", bundle).status == 0)
        #expect((try FileManager.default.attributesOfItem(atPath: bundle)[.posixPermissions] as? Int) == 0o600)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bundle)))
        #expect((object as? [String: Any])?["resourceType"] as? String == "Bundle")
    }
}
