import IOPDomain

/// The keys each mapping of a scenario file may have. The decoder reads with these and a
/// test holds `Scenarios/scenario.schema.json` to the same lists.
enum ScenarioKeys {
    static let top = ["program", "groups", "offerings", "facilitators", "clients", "weights", "locks"]
    static let program = ["name", "week_of", "timezone", "days", "blocks", "rooms", "policy", "tracks"]
    static let block = ["id", "start", "end"]
    static let room = ["id", "capacity", "only_for", "accessible", "unavailable"]
    static let track = ["id", "min_hours_per_week", "max_hours_per_week", "max_days_per_week"]
    static let policy = [
        "min_participants", "billable_day_min_hours", "min_days_per_week", "max_days_per_week",
        "min_hours_per_week", "max_hours_per_week", "levels_of_care", "two_facilitators_over", "max_hours_per_day",
    ]
    static let dayRules = ["min_days_per_week", "max_days_per_week", "billable_day_min_hours", "max_hours_per_day"]
    static let group = [
        "id", "kind", "capacity", "min_participants", "requires", "requires_any", "tracks", "facilitators_per_section",
        "rooms", "once_a_day", "two_facilitators_over", "one_leader_requires", "cancelled",
    ]
    static let offering = ["group", "days", "blocks", "sections", "facilitators", "rooms"]
    static let facilitator = [
        "id", "name", "credentials", "available", "absent", "max_sessions", "prefers", "co_leads",
    ]
    static let maxSessions = ["per_day", "per_week"]
    static let coLeads = ["groups", "sessions"]
    static let absence = ["from", "to", "blocks"]
    static let client = [
        "id", "preferred_name", "track", "admitted", "discharge_planned", "available", "plan", "authorization",
        "keep_apart", "last_week", "prefers_days", "clinician", "absent", "max_days_per_week",
        "max_hours_per_day", "needs_accessible_room", "barred", "pinned", "min_hours_per_week", "max_hours_per_week",
    ]
    static let slotRef = ["group", "day", "block"]
    static let lock = slotRef + ["section", "room", "facilitators", "members"]
    static let authorization =
        [
            "payer", "number", "from", "to", "level_of_care", "approved_days", "approved_hours",
            "min_hours_per_week", "max_hours_per_week",
        ] + dayRules
    /// Each event kind's keys (an admission's are a client's); a test holds
    /// `Scenarios/events.schema.json` to them.
    static let events: [(kind: String, keys: [String])] = [
        ("admission", client),
        ("discharge", ["client", "last_day"]),
        ("step_down", ["client", "min_hours_per_week", "max_hours_per_week", "last_day"]),
        ("step_up", ["client"]),
        ("facilitator_absence", ["facilitator"] + absence),
        ("client_absence", ["client"] + absence),
        ("client_availability", ["client", "available"]),
        ("facilitator_availability", ["facilitator", "available"]),
        ("room_unavailable", ["room"] + absence),
        ("group_cancelled", ["group"] + absence),
        ("authorization", ["client", "denied"] + authorization),
        ("pin", ["client"] + slotRef),
        ("bar", ["client"] + slotRef),
        ("lock", lock),
    ]

    /// The keys of one event kind.
    static func event(_ kind: String) -> [String] { events.first { $0.kind == kind }?.keys ?? [] }

    // Key paths are immutable values; Swift 6.3 does not yet mark them Sendable.
    nonisolated(unsafe) static let weights: [(key: String, field: WritableKeyPath<Weights, Int>)] = [
        ("weekly_hours_short", \.weeklyHoursShort), ("billable_day_short", \.billableDayShort),
        ("days_short", \.daysShort), ("plan_session_short", \.planSessionShort),
        ("continuity_break", \.continuityBreak), ("section_opened", \.sectionOpened),
        ("busiest_load", \.busiestLoad), ("facilitator_preference", \.facilitatorPreference),
        ("client_preference", \.clientPreference), ("change_published", \.changePublished),
        ("change_later", \.changeLater), ("second_facilitator", \.secondFacilitator),
        ("co_lead_short", \.coLeadShort),
    ]
}
