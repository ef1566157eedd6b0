import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord
import UseCases

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

    private var change: PayerChange {
        PayerChange(
            reviewEveryDays: reviewEvery, appealDays: appealDays, procedureCode: procedure, revenueCode: revenue,
            dayMinHours: dayMinHours, minDays: minDays)
    }

    /// Each option by the field of the change it sets.
    private static let options: [PayerChange.Field: String] = [
        .reviewEveryDays: "--review-every", .appealDays: "--appeal-days", .procedureCode: "--procedure",
        .revenueCode: "--revenue", .dayMinHours: "--day-min-hours", .minDays: "--min-days",
    ]

    func validate() throws {
        guard payer != nil || change.isEmpty else {
            throw ValidationError("name the payer whose policy the options change")
        }
        guard !new || payer != nil else { throw ValidationError("--new needs the payer's name") }
        let problems = change.problems.map { "\(Self.options[$0.field] ?? $0.field.rawValue) \($0.message)" }
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "\n")) }
    }

    func run() throws {
        let store = try openRecord(record)
        if let payer {
            _ = try useCase(record) { () throws(UseCaseError) in
                try Payers.change(payer, change, adding: new, in: store)
            }
        }
        let policies = try useCase(record) { () throws(UseCaseError) in try Payers.all(in: store) }.filter {
            payer == nil || $0.payer == payer
        }
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
