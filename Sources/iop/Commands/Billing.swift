import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord

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

    func run() throws {
        let store = try openRecord(record)
        let (_, roster) = try requirePublished(store, record)
        let rules = try store.perDiemRules()
        print("Billing evidence, week of \(roster.weekOf)")
        for client in BillingSummary.week(
            roster: roster, entries: try store.attendance(), rule: { rules[$0] ?? PerDiemRule() })
        {
            let rule = client.rule
            print(
                "\(client.client): \(client.billableDays) billable day\(client.billableDays == 1 ? "" : "s")"
                    + " (\(rule.procedureCode), revenue \(rule.revenueCode); day >= \(number(Double(rule.dayMinimumMinutes) / 60)) h)"
                    + (client.weekQualifies
                        ? ""
                        : client.mayStillQualify
                            ? "; \(client.billableDays) of \(rule.minimumDays) so far, \(client.pendingDays.count) planned day\(client.pendingDays.count == 1 ? "" : "s") not yet recorded"
                            : "; below \(rule.minimumDays): no per-diem claim this week"))
            for day in client.days {
                print(
                    "  \(day.date) \(day.minutes) min \(day.billable ? rule.procedureCode : "not billable"): \(day.sessions.joined(separator: "; "))"
                )
            }
        }
    }
}
