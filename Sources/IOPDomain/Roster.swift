import Foundation

/// A weekly roster: the sections that run and who is in them, plus the totals its
/// producer claims for each client (a checker recomputes and compares them).
public struct Roster: Codable, Sendable, Equatable {
    public var program: String
    public var weekOf: LocalDate
    public var sessions: [Session]
    public var clients: [ClientWeek]

    public init(program: String, weekOf: LocalDate, sessions: [Session], clients: [ClientWeek]) {
        self.program = program
        self.weekOf = weekOf
        self.sessions = sessions
        self.clients = clients
    }

    /// JSON with snake_case keys, sorted, as `iop plan --format json` writes it.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}

/// One running section of a group in one block of one day.
public struct Session: Codable, Sendable, Equatable {
    /// `mon-am1-process-A`: day, block, group and section letter.
    public var id: String
    public var day: Weekday
    public var date: LocalDate
    public var block: BlockID
    public var start: ClockTime
    public var end: ClockTime
    public var group: GroupID
    /// 1 for the first section, 2 for the second, ...
    public var section: Int
    public var room: RoomID
    public var facilitators: [FacilitatorID]
    public var members: [ClientID]

    public init(
        day: Weekday, date: LocalDate, block: Block, group: GroupID, section: Int, room: RoomID,
        facilitators: [FacilitatorID], members: [ClientID]
    ) {
        id = Self.id(day, block.id, group, section: section)
        self.day = day
        self.date = date
        self.block = block.id
        start = block.start
        end = block.end
        self.group = group
        self.section = section
        self.room = room
        self.facilitators = facilitators
        self.members = members
    }

    /// `mon-am1-process-A`: day, block, group and section letter.
    public static func id(_ day: Weekday, _ block: BlockID, _ group: GroupID, section: Int) -> String {
        "\(day.rawValue)-\(block)-\(group)-\(letter(of: section))"
    }

    /// Section 1 is A, 2 is B, ... 26 is Z; a section beyond is its number.
    public static func letter(of section: Int) -> String {
        section >= 1 && section <= 26 ? String(UnicodeScalar(UInt8(64 + section))) : String(section)
    }

    /// This session's section letter.
    public var letter: String { Self.letter(of: section) }
}

/// One client in one session: the key of the minutes a client attended.
public struct SessionMember: Hashable, Sendable {
    public let session: String
    public let client: ClientID

    public init(_ session: String, _ client: ClientID) {
        self.session = session
        self.client = client
    }
}

/// A client's week as scheduled.
public struct ClientWeek: Codable, Sendable, Equatable {
    public var client: ClientID
    public var hours: Double
    public var days: [Weekday]
    /// Days with at least the billable-day minimum hours.
    public var billableDays: Int
    /// Sessions scheduled per group.
    public var groups: [String: Int]

    public init(client: ClientID, hours: Double, days: [Weekday], billableDays: Int, groups: [String: Int]) {
        self.client = client
        self.hours = hours
        self.days = days
        self.billableDays = billableDays
        self.groups = groups
    }
}
