import Foundation
import IOPDomain

/// Paper for the group room's door and the front desk: each session's pre-filled sign-in
/// sheet, and one person's week. HTML pages print one sheet to a page; the CSV sign-in sheet
/// is the file `iop attendance import` reads back once the status column is filled in.
/// Clients appear by ID only.
public struct Sheets: Sendable {
    public let scenario: Scenario
    public let roster: Roster

    public init(scenario: Scenario, roster: Roster) {
        self.scenario = scenario
        self.roster = roster
    }

    /// Whose week a schedule is.
    public enum Person: Sendable, Equatable {
        case client(ClientID)
        case facilitator(FacilitatorID)
    }

    /// The sessions of `day` (every day when nil), by time.
    public func sessions(on day: LocalDate?) -> [Session] {
        roster.sessions.filter { day == nil || $0.date == day }.sorted(by: Self.order)
    }

    /// The sign-in sheets as one CSV to fill in: a row per member of each session with the
    /// status, minutes and reason left empty.
    public func signInCSV(on day: LocalDate?) -> String {
        CSVTable(
            header: ["session_id", "client", "status", "minutes", "reason"],
            rows: sessions(on: day).flatMap { session in
                session.members.sorted().map { [session.id, $0.rawValue, "", "", ""] }
            }
        ).render()
    }

    /// The sign-in sheets as a printable page, one session to a sheet.
    public func signInHTML(on day: LocalDate?) -> String {
        let sheets = sessions(on: day).map { session in
            let rows = session.members.sorted().map { member in
                "<tr><td>\(Self.escape(member.rawValue))</td>"
                    + String(repeating: "<td class=\"box\"></td>", count: 5) + "<td></td><td></td></tr>"
            }
            return """
                <section class="sheet">
                <h1>\(Self.escape(heading(session)))</h1>
                <p>\(Self.escape(when(session))) &middot; room \(Self.escape(session.room.rawValue)) &middot; \
                led by \(Self.escape(session.facilitators.map(\.rawValue).joined(separator: ", "))) &middot; \
                \(session.members.count) of \(capacity(session))</p>
                <table><thead><tr><th>Client</th><th>Present</th><th>Late</th><th>Left early</th><th>Excused</th>\
                <th>Unexcused</th><th>Minutes</th><th>Reason</th></tr></thead>
                <tbody>
                \(rows.joined(separator: "\n"))
                </tbody></table>
                <p class="foot">Session \(Self.escape(session.id)). Tick one box per client; give minutes when late or \
                leaving early. Enter as iop attendance import or on the page's sign-in sheet.</p>
                </section>
                """
        }
        return page(
            title: "Sign-in sheets, \(day.map { "\($0.weekday.title) \($0)" } ?? "week of \(roster.weekOf)")",
            body: sheets.isEmpty ? "<p>No sessions.</p>" : sheets.joined(separator: "\n"))
    }

    /// Whether the week knows `person`.
    public func knows(_ person: Person) -> Bool {
        switch person {
        case .client(let id):
            scenario.clients.contains { $0.id == id } || roster.sessions.contains { $0.members.contains(id) }
        case .facilitator(let id): scenario.facilitator(id) != nil
        }
    }

    /// `person`'s sessions of the week, by time.
    public func week(of person: Person) -> [Session] {
        roster.sessions.filter { session in
            switch person {
            case .client(let id): session.members.contains(id)
            case .facilitator(let id): session.facilitators.contains(id)
            }
        }.sorted(by: Self.order)
    }

    /// `person`'s week as CSV: a row per session.
    public func scheduleCSV(of person: Person) -> String {
        CSVTable(
            header: ["date", "day", "start", "end", "group", "section", "room", "facilitators", "members"],
            rows: week(of: person).map { session in
                [
                    session.date.description, session.day.rawValue, session.start.description,
                    session.end.description, session.group.rawValue, session.letter, session.room.rawValue,
                    session.facilitators.map(\.rawValue).joined(separator: ";"), members(session, for: person),
                ]
            }
        ).render()
    }

    /// `person`'s week as a printable page, a table per day.
    public func scheduleHTML(of person: Person) -> String {
        let sessions = week(of: person)
        let days = Dictionary(grouping: sessions, by: \.date).sorted { $0.key < $1.key }.map { date, sessions in
            let rows = sessions.map { session in
                "<tr><td>\(session.start)-\(session.end)</td><td>\(Self.escape(heading(session)))</td>"
                    + "<td>\(Self.escape(session.room.rawValue))</td>"
                    + "<td>\(Self.escape(session.facilitators.map(\.rawValue).joined(separator: ", ")))</td>"
                    + "<td>\(Self.escape(members(session, for: person)))</td></tr>"
            }
            return """
                <h2>\(date.weekday.title) \(date)</h2>
                <table><thead><tr><th>Time</th><th>Group</th><th>Room</th><th>Led by</th><th>Clients</th></tr></thead>
                <tbody>
                \(rows.joined(separator: "\n"))
                </tbody></table>
                """
        }
        return page(
            title: "\(name(of: person)), week of \(roster.weekOf)",
            body: "<section class=\"sheet\"><h1>\(Self.escape(name(of: person))), week of \(roster.weekOf)</h1>\n"
                + (days.isEmpty ? "<p>No sessions this week.</p>" : days.joined(separator: "\n")) + "\n</section>")
    }

    // MARK: Parts

    /// A client's own schedule does not name the other members; a facilitator's gives the headcount.
    private func members(_ session: Session, for person: Person) -> String {
        switch person {
        case .client: ""
        case .facilitator: "\(session.members.count)"
        }
    }

    private func name(of person: Person) -> String {
        switch person {
        case .client(let id): id.rawValue
        case .facilitator(let id): id.rawValue
        }
    }

    private func heading(_ session: Session) -> String { "\(session.group) \(session.letter)" }

    private func when(_ session: Session) -> String {
        "\(session.day.title) \(session.date) \(session.start)-\(session.end)"
    }

    private func capacity(_ session: Session) -> Int {
        min(
            scenario.program.rooms.first { $0.id == session.room }?.capacity ?? 0,
            scenario.group(session.group)?.capacity ?? 0)
    }

    private func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <title>\(Self.escape("\(roster.program): \(title)"))</title>
        <style>
        body { font: 11pt system-ui, sans-serif; color: #111; margin: 1.5cm; }
        h1 { font-size: 16pt; margin: 0 0 .2em; } h2 { font-size: 12pt; margin: 1em 0 .3em; }
        table { border-collapse: collapse; width: 100%; }
        th, td { border: 1px solid #444; padding: .35em .5em; text-align: left; }
        td.box { width: 3.2em; }
        .foot { font-size: 9pt; color: #333; }
        .sheet { break-after: page; page-break-after: always; }
        .sheet:last-child { break-after: auto; page-break-after: auto; }
        @page { size: auto; margin: 1.5cm; }
        @media print { body { margin: 0; } }
        </style></head>
        <body>
        <p class="foot">\(Self.escape(roster.program)), week of \(roster.weekOf)</p>
        \(body)
        </body></html>
        """
    }

    private static func order(_ a: Session, _ b: Session) -> Bool {
        (a.date, a.start, a.group, a.section) < (b.date, b.start, b.group, b.section)
    }

    /// Text safe inside HTML elements and attribute values.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
