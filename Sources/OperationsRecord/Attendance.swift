import CSV
import IOPDomain

public enum AttendanceStatus: String, Sendable, CaseIterable, Codable {
    case present, late
    case leftEarly = "left_early"
    case absentExcused = "absent_excused"
    case absentUnexcused = "absent_unexcused"
    case cancelled

    /// Whether the client attended some of the session.
    public var attended: Bool { self == .present || self == .late || self == .leftEarly }
    /// Whether the minutes attended must be given (partial attendance).
    public var needsMinutes: Bool { self == .late || self == .leftEarly }
}

/// One client's attendance at one session.
public struct AttendanceEntry: Sendable, Equatable {
    public let session: String
    public let date: LocalDate
    public let client: ClientID
    public let status: AttendanceStatus
    /// Minutes attended: the whole session when present, the given minutes when late or
    /// leaving early, 0 otherwise.
    public let minutes: Int
    public let reason: String?

    public init(
        session: String, date: LocalDate, client: ClientID, status: AttendanceStatus, minutes: Int, reason: String?
    ) {
        self.session = session
        self.date = date
        self.client = client
        self.status = status
        self.minutes = minutes
        self.reason = reason
    }
}

extension [AttendanceEntry] {
    /// The entries of the roster's sessions: session ID and date both match, since IDs
    /// repeat from week to week.
    public func of(_ roster: Roster) -> [AttendanceEntry] {
        let sessions = Set(roster.sessions.map { "\($0.id)|\($0.date)" })
        return filter { sessions.contains("\($0.session)|\($0.date)") }
    }
}

/// A sign-in sheet row that cannot be recorded: which row (1 is the header) and why.
public struct SheetProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let row: Int
    public let message: String
    public var description: String { "\(file): row \(row): \(message)" }
}

/// Reads a CSV sign-in sheet, one row per client per session:
/// `session_id,client,status,minutes,reason` (minutes only for late/left_early).
/// Every row is checked against the published roster; any problem rejects the sheet.
public enum SignInSheet {
    public static let header = ["session_id", "client", "status", "minutes", "reason"]

    public static func parse(_ text: String, file: String, roster: Roster) -> Result<[AttendanceEntry], SheetErrors> {
        var problems: [SheetProblem] = []
        var entries: [AttendanceEntry] = []
        // A byte-order mark (spreadsheets add one) is not part of the header.
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let reader: CSVReader
        do {
            reader = try CSVReader(string: body, hasHeaderRow: false, trimFields: true)
        } catch {
            return .failure(SheetErrors(problems: [SheetProblem(file: file, row: 0, message: "not valid CSV")]))
        }
        var lines: [[String]] = []
        while let fields = reader.next() { lines.append(fields) }
        if reader.error != nil {
            return .failure(
                SheetErrors(problems: [
                    SheetProblem(file: file, row: lines.count + 1, message: "not valid CSV (an unclosed quote?)")
                ]))
        }
        guard let first = lines.first, first == header else {
            let found = lines.first.map { "a line of \($0.count) field\($0.count == 1 ? "" : "s")" } ?? "nothing"
            return .failure(
                SheetErrors(problems: [
                    SheetProblem(
                        file: file, row: 1,
                        message: "expected the header \(header.joined(separator: ",")); found \(found)")
                ]))
        }
        let sessions = Dictionary(roster.sessions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var seen: Set<String> = []
        // Blank lines are skipped; the row numbers are the file's line numbers.
        for (offset, fields) in lines.enumerated().dropFirst() where !fields.allSatisfy(\.isEmpty) {
            let number = offset + 1
            func fail(_ message: String) { problems.append(SheetProblem(file: file, row: number, message: message)) }
            guard fields.count == header.count else {
                fail("expected \(header.count) fields, found \(fields.count)")
                continue
            }
            let (sessionID, client, statusText, minutesText, reason) = (
                fields[0], ClientID(fields[1]), fields[2], fields[3], fields[4]
            )
            guard let session = sessions[sessionID] else {
                fail("unknown session \(Self.shown(sessionID)) (not in the published roster)")
                continue
            }
            guard session.members.contains(client) else {
                fail("\(Self.shown(client.rawValue)) is not on the roster of \(sessionID)")
                continue
            }
            guard let status = AttendanceStatus(rawValue: statusText) else {
                fail(
                    "unknown status \(Self.shown(statusText)); expected one of: \(AttendanceStatus.allCases.map(\.rawValue).joined(separator: ", "))"
                )
                continue
            }
            let length = minutes(session)
            var attended = status == .present ? length : 0
            if status.needsMinutes {
                guard let given = Int(minutesText), given > 0, given < length else {
                    fail(
                        "\(status.rawValue) needs the minutes attended, between 1 and \(length - 1); found \(Self.shown(minutesText))"
                    )
                    continue
                }
                attended = given
            } else if !minutesText.isEmpty, Int(minutesText) != attended {
                fail(
                    "minutes are given only for late or left_early; found \(Self.shown(minutesText)) for \(status.rawValue)"
                )
                continue
            }
            guard seen.insert("\(sessionID)|\(client)").inserted else {
                fail("\(client) is listed twice for \(sessionID)")
                continue
            }
            entries.append(
                AttendanceEntry(
                    session: sessionID, date: session.date, client: client, status: status,
                    minutes: attended, reason: reason.isEmpty ? nil : reason))
        }
        return problems.isEmpty ? .success(entries) : .failure(SheetErrors(problems: problems))
    }

    /// A cell quoted in an error only when it has the shape of an ID or a code (no spaces, at
    /// most 64 characters): a name typed into the wrong column is not repeated.
    static func shown(_ cell: String) -> String {
        let plain =
            !cell.isEmpty && cell.count <= 64
            && cell.unicodeScalars.allSatisfy {
                !$0.properties.isWhitespace && $0.properties.generalCategory != .control
            }
        return plain ? "'\(cell)'" : cell.isEmpty ? "nothing" : "a value that is not an ID (not repeated here)"
    }

    static func minutes(_ session: Session) -> Int {
        session.end.minutes - session.start.minutes
    }
}

public struct SheetErrors: Error, Sendable, CustomStringConvertible {
    public let problems: [SheetProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
