import Foundation
import TestSupport
import Testing

@testable import ScenarioFile

/// The published JSON Schema and the decoder accept the same keys, object by object.
@Suite("Scenario JSON Schema")
struct SchemaTests {
    @Test("every object's properties in the schema are the keys the decoder reads")
    func schemaMatchesDecoder() throws {
        let root = repositoryRoot
        let data = try Data(contentsOf: root.appendingPathComponent("Scenarios/scenario.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let defs = try #require(schema["$defs"] as? [String: Any])
        func properties(_ object: Any?) -> Set<String> {
            Set(((object as? [String: Any])?["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
        }
        func def(_ name: String) -> Any? { defs[name] }
        let absence = ((def("absence") as? [String: Any])?["oneOf"] as? [Any])?.last
        let maxSessions = ((def("facilitator") as? [String: Any])?["properties"] as? [String: Any])?["max_sessions"]
        let expected: [(String, Set<String>, [String])] = [
            ("top", properties(schema), ScenarioKeys.top),
            ("program", properties(def("program")), ScenarioKeys.program),
            ("block", properties(def("block")), ScenarioKeys.block),
            ("room", properties(def("room")), ScenarioKeys.room),
            ("track", properties(def("track")), ScenarioKeys.track),
            ("policy", properties(def("policy")), ScenarioKeys.policy),
            ("dayRules", properties(def("dayRules")), ScenarioKeys.dayRules),
            ("group", properties(def("group")), ScenarioKeys.group),
            ("offering", properties(def("offering")), ScenarioKeys.offering),
            ("facilitator", properties(def("facilitator")), ScenarioKeys.facilitator),
            ("max_sessions", properties(maxSessions), ScenarioKeys.maxSessions),
            ("absence", properties(absence), ScenarioKeys.absence),
            ("client", properties(def("client")), ScenarioKeys.client),
            ("authorization", properties(def("authorization")), ScenarioKeys.authorization),
            ("weights", properties(def("weights")), ScenarioKeys.weights.map(\.key)),
        ]
        for (name, inSchema, inDecoder) in expected {
            #expect(inSchema == Set(inDecoder), "\(name): schema \(inSchema.sorted()) vs decoder \(inDecoder.sorted())")
        }
    }

    @Test("every event kind in the events schema has the keys the events decoder reads, and its example loads")
    func eventsSchemaMatchesDecoder() throws {
        let root = repositoryRoot
        let data = try Data(contentsOf: root.appendingPathComponent("Scenarios/events.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let defs = try #require(schema["$defs"] as? [String: Any])
        let event = try #require(((defs["event"] as? [String: Any])?["properties"]) as? [String: Any])
        #expect(Set(event.keys) == Set(["at"] + ScenarioKeys.events.map(\.kind)))
        for (kind, keys) in ScenarioKeys.events where kind != "admission" && kind != "lock" {
            let properties = Set(
                (((event[kind] as? [String: Any])?["properties"]) as? [String: Any])?.keys.map { $0 } ?? [])
            #expect(properties == Set(keys), "\(kind): schema \(properties.sorted()) vs decoder \(keys.sorted())")
        }
        #expect(((event["admission"] as? [String: Any])?["$ref"] as? String) == "scenario.schema.json#/$defs/client")
        #expect(((event["lock"] as? [String: Any])?["$ref"] as? String) == "scenario.schema.json#/$defs/lock")
        // The schema's example is a real events file for the bundled Riverbend week.
        let example = try #require((schema["examples"] as? [Any])?.first)
        let text = String(decoding: try JSONSerialization.data(withJSONObject: example), as: UTF8.self)
        let scenario = try ScenarioLoader.load(path: root.appendingPathComponent("Scenarios/riverbend-small.yaml").path)
        let events = try EventsLoader.parse(text, file: "events.schema.json", for: scenario)
        #expect(events.count == 13)
    }
}
