import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord
import ScenarioFile

/// The scenario as the record knows it: the file with every event stored there applied,
/// then the review decisions logged (iop auth decide), and each payer's per-diem rule
/// (iop payer) as its clients' day rules.
func scenarioInRecord(_ scenario: Scenario, _ store: RecordStore, _ path: String) throws -> Scenario {
    do {
        var current = try EventsLoader.replay(try store.events().map(\.source), on: scenario)
        current = current.applying(try store.decisionEvents(for: current))
        current.program.policy.payers = try store.payerDayRules()
        return current
    } catch let error as ScenarioError {
        printError("\(path): its stored events no longer fit this scenario:\n" + error.description)
        throw ExitCodes.invalidInput
    } catch {
        throw recordFailure(error, path)
    }
}

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "List the events kept in the record: when each took effect, who entered it, the roster version it produced.",
        discussion: "Events are kept when a re-plan is published (iop replan --record --publish, iop publish --events). Every command that reads the record applies them to the scenario first, so no events file is passed twice.")

    @Argument(help: "The record file.")
    var record: String

    func run() throws {
        let events = try openRecord(record).events()
        print("Events (\(events.count))")
        for event in events {
            print("  \(event.at)  \(event.summary)  (entered by \(event.enteredBy) at \(event.enteredAt)\(event.rosterVersion.map { ", roster version \($0)" } ?? ""))")
        }
    }
}
