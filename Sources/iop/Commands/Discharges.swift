import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord
import UseCases

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

    @Option(help: "Output format: text, csv (one row per item) or json.")
    var format: ReportFormat = .text

    func run() throws {
        let store = try openRecord(record)
        if let done, let client {
            try useCase(record) { () throws(UseCaseError) in
                try Discharges.complete(done, of: ClientID(client), on: today, in: store)
            }
        }
        let checklist = try useCase(record) { () throws(UseCaseError) in
            try Discharges.checklist(in: store, asOf: today)
        }
        switch format {
        case .json: try printJSON(checklist)
        case .csv: print(ReportCSV.discharges(checklist).render())
        case .text:
            func lines(_ items: some Collection<ChecklistItem>) -> String {
                items.isEmpty
                    ? "  none"
                    : items.map { "  \($0.due) \($0.client) (last day \($0.lastDay)): \($0.item)" }.joined(
                        separator: "\n")
            }
            print("Overdue (\(checklist.overdue.count))")
            print(lines(checklist.overdue))
            print("Due next (\(checklist.dueNext.count))")
            print(lines(checklist.dueNext.prefix(10)))
        }
    }
}
