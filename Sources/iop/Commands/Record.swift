import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord
import Planner
import RosterSolver
import RosterValidator
import ScenarioFile
import UseCases

/// The most days any option counting days may give (a year): review cadences, appeal
/// windows, how far ahead to look.
let maximumDays = Payers.maximumDays

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract:
            "Create a program's record: an SQLite file readable by its owner only, or the schema in an empty PostgreSQL database."
    )

    @Argument(help: "The record file to create, or a postgres:// URL of an empty database (password in PGPASSWORD).")
    var record: String

    func run() throws {
        let store: RecordStore
        do { store = try RecordStore.create(at: record) } catch { throw recordFailure(error, record) }
        print("\(record): created, schema \(try store.appliedMigrations().joined(separator: ", "))")
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load a scenario's program and census (IDs, tracks, weekly hours) into the record.")

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The scenario file.")
    var scenario: String

    func run() throws {
        let loaded = try loadScenario(scenario)
        let store = try openRecord(record)
        let copy = try? ScenarioWriter.recordCopy(loaded)
        if copy == nil {
            printError("\(scenario) could not be kept in the record as its week's scenario (iop serve needs it)")
        }
        try useCase(record) { () throws(UseCaseError) in
            try RecordWeek.importWeek(loaded, copy: copy, by: NSUserName(), into: store)
        }
        let authorizations = loaded.clients.filter { $0.authorization != nil }.count
        print(
            "\(record): \(loaded.program.name), \(loaded.clients.count) clients, "
                + "\(authorizations) authorization\(authorizations == 1 ? "" : "s")")
    }
}

struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "Store a roster (from plan or replan) in the record as a new version.",
        discussion:
            "The roster must be for the record's program and week and pass the independent validator against --scenario (with --events applied, as for iop check); otherwise every violation is printed, nothing is stored, and the exit code is 65."
    )

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The roster JSON.")
    var roster: String

    @Option(help: "The scenario the roster was planned from.")
    var scenario: String

    @Option(help: "Events the roster was re-planned with, applied to the scenario first; repeatable.")
    var events: [String] = []

    @Flag(help: "Store it as a draft instead of the published roster.")
    var draft = false

    func run() throws {
        let store = try openRecord(record)
        var loaded = try scenarioInRecord(try loadScenario(scenario), store, record)
        var kept: [(event: Event, source: String)] = []
        for path in events {
            let new = try loadEventsWithSources(path, for: loaded)
            kept += new
            loaded = loaded.applying(new.map(\.event))
        }
        let decoded = try readRoster(roster)
        try requireFitsRecord(decoded, loaded, store, label: roster)
        let version: Int64
        if draft {
            do { version = try store.saveRoster(decoded, published: false, by: NSUserName()) } catch {
                throw recordFailure(error, record)
            }
        } else {
            version = try publishRoster(decoded, in: store, record, replacing: nil, events: kept, scenario: loaded)
        }
        print(
            "\(record): roster version \(version) \(draft ? "saved as a draft" : "published")\(kept.isEmpty || draft ? "" : " with \(kept.count) event\(kept.count == 1 ? "" : "s") kept")"
        )
    }
}
