import Foundation
import IOPDomain

/// One person's or one room's sessions as an iCalendar feed (RFC 5545), for the calendars
/// people already use.
///
/// Each session is a `VEVENT` whose `UID` is the program, the week and the session, so a
/// feed written again after a re-plan updates its events instead of adding new ones; a
/// session the earlier roster had for the same person and this one has not is sent as
/// cancelled. Times are given in UTC, converted from the program's time zone. A client's
/// feed says only the group, the time and the room: no other client, no clinical detail.
public struct ICalendar: Sendable {
    /// Whose sessions the feed holds.
    public enum Subject: Sendable, Equatable {
        case facilitator(FacilitatorID)
        case room(RoomID)
        case client(ClientID)
    }

    public let scenario: Scenario
    public let roster: Roster
    /// The roster people were given before, whose sessions no longer theirs are cancelled.
    public var previous: Roster?
    /// Raised with each roster version, so calendars take the newer copy of an event.
    public var sequence: Int

    public init(scenario: Scenario, roster: Roster, previous: Roster? = nil, sequence: Int = 0) {
        self.scenario = scenario
        self.roster = roster
        self.previous = previous
        self.sequence = sequence
    }

    /// Whether the week knows `subject`: a facilitator or room of the scenario, a client of
    /// the scenario or the roster.
    public func knows(_ subject: Subject) -> Bool {
        switch subject {
        case .facilitator(let id): scenario.facilitator(id) != nil
        case .room(let id): scenario.program.rooms.contains { $0.id == id }
        case .client(let id):
            scenario.clients.contains { $0.id == id } || roster.sessions.contains { $0.members.contains(id) }
        }
    }

    /// The feed of `subject`'s sessions, with lines folded at 75 octets and ended by CRLF.
    public func feed(for subject: Subject, stamp: Date = Date()) -> String {
        let mine = roster.sessions.filter { Self.holds($0, subject) }
        let kept = Set(mine.map(\.id))
        let gone = (previous?.sessions ?? []).filter { Self.holds($0, subject) && !kept.contains($0.id) }
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//IOP Scheduler//iop 0.1//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:" + Self.text("\(roster.program): \(Self.name(of: subject))"),
        ]
        for session in mine.sorted(by: Self.order) { lines += event(session, for: subject, cancelled: false, stamp) }
        for session in gone.sorted(by: Self.order) { lines += event(session, for: subject, cancelled: true, stamp) }
        lines.append("END:VCALENDAR")
        return lines.map(Self.folded).joined(separator: "\r\n") + "\r\n"
    }

    private func event(_ session: Session, for subject: Subject, cancelled: Bool, _ stamp: Date) -> [String] {
        var lines = [
            "BEGIN:VEVENT",
            "UID:" + Self.text("\(roster.weekOf)-\(session.id)@\(ProgramClock.slug(roster.program)).iop-scheduler"),
            "DTSTAMP:" + Self.utc(stamp),
            "DTSTART:" + Self.utc(moment(session.date, session.start)),
            "DTEND:" + Self.utc(moment(session.date, session.end)),
            "SEQUENCE:\(sequence)",
            "SUMMARY:" + Self.text(summary(session, for: subject)),
            "LOCATION:" + Self.text(session.room.rawValue),
            "STATUS:" + (cancelled ? "CANCELLED" : "CONFIRMED"),
        ]
        if case .client = subject {
            lines.append("CLASS:PRIVATE")
        } else {
            lines.append(
                "DESCRIPTION:"
                    + Self.text(
                        "\(session.members.count) clients; led by "
                            + session.facilitators.map(\.rawValue).joined(separator: ", ")))
        }
        lines.append("END:VEVENT")
        return lines
    }

    /// The group, its section and its facilitators; for a client, the group only.
    private func summary(_ session: Session, for subject: Subject) -> String {
        let group = session.group.rawValue
        switch subject {
        case .client: return "\(group) group"
        case .facilitator, .room:
            return "\(group) \(session.letter) (\(session.facilitators.map(\.rawValue).joined(separator: ", ")))"
        }
    }

    private func moment(_ date: LocalDate, _ time: ClockTime) -> Date {
        ProgramClock(scenario.program).moment(date, time)
    }

    private static func holds(_ session: Session, _ subject: Subject) -> Bool {
        switch subject {
        case .facilitator(let id): session.facilitators.contains(id)
        case .room(let id): session.room == id
        case .client(let id): session.members.contains(id)
        }
    }

    private static func name(of subject: Subject) -> String {
        switch subject {
        case .facilitator(let id): id.rawValue
        case .room(let id): "room \(id.rawValue)"
        case .client(let id): id.rawValue
        }
    }

    private static func order(_ a: Session, _ b: Session) -> Bool { (a.date, a.start, a.id) < (b.date, b.start, b.id) }

    private static func utc(_ date: Date) -> String { ProgramClock.utc(date, "yyyyMMdd'T'HHmmss'Z'") }

    /// A TEXT value with its backslashes, semicolons, commas and line breaks escaped.
    static func text(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\r\n", with: "\\n")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A content line folded so no line is longer than 75 octets (RFC 5545 3.1), never
    /// inside a character.
    static func folded(_ line: String) -> String {
        var lines: [String] = []
        var current = ""
        var octets = 0
        for character in line {
            let size = String(character).utf8.count
            let limit = lines.isEmpty ? 75 : 74
            if octets + size > limit {
                lines.append(current)
                current = ""
                octets = 0
            }
            current.append(character)
            octets += size
        }
        lines.append(current)
        return lines.joined(separator: "\r\n ")
    }
}
