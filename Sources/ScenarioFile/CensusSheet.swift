import CSV
import IOPDomain
import Yams

/// A census exported from the EHR as CSV, one row per client, read against the week as it
/// stands into the events that bring the week to it: a client not yet in the week is an
/// admission; for one already in it, a new authorization (number, window, level or hours)
/// is an `authorization` event and an earlier planned discharge a `discharge` event. Each
/// row is checked as the events file would be, and every problem is reported at once by
/// row and column. Client names are not a column: they stay in the EHR.
///
/// ```csv
/// client_id,track,admitted,planned_discharge,payer,authorization,authorized_from,authorized_to,level_of_care,min_hours,max_hours,plan,clinician,keep_apart
/// c-201,adult,2026-12-09,2027-01-22,acme,A-4410,2026-12-09,2026-12-22,IOP,9,12,process:3;dbt:1,f-lee,c-105
/// ```
public enum CensusSheet {
    /// The columns a census may have, in any order; `client_id` and `track` are required.
    public static let columns = [
        "client_id", "track", "admitted", "planned_discharge", "payer", "authorization",
        "authorized_from", "authorized_to", "level_of_care", "min_hours", "max_hours", "plan",
        "clinician", "keep_apart",
    ]
    static let required = ["client_id", "track"]
    /// The authorization's key for each column that gives part of it.
    static let authorizationKeys: [(column: String, key: String)] = [
        ("payer", "payer"), ("authorization", "number"), ("authorized_from", "from"), ("authorized_to", "to"),
        ("level_of_care", "level_of_care"), ("min_hours", "min_hours_per_week"), ("max_hours", "max_hours_per_week"),
    ]

    /// What a census says against the week.
    public struct Reading: Sendable {
        /// The events that bring the week to the census, each with its one-event source.
        public let events: [(event: Event, source: String)]
        /// Clients the census lists as the week already has them.
        public let unchanged: [ClientID]
        /// Clients in the week the census does not list (still in the record: a discharge is
        /// an event or a planned discharge date).
        public let notListed: [ClientID]
        /// What the census says differently that no event can carry, by client.
        public let notApplied: [String]
    }

    public static func parse(_ text: String, file: String, week: Scenario, at moment: DateTime) throws(ScenarioError)
        -> Reading
    {
        let rows = try read(text, file: file)
        guard let header = rows.first else {
            throw ScenarioError(
                issues: [
                    issue(file, 1, 0, "", "the file is empty; expected the header \(columns.joined(separator: ","))")
                ], unreadable: false)
        }
        var issues: [ScenarioIssue] = []
        for (index, name) in header.enumerated() where !columns.contains(name) {
            issues.append(
                issue(
                    file, 1, index + 1, name,
                    "unknown column '\(NodeReader.quoted(name))'; expected some of: \(columns.joined(separator: ", "))")
            )
        }
        for name in required where !header.contains(name) {
            issues.append(issue(file, 1, 0, name, "the column \(name) is required"))
        }
        for (index, name) in header.enumerated() where header.firstIndex(of: name) != index {
            issues.append(issue(file, 1, index + 1, name, "the column \(name) appears twice"))
        }
        guard issues.isEmpty else { throw ScenarioError(issues: issues, unreadable: false) }

        // Each row as an event, in one events document, so admissions may name each other.
        var items: [Node] = []
        var origins: [(row: Int, client: ClientID)] = []
        var seen: [String: Int] = [:]
        var notApplied: [String] = []
        for (offset, fields) in rows.enumerated().dropFirst() where !fields.allSatisfy(\.isEmpty) {
            let number = offset + 1
            guard fields.count == header.count else {
                issues.append(issue(file, number, 0, "", "expected \(header.count) fields, found \(fields.count)"))
                continue
            }
            let cells = Dictionary(uniqueKeysWithValues: zip(header, fields)).filter { !$0.value.isEmpty }
            // Every cell is an ID, a code, a date or a number: one with spaces may be a name,
            // and is not repeated.
            let wordy = header.filter { name in
                let cell = cells[name] ?? ""
                let pieces =
                    switch name {
                    case "plan":
                        list(cell).flatMap { $0.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) } }
                    case "keep_apart": list(cell)
                    default: [cell]
                    }
                return pieces.contains {
                    $0.contains(where: \.isWhitespace)
                        || $0.unicodeScalars.contains { $0.properties.generalCategory == .control }
                }
            }
            guard wordy.isEmpty else {
                for name in wordy {
                    issues.append(
                        issue(
                            file, number, column(name, header), name,
                            "expected an ID, a code, a date or a number; found text with spaces (not repeated here)"))
                }
                continue
            }
            guard let id = cells["client_id"] else {
                issues.append(issue(file, number, column("client_id", header), "client_id", "expected a client ID"))
                continue
            }
            if let first = seen[id] {
                issues.append(
                    issue(
                        file, number, column("client_id", header), "client_id",
                        "client '\(NodeReader.quoted(id))' is listed twice (first on row \(first))"))
                continue
            }
            seen[id] = number
            let plan: Node?
            switch planNode(cells["plan"]) {
            case .success(let node): plan = node
            case .failure(let error):
                issues.append(issue(file, number, column("plan", header), "plan", error.message))
                continue
            }
            let moment = scalar(moment.description)
            if let current = week.client(ClientID(id)) {
                let changes = changeItems(cells, current, at: moment)
                items += changes
                origins += Array(repeating: (number, current.id), count: changes.count)
                let differs = differences(cells, plan, current)
                if !differs.isEmpty {
                    notApplied.append(
                        "\(id): \(differs.joined(separator: ", ")) \(differs.count == 1 ? "differs" : "differ") from the week's; "
                            + "\(differs.count == 1 ? "it is" : "they are") changed in the scenario file")
                }
            } else {
                items.append(mapping([("at", moment), ("admission", admission(cells, plan))]))
                origins.append((number, ClientID(id)))
            }
        }
        let document = mapping([("events", .sequence(Node.Sequence(items)))])
        let decoded = EventsLoader.decode(document, file: file, for: week)
        issues += decoded.issues.map { located($0, origins, header) }
        guard issues.isEmpty else {
            throw ScenarioError(
                issues: issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) }, unreadable: false)
        }
        // Changes that leave the client as the week has them are not events.
        var events: [(event: Event, source: String)] = []
        var changed = Set<ClientID>()
        for (entry, origin) in zip(decoded.events, origins) {
            switch entry.event.change {
            case .admission:
                events.append(entry)
            case .authorization(_, let authorization?) where authorization == week.client(origin.client)?.authorization:
                continue
            case .discharge(let id, let day) where week.client(id)?.dischargePlanned.map({ $0 <= day }) ?? false:
                if let planned = week.client(id)?.dischargePlanned, planned < day {
                    notApplied.append(
                        "\(id): a planned discharge later than the week's \(planned) is changed in the scenario file")
                }
            default:
                events.append(entry)
                changed.insert(origin.client)
            }
        }
        let listed = Set(seen.keys)
        let notListed = week.clients.filter { client in
            !listed.contains(client.id.rawValue) && (client.dischargePlanned.map { $0 >= moment.date } ?? true)
        }
        let unchanged = week.clients.map(\.id).filter { listed.contains($0.rawValue) && !changed.contains($0) }
        return Reading(
            events: events, unchanged: unchanged.sorted(), notListed: notListed.map(\.id).sorted(),
            notApplied: notApplied)
    }

    // MARK: Rows to event nodes

    private static func admission(_ cells: [String: String], _ plan: Node?) -> Node {
        var pairs: [(String, Node)] = [
            ("id", scalar(cells["client_id"] ?? "")), ("track", scalar(cells["track"] ?? "")),
        ]
        if let admitted = cells["admitted"] { pairs.append(("admitted", scalar(admitted))) }
        if let last = cells["planned_discharge"] { pairs.append(("discharge_planned", scalar(last))) }
        if let plan { pairs.append(("plan", plan)) }
        if let authorization = authorizationNode(cells) { pairs.append(("authorization", authorization)) }
        if let clinician = cells["clinician"] { pairs.append(("clinician", scalar(clinician))) }
        if let apart = cells["keep_apart"] {
            pairs.append(("keep_apart", .sequence(Node.Sequence(list(apart).map(scalar)))))
        }
        return mapping(pairs)
    }

    /// The events a row gives for a client the week has: a new authorization, a discharge.
    private static func changeItems(_ cells: [String: String], _ current: Client, at moment: Node) -> [Node] {
        var items: [Node] = []
        if let authorization = authorizationNode(cells), case .mapping(let body) = authorization {
            items.append(
                mapping([
                    ("at", moment),
                    (
                        "authorization",
                        mapping(
                            [("client", scalar(current.id.rawValue))] + body.map { ($0.key.string ?? "", $0.value) })
                    ),
                ]))
        }
        if let last = cells["planned_discharge"] {
            items.append(
                mapping([
                    ("at", moment),
                    ("discharge", mapping([("client", scalar(current.id.rawValue)), ("last_day", scalar(last))])),
                ]))
        }
        return items
    }

    /// The columns no event carries where the row differs from the week's client.
    private static func differences(_ cells: [String: String], _ plan: Node?, _ current: Client) -> [String] {
        var differs: [String] = []
        if let track = cells["track"], track != current.track.rawValue { differs.append("track") }
        if plan != nil, let text = cells["plan"] {
            let given = Dictionary(
                list(text).compactMap { pair -> (String, Int)? in
                    let parts = pair.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
                    return parts.count == 2 ? (parts[0], Int(parts[1]) ?? -1) : nil
                }, uniquingKeysWith: { first, _ in first })
            if given != Dictionary(uniqueKeysWithValues: current.plan.map { ($0.key.rawValue, $0.value) }) {
                differs.append("plan")
            }
        }
        if let clinician = cells["clinician"], clinician != current.clinician?.rawValue { differs.append("clinician") }
        if let apart = cells["keep_apart"], Set(list(apart)) != Set(current.keepApart.map(\.rawValue)) {
            differs.append("keep_apart")
        }
        return differs
    }

    private static func authorizationNode(_ cells: [String: String]) -> Node? {
        let pairs = authorizationKeys.compactMap { entry in cells[entry.column].map { (entry.key, scalar($0)) } }
        return pairs.isEmpty ? nil : mapping(pairs)
    }

    /// `process:3;dbt:1` as a plan mapping.
    private static func planNode(_ text: String?) -> Result<Node?, PlanCellError> {
        guard let text else { return .success(nil) }
        var pairs: [(String, Node)] = []
        for pair in list(text) {
            let parts = pair.split(separator: ":", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                return .failure(PlanCellError("expected group:sessions pairs separated by ';', like process:3;dbt:1"))
            }
            pairs.append((parts[0], scalar(parts[1])))
        }
        return .success(mapping(pairs))
    }

    struct PlanCellError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    // MARK: Helpers

    private static func read(_ text: String, file: String) throws(ScenarioError) -> [[String]] {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        guard let reader = try? CSVReader(string: body, hasHeaderRow: false, trimFields: true) else {
            throw ScenarioError(issues: [issue(file, 0, 0, "", "not valid CSV")], unreadable: false)
        }
        var rows: [[String]] = []
        while let fields = reader.next() { rows.append(fields) }
        if reader.error != nil {
            throw ScenarioError(
                issues: [issue(file, rows.count + 1, 0, "", "not valid CSV (an unclosed quote?)")], unreadable: false)
        }
        return rows
    }

    /// An issue the events decoder found in a row's event, placed at the row and the column
    /// its key path came from.
    private static func located(_ found: ScenarioIssue, _ origins: [(row: Int, client: ClientID)], _ header: [String])
        -> ScenarioIssue
    {
        let index = found.path.dropFirst("events[".count).prefix { $0.isNumber }
        let row = Int(index).flatMap { origins.indices.contains($0) ? origins[$0].row : nil } ?? 0
        let key = found.path.split(separator: ".").dropFirst().dropFirst().first.map(String.init) ?? ""
        let inner = found.path.split(separator: ".").dropFirst(3).first.map(String.init)
        let name: String =
            switch key {
            case "id", "client": "client_id"
            case "discharge_planned", "last_day": "planned_discharge"
            case "authorization", "payer", "number", "from", "to", "level_of_care", "min_hours_per_week",
                "max_hours_per_week":
                authorizationKeys.first { $0.key == (inner ?? key) }?.column ?? authorizationKeys.first {
                    $0.key == key
                }?.column ?? "authorization"
            case let other where other.hasPrefix("plan"): "plan"
            case let other where other.hasPrefix("keep_apart"): "keep_apart"
            default: columns.contains(key) ? key : ""
            }
        // A key the row left empty is its column, in the sheet's words.
        if let missing = found.message.firstMatch(of: /missing required key '([a-z_]+)'/)?.output.1,
            let column = authorizationKeys.first(where: { $0.key == missing })?.column
        {
            return issue(
                found.file, row, self.column(column, header), column,
                "expected a value: an authorization needs payer, authorization, authorized_from and authorized_to")
        }
        return issue(found.file, row, column(name, header), name, found.message)
    }

    private static func column(_ name: String, _ header: [String]) -> Int { (header.firstIndex(of: name) ?? -1) + 1 }

    private static func issue(_ file: String, _ row: Int, _ column: Int, _ path: String, _ message: String)
        -> ScenarioIssue
    {
        ScenarioIssue(file: file, line: row, column: column, path: path, message: message)
    }

    private static func list(_ text: String) -> [String] {
        text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func scalar(_ text: String) -> Node { .scalar(Node.Scalar(text)) }

    private static func mapping(_ pairs: [(String, Node)]) -> Node {
        .mapping(Node.Mapping(pairs.map { (scalar($0.0), $0.1) }))
    }
}
