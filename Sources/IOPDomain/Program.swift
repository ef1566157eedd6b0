/// One program's week: its calendar, rooms, catalogue, staff and census.
public struct Scenario: Sendable {
    public var program: Program
    public var groups: [Group]
    public var offerings: [Offering]
    public var facilitators: [Facilitator]
    public var clients: [Client]
    public var weights: Weights
    /// Sessions the coordinator keeps as published (hard, where they can hold).
    public var locks: [SessionLock]

    public init(
        program: Program, groups: [Group], offerings: [Offering], facilitators: [Facilitator],
        clients: [Client], weights: Weights = Weights(), locks: [SessionLock] = []
    ) {
        self.program = program
        self.groups = groups
        self.offerings = offerings
        self.facilitators = facilitators
        self.clients = clients
        self.weights = weights
        self.locks = locks
    }

    public func group(_ id: GroupID) -> Group? { groups.first { $0.id == id } }
    public func client(_ id: ClientID) -> Client? { clients.first { $0.id == id } }
    public func facilitator(_ id: FacilitatorID) -> Facilitator? { facilitators.first { $0.id == id } }

    /// The client's weekly hour range: a step-down's, else the authorization's, else the
    /// track's, else the policy's.
    public func weeklyHours(of client: Client) -> ClosedRange<Double> {
        if let override = client.weeklyHoursOverride { return override }
        let track = program.tracks.first { $0.id == client.track }
        let lower = client.authorization?.minHoursPerWeek ?? track?.minHoursPerWeek ?? program.policy.minHoursPerWeek
        let upper = client.authorization?.maxHoursPerWeek ?? track?.maxHoursPerWeek ?? program.policy.maxHoursPerWeek
        return lower...max(lower, upper)
    }

    /// The most days a week the client may attend: the client's, else the authorization's,
    /// the track's, the level of care's, the payer's, the policy's; nil when nothing limits it.
    public func maxDaysPerWeek(of client: Client) -> Int? {
        client.maxDaysPerWeek ?? client.authorization?.days.maxDaysPerWeek
            ?? program.tracks.first { $0.id == client.track }?.maxDaysPerWeek
            ?? levelRules(of: client)?.maxDaysPerWeek ?? payerRules(of: client)?.maxDaysPerWeek
            ?? program.policy.maxDaysPerWeek
    }

    /// The most hours the client may attend in one day: the client's, else the
    /// authorization's, the level of care's, the payer's, the policy's; nil when nothing limits it.
    public func maxHoursPerDay(of client: Client) -> Double? {
        client.maxHoursPerDay ?? client.authorization?.days.maxHoursPerDay ?? levelRules(of: client)?.maxHoursPerDay
            ?? payerRules(of: client)?.maxHoursPerDay ?? program.policy.maxHoursPerDay
    }

    /// The days a week the client should attend: the authorization's, else the level of
    /// care's, the payer's, the policy's.
    public func minDaysPerWeek(of client: Client) -> Int {
        client.authorization?.days.minDaysPerWeek ?? levelRules(of: client)?.minDaysPerWeek
            ?? payerRules(of: client)?.minDaysPerWeek ?? program.policy.minDaysPerWeek
    }

    /// The hours that make one of the client's days billable: the authorization's, else
    /// the level of care's, the payer's, the policy's.
    public func billableDayMinHours(of client: Client) -> Double {
        client.authorization?.days.billableDayMinHours ?? levelRules(of: client)?.billableDayMinHours
            ?? payerRules(of: client)?.billableDayMinHours ?? program.policy.billableDayMinHours
    }

    /// The section size above which one of the group's sections needs a second
    /// facilitator: the group's ratio, else the policy's; nil when no ratio applies or the
    /// group already has two or more facilitators a section.
    public func secondFacilitatorOver(in group: Group) -> Int? {
        guard group.facilitatorsPerSection < 2 else { return nil }
        return group.twoFacilitatorsOver ?? program.policy.twoFacilitatorsOver
    }

    private func levelRules(of client: Client) -> DayRules? {
        client.authorization.flatMap { program.policy.levelsOfCare[$0.levelOfCare] }
    }

    private func payerRules(of client: Client) -> DayRules? {
        client.authorization.flatMap { program.policy.payers[$0.payer] }
    }
}

public struct Program: Sendable {
    public var name: String
    /// The Monday of the planned week.
    public var weekOf: LocalDate
    public var days: [Weekday]
    public var blocks: [Block]
    public var rooms: [Room]
    public var policy: Policy
    public var tracks: [Track]
    /// The program's time zone (an IANA name such as America/Chicago); nil means UTC. Times
    /// in the scenario are the program's local times.
    public var timeZone: String?

    public init(
        name: String, weekOf: LocalDate, days: [Weekday], blocks: [Block], rooms: [Room],
        policy: Policy = Policy(), tracks: [Track] = []
    ) {
        self.name = name
        self.weekOf = weekOf
        self.days = days
        self.blocks = blocks
        self.rooms = rooms
        self.policy = policy
        self.tracks = tracks
    }

    public func date(of day: Weekday) -> LocalDate { weekOf.adding(days: day.offset) }
    public func block(_ id: BlockID) -> Block? { blocks.first { $0.id == id } }
}

/// A time slot in the day's grid.
public struct Block: Sendable, Hashable {
    public var id: BlockID
    public var start: ClockTime
    public var end: ClockTime

    public init(id: BlockID, start: ClockTime, end: ClockTime) {
        self.id = id
        self.start = start
        self.end = end
    }

    public var minutes: Int { end.minutes - start.minutes }
    public var hours: Double { Double(minutes) / 60 }

    /// Whether the two blocks share any clock time.
    public func overlaps(_ other: Block) -> Bool { start < other.end && other.start < end }
}

public struct Room: Sendable, Hashable {
    public var id: RoomID
    public var capacity: Int
    /// When the room cannot be used (set by events).
    public var unavailable: [Absence]
    /// The only groups the room is kept for (the art studio for art therapy); empty means any.
    public var onlyFor: [GroupID]
    /// Step-free and fitted for clients who need an accessible room.
    public var accessible: Bool

    public init(
        id: RoomID, capacity: Int, unavailable: [Absence] = [], onlyFor: [GroupID] = [], accessible: Bool = false
    ) {
        self.id = id
        self.capacity = capacity
        self.unavailable = unavailable
        self.onlyFor = onlyFor
        self.accessible = accessible
    }

    /// Whether the room is not kept for other groups.
    public func hosts(_ group: GroupID) -> Bool { onlyFor.isEmpty || onlyFor.contains(group) }

    public func isAvailable(on date: LocalDate, _ block: BlockID) -> Bool {
        !unavailable.contains { $0.covers(date, block) }
    }
}

/// Program-wide rules; each has the default the domain gives.
public struct Policy: Sendable, Equatable {
    /// A section with fewer clients does not run.
    public var minParticipants: Int = 2
    /// A day a client attends should have at least this many hours to bill per diem.
    public var billableDayMinHours: Double = 3
    /// Billable days a client should have each week.
    public var minDaysPerWeek: Int = 3
    /// The most days a week a client may attend; nil means any.
    public var maxDaysPerWeek: Int?
    /// The most hours a client may attend in one day; nil means any.
    public var maxHoursPerDay: Double?
    /// A section with more clients than this needs a second facilitator; nil means no ratio.
    public var twoFacilitatorsOver: Int?
    /// Day rules of clients authorized at a level of care (PHP commonly 5 days a week).
    public var levelsOfCare: [LevelOfCare: DayRules] = [:]
    /// Day rules of each payer's clients, from the record's payer policies (iop payer).
    public var payers: [String: DayRules] = [:]
    /// Weekly hours when neither authorization nor track says otherwise.
    public var minHoursPerWeek: Double = 9
    public var maxHoursPerWeek: Double = 19

    public init() {}
}

/// A population kept apart from others (adult, adolescent, dual diagnosis), with its own
/// hour defaults.
public struct Track: Sendable, Hashable {
    public var id: TrackID
    public var minHoursPerWeek: Double?
    public var maxHoursPerWeek: Double?
    /// The most days a week its clients may attend, overriding the policy.
    public var maxDaysPerWeek: Int?

    public init(id: TrackID, minHoursPerWeek: Double? = nil, maxHoursPerWeek: Double? = nil, maxDaysPerWeek: Int? = nil)
    {
        self.id = id
        self.maxDaysPerWeek = maxDaysPerWeek
        self.minHoursPerWeek = minHoursPerWeek
        self.maxHoursPerWeek = maxHoursPerWeek
    }
}
