import Foundation
import IOPDomain
import Yams

/// Turns a YAML node tree into a ``Scenario``: types first, then references between
/// sections, then the rules that make a week plannable. Every problem goes to the reader.
struct ScenarioDecoder {
    let reader: NodeReader
    /// Block IDs as written, valid or not, so a block with bad times is reported once
    /// and not again wherever it is referenced.
    let declaredBlocks: Set<String>

    init(reader: NodeReader, root: Node) {
        self.reader = reader
        declaredBlocks = Set(
            root.mapping?["program"]?.mapping?["blocks"]?.sequence?
                .compactMap { $0.mapping?["id"]?.scalar?.string } ?? [])
    }

    init(reader: NodeReader, declaredBlocks: Set<String>) {
        self.reader = reader
        self.declaredBlocks = declaredBlocks
    }

    func decode(_ root: Node) -> Scenario? {
        guard
            let top = reader.fields(
                root, "", allowed: ScenarioKeys.top,
                required: ["program", "groups", "offerings", "facilitators", "clients"])
        else { return nil }
        guard let program = decodeProgram(top["program"], top.path("program")) else {
            // References into the program cannot be checked without it; still check the rest's types.
            _ = decodeGroups(top, program: nil)
            return nil
        }
        let groups = decodeGroups(top, program: program)
        let groupIDs = Set(groups.map(\.id))
        checkRoomGroups(top, program: program, groups: groupIDs)
        let facilitators = items(top, "facilitators") { decodeFacilitator($0, $1, program: program, groups: groupIDs) }
        checkUnique(top, "facilitators", facilitators.map(\.id.rawValue))
        let facilitatorIDs = Set(facilitators.map(\.id))
        let offerings = items(top, "offerings") {
            decodeOffering($0, $1, program: program, groups: groupIDs, facilitators: facilitatorIDs)
        }
        let clientIDs = Set(clientIDNodes(top["clients"]))
        let clients = items(top, "clients") {
            decodeClient($0, $1, program: program, groups: groups, clients: clientIDs, facilitators: facilitatorIDs)
        }
        checkUnique(top, "clients", clients.map(\.id.rawValue))
        checkStaffing(top, offerings: offerings, groups: groups, facilitators: facilitators, rooms: program.rooms)
        let weights = decodeWeights(top["weights"], top.path("weights"))
        let locks = items(top, "locks") {
            decodeLock($0, $1, program: program, groups: groups, facilitators: facilitatorIDs, clients: clientIDs)
        }
        return Scenario(
            program: program, groups: groups, offerings: offerings, facilitators: facilitators,
            clients: clients, weights: weights, locks: locks)
    }

    // MARK: Program

    private func decodeProgram(_ node: Node?, _ path: String) -> Program? {
        guard
            let fields = reader.fields(
                node, path, allowed: ScenarioKeys.program,
                required: ["name", "week_of", "days", "blocks", "rooms"])
        else { return nil }
        let name = reader.string(fields["name"], fields.path("name"))
        let weekOf = reader.date(fields["week_of"], fields.path("week_of"))
        if let weekOf, weekOf.weekday != .mon {
            reader.report(
                fields["week_of"], fields.path("week_of"),
                "expected the Monday of the planned week; \(weekOf) is a \(weekOf.weekday.title)")
        }
        let days = weekdays(fields["days"], fields.path("days"), allowed: Weekday.allCases)
        let blocks = items(fields, "blocks", decodeBlock)
        checkUnique(fields, "blocks", blocks.map(\.id.rawValue))
        let rooms = items(fields, "rooms", decodeRoom)
        checkUnique(fields, "rooms", rooms.map(\.id.rawValue))
        let policy = decodePolicy(fields["policy"], fields.path("policy"))
        let tracks = items(fields, "tracks", decodeTrack)
        checkUnique(fields, "tracks", tracks.map(\.id.rawValue))
        guard let name, let weekOf, let days else { return nil }
        var program = Program(
            name: name, weekOf: weekOf, days: days, blocks: blocks, rooms: rooms, policy: policy, tracks: tracks)
        if let zone = fields["timezone"] {
            if let identifier = reader.string(zone, fields.path("timezone")) {
                if TimeZone(identifier: identifier) == nil || !identifier.contains("/") && identifier != "UTC" {
                    reader.report(
                        zone, fields.path("timezone"),
                        "expected an IANA time zone name such as America/Chicago or UTC; found '\(identifier)'")
                } else {
                    program.timeZone = identifier
                }
            }
        }
        // Dates a room is out of use, read against the calendar just built.
        for (node, roomPath) in fields["rooms"].flatMap({ reader.sequence($0, fields.path("rooms")) }) ?? [] {
            guard let roomFields = node.mapping, let list = roomFields["unavailable"],
                let id = roomFields["id"]?.scalar?.string,
                let index = program.rooms.firstIndex(where: { $0.id.rawValue == id })
            else { continue }
            program.rooms[index].unavailable = absenceList(list, "\(roomPath).unavailable", program: program) ?? []
        }
        return program
    }

    private func decodeBlock(_ node: Node, _ path: String) -> Block? {
        guard let fields = reader.fields(node, path, allowed: ScenarioKeys.block, required: ["id", "start", "end"])
        else { return nil }
        let id = reader.id(fields["id"], fields.path("id"))
        let start = clock(fields["start"], fields.path("start"))
        let end = clock(fields["end"], fields.path("end"))
        guard let id, let start, let end else { return nil }
        guard start < end else {
            reader.report(fields["end"], fields.path("end"), "expected an end after the start \(start); found \(end)")
            return nil
        }
        return Block(id: BlockID(id), start: start, end: end)
    }

    private func decodeRoom(_ node: Node, _ path: String) -> Room? {
        guard let fields = reader.fields(node, path, allowed: ScenarioKeys.room, required: ["id", "capacity"]) else {
            return nil
        }
        let id = reader.id(fields["id"], fields.path("id"))
        let capacity = reader.int(fields["capacity"], fields.path("capacity"), atLeast: 1)
        // Group IDs are checked once the groups are read (``checkRoomGroups``).
        let onlyFor = fields["only_for"].flatMap { reader.strings($0, fields.path("only_for")) } ?? []
        let accessible = fields["accessible"].flatMap { reader.bool($0, fields.path("accessible")) } ?? false
        guard let id, let capacity else { return nil }
        return Room(id: RoomID(id), capacity: capacity, onlyFor: onlyFor.map { GroupID($0) }, accessible: accessible)
    }

    private func decodeTrack(_ node: Node, _ path: String) -> Track? {
        if node.scalar != nil { return reader.id(node, path).map { Track(id: TrackID($0)) } }
        guard let fields = reader.fields(node, path, allowed: ScenarioKeys.track, required: ["id"]) else { return nil }
        let id = reader.id(fields["id"], fields.path("id"))
        let hours = hourRange(fields, minKey: "min_hours_per_week", maxKey: "max_hours_per_week")
        let maxDays = fields["max_days_per_week"].flatMap {
            reader.int($0, fields.path("max_days_per_week"), atLeast: 0, atMost: 7)
        }
        guard let id, let hours else { return nil }
        return Track(id: TrackID(id), minHoursPerWeek: hours.min, maxHoursPerWeek: hours.max, maxDaysPerWeek: maxDays)
    }

    private func decodePolicy(_ node: Node?, _ path: String) -> Policy {
        var policy = Policy()
        guard let node, let fields = reader.fields(node, path, allowed: ScenarioKeys.policy) else { return policy }
        if let value = reader.int(fields["min_participants"], fields.path("min_participants"), atLeast: 1) {
            policy.minParticipants = value
        }
        if let value = reader.number(
            fields["billable_day_min_hours"], fields.path("billable_day_min_hours"), atLeast: 0,
            atMost: NodeReader.hoursInDay)
        {
            policy.billableDayMinHours = value
        }
        if let value = reader.int(fields["min_days_per_week"], fields.path("min_days_per_week"), atLeast: 0, atMost: 7)
        {
            policy.minDaysPerWeek = value
        }
        policy.maxDaysPerWeek = reader.int(
            fields["max_days_per_week"], fields.path("max_days_per_week"), atLeast: 0, atMost: 7)
        policy.twoFacilitatorsOver = reader.int(
            fields["two_facilitators_over"], fields.path("two_facilitators_over"), atLeast: 1)
        policy.maxHoursPerDay = dailyCap(fields)
        if let maximum = policy.maxDaysPerWeek, maximum < policy.minDaysPerWeek {
            reader.report(
                fields["max_days_per_week"], fields.path("max_days_per_week"),
                "expected at least min_days_per_week (\(policy.minDaysPerWeek)); found \(maximum)")
        }
        if let levels = fields["levels_of_care"],
            let entries = reader.fields(
                levels, fields.path("levels_of_care"), allowed: LevelOfCare.allCases.map(\.rawValue),
                noun: "level of care")
        {
            for (name, node) in entries.values {
                guard let level = LevelOfCare(rawValue: name), let rules = dayRules(node, entries.path(name)) else {
                    continue
                }
                policy.levelsOfCare[level] = rules
            }
        }
        if let hours = hourRange(fields, minKey: "min_hours_per_week", maxKey: "max_hours_per_week") {
            if let min = hours.min { policy.minHoursPerWeek = min }
            if let max = hours.max { policy.maxHoursPerWeek = max }
        }
        if policy.minHoursPerWeek > policy.maxHoursPerWeek {
            reader.report(
                fields.node, path,
                "expected min_hours_per_week (\(policy.minHoursPerWeek.compact)) at most max_hours_per_week (\(policy.maxHoursPerWeek.compact))"
            )
        }
        return policy
    }

    /// A level of care's `min_days_per_week`, `max_days_per_week` and `billable_day_min_hours`.
    private func dayRules(_ node: Node, _ path: String) -> DayRules? {
        reader.fields(node, path, allowed: ScenarioKeys.dayRules).map(dayRules)
    }

    /// A `max_hours_per_day`: more than nothing, at most a day.
    private func dailyCap(_ fields: Fields) -> Double? {
        fields["max_hours_per_day"].flatMap {
            reader.number($0, fields.path("max_hours_per_day"), atLeast: 0.25, atMost: NodeReader.hoursInDay)
        }
    }

    /// The day rules among a mapping's keys (a level of care's, or an authorization's).
    private func dayRules(_ fields: Fields) -> DayRules {
        let rules = DayRules(
            minDaysPerWeek: fields["min_days_per_week"].flatMap {
                reader.int($0, fields.path("min_days_per_week"), atLeast: 0, atMost: 7)
            },
            maxDaysPerWeek: fields["max_days_per_week"].flatMap {
                reader.int($0, fields.path("max_days_per_week"), atLeast: 0, atMost: 7)
            },
            billableDayMinHours: fields["billable_day_min_hours"].flatMap {
                reader.number($0, fields.path("billable_day_min_hours"), atLeast: 0, atMost: NodeReader.hoursInDay)
            },
            maxHoursPerDay: dailyCap(fields))
        if let low = rules.minDaysPerWeek, let high = rules.maxDaysPerWeek, high < low {
            reader.report(
                fields["max_days_per_week"], fields.path("max_days_per_week"),
                "expected at least min_days_per_week (\(low)); found \(high)")
        }
        return rules
    }

    // MARK: Groups and offerings

    private func decodeGroups(_ top: Fields, program: Program?) -> [Group] {
        let knownTracks = program.map { Set($0.tracks.map(\.id)) } ?? []
        let groups = items(top, "groups") { node, path -> Group? in
            guard
                let fields = reader.fields(
                    node, path, allowed: ScenarioKeys.group,
                    required: ["id", "capacity"])
            else { return nil }
            let id = reader.id(fields["id"], fields.path("id"))
            let kind = fields["kind"].flatMap { reader.string($0, fields.path("kind")) } ?? "group"
            let capacity = reader.int(fields["capacity"], fields.path("capacity"), atLeast: 1)
            let minimum = fields["min_participants"].flatMap {
                reader.int($0, fields.path("min_participants"), atLeast: 1)
            }
            let requires = fields["requires"].flatMap { reader.strings($0, fields.path("requires")) } ?? []
            let requiresAny = fields["requires_any"].flatMap { reader.strings($0, fields.path("requires_any")) } ?? []
            let oneLeader =
                fields["one_leader_requires"].flatMap { reader.strings($0, fields.path("one_leader_requires")) } ?? []
            let onceADay = fields["once_a_day"].flatMap { reader.bool($0, fields.path("once_a_day")) } ?? true
            let ratio = fields["two_facilitators_over"].flatMap {
                reader.int($0, fields.path("two_facilitators_over"), atLeast: 1)
            }
            let tracks = fields["tracks"].flatMap { reader.strings($0, fields.path("tracks")) } ?? []
            let staff =
                fields["facilitators_per_section"].flatMap {
                    reader.int($0, fields.path("facilitators_per_section"), atLeast: 1)
                } ?? 1
            let rooms = program.map { referenceList(fields, "rooms", in: Set($0.rooms.map(\.id))) ?? [] } ?? []
            let cancelled =
                program.flatMap { program in
                    fields["cancelled"].flatMap { absenceList($0, fields.path("cancelled"), program: program) }
                } ?? []
            if !knownTracks.isEmpty {
                for track in tracks where !knownTracks.contains(TrackID(track)) {
                    reader.report(
                        fields["tracks"], fields.path("tracks"),
                        "unknown track '\(NodeReader.quoted(track))'; expected one of: \(NodeReader.oneOf(knownTracks.map(\.rawValue).sorted()))"
                    )
                }
            }
            if let capacity, let minimum, minimum > capacity {
                reader.report(
                    fields["min_participants"], fields.path("min_participants"),
                    "expected at most the capacity \(capacity); found \(minimum)")
            }
            guard let id, let capacity else { return nil }
            return Group(
                id: GroupID(id), kind: kind, capacity: capacity, minParticipants: minimum, requires: requires,
                requiresAny: requiresAny, tracks: tracks.map { TrackID($0) }, facilitatorsPerSection: staff,
                cancelled: cancelled, rooms: rooms, onceADay: onceADay, twoFacilitatorsOver: ratio,
                oneLeaderRequires: oneLeader)
        }
        checkUnique(top, "groups", groups.map(\.id.rawValue))
        return groups
    }

    private func decodeOffering(
        _ node: Node, _ path: String, program: Program, groups: Set<GroupID>,
        facilitators: Set<FacilitatorID>
    ) -> Offering? {
        guard
            let fields = reader.fields(
                node, path, allowed: ScenarioKeys.offering,
                required: ["group", "blocks"])
        else { return nil }
        let group = reference(fields, "group", in: groups)
        let days = fields["days"].flatMap { weekdays($0, fields.path("days"), allowed: program.days) } ?? program.days
        let blocks = blockList(fields["blocks"], fields.path("blocks"), program: program)
        let sections = fields["sections"].flatMap { reader.int($0, fields.path("sections"), atLeast: 1) } ?? 1
        let leaders = referenceList(fields, "facilitators", in: facilitators) ?? []
        let rooms = referenceList(fields, "rooms", in: Set(program.rooms.map(\.id))) ?? []
        guard let group, let blocks else { return nil }
        return Offering(
            group: group, days: days, blocks: blocks, sections: sections, facilitators: leaders, rooms: rooms)
    }

    // MARK: People

    private func decodeFacilitator(_ node: Node, _ path: String, program: Program, groups: Set<GroupID>) -> Facilitator?
    {
        guard
            let fields = reader.fields(
                node, path, allowed: ScenarioKeys.facilitator,
                required: ["id"])
        else { return nil }
        let id = reader.id(fields["id"], fields.path("id"))
        if let name = fields["name"] { _ = reader.string(name, fields.path("name")) }
        let credentials = fields["credentials"].flatMap { reader.strings($0, fields.path("credentials")) } ?? []
        let available =
            fields["available"].flatMap { availability($0, fields.path("available"), program: program) } ?? .always
        let absences = fields["absent"].flatMap { absenceList($0, fields.path("absent"), program: program) } ?? []
        var perDay: Int?
        var perWeek: Int?
        if let limits = fields["max_sessions"],
            let limitFields = reader.fields(limits, fields.path("max_sessions"), allowed: ScenarioKeys.maxSessions)
        {
            perDay = limitFields["per_day"].flatMap { reader.int($0, limitFields.path("per_day"), atLeast: 0) }
            perWeek = limitFields["per_week"].flatMap { reader.int($0, limitFields.path("per_week"), atLeast: 0) }
        }
        let prefers = referenceList(fields, "prefers", in: groups) ?? []
        var coLeads: CoLeading?
        if let node = fields["co_leads"],
            let coFields = reader.fields(
                node, fields.path("co_leads"), allowed: ScenarioKeys.coLeads, required: ["groups"])
        {
            let sessions = coFields["sessions"].flatMap { reader.int($0, coFields.path("sessions"), atLeast: 0) } ?? 0
            if let coGroups = referenceList(coFields, "groups", in: groups) {
                coLeads = CoLeading(groups: coGroups, sessions: sessions)
            }
        }
        guard let id else { return nil }
        return Facilitator(
            id: FacilitatorID(id), credentials: Set(credentials), available: available, absences: absences,
            maxSessionsPerDay: perDay, maxSessionsPerWeek: perWeek, prefers: prefers, coLeads: coLeads)
    }

    private func clientIDNodes(_ node: Node?) -> [ClientID] {
        node?.sequence?.compactMap { $0.mapping?["id"]?.scalar?.string }.map { ClientID($0) } ?? []
    }

    func decodeClient(
        _ node: Node, _ path: String, program: Program, groups: [Group],
        clients: Set<ClientID>, facilitators: Set<FacilitatorID>
    ) -> Client? {
        guard let fields = reader.fields(node, path, allowed: ScenarioKeys.client, required: ["id", "track"]) else {
            return nil
        }
        let id = reader.id(fields["id"], fields.path("id")).map { ClientID($0) }
        let preferredName = fields["preferred_name"].flatMap { reader.string($0, fields.path("preferred_name")) }
        let track = reader.id(fields["track"], fields.path("track")).map { TrackID($0) }
        if let track, !program.tracks.isEmpty, !program.tracks.contains(where: { $0.id == track }) {
            reader.report(
                fields["track"], fields.path("track"),
                "unknown track '\(track)'; expected one of: \(NodeReader.oneOf(program.tracks.map(\.id.rawValue)))")
        }
        let admitted = fields["admitted"].flatMap { reader.date($0, fields.path("admitted")) }
        let discharge = fields["discharge_planned"].flatMap { reader.date($0, fields.path("discharge_planned")) }
        if let admitted, let discharge, discharge < admitted {
            reader.report(
                fields["discharge_planned"], fields.path("discharge_planned"),
                "expected a date on or after admission \(admitted); found \(discharge)")
        }
        let available =
            fields["available"].flatMap { availability($0, fields.path("available"), program: program) } ?? .always
        let plan = fields["plan"].flatMap { planCounts($0, fields.path("plan"), groups: groups, track: track) } ?? [:]
        let authorization = fields["authorization"].flatMap { decodeAuthorization($0, fields.path("authorization")) }
        let keepApart =
            fields["keep_apart"].flatMap { node -> [ClientID]? in
                guard let names = reader.strings(node, fields.path("keep_apart")) else { return nil }
                for name in names where !clients.contains(ClientID(name)) || ClientID(name) == id {
                    reader.report(
                        node, fields.path("keep_apart"),
                        ClientID(name) == id
                            ? "a client cannot be kept apart from themself" : "unknown client '\(name)'")
                }
                return names.map { ClientID($0) }
            } ?? []
        var lastWeek: [GroupID: FacilitatorID] = [:]
        if let node = fields["last_week"],
            let entries = reader.fields(
                node, fields.path("last_week"), allowed: groups.map(\.id.rawValue), noun: "group")
        {
            for (group, value) in entries.values {
                guard let name = reader.string(value, entries.path(group)) else { continue }
                if facilitators.contains(FacilitatorID(name)) {
                    lastWeek[GroupID(group)] = FacilitatorID(name)
                } else {
                    reader.report(value, entries.path(group), "unknown facilitator '\(name)'")
                }
            }
        }
        let clinician = fields["clinician"] == nil ? nil : reference(fields, "clinician", in: facilitators)
        let prefersDays =
            fields["prefers_days"].flatMap { weekdays($0, fields.path("prefers_days"), allowed: program.days) } ?? []
        let absences = fields["absent"].flatMap { absenceList($0, fields.path("absent"), program: program) } ?? []
        let maxDays = fields["max_days_per_week"].flatMap {
            reader.int($0, fields.path("max_days_per_week"), atLeast: 0, atMost: 7)
        }
        let accessible =
            fields["needs_accessible_room"].flatMap { reader.bool($0, fields.path("needs_accessible_room")) } ?? false
        let barred =
            fields["barred"].flatMap { bars($0, fields.path("barred"), program: program, groups: groups) } ?? []
        let pinned =
            fields["pinned"].flatMap { node -> [SlotRef]? in
                guard let items = reader.sequence(node, fields.path("pinned")) else { return nil }
                return items.compactMap { slotRef($0.0, $0.1, program: program, groups: groups) }
            } ?? []
        guard let id, let track else { return nil }
        var client = Client(
            id: id, track: track, admitted: admitted, dischargePlanned: discharge, available: available,
            plan: plan, authorization: authorization, keepApart: keepApart, lastWeek: lastWeek,
            preferredDays: prefersDays, preferredName: preferredName, clinician: clinician,
            absences: absences, maxDaysPerWeek: maxDays, needsAccessibleRoom: accessible)
        client.barred = barred
        client.pinned = pinned
        client.maxHoursPerDay = dailyCap(fields)
        if let hours = hourRange(fields, minKey: "min_hours_per_week", maxKey: "max_hours_per_week"),
            hours.min != nil || hours.max != nil
        {
            if let low = hours.min, let high = hours.max {
                if low <= high { client.weeklyHoursOverride = low...high }
            } else {
                reader.report(
                    fields.node, path,
                    "expected min_hours_per_week and max_hours_per_week together (a step-down's hours)")
            }
        }
        for (n, slot) in pinned.enumerated() where client.bar(slot.group, slot.day, slot.block) != nil {
            reader.report(
                fields["pinned"], "\(fields.path("pinned"))[\(n)]",
                "pinned into \(slot), which the client is barred from")
        }
        let week = program.days.map(program.date(of:))
        if !week.contains(where: client.isEnrolled(on:)) {
            reader.report(
                fields.node, path,
                "client \(id) is not enrolled and authorized on any day of the week of \(program.weekOf); expected admission, discharge and authorization dates that overlap \(week.first?.description ?? "")..\(week.last?.description ?? "")"
            )
        }
        return client
    }

    /// `[dbt, {group: process, day: wed, block: am1}]`: a whole group, or one of its times.
    func bars(_ node: Node, _ path: String, program: Program, groups: [Group]) -> [Bar]? {
        guard let items = reader.sequence(node, path) else { return nil }
        return items.compactMap { item, itemPath in
            if item.mapping != nil { return slotRef(item, itemPath, program: program, groups: groups).map(Bar.slot) }
            guard let name = reader.id(item, itemPath) else { return nil }
            guard groups.contains(where: { $0.id.rawValue == name }) else {
                reader.report(
                    item, itemPath,
                    "unknown group '\(NodeReader.quoted(name))'; expected one of: \(NodeReader.oneOf(groups.map(\.id.rawValue)))"
                )
                return nil
            }
            return .group(GroupID(name))
        }
    }

    /// `{group: process, day: wed, block: am1}`: a group at one of the week's times.
    func slotRef(_ node: Node, _ path: String, program: Program, groups: [Group]) -> SlotRef? {
        guard let fields = reader.fields(node, path, allowed: ScenarioKeys.slotRef, required: ScenarioKeys.slotRef)
        else { return nil }
        let group = reference(fields, "group", in: Set(groups.map(\.id)))
        let day = reader.string(fields["day"], fields.path("day")).flatMap { name -> Weekday? in
            guard let day = Weekday(rawValue: name), program.days.contains(day) else {
                reader.report(
                    fields["day"], fields.path("day"),
                    "unknown day '\(NodeReader.quoted(name))'; expected one of: \(program.days.map(\.rawValue).joined(separator: ", "))"
                )
                return nil
            }
            return day
        }
        let block = reference(fields, "block", in: Set(program.blocks.map(\.id)))
        guard let group, let day, let block else { return nil }
        return SlotRef(group: group, day: day, block: block)
    }

    /// A session kept as published: its time, section, room, facilitators and members, each known.
    func decodeLock(
        _ node: Node, _ path: String, program: Program, groups: [Group], facilitators: Set<FacilitatorID>,
        clients: Set<ClientID>
    ) -> SessionLock? {
        guard
            let fields = reader.fields(
                node, path, allowed: ScenarioKeys.lock, required: ScenarioKeys.lock.filter { $0 != "section" })
        else { return nil }
        let slotFields = Node.mapping(
            Node.Mapping(
                ScenarioKeys.slotRef.compactMap { key in fields[key].map { (Node(key), $0) } },
                Tag(.map), .block, fields.node.mark))
        let slot = slotRef(slotFields, path, program: program, groups: groups)
        let section = fields["section"].flatMap { reader.int($0, fields.path("section"), atLeast: 1) } ?? 1
        let room = reference(fields, "room", in: Set(program.rooms.map(\.id)))
        let leaders = referenceList(fields, "facilitators", in: facilitators)
        let members = referenceList(fields, "members", in: clients)
        guard let slot, let room, let leaders, let members else { return nil }
        return SessionLock(slot: slot, section: section, room: room, facilitators: leaders, members: members)
    }

    func decodeAuthorization(_ node: Node, _ path: String) -> Authorization? {
        guard
            let fields = reader.fields(
                node, path, allowed: ScenarioKeys.authorization,
                required: ["payer", "number", "from", "to"])
        else { return nil }
        let payer = reader.label(fields["payer"], fields.path("payer"))
        let number = reader.label(fields["number"], fields.path("number"))
        let from = reader.date(fields["from"], fields.path("from"))
        let to = reader.date(fields["to"], fields.path("to"))
        if let from, let to, to < from {
            reader.report(fields["to"], fields.path("to"), "expected a date on or after \(from); found \(to)")
        }
        var level = LevelOfCare.iop
        if let text = fields["level_of_care"].flatMap({ reader.string($0, fields.path("level_of_care")) }) {
            if let known = LevelOfCare(rawValue: text.uppercased()) {
                level = known
            } else {
                reader.report(
                    fields["level_of_care"], fields.path("level_of_care"),
                    "expected one of \(LevelOfCare.allCases.map(\.rawValue).joined(separator: ", ")), found '\(NodeReader.quoted(text))'"
                )
            }
        }
        let days = reader.int(fields["approved_days"], fields.path("approved_days"), atLeast: 0)
        let hoursApproved = reader.number(fields["approved_hours"], fields.path("approved_hours"), atLeast: 0)
        if fields["approved_days"] != nil, fields["approved_hours"] != nil {
            reader.report(
                fields["approved_hours"], fields.path("approved_hours"),
                "expected approved_days or approved_hours, not both")
        }
        let approved: ApprovedUnits? = days.map { .days($0) } ?? hoursApproved.map { .hours($0) }
        let hours = hourRange(fields, minKey: "min_hours_per_week", maxKey: "max_hours_per_week")
        let dayLimits = dayRules(fields)
        guard let payer, let number, let from, let to, let hours else { return nil }
        return Authorization(
            payer: payer, number: number, from: from, to: to, levelOfCare: level, approved: approved,
            minHoursPerWeek: hours.min, maxHoursPerWeek: hours.max, days: dayLimits)
    }

    private func planCounts(_ node: Node, _ path: String, groups: [Group], track: TrackID?) -> [GroupID: Int]? {
        guard let fields = reader.fields(node, path, allowed: groups.map(\.id.rawValue), noun: "group") else {
            return nil
        }
        var plan: [GroupID: Int] = [:]
        for (name, value) in fields.values {
            guard let count = reader.int(value, fields.path(name), atLeast: 0) else { continue }
            if let track, let group = groups.first(where: { $0.id.rawValue == name }), !group.admits(track) {
                reader.report(
                    value, fields.path(name),
                    "group '\(name)' is open to tracks \(group.tracks.map(\.rawValue).joined(separator: ", ")), not '\(track)'"
                )
            }
            plan[GroupID(name)] = count
        }
        return plan
    }

    private func decodeWeights(_ node: Node?, _ path: String) -> Weights {
        var weights = Weights()
        guard let node, let fields = reader.fields(node, path, allowed: ScenarioKeys.weights.map(\.key)) else {
            return weights
        }
        for (key, keyPath) in ScenarioKeys.weights {
            if let value = fields[key].flatMap({ reader.int($0, fields.path(key), atLeast: 0) }) {
                weights[keyPath: keyPath] = value
            }
        }
        return weights
    }

    // MARK: Cross-section rules

    /// A room kept for some groups names groups that exist.
    private func checkRoomGroups(_ top: Fields, program: Program, groups: Set<GroupID>) {
        guard let list = top["program"]?.mapping?["rooms"]?.sequence else { return }
        for (index, node) in list.enumerated() {
            guard let onlyFor = node.mapping?["only_for"],
                let names = onlyFor.sequence?.compactMap(\.scalar?.string) ?? onlyFor.scalar.map({ [$0.string] })
            else { continue }
            for name in names where !groups.contains(GroupID(name)) {
                reader.report(
                    onlyFor, "program.rooms[\(index)].only_for",
                    "unknown group '\(NodeReader.quoted(name))'; expected one of: \(NodeReader.oneOf(groups.map(\.rawValue).sorted()))"
                )
            }
        }
    }

    /// A group that is offered needs someone who may lead it, and each room its offering
    /// names must be one the group may use.
    private func checkStaffing(
        _ top: Fields, offerings: [Offering], groups: [Group], facilitators: [Facilitator], rooms: [Room]
    ) {
        guard let list = top["offerings"]?.sequence else { return }
        for (index, offering) in offerings.enumerated() where index < list.count {
            guard let group = groups.first(where: { $0.id == offering.group }) else { continue }
            for room in rooms where offering.rooms.contains(room.id) && !group.mayUse(room) {
                reader.report(
                    list[index], "offerings[\(index)].rooms",
                    "room '\(room.id)' may not host group '\(group.id)' (\(room.hosts(group.id) ? "the group's rooms leave it out" : "the room is kept for other groups"))"
                )
            }
            let qualified = facilitators.filter {
                $0.isQualified(for: group) && (offering.facilitators.isEmpty || offering.facilitators.contains($0.id))
            }
            if qualified.count < group.facilitatorsPerSection {
                reader.report(
                    list[index], "offerings[\(index)].group",
                    "group '\(group.id)' needs \(group.facilitatorsPerSection) facilitator(s)\(group.credentialsText.map { " with " + $0 } ?? ""); the offering has \(qualified.count) who may lead it"
                )
            } else if !qualified.contains(where: { $0.mayLeadFirst(group) }) {
                reader.report(
                    list[index], "offerings[\(index)].group",
                    "group '\(group.id)' needs one leader with \(group.oneLeaderRequires.joined(separator: ", ")) in each section; none of the offering's facilitators holds it"
                )
            }
        }
    }

    // MARK: Shared readers

    private func items<T>(_ fields: Fields, _ key: String, _ decode: (Node, String) -> T?) -> [T] {
        guard let node = fields[key], let list = reader.sequence(node, fields.path(key)) else { return [] }
        return list.compactMap { decode($0.0, $0.1) }
    }

    private func checkUnique(_ fields: Fields, _ key: String, _ ids: [String]) {
        guard let list = fields[key]?.sequence else { return }
        var seen: [String: Int] = [:]
        for (index, node) in list.enumerated() {
            guard let id = node.mapping?["id"]?.scalar?.string ?? node.scalar?.string else { continue }
            if let first = seen[id] {
                reader.report(
                    node.mapping?["id"] ?? node, "\(fields.path(key))[\(index)].id",
                    "duplicate id '\(id)'; first used at \(fields.path(key))[\(first)]")
            } else {
                seen[id] = index
            }
        }
    }

    private func clock(_ node: Node?, _ path: String) -> ClockTime? {
        guard let text = reader.string(node, path) else { return nil }
        guard let time = ClockTime(text) else {
            reader.report(node, path, "expected a time HH:MM (24-hour, quoted in YAML), found '\(text)'")
            return nil
        }
        return time
    }

    private func weekdays(_ node: Node?, _ path: String, allowed: [Weekday]) -> [Weekday]? {
        guard let names = reader.strings(node, path) else { return nil }
        if names == ["all"] { return allowed }
        var days: [Weekday] = []
        for name in names {
            guard let day = Weekday(rawValue: name), allowed.contains(day) else {
                reader.report(
                    node, path,
                    "unknown day '\(name)'; expected all or some of: \(allowed.map(\.rawValue).joined(separator: ", "))"
                )
                continue
            }
            days.append(day)
        }
        return days.sorted()
    }

    func blockList(_ node: Node?, _ path: String, program: Program) -> [BlockID]? {
        guard let names = reader.strings(node, path) else { return nil }
        if names == ["all"] { return program.blocks.map(\.id) }
        for name in names where !declaredBlocks.contains(name) {
            reader.report(
                node, path,
                "unknown block '\(name)'; expected all or some of: \(program.blocks.map(\.id.rawValue).joined(separator: ", "))"
            )
        }
        return names.map { BlockID($0) }
    }

    func availability(_ node: Node, _ path: String, program: Program) -> Availability? {
        if node.scalar?.string == "all" { return .always }
        guard let fields = reader.fields(node, path, allowed: Weekday.allCases.map(\.rawValue)) else { return nil }
        var days: [Weekday: Set<BlockID>?] = [:]
        for (name, value) in fields.values {
            guard let day = Weekday(rawValue: name), let blocks = blockList(value, fields.path(name), program: program)
            else { continue }
            days[day] = value.scalar?.string == "all" ? .some(nil) : .some(Set(blocks))
        }
        return Availability(days: days)
    }

    func absenceList(_ node: Node, _ path: String, program: Program) -> [Absence]? {
        guard let list = reader.sequence(node, path) else { return nil }
        return list.compactMap { absence($0.0, $0.1, program: program) }
    }

    /// A date, or `{from, to, blocks}` (to defaults to from; blocks to whole days).
    func absence(_ item: Node, _ path: String, program: Program) -> Absence? {
        if item.scalar != nil {
            return reader.date(item, path).map { Absence(from: $0, to: $0) }
        }
        guard let fields = reader.fields(item, path, allowed: ScenarioKeys.absence, required: ["from"]) else {
            return nil
        }
        let from = reader.date(fields["from"], fields.path("from"))
        let to = fields["to"].flatMap { reader.date($0, fields.path("to")) } ?? from
        let blocks = fields["blocks"].flatMap { blockList($0, fields.path("blocks"), program: program) }
        guard let from, let to else { return nil }
        guard from <= to else {
            reader.report(fields["to"], fields.path("to"), "expected a date on or after \(from); found \(to)")
            return nil
        }
        return Absence(from: from, to: to, blocks: blocks.map { Set($0) })
    }

    func reference<Tag>(_ fields: Fields, _ key: String, in known: Set<Identifier<Tag>>) -> Identifier<Tag>? {
        guard let name = reader.string(fields[key], fields.path(key)) else { return nil }
        guard known.contains(Identifier(name)) else {
            reader.report(
                fields[key], fields.path(key),
                "unknown \(key) '\(NodeReader.quoted(name))'; expected one of: \(NodeReader.oneOf(known.map(\.rawValue).sorted()))"
            )
            return nil
        }
        return Identifier(name)
    }

    private func referenceList<Tag>(_ fields: Fields, _ key: String, in known: Set<Identifier<Tag>>) -> [Identifier<
        Tag
    >]? {
        guard let node = fields[key], let names = reader.strings(node, fields.path(key)) else { return nil }
        for name in names where !known.contains(Identifier(name)) {
            reader.report(
                node, fields.path(key),
                "unknown \(Self.noun(key)) '\(NodeReader.quoted(name))'; expected one of: \(NodeReader.oneOf(known.map(\.rawValue).sorted()))"
            )
        }
        return names.map { Identifier($0) }
    }

    private static func noun(_ key: String) -> String {
        switch key {
        case "facilitators": "facilitator"
        case "rooms": "room"
        case "clinician": "facilitator"
        case "members": "client"
        case "prefers", "groups": "group"
        default: key
        }
    }

    func hourRange(_ fields: Fields, minKey: String, maxKey: String) -> (min: Double?, max: Double?)? {
        let min = fields[minKey].flatMap {
            reader.number($0, fields.path(minKey), atLeast: 0, atMost: NodeReader.hoursInWeek)
        }
        let max = fields[maxKey].flatMap {
            reader.number($0, fields.path(maxKey), atLeast: 0, atMost: NodeReader.hoursInWeek)
        }
        if let min, let max, min > max {
            reader.report(
                fields[maxKey], fields.path(maxKey),
                "expected at least \(minKey) (\(min.compact)); found \(max.compact)")
        }
        return (min, max)
    }
}
