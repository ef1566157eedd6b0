import GLPKSolver
import IOPDomain
import MIP
import RosterValidator
import Testing

@testable import RosterSolver

/// The split of a pooled slot into sections: feasible by construction, whatever time the
/// assignment MIP gets.
@Suite("Section split")
struct SectionSplitTests {
    /// Every client once, every size within its range, no pair together.
    private func holds(_ split: [Int], sizes: [ClosedRange<Int>], apart: [(Int, Int)]) -> Bool {
        let counts = sizes.indices.map { k in split.filter { $0 == k }.count }
        return zip(counts, sizes).allSatisfy { $1.contains($0) } && apart.allSatisfy { split[$0.0] != split[$0.1] }
    }

    @Test("the deal fills each room within its minimum and capacity, also when rooms differ")
    func dealRespectsSizes() throws {
        for sizes in [[3...10, 3...3], [2...4, 2...4, 2...4], [1...12, 5...6], [0...2, 0...10]] {
            for count in sizes.map(\.lowerBound).reduce(0, +)...sizes.map(\.upperBound).reduce(0, +) {
                let split = try #require(
                    SectionDeal(sizes: sizes, apart: []).deal(count), "\(sizes) with \(count) clients")
                #expect(
                    split.count == count && holds(split, sizes: sizes, apart: []), "\(sizes) with \(count): \(split)")
            }
        }
    }

    @Test("the deal keeps apart who must be apart, backtracking when the first choice leads nowhere")
    func dealKeepsApart() throws {
        // 0 is kept from 1 and 2, and 1 from 3: in two sections of exactly 2, only {0,3} {1,2} works.
        let apart = [(0, 1), (0, 2), (1, 3)]
        let split = try #require(SectionDeal(sizes: [2...2, 2...2], apart: apart).deal(4))
        #expect(holds(split, sizes: [2...2, 2...2], apart: apart))
        // Three clients each kept from the other two cannot go into two sections.
        #expect(SectionDeal(sizes: [0...3, 0...3], apart: [(0, 1), (1, 2), (0, 2)]).deal(3) == nil)
        // More clients than seats, or fewer than the minimums, have no split.
        #expect(SectionDeal(sizes: [0...2, 0...2], apart: []).deal(5) == nil)
        #expect(SectionDeal(sizes: [3...5, 3...5], apart: []).deal(5) == nil)
    }

    @Test("a slot split with no time left still meets every room's capacity and minimum")
    func splitWithoutTime() throws {
        let week = try scenario(
            tiny(
                rooms: "[{id: big, capacity: 10}, {id: small, capacity: 3}]",
                policy: "{min_participants: 3, billable_day_min_hours: 0, min_days_per_week: 0, min_hours_per_week: 0}",
                groups: "  - {id: g, capacity: 12}",
                offerings: "  - {group: g, blocks: [b1], sections: 2}",
                facilitators: "  - {id: f1}\n  - {id: f2}",
                clients: (1...13).map {
                    "  - {id: c\($0), track: a, plan: {g: 1}" + ($0 == 1 ? ", keep_apart: [c2, c3]" : "") + "}"
                }
                .joined(separator: "\n")))
        var roster = RosterModel(index: WeekIndex(week))
        roster.addAllFamilies()
        var model = roster.model
        model.minimize(roster.objective(tier: 2))
        let solution = try GLPKSolver.solve(model, options: SolveOptions(timeLimit: nil))
        let past = ContinuousClock.now.advanced(by: .seconds(-10))
        let sessions = SectionSplit(roster: roster, solution: solution, deadline: past).sessions()
        #expect(sessions.map(\.members.count).sorted() == [3, 10])
        let planned = Roster(
            program: week.program.name, weekOf: week.program.weekOf, sessions: sessions,
            clients: ClientTotals.weeks(of: week, sessions: sessions))
        let violations = RosterValidator.check(planned, against: week)
        #expect(violations.isEmpty, "\(violations)")
    }
}
