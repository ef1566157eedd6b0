import ArgumentParser
import Exports
import Foundation
import IOPDomain
import OperationsRecord

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a roster to the tools people already use.",
        subcommands: [ExportICal.self, ExportFHIR.self, ExportSheets.self, ExportSchedule.self])
}

struct ExportICal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ical",
        abstract: "One facilitator's, room's or client's sessions as an iCalendar file (RFC 5545).",
        discussion:
            "Each session keeps its event's UID from one roster to the next, so importing the file again after a re-plan updates the events; a session the previous roster gave the same person and this one does not is sent as cancelled (--since, or with --record the version before the published one). Times are given in UTC from the program's timezone (program.timezone; UTC when it is not set). A client's file holds the group, the time and the room only."
    )

    @OptionGroup var week: WeekSource

    @Option(help: "The roster people were given before, whose sessions no longer theirs are cancelled.")
    var since: String?

    @Option(help: "A facilitator's sessions.")
    var facilitator: String?

    @Option(help: "A room's sessions.")
    var room: String?

    @Option(help: "A client's sessions.")
    var client: String?

    @Option(help: "Write the file here (owner-readable only) instead of standard output.")
    var out: String?

    func validate() throws {
        guard [facilitator, room, client].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --facilitator, --room and --client")
        }
    }

    func run() throws {
        let week = try self.week.load()
        var previous = try week.previous()
        if let since { previous = try readRoster(since) }
        let calendar = ICalendar(
            scenario: week.scenario, roster: week.roster, previous: previous, sequence: Int(week.version ?? 0))
        let subject = try self.subject(of: calendar)
        if week.scenario.program.timeZone == nil {
            printError("\(self.week.scenario): program.timezone is not set; the times are given as UTC")
        }
        let feed = calendar.feed(for: subject)
        try emit(String(feed.dropLast(2)), to: out, terminator: "\r\n")
    }

    /// The feed's subject, once the week knows it (65 with the choices otherwise).
    private func subject(of calendar: ICalendar) throws -> ICalendar.Subject {
        let scenario = calendar.scenario
        let (subject, kind, id, known): (ICalendar.Subject, String, String, [String]) =
            if let facilitator {
                (
                    .facilitator(FacilitatorID(facilitator)), "facilitator", facilitator,
                    scenario.facilitators.map(\.id.rawValue)
                )
            } else if let room {
                (.room(RoomID(room)), "room", room, scenario.program.rooms.map(\.id.rawValue))
            } else {
                (.client(ClientID(client ?? "")), "client", client ?? "", scenario.clients.map(\.id.rawValue))
            }
        guard calendar.knows(subject) else {
            printError(
                "unknown \(kind) '\(id)'; expected one of: \(known.sorted().capped(at: 12).joined(separator: ", "))")
            throw ExitCodes.invalidInput
        }
        return subject
    }
}

struct ExportFHIR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fhir",
        abstract: "The week as a FHIR R4 Bundle: Schedule, Slot and Appointment per session, Encounter per attendance.",
        discussion:
            "Every member, facilitator and the room are the Appointment's participants, its status and theirs from the attendance recorded (with --record); a Group holds the week's census. People and rooms carry the program's IDs as identifiers and no names. Resource ids are UUIDs derived from the program, the week and what they stand for, so a week exported again keeps them. Times are UTC from program.timezone."
    )

    @OptionGroup var week: WeekSource

    @Option(help: "Write the bundle here (owner-readable only) instead of standard output.")
    var out: String?

    func run() throws {
        let week = try self.week.load()
        if week.scenario.program.timeZone == nil {
            printError("\(self.week.scenario): program.timezone is not set; the times are given as UTC")
        }
        try emit(
            FHIRBundle(scenario: week.scenario, roster: week.roster, attendance: try week.attendance()).json(), to: out)
    }
}

/// How paper is written: a printable page, or CSV.
enum SheetFormat: String, ExpressibleByArgument, CaseIterable {
    case html, csv
}

struct ExportSheets: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sheets",
        abstract: "Pre-filled sign-in sheets: a printable page per session (html), or the CSV attendance import reads.",
        discussion:
            "Each sheet names the session, its time, room, facilitators and headcount, and lists its members by ID with a box per status, minutes and reason. The CSV has a row per member with status, minutes and reason empty: fill them in and record it with iop attendance import."
    )

    @OptionGroup var week: WeekSource

    @Option(help: "Only the sessions of this day, YYYY-MM-DD (the whole week otherwise).")
    var day: LocalDate?

    @Option(help: "html (one page per session, for printing) or csv.")
    var format: SheetFormat = .html

    @Option(help: "Write the sheets here (owner-readable only) instead of standard output.")
    var out: String?

    func run() throws {
        let week = try self.week.load()
        let sheets = Sheets(scenario: week.scenario, roster: week.roster)
        if let day, sheets.sessions(on: day).isEmpty {
            printError("no sessions on \(day) in the week of \(week.roster.weekOf)")
            throw ExitCodes.invalidInput
        }
        try emit(format == .csv ? sheets.signInCSV(on: day) : sheets.signInHTML(on: day), to: out)
    }
}

struct ExportSchedule: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "One client's or facilitator's week: a printable page (html) or CSV, a row per session.",
        discussion: "A client's schedule names no other client; a facilitator's gives each session's headcount."
    )

    @OptionGroup var week: WeekSource

    @Option(help: "A client's week.")
    var client: String?

    @Option(help: "A facilitator's week.")
    var facilitator: String?

    @Option(help: "html (for printing) or csv.")
    var format: SheetFormat = .html

    @Option(help: "Write the schedule here (owner-readable only) instead of standard output.")
    var out: String?

    func validate() throws {
        guard (client == nil) != (facilitator == nil) else {
            throw ValidationError("give exactly one of --client and --facilitator")
        }
    }

    func run() throws {
        let week = try self.week.load()
        let sheets = Sheets(scenario: week.scenario, roster: week.roster)
        let person: Sheets.Person =
            if let client { .client(ClientID(client)) } else { .facilitator(FacilitatorID(facilitator ?? "")) }
        guard sheets.knows(person) else {
            let (kind, id, known) =
                if let client { ("client", client, week.scenario.clients.map(\.id.rawValue)) } else {
                    ("facilitator", facilitator ?? "", week.scenario.facilitators.map(\.id.rawValue))
                }
            printError(
                "unknown \(kind) '\(id)'; expected one of: \(known.sorted().capped(at: 12).joined(separator: ", "))")
            throw ExitCodes.invalidInput
        }
        try emit(format == .csv ? sheets.scheduleCSV(of: person) : sheets.scheduleHTML(of: person), to: out)
    }
}

/// Which week an export is of: a roster file and its scenario, or a record's published roster.
struct WeekSource: ParsableArguments {
    @Argument(help: "The scenario the roster was planned from.")
    var scenario: String

    @Option(help: "The roster (JSON from iop plan or iop replan).")
    var roster: String?

    @Option(help: "Take the published roster (and the attendance recorded) from this record instead of --roster.")
    var record: String?

    func validate() throws {
        guard (roster == nil) != (record == nil) else {
            throw ValidationError("give exactly one of --roster and --record")
        }
    }

    func load() throws -> ExportedWeek { try ExportedWeek(scenario: scenario, roster: roster, record: record) }
}

/// The week an export is of: a roster file with its scenario, or the record's published
/// roster with the week as the record knows it.
struct ExportedWeek {
    let scenario: Scenario
    let roster: Roster
    /// The published version, from a record.
    let version: Int64?
    private let store: RecordStore?
    private let path: String

    init(scenario path: String, roster: String?, record: String?) throws {
        var loaded = try loadScenario(path)
        if let record {
            let store = try openRecord(record)
            loaded = try scenarioInRecord(loaded, store, record)
            let published = try requirePublished(store, record)
            (self.roster, version, self.store, self.path) = (published.roster, published.version, store, record)
        } else {
            (self.roster, version, store, self.path) = (try readRoster(roster ?? ""), nil, nil, path)
        }
        scenario = loaded
    }

    /// The version published before this one, whose sessions people were given.
    func previous() throws -> Roster? {
        guard let store else { return nil }
        do { return try store.publishedRoster(back: 1)?.roster } catch { throw recordFailure(error, path) }
    }

    /// The attendance the record keeps; none for a roster file.
    func attendance() throws -> [AttendanceEntry] {
        guard let store else { return [] }
        do { return try store.attendance() } catch { throw recordFailure(error, path) }
    }
}
