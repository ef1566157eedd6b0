import Dispatch
import Foundation
import IOPDomain
import OperationsRecord
import RosterSolver
import UseCases

/// One program's record behind the service: its use cases run off the request threads,
/// and one re-plan at a time (a second is told the program is busy).
actor ProgramDesk {
    nonisolated let store: RecordStore
    /// The scenario the record's rosters are planned from.
    nonisolated let base: Scenario
    /// The time limit of each re-plan.
    let options: PlanOptions
    private(set) var busy = false
    /// The running solve's progress, for those watching it, and its cancel.
    nonisolated let feed = SolveFeed()

    init(store: RecordStore, base: Scenario, options: PlanOptions) {
        self.store = store
        self.base = base
        self.options = options
    }

    func publishedWeek() async throws -> PublishedWeek {
        let (store, base) = (self.store, self.base)
        return try await Self.offThread { try PublishedWeek.load(from: store, base: base) }
    }

    /// Re-plans the week after `eventsText` from `now` and, with `publish`, publishes it as `user`.
    func replan(eventsText: String, now: DateTime, publish: Bool, by user: String) async throws -> (
        Proposal, Int64?
    ) {
        let (store, base, options) = (self.store, self.base, watched)
        return try await solving("re-plan", by: user) { () throws -> (Proposal, Int64?) in
            let proposal = try Replanning.propose(
                in: store, base: base, eventsText: eventsText, label: "the request body", now: now, options: options)
            return (proposal, publish ? try Replanning.publish(proposal, in: store, by: user) : nil)
        }
    }

    /// Make-up sessions for the clients at risk as of `now`; with `apply`, published as `user`.
    func makeUp(asOf now: DateTime, apply: Bool, by user: String) async throws -> (Proposal, Int64?) {
        let (store, base, options) = (self.store, self.base, watched)
        return try await solving("make-up", by: user) { () throws -> (Proposal, Int64?) in
            let proposal = try Attendance.proposeMakeUp(in: store, base: base, asOf: now, options: options)
            return (proposal, apply ? try Replanning.publish(proposal, in: store, by: user) : nil)
        }
    }

    /// Every facilitator's one-day absence on `day`, ranked; nothing is saved. `stoppedEarly`
    /// when someone cancelled the searches (each absence is then ranked by what they found).
    func rankAbsences(on day: LocalDate, now: DateTime, by user: String) async throws -> (
        ranking: AbsenceRanking, stoppedEarly: Bool
    ) {
        let (store, base, options, feed) = (self.store, self.base, watched, self.feed)
        return try await solving("what-if", by: user) {
            let week = try RecordWeek.load(base, from: store)
            let roster = try Publishing.latest(in: store).roster
            let ranking = try WhatIf.rankAbsences(week.scenario, roster: roster, on: day, now: now, options: options)
            return (ranking, feed.wasCancelled)
        }
    }

    /// Logs a review decision as `user` (a denial books the peer-to-peer call in the week
    /// the record plans), audited.
    nonisolated func decide(_ asked: Routes.DecisionRequest, by user: String, from address: String?) async throws
        -> ReviewDecision
    {
        let (day, outcome) = try asked.resolved()
        let (store, base) = (self.store, self.base)
        let decision = try await Self.offThread { () throws -> ReviewDecision in
            let scenario = outcome == .denied ? try RecordWeek.load(base, from: store).scenario : nil
            return try Reviews.decide(
                asked.number, on: day, outcome, appealDays: asked.appealDays, note: asked.note, scenario: scenario,
                in: store)
        }
        try audit(user, "review decision", "\(asked.number): \(asked.outcome.rawValue) on \(day)", from: address)
        return decision
    }

    /// Marks a packet item of the open appeal of `number` done as `user`, audited; the open
    /// appeals as they now stand.
    nonisolated func completeAppealItem(_ item: String, of number: String, by user: String, from address: String?)
        async throws -> OpenAppeals
    {
        let store = self.store
        let appeals = try await Self.offThread { () throws -> OpenAppeals in
            try Reviews.completeAppealItem(item, of: number, in: store)
            return try Reviews.appeals(in: store)
        }
        try audit(user, "appeal item", "\(number): \(item)", from: address)
        return appeals
    }

    /// Marks a client's discharge checklist item done on `day` as `user`, audited; the
    /// checklist as of that day.
    nonisolated func completeDischargeItem(
        _ item: String, of client: ClientID, on day: LocalDate, by user: String, from address: String?
    ) async throws -> DischargeChecklist {
        let store = self.store
        let checklist = try await Self.offThread { () throws -> DischargeChecklist in
            try Discharges.complete(item, of: client, on: day, in: store)
            return try Discharges.checklist(in: store, asOf: day)
        }
        try audit(user, "discharge item", "\(client): \(item)", from: address)
        return checklist
    }

    /// The solve options, reporting to ``feed``.
    private var watched: PlanOptions {
        var options = self.options
        let feed = self.feed
        options.monitor = { tier in feed.monitor(tier: tier) }
        return options
    }

    /// Runs a solve (`kind`, started by `user`) off the request threads, one per program at
    /// a time, across every server sharing the record (its planning lock): a second is told
    /// the program is busy (409). Those watching ``feed`` see it
    /// start, progress and end.
    func solving<T: Sendable>(_ kind: String, by user: String, _ body: @escaping @Sendable () throws -> T)
        async throws -> T
    {
        guard !busy else { throw APIError(.conflict, "another solve of this program is running; try again") }
        busy = true
        defer { busy = false }
        feed.begin(kind, by: user)
        let store = self.store
        do {
            let result = try await Self.offThread {
                guard let result = try store.whilePlanning(body) else {
                    throw APIError(.conflict, "another server is re-planning this program; try again")
                }
                return result
            }
            feed.end(feed.wasCancelled ? "cancelled" : "done")
            return result
        } catch {
            feed.end(feed.wasCancelled ? "cancelled" : "failed")
            throw error
        }
    }

    /// Proposals shown on the page and not yet published or discarded, by id, with who asked.
    private var pending: [String: (proposal: Proposal, owner: String)] = [:]

    /// The most proposals kept for each user: a new one beyond them replaces their oldest.
    static let keptPerUser = 5
    private var order: [String] = []

    /// Keeps a proposal for its owner to publish or discard; returns its id.
    func keep(_ proposal: Proposal, for owner: String) -> String {
        let id = randomToken()
        pending[id] = (proposal, owner)
        order.append(id)
        let mine = order.filter { pending[$0]?.owner == owner }
        for old in mine.dropLast(Self.keptPerUser) { pending[old] = nil }
        order.removeAll { pending[$0] == nil }
        return id
    }

    /// The owner's kept proposal `id`, taken out (nil when there is none).
    func take(_ id: String, for owner: String) -> Proposal? {
        guard let kept = pending[id], kept.owner == owner else { return nil }
        pending[id] = nil
        order.removeAll { $0 == id }
        return kept.proposal
    }

    /// Keeps one entry of the audit log.
    nonisolated func audit(_ user: String, _ action: String, _ detail: String, from address: String?) throws {
        try store.audit(user: user, action: action, detail: detail, address: address)
    }

    /// What an open page is told as it happens.
    enum PageUpdate: Sendable {
        /// A new version of the week was published (by anyone sharing the record).
        case published(Int64)
        /// A solve of this server started: its `started` update.
        case solving(SolveFeed.Update)
    }

    /// The latest published version, each time it changes (checked every second, so a
    /// publish by another process or server shows too), the current one first; and each
    /// solve of this server as it starts.
    nonisolated func updates() -> AsyncStream<PageUpdate> {
        let (store, feed) = (self.store, self.feed)
        return AsyncStream { continuation in
            let watcher = Task {
                var shown: Int64? = nil
                var solving = false
                while !Task.isCancelled {
                    if let latest = try? store.latestPublishedVersion(), latest != shown {
                        shown = latest
                        continuation.yield(.published(latest))
                    }
                    let running = feed.running
                    if let running, !solving { continuation.yield(.solving(running)) }
                    solving = running != nil
                    try? await Task.sleep(for: .seconds(1))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in watcher.cancel() }
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

/// A random token of 32 bytes, hex: session CSRF tokens, proposal ids.
func randomToken() -> String {
    (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
}
