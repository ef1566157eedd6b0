import IOPDomain

/// The sessions of a published roster that started before `now`: they happened and never
/// change. The model counts them as constants (hours, days, plan sessions, loads) and
/// keeps everyone and every room in them out of any later slot that overlaps them.
struct History: Sendable {
    let now: DateTime?
    let sessions: [Session]
    /// Minutes per client per day.
    let minutes: [ClientID: [Weekday: Int]]
    /// Sessions per client per group.
    let groups: [ClientID: [GroupID: Int]]
    /// Sessions led per facilitator per day.
    let load: [FacilitatorID: [Weekday: Int]]
    /// Minutes actually attended where they differ from the session's length.
    private let attended: [SessionMember: Int]

    static let none = History(now: nil, sessions: [], program: nil)

    /// `attended` overrides a member's minutes, e.g. 0 for an absence.
    init(now: DateTime?, sessions: [Session], program: Program?, attended: [SessionMember: Int] = [:]) {
        self.now = now
        self.sessions = sessions
        self.attended = attended
        var minutes: [ClientID: [Weekday: Int]] = [:]
        var groups: [ClientID: [GroupID: Int]] = [:]
        var load: [FacilitatorID: [Weekday: Int]] = [:]
        for session in sessions {
            let length = program?.block(session.block)?.minutes ?? 0
            for member in session.members {
                let actual = Self.minutes(of: member, in: session, length: length, attended: attended)
                guard actual > 0 else { continue }
                minutes[member, default: [:]][session.day, default: 0] += actual
                groups[member, default: [:]][session.group, default: 0] += 1
            }
            for leader in session.facilitators { load[leader, default: [:]][session.day, default: 0] += 1 }
        }
        self.minutes = minutes
        self.groups = groups
        self.load = load
    }

    /// Whether a slot starting then is still to come.
    func isFuture(_ date: LocalDate, _ block: Block) -> Bool {
        guard let now else { return true }
        return DateTime(date: date, time: block.start) >= now
    }

    /// History sessions on that date whose time overlaps the block.
    func overlapping(_ date: LocalDate, _ block: Block, in program: Program) -> [Session] {
        sessions.filter { session in
            session.date == date && (program.block(session.block).map { $0.overlaps(block) } ?? false)
        }
    }

    /// The minutes a member spent in a session of the given length: what was recorded
    /// as attended, else all of it (a session still to come counts whole).
    func minutes(of member: ClientID, in session: Session, length: Int) -> Int {
        Self.minutes(of: member, in: session, length: length, attended: attended)
    }

    private static func minutes(of member: ClientID, in session: Session, length: Int, attended: [SessionMember: Int])
        -> Int
    {
        attended[SessionMember(session.id, member)] ?? length
    }

    func minutes(of client: ClientID) -> Int { minutes[client]?.values.reduce(0, +) ?? 0 }
    func minutes(of client: ClientID, on day: Weekday) -> Int { minutes[client]?[day] ?? 0 }
    func attended(_ client: ClientID, on day: Weekday) -> Bool { minutes(of: client, on: day) > 0 }
}
