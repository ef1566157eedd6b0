import Foundation
import GLPKSolver
import IOPDomain
import MIP
import Testing

@testable import RosterSolver

@Suite("Part bounds")
struct PartBoundsTests {
    private var later: ContinuousClock.Instant { .now.advanced(by: .seconds(60)) }

    @Test(
        "a part whose LP minimum is fractional is held at that minimum rounded up to its step; whole-valued minima and continuous parts give no row"
    )
    func roundsFractionalParts() throws {
        // Fifteen clients must attend; a section seats ten. The LP opens 1.5 sections.
        var model = Model()
        let x = (0..<15).map { model.addBinary("x\($0)") }
        let sections = model.addVariable("sections", kind: .integer, upper: 3)
        let spare = model.addVariable("spare")
        model.addConstraint("everyone", LinearExpression.sum(x) == 15)
        model.addConstraint("seats", LinearExpression.sum(x) <= 10 * sections)
        model.minimize(2 * sections + spare)
        let parts = [
            PartBounds.Part(name: "sections", amount: LinearExpression(sections)),
            PartBounds.Part(name: "doubled", amount: 2 * sections + 1),
            PartBounds.Part(name: "first", amount: LinearExpression(x[0])),
            PartBounds.Part(name: "with_spare", amount: sections + spare),
        ]
        let rows = try PartBounds.rows(parts, in: model, until: later)
        #expect(rows.map(\.name) == ["part_bound(sections)", "part_bound(doubled)"])
        #expect(rows.map(\.row.lower) == [2, 5])
        // Valid and tight: the integer optimum opens exactly two sections, and meets both rows.
        for (name, row) in rows { model.addConstraint(name, row) }
        let relaxed = try GLPKSolver.relaxationMinima(of: [2 * sections + spare], in: model, until: later)
        #expect(relaxed == [4])
        let solution = try GLPKSolver.solve(model)
        #expect(solution.termination == .optimal)
        #expect(solution.value(sections) == 2)
    }

    @Test(
        "tier 4's parts are each running group's sections over the week and the busiest load; the tiers above have none"
    )
    func tierFourParts() throws {
        var roster = RosterModel(index: WeekIndex(try bundled("riverbend-small.yaml")))
        roster.addAllFamilies()
        let parts = PartBounds.parts(of: roster, tier: Family.sectionsOpened.tier)
        let running = Set(roster.index.slots.filter { !roster.sections[$0.index].isEmpty }.map(\.group.id.rawValue))
        let names = Set(parts.map(\.name))
        #expect(names.isSuperset(of: running.map { "week_sections(\($0))" }))
        #expect(names.contains("busiest_load"))
        #expect(parts.filter { $0.name.hasPrefix("week_sections(") }.count == running.count)
        for tier in [1, 2, 3] { #expect(PartBounds.parts(of: roster, tier: tier).isEmpty) }
    }

    @Test("on a day program whose LP spreads each group thinly over the week, tier 4's root LP bound meets its optimum")
    func rootBoundMeetsOptimum() throws {
        let file = "regressions/varied-seed38.yaml"
        let plan = try planAndValidate(try bundled(file), timeLimit: 3_600)
        let tierFour = try #require(plan.solver.stages.first { $0.tier == 4 })
        #expect(tierFour.stopped == .optimal)
        let optimum = try #require(tierFour.objective)
        let stage = try tierFourStage(file)
        #expect(stage.constraints.contains { $0.name.hasPrefix("part_bound") })
        let objective = LinearExpression(terms: stage.objectiveTerms, constant: stage.objectiveConstant)
        let root = try #require(try GLPKSolver.relaxationMinima(of: [objective], in: stage, until: later).first ?? nil)
        // The objective moves in whole steps: a root bound above optimum - 1 proves the optimum.
        #expect(root > optimum - 1 + 1e-6, "root LP bound \(root), optimum \(optimum)")
    }
}
