import Foundation
import Testing

extension CLITests {
    /// A version's sessions, as the roster JSON has them.
    private func sessions(_ record: String, version: Int) throws -> [[String: Any]] {
        let json = try iop("roster", "show", record, String(version), "--format", "json").stdout
        let roster = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return roster?["sessions"] as? [[String: Any]] ?? []
    }

    /// A sign-in sheet for one day of a version: everyone present except `absent`.
    private func sheet(_ record: String, version: Int, day: String, absent: String? = nil) throws -> String {
        let path = temporary("\(day).csv")
        var rows = ["session_id,client,status,minutes,reason"]
        for session in try sessions(record, version: version) where session["day"] as? String == day {
            for member in session["members"] as? [String] ?? [] {
                rows.append(
                    "\(session["id"] as? String ?? ""),\(member),\(member == absent ? "absent_excused,,flu" : "present,,")"
                )
            }
        }
        try (rows.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(
        "two weeks driven only through the record: census, daily re-plans, pins, an absence, a denial, attendance, make-up, then the next week started from the record; every version valid, the record telling what happened"
    )
    func weekThroughTheRecord() throws {
        let record = temporary("week.sqlite")
        let scenario = "Scenarios/riverbend-small.yaml"
        try startRecord(record, scenario)
        // Monday: attended; c-101 off with flu.
        #expect(
            try iop("attendance", "import", record, try sheet(record, version: 1, day: "mon", absent: "c-101")).status
                == 0)
        // Tuesday 07:00: the EHR's census brings an admission and an earlier discharge; re-planned and published.
        let census = temporary("census.csv")
        try """
        client_id,track,admitted,planned_discharge,payer,authorization,authorized_from,authorized_to,min_hours,max_hours,plan
        c-201,adult,2026-12-08,2027-01-15,acme,A-5001,2026-12-08,2026-12-31,6,12,process:2
        c-104,adult,,2026-12-09,,,,,,,
        """.write(toFile: census, atomically: true, encoding: .utf8)
        #expect(
            try iop("census", "import", record, census, "--scenario", scenario, "--as-of", "2026-12-08T07:00").status
                == 0)
        let tuesday = try iop("replan", scenario, "--record", record, "--now", "2026-12-08T07:00", "--publish")
        #expect(
            tuesday.status == 0 && tuesday.stdout.contains("c-201 is added to")
                && tuesday.stderr.contains("roster version 2 published"))
        #expect(try iop("attendance", "import", record, try sheet(record, version: 2, day: "tue")).status == 0)
        // Wednesday 07:00: c-110 pinned to Thursday's process group, then Thursday's absence and leak file.
        #expect(
            try iop(
                "pin", record, "--scenario", scenario, "--client", "c-110", "--group", "process", "--day", "thu",
                "--block", "am1",
                "--as-of", "2026-12-09T07:00"
            ).status == 0)
        let wednesday = try iop(
            "replan", scenario, "--record", record, "--now", "2026-12-09T07:00", "--publish",
            "--events", "Scenarios/events/riverbend-thursday-absence.yaml")
        #expect(wednesday.status == 0 && wednesday.stderr.contains("roster version 3 published with 3 events kept"))
        // The payer denies c-107 on Wednesday; attendance; the make-up is applied Thursday morning.
        #expect(
            try iop("auth", "decide", record, "A-99812", "--on", "2026-12-09", "--denied", "--scenario", scenario)
                .status == 0)
        #expect(try iop("attendance", "import", record, try sheet(record, version: 3, day: "wed")).status == 0)
        let makeup = try iop("attendance", "makeup", record, scenario, "--as-of", "2026-12-10T07:00", "--apply")
        #expect(makeup.status == 0 && makeup.stdout.contains("roster version 4 published"))
        #expect(makeup.stdout.contains("authorization denied"))

        // What the record tells: every version, how it came; the latest valid against the week it knows.
        let versions = try iop("roster", "list", record).stdout
        #expect(
            versions.contains("Roster versions (4)") && versions.contains("re-planned from v1 after 2 events")
                && versions.contains("re-planned from v2 after 4 events")
                && versions.contains("make-up sessions added to v3"))
        let latest = temporary("latest.json")
        try iop("roster", "show", record, "4", "--format", "json").stdout.write(
            toFile: latest, atomically: true, encoding: .utf8)
        #expect(try iop("check", scenario, latest, "--record", record).status == 0)
        let rostered = try sessions(record, version: 4)
        let members = { (client: String, from: String) in
            rostered.filter {
                ($0["members"] as? [String] ?? []).contains(client) && ($0["date"] as? String ?? "") >= from
            }
        }
        #expect(!members("c-201", "2026-12-08").isEmpty)
        #expect(
            members("c-104", "2026-12-10").isEmpty && members("c-107", "2026-12-10").isEmpty
                && members("c-113", "2026-12-10").count > 0)
        #expect(
            rostered.contains {
                $0["day"] as? String == "thu" && $0["group"] as? String == "process"
                    && ($0["members"] as? [String] ?? []).contains("c-110")
            })
        #expect(
            !rostered.contains {
                $0["date"] as? String ?? "" >= "2026-12-10"
                    && ($0["facilitators"] as? [String] ?? []).contains("f-ortiz")
            })
        let events = try iop("events", record).stdout
        #expect(
            events.contains("Events (6)") && events.contains("c-201 admitted")
                && events.contains("c-110 pinned to process on Thu am1")
                && !events.contains("not yet in a published roster"))
        let report = try iop("attendance", "report", record, "--as-of", "2026-12-10").stdout
        #expect(report.contains("c-201") && report.contains("absent: 2026-12-07"))
        #expect(try iop("discharges", record, "--as-of", "2026-12-10").stdout.contains("c-104 (last day 2026-12-09)"))
        #expect(try iop("auth", "appeals", record).stdout.contains("A-99812 c-107"))
        #expect(try iop("billing", record).stdout.contains("c-201"))

        // The second week, started from the record: the discharged and the denied client leave the census.
        let next = temporary("next.yaml")
        let started = try iop("week", "start", record, "--scenario", scenario, "--week", "2026-12-14", "--out", next)
        #expect(
            started.status == 0 && started.stdout.contains("no longer enrolled: c-104, c-107")
                && started.stdout.contains("stored as draft version 5"))
        #expect(try iop("roster", "publish", record, "5", "--scenario", next).status == 0)
        #expect(
            try iop("attendance", "import", record, try sheet(record, version: 6, day: "mon", absent: "c-201")).status
                == 0)
        let second = temporary("second.json")
        try iop("roster", "show", record, "6", "--format", "json").stdout.write(
            toFile: second, atomically: true, encoding: .utf8)
        #expect(try iop("check", next, second, "--record", record).status == 0)
        #expect(try iop("events", record).stdout.contains("Events (0)"))
        let secondReport = try iop("attendance", "report", record, "--as-of", "2026-12-15").stdout
        #expect(
            secondReport.contains("Attendance, week of 2026-12-14") && secondReport.contains("absent: 2026-12-14")
                && !secondReport.contains("absent: 2026-12-07"))
        #expect(
            try iop("roster", "list", record).stdout.contains("v6  published  week of 2026-12-14  draft v5 published"))
    }
}

extension CLITests {
    @Test(
        "two weeks through the record: the next week started from the first, its census, continuity and absences carried; its commands see only its own events and attendance"
    )
    func twoWeeksThroughTheRecord() throws {
        let record = temporary("weeks.sqlite")
        let scenario = temporary("riverbend.yaml")
        let next = temporary("next-week.yaml")
        // Riverbend, with a preferred name for reminders.
        try String(contentsOfFile: "Scenarios/riverbend-small.yaml", encoding: .utf8)
            .replacingOccurrences(
                of: "- {id: c-101, track: adult,", with: "- {id: c-101, preferred_name: Robin Quill, track: adult,"
            )
            .write(toFile: scenario, atomically: true, encoding: .utf8)
        try startRecord(record, scenario)
        #expect(try iop("attendance", "import", record, try sheet(record, version: 1, day: "mon")).status == 0)
        // Thursday: f-ortiz out Thursday and Friday, oak lost for the morning, c-113 admitted; a court date for c-105 next Tuesday.
        let events = temporary("thursday.yaml")
        try
            (String(contentsOfFile: "Scenarios/events/riverbend-thursday-absence.yaml", encoding: .utf8)
            + "  - at: 2026-12-10T07:20\n    client_absence: {client: c-105, from: 2026-12-15}\n").write(
                toFile: events, atomically: true, encoding: .utf8)
        #expect(
            try iop(
                "replan", scenario, "--record", record, "--events", events, "--now", "2026-12-10T07:30", "--publish"
            ).status == 0)

        let started = try iop("week", "start", record, "--scenario", scenario, "--week", "2026-12-14", "--out", next)
        #expect(started.status == 0)
        #expect(
            started.stdout.contains(
                "week of 2026-12-14 started from the week of 2026-12-07: 11 clients; no longer enrolled: c-107, c-112"))
        #expect(started.stdout.contains("stored as draft version 3"))
        let written = try String(contentsOfFile: next, encoding: .utf8)
        #expect(
            written.contains("week_of: 2026-12-14") && written.contains("id: c-113") && !written.contains("id: c-112"))
        #expect(written.contains("preferred_name: \"Robin Quill\""))
        #expect(written.contains("absent: [2026-12-15]"))
        #expect(written.contains("last_week: {process: f-lee}"))
        let permissions = try FileManager.default.attributesOfItem(atPath: next)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        // A week that is not this one's successor, or a scenario of another week, is refused.
        #expect(
            try iop(
                "week", "start", record, "--scenario", scenario, "--week", "2026-12-21", "--out", temporary("x.yaml")
            ).status == 65)

        // Week two: the draft published, Monday attended, Tuesday's re-plan after an absence.
        #expect(try iop("roster", "publish", record, "3", "--scenario", next).status == 0)
        #expect(try iop("attendance", "import", record, try sheet(record, version: 4, day: "mon")).status == 0)
        let tuesday = temporary("tuesday.yaml")
        try "events:\n  - at: 2026-12-15T07:00\n    facilitator_absence: {facilitator: f-chen, from: 2026-12-16}\n"
            .write(toFile: tuesday, atomically: true, encoding: .utf8)
        let replan = try iop(
            "replan", next, "--record", record, "--events", tuesday, "--now", "2026-12-15T07:00", "--publish")
        #expect(replan.status == 0 && replan.stderr.contains("roster version 5 published with 1 event kept"))
        #expect(
            !(try sessions(record, version: 5)).contains { session in
                session["date"] as? String == "2026-12-15" && (session["members"] as? [String] ?? []).contains("c-105")
            })
        let list = try iop("events", record).stdout
        #expect(list.contains("Events (1)") && list.contains("f-chen absent 2026-12-16"))
        let versions = try iop("roster", "list", record).stdout
        #expect(
            versions.contains("v2  published  week of 2026-12-07")
                && versions.contains("v3  draft      week of 2026-12-14  planned when the week was started"))
        let latest = temporary("week2.json")
        try iop("roster", "show", record, "5", "--format", "json").stdout.write(
            toFile: latest, atomically: true, encoding: .utf8)
        #expect(try iop("check", next, latest, "--record", record).status == 0)
        // Week two's report counts week two's Monday only (sessions repeat their IDs from week to week).
        let minutes = { (time: String) in (Int(time.prefix(2)) ?? 0) * 60 + (Int(time.suffix(2)) ?? 0) }
        let monday = try sessions(record, version: 4).filter {
            $0["day"] as? String == "mon" && ($0["members"] as? [String] ?? []).contains("c-101")
        }
        let hours =
            Double(
                monday.reduce(0) { $0 + minutes($1["end"] as? String ?? "") - minutes($1["start"] as? String ?? "") })
            / 60
        let report = try iop("attendance", "report", record, "--as-of", "2026-12-15").stdout
        let c101 = try #require(report.split(separator: "\n").first { $0.hasPrefix("c-101") })
        #expect(hours > 0 && Double(c101.split(separator: " ")[1]) == hours)
        // The record's copy of the week keeps IDs, no names.
        for file in [record, record + "-wal"] where FileManager.default.fileExists(atPath: file) {
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: file)).range(of: Data("Robin Quill".utf8)) == nil, "\(file)")
        }
        // Week one's scenario is no longer the record's week.
        #expect(try iop("replan", scenario, "--record", record, "--now", "2026-12-11T07:00").status != 0)
    }
}
