import ArgumentParser
import Foundation
import IOPDomain
import OperationsRecord
import Planner

struct RosterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "The roster versions kept in the record: list, show, compare, publish a draft, revert.",
        subcommands: [RosterList.self, RosterShow.self, RosterDiff.self, RosterPublish.self, RosterRevert.self])
}

struct RosterList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Every roster version: status, when and by whom it was stored, what it came from.")

    @Argument(help: "The record file.")
    var record: String

    func run() throws {
        let store = try openRecord(record)
        let versions: [RosterVersion]
        do { versions = try store.rosterVersions() } catch { throw recordFailure(error, record) }
        print("Roster versions (\(versions.count))")
        let rows = versions.map { version in
            [
                "v\(version.version)", version.published ? "published" : "draft", "week of \(version.weekOf)",
                origin(version),
                "\(version.roster.sessions.count) sessions, \(version.roster.clients.count) clients",
                "saved \(version.savedAt)" + (version.savedBy.map { " by \($0)" } ?? ""),
            ]
        }
        let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(
                "  "
                    + zip(row, widths).map { $0.rightPadded($1) }.joined(separator: "  ").trimmingCharacters(
                        in: .whitespaces))
        }
        if let latest = versions.last(where: \.published) { print("Latest published: v\(latest.version)") }
    }
}

struct RosterShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "One roster version: its sessions day by day (text), the stored JSON, or CSV rows.")

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The version number (iop roster list).")
    var version: Int64

    @Option(help: "Output format: text, json or csv.")
    var format: PlanFormat = .text

    func run() throws {
        let shown = try requireVersion(try openRecord(record), version, record)
        switch format {
        case .json: print(String(decoding: try Roster.encoder().encode(shown.roster), as: UTF8.self))
        case .csv: print(RosterCSV(roster: shown.roster).render())
        case .text:
            print(
                "Roster version \(shown.version): \(shown.published ? "published" : "draft"), \(shown.roster.program), "
                    + "week of \(shown.weekOf), \(origin(shown))")
            for (date, sessions) in Dictionary(grouping: shown.roster.sessions, by: \.date).sorted(by: {
                $0.key < $1.key
            }) {
                print("\(date.weekday.title) \(date)")
                let ordered = sessions.sorted { ($0.start, $0.group, $0.section) < ($1.start, $1.group, $1.section) }
                let width = ordered.map { "\($0.group) \($0.section)".count }.max() ?? 0
                for session in ordered {
                    print(
                        "  \(session.start)-\(session.end)  \("\(session.group) \(session.section)".rightPadded(width))  "
                            + "\(session.facilitators.map(\.rawValue).joined(separator: "+")) in \(session.room): "
                            + session.members.map(\.rawValue).joined(separator: " "))
                }
            }
        }
    }
}

struct RosterDiff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Who moved where between two roster versions.")

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The earlier version.")
    var from: Int64

    @Argument(help: "The later version.")
    var to: Int64

    func run() throws {
        let store = try openRecord(record)
        let before = try requireVersion(store, from, record)
        let after = try requireVersion(store, to, record)
        let differences = RosterDifference.between(before.roster.sessions, after.roster.sessions)
        print("v\(from) -> v\(to): \(differences.count) change\(differences.count == 1 ? "" : "s")")
        for difference in differences { print("  \(difference.description)") }
    }
}

/// Publishes a stored version again as the next version, once it passes the validator
/// against the week as the record knows it now.
private func republish(_ number: Int64, record: String, scenario path: String, draft: Bool) throws {
    let store = try openRecord(record)
    let scenario = try scenarioInRecord(try loadScenario(path), store, record)
    let chosen = try requireVersion(store, number, record)
    guard chosen.published != draft else {
        printError(
            draft
                ? "\(record): v\(number) is already published; iop roster revert \(record) \(number) publishes a copy of it"
                : "\(record): v\(number) is a draft; iop roster publish \(record) \(number) publishes it")
        throw ExitCodes.invalidInput
    }
    let latest = try store.publishedRoster()?.version
    guard latest != number else {
        printError("\(record): v\(number) is the latest published version already; nothing was written")
        throw ExitCodes.invalidInput
    }
    try requireFitsRecord(chosen.roster, scenario, store, label: "roster version \(number)")
    do {
        let version = try store.republish(number, whileLatest: latest, by: NSUserName())
        print("\(record): roster version \(version) published (\(draft ? "draft v\(number)" : "a copy of v\(number)"))")
    } catch {
        throw recordFailure(error, record)
    }
}

struct RosterPublish: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "Publish a draft version as the next version.",
        discussion:
            "The draft must still pass the independent validator against --scenario with the record's events applied; otherwise every violation is printed and nothing is stored (exit 65)."
    )

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The draft's version number.")
    var version: Int64

    @Option(help: "The scenario the roster was planned from.")
    var scenario: String

    func run() throws { try republish(version, record: record, scenario: scenario, draft: true) }
}

struct RosterRevert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revert",
        abstract: "Publish a copy of an earlier published version as the next version (history kept).",
        discussion:
            "The earlier roster must pass the independent validator against --scenario with the record's events applied (a client discharged since, a facilitator now absent: each violation is printed and nothing is stored, exit 65)."
    )

    @Argument(help: "The record file.")
    var record: String

    @Argument(help: "The earlier version's number.")
    var version: Int64

    @Option(help: "The scenario the roster was planned from.")
    var scenario: String

    func run() throws { try republish(version, record: record, scenario: scenario, draft: false) }
}
