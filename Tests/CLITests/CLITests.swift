import Foundation
import OperationsRecord
import TestSupport
import Testing

/// `iop` run as a user runs it: the built binary, its output and its exit code.
@Suite("The iop command line")
struct CLITests {
    typealias Run = ProcessRun

    static let root = repositoryRoot

    static var binary: URL {
        // The test bundle sits beside the products of the same build.
        let bundle = Bundle.main.bundleURL
        for candidate in [
            bundle.deletingLastPathComponent().appendingPathComponent("iop"), bundle.appendingPathComponent("iop"),
        ]
        where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        return root.appendingPathComponent(".build/debug/iop")
    }

    func iop(_ arguments: String...) throws -> Run { try iop(arguments) }

    func iop(_ arguments: [String]) throws -> Run { try runProcess(Self.binary, arguments, in: Self.root) }

    /// ``iop(_:)`` with `input` on standard input.
    func iop(input: String, _ arguments: String...) throws -> Run {
        try runProcess(Self.binary, arguments, in: Self.root, input: input)
    }

    func temporary(_ name: String) -> String { temporaryPath(name, prefix: "iop-cli") }

    @Test("iop version")
    func version() throws {
        let run = try iop("version")
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("iop "))
    }

    @Test("the plan's client lines keep their columns when hour limits or IDs differ in width")
    func clientColumnsAligned() throws {
        let path = temporary("columns.yaml")
        try """
        program: {name: Columns, week_of: 2026-12-07, days: [mon, tue, wed], blocks: [{id: b1, start: "09:00", end: "12:00"}],
                  rooms: [{id: r1, capacity: 10}], policy: {min_participants: 1}}
        groups: [{id: g, capacity: 10}]
        offerings: [{group: g, blocks: [b1]}]
        facilitators: [{id: f1}]
        clients:
          - {id: c-1, track: a}
          - {id: c-long-id, track: a, authorization: {payer: p, number: N-1, from: 2026-12-01, to: 2026-12-31, min_hours_per_week: 12, max_hours_per_week: 15}}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let lines = try iop("plan", path).stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("  c-") }
        #expect(lines.count == 2)
        #expect(Set(lines.compactMap { $0.range(of: "days ")?.lowerBound.utf16Offset(in: $0) }).count == 1, "\(lines)")
        #expect(
            Set(lines.compactMap { $0.range(of: "billable ")?.lowerBound.utf16Offset(in: $0) }).count == 1, "\(lines)")
    }

    @Test("solve-lp prints status, objective, bound, gap and the non-zero variables")
    func solveLP() throws {
        let run = try iop("solve-lp", "Scenarios/lp/small-roster.lp")
        #expect(run.status == 0)
        #expect(run.stdout.contains("found      optimal"))
        #expect(run.stdout.contains("objective  10"))
        #expect(run.stdout.contains("x(c1,a)  1"))
    }

    @Test("plan --stage-models makes its folder and writes each stage's model for the owner only")
    func stageModels() throws {
        let folder = temporary("stages") + "/riverbend"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try iop("plan", "Scenarios/riverbend-small.yaml", "--stage-models", folder, "--format", "json")
        #expect(run.status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(files.first == "tier1.lp" && files.allSatisfy { $0.hasPrefix("tier") && $0.hasSuffix(".lp") })
        for file in files {
            let permissions =
                try FileManager.default.attributesOfItem(atPath: folder + "/" + file)[.posixPermissions] as? Int
            #expect(permissions == 0o600, "\(file)")
        }
        #expect(try String(contentsOfFile: folder + "/tier1.lp", encoding: .utf8).contains("x(c~101,"))
    }

    @Test("replan --stage-models writes the re-plan's stage models; plan refuses it on a folder")
    func replanStageModels() throws {
        let published = temporary("stages-published.json")
        let folder = temporary("replan-stages")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try iop("plan", "Scenarios/riverbend-small.yaml", "--format", "json", "--out", published).status == 0)
        let replan = try iop(
            "replan", "Scenarios/riverbend-small.yaml", "--roster", published,
            "--events", "Scenarios/events/riverbend-thursday-absence.yaml", "--now", "2026-12-10T07:30",
            "--stage-models", folder, "--format", "json")
        #expect(replan.status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(files == ["tier1.lp", "tier2.lp", "tier3.lp", "tier4.lp"])
        // The re-plan's tier 3 charges changes to what was published.
        #expect(try String(contentsOfFile: folder + "/tier3.lp", encoding: .utf8).contains("change("))
        let refused = try iop("plan", "Scenarios", "--stage-models", folder)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("--stage-models takes one scenario file, not a folder"))
    }

    @Test("solve-lp on a file GLPK cannot parse: a message with the line, exit 65, no crash")
    func solveLPUnparsable() throws {
        let path = temporary("bad.lp")
        try "Minimize\n obj: x + y\nSubject To\n c1: x + y >=\nEnd\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let run = try iop("solve-lp", path)
        #expect(run.status == 65)
        #expect(run.stderr.contains("bad.lp:5: missing right-hand side"))
        #expect(run.stdout.isEmpty)
    }

    @Test("an infeasible LP is an answer with exit code 3")
    func solveLPInfeasible() throws {
        let path = temporary("infeasible.lp")
        try "Maximize\n obj: x\nSubject To\n c1: x >= 2\nBounds\n x <= 1\nEnd\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let run = try iop("solve-lp", path, "--format", "json")
        #expect(run.status == 3)
        #expect(run.stdout.contains("\"status\" : \"none\""))
        #expect(run.stdout.contains("\"termination\" : \"infeasible\""))
        // Bounds that cross are infeasible too, not an invalid file, and the message names the file.
        let crossed = temporary("crossed.lp")
        try "Minimize\n obj: x\nSubject To\n c1: x >= 2\nBounds\n 3 <= x <= 1\nEnd\n".write(
            toFile: crossed, atomically: true, encoding: .utf8)
        let bounds = try iop("solve-lp", crossed)
        #expect(bounds.status == 3)
        #expect(bounds.stdout.contains("stopped    infeasible"))
        #expect(bounds.stderr.contains("\(crossed): variable 'x': lower bound 3 exceeds upper bound 1"))
    }

    @Test("validate reports every problem with file and line, exit 65")
    func validateInvalid() throws {
        let path = temporary("bad.yaml")
        try """
        program: {name: X, week_of: 2026-12-07, days: [mon], blocks: [{id: b, start: "10:00", end: "09:00"}], rooms: [{id: r, capacity: 0}]}
        groups: [{id: g, capacity: 5}]
        offerings: [{group: h, blocks: [b]}]
        facilitators: [{id: f}]
        clients: [{id: c, track: a}]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try iop("validate", path)
        #expect(run.status == 65)
        #expect(run.stderr.contains("3 problems in \(path)"))
        #expect(
            run.stderr.contains(
                "\(path):1:92: program.blocks[0].end: expected an end after the start 10:00; found 09:00"))
        #expect(run.stderr.contains("program.rooms[0].capacity: expected a whole number of at least 1, found 0"))
        #expect(run.stderr.contains("offerings[0].group: unknown group 'h'"))
    }

    @Test("plan writes an owner-only file; check accepts it; csv has one row per client per session")
    func planCheckCSV() throws {
        let json = temporary("roster.json")
        let plan = try iop("plan", "Scenarios/riverbend-small.yaml", "--format", "json", "--out", json)
        #expect(plan.status == 0)
        let permissions = try FileManager.default.attributesOfItem(atPath: json)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let check = try iop("check", "Scenarios/riverbend-small.yaml", json)
        #expect(check.status == 0)
        #expect(check.stdout.contains("every hard rule holds and every total matches"))

        let csv = try iop("plan", "Scenarios/riverbend-small.yaml", "--format", "csv")
        let rows = csv.stdout.split(separator: "\n")
        #expect(rows.first == "client,date,day,block,start,end,group,section,session_id,room,facilitators")
        #expect(rows.count > 40)
    }

    @Test("check rejects a tampered roster with exit 1 and names the violation")
    func checkTampered() throws {
        let json = temporary("roster.json")
        _ = try iop("plan", "Scenarios/riverbend-small.yaml", "--format", "json", "--out", json)
        var text = try String(contentsOfFile: json, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"f-ortiz\"", with: "\"f-patel\"")
        try text.write(toFile: json, atomically: true, encoding: .utf8)
        let check = try iop("check", "Scenarios/riverbend-small.yaml", json)
        #expect(check.status == 1)
        #expect(check.stdout.contains("f-patel lacks licensed"))
    }

    @Test("plan text shows the grid, the clients and the explanation")
    func planText() throws {
        let run = try iop("plan", "Scenarios/riverbend-small.yaml")
        #expect(run.status == 0)
        #expect(run.stdout.contains("Riverbend Adult IOP, week of 2026-12-07: optimal"))
        #expect(
            run.stdout.contains(
                "Proven: client hours and days best possible; treatment plans best possible; "
                    + "stability and continuity best possible; sections, staff load and preferences best possible"))
        #expect(run.stdout.contains("| Mon 12-07"))
        #expect(run.stdout.contains("Shortfalls (1)"))
        #expect(run.stdout.contains("c-104 gets 0 of 1 psychoed sessions"))
    }

    @Test("export-lp writes a model GLPK reads back; unreadable inputs exit 66")
    func exportLP() throws {
        let lp = temporary("model.lp")
        let export = try iop("export-lp", "Scenarios/riverbend-small.yaml", "--out", lp)
        #expect(export.status == 0)
        let text = try String(contentsOfFile: lp, encoding: .utf8)
        #expect(text.contains("capacity(mon,am1,process)"))
        let solve = try iop("solve-lp", lp)
        #expect(solve.status == 0)
        #expect(solve.stdout.contains("found      optimal"))
        #expect(try iop("plan", "/nonexistent.yaml").status == 66)
    }

    @Test("the daily loop: plan, an absence at 7 a.m., re-plan, check, reminders, what-if")
    func dailyLoop() throws {
        let published = temporary("published.json")
        let replanned = temporary("replanned.json")
        #expect(try iop("plan", "Scenarios/riverbend-small.yaml", "--format", "json", "--out", published).status == 0)
        let replan = try iop(
            "replan", "Scenarios/riverbend-small.yaml", "--roster", published,
            "--events", "Scenarios/events/riverbend-thursday-absence.yaml", "--now", "2026-12-10T07:30",
            "--format", "json", "--out", replanned)
        #expect(replan.status == 0)
        let text = try String(contentsOfFile: replanned, encoding: .utf8)
        #expect(text.contains("\"reason\" : \"f-ortiz is absent\""))
        #expect(text.contains("\"messages\""))
        let check = try iop(
            "check", "Scenarios/riverbend-small.yaml", replanned, "--events",
            "Scenarios/events/riverbend-thursday-absence.yaml")
        #expect(check.status == 0)
        let reminders = try iop(
            "reminders", "Scenarios/riverbend-small.yaml", "--roster", replanned, "--for", "2026-12-10", "--since",
            published)
        #expect(reminders.status == 0)
        #expect(reminders.stdout.contains("09:00-10:30 process, room pine, with f-lee (CHANGED)"))
        let whatif = try iop(
            "whatif", "Scenarios/riverbend-small.yaml", "--roster", replanned, "--absent", "f-lee", "--on",
            "2026-12-11",
            "--now", "2026-12-10T18:00", "--with-events", "Scenarios/events/riverbend-thursday-absence.yaml")
        #expect(whatif.status == 0)
        #expect(whatif.stdout.contains("What if: f-lee absent 2026-12-11"))
        // With Ortiz already out, nobody licensed is left for Friday's process group.
        #expect(whatif.stdout.contains("  - fri-am1-process-A (f-lee, "))
        let hours =
            whatif.stdout.split(separator: "\n").first { $0.hasPrefix("  weekly_hours") }?
            .split(separator: " ").compactMap { Double($0) } ?? []
        #expect(hours.count == 2 && hours[1] > hours[0], "weekly hours short should rise: \(hours)")
        let ranking = try iop(
            "whatif", "Scenarios/riverbend-small.yaml", "--roster", replanned, "--each-facilitator", "--on",
            "2026-12-11",
            "--now", "2026-12-10T18:00", "--with-events", "Scenarios/events/riverbend-thursday-absence.yaml")
        #expect(ranking.stdout.split(separator: "\n").dropFirst(2).first?.hasPrefix("  f-lee") == true)
        // The what-if saved nothing.
        #expect(try String(contentsOfFile: replanned, encoding: .utf8) == text)
    }

    @Test("replan with a broken events file: every problem, exit 65, nothing written")
    func replanBadEvents() throws {
        let published = temporary("published.json")
        let events = temporary("events.yaml")
        let out = temporary("out.json")
        _ = try iop("plan", "Scenarios/riverbend-small.yaml", "--format", "json", "--out", published)
        try "events:\n  - {at: 2026-12-10T07:00, discharge: {client: c-999, last_day: 2026-12-10}}\n".write(
            toFile: events, atomically: true, encoding: .utf8)
        let run = try iop(
            "replan", "Scenarios/riverbend-small.yaml", "--roster", published, "--events", events,
            "--now", "2026-12-10T07:30", "--out", out)
        #expect(run.status == 65)
        #expect(run.stderr.contains("events[0].discharge.client: unknown client 'c-999'"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("a folder of scenarios is planned in one command, one output file each")
    func planFolder() throws {
        let folder = temporary("sites")
        let out = temporary("plans")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in ["riverbend-small.yaml", "harbor-teen-afterschool.yaml"] {
            try FileManager.default.copyItem(
                atPath: Self.root.appendingPathComponent("Scenarios/\(name)").path,
                toPath: (folder as NSString).appendingPathComponent(name))
        }
        let run = try iop("plan", folder, "--format", "json", "--out", out)
        #expect(run.status == 0)
        #expect(run.stdout.contains("riverbend-small.yaml | Riverbend Adult IOP | 12 | optimal"))
        #expect(run.stdout.contains("harbor-teen-afterschool.yaml | Harbor Teen After-School IOP | 14 | optimal"))
        let check = try iop(
            "check", "Scenarios/harbor-teen-afterschool.yaml",
            (out as NSString).appendingPathComponent("harbor-teen-afterschool.json"))
        #expect(check.status == 0)
        #expect((try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int) == 0o700)
    }

    @Test("--out refuses to replace a FIFO or a folder, leaving it as it was; no temporary file stays behind")
    func outRefusesSpecialFiles() throws {
        let folder = temporary("out-folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let fifo = (folder as NSString).appendingPathComponent("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        for target in [fifo, folder] {
            let run = try iop("plan", "Scenarios/riverbend-small.yaml", "--format", "json", "--out", target)
            #expect(run.status == 73)
            #expect(
                run.stderr.contains("cannot write \(target): it exists and is not a regular file; nothing was written"))
        }
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["pipe"])
    }

    @Test("the record: init, import, publish, attendance with a bad sheet rejected whole, then the report")
    func record() throws {
        let record = temporary("record.sqlite")
        let roster = temporary("roster.json")
        let sheet = temporary("sheet.csv")
        let bad = temporary("bad.csv")
        #expect(try iop("init", record).status == 0)
        #expect((try FileManager.default.attributesOfItem(atPath: record)[.posixPermissions] as? Int) == 0o600)
        #expect(try iop("init", record).status == 65)
        #expect(try iop("import", record, "Scenarios/riverbend-small.yaml").status == 0)
        #expect(try iop("plan", "Scenarios/riverbend-small.yaml", "--format", "json", "--out", roster).status == 0)
        // A roster for another program, or one that breaks a rule, is refused whole.
        let other = temporary("other.json")
        #expect(
            try iop("plan", "Scenarios/harbor-teen-afterschool.yaml", "--format", "json", "--out", other).status == 0)
        let foreign = try iop("publish", record, other, "--scenario", "Scenarios/riverbend-small.yaml")
        #expect(foreign.status == 65)
        #expect(
            foreign.stderr.contains(
                "the record is for Riverbend Adult IOP, week of 2026-12-07; the roster for Harbor Teen After-School IOP"
            ))
        #expect(foreign.stderr.contains("nothing was stored"))
        #expect(try iop("publish", record, roster, "--scenario", "Scenarios/riverbend-small.yaml").status == 0)
        let published =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: roster))) as? [String: Any]
        let first = try #require((published?["sessions"] as? [[String: Any]])?.first)
        let id = try #require(first["id"] as? String)
        let member = try #require((first["members"] as? [String])?.first)
        try "session_id,client,status,minutes,reason\n\(id),\(member),present,,\n\(id),c-999,present,,\n".write(
            toFile: bad, atomically: true, encoding: .utf8)
        let rejected = try iop("attendance", "import", record, bad)
        #expect(rejected.status == 65)
        #expect(rejected.stderr.contains("row 3: 'c-999' is not on the roster of \(id)"))
        try "session_id,client,status,minutes,reason\n\(id),\(member),absent_excused,,flu\n".write(
            toFile: sheet, atomically: true, encoding: .utf8)
        #expect(try iop("attendance", "import", record, sheet).status == 0)
        let report = try iop("attendance", "report", record, "--as-of", "2026-12-08")
        #expect(report.status == 0)
        #expect(report.stdout.contains("absent: 2026-12-07"))
        #expect(report.stdout.contains(": flu"))
        // Payer policy is kept in the record and drives the review calendar.
        let payers = try iop("payer", record)
        #expect(payers.stdout.contains("acme            7 d    30 d      H0015     0906           3 h          3"))
        let wrong = try iop("payer", record, "acme", "--review-every", "0", "--min-days", "9")
        #expect(wrong.status == 64)
        #expect(
            wrong.stderr.contains("--review-every must be a number of days from 1 to 366")
                && wrong.stderr.contains("--min-days must be between 0 and 7"))
        #expect(
            try iop("payer", record, "acme", "--review-every", "14", "--procedure", "S9480").stdout.contains(
                "acme           14 d    30 d      S9480"))
        // A payer not yet on any authorization can be set up ahead of its first client, with --new;
        // without it a mistyped name is an error and nothing is added.
        let mistyped = try iop("payer", record, "acmee", "--appeal-days", "21")
        #expect(mistyped.status == 65)
        #expect(mistyped.stderr.contains("no payer 'acmee'") && mistyped.stderr.contains("add --new to add it"))
        #expect(!(try iop("payer", record).stdout.contains("acmee")))
        #expect(
            try iop("payer", record, "bluepeak", "--new", "--appeal-days", "21").stdout.contains(
                "bluepeak        7 d    21 d      H0015"))
        #expect(try iop("payer", record, "nobody").status == 65)
        let unknown = try iop("auth", "decide", record, "NOPE", "--on", "2026-12-09", "--denied")
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("\(record): no authorization numbered 'NOPE' in the record"))
        let due = try iop("auth", "due", record, "--as-of", "2026-12-07", "--within", "7d")
        #expect(due.stdout.contains("2026-12-13 expiry c-107  acme A-99812 IOP 2026-11-30 to 2026-12-13"))
        #expect(!due.stdout.contains("review c-107"))
        #expect(due.stdout.contains("units: 6 days approved, 0 used"))
        // While a server (here, this test) is planning the program, a re-plan that would
        // publish is told so (75) and stores nothing.
        let planning = try RecordStore(path: record)
        let refused = try planning.whilePlanning {
            try iop(
                "replan", "Scenarios/riverbend-small.yaml", "--record", record, "--events",
                "Scenarios/events/riverbend-thursday-absence.yaml", "--now", "2026-12-10T07:30", "--publish")
        }
        #expect(refused?.status == 75)
        #expect(refused?.stderr.contains("another server or command is planning this program") == true)
        #expect(try planning.publishedRoster()?.version == 1)
        // Re-plan straight from the record and publish; reminders compare with the version before.
        let replan = try iop(
            "replan", "Scenarios/riverbend-small.yaml", "--record", record, "--events",
            "Scenarios/events/riverbend-thursday-absence.yaml", "--now", "2026-12-10T07:30", "--publish")
        #expect(replan.status == 0)
        #expect(replan.stderr.contains("roster version 2 published with 3 events kept"))
        let reminders = try iop(
            "reminders", "Scenarios/riverbend-small.yaml", "--record", record, "--for", "2026-12-10")
        #expect(reminders.stdout.contains("(CHANGED)"))
        // The events live in the record now: the same file again would admit c-113 twice.
        let twice = try iop(
            "replan", "Scenarios/riverbend-small.yaml", "--record", record, "--events",
            "Scenarios/events/riverbend-thursday-absence.yaml", "--now", "2026-12-10T08:00", "--publish")
        #expect(twice.status == 65)
        #expect(twice.stderr.contains("client c-113 is already in the census; expected a new ID"))
        // A later re-plan knows c-113 and f-ortiz's absence without the file; it starts from version 2.
        let discharge = temporary("discharge.yaml")
        try "events:\n  - {at: 2026-12-10T09:00, discharge: {client: c-113, last_day: 2026-12-10}}\n"
            .write(toFile: discharge, atomically: true, encoding: .utf8)
        let later = try iop(
            "replan", "Scenarios/riverbend-small.yaml", "--record", record, "--events", discharge,
            "--now", "2026-12-10T09:00", "--publish", "--format", "json")
        #expect(later.status == 0)
        #expect(later.stderr.contains("roster version 3 published with 1 event kept"))
        let sessions =
            (try JSONSerialization.jsonObject(with: Data(later.stdout.utf8)) as? [String: Any])?["sessions"]
            as? [[String: Any]] ?? []
        #expect(!sessions.isEmpty)
        #expect(
            !sessions.contains {
                $0["date"] as? String == "2026-12-11" && ($0["facilitators"] as? [String])?.contains("f-ortiz") == true
            })
        let events = try iop("events", record)
        #expect(events.stdout.hasPrefix("Events (4)"))
        #expect(events.stdout.contains("2026-12-10T07:10  c-113 admitted  (entered by "))
        #expect(
            events.stdout.contains("c-113 discharged after 2026-12-10") && events.stdout.contains("roster version 3"))
        // The admission reached the census and the discharge opened c-113's checklist.
        let store = try RecordStore(path: record)
        #expect(try store.census()["c-113"] != nil)
        #expect(try store.dischargeItems().contains { $0.client == "c-113" && $0.lastDay.description == "2026-12-10" })
        // A checklist item that does not exist is an error that lists the ones that do; nothing is marked.
        let item = try iop(
            "discharges", record, "--as-of", "2026-12-11", "--done", "records relase", "--client", "c-112")
        #expect(item.status == 65)
        #expect(item.stderr.contains("c-112 has no item 'records relase'; nothing was marked; expected one of:"))
        #expect(item.stderr.contains("records release on file"))
        // A mistyped record path is an error, not a new empty record.
        let missing = temporary("missing.sqlite")
        let typo = try iop("attendance", "report", missing, "--as-of", "2026-12-08")
        #expect(typo.status == 66)
        #expect(typo.stderr.contains("no record at \(missing)"))
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test("kill -9 at any moment of a bulk attendance import leaves all of it or none of it")
    func killDuringImport() throws {
        let roster = temporary("roster.json")
        let sheet = temporary("sheet.csv")
        #expect(try iop("plan", "Scenarios/cedar-grove-mixed.yaml", "--format", "json", "--out", roster).status == 0)
        let plan = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: roster))) as? [String: Any])
        var rows = ["session_id,client,status,minutes,reason"]
        for session in plan["sessions"] as? [[String: Any]] ?? [] {
            for member in session["members"] as? [String] ?? [] {
                rows.append("\(session["id"] ?? ""),\(member),present,,")
            }
        }
        try rows.joined(separator: "\n").write(toFile: sheet, atomically: true, encoding: .utf8)
        var outcomes: Set<Int> = []
        for delay in stride(from: 0, through: 60, by: 4) {
            let record = temporary("record.sqlite")
            _ = try iop("init", record)
            _ = try iop("import", record, "Scenarios/cedar-grove-mixed.yaml")
            _ = try iop("publish", record, roster, "--scenario", "Scenarios/cedar-grove-mixed.yaml")
            let process = Process()
            process.executableURL = Self.binary
            process.arguments = ["attendance", "import", record, sheet]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(delay * 1000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let count = try RecordStore(path: record).attendance().count
            #expect(
                count == 0 || count == rows.count - 1, "after a kill at \(delay) ms: \(count) of \(rows.count - 1) rows"
            )
            outcomes.insert(count)
        }
        // The kills landed both before and after the commit.
        #expect(outcomes.contains(0))
    }

    @Test("two processes importing attendance into one record at once both succeed, nothing lost")
    func concurrentImports() throws {
        let roster = temporary("roster.json")
        let record = temporary("record.sqlite")
        #expect(try iop("plan", "Scenarios/cedar-grove-mixed.yaml", "--format", "json", "--out", roster).status == 0)
        #expect(try iop("init", record).status == 0)
        #expect(try iop("import", record, "Scenarios/cedar-grove-mixed.yaml").status == 0)
        #expect(try iop("publish", record, roster, "--scenario", "Scenarios/cedar-grove-mixed.yaml").status == 0)
        let plan = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: roster))) as? [String: Any])
        var rows: [String] = []
        for session in plan["sessions"] as? [[String: Any]] ?? [] {
            for member in session["members"] as? [String] ?? [] {
                rows.append("\(session["id"] ?? ""),\(member),present,,")
            }
        }
        let halves = [
            rows.enumerated().filter { $0.offset % 2 == 0 }.map(\.element),
            rows.enumerated().filter { $0.offset % 2 == 1 }.map(\.element),
        ]
        var processes: [(Process, Pipe)] = []
        for (index, half) in halves.enumerated() {
            let sheet = temporary("sheet\(index).csv")
            try (["session_id,client,status,minutes,reason"] + half).joined(separator: "\n").write(
                toFile: sheet, atomically: true, encoding: .utf8)
            let process = Process()
            let err = Pipe()
            process.executableURL = Self.binary
            process.arguments = ["attendance", "import", record, sheet]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = err
            processes.append((process, err))
        }
        for (process, _) in processes { try process.run() }
        for (process, err) in processes {
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(message)")
        }
        #expect(try RecordStore(path: record).attendance().count == rows.count)
    }

    @Test("Ctrl-C during a long plan stops the search and still writes the roster found so far")
    func interruptKeepsBest() throws {
        let out = temporary("interrupted.json")
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = [
            "plan", "Scenarios/lakeside-large.yaml", "--format", "json", "--out", out, "--time-limit", "120",
        ]
        process.currentDirectoryURL = Self.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        sleep(4)
        let interruptedAt = Date()
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(Date().timeIntervalSince(interruptedAt) < 20)
        // A machine too busy to find any roster in 4 s says so (exit 3) and writes nothing.
        guard process.terminationStatus != 3 else {
            #expect(!FileManager.default.fileExists(atPath: out))
            return
        }
        #expect(process.terminationStatus == 0)
        let plan = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let stages = (plan["solver"] as? [String: Any])?["stages"] as? [[String: Any]] ?? []
        #expect(stages.contains { $0["stopped"] as? String == "interrupted" })
        #expect((plan["clients"] as? [Any])?.count == 120)
    }
}
