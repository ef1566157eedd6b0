import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord
import UseCases

struct BillingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing",
        abstract:
            "Per-diem claim evidence per client for the published week: billable days, sessions, minutes, facilitators.",
        discussion:
            "Each client's days are judged by their payer's rule and codes (iop payer); clients without any authorization by the defaults (3 h a day, 3 days, H0015, revenue 0906)."
    )

    @Argument(help: "The record file.")
    var record: String

    @Option(help: "Output format: text, csv (one row per client and day) or json.")
    var format: ReportFormat = .text

    func run() throws {
        let store = try openRecord(record)
        let week = try useCase(record) { () throws(UseCaseError) in try Billing.week(in: store) }
        switch format {
        case .json: try printJSON(week)
        case .csv: print(ReportCSV.billing(week).render())
        case .text: printText(week)
        }
    }

    private func printText(_ week: BillingWeek) {
        print("Billing evidence, week of \(week.weekOf)")
        for client in week.clients {
            print(
                "\(client.client): \(client.billableDays) billable day\(client.billableDays == 1 ? "" : "s")"
                    + " (\(client.procedureCode), revenue \(client.revenueCode); day >= \(number(Double(client.dayMinimumMinutes) / 60)) h)"
                    + (client.weekQualifies
                        ? ""
                        : client.mayStillQualify
                            ? "; \(client.billableDays) of \(client.minimumDays) so far, \(client.pendingDays.count) planned day\(client.pendingDays.count == 1 ? "" : "s") not yet recorded"
                            : "; below \(client.minimumDays): no per-diem claim this week"))
            for day in client.days {
                print(
                    "  \(day.date) \(day.minutes) min \(day.billable ? client.procedureCode : "not billable"): \(day.sessions.map(\.line).joined(separator: "; "))"
                )
            }
        }
    }
}
