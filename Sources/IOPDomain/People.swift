/// A group in the catalogue: what it is, who may lead it, who may attend.
public struct Group: Sendable, Hashable {
    public var id: GroupID
    /// psychotherapy (process), skills, psychoeducation, ...; process groups are the ones
    /// whose continuity with last week matters.
    public var kind: String
    public var capacity: Int
    /// Overrides the policy's minimum participants for this group.
    public var minParticipants: Int?
    /// Every facilitator of a section holds all of these credentials.
    public var requires: [Credential]
    /// Every facilitator of a section holds at least one of these; empty means no such rule.
    public var requiresAny: [Credential]
    /// At least one facilitator of each section holds all of these (one of two co-leaders
    /// an LMFT); empty means no such rule.
    public var oneLeaderRequires: [Credential]
    /// Tracks allowed to attend; empty means every track.
    public var tracks: [TrackID]
    public var facilitatorsPerSection: Int
    /// Days or blocks on which the group does not run (set by events).
    public var cancelled: [Absence]
    /// Rooms the group may use; empty means any room.
    public var rooms: [RoomID]
    /// A client attends at most one of the group's sessions a day.
    public var onceADay: Bool
    /// A section with more clients than this needs a second facilitator (a staffing
    /// ratio), overriding the policy's; nil means the policy's.
    public var twoFacilitatorsOver: Int?

    public init(
        id: GroupID, kind: String, capacity: Int, minParticipants: Int? = nil, requires: [Credential] = [],
        requiresAny: [Credential] = [], tracks: [TrackID] = [], facilitatorsPerSection: Int = 1,
        cancelled: [Absence] = [], rooms: [RoomID] = [], onceADay: Bool = true, twoFacilitatorsOver: Int? = nil,
        oneLeaderRequires: [Credential] = []
    ) {
        self.oneLeaderRequires = oneLeaderRequires
        self.twoFacilitatorsOver = twoFacilitatorsOver
        self.requiresAny = requiresAny
        self.onceADay = onceADay
        self.cancelled = cancelled
        self.rooms = rooms
        self.id = id
        self.kind = kind
        self.capacity = capacity
        self.minParticipants = minParticipants
        self.requires = requires
        self.tracks = tracks
        self.facilitatorsPerSection = facilitatorsPerSection
    }

    public func admits(_ track: TrackID) -> Bool { tracks.isEmpty || tracks.contains(track) }

    /// The credentials a leader needs, in words ("cadc", "licensed or cadc", "nurse and
    /// licensed or cadc"); nil when the group needs none.
    public var credentialsText: String? {
        let parts = requires + (requiresAny.isEmpty ? [] : [requiresAny.joined(separator: " or ")])
        return parts.isEmpty ? nil : parts.joined(separator: " and ")
    }

    /// The group names the room or names none, and the room is not kept for other groups.
    public func mayUse(_ room: Room) -> Bool { (rooms.isEmpty || rooms.contains(room.id)) && room.hosts(id) }
}

/// When a group may run: on these days, in these blocks, in up to `sections` parallel
/// sections, led by the named facilitators when the offering names any.
public struct Offering: Sendable, Hashable {
    public var group: GroupID
    public var days: [Weekday]
    public var blocks: [BlockID]
    public var sections: Int
    /// Only these may lead it; empty means any qualified facilitator.
    public var facilitators: [FacilitatorID]
    /// Only these rooms host it (each one the group may use); empty means any the group may use.
    public var rooms: [RoomID]

    public init(
        group: GroupID, days: [Weekday], blocks: [BlockID], sections: Int = 1, facilitators: [FacilitatorID] = [],
        rooms: [RoomID] = []
    ) {
        self.group = group
        self.days = days
        self.blocks = blocks
        self.sections = sections
        self.facilitators = facilitators
        self.rooms = rooms
    }

    /// The offering may be held in the room: the group may use it and the offering names it (or no room).
    public func mayUse(_ room: Room, in group: Group) -> Bool {
        group.mayUse(room) && (rooms.isEmpty || rooms.contains(room.id))
    }
}

/// Which blocks of which days someone can be scheduled. A day that is absent is
/// unavailable; a day mapped to nil is available in every block.
public struct Availability: Sendable, Equatable {
    public var days: [Weekday: Set<BlockID>?]

    public init(days: [Weekday: Set<BlockID>?]) { self.days = days }

    public static let always = Availability(days: Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, nil) }))

    public func allows(_ day: Weekday, _ block: BlockID) -> Bool {
        guard let entry = days[day] else { return false }
        return entry?.contains(block) ?? true
    }
}

/// A span of dates (inclusive), optionally only some blocks of those days.
public struct Absence: Sendable, Hashable {
    public var from: LocalDate
    public var to: LocalDate
    /// nil means whole days.
    public var blocks: Set<BlockID>?

    public init(from: LocalDate, to: LocalDate, blocks: Set<BlockID>? = nil) {
        self.from = from
        self.to = to
        self.blocks = blocks
    }

    public func covers(_ date: LocalDate, _ block: BlockID) -> Bool {
        date >= from && date <= to && (blocks?.contains(block) ?? true)
    }
}

public struct Facilitator: Sendable {
    public var id: FacilitatorID
    public var credentials: Set<Credential>
    public var available: Availability
    public var absences: [Absence]
    public var maxSessionsPerDay: Int?
    public var maxSessionsPerWeek: Int?
    /// Groups this facilitator prefers to lead; empty means no preference.
    public var prefers: [GroupID]
    /// Groups they may join as a section's co-facilitator (a trainee or co-lead), beyond
    /// its required leaders, and the sessions a week they should.
    public var coLeads: CoLeading?

    public init(
        id: FacilitatorID, credentials: Set<Credential> = [], available: Availability = .always,
        absences: [Absence] = [], maxSessionsPerDay: Int? = nil, maxSessionsPerWeek: Int? = nil,
        prefers: [GroupID] = [], coLeads: CoLeading? = nil
    ) {
        self.id = id
        self.credentials = credentials
        self.available = available
        self.absences = absences
        self.maxSessionsPerDay = maxSessionsPerDay
        self.maxSessionsPerWeek = maxSessionsPerWeek
        self.prefers = prefers
        self.coLeads = coLeads
    }

    /// Holds what the group asks of one leader of each section.
    public func mayLeadFirst(_ group: Group) -> Bool { group.oneLeaderRequires.allSatisfy(credentials.contains) }

    /// May join a section of the group as its co-facilitator, whatever credentials it asks of leaders.
    public func mayCoLead(_ group: GroupID) -> Bool { coLeads?.groups.contains(group) == true }

    /// Holds every credential the group requires and, when it names several it accepts, one of those.
    public func isQualified(for group: Group) -> Bool {
        group.requires.allSatisfy(credentials.contains)
            && (group.requiresAny.isEmpty || group.requiresAny.contains(where: credentials.contains))
    }
}

/// Co-facilitation a facilitator takes part in beyond the leaders a section requires: at
/// most one co-facilitator a section, counted in their load like any session they lead.
public struct CoLeading: Sendable, Hashable {
    /// The groups they may co-facilitate.
    public var groups: [GroupID]
    /// The sessions a week they should co-facilitate (soft, tier 4); 0 asks for none.
    public var sessions: Int

    public init(groups: [GroupID], sessions: Int = 0) {
        self.groups = groups
        self.sessions = sessions
    }
}

/// The level of care an authorization covers, from most to least intensive.
public enum LevelOfCare: String, Sendable, CaseIterable, Comparable {
    /// Partial hospitalization.
    case php = "PHP"
    /// Intensive outpatient.
    case iop = "IOP"
    /// Routine outpatient.
    case op = "OP"

    public static func < (a: LevelOfCare, b: LevelOfCare) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// How many days a week a client attends and what makes a day billable, where a level of
/// care or a payer sets it; nil fields fall back to the next rule out.
public struct DayRules: Sendable, Equatable {
    public var minDaysPerWeek: Int?
    public var maxDaysPerWeek: Int?
    public var billableDayMinHours: Double?
    /// The most hours a client may attend in one day.
    public var maxHoursPerDay: Double?

    public init(
        minDaysPerWeek: Int? = nil, maxDaysPerWeek: Int? = nil, billableDayMinHours: Double? = nil,
        maxHoursPerDay: Double? = nil
    ) {
        self.minDaysPerWeek = minDaysPerWeek
        self.maxDaysPerWeek = maxDaysPerWeek
        self.billableDayMinHours = billableDayMinHours
        self.maxHoursPerDay = maxHoursPerDay
    }
}

/// What a payer approved over an authorization's window: billable days (per diem) or hours.
public enum ApprovedUnits: Sendable, Equatable {
    case days(Int)
    case hours(Double)

    public var amount: Double {
        switch self {
        case .days(let days): Double(days)
        case .hours(let hours): hours
        }
    }

    public var unit: String {
        switch self {
        case .days: "days"
        case .hours: "hours"
        }
    }
}

/// A payer's authorization of care: its window, level of care, approved units and weekly limits.
public struct Authorization: Sendable, Equatable {
    public var payer: String
    public var number: String
    public var from: LocalDate
    public var to: LocalDate
    public var levelOfCare: LevelOfCare
    /// The units approved over the whole window, if the payer counts them.
    public var approved: ApprovedUnits?
    public var minHoursPerWeek: Double?
    public var maxHoursPerWeek: Double?
    /// The payer's own day rules, overriding the level of care's and the policy's.
    public var days: DayRules

    public init(
        payer: String, number: String, from: LocalDate, to: LocalDate, levelOfCare: LevelOfCare = .iop,
        approved: ApprovedUnits? = nil, minHoursPerWeek: Double? = nil, maxHoursPerWeek: Double? = nil,
        days: DayRules = DayRules()
    ) {
        self.days = days
        self.payer = payer
        self.number = number
        self.from = from
        self.to = to
        self.levelOfCare = levelOfCare
        self.approved = approved
        self.minHoursPerWeek = minHoursPerWeek
        self.maxHoursPerWeek = maxHoursPerWeek
    }
}

public struct Client: Sendable {
    public var id: ClientID
    public var track: TrackID
    public var admitted: LocalDate?
    public var dischargePlanned: LocalDate?
    public var available: Availability
    /// Treatment-plan sessions per week, by group.
    public var plan: [GroupID: Int]
    public var authorization: Authorization?
    public var keepApart: [ClientID]
    /// Last week's facilitator per process group, for continuity.
    public var lastWeek: [GroupID: FacilitatorID]
    /// Days the client would rather attend; empty means no preference.
    public var preferredDays: [Weekday]
    /// New weekly hours after a step-down, overriding authorization, track and policy.
    public var weeklyHoursOverride: ClosedRange<Double>?
    /// How reminder messages address the client; never used in logs or errors.
    public var preferredName: String?
    /// The treating clinician (a facilitator), who takes the payer's peer-to-peer calls.
    public var clinician: FacilitatorID?
    /// Dates (or blocks of them) the client cannot come: a court date, a medical appointment.
    public var absences: [Absence]
    /// The most days a week the client may attend, overriding track and policy.
    public var maxDaysPerWeek: Int?
    /// The most hours the client may attend in one day, overriding authorization, level of care and policy.
    public var maxHoursPerDay: Double?
    /// The client attends only sections in accessible rooms.
    public var needsAccessibleRoom: Bool
    /// Groups, or times of a group, the coordinator keeps the client out of (hard).
    public var barred: [Bar] = []
    /// Times of a group the coordinator keeps the client in, whenever the week allows.
    public var pinned: [SlotRef] = []

    public init(
        id: ClientID, track: TrackID, admitted: LocalDate? = nil, dischargePlanned: LocalDate? = nil,
        available: Availability = .always, plan: [GroupID: Int] = [:], authorization: Authorization? = nil,
        keepApart: [ClientID] = [], lastWeek: [GroupID: FacilitatorID] = [:], preferredDays: [Weekday] = [],
        weeklyHoursOverride: ClosedRange<Double>? = nil, preferredName: String? = nil, clinician: FacilitatorID? = nil,
        absences: [Absence] = [], maxDaysPerWeek: Int? = nil, needsAccessibleRoom: Bool = false
    ) {
        self.needsAccessibleRoom = needsAccessibleRoom
        self.absences = absences
        self.maxDaysPerWeek = maxDaysPerWeek
        self.clinician = clinician
        self.weeklyHoursOverride = weeklyHoursOverride
        self.preferredName = preferredName
        self.id = id
        self.track = track
        self.admitted = admitted
        self.dischargePlanned = dischargePlanned
        self.available = available
        self.plan = plan
        self.authorization = authorization
        self.keepApart = keepApart
        self.lastWeek = lastWeek
        self.preferredDays = preferredDays
    }

    /// Whether an absence covers that date and block.
    public func isAbsent(on date: LocalDate, _ block: BlockID) -> Bool { absences.contains { $0.covers(date, block) } }

    /// The bar that keeps the client out of the group at that time, if any.
    public func bar(_ group: GroupID, _ day: Weekday, _ block: BlockID) -> Bar? {
        barred.first { $0.covers(group, day, block) }
    }

    /// Whether the client is enrolled and authorized on that date.
    public func isEnrolled(on date: LocalDate) -> Bool {
        if let admitted, date < admitted { return false }
        if let dischargePlanned, date > dischargePlanned { return false }
        if let authorization, date < authorization.from || date > authorization.to { return false }
        return true
    }
}

/// Weights of the soft rules within their tier; tiers are solved in strict order, so a
/// weight only trades against rules of its own tier.
public struct Weights: Sendable, Equatable {
    /// Tier 1, per hour below the weekly minimum.
    public var weeklyHoursShort: Int = 10
    /// Tier 1, per hour a attended day falls below the billable-day minimum.
    public var billableDayShort: Int = 6
    /// Tier 1, per day below the minimum days a week.
    public var daysShort: Int = 8
    /// Tier 2, per treatment-plan session missing.
    public var planSessionShort: Int = 1
    /// Tier 3, per process-group session not with last week's facilitator.
    public var continuityBreak: Int = 1
    /// Tier 3 when re-planning, per change inside the published window.
    public var changePublished: Int = 10
    /// Tier 3 when re-planning, per change later in the week.
    public var changeLater: Int = 1
    /// Tier 4, per section opened.
    public var sectionOpened: Int = 2
    /// Tier 4, per session the busiest facilitator leads (balances the load).
    public var busiestLoad: Int = 1
    /// Tier 4, per session led outside a facilitator's preferred groups.
    public var facilitatorPreference: Int = 1
    /// Tier 4, per session on a day the client would rather not attend.
    public var clientPreference: Int = 1
    /// Tier 4, per second facilitator a staffing ratio puts on a section.
    public var secondFacilitator: Int = 1
    /// Tier 4, per session a co-facilitator has below their weekly co-facilitation.
    public var coLeadShort: Int = 1

    public init() {}
}

/// A group at one time of the week.
public struct SlotRef: Sendable, Hashable, CustomStringConvertible {
    public let group: GroupID
    public let day: Weekday
    public let block: BlockID

    public init(group: GroupID, day: Weekday, block: BlockID) {
        self.group = group
        self.day = day
        self.block = block
    }

    /// "process on Wed am1".
    public var description: String { "\(group) on \(day.title) \(block)" }
}

/// A session the coordinator keeps exactly as published: its room, facilitators and
/// members. Hard wherever it can hold; one the week no longer allows (a facilitator now
/// absent) is reported by name and not applied.
public struct SessionLock: Sendable, Hashable, CustomStringConvertible {
    public var slot: SlotRef
    /// 1 for the first section, as in ``Session/section``.
    public var section: Int
    public var room: RoomID
    public var facilitators: [FacilitatorID]
    public var members: [ClientID]

    public init(slot: SlotRef, section: Int, room: RoomID, facilitators: [FacilitatorID], members: [ClientID]) {
        self.slot = slot
        self.section = section
        self.room = room
        self.facilitators = facilitators
        self.members = members
    }

    /// The locked session's ID, as ``Session/id`` spells it: `wed-am1-process-A`.
    public var id: String { Session.id(slot.day, slot.block, slot.group, section: section) }

    public var description: String { id }
}

/// Where a coordinator keeps a client out: a whole group, or one of its times.
public enum Bar: Sendable, Hashable, CustomStringConvertible {
    case group(GroupID)
    case slot(SlotRef)

    public func covers(_ group: GroupID, _ day: Weekday, _ block: BlockID) -> Bool {
        switch self {
        case .group(let barred): barred == group
        case .slot(let slot): slot.group == group && slot.day == day && slot.block == block
        }
    }

    public var description: String {
        switch self {
        case .group(let group): "\(group)"
        case .slot(let slot): slot.description
        }
    }
}
