import GLPKSolver
import IOPDomain
import MIP
import Testing

@testable import RosterSolver

@Suite("Neighbourhood search")
struct NeighbourhoodSearchTests {
    /// The bundled 36-client week's tier-4 model, tiers 1 and 2 held at their optimum, and
    /// the tier-2 roster: a roster that meets every held row but was never asked to open
    /// few sections.
    private func tierFour() throws -> (roster: RosterModel, model: Model, start: Solution) {
        var roster = RosterModel(index: WeekIndex(try bundled("cedar-grove-mixed.yaml")))
        roster.addAllFamilies()
        var model = roster.model
        var start: Solution?
        for tier in [1, 2] {
            model.minimize(roster.objective(tier: tier))
            let solved = try GLPKSolver.solve(model, options: SolveOptions(timeLimit: 30))
            let value = try #require(solved.objective)
            model.addConstraint("tier\(tier)_held", roster.objective(tier: tier) <= value + 1e-6)
            start = solved
        }
        for (name, row) in roster.stageRows[4] ?? [] { model.addConstraint(name, row) }
        model.minimize(roster.objective(tier: 4))
        return (roster, model, try #require(start))
    }

    /// Rows and bounds that the values break, checked without GLPK.
    private func broken(_ model: Model, _ values: [Double]) -> [String] {
        var problems: [String] = []
        for (index, variable) in model.variables.enumerated()
        where values[index] < variable.lower - 1e-6 || values[index] > variable.upper + 1e-6 {
            problems.append(variable.name)
        }
        for row in model.constraints {
            let activity = row.terms.reduce(0) { $0 + $1.coefficient * values[$1.variable.index] }
            if activity < row.lower - 1e-6 || activity > row.upper + 1e-6 { problems.append(row.name) }
        }
        return problems
    }

    @Test("a neighbourhood frees two days and fixes every decision of the others at the roster's value")
    func neighbourhoodFixesOtherDays() throws {
        let (roster, model, start) = try tierFour()
        let search = NeighbourhoodSearch(roster: roster)
        let neighbourhood = search.neighbourhood(of: model, around: start, freeing: (.mon, .fri))
        for day in [Weekday.tue, .wed, .thu] {
            let decisions = search.decisions(on: day)
            #expect(!decisions.isEmpty)
            for variable in decisions {
                let definition = try #require(neighbourhood.definition(of: variable))
                #expect(definition.lower == definition.upper && definition.lower == start.value(variable)?.rounded())
            }
        }
        for variable in search.decisions(on: .mon) + search.decisions(on: .fri) {
            #expect(neighbourhood.definition(of: variable)?.upper == model.definition(of: variable)?.upper)
        }
        #expect(search.dayPairs.count == 10 && search.dayPairs.first! == (.mon, .fri))
    }

    @Test("the search keeps every row and only improves the roster it starts from")
    func improvesFeasibly() throws {
        let (roster, model, start) = try tierFour()
        let before = model.objectiveValue(at: start.values)
        let deadline = ContinuousClock().now.advanced(by: .seconds(20))
        let improved = try NeighbourhoodSearch(roster: roster).improve(
            model, from: start, until: deadline, monitor: nil)
        let after = try #require(improved.objective)
        #expect(broken(model, improved.values).isEmpty)
        #expect(after < before, "tier-4 cost \(after) after the search, \(before) before")
        #expect(improved.bound == nil && improved.termination == .timeLimit)
        // No roster beats the stage's bound, however far a search of 30 s gets on this machine.
        let bound = try #require(try GLPKSolver.solve(model, options: SolveOptions(timeLimit: 30)).bound)
        #expect(after >= bound - 1e-6)
    }
}
