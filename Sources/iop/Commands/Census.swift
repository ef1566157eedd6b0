import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord
import ScenarioFile

struct CensusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "census", abstract: "The census from the EHR.", subcommands: [CensusImport.self])
}

struct CensusImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Read a census CSV exported from the EHR against the record; what changed is kept as events (all rows or none).",
        discussion: """
            Columns, in any order (client_id and track required; an empty cell says nothing): \
            \(CensusSheet.columns.joined(separator: ", ")). plan is group:sessions pairs separated by ';' (process:3;dbt:1), \
            keep_apart client IDs separated by ';'. A client the record does not have is an admission; for one it has, a new \
            authorization (number, window, level or hours) and an earlier planned discharge are events. Every bad row is \
            reported at once by row and column and nothing is kept. The events take effect at --as-of and are applied by every \
            command that reads the record; iop replan --record --publish rosters them.
            """)

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The census CSV.")
    var file: String

    @Option(help: "The scenario the record's rosters are planned from.")
    var scenario: String

    @Option(name: .customLong("as-of"), help: "When the changes take effect, YYYY-MM-DDTHH:MM.")
    var now: DateTime

    func run() throws {
        let store = try openRecord(record)
        let week = try scenarioInRecord(try loadScenario(scenario), store, record)
        let reading: CensusSheet.Reading
        do throws(ScenarioError) {
            reading = try CensusSheet.parse(try ScenarioLoader.text(of: file), file: file, week: week, at: now)
        } catch {
            printError(
                "\(error.issues.count) problem\(error.issues.count == 1 ? "" : "s") in \(file); nothing was kept:\n"
                    + error.description)
            throw error.unreadable ? ExitCodes.unreadableInput : ExitCodes.invalidInput
        }
        if reading.events.isEmpty {
            print(
                "\(file): nothing new against the record; \(reading.unchanged.count) client\(reading.unchanged.count == 1 ? "" : "s") as it has them"
            )
        } else {
            let after = week.applying(reading.events.map(\.event))
            do {
                try store.keep(
                    reading.events.map { NewEvent(at: $0.event.at, summary: $0.event.summary, source: $0.source) },
                    enteredBy: NSUserName(), scenario: after)
            } catch {
                throw recordFailure(error, record)
            }
            print(
                "\(file): \(reading.events.count) change\(reading.events.count == 1 ? "" : "s") kept as events from \(now); "
                    + "\(reading.unchanged.count) client\(reading.unchanged.count == 1 ? "" : "s") unchanged")
            for entry in reading.events { print("  \(entry.event.summary)") }
        }
        if !reading.notListed.isEmpty {
            print(
                "Not in the file, still in the record (a discharge is an event or a planned_discharge): "
                    + reading.notListed.map(\.rawValue).joined(separator: ", "))
        }
        for note in reading.notApplied { print("Not applied: \(note)") }
        if !reading.events.isEmpty {
            print("Re-plan to roster them: iop replan \(scenario) --record \(record) --now \(now) --publish")
        }
    }
}
