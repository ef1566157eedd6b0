import IOPDomain
import OperationsRecord
import Planner
import RosterSolver
import UseCases

// What each page shows, as plain values its template renders (HTML-escaped by Mustache).

/// What every page's header needs.
struct Frame {
    let title: String
    var login: LoginView?
    var version: Int64? = nil
    /// A page with a form in progress is told of a new version but not reloaded.
    var keepOpen = false
}

struct LoginView {
    let name: String
    let csrfToken: String
    let mayChange: Bool
    init(_ login: Login) {
        (name, csrfToken, mayChange) = (login.name, login.csrfToken, login.role.may(.changeWeek))
    }
}

/// The week by block (rows) and day (columns).
struct WeekView {
    struct Day {
        let title: String
        let date: String
    }
    struct SessionView {
        let id: String
        let group: String
        let letter: String
        let facilitators: String
        let room: String
        let count: Int
        let capacity: Int
        let members: [String]
        /// Whether a lock keeps the session as published.
        let locked: Bool
        /// Members a pin keeps in this time of the group, when there are any.
        let pinned: String?
        /// Clients a coordinator may pin here: everyone not in it already.
        let pinChoices: [String]
        /// Space-separated, for the page's filters.
        let filterFacilitators: String
        let filterTracks: String
        let filterMembers: String
    }
    struct Cell { let sessions: [SessionView] }
    struct Row {
        let block: String
        let time: String
        let cells: [Cell]
    }

    let program: String
    let weekOf: String
    let version: Int64
    /// The moment a change entered from the grid re-plans from, by default.
    let replanFrom: String
    let days: [Day]
    let rows: [Row]
    let sessionCount: Int
    let clientCount: Int
    let shortfalls: [String]
    let shortfallCount: Int
    /// What the filters offer.
    let facilitatorChoices: [String]
    let roomChoices: [String]
    let trackChoices: [String]
    let clientChoices: [String]

    init(_ week: PublishedWeek, in scenario: Scenario) {
        let program = scenario.program
        let dates = program.days.map { program.date(of: $0) }
        self.program = program.name
        weekOf = week.roster.weekOf.description
        version = week.version
        replanFrom = Self.replanFrom(week.roster.weekOf)
        days = program.days.map { Day(title: $0.title, date: program.date(of: $0).description) }
        rows = program.blocks.map { block in
            Row(
                block: block.id.rawValue, time: "\(block.start)-\(block.end)",
                cells: dates.map { date in
                    Cell(
                        sessions: week.roster.sessions.filter { $0.date == date && $0.block == block.id }
                            .sorted { ($0.group, $0.section) < ($1.group, $1.section) }
                            .map { SessionView($0, scenario) })
                })
        }
        sessionCount = week.roster.sessions.count
        clientCount = week.roster.clients.count
        shortfalls = week.shortfalls.map(\.message)
        shortfallCount = shortfalls.count
        facilitatorChoices = scenario.facilitators.map(\.id.rawValue).sorted()
        roomChoices = program.rooms.map(\.id.rawValue).sorted()
        trackChoices = Set(scenario.clients.map(\.track.rawValue)).sorted()
        clientChoices = week.roster.clients.map(\.client.rawValue).sorted()
    }

    /// The week's first morning, before any session: where a change re-plans from unless
    /// the coordinator gives a later moment.
    static func replanFrom(_ weekOf: LocalDate) -> String { "\(weekOf)T07:00" }
}

extension WeekView.SessionView {
    init(_ session: Session, _ scenario: Scenario) {
        id = session.id
        group = session.group.rawValue
        letter = session.letter
        facilitators = session.facilitators.map(\.rawValue).joined(separator: " + ")
        room = session.room.rawValue
        count = session.members.count
        capacity = min(
            scenario.program.rooms.first { $0.id == session.room }?.capacity ?? 0,
            scenario.group(session.group)?.capacity ?? 0)
        members = session.members.map(\.rawValue).sorted()
        let slot = SlotRef(group: session.group, day: session.day, block: session.block)
        locked = scenario.locks.contains { $0.slot == slot && $0.section == session.section }
        let pins = scenario.clients.filter { session.members.contains($0.id) && $0.pinned.contains(slot) }
        pinned = pins.isEmpty ? nil : pins.map(\.id.rawValue).sorted().joined(separator: ", ")
        pinChoices = scenario.clients.map(\.id).filter { !session.members.contains($0) }.map(\.rawValue).sorted()
        filterFacilitators = session.facilitators.map(\.rawValue).joined(separator: " ")
        let tracks = Set(session.members.compactMap { scenario.client($0)?.track.rawValue })
        filterTracks = tracks.sorted().joined(separator: " ")
        filterMembers = members.joined(separator: " ")
    }
}

struct ProposalView {
    struct ChangeView {
        let person: String
        let change: String
        let published: Bool
    }
    struct MessageView {
        let to: String
        let text: String
    }

    let proposal: String
    let now: String
    let based: Int64
    let events: [String]
    let changes: [ChangeView]
    let messages: [MessageView]
    let shortfalls: [String]
    let csrfToken: String
    let changeCount: Int
    let publishedCount: Int
    let messageCount: Int
    let shortfallCount: Int
    /// What each tier's search proved, in the coordinator's words.
    let proven: String
    /// Someone stopped the search before its time limit: the best roster found so far.
    let stoppedEarly: Bool

    init(id: String, _ proposal: Proposal, now: DateTime, csrfToken: String) {
        self.proposal = id
        self.now = now.description
        based = proposal.based
        events = proposal.replan.events
        changes = proposal.replan.changes.sorted { $0.published && !$1.published }.map {
            ChangeView(person: $0.person, change: $0.message, published: $0.published)
        }
        messages = proposal.replan.messages.map { MessageView(to: $0.to, text: $0.text) }
        shortfalls = proposal.replan.plan.shortfalls.map(\.message)
        self.csrfToken = csrfToken
        changeCount = changes.count
        publishedCount = changes.filter(\.published).count
        messageCount = messages.count
        shortfallCount = shortfalls.count
        let stages = proposal.replan.plan.solver.stages
        proven = stages.map(\.proven).joined(separator: "; ")
        stoppedEarly = stages.contains { $0.stopped == .interrupted }
    }
}

struct AttendanceView {
    struct Line {
        let client: String
        let attended: String
        let remaining: String
        let projected: String
        let minimum: String
        let flags: String
        let absences: String
    }
    struct SheetLink {
        let id: String
        let label: String
    }
    struct Day {
        let title: String
        let date: String
        let sessions: [SheetLink]
    }

    let weekOf: String
    let asOf: String
    let clients: [Line]
    let atRisk: [Line]
    let days: [Day]
    let atRiskCount: Int

    init(_ report: AttendanceWeek, roster: Roster) {
        weekOf = report.weekOf.description
        asOf = report.asOf.description
        clients = report.clients.map { line in
            let flags =
                [line.risk?.rawValue.replacingOccurrences(of: "_", with: " ")].compactMap { $0 } + line.patterns
                + (line.shortDays.isEmpty
                    ? [] : ["below the billable day on " + line.shortDays.map(\.weekday.title).joined(separator: ", ")])
                + (line.unrecorded.isEmpty ? [] : ["\(line.unrecorded.count) unrecorded"])
            return Line(
                client: line.client.rawValue, attended: Self.hours(line.attendedHours),
                remaining: Self.hours(line.remainingHours), projected: Self.hours(line.projectedHours),
                minimum: Self.hours(line.minimumHours), flags: flags.joined(separator: ", "),
                absences: line.absences.joined(separator: "; "))
        }
        atRisk = zip(report.clients, clients).filter { $0.0.risk != nil }.map(\.1)
        atRiskCount = atRisk.count
        days = Dictionary(grouping: roster.sessions, by: \.date).sorted { $0.key < $1.key }.map { date, sessions in
            Day(
                title: date.weekday.title, date: date.description,
                sessions: sessions.sorted { ($0.start, $0.group, $0.section) < ($1.start, $1.group, $1.section) }
                    .map { SheetLink(id: $0.id, label: "\($0.start) \($0.group) \($0.letter)") })
        }
    }

    static func hours(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }
}

struct SheetView {
    struct Status {
        let value: String
        let label: String
        let selected: Bool
    }
    struct Member {
        let client: String
        let length: Int
        let statuses: [Status]
    }

    let id: String
    let label: String
    let date: String
    let time: String
    let room: String
    let facilitators: String
    let members: [Member]
    let csrfToken: String
    var error: String? = nil
    var problems: [String] = []

    init(_ session: Session, csrfToken: String) {
        id = session.id
        label = "\(session.group) \(session.letter)"
        date = "\(session.date.weekday.title) \(session.date)"
        time = "\(session.start)-\(session.end)"
        room = session.room.rawValue
        facilitators = session.facilitators.map(\.rawValue).joined(separator: " + ")
        let length = session.end.minutes - session.start.minutes
        members = session.members.map(\.rawValue).sorted().map { client in
            Member(
                client: client, length: length,
                statuses: AttendanceStatus.allCases.map {
                    Status(
                        value: $0.rawValue, label: $0.rawValue.replacingOccurrences(of: "_", with: " "),
                        selected: $0 == .present)
                })
        }
        self.csrfToken = csrfToken
    }
}

/// Every facilitator's absence on a day, ranked, as the what-if page shows it.
struct RankingView {
    struct Row {
        let facilitator: String
        let hoursShort: String
        let planShort: String
        let sessionsLed: Int
        let changes: Int
        let published: Int
    }
    struct Failure {
        let facilitator: String
        let reason: String
    }

    let day: String
    let now: String
    let rows: [Row]
    let notRanked: [Failure]
    let ranked: Bool
    /// Someone stopped the ranking's searches before their time limit.
    let stoppedEarly: Bool

    init(_ ranking: AbsenceRanking?, day: String, now: String, stoppedEarly: Bool = false) {
        self.day = day
        self.now = now
        self.stoppedEarly = stoppedEarly
        ranked = ranking != nil
        rows = (ranking?.rows ?? []).map {
            Row(
                facilitator: $0.facilitator.rawValue, hoursShort: "+" + AttendanceView.hours($0.impact.hoursShort),
                planShort: "+" + AttendanceView.hours($0.impact.planShort), sessionsLed: $0.impact.sessionsLed,
                changes: $0.impact.changes, published: $0.impact.published)
        }
        notRanked = (ranking?.notRanked ?? []).map { Failure(facilitator: $0.facilitator.rawValue, reason: $0.reason) }
    }
}
