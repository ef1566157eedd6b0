import IOPDomain

/// A published roster being re-planned at `now`: sessions that started before `now` are
/// history; changes before `publishedUntil` were already announced and cost more.
public struct Baseline: Sendable {
    public var roster: Roster
    public var now: DateTime
    public var publishedUntil: DateTime
    /// Minutes actually attended where attendance was recorded; other past sessions count
    /// as scheduled.
    public var attended: [SessionMember: Int]

    public init(roster: Roster, now: DateTime, publishedUntil: DateTime, attended: [SessionMember: Int] = [:]) {
        self.roster = roster
        self.now = now
        self.publishedUntil = publishedUntil
        self.attended = attended
    }

    /// The published window by the usual rule: the rest of today, and all of tomorrow once
    /// the day's reminders have gone out at `remindersAt`.
    public init(
        roster: Roster, now: DateTime, remindersAt: ClockTime = ClockTime(minutes: 16 * 60),
        attended: [SessionMember: Int] = [:]
    ) {
        let lastDay = now.time >= remindersAt ? now.date.adding(days: 1) : now.date
        self.init(
            roster: roster, now: now,
            publishedUntil: DateTime(date: lastDay.adding(days: 1), time: ClockTime(minutes: 0)),
            attended: attended)
    }

    /// The sessions that started before `now`.
    public var history: [Session] { roster.sessions.filter { !isFuture($0) } }

    /// Whether the session starts at or after `now` (and so may still change).
    public func isFuture(_ session: Session) -> Bool {
        DateTime(date: session.date, time: session.start) >= now
    }

    /// Whether a session then was already announced.
    public func isPublished(_ date: LocalDate, _ block: Block) -> Bool {
        DateTime(date: date, time: block.start) < publishedUntil
    }

    /// The published sessions of one slot.
    public func sessions(on date: LocalDate, _ block: BlockID, _ group: GroupID) -> [Session] {
        roster.sessions.filter { $0.date == date && $0.block == block && $0.group == group }
    }
}
