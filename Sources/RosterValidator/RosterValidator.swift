import IOPDomain

/// Checks any roster against its scenario, every hard rule and every reported total,
/// from the scenario's own data. It shares no code with the model builder or the MIP
/// layer, so a bug there cannot hide itself here.
public enum RosterValidator {
    /// Every violation, one sentence each; empty when the roster is right.
    ///
    /// Sessions that started before `settled` (the moment of a re-plan) happened as they
    /// were: they count toward clashes, loads and totals, but are not judged again against
    /// the scenario as later events changed it (a facilitator absent from today on may
    /// have led yesterday). Toward the payer maximum they count the minutes `attended`
    /// where attendance was recorded.
    public static func check(
        _ roster: Roster, against scenario: Scenario, settled: DateTime? = nil,
        attended: [SessionMember: Int] = [:]
    ) -> [String] {
        var problems: [String] = []
        let program = scenario.program
        if roster.weekOf != program.weekOf {
            problems.append("roster is for the week of \(roster.weekOf), the scenario for \(program.weekOf)")
        }
        if roster.program != program.name {
            problems.append("roster is for the program \(roster.program), the scenario for \(program.name)")
        }
        var ids = Set<String>()
        for session in roster.sessions where !ids.insert(session.id).inserted {
            problems.append("session \(session.id) appears twice")
        }
        let lookup = Lookup(scenario)
        for session in roster.sessions where !happened(session, before: settled) {
            problems += sessionProblems(session, scenario, lookup)
        }
        problems += locks(roster.sessions, scenario, lookup, settled: settled)
        problems += clashes(roster.sessions, scenario)
        problems += loads(roster.sessions, scenario)
        problems += clientWeeks(
            roster, scenario,
            charged: { session, client, length in
                happened(session, before: settled) ? attended[SessionMember(session.id, client)] ?? length : length
            })
        return problems
    }

    /// Every lock that could hold is in the roster as locked: the session of its ID with
    /// its room, facilitators and members. A lock that, taken as a session, would itself
    /// break a rule (a facilitator now absent) cannot hold and is not asked for; nor is
    /// one on a session that started before `settled`.
    private static func locks(_ sessions: [Session], _ scenario: Scenario, _ lookup: Lookup, settled: DateTime?)
        -> [String]
    {
        var problems: [String] = []
        for lock in scenario.locks {
            guard let block = lookup.blocks[lock.slot.block] else { continue }
            let locked = Session(
                day: lock.slot.day, date: scenario.program.date(of: lock.slot.day), block: block,
                group: lock.slot.group,
                section: lock.section, room: lock.room, facilitators: lock.facilitators, members: lock.members)
            guard !happened(locked, before: settled), sessionProblems(locked, scenario, lookup).isEmpty else {
                continue
            }
            guard let session = sessions.first(where: { $0.id == locked.id }) else {
                problems.append("\(locked.id) is locked but not in the roster")
                continue
            }
            if session.room != lock.room {
                problems.append("\(locked.id) is locked in room \(lock.room), not \(session.room)")
            }
            if Set(session.facilitators) != Set(lock.facilitators) {
                problems.append(
                    "\(locked.id) is locked with \(lock.facilitators.map(\.rawValue).sorted().joined(separator: ", ")), not \(session.facilitators.map(\.rawValue).sorted().joined(separator: ", "))"
                )
            }
            let missing = Set(lock.members).subtracting(session.members)
            let added = Set(session.members).subtracting(lock.members)
            if !missing.isEmpty || !added.isEmpty {
                problems.append(
                    "\(locked.id) is locked with its members"
                        + (missing.isEmpty
                            ? "" : "; missing \(missing.map(\.rawValue).sorted().joined(separator: ", "))")
                        + (added.isEmpty ? "" : "; added \(added.map(\.rawValue).sorted().joined(separator: ", "))"))
            }
        }
        return problems
    }

    /// Whether the session started before `settled`.
    private static func happened(_ session: Session, before settled: DateTime?) -> Bool {
        guard let settled else { return false }
        return DateTime(date: session.date, time: session.start) < settled
    }

    /// The scenario's objects by ID.
    private struct Lookup {
        let groups: [GroupID: Group]
        let blocks: [BlockID: Block]
        let rooms: [RoomID: Room]
        let facilitators: [FacilitatorID: Facilitator]
        let clients: [ClientID: Client]

        init(_ scenario: Scenario) {
            groups = Dictionary(scenario.groups.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            blocks = Dictionary(scenario.program.blocks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            rooms = Dictionary(scenario.program.rooms.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            facilitators = Dictionary(
                scenario.facilitators.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            clients = Dictionary(scenario.clients.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    // MARK: One session

    private static func sessionProblems(_ session: Session, _ scenario: Scenario, _ lookup: Lookup) -> [String] {
        let program = scenario.program
        let id = session.id
        guard let group = lookup.groups[session.group] else { return ["\(id): unknown group \(session.group)"] }
        guard let block = lookup.blocks[session.block] else { return ["\(id): unknown block \(session.block)"] }
        var problems: [String] = []
        // The ID names day, block, group and section letter (A for 1, ..., Z for 26, then the number).
        let letter =
            (1...26).contains(session.section)
            ? String(Character(UnicodeScalar(UInt8(64 + session.section)))) : "\(session.section)"
        let expected = [session.day.rawValue, session.block.rawValue, session.group.rawValue, letter].joined(
            separator: "-")
        if id != expected {
            problems.append("\(id): the ID does not match its day, block, group and section (\(expected))")
        }
        if !program.days.contains(session.day) {
            problems.append("\(id): the program does not run on \(session.day.rawValue)")
        }
        if program.weekOf.adding(days: session.day.offset) != session.date || session.date.weekday != session.day {
            problems.append(
                "\(id): date \(session.date) is not \(session.day.rawValue) of the week of \(program.weekOf)")
        }
        if session.start != block.start || session.end != block.end {
            problems.append(
                "\(id): times \(session.start)-\(session.end) differ from block \(block.id) \(block.start)-\(block.end)"
            )
        }
        let offered = scenario.offerings.filter {
            $0.group == group.id && $0.days.contains(session.day) && $0.blocks.contains(block.id)
        }
        if offered.isEmpty {
            problems.append("\(id): \(group.id) is not offered on \(session.day.rawValue) \(block.id)")
        } else if session.section < 1 || session.section > offered.map(\.sections).reduce(0, +) {
            problems.append(
                "\(id): section \(session.section) exceeds the \(offered.map(\.sections).reduce(0, +)) offered")
        }
        guard let room = lookup.rooms[session.room] else { return problems + ["\(id): unknown room \(session.room)"] }
        if !group.rooms.isEmpty && !group.rooms.contains(room.id) {
            problems.append("\(id): \(group.id) may not use room \(room.id)")
        }
        let namedRooms = offered.flatMap(\.rooms)
        if !offered.isEmpty, offered.allSatisfy({ !$0.rooms.isEmpty }), !namedRooms.contains(room.id) {
            problems.append(
                "\(id): room \(room.id) is not among the offering's rooms \(namedRooms.map(\.rawValue).joined(separator: ", "))"
            )
        }
        if !room.onlyFor.isEmpty && !room.onlyFor.contains(group.id) {
            problems.append(
                "\(id): room \(room.id) is kept for \(room.onlyFor.map(\.rawValue).joined(separator: ", "))")
        }
        if room.unavailable.contains(where: { $0.covers(session.date, block.id) }) {
            problems.append("\(id): room \(room.id) is out of use then")
        }
        if group.cancelled.contains(where: { $0.covers(session.date, block.id) }) {
            problems.append("\(id): \(group.id) is cancelled then")
        }
        let capacity = min(room.capacity, group.capacity)
        if session.members.count > capacity {
            problems.append("\(id): \(session.members.count) clients exceed the capacity \(capacity)")
        }
        let minimum = group.minParticipants ?? program.policy.minParticipants
        if session.members.count < minimum {
            problems.append("\(id): \(session.members.count) clients are below the minimum \(minimum)")
        }
        if Set(session.members).count != session.members.count { problems.append("\(id): a client is listed twice") }
        // A staffing ratio: more clients than it allows need a second facilitator (a smaller
        // section may have one too).
        let ratio =
            group.facilitatorsPerSection < 2 ? group.twoFacilitatorsOver ?? program.policy.twoFacilitatorsOver : nil
        let needed = ratio.map { session.members.count > $0 ? 2 : 1 } ?? group.facilitatorsPerSection
        let allowed = ratio == nil ? needed...needed : needed...2
        // One facilitator beyond those needed may be a co-facilitator who lists the group:
        // one who could not lead it, else (when there are more than leaders may be) the last such.
        let mayCoLead = session.facilitators.filter { lookup.facilitators[$0]?.mayCoLead(group.id) == true }
        let qualified = { (f: FacilitatorID) in lookup.facilitators[f].map { $0.isQualified(for: group) } ?? false }
        let coLeader =
            session.facilitators.count <= needed
            ? nil
            : mayCoLead.first { !qualified($0) }
                ?? (session.facilitators.count > allowed.upperBound ? mayCoLead.last : nil)
        let leaders = session.facilitators.filter { $0 != coLeader }
        if !allowed.contains(leaders.count) || Set(session.facilitators).count != session.facilitators.count {
            let rule = ratio.map { " for \(session.members.count) clients (two above \($0))" } ?? ""
            let co = mayCoLead.isEmpty ? "" : " and at most one co-facilitator"
            problems.append(
                "\(id): has \(session.facilitators.count) facilitator(s); \(group.id) needs \(needed)\(rule)\(co)")
        }
        let firstLeaders = leaders.filter { id in
            lookup.facilitators[id].map { facilitator in
                group.oneLeaderRequires.allSatisfy(facilitator.credentials.contains)
            } ?? false
        }
        if !group.oneLeaderRequires.isEmpty && firstLeaders.isEmpty {
            problems.append(
                "\(id): no facilitator holds \(group.oneLeaderRequires.joined(separator: ", ")), which one leader of \(group.id) needs"
            )
        }
        for facilitatorID in session.facilitators {
            guard let facilitator = lookup.facilitators[facilitatorID] else {
                problems.append("\(id): unknown facilitator \(facilitatorID)")
                continue
            }
            let named = offered.flatMap(\.facilitators)
            if facilitatorID != coLeader {
                if !offered.isEmpty, offered.allSatisfy({ !$0.facilitators.isEmpty }), !named.contains(facilitatorID) {
                    problems.append(
                        "\(id): \(facilitatorID) is not among the offering's facilitators \(named.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                let missing = group.requires.filter { !facilitator.credentials.contains($0) }
                if !missing.isEmpty {
                    problems.append("\(id): \(facilitatorID) lacks \(missing.joined(separator: ", "))")
                }
                if !group.requiresAny.isEmpty && facilitator.credentials.isDisjoint(with: group.requiresAny) {
                    problems.append(
                        "\(id): \(facilitatorID) holds none of \(group.requiresAny.joined(separator: ", "))")
                }
            }
            if !facilitator.available.allows(session.day, block.id) {
                problems.append("\(id): \(facilitatorID) is not available then")
            }
            if facilitator.absences.contains(where: { $0.covers(session.date, block.id) }) {
                problems.append("\(id): \(facilitatorID) is absent that day")
            }
        }
        let members = Set(session.members)
        for clientID in members.sorted() {
            guard let client = lookup.clients[clientID] else {
                problems.append("\(id): unknown client \(clientID)")
                continue
            }
            if !group.tracks.isEmpty && !group.tracks.contains(client.track) {
                problems.append("\(id): \(clientID) is on track \(client.track), which \(group.id) does not admit")
            }
            if !client.available.allows(session.day, block.id) {
                problems.append("\(id): \(clientID) is not available then")
            }
            if client.absences.contains(where: { $0.covers(session.date, block.id) }) {
                problems.append("\(id): \(clientID) is absent then")
            }
            for bar in client.barred {
                let barred =
                    switch bar {
                    case .group(let group): group == session.group
                    case .slot(let slot):
                        slot.group == session.group && slot.day == session.day && slot.block == session.block
                    }
                if barred {
                    problems.append("\(id): \(clientID) is barred from \(session.group) then by the coordinator")
                }
            }
            if client.needsAccessibleRoom && !room.accessible {
                problems.append("\(id): \(clientID) needs an accessible room; \(room.id) is not")
            }
            if let admitted = client.admitted, session.date < admitted {
                problems.append("\(id): \(clientID) is not admitted until \(admitted)")
            }
            if let discharged = client.dischargePlanned, session.date > discharged {
                problems.append("\(id): \(clientID) is discharged \(discharged)")
            }
            if let authorization = client.authorization,
                session.date < authorization.from || session.date > authorization.to
            {
                problems.append(
                    "\(id): \(clientID) is outside authorization \(authorization.number) (\(authorization.from) to \(authorization.to))"
                )
            }
            // The pair may be declared on either side; each is named once, from its first client.
            for other in Set(client.keepApart) where members.contains(other) && clientID < other {
                problems.append("\(id): \(clientID) and \(other) must be kept apart")
            }
            for other in Set(client.keepApart)
            where members.contains(other) && other < clientID
                && lookup.clients[other]?.keepApart.contains(clientID) != true
            {
                problems.append("\(id): \(other) and \(clientID) must be kept apart")
            }
        }
        return problems
    }

    // MARK: Across sessions

    /// No person or room in two sessions whose clock times overlap on the same day, and
    /// no client in the same group twice a day unless the group allows it.
    private static func clashes(_ sessions: [Session], _ scenario: Scenario) -> [String] {
        var problems: [String] = []
        let blocks = Dictionary(scenario.program.blocks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let twiceAllowed = Set(scenario.groups.filter { !$0.onceADay }.map(\.id))
        for (date, day) in Dictionary(grouping: sessions, by: \.date).sorted(by: { $0.key < $1.key }) {
            for i in day.indices {
                for j in day.indices where j > i {
                    let a = day[i]
                    let b = day[j]
                    guard let ba = blocks[a.block], let bb = blocks[b.block] else { continue }
                    if ba.start < bb.end && bb.start < ba.end {
                        if a.room == b.room { problems.append("room \(a.room) is used by \(a.id) and \(b.id) at once") }
                        for f in Set(a.facilitators).intersection(b.facilitators).sorted() {
                            problems.append("\(f) leads \(a.id) and \(b.id) at once")
                        }
                        for c in Set(a.members).intersection(b.members).sorted() {
                            problems.append("\(c) is in \(a.id) and \(b.id) at once")
                        }
                    }
                    if a.group == b.group && !twiceAllowed.contains(a.group) {
                        for c in Set(a.members).intersection(b.members).sorted() {
                            problems.append("\(c) attends \(a.group) twice on \(date): \(a.id), \(b.id)")
                        }
                    }
                }
            }
        }
        return problems
    }

    /// Facilitators within their daily and weekly maximum sessions.
    private static func loads(_ sessions: [Session], _ scenario: Scenario) -> [String] {
        var problems: [String] = []
        for facilitator in scenario.facilitators {
            let led = sessions.filter { $0.facilitators.contains(facilitator.id) }
            if let perWeek = facilitator.maxSessionsPerWeek, led.count > perWeek {
                problems.append("\(facilitator.id) leads \(led.count) sessions; the weekly maximum is \(perWeek)")
            }
            if let perDay = facilitator.maxSessionsPerDay {
                for (day, today) in Dictionary(grouping: led, by: \.day) where today.count > perDay {
                    problems.append(
                        "\(facilitator.id) leads \(today.count) sessions on \(day.rawValue); the daily maximum is \(perDay)"
                    )
                }
            }
        }
        return problems
    }

    /// Recomputed hours, days, billable days and group counts equal the reported ones, and
    /// nobody passes the payer maximum.
    /// `charged` gives the minutes a client's session counts toward the payer maximum.
    private static func clientWeeks(
        _ roster: Roster, _ scenario: Scenario,
        charged: (Session, ClientID, Int) -> Int
    ) -> [String] {
        var problems: [String] = []
        let reported = Dictionary(roster.clients.map { ($0.client, $0) }, uniquingKeysWith: { first, _ in first })
        let minutesOf = Dictionary(
            scenario.program.blocks.map { ($0.id, $0.end.minutes - $0.start.minutes) },
            uniquingKeysWith: { first, _ in first })
        var minutesOfClient: [ClientID: [Weekday: Int]] = [:]
        var groupsOfClient: [ClientID: [String: Int]] = [:]
        var chargedMinutes: [ClientID: Int] = [:]
        /// Minutes charged by day: a past session the client missed does not count.
        var chargedByDay: [ClientID: [Weekday: Int]] = [:]
        for session in roster.sessions {
            for member in Set(session.members) {
                let length = minutesOf[session.block] ?? 0
                let minutes = charged(session, member, length)
                chargedMinutes[member, default: 0] += minutes
                if minutes > 0 { chargedByDay[member, default: [:]][session.day, default: 0] += minutes }
                minutesOfClient[member, default: [:]][session.day, default: 0] += length
                groupsOfClient[member, default: [:]][session.group.rawValue, default: 0] += 1
            }
        }
        for client in scenario.clients {
            let minutesByDay = minutesOfClient[client.id] ?? [:]
            let groups = groupsOfClient[client.id] ?? [:]
            let hours = Double(minutesByDay.values.reduce(0, +)) / 60
            let track = scenario.program.tracks.first { $0.id == client.track }
            let maximum =
                client.weeklyHoursOverride?.upperBound
                ?? client.authorization?.maxHoursPerWeek ?? track?.maxHoursPerWeek
                ?? scenario.program.policy.maxHoursPerWeek
            let charged = Double(chargedMinutes[client.id] ?? 0) / 60
            if charged > maximum + 1e-9 {
                problems.append("\(client.id) is scheduled \(charged) h, above the payer maximum \(maximum) h")
            }
            let level = client.authorization.flatMap { scenario.program.policy.levelsOfCare[$0.levelOfCare] }
            let mostDays =
                client.maxDaysPerWeek ?? client.authorization?.days.maxDaysPerWeek ?? track?.maxDaysPerWeek
                ?? level?.maxDaysPerWeek ?? client.authorization.flatMap {
                    scenario.program.policy.payers[$0.payer]?.maxDaysPerWeek
                }
                ?? scenario.program.policy.maxDaysPerWeek
            if let mostDays, let days = chargedByDay[client.id]?.keys, days.count > mostDays {
                problems.append("\(client.id) attends \(days.count) days, above the maximum \(mostDays) a week")
            }
            let payer = client.authorization.flatMap { scenario.program.policy.payers[$0.payer] }
            let dailyCap =
                client.maxHoursPerDay ?? client.authorization?.days.maxHoursPerDay ?? level?.maxHoursPerDay
                ?? payer?.maxHoursPerDay ?? scenario.program.policy.maxHoursPerDay
            if let dailyCap {
                for (day, minutes) in (chargedByDay[client.id] ?? [:]).sorted(by: { $0.key < $1.key })
                where Double(minutes) > dailyCap * 60 + 1e-9 {
                    problems.append(
                        "\(client.id) attends \(Double(minutes) / 60) h on \(day.rawValue), above the maximum \(dailyCap) h a day"
                    )
                }
            }
            let billable =
                client.authorization?.days.billableDayMinHours ?? level?.billableDayMinHours
                ?? payer?.billableDayMinHours ?? scenario.program.policy.billableDayMinHours
            guard let week = reported[client.id] else {
                problems.append("\(client.id) has no totals in the roster")
                continue
            }
            if abs(week.hours - hours) > 1e-6 {
                problems.append("\(client.id): reported \(week.hours) h, recomputed \(hours) h")
            }
            let days = minutesByDay.keys.sorted()
            if week.days != days {
                problems.append(
                    "\(client.id): reported days \(week.days.map(\.rawValue)), recomputed \(days.map(\.rawValue))")
            }
            let billableDays = minutesByDay.values.filter { Double($0) >= billable * 60 - 1e-9 }.count
            if week.billableDays != billableDays {
                problems.append("\(client.id): reported \(week.billableDays) billable days, recomputed \(billableDays)")
            }
            if week.groups != groups {
                problems.append(
                    "\(client.id): reported group counts \(week.groups.sorted { $0.key < $1.key }), recomputed \(groups.sorted { $0.key < $1.key })"
                )
            }
        }
        let census = Set(scenario.clients.map(\.id))
        for week in roster.clients where !census.contains(week.client) {
            problems.append("\(week.client) is in the roster but not in the scenario")
        }
        return problems
    }
}
