import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord
import Planner
import RosterSolver
import UseCases

struct AttendanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance", abstract: "Record attendance and report weekly hours against the minimum.",
        subcommands: [AttendanceImport.self, AttendanceReportCommand.self, AttendanceMakeUp.self])
}

struct AttendanceImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Record a CSV sign-in sheet (session_id,client,status,minutes,reason): all rows or none.",
        discussion:
            "Statuses: present, late, left_early (with minutes attended), absent_excused, absent_unexcused, cancelled. Every bad row is reported with its row number and nothing is written."
    )

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The sign-in sheet.")
    var sheet: String

    func run() throws {
        let store = try openRecord(record)
        guard let text = try? String(contentsOfFile: sheet, encoding: .utf8) else {
            printError("cannot read \(sheet)")
            throw ExitCodes.unreadableInput
        }
        let recorded = try useCase(record) { () throws(UseCaseError) in
            try Attendance.record(sheet: text, file: sheet, in: store)
        }
        print("\(record): \(recorded.rows) attendance rows recorded against roster version \(recorded.version)")
    }
}

struct AttendanceReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Hours attended, still scheduled and projected against each client's minimum, with at-risk flags and absences."
    )

    @Argument(help: "The record file.")
    var record: String

    @Option(
        name: .customLong("as-of"),
        help: "Today, YYYY-MM-DD: sessions from this date on without a record are still to come.")
    var day: LocalDate

    @Option(help: "Output format: text, csv (one row per client) or json.")
    var format: ReportFormat = .text

    func run() throws {
        let store = try openRecord(record)
        let report = try useCase(record) { () throws(UseCaseError) in try Attendance.report(in: store, asOf: day) }
        switch format {
        case .json: try printJSON(report)
        case .csv: print(ReportCSV.attendance(report).render())
        case .text: printText(report)
        }
    }

    private func printText(_ report: AttendanceWeek) {
        print("Attendance, week of \(report.weekOf), as of \(day)")
        print("client      attended  remaining  projected  minimum  flags")
        for line in report.clients {
            let flags =
                [line.risk?.rawValue].compactMap { $0 } + line.patterns
                + (line.shortDays.isEmpty
                    ? []
                    : ["below the billable day on \(line.shortDays.map { $0.weekday.title }.joined(separator: ", "))"])
                + (line.unrecorded.isEmpty ? [] : ["\(line.unrecorded.count) unrecorded"])
            print(
                line.client.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + number(line.attendedHours).leftPadded(10) + number(line.remainingHours).leftPadded(11)
                    + number(line.projectedHours).leftPadded(11) + number(line.minimumHours).leftPadded(9)
                    + "  " + flags.joined(separator: ", "))
            if !line.groups.isEmpty {
                print(
                    "            groups attended: "
                        + line.groups.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                )
            }
            for absence in line.absences { print("            absent: \(absence)") }
        }
    }
}

struct AttendanceMakeUp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "makeup",
        abstract: "Propose the fewest extra sessions later this week that bring at-risk clients back to their minimum.",
        discussion:
            "Re-plans from --as-of with the hours actually attended and the review decisions logged in the record; prints the proposal. With --apply the new roster is published in the record as a new version (and written to --out if given)."
    )

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The scenario file the published roster was planned from.")
    var scenario: String

    @Option(
        name: .customLong("as-of"),
        help: "Now, YYYY-MM-DDTHH:MM: earlier sessions count as attended only where attendance says so.")
    var now: DateTime

    @Flag(help: "Publish the proposal as the new roster.")
    var apply = false

    @Option(help: "Also write the new roster JSON here (owner-readable only).")
    var out: String?

    @OptionGroup var limits: SolveLimits

    func run() throws {
        let store = try openRecord(record)
        // Applying holds the record's planning lock from the proposal to the version stored.
        guard apply else { return try makeUp(store) }
        try whilePlanning(store, record) { try makeUp(store) }
    }

    private func makeUp(_ store: RecordStore) throws {
        let base = try loadScenario(scenario)
        Interrupt.install()
        let options = try limits.options()
        let proposal = try useCase(record) { () throws(UseCaseError) in
            try Attendance.proposeMakeUp(in: store, base: base, asOf: now, options: options)
        }
        let result = proposal.replan
        print("Make-up proposal against roster version \(proposal.based), as of \(now)")
        print(ReplanText(result: result, hypothetical: !apply).render())
        let still = result.plan.shortfalls.filter { $0.rule == .weeklyHours }
        print("")
        print("Still short after make-up (\(still.count))")
        print(still.isEmpty ? "  none" : still.map { "  - \($0.message)" }.joined(separator: "\n"))
        if let out { try emit(String(decoding: try Roster.encoder().encode(result), as: UTF8.self), to: out) }
        if apply {
            let new = try useCase(record) { () throws(UseCaseError) in
                try Replanning.publish(proposal, in: store, by: NSUserName())
            }
            print("\(record): roster version \(new) published")
        }
    }
}
