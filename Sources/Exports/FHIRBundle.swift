import Crypto
import Foundation
import IOPDomain
import OperationsRecord

/// A week's roster as a FHIR R4 `Bundle` of type `collection`, for the EHR.
///
/// Per session: a `Schedule` (its facilitators and room) with one `Slot`, and an
/// `Appointment` whose participants are every member (`Patient`), facilitator
/// (`Practitioner`) and the room (`Location`); its status and each member's come from the
/// attendance recorded. An `Encounter` for each member who attended. A `Group` holds the
/// week's census. People and rooms are named by the program's IDs only (as identifiers);
/// no name, no clinical detail. Every resource's `id` is a UUID derived from the program,
/// the week and what it stands for, so the same week exported again has the same ids, and
/// every reference is the `urn:uuid:` of an entry in the bundle.
public struct FHIRBundle: Sendable {
    public let scenario: Scenario
    public let roster: Roster
    /// Attendance recorded for the roster's sessions; sessions without any are `booked`.
    public let attendance: [AttendanceEntry]

    public init(scenario: Scenario, roster: Roster, attendance: [AttendanceEntry] = []) {
        self.scenario = scenario
        self.roster = roster
        self.attendance = attendance.of(roster)
    }

    /// The bundle as JSON (sorted keys, two-space indent as Foundation writes it).
    public func json(stamp: Date = Date()) -> String {
        let object: [String: Any] = [
            "resourceType": "Bundle", "id": uuid("bundle", "\(roster.weekOf)"), "type": "collection",
            "timestamp": Self.instant(stamp),
            "entry": resources().map { ["fullUrl": "urn:uuid:" + ($0["id"] as? String ?? ""), "resource": $0] },
        ]
        let data =
            (try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Every resource of the bundle: the people and rooms first, then each session's.
    func resources() -> [[String: Any]] {
        let sessions = roster.sessions.sorted { ($0.date, $0.start, $0.id) < ($1.date, $1.start, $1.id) }
        let clients = Set(scenario.clients.map(\.id)).union(sessions.flatMap(\.members)).sorted()
        let facilitators = Set(sessions.flatMap(\.facilitators)).sorted()
        let rooms = Set(sessions.map(\.room)).sorted()
        var resources: [[String: Any]] = clients.map(patient) + facilitators.map(practitioner) + rooms.map(location)
        resources.append(census(clients))
        let entries = Dictionary(grouping: attendance, by: \.session)
        for session in sessions {
            let recorded = Dictionary(
                (entries[session.id] ?? []).map { ($0.client, $0) }, uniquingKeysWith: { _, last in last })
            resources += [schedule(session), slot(session), appointment(session, recorded)]
            resources += session.members.sorted().compactMap { member in
                recorded[member].flatMap { $0.status.attended ? encounter(session, $0) : nil }
            }
        }
        return resources
    }

    // MARK: People, rooms and the census

    private func patient(_ id: ClientID) -> [String: Any] {
        [
            "resourceType": "Patient", "id": uuid("client", id.rawValue),
            "identifier": identifier("client", id.rawValue),
            "active": true,
        ]
    }

    private func practitioner(_ id: FacilitatorID) -> [String: Any] {
        var resource: [String: Any] = [
            "resourceType": "Practitioner", "id": uuid("facilitator", id.rawValue),
            "identifier": identifier("facilitator", id.rawValue), "active": true,
        ]
        let credentials = scenario.facilitator(id)?.credentials.sorted() ?? []
        if !credentials.isEmpty { resource["qualification"] = credentials.map { ["code": ["text": $0]] } }
        return resource
    }

    private func location(_ id: RoomID) -> [String: Any] {
        [
            "resourceType": "Location", "id": uuid("room", id.rawValue), "identifier": identifier("room", id.rawValue),
            "status": "active", "mode": "instance", "name": id.rawValue,
        ]
    }

    private func census(_ clients: [ClientID]) -> [String: Any] {
        [
            "resourceType": "Group", "id": uuid("census", "\(roster.weekOf)"),
            "identifier": identifier("census", "\(roster.weekOf)"), "type": "person", "actual": true,
            "name": "\(roster.program) census, week of \(roster.weekOf)", "quantity": clients.count,
            "member": clients.map { ["entity": reference("client", $0.rawValue)] },
        ]
    }

    // MARK: Each session

    private func schedule(_ session: Session) -> [String: Any] {
        [
            "resourceType": "Schedule", "id": uuid("schedule", key(session)),
            "identifier": identifier("section", key(session)),
            "active": true, "serviceType": [["text": session.group.rawValue]],
            "actor": session.facilitators.map { reference("facilitator", $0.rawValue) } + [
                reference("room", session.room.rawValue)
            ],
            "planningHorizon": period(session),
            "comment": "\(session.group) \(session.letter), \(session.day.title) \(session.block)",
        ]
    }

    private func slot(_ session: Session) -> [String: Any] {
        var resource: [String: Any] = [
            "resourceType": "Slot", "id": uuid("slot", key(session)), "schedule": reference("schedule", key(session)),
            "status": "busy", "serviceType": [["text": session.group.rawValue]],
        ]
        resource.merge(period(session)) { _, new in new }
        return resource
    }

    /// `cancelled` when the session was recorded cancelled, `fulfilled` when a member
    /// attended, `noshow` when every member was recorded absent, `booked` otherwise. A
    /// member recorded absent or cancelled has declined; the others have accepted.
    private func appointment(_ session: Session, _ recorded: [ClientID: AttendanceEntry]) -> [String: Any] {
        let statuses = recorded.values.map(\.status)
        let status =
            if statuses.contains(.cancelled) { "cancelled" } else if statuses.contains(where: \.attended) {
                "fulfilled"
            } else if !session.members.isEmpty && recorded.count == session.members.count { "noshow" } else {
                "booked"
            }
        let members: [[String: Any]] = session.members.sorted().map { member in
            let attended = recorded[member].map(\.status.attended) ?? true
            return [
                "actor": reference("client", member.rawValue), "required": "required",
                "status": attended ? "accepted" : "declined",
            ]
        }
        let staff: [[String: Any]] = session.facilitators.map {
            [
                "actor": reference("facilitator", $0.rawValue), "required": "required", "status": "accepted",
                "type": [
                    ["coding": [["system": Self.participationType, "code": "PPRF", "display": "primary performer"]]]
                ],
            ]
        }
        let room: [String: Any] = [
            "actor": reference("room", session.room.rawValue), "required": "required",
            "status": "accepted",
        ]
        var resource: [String: Any] = [
            "resourceType": "Appointment", "id": uuid("appointment", key(session)),
            "identifier": identifier("session", key(session)), "status": status,
            "serviceType": [["text": session.group.rawValue]], "description": "\(session.group) \(session.letter)",
            "minutesDuration": session.end.minutes - session.start.minutes,
            "slot": [reference("slot", key(session))], "participant": members + staff + [room],
        ]
        resource.merge(period(session)) { _, new in new }
        return resource
    }

    private func encounter(_ session: Session, _ entry: AttendanceEntry) -> [String: Any] {
        let id = "\(key(session))/\(entry.client.rawValue)"
        return [
            "resourceType": "Encounter", "id": uuid("encounter", id), "identifier": identifier("attendance", id),
            "status": "finished",
            "class": [
                "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB",
                "display": "ambulatory",
            ],
            "serviceType": ["text": session.group.rawValue], "subject": reference("client", entry.client.rawValue),
            "participant": session.facilitators.map { ["individual": reference("facilitator", $0.rawValue)] },
            "appointment": [reference("appointment", key(session))], "period": period(session),
            "length": ["value": entry.minutes, "unit": "min", "system": "http://unitsofmeasure.org", "code": "min"],
            "location": [["location": reference("room", session.room.rawValue)]],
        ]
    }

    // MARK: Identity

    private static let participationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"

    /// A session of this week: its ID repeats from week to week, so the week is part of it.
    private func key(_ session: Session) -> String { "\(roster.weekOf)/\(session.id)" }

    private func period(_ session: Session) -> [String: Any] {
        let clock = ProgramClock(scenario.program)
        return [
            "start": Self.instant(clock.moment(session.date, session.start)),
            "end": Self.instant(clock.moment(session.date, session.end)),
        ]
    }

    private func identifier(_ kind: String, _ value: String) -> [[String: Any]] {
        [["system": "urn:iop-scheduler:\(ProgramClock.slug(roster.program)):\(kind)", "value": value]]
    }

    private func reference(_ kind: String, _ value: String) -> [String: Any] {
        ["reference": "urn:uuid:" + uuid(kind, value)]
    }

    /// A name-based UUID (RFC 9562 version 5, SHA-1) of the program, `kind` and `value`.
    func uuid(_ kind: String, _ value: String) -> String {
        var bytes = Array(Insecure.SHA1.hash(data: Self.namespace + Data("\(roster.program)/\(kind)/\(value)".utf8)))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.prefix(16).map { String(format: "%02x", $0) }.joined()
        let parts = [
            hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4),
            hex.dropFirst(16).prefix(4), hex.dropFirst(20),
        ]
        return parts.joined(separator: "-")
    }

    /// The URL namespace of RFC 9562 (6ba7b811-9dad-11d1-80b4-00c04fd430c8).
    private static let namespace = Data([
        0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
    ])

    private static func instant(_ date: Date) -> String { ProgramClock.utc(date, "yyyy-MM-dd'T'HH:mm:ss'Z'") }
}
