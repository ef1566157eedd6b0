import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord

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
            do { try store.completeDischargeItem(ClientID(client), done, on: today) } catch {
                throw recordFailure(error, record)
            }
        }
        let open = try store.dischargeItems().filter { $0.doneOn == nil }
        let overdue = open.filter { $0.due < today }
        let upcoming = open.filter { $0.due >= today }
        print("Overdue (\(overdue.count))")
        print(
            overdue.isEmpty
                ? "  none"
                : overdue.map { "  \($0.due) \($0.client) (last day \($0.lastDay)): \($0.item)" }.joined(
                    separator: "\n"))
        print("Due next (\(upcoming.count))")
        print(
            upcoming.isEmpty
                ? "  none"
                : upcoming.prefix(10).map { "  \($0.due) \($0.client) (last day \($0.lastDay)): \($0.item)" }.joined(
                    separator: "\n"))
    }
}
