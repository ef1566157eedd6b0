import Dispatch
import Foundation
import IOPDomain
import OperationsRecord
import RosterSolver
import UseCases

/// One program's record behind the service: its use cases run off the request threads,
/// and one re-plan at a time (a second is told the program is busy).
actor ProgramDesk {
    let store: RecordStore
    /// The scenario the record's rosters are planned from.
    let base: Scenario
    /// The time limit of each re-plan.
    let options: PlanOptions
    private var replanning = false

    init(store: RecordStore, base: Scenario, options: PlanOptions) {
        self.store = store
        self.base = base
        self.options = options
    }

    func publishedWeek() async throws -> PublishedWeek {
        let (store, base) = (self.store, self.base)
        return try await Self.offThread { try PublishedWeek.load(from: store, base: base) }
    }

    /// Re-plans the week after `eventsText` from `now` and, with `publish`, publishes it as
    /// `user`; 409 while another re-plan of this program runs.
    func replan(eventsText: String, now: DateTime, publish: Bool, by user: String) async throws -> (
        Proposal, Int64?
    ) {
        guard !replanning else { throw APIError(.conflict, "another re-plan of this program is running; try again") }
        replanning = true
        defer { replanning = false }
        let (store, base, options) = (self.store, self.base, self.options)
        return try await Self.offThread { () throws -> (Proposal, Int64?) in
            let proposal = try Replanning.propose(
                in: store, base: base, eventsText: eventsText, label: "the request body", now: now, options: options)
            return (proposal, publish ? try Replanning.publish(proposal, in: store, by: user) : nil)
        }
    }

    /// Runs `body` on a thread of its own, so a long solve (or a password hash) never holds
    /// the server's cooperative threads; a use case's refusal becomes its ``APIError``.
    static func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                do {
                    continuation.resume(returning: try body())
                } catch let error as UseCaseError {
                    continuation.resume(throwing: APIError(error))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
