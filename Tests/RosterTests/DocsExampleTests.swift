import Foundation
import IOPDomain
import ScenarioFile
import TestSupport
import Testing

/// The examples in `docs/scenario-format.md` are files a reader may copy: they load, plan
/// and pass the validator as printed.
@Suite("Format reference examples")
struct DocsExampleTests {
    @Test("the reference's scenario plans and its events load against it")
    func referenceExamples() throws {
        let root = repositoryRoot
        let text = try String(contentsOf: root.appendingPathComponent("docs/scenario-format.md"), encoding: .utf8)
        let blocks = text.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        try #require(blocks.count == 2)
        let week = try scenario(blocks[0], file: "docs/scenario-format.md")
        #expect(week.groups.map(\.requiresAny) == [[], ["cadc", "licensed"], []])
        #expect(week.clients.map(week.minDaysPerWeek(of:)) == [3, 3, 3, 4])
        let plan = try planAndValidate(week)
        #expect(plan.week(of: "c-203")?.days.count == 2)
        #expect(plan.week(of: "c-203")?.hours ?? 5 <= 4)
        #expect(plan.sessions(of: "skills-lab").allSatisfy { $0.room == "oak" })
        #expect(plan.sessions(of: "process").filter { $0.facilitators.last == "t-ana" }.count == 2)
        let events = try EventsLoader.parse(blocks[1], file: "events.yaml", for: week)
        #expect(events.map(\.summary) == ["c-201 absent 2026-12-10 (e1)", "f-cadc absent 2026-12-10 to 2026-12-11"])
        _ = try planAndValidate(week.applying(events))
    }
}
