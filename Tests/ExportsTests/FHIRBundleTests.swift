import Foundation
import IOPDomain
import OperationsRecord
import TestSupport
import Testing

@testable import Exports

@Suite("FHIR bundles")
struct FHIRBundleTests {
    let scenario: Scenario
    let roster: Roster

    init() throws {
        var scenario = try bundledScenario("riverbend-small.yaml")
        scenario.clients[0].preferredName = "Robin Quill"
        self.scenario = scenario
        roster = try bundledRoster("riverbend-small-published.json")
    }

    private func resources(_ bundle: FHIRBundle) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bundle.json().utf8)) as? [String: Any])
        let entries = try #require(object["entry"] as? [[String: Any]])
        return try entries.map { try #require($0["resource"] as? [String: Any]) }
    }

    private func references(in value: Any) -> [String] {
        if let object = value as? [String: Any] {
            return (object["reference"] as? String).map { [$0] } ?? object.values.flatMap(references)
        }
        if let array = value as? [Any] { return array.flatMap(references) }
        return []
    }

    @Test("one Schedule, Slot and Appointment per session, every reference an entry of the bundle")
    func structure() throws {
        let resources = try resources(FHIRBundle(scenario: scenario, roster: roster))
        let kinds = Dictionary(grouping: resources) { $0["resourceType"] as? String ?? "" }
        for kind in ["Schedule", "Slot", "Appointment"] { #expect(kinds[kind]?.count == roster.sessions.count) }
        #expect(kinds["Patient"]?.count == scenario.clients.count)
        #expect(kinds["Encounter"] == nil)
        let ids = Set(resources.compactMap { $0["id"] as? String }.map { "urn:uuid:" + $0 })
        #expect(ids.count == resources.count)
        let dangling = Set(references(in: resources)).subtracting(ids)
        #expect(dangling.isEmpty)
    }

    @Test("an appointment's participants are its members, its facilitators and its room")
    func participants() throws {
        let bundle = FHIRBundle(scenario: scenario, roster: roster)
        let session = try #require(roster.sessions.first)
        let appointment = try #require(
            try resources(bundle).first {
                $0["id"] as? String == bundle.uuid("appointment", "\(roster.weekOf)/\(session.id)")
            })
        let actors = Set(references(in: appointment["participant"] ?? []))
        let expected = Set(
            session.members.map { "urn:uuid:" + bundle.uuid("client", $0.rawValue) }
                + session.facilitators.map { "urn:uuid:" + bundle.uuid("facilitator", $0.rawValue) }
                + ["urn:uuid:" + bundle.uuid("room", session.room.rawValue)])
        #expect(actors == expected)
        #expect(appointment["status"] as? String == "booked")
    }

    @Test("attendance sets each appointment's status and its members', and each attendance is an Encounter")
    func attendance() throws {
        let session = try #require(roster.sessions.first { $0.members.count >= 2 })
        let (present, absent) = (session.members[0], session.members[1])
        let entries = [
            AttendanceEntry(
                session: session.id, date: session.date, client: present, status: .late, minutes: 30, reason: nil),
            AttendanceEntry(
                session: session.id, date: session.date, client: absent, status: .absentExcused, minutes: 0,
                reason: "flu"),
        ]
        let bundle = FHIRBundle(scenario: scenario, roster: roster, attendance: entries)
        let resources = try resources(bundle)
        let appointment = try #require(
            resources.first { $0["id"] as? String == bundle.uuid("appointment", "\(roster.weekOf)/\(session.id)") })
        #expect(appointment["status"] as? String == "fulfilled")
        let participants = try #require(appointment["participant"] as? [[String: Any]])
        func status(of client: ClientID) -> String? {
            participants.first { references(in: $0).first == "urn:uuid:" + bundle.uuid("client", client.rawValue) }?[
                "status"] as? String
        }
        #expect(status(of: present) == "accepted")
        #expect(status(of: absent) == "declined")
        let encounters = resources.filter { $0["resourceType"] as? String == "Encounter" }
        #expect(encounters.count == 1)
        #expect(
            references(in: encounters[0]["subject"] ?? [:]) == ["urn:uuid:" + bundle.uuid("client", present.rawValue)])
        #expect((encounters[0]["length"] as? [String: Any])?["value"] as? Int == 30)
    }

    @Test("the same week exported twice has the same ids; names and reasons are not in it")
    func stableAndPrivate() throws {
        let entry = AttendanceEntry(
            session: roster.sessions[0].id, date: roster.sessions[0].date, client: roster.sessions[0].members[0],
            status: .absentExcused, minutes: 0, reason: "flu")
        let first = FHIRBundle(scenario: scenario, roster: roster, attendance: [entry]).json(
            stamp: Date(timeIntervalSince1970: 0))
        let again = FHIRBundle(scenario: scenario, roster: roster, attendance: [entry]).json(
            stamp: Date(timeIntervalSince1970: 0))
        #expect(first == again)
        #expect(!first.contains("Robin"))
        #expect(!first.contains("flu"))
    }

    @Test("ids are RFC 9562 version-5 UUIDs of the program, the kind and the ID (as Python's uuid.uuid5 makes them)")
    func nameBasedUUID() {
        // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, 'Riverbend Adult IOP/client/c-101'))"
        let bundle = FHIRBundle(scenario: scenario, roster: roster)
        #expect(bundle.uuid("client", "c-101") == "25b7c055-9fc7-5229-b52f-a418c03d282a")
    }
}

@Suite("CSV tables")
struct CSVTableTests {
    @Test("fields with a comma, a quote or a line break are quoted; no line break after the last row")
    func quoting() {
        let table = CSVTable(header: ["a", "b"], rows: [["1", "x, y"], ["say \"hi\"", "two\nlines"]])
        #expect(table.render() == "a,b\n1,\"x, y\"\n\"say \"\"hi\"\"\",\"two\nlines\"")
    }
}
