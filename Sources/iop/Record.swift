import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord
import Planner
import RosterSolver
import RosterValidator

/// The record's published roster, or exit with what to do.
func requirePublished(_ store: RecordStore, _ record: String) throws -> (version: Int64, roster: Roster) {
    guard let published = try store.publishedRoster() else {
        printError("\(record) has no published roster; run iop publish first")
        throw ExitCodes.invalidInput
    }
    return published
}

/// The most days any option counting days may give (a year): review cadences, appeal
/// windows, how far ahead to look.
let maximumDays = 366

/// Opens a program's record (creating it only for `iop init`) or exits with a clear message.
func openRecord(_ path: String, create: Bool = false) throws -> RecordStore {
    do {
        return try RecordStore(path: path, create: create)
    } catch RecordError.missing(let path) {
        printError("no record at \(path); create one with iop init \(path)")
        throw ExitCodes.unreadableInput
    } catch {
        throw recordFailure(error, path)
    }
}

/// Prints a record write that did not go through and gives the exit code: 75 when another
/// writer kept the record busy (try again), 4 for a re-plan of a superseded version, 65 for
/// an authorization or checklist item the record does not have, 73 otherwise.
func recordFailure(_ error: any Error, _ path: String) -> ExitCode {
    switch error {
    case let error as RecordError:
        printError("\(path): \(error.description)")
        switch error {
        case .busy: return ExitCodes.busy
        case .outdated, .superseded: return ExitCodes.outdated
        case .unknownItem, .unknownAuthorization, .unknownVersion, .unknownEvent: return ExitCodes.invalidInput
        case .cannotCreate, .missing: return ExitCodes.unwritableOutput
        }
    default:
        printError("cannot use the record \(path): \(error)")
        return ExitCodes.unwritableOutput
    }
}

/// Publishes a checked roster in the record as the next version; with `based`, only while
/// that version is still the latest published one. The events it was re-planned after are
/// kept with it, entered by the OS user, and the census follows `scenario` (the week with
/// every event applied).
func publishRoster(_ roster: Roster, in store: RecordStore, _ path: String, replacing based: Int64?, origin: RosterOrigin? = nil,
                   events: [(event: Event, source: String)] = [], scenario: Scenario? = nil) throws -> Int64 {
    do {
        guard let scenario, !events.isEmpty else {
            return try store.saveRoster(roster, published: true, replacing: based, origin: origin, by: NSUserName())
        }
        return try store.publish(roster, replacing: based, events: events.map { NewEvent(at: $0.event.at, summary: $0.event.summary, source: $0.source) },
                                 enteredBy: NSUserName(), scenario: scenario)
    } catch {
        throw recordFailure(error, path)
    }
}

/// Exits 65 with every violation, nothing stored, unless the roster is for the record's
/// program and week and passes the independent validator against `scenario` (the week as
/// the record knows it).
func requireFitsRecord(_ roster: Roster, _ scenario: Scenario, _ store: RecordStore, label: String) throws {
    var violations = RosterValidator.check(roster, against: scenario)
    if let program = try store.program(), program.name != roster.program || program.weekOf != roster.weekOf {
        violations.insert("the record is for \(program.name), week of \(program.weekOf); the roster for \(roster.program), "
                          + "week of \(roster.weekOf)", at: 0)
    }
    guard violations.isEmpty else {
        printError("\(label): \(violations.count) violation\(violations.count == 1 ? "" : "s"); nothing was stored:\n"
                   + violations.capped().map { "  - \($0)" }.joined(separator: "\n"))
        throw ExitCodes.invalidInput
    }
}

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a program's record (an SQLite file readable by its owner only).")

    @Argument(help: "The record file to create.")
    var record: String

    func run() throws {
        guard !FileManager.default.fileExists(atPath: record) else {
            printError("\(record) already exists; nothing was changed")
            throw ExitCodes.invalidInput
        }
        let store = try openRecord(record, create: true)
        print("\(record): created, schema \(try store.appliedMigrations().joined(separator: ", "))")
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Load a scenario's program and census (IDs, tracks, weekly hours) into the record.")

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The scenario file.")
    var scenario: String

    func run() throws {
        let loaded = try loadScenario(scenario)
        let store = try openRecord(record)
        try store.importScenario(loaded)
        try store.importAuthorizations(loaded)
        try store.importDischarges(loaded)
        let authorizations = loaded.clients.filter { $0.authorization != nil }.count
        print("\(record): \(loaded.program.name), \(loaded.clients.count) clients, "
              + "\(authorizations) authorization\(authorizations == 1 ? "" : "s")")
    }
}

struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "Store a roster (from plan or replan) in the record as a new version.",
        discussion: "The roster must be for the record's program and week and pass the independent validator against --scenario (with --events applied, as for iop check); otherwise every violation is printed, nothing is stored, and the exit code is 65.")

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The roster JSON.")
    var roster: String

    @Option(help: "The scenario the roster was planned from.")
    var scenario: String

    @Option(help: "Events the roster was re-planned with, applied to the scenario first; repeatable.")
    var events: [String] = []

    @Flag(help: "Store it as a draft instead of the published roster.")
    var draft = false

    func run() throws {
        let store = try openRecord(record)
        var loaded = try scenarioInRecord(try loadScenario(scenario), store, record)
        var kept: [(event: Event, source: String)] = []
        for path in events {
            let new = try loadEventsWithSources(path, for: loaded)
            kept += new
            loaded = loaded.applying(new.map(\.event))
        }
        let decoded = try readRoster(roster)
        try requireFitsRecord(decoded, loaded, store, label: roster)
        let version: Int64
        if draft {
            do { version = try store.saveRoster(decoded, published: false, by: NSUserName()) } catch { throw recordFailure(error, record) }
        } else {
            version = try publishRoster(decoded, in: store, record, replacing: nil, events: kept, scenario: loaded)
        }
        print("\(record): roster version \(version) \(draft ? "saved as a draft" : "published")\(kept.isEmpty || draft ? "" : " with \(kept.count) event\(kept.count == 1 ? "" : "s") kept")")
    }
}

struct AttendanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance", abstract: "Record attendance and report weekly hours against the minimum.",
        subcommands: [AttendanceImport.self, AttendanceReportCommand.self, AttendanceMakeUp.self])
}

struct AttendanceImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Record a CSV sign-in sheet (session_id,client,status,minutes,reason): all rows or none.",
        discussion: "Statuses: present, late, left_early (with minutes attended), absent_excused, absent_unexcused, cancelled. Every bad row is reported with its row number and nothing is written.")

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The sign-in sheet.")
    var sheet: String

    func run() throws {
        let store = try openRecord(record)
        let (version, roster) = try requirePublished(store, record)
        guard let text = try? String(contentsOfFile: sheet, encoding: .utf8) else {
            printError("cannot read \(sheet)")
            throw ExitCodes.unreadableInput
        }
        switch SignInSheet.parse(text, file: sheet, roster: roster) {
        case .success(let entries):
            try store.record(entries)
            print("\(record): \(entries.count) attendance rows recorded against roster version \(version)")
        case .failure(let errors):
            printError("\(errors.problems.count) bad row\(errors.problems.count == 1 ? "" : "s"); nothing was recorded:\n" + errors.description)
            throw ExitCodes.invalidInput
        }
    }
}

struct AttendanceReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Hours attended, still scheduled and projected against each client's minimum, with at-risk flags and absences.")

    @Argument(help: "The record file.")
    var record: String

    @Option(name: .customLong("as-of"), help: "Today, YYYY-MM-DD: sessions from this date on without a record are still to come.")
    var day: LocalDate

    func run() throws {
        let store = try openRecord(record)
        let (_, roster) = try requirePublished(store, record)
        let rules = try store.perDiemRules()
        let report = AttendanceReport.week(roster: roster, entries: try store.attendance(), census: try store.census(), asOf: day,
                                           billableDayMinutes: { (rules[$0] ?? PerDiemRule()).dayMinimumMinutes })
        print("Attendance, week of \(roster.weekOf), as of \(day)")
        print("client      attended  remaining  projected  minimum  flags")
        for line in report {
            let flags = [line.risk?.rawValue].compactMap { $0 } + line.patterns
                + (line.shortDays.isEmpty ? [] : ["below the billable day on \(line.shortDays.map { $0.weekday.title }.joined(separator: ", "))"])
                + (line.unrecorded.isEmpty ? [] : ["\(line.unrecorded.count) unrecorded"])
            print(line.client.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                  + number(line.attendedHours).leftPadded(10) + number(line.remainingHours).leftPadded(11)
                  + number(line.projectedHours).leftPadded(11) + number(line.minimumHours).leftPadded(9)
                  + "  " + flags.joined(separator: ", "))
            if !line.groups.isEmpty {
                print("            groups attended: " + line.groups.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            for absence in line.absences { print("            absent: \(absence)") }
        }
    }
}

struct AttendanceMakeUp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "makeup",
        abstract: "Propose the fewest extra sessions later this week that bring at-risk clients back to their minimum.",
        discussion: "Re-plans from --as-of with the hours actually attended and the review decisions logged in the record; prints the proposal. With --apply the new roster is published in the record as a new version (and written to --out if given).")

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The scenario file the published roster was planned from.")
    var scenario: String

    @Option(name: .customLong("as-of"), help: "Now, YYYY-MM-DDTHH:MM: earlier sessions count as attended only where attendance says so.")
    var now: DateTime

    @Flag(help: "Publish the proposal as the new roster.")
    var apply = false

    @Option(help: "Also write the new roster JSON here (owner-readable only).")
    var out: String?

    @OptionGroup var limits: SolveLimits

    func run() throws {
        let store = try openRecord(record)
        let week = try weekInRecord(try loadScenario(scenario), store, record)
        let loaded = week.scenario
        let (version, roster) = try requirePublished(store, record)
        let attended = Dictionary(try store.attendance().map { ("\($0.session)|\($0.client)", $0.minutes) },
                                  uniquingKeysWith: { _, last in last })
        Interrupt.install()
        let result = try planned {
            try Planner.makeUp(loaded, roster: roster, attended: attended, asOf: now, events: week.news,
                               options: PlanOptions(timeLimit: limits.timeLimit, relativeGap: limits.gap, monitor: Interrupt.monitor(tier:)))
        }
        try requireRoster(result.plan)
        print("Make-up proposal against roster version \(version), as of \(now)")
        print(ReplanText(result: result, hypothetical: !apply).render())
        let still = result.plan.shortfalls.filter { $0.rule == .weeklyHours }
        print("")
        print("Still short after make-up (\(still.count))")
        print(still.isEmpty ? "  none" : still.map { "  - \($0.message)" }.joined(separator: "\n"))
        if let out { try emit(String(decoding: try Roster.encoder().encode(result), as: UTF8.self), to: out) }
        if apply {
            let new = try publishRoster(result.plan.roster, in: store, record, replacing: version, origin: .madeUp)
            print("\(record): roster version \(new) published")
        }
    }
}

struct AuthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth", abstract: "Authorizations, concurrent reviews, decisions and appeals.",
        subcommands: [AuthDue.self, AuthDecide.self, AuthAppeals.self])
}

struct AuthDue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "Reviews, expiries and approved units running out soon, each with the attendance evidence a reviewer asks for.")

    @Argument(help: "The record file.")
    var record: String

    @Option(name: .customLong("as-of"), help: "Today, YYYY-MM-DD.")
    var today: LocalDate

    @Option(help: "How far ahead to look, in days: 7 or 7d.")
    var within: String = "7d"

    private var days: Int? {
        Int(within.hasSuffix("d") ? String(within.dropLast()) : within).flatMap { (0...maximumDays).contains($0) ? $0 : nil }
    }

    func validate() throws {
        guard days != nil else {
            throw ValidationError("--within must be a number of days from 0 to \(maximumDays) such as 7 or 7d, found '\(within)'")
        }
    }

    func run() throws {
        let store = try openRecord(record)
        guard let within = days else { throw ExitCodes.invalidInput }
        let due = try store.due(asOf: today, within: within)
        let evidence = try store.publishedRoster().map { published in
            Dictionary(uniqueKeysWithValues: AttendanceReport.week(roster: published.roster, entries: try store.attendance(),
                                                                  census: try store.census(), asOf: today).map { ($0.client, $0) })
        } ?? [:]
        print("Due from \(today) to \(today.adding(days: within)) (\(due.count))")
        for item in due {
            let a = item.authorization
            let limits = [a.minHoursPerWeek.map { "min \(number($0))" }, a.maxHoursPerWeek.map { "max \(number($0))" }].compactMap { $0 }
            print("  \(item.date) \(item.kind.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) \(a.client)  \(a.payer) \(a.number) \(a.levelOfCare.rawValue) \(a.from) to \(a.to)"
                  + (limits.isEmpty ? "" : ", \(limits.joined(separator: ", ")) h/week"))
            if let week = evidence[a.client] {
                print("         this week: \(number(week.attendedHours)) h attended, \(number(week.remainingHours)) h scheduled, minimum \(number(week.minimumHours))"
                      + (week.absences.isEmpty ? "" : ", \(week.absences.count) absence\(week.absences.count == 1 ? "" : "s")"))
            }
            if let units = item.units {
                let unit = units.approved.unit
                print("         units: \(number(units.approved.amount)) \(unit) approved, \(number(units.used)) used, \(number(units.planned)) more planned through \(a.to)"
                      + (units.firstUncovered.map { "; planned attendance from \($0) is not covered" }
                         ?? ", \(number(units.left - units.planned)) to spare"))
            }
        }
    }
}

struct AuthDecide: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Log a review decision: approved through a new date, denied (opens an appeal), or step-down.")

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The authorization number.")
    var number: String

    @Option(help: "The decision date, YYYY-MM-DD.")
    var on: LocalDate

    @Option(help: "Approved: the new last day, YYYY-MM-DD.")
    var approvedThrough: LocalDate?

    @Flag(help: "Denied: the authorization ends and an appeal opens.")
    var denied = false

    @Flag(help: "Step-down: with --min-hours/--max-hours the weekly targets change; without, the IOP authorization ends.")
    var stepDown = false

    @Option(help: "With --step-down and hours: the new level of care (PHP, IOP, OP).")
    var level: LevelOfCare = .op

    @Option(help: "With --step-down: the new weekly minimum hours.")
    var minHours: Double?

    @Option(help: "With --step-down: the new weekly maximum hours.")
    var maxHours: Double?

    @Option(help: "Days allowed for an appeal, when the denial letter differs from the payer's policy.")
    var appealDays: Int?

    @Option(help: "A note for the log (no clinical detail).")
    var note: String?

    @Option(help: "With --denied: the scenario, to place the peer-to-peer call in a free block of the client's treating clinician.")
    var scenario: String?

    func validate() throws {
        guard [approvedThrough != nil, denied, stepDown].filter({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --approved-through, --denied, --step-down")
        }
        guard (1...maximumDays).contains(appealDays ?? 1) else { throw ValidationError("--appeal-days must be from 1 to \(maximumDays)") }
        if minHours != nil || maxHours != nil {
            guard stepDown, let minHours, let maxHours, minHours >= 0, minHours <= maxHours, maxHours <= 168 else {
                throw ValidationError("--min-hours and --max-hours go together, with --step-down, from 0 to 168 hours, minimum at most maximum")
            }
        }
    }

    func run() throws {
        let date = on
        let outcome: ReviewOutcome = if let through = approvedThrough { .approved(through: through) }
            else if denied { .denied } else { .stepDown(hours: minHours.flatMap { low in maxHours.map { low...$0 } }, level: level) }
        let store = try openRecord(record)
        guard let authorization = try store.authorizations().first(where: { $0.number == number }) else {
            printError("\(record): \(RecordError.unknownAuthorization(number).description)")
            throw ExitCodes.invalidInput
        }
        let appealDays = try appealDays ?? store.policy(for: authorization.payer).appealDays
        var call: String?
        if denied, let scenario {
            let loaded = try loadScenario(scenario)
            if let clinician = loaded.client(authorization.client)?.clinician, let (_, roster) = try store.publishedRoster() {
                if let slot = PeerToPeer.firstFreeBlock(for: clinician, scenario: loaded, roster: roster, from: date,
                                                        deadline: date.adding(days: appealDays)) {
                    call = "\(slot.date) \(slot.block.start)-\(slot.block.end) with \(clinician)"
                } else {
                    printError("\(clinician) has no free block before \(date.adding(days: appealDays)); the peer-to-peer call is still to be placed")
                }
            } else {
                printError("\(authorization.client) has no treating clinician in \(scenario) or \(record) has no published roster; the peer-to-peer call is still to be placed")
            }
        }
        do {
            try store.decide(number, on: date, outcome, appealDays: appealDays, note: note, peerToPeer: call)
        } catch let error as RecordError {
            printError("\(record): \(error.description)")
            throw ExitCodes.invalidInput
        }
        switch outcome {
        case .approved(let through): print("\(number): approved through \(through)")
        case .denied: print("\(number): denied on \(date); appeal open, due \(date.adding(days: appealDays))"
                            + (call.map { "; peer-to-peer call \($0)" } ?? ""))
        case .stepDown(let hours?, let level): print("\(number): step-down on \(date) to \(level.rawValue), \(iop.number(hours.lowerBound))-\(iop.number(hours.upperBound)) h a week")
        case .stepDown(nil, _): print("\(number): step-down on \(date); the IOP authorization ends")
        }
    }
}

struct AuthAppeals: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appeals", abstract: "Open appeals by deadline, with what the packet still lacks; --done marks an item.")

    @Argument(help: "The record file.")
    var record: String

    @Option(help: "Mark this packet item done on the appeal of --number.")
    var done: String?

    @Option(help: "The authorization number whose appeal --done refers to.")
    var number: String?

    func validate() throws {
        guard (done == nil) == (number == nil) else { throw ValidationError("--done and --number go together") }
        if let done, !RecordStore.appealPacket.contains(done) {
            throw ValidationError("--done must be one of: \(RecordStore.appealPacket.joined(separator: ", "))")
        }
    }

    func run() throws {
        let store = try openRecord(record)
        if let done, let number {
            do { try store.completeAppealItem(number, done) } catch { throw recordFailure(error, record) }
        }
        let appeals = try store.openAppeals()
        print("Open appeals (\(appeals.count))")
        for appeal in appeals {
            print("  \(appeal.number) \(appeal.client): opened \(appeal.openedOn), due \(appeal.deadline); "
                  + (appeal.peerToPeer.map { "peer-to-peer \($0); " } ?? "")
                  + (appeal.missing.isEmpty ? "packet complete" : "still needed: \(appeal.missing.joined(separator: ", "))"))
        }
    }
}

struct DischargesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discharges",
        abstract: "Discharge and step-down checklists: what is overdue, and what is due next; --done marks an item.")

    @Argument(help: "The record file.")
    var record: String

    @Option(name: .customLong("as-of"), help: "Today, YYYY-MM-DD.")
    var today: LocalDate

    @Option(help: "Mark this item done (with --client), e.g. 'records release on file'.")
    var done: String?

    @Option(help: "The client whose item --done refers to.")
    var client: String?

    func validate() throws {
        guard (done == nil) == (client == nil) else { throw ValidationError("--done and --client go together") }
    }

    func run() throws {
        let store = try openRecord(record)
        if let done, let client {
            do { try store.completeDischargeItem(ClientID(client), done, on: today) } catch { throw recordFailure(error, record) }
        }
        let open = try store.dischargeItems().filter { $0.doneOn == nil }
        let overdue = open.filter { $0.due < today }, upcoming = open.filter { $0.due >= today }
        print("Overdue (\(overdue.count))")
        print(overdue.isEmpty ? "  none" : overdue.map { "  \($0.due) \($0.client) (last day \($0.lastDay)): \($0.item)" }.joined(separator: "\n"))
        print("Due next (\(upcoming.count))")
        print(upcoming.isEmpty ? "  none" : upcoming.prefix(10).map { "  \($0.due) \($0.client) (last day \($0.lastDay)): \($0.item)" }.joined(separator: "\n"))
    }
}

struct BillingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing",
        abstract: "Per-diem claim evidence per client for the published week: billable days, sessions, minutes, facilitators.",
        discussion: "Each client's days are judged by their payer's rule and codes (iop payer); clients without any authorization by the defaults (3 h a day, 3 days, H0015, revenue 0906).")

    @Argument(help: "The record file.")
    var record: String

    func run() throws {
        let store = try openRecord(record)
        let (_, roster) = try requirePublished(store, record)
        let rules = try store.perDiemRules()
        print("Billing evidence, week of \(roster.weekOf)")
        for client in BillingSummary.week(roster: roster, entries: try store.attendance(), rule: { rules[$0] ?? PerDiemRule() }) {
            let rule = client.rule
            print("\(client.client): \(client.billableDays) billable day\(client.billableDays == 1 ? "" : "s")"
                  + " (\(rule.procedureCode), revenue \(rule.revenueCode); day >= \(number(Double(rule.dayMinimumMinutes) / 60)) h)"
                  + (client.weekQualifies ? ""
                     : client.mayStillQualify ? "; \(client.billableDays) of \(rule.minimumDays) so far, \(client.pendingDays.count) planned day\(client.pendingDays.count == 1 ? "" : "s") not yet recorded"
                     : "; below \(rule.minimumDays): no per-diem claim this week"))
            for day in client.days {
                print("  \(day.date) \(day.minutes) min \(day.billable ? rule.procedureCode : "not billable"): \(day.sessions.joined(separator: "; "))")
            }
        }
    }
}

struct PayerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payer",
        abstract: "Show each payer's policy, or change one: review cadence, appeal window, per-diem rule and codes.",
        discussion: "A payer first seen on an imported authorization starts with weekly reviews, 30 days to appeal, H0015/0906 and the program's billable-day rule.")

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The payer to change, as named on its authorizations.")
    var payer: String?

    @Option(help: "Days between concurrent reviews.")
    var reviewEvery: Int?

    @Option(help: "Days from a denial to the appeal deadline.")
    var appealDays: Int?

    @Option(help: "Procedure code for a billable day.")
    var procedure: String?

    @Option(help: "Revenue code.")
    var revenue: String?

    @Option(help: "Hours attended that make a day billable.")
    var dayMinHours: Double?

    @Option(help: "Billable days a week needs for a claim.")
    var minDays: Int?

    @Flag(help: "Add a payer the record does not know yet (without it, a mistyped name is an error, not a new payer).")
    var new = false

    private var changes: Bool { [reviewEvery, appealDays, minDays].contains { $0 != nil } || procedure != nil || revenue != nil || dayMinHours != nil }

    func validate() throws {
        guard payer != nil || !changes else { throw ValidationError("name the payer whose policy the options change") }
        guard !new || payer != nil else { throw ValidationError("--new needs the payer's name") }
        var problems: [String] = []
        if let reviewEvery, !(1...maximumDays).contains(reviewEvery) { problems.append("--review-every must be a number of days from 1 to \(maximumDays)") }
        if let appealDays, !(1...maximumDays).contains(appealDays) { problems.append("--appeal-days must be a number of days from 1 to \(maximumDays)") }
        if let dayMinHours, !(0...24).contains(dayMinHours) { problems.append("--day-min-hours must be between 0 and 24") }
        if let minDays, !(0...7).contains(minDays) { problems.append("--min-days must be between 0 and 7") }
        for (name, code) in [("--procedure", procedure), ("--revenue", revenue)] where code?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            problems.append("\(name) must not be empty")
        }
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "\n")) }
    }

    func run() throws {
        let store = try openRecord(record)
        if let payer {
            guard var policy = try store.payers().first(where: { $0.payer == payer }) ?? (new ? PayerPolicy(payer: payer) : nil) else {
                let known = try store.payers().map(\.payer)
                printError("no payer '\(payer)' in \(record); known: \(known.isEmpty ? "none" : known.joined(separator: ", ")); add --new to add it")
                throw ExitCodes.invalidInput
            }
            if let reviewEvery { policy.reviewEveryDays = reviewEvery }
            if let appealDays { policy.appealDays = appealDays }
            if let procedure { policy.perDiem.procedureCode = procedure }
            if let revenue { policy.perDiem.revenueCode = revenue }
            if let dayMinHours { policy.perDiem.dayMinimumMinutes = Int((dayMinHours * 60).rounded()) }
            if let minDays { policy.perDiem.minimumDays = minDays }
            if changes || new { try store.setPayer(policy) }
        }
        let policies = try store.payers().filter { payer == nil || $0.payer == payer }
        print("payer        review  appeal  procedure  revenue  billable day  days/week")
        for policy in policies {
            print(policy.payer.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + "\(policy.reviewEveryDays) d".leftPadded(7) + "\(policy.appealDays) d".leftPadded(8)
                  + policy.perDiem.procedureCode.leftPadded(11) + policy.perDiem.revenueCode.leftPadded(9)
                  + "\(number(Double(policy.perDiem.dayMinimumMinutes) / 60)) h".leftPadded(14) + "\(policy.perDiem.minimumDays)".leftPadded(11))
        }
    }
}
