import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord
import UseCases

struct AuthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth", abstract: "Authorizations, concurrent reviews, decisions and appeals.",
        subcommands: [AuthDue.self, AuthDecide.self, AuthAppeals.self])
}

struct AuthDue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract:
            "Reviews, expiries and approved units running out soon, each with the attendance evidence a reviewer asks for."
    )

    @Argument(help: "The record file.")
    var record: String

    @Option(name: .customLong("as-of"), help: "Today, YYYY-MM-DD.")
    var today: LocalDate

    @Option(help: "How far ahead to look, in days: 7 or 7d.")
    var within: String = "7d"

    private var days: Int? {
        Int(within.hasSuffix("d") ? String(within.dropLast()) : within).flatMap {
            (0...maximumDays).contains($0) ? $0 : nil
        }
    }

    func validate() throws {
        guard days != nil else {
            throw ValidationError(
                "--within must be a number of days from 0 to \(maximumDays) such as 7 or 7d, found '\(within)'")
        }
    }

    @Option(help: "Output format: text, csv (one row per item) or json.")
    var format: ReportFormat = .text

    func run() throws {
        let store = try openRecord(record)
        guard let within = days else { throw ExitCodes.invalidInput }
        let due = try useCase(record) { () throws(UseCaseError) in
            try Reviews.due(in: store, asOf: today, within: within)
        }
        switch format {
        case .json: try printJSON(due)
        case .csv: print(ReportCSV.due(due).render())
        case .text: printText(due)
        }
    }

    private func printText(_ due: ReviewsDue) {
        print("Due from \(due.from) to \(due.through) (\(due.items.count))")
        for item in due.items {
            let limits = [
                item.minHoursPerWeek.map { "min \(number($0))" }, item.maxHoursPerWeek.map { "max \(number($0))" },
            ]
            .compactMap { $0 }
            print(
                "  \(item.date) \(item.kind.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) \(item.client)  \(item.payer) \(item.number) \(item.levelOfCare) \(item.from) to \(item.to)"
                    + (limits.isEmpty ? "" : ", \(limits.joined(separator: ", ")) h/week"))
            if let week = item.thisWeek {
                print(
                    "         this week: \(number(week.attendedHours)) h attended, \(number(week.scheduledHours)) h scheduled, minimum \(number(week.minimumHours))"
                        + (week.absences == 0 ? "" : ", \(week.absences) absence\(week.absences == 1 ? "" : "s")"))
            }
            if let units = item.units {
                print(
                    "         units: \(number(units.approved)) \(units.unit) approved, \(number(units.used)) used, \(number(units.planned)) more planned through \(item.to)"
                        + (units.firstUncovered.map { "; planned attendance from \($0) is not covered" }
                            ?? ", \(number(units.spare)) to spare"))
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

    @Flag(
        help: "Step-down: with --min-hours/--max-hours the weekly targets change; without, the IOP authorization ends.")
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

    @Option(
        help:
            "With --denied: the scenario, to place the peer-to-peer call in a free block of the client's treating clinician."
    )
    var scenario: String?

    func validate() throws {
        guard [approvedThrough != nil, denied, stepDown].filter({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --approved-through, --denied, --step-down")
        }
        guard (1...maximumDays).contains(appealDays ?? 1) else {
            throw ValidationError("--appeal-days must be from 1 to \(maximumDays)")
        }
        if minHours != nil || maxHours != nil {
            guard stepDown, let minHours, let maxHours, minHours >= 0, minHours <= maxHours, maxHours <= 168 else {
                throw ValidationError(
                    "--min-hours and --max-hours go together, with --step-down, from 0 to 168 hours, minimum at most maximum"
                )
            }
        }
    }

    func run() throws {
        let outcome: ReviewOutcome =
            if let through = approvedThrough { .approved(through: through) } else if denied { .denied } else {
                .stepDown(hours: minHours.flatMap { low in maxHours.map { low...$0 } }, level: level)
            }
        let store = try openRecord(record)
        let week = try denied ? scenario.map(loadScenario) : nil
        let decision = try useCase(record) { () throws(UseCaseError) in
            try Reviews.decide(
                number, on: on, outcome, appealDays: appealDays, note: note, scenario: week, in: store)
        }
        switch decision.unplaced {
        case .noFreeBlock(let clinician, let before):
            printError("\(clinician) has no free block before \(before); the peer-to-peer call is still to be placed")
        case .noClinicianOrRoster(let client):
            printError(
                "\(client) has no treating clinician in \(scenario ?? "the scenario") or \(record) has no published roster; the peer-to-peer call is still to be placed"
            )
        case nil: break
        }
        print(decision.summary)
    }
}

struct AuthAppeals: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appeals",
        abstract: "Open appeals by deadline, with what the packet still lacks; --done marks an item.")

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

    @Option(help: "Output format: text, csv (one row per appeal) or json.")
    var format: ReportFormat = .text

    func run() throws {
        let store = try openRecord(record)
        if let done, let number {
            try useCase(record) { () throws(UseCaseError) in try Reviews.completeAppealItem(done, of: number, in: store)
            }
        }
        let open = try useCase(record) { () throws(UseCaseError) in try Reviews.appeals(in: store) }
        let appeals = open.appeals
        switch format {
        case .json: try printJSON(open)
        case .csv: print(ReportCSV.appeals(appeals).render())
        case .text:
            print("Open appeals (\(appeals.count))")
            for appeal in appeals {
                print(
                    "  \(appeal.number) \(appeal.client): opened \(appeal.openedOn), due \(appeal.deadline); "
                        + (appeal.peerToPeer.map { "peer-to-peer \($0); " } ?? "")
                        + (appeal.missing.isEmpty
                            ? "packet complete" : "still needed: \(appeal.missing.joined(separator: ", "))"))
            }
        }
    }
}
