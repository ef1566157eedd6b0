import IOPDomain
import Yams

/// Writes a scenario as the YAML file the decoder reads back to the same scenario: every
/// key the week says something with, in the reference's order, defaults left out. What a
/// scenario file cannot say is not written: facilitators' names (the decoder keeps none)
/// and the payers' day rules from the record (`iop payer`, read again from the record).
public enum ScenarioWriter {
    public static func yaml(_ scenario: Scenario) throws -> String {
        var top: [(String, Node)] = [
            ("program", program(scenario.program)),
            ("groups", list(scenario.groups.map(group))),
            ("offerings", list(scenario.offerings.map { offering($0, program: scenario.program) })),
            ("facilitators", list(scenario.facilitators.map(facilitator))),
            ("clients", list(scenario.clients.map { client($0, program: scenario.program) })),
        ]
        let weights = self.weights(scenario.weights)
        if !weights.isEmpty { top.append(("weights", flow(weights))) }
        if !scenario.locks.isEmpty { top.append(("locks", list(scenario.locks.map(lock)))) }
        return try Yams.serialize(node: mapping(top), width: -1, sortKeys: false)
    }

    /// ``yaml(_:)`` for the record to keep: IDs, not names, so preferred names are left out.
    public static func recordCopy(_ scenario: Scenario) throws -> String {
        var unnamed = scenario
        for index in unnamed.clients.indices { unnamed.clients[index].preferredName = nil }
        return try yaml(unnamed)
    }

    // MARK: The program

    private static func program(_ program: Program) -> Node {
        var fields: [(String, Node)] = [
            ("name", text(program.name)), ("week_of", text(program.weekOf.description)),
        ]
        if let zone = program.timeZone { fields.append(("timezone", text(zone))) }
        fields += [
            ("days", flowList(program.days.map(\.rawValue))),
            (
                "blocks",
                list(
                    program.blocks.map { block in
                        flow([
                            ("id", text(block.id.rawValue)), ("start", quoted(block.start.description)),
                            ("end", quoted(block.end.description)),
                        ])
                    })
            ),
            ("rooms", list(program.rooms.map(room))),
        ]
        let policy = self.policy(program.policy)
        if !policy.isEmpty { fields.append(("policy", mapping(policy))) }
        if !program.tracks.isEmpty { fields.append(("tracks", list(program.tracks.map(track)))) }
        return mapping(fields)
    }

    private static func room(_ room: Room) -> Node {
        var fields: [(String, Node)] = [("id", text(room.id.rawValue)), ("capacity", number(room.capacity))]
        if !room.onlyFor.isEmpty { fields.append(("only_for", flowList(room.onlyFor.map(\.rawValue)))) }
        if room.accessible { fields.append(("accessible", text("true"))) }
        if !room.unavailable.isEmpty { fields.append(("unavailable", flow(room.unavailable.map(absence)))) }
        return flow(fields)
    }

    private static func policy(_ policy: Policy) -> [(String, Node)] {
        let defaults = Policy()
        var fields: [(String, Node)] = []
        if policy.minParticipants != defaults.minParticipants {
            fields.append(("min_participants", number(policy.minParticipants)))
        }
        if policy.billableDayMinHours != defaults.billableDayMinHours {
            fields.append(("billable_day_min_hours", number(policy.billableDayMinHours)))
        }
        if policy.minDaysPerWeek != defaults.minDaysPerWeek {
            fields.append(("min_days_per_week", number(policy.minDaysPerWeek)))
        }
        if let most = policy.maxDaysPerWeek { fields.append(("max_days_per_week", number(most))) }
        if let cap = policy.maxHoursPerDay { fields.append(("max_hours_per_day", number(cap))) }
        if policy.minHoursPerWeek != defaults.minHoursPerWeek {
            fields.append(("min_hours_per_week", number(policy.minHoursPerWeek)))
        }
        if policy.maxHoursPerWeek != defaults.maxHoursPerWeek {
            fields.append(("max_hours_per_week", number(policy.maxHoursPerWeek)))
        }
        if let ratio = policy.twoFacilitatorsOver { fields.append(("two_facilitators_over", number(ratio))) }
        let levels = policy.levelsOfCare.sorted { $0.key < $1.key }.map { ($0.key.rawValue, flow(dayRules($0.value))) }
        if !levels.isEmpty { fields.append(("levels_of_care", mapping(levels))) }
        return fields
    }

    private static func dayRules(_ rules: DayRules) -> [(String, Node)] {
        var fields: [(String, Node)] = []
        if let value = rules.minDaysPerWeek { fields.append(("min_days_per_week", number(value))) }
        if let value = rules.maxDaysPerWeek { fields.append(("max_days_per_week", number(value))) }
        if let value = rules.billableDayMinHours { fields.append(("billable_day_min_hours", number(value))) }
        if let value = rules.maxHoursPerDay { fields.append(("max_hours_per_day", number(value))) }
        return fields
    }

    private static func track(_ track: Track) -> Node {
        var fields: [(String, Node)] = [("id", text(track.id.rawValue))]
        if let value = track.minHoursPerWeek { fields.append(("min_hours_per_week", number(value))) }
        if let value = track.maxHoursPerWeek { fields.append(("max_hours_per_week", number(value))) }
        if let value = track.maxDaysPerWeek { fields.append(("max_days_per_week", number(value))) }
        return flow(fields)
    }

    // MARK: Groups and offerings

    private static func group(_ group: Group) -> Node {
        var fields: [(String, Node)] = [("id", text(group.id.rawValue))]
        if group.kind != "group" { fields.append(("kind", text(group.kind))) }
        fields.append(("capacity", number(group.capacity)))
        if let value = group.minParticipants { fields.append(("min_participants", number(value))) }
        if !group.requires.isEmpty { fields.append(("requires", flowList(group.requires))) }
        if !group.requiresAny.isEmpty { fields.append(("requires_any", flowList(group.requiresAny))) }
        if !group.tracks.isEmpty { fields.append(("tracks", flowList(group.tracks.map(\.rawValue)))) }
        if group.facilitatorsPerSection != 1 {
            fields.append(("facilitators_per_section", number(group.facilitatorsPerSection)))
        }
        if !group.oneLeaderRequires.isEmpty {
            fields.append(("one_leader_requires", flowList(group.oneLeaderRequires)))
        }
        if let ratio = group.twoFacilitatorsOver { fields.append(("two_facilitators_over", number(ratio))) }
        if !group.rooms.isEmpty { fields.append(("rooms", flowList(group.rooms.map(\.rawValue)))) }
        if !group.onceADay { fields.append(("once_a_day", text("false"))) }
        if !group.cancelled.isEmpty { fields.append(("cancelled", flow(group.cancelled.map(absence)))) }
        return flow(fields)
    }

    private static func offering(_ offering: Offering, program: Program) -> Node {
        var fields: [(String, Node)] = [("group", text(offering.group.rawValue))]
        if offering.days != program.days { fields.append(("days", flowList(offering.days.map(\.rawValue)))) }
        fields.append(("blocks", flowList(offering.blocks.map(\.rawValue))))
        if offering.sections != 1 { fields.append(("sections", number(offering.sections))) }
        if !offering.facilitators.isEmpty {
            fields.append(("facilitators", flowList(offering.facilitators.map(\.rawValue))))
        }
        if !offering.rooms.isEmpty { fields.append(("rooms", flowList(offering.rooms.map(\.rawValue)))) }
        return flow(fields)
    }

    // MARK: People

    private static func facilitator(_ facilitator: Facilitator) -> Node {
        var fields: [(String, Node)] = [("id", text(facilitator.id.rawValue))]
        if !facilitator.credentials.isEmpty {
            fields.append(("credentials", flowList(facilitator.credentials.sorted())))
        }
        if let available = availability(facilitator.available) { fields.append(("available", available)) }
        if !facilitator.absences.isEmpty { fields.append(("absent", flow(facilitator.absences.map(absence)))) }
        var limits: [(String, Node)] = []
        if let value = facilitator.maxSessionsPerDay { limits.append(("per_day", number(value))) }
        if let value = facilitator.maxSessionsPerWeek { limits.append(("per_week", number(value))) }
        if !limits.isEmpty { fields.append(("max_sessions", flow(limits))) }
        if !facilitator.prefers.isEmpty { fields.append(("prefers", flowList(facilitator.prefers.map(\.rawValue)))) }
        if let co = facilitator.coLeads {
            fields.append(
                (
                    "co_leads",
                    flow([("groups", flowList(co.groups.map(\.rawValue))), ("sessions", number(co.sessions))])
                ))
        }
        return flow(fields)
    }

    private static func client(_ client: Client, program: Program) -> Node {
        var fields: [(String, Node)] = [("id", text(client.id.rawValue))]
        if let name = client.preferredName { fields.append(("preferred_name", quoted(name))) }
        fields.append(("track", text(client.track.rawValue)))
        if let date = client.admitted { fields.append(("admitted", text(date.description))) }
        if let date = client.dischargePlanned { fields.append(("discharge_planned", text(date.description))) }
        if let available = availability(client.available) { fields.append(("available", available)) }
        if !client.plan.isEmpty {
            fields.append(
                ("plan", flow(client.plan.sorted { $0.key < $1.key }.map { ($0.key.rawValue, number($0.value)) })))
        }
        if let authorization = client.authorization {
            fields.append(("authorization", self.authorization(authorization)))
        }
        if let hours = client.weeklyHoursOverride {
            fields += [
                ("min_hours_per_week", number(hours.lowerBound)), ("max_hours_per_week", number(hours.upperBound)),
            ]
        }
        if !client.keepApart.isEmpty { fields.append(("keep_apart", flowList(client.keepApart.map(\.rawValue)))) }
        if !client.lastWeek.isEmpty {
            fields.append(
                (
                    "last_week",
                    flow(client.lastWeek.sorted { $0.key < $1.key }.map { ($0.key.rawValue, text($0.value.rawValue)) })
                ))
        }
        if !client.preferredDays.isEmpty {
            fields.append(("prefers_days", flowList(client.preferredDays.map(\.rawValue))))
        }
        if let clinician = client.clinician { fields.append(("clinician", text(clinician.rawValue))) }
        if !client.absences.isEmpty { fields.append(("absent", flow(client.absences.map(absence)))) }
        if let most = client.maxDaysPerWeek { fields.append(("max_days_per_week", number(most))) }
        if let cap = client.maxHoursPerDay { fields.append(("max_hours_per_day", number(cap))) }
        if client.needsAccessibleRoom { fields.append(("needs_accessible_room", text("true"))) }
        if !client.barred.isEmpty {
            fields.append(
                (
                    "barred",
                    flow(
                        client.barred.map { bar in
                            switch bar {
                            case .group(let group): text(group.rawValue)
                            case .slot(let slot): slotRef(slot)
                            }
                        })
                ))
        }
        if !client.pinned.isEmpty { fields.append(("pinned", flow(client.pinned.map(slotRef)))) }
        return mapping(fields)
    }

    private static func authorization(_ authorization: Authorization) -> Node {
        var fields: [(String, Node)] = [
            ("payer", quoted(authorization.payer)), ("number", quoted(authorization.number)),
            ("from", text(authorization.from.description)), ("to", text(authorization.to.description)),
        ]
        if authorization.levelOfCare != .iop {
            fields.append(("level_of_care", text(authorization.levelOfCare.rawValue)))
        }
        switch authorization.approved {
        case .days(let days): fields.append(("approved_days", number(days)))
        case .hours(let hours): fields.append(("approved_hours", number(hours)))
        case nil: break
        }
        if let value = authorization.minHoursPerWeek { fields.append(("min_hours_per_week", number(value))) }
        if let value = authorization.maxHoursPerWeek { fields.append(("max_hours_per_week", number(value))) }
        return flow(fields + dayRules(authorization.days))
    }

    private static func lock(_ lock: SessionLock) -> Node {
        flow([
            ("group", text(lock.slot.group.rawValue)), ("day", text(lock.slot.day.rawValue)),
            ("block", text(lock.slot.block.rawValue)),
            ("section", number(lock.section)), ("room", text(lock.room.rawValue)),
            ("facilitators", flowList(lock.facilitators.map(\.rawValue))),
            ("members", flowList(lock.members.map(\.rawValue))),
        ])
    }

    private static func weights(_ weights: Weights) -> [(String, Node)] {
        let defaults = Weights()
        return ScenarioKeys.weights.compactMap { key, field in
            weights[keyPath: field] == defaults[keyPath: field] ? nil : (key, number(weights[keyPath: field]))
        }
    }

    // MARK: Values

    /// Nil when always available (the default).
    private static func availability(_ availability: Availability) -> Node? {
        guard availability != .always else { return nil }
        return flow(
            Weekday.allCases.compactMap { day in
                guard let blocks = availability.days[day] else { return nil }
                return (day.rawValue, blocks.map { flowList($0.map(\.rawValue).sorted()) } ?? text("all"))
            })
    }

    private static func absence(_ absence: Absence) -> Node {
        if absence.from == absence.to, absence.blocks == nil { return text(absence.from.description) }
        var fields: [(String, Node)] = [("from", text(absence.from.description))]
        if absence.to != absence.from { fields.append(("to", text(absence.to.description))) }
        if let blocks = absence.blocks { fields.append(("blocks", flowList(blocks.map(\.rawValue).sorted()))) }
        return flow(fields)
    }

    private static func slotRef(_ slot: SlotRef) -> Node {
        flow([
            ("group", text(slot.group.rawValue)), ("day", text(slot.day.rawValue)),
            ("block", text(slot.block.rawValue)),
        ])
    }

    private static func text(_ value: String) -> Node { Node(value, Tag(.str), .plain) }
    private static func quoted(_ value: String) -> Node { Node(value, Tag(.str), .doubleQuoted) }
    private static func number(_ value: Int) -> Node { Node(String(value), Tag(.int), .plain) }
    private static func number(_ value: Double) -> Node { Node(value.compact, Tag(.float), .plain) }
    private static func mapping(_ fields: [(String, Node)]) -> Node {
        .mapping(Node.Mapping(fields.map { (text($0.0), $0.1) }, Tag(.map), .block))
    }
    private static func flow(_ fields: [(String, Node)]) -> Node {
        .mapping(Node.Mapping(fields.map { (text($0.0), $0.1) }, Tag(.map), .flow))
    }
    private static func list(_ items: [Node]) -> Node { .sequence(Node.Sequence(items, Tag(.seq), .block)) }
    private static func flow(_ items: [Node]) -> Node { .sequence(Node.Sequence(items, Tag(.seq), .flow)) }
    private static func flowList(_ items: [String]) -> Node { flow(items.map(text)) }
}
