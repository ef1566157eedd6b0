import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord

struct PayerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payer",
        abstract: "Show each payer's policy, or change one: review cadence, appeal window, per-diem rule and codes.",
        discussion:
            "A payer first seen on an imported authorization starts with weekly reviews, 30 days to appeal, H0015/0906 and the program's billable-day rule."
    )

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

    private var changes: Bool {
        [reviewEvery, appealDays, minDays].contains { $0 != nil } || procedure != nil || revenue != nil
            || dayMinHours != nil
    }

    func validate() throws {
        guard payer != nil || !changes else { throw ValidationError("name the payer whose policy the options change") }
        guard !new || payer != nil else { throw ValidationError("--new needs the payer's name") }
        var problems: [String] = []
        if let reviewEvery, !(1...maximumDays).contains(reviewEvery) {
            problems.append("--review-every must be a number of days from 1 to \(maximumDays)")
        }
        if let appealDays, !(1...maximumDays).contains(appealDays) {
            problems.append("--appeal-days must be a number of days from 1 to \(maximumDays)")
        }
        if let dayMinHours, !(0...24).contains(dayMinHours) {
            problems.append("--day-min-hours must be between 0 and 24")
        }
        if let minDays, !(0...7).contains(minDays) { problems.append("--min-days must be between 0 and 7") }
        for (name, code) in [("--procedure", procedure), ("--revenue", revenue)]
        where code?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            problems.append("\(name) must not be empty")
        }
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "\n")) }
    }

    func run() throws {
        let store = try openRecord(record)
        if let payer {
            guard
                var policy = try store.payers().first(where: { $0.payer == payer })
                    ?? (new ? PayerPolicy(payer: payer) : nil)
            else {
                let known = try store.payers().map(\.payer)
                printError(
                    "no payer '\(payer)' in \(record); known: \(known.isEmpty ? "none" : known.joined(separator: ", ")); add --new to add it"
                )
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
            print(
                policy.payer.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + "\(policy.reviewEveryDays) d".leftPadded(7) + "\(policy.appealDays) d".leftPadded(8)
                    + policy.perDiem.procedureCode.leftPadded(11) + policy.perDiem.revenueCode.leftPadded(9)
                    + "\(number(Double(policy.perDiem.dayMinimumMinutes) / 60)) h".leftPadded(14)
                    + "\(policy.perDiem.minimumDays)".leftPadded(11))
        }
    }
}
