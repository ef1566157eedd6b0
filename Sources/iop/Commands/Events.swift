import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord
import RosterValidator
import ScenarioFile

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract:
            "List the events kept in the record (when each took effect, who entered it, the roster version it produced), or withdraw one.",
        discussion:
            "Events are kept when a re-plan is published (iop replan --record --publish, iop publish --events). Every command that reads the record applies those in effect to the scenario first, so no events file is passed twice. An event entered by mistake is withdrawn with --withdraw N --scenario S: a new event undoes it (history kept), the census, authorizations and discharge checklists follow the week without it, and iop replan --record then re-plans the published roster without it."
    )

    @Argument(help: "The record file.")
    var record: String

    @Option(help: "Withdraw this event (its number in the list).")
    var withdraw: Int64?

    @Option(help: "With --withdraw: the scenario the record's rosters are planned from.")
    var scenario: String?

    func validate() throws {
        guard (withdraw == nil) == (scenario == nil) else {
            throw ValidationError("--withdraw and --scenario go together")
        }
    }

    func run() throws {
        let store = try openRecord(record)
        if let withdraw, let scenario {
            try withdrawEvent(withdraw, store, scenario)
            return
        }
        let events: [StoredEvent]
        do { events = try store.events() } catch { throw recordFailure(error, record) }
        let withdrawn = Set(events.compactMap(\.withdraws))
        print("Events (\(events.count))")
        for event in events {
            print(
                "  \(event.id). \(event.at)  \(event.summary)\(withdrawn.contains(event.id) ? " (WITHDRAWN)" : "")  "
                    + "(entered by \(event.enteredBy) at \(event.enteredAt)"
                    + (event.rosterVersion.map { ", roster version \($0)" }
                        ?? (event.withdraws == nil ? ", not yet in a published roster" : "")) + ")")
        }
    }

    /// Withdraws the event, then says whether the published roster still fits the week
    /// without it.
    private func withdrawEvent(_ id: Int64, _ store: RecordStore, _ path: String) throws {
        let base = try loadScenario(path)
        let all: [StoredEvent]
        do { all = try store.events() } catch { throw recordFailure(error, record) }
        let without: Scenario
        do {
            without = try EventsLoader.replay(all.inEffect.filter { $0.id != id }.map(\.source), on: base)
        } catch {
            printError(
                "\(record): the events entered after event \(id) need it; withdraw them first:\n" + error.description)
            throw ExitCodes.invalidInput
        }
        let stored: StoredEvent
        do { stored = try store.withdraw(id, enteredBy: NSUserName(), scenario: without) } catch {
            throw recordFailure(error, record)
        }
        print("\(record): \(stored.summary)")
        guard let (version, roster) = try store.publishedRoster() else { return }
        let violations = RosterValidator.check(roster, against: try scenarioInRecord(base, store, record))
        if violations.isEmpty {
            print(
                "The published roster v\(version) still fits the week; iop replan \(path) --record \(record) --now T --publish re-plans it without the event."
            )
        } else {
            print(
                "The published roster v\(version) no longer fits the week (\(violations.count) violation\(violations.count == 1 ? "" : "s")):\n"
                    + violations.capped().map { "  - \($0)" }.joined(separator: "\n")
                    + "\nRe-plan it: iop replan \(path) --record \(record) --now T --publish")
        }
    }
}
