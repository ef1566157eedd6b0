import Foundation
import IOPDomain
import Yams

/// Loads an events file (YAML or JSON) against the scenario it changes, reporting every
/// mistake at once like a scenario file: file, line, key path, what was expected.
///
/// ```yaml
/// events:
///   - at: 2026-12-09T07:00
///     facilitator_absence: {facilitator: f-lee, from: 2026-12-09}
///   - at: 2026-12-09T07:30
///     admission: {id: c-2000, track: adult, plan: {process: 3}}
/// ```
public enum EventsLoader {
    public static func load(path: String, for scenario: Scenario) throws(ScenarioError) -> [Event] {
        try loadWithSources(path: path, for: scenario).map(\.event)
    }

    /// ``parseWithSources(_:file:for:)`` of the file at `path`.
    public static func loadWithSources(path: String, for scenario: Scenario) throws(ScenarioError) -> [(
        event: Event, source: String
    )] {
        try parseWithSources(try ScenarioLoader.text(of: path), file: path, for: scenario)
    }

    public static func parse(_ text: String, file: String, for scenario: Scenario) throws(ScenarioError) -> [Event] {
        try parseWithSources(text, file: file, for: scenario).map(\.event)
    }

    /// The events of a file, each with a one-event events document of its own that
    /// ``replay(_:on:)`` reads back, for a record to keep. An admission's preferred name is
    /// left out of it: records keep IDs, not names.
    public static func parseWithSources(
        _ text: String, file: String,
        for scenario: Scenario
    ) throws(ScenarioError) -> [(event: Event, source: String)] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ScenarioError(issues: [ScenarioLoader.syntaxIssue(error, file: file, text: text)], unreadable: false)
        } catch {
            throw ScenarioError(
                issues: [ScenarioIssue(file: file, line: 0, column: 0, path: "", message: "not valid YAML or JSON")],
                unreadable: false)
        }
        guard let root else {
            throw ScenarioError(
                issues: [
                    ScenarioIssue(
                        file: file, line: 0, column: 0, path: "",
                        message: "the file is empty; expected a key 'events' with a list")
                ], unreadable: false)
        }
        let decoded = decode(root, file: file, for: scenario)
        guard decoded.issues.isEmpty else {
            throw ScenarioError(
                issues: decoded.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) }, unreadable: false)
        }
        return decoded.events
    }

    /// One event given as its kind and plain fields (a command's options, `[("client",
    /// "c-101"), ("group", "dbt")]`), read as an events file's would be.
    public static func single(
        _ kind: String, _ fields: [(String, String)], at moment: DateTime, label: String,
        for scenario: Scenario
    ) throws(ScenarioError) -> [(event: Event, source: String)] {
        try single(kind, fields.map { ($0.0, [$0.1]) }, lists: [], at: moment, label: label, for: scenario)
    }

    /// ``single(_:_:at:label:for:)`` with some keys' values given as lists (`lists` names them).
    public static func single(
        _ kind: String, _ fields: [(String, [String])], lists: Set<String>, at moment: DateTime, label: String,
        for scenario: Scenario
    ) throws(ScenarioError) -> [(event: Event, source: String)] {
        let values = fields.map { key, values in
            (
                Node(key),
                lists.contains(key) ? Node.sequence(Node.Sequence(values.map { Node($0) })) : Node(values.first ?? "")
            )
        }
        let event = Node.mapping(
            Node.Mapping([
                (Node("at"), Node(moment.description)),
                (Node(kind), .mapping(Node.Mapping(values))),
            ]))
        let decoded = decode(
            .mapping(Node.Mapping([(Node("events"), .sequence(Node.Sequence([event])))])), file: label, for: scenario)
        guard decoded.issues.isEmpty else { throw ScenarioError(issues: decoded.issues, unreadable: false) }
        return decoded.events
    }

    /// The events of a composed events document with their sources, or every issue found.
    static func decode(_ root: Node, file: String, for scenario: Scenario) -> (
        events: [(event: Event, source: String)], issues: [ScenarioIssue]
    ) {
        let reader = NodeReader(file: file)
        let events = EventsDecoder(reader: reader, scenario: scenario).decode(root)
        guard reader.issues.isEmpty else { return ([], reader.issues) }
        // Without issues every item decoded, in order.
        let items = root.mapping?["events"]?.sequence.map(Array.init) ?? []
        return (zip(events, items).map { event, item in (event, source(of: item)) }, [])
    }

    /// The scenario after events kept as sources (``parseWithSources(_:file:for:)``): each
    /// is read against the scenario the ones entered before it made (a client admitted
    /// earlier is known), then all apply in order of their moments.
    public static func replay(_ sources: [String], on scenario: Scenario) throws(ScenarioError) -> Scenario {
        try replayed(sources, on: scenario).scenario
    }

    /// ``replay(_:on:)``, with the events each source gave, in the order of the sources.
    public static func replayed(_ sources: [String], on scenario: Scenario) throws(ScenarioError) -> (
        scenario: Scenario, events: [[Event]]
    ) {
        var current = scenario
        var all: [[Event]] = []
        for (n, source) in sources.enumerated() {
            let events = try parse(source, file: "recorded event \(n + 1)", for: current)
            all.append(events)
            current = current.applying(events)
        }
        return (scenario.applying(all.flatMap { $0 }), all)
    }

    private static func source(of item: Node) -> String {
        var item = item
        if var body = item.mapping?["admission"]?.mapping {
            body["preferred_name"] = nil
            item.mapping?["admission"] = .mapping(body)
        }
        let document = Node.mapping(Node.Mapping([(Node("events"), Node.sequence(Node.Sequence([item])))]))
        return (try? Yams.serialize(node: document)) ?? ""
    }
}

/// One event a mapping: `at` and exactly one kind key.
struct EventsDecoder {
    let reader: NodeReader
    let scenario: Scenario
    private var scenarioDecoder: ScenarioDecoder {
        ScenarioDecoder(reader: reader, declaredBlocks: Set(scenario.program.blocks.map(\.id.rawValue)))
    }

    static let kinds = ScenarioKeys.events.map(\.kind)

    func decode(_ root: Node) -> [Event] {
        guard let top = reader.fields(root, "", allowed: ["events"], required: ["events"]),
            let list = reader.sequence(top["events"], "events")
        else { return [] }
        let admissions = list.compactMap { $0.0.mapping?["admission"]?.mapping?["id"] }
        var seen = Set<String>()
        for node in admissions {
            if let id = node.scalar?.string, !seen.insert(id).inserted {
                reader.report(
                    node, "events", "client \(NodeReader.quoted(id)) is admitted twice; expected one admission each")
            }
        }
        let admitted = admissions.compactMap(\.scalar?.string).map { ClientID($0) }
        let clients = Set(scenario.clients.map(\.id) + admitted)
        return list.compactMap { decodeEvent($0.0, $0.1, clients: clients) }
    }

    private func decodeEvent(_ node: Node, _ path: String, clients: Set<ClientID>) -> Event? {
        guard let fields = reader.fields(node, path, allowed: ["at"] + Self.kinds, required: ["at"]) else { return nil }
        let kinds = Self.kinds.filter { fields[$0] != nil }
        guard kinds.count == 1, let kind = kinds.first, let body = fields[kind] else {
            reader.report(
                node, path,
                "expected exactly one of: \(Self.kinds.joined(separator: ", ")); found \(kinds.isEmpty ? "none" : kinds.joined(separator: ", "))"
            )
            return nil
        }
        let at = at(fields)
        let change = decodeChange(kind, body, fields.path(kind), clients: clients)
        guard let at, let change else { return nil }
        return Event(at: at, change: change)
    }

    private func at(_ fields: Fields) -> DateTime? {
        guard let text = reader.string(fields["at"], fields.path("at")) else { return nil }
        guard let moment = DateTime(iso: text) else {
            reader.report(
                fields["at"], fields.path("at"),
                "expected a date and time YYYY-MM-DDTHH:MM, found '\(NodeReader.quoted(text))'")
            return nil
        }
        let first = scenario.program.weekOf
        let last = first.adding(days: 6)
        guard moment.date >= first.adding(days: -7), moment.date <= last else {
            reader.report(
                fields["at"], fields.path("at"),
                "expected a time up to the end of the week of \(first); found \(moment)")
            return nil
        }
        return moment
    }

    private func decodeChange(_ kind: String, _ node: Node, _ path: String, clients: Set<ClientID>) -> Event.Change? {
        let program = scenario.program
        let facilitators = Set(scenario.facilitators.map(\.id))
        switch kind {
        case "admission":
            let id = node.mapping?["id"]?.scalar?.string
            if let id, scenario.clients.contains(where: { $0.id.rawValue == id }) {
                reader.report(
                    node.mapping?["id"], "\(path).id",
                    "client \(NodeReader.quoted(id)) is already in the census; expected a new ID")
                return nil
            }
            return scenarioDecoder.decodeClient(
                node, path, program: program, groups: scenario.groups, clients: clients,
                facilitators: facilitators
            ).map(Event.Change.admission)
        case "discharge":
            guard
                let fields = reader.fields(
                    node, path, allowed: ScenarioKeys.event(kind), required: ["client", "last_day"])
            else { return nil }
            let client = scenarioDecoder.reference(fields, "client", in: clients)
            let day = reader.date(fields["last_day"], fields.path("last_day"))
            guard let client, let day else { return nil }
            return .discharge(client, lastDay: day)
        case "step_down":
            guard let fields = reader.fields(node, path, allowed: ScenarioKeys.event(kind), required: ["client"]) else {
                return nil
            }
            let client = scenarioDecoder.reference(fields, "client", in: clients)
            let hours = scenarioDecoder.hourRange(fields, minKey: "min_hours_per_week", maxKey: "max_hours_per_week")
            let day = fields["last_day"].flatMap { reader.date($0, fields.path("last_day")) }
            guard let client else { return nil }
            let range: ClosedRange<Double>? =
                switch (hours?.min, hours?.max) {
                case (let low?, let high?) where low <= high: low...high
                case (let low?, nil): low...max(low, scenario.program.policy.maxHoursPerWeek)
                case (nil, let high?): min(high, scenario.program.policy.minHoursPerWeek)...high
                default: nil
                }
            return .stepDown(client, hours: range, lastDay: day)
        case "step_up":
            guard let fields = reader.fields(node, path, allowed: ScenarioKeys.event(kind), required: ["client"]),
                let client = scenarioDecoder.reference(fields, "client", in: clients)
            else { return nil }
            return .stepUp(client)
        case "facilitator_absence", "client_absence", "room_unavailable", "group_cancelled":
            let key =
                switch kind {
                case "facilitator_absence": "facilitator"
                case "client_absence": "client"
                case "room_unavailable": "room"
                default: "group"
                }
            guard let fields = reader.fields(node, path, allowed: ScenarioKeys.event(kind), required: [key, "from"])
            else { return nil }
            let absence = scenarioDecoder.absence(absenceNode(fields), path, program: program)
            switch key {
            case "facilitator":
                guard let id = scenarioDecoder.reference(fields, key, in: facilitators), let absence else { return nil }
                return .facilitatorAbsence(id, absence)
            case "client":
                guard let id = scenarioDecoder.reference(fields, key, in: clients), let absence else { return nil }
                return .clientAbsence(id, absence)
            case "room":
                guard let id = scenarioDecoder.reference(fields, key, in: Set(program.rooms.map(\.id))), let absence
                else { return nil }
                return .roomUnavailable(id, absence)
            default:
                guard let id = scenarioDecoder.reference(fields, key, in: Set(scenario.groups.map(\.id))), let absence
                else { return nil }
                return .groupCancelled(id, absence)
            }
        case "client_availability", "facilitator_availability":
            let key = kind == "client_availability" ? "client" : "facilitator"
            guard
                let fields = reader.fields(
                    node, path, allowed: ScenarioKeys.event(kind), required: [key, "available"]),
                let available = fields["available"].flatMap({
                    scenarioDecoder.availability($0, fields.path("available"), program: program)
                })
            else { return nil }
            if key == "client" {
                return scenarioDecoder.reference(fields, key, in: clients).map { .clientAvailability($0, available) }
            }
            return scenarioDecoder.reference(fields, key, in: facilitators).map {
                .facilitatorAvailability($0, available)
            }
        case "pin", "bar":
            guard
                let fields = reader.fields(
                    node, path, allowed: ScenarioKeys.event(kind),
                    required: kind == "pin" ? ["client"] + ScenarioKeys.slotRef : ["client", "group"]),
                let client = scenarioDecoder.reference(fields, "client", in: clients)
            else { return nil }
            let rest = Node.mapping(
                Node.Mapping(
                    fields.values.filter { $0.key != "client" }
                        .sorted { $0.key < $1.key }.map { (Node($0.key), $0.value) }, Tag(.map), .block,
                    fields.node.mark))
            if kind == "bar", fields["day"] == nil, fields["block"] == nil {
                return scenarioDecoder.reference(fields, "group", in: Set(scenario.groups.map(\.id))).map {
                    .bar(client, .group($0))
                }
            }
            guard let slot = scenarioDecoder.slotRef(rest, path, program: program, groups: scenario.groups) else {
                return nil
            }
            return kind == "pin" ? .pin(client, slot) : .bar(client, .slot(slot))
        case "lock":
            return scenarioDecoder.decodeLock(
                node, path, program: program, groups: scenario.groups, facilitators: facilitators, clients: clients
            )
            .map { .lock($0) }
        default:  // authorization
            guard let fields = reader.fields(node, path, allowed: ScenarioKeys.event(kind), required: ["client"]),
                let client = scenarioDecoder.reference(fields, "client", in: clients)
            else { return nil }
            if fields["denied"]?.scalar?.string == "true" { return .authorization(client, nil) }
            let rest = Node.mapping(
                Node.Mapping(
                    fields.values.filter { $0.key != "client" && $0.key != "denied" }
                        .sorted { $0.key < $1.key }.map { (Node($0.key), $0.value) }, Tag(.map), .block,
                    fields.node.mark))
            return scenarioDecoder.decodeAuthorization(rest, path).map { .authorization(client, $0) }
        }
    }

    /// The absence keys of an event body as their own mapping.
    private func absenceNode(_ fields: Fields) -> Node {
        .mapping(
            Node.Mapping(
                ScenarioKeys.absence.compactMap { key in fields[key].map { (Node(key), $0) } }, Tag(.map), .block,
                fields.node.mark))
    }
}
