import Foundation
import GLPKSolver
import MIP
import Testing

@Suite("Concurrent solves")
struct ConcurrencyTests {
    @Test("dozens of solves from concurrent tasks and threads equal the sequential results")
    func concurrentEqualsSequential() async throws {
        let models = (0..<48).map { seed -> Model in
            if seed % 4 == 0 { return hardKnapsack(items: 16, dimensions: 3, seed: UInt64(seed)) }
            var random = SeededGenerator(seed: UInt64(500 + seed))
            return randomModel(&random)
        }
        let sequential = try models.map { try GLPKSolver.solve($0) }

        let concurrent = try await withThrowingTaskGroup(of: (Int, Solution).self) { group in
            for (index, model) in models.enumerated() {
                group.addTask { (index, try GLPKSolver.solve(model)) }
            }
            var results = [Solution?](repeating: nil, count: models.count)
            for try await (index, solution) in group { results[index] = solution }
            return results
        }

        let threaded = ThreadedResults(count: models.count)
        DispatchQueue.concurrentPerform(iterations: models.count) { index in
            threaded.store(index, try? GLPKSolver.solve(models[index]))
        }

        for index in models.indices {
            for other in [concurrent[index], threaded.results[index]] {
                let solution = try #require(other)
                #expect(solution.termination == sequential[index].termination)
                #expect(solution.objective == sequential[index].objective)
            }
        }
    }

    @Test(
        "atOnce runs both sides at the same time, also inside concurrentPerform, and solves on both give the sequential results"
    )
    func atOnceRunsSideBySide() throws {
        let model = hardKnapsack(items: 16, dimensions: 3, seed: 4)
        let expected = try GLPKSolver.solve(model).objective
        let outcomes = ThreadedResults(count: 4)
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            // Each side waits for the other to begin: run one after the other, both would time out.
            let firstBegan = DispatchSemaphore(value: 0)
            let secondBegan = DispatchSemaphore(value: 0)
            let (first, second) = GLPKSolver.atOnce(
                {
                    firstBegan.signal()
                    let met = secondBegan.wait(timeout: .now() + 10) == .success
                    return met ? try? GLPKSolver.solve(model) : nil
                },
                {
                    secondBegan.signal()
                    let met = firstBegan.wait(timeout: .now() + 10) == .success
                    return met ? try? GLPKSolver.solve(model) : nil
                })
            outcomes.store(index, first?.objective == expected && second?.objective == expected ? first : nil)
        }
        for index in 0..<4 { #expect(outcomes.results[index] != nil) }
    }
}

/// Results written from many threads, one slot each.
private final class ThreadedResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var results: [Solution?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func store(_ index: Int, _ solution: Solution?) {
        lock.withLock { results[index] = solution }
    }
}
