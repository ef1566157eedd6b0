import Foundation
import MIP
import Synchronization

/// What a program's one running solve tells those watching it: when it started, each
/// stage's progress, and how it ended. A solve can be stopped early (``cancel()``): its
/// search then keeps the best roster found so far, as Ctrl-C does on the command line.
final class SolveFeed: Sendable {
    /// One message of the feed, sent as a server-sent event named by `event`.
    struct Update: Sendable, Encodable {
        enum Kind: String, Sendable, Encodable {
            /// No solve is running.
            case idle
            case started
            case progress
            case finished
        }

        let event: Kind
        /// What runs: "re-plan", "make-up", "what-if".
        var solve: String?
        var startedBy: String?
        var tier: Int?
        var incumbent: Double?
        var bound: Double?
        var gap: Double?
        var nodes: Int?
        var seconds: Double?
        /// How a finished solve ended: "done", "cancelled" or "failed".
        var outcome: String?
    }

    private struct State {
        var running: Update?
        var latest: Update?
        var watchers: [UUID: AsyncStream<Update>.Continuation] = [:]
    }

    private let state = Mutex(State())
    private let cancelled = Atomic<Bool>(false)
    /// Seconds between progress reports.
    let interval: Double

    init(interval: Double = 1) { self.interval = interval }

    /// A solve starts; watchers are told.
    func begin(_ solve: String, by user: String) {
        cancelled.store(false, ordering: .relaxed)
        broadcast(Update(event: .started, solve: solve, startedBy: user), running: true)
    }

    /// The solve ended (`outcome`: done, cancelled, failed); watchers are told and their feeds end.
    func end(_ outcome: String) {
        let (watchers, last) = state.withLock { state -> ([AsyncStream<Update>.Continuation], Update) in
            let last = Update(
                event: .finished, solve: state.running?.solve, startedBy: state.running?.startedBy, outcome: outcome)
            let watchers = Array(state.watchers.values)
            state = State()
            return (watchers, last)
        }
        for watcher in watchers {
            watcher.yield(last)
            watcher.finish()
        }
    }

    /// The monitor each stage of the running solve reports to, and polls for a cancel.
    func monitor(tier: Int) -> SolveMonitor {
        SolveMonitor(
            interval: interval,
            report: { [self] progress in
                broadcast(
                    Update(
                        event: .progress, tier: tier, incumbent: progress.incumbent, bound: progress.bound,
                        gap: progress.gap, nodes: progress.nodes, seconds: progress.seconds), running: false)
            },
            shouldStop: { [self] in wasCancelled })
    }

    /// Who started the running solve, if one runs.
    var startedBy: String? { state.withLock { $0.running?.startedBy } }

    /// The running solve's `started` update, if one runs.
    var running: Update? { state.withLock { $0.running } }

    /// Whether the running solve was asked to stop.
    var wasCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Asks the running solve to stop with its best roster so far; false when none runs.
    func cancel() -> Bool {
        state.withLock { state in
            guard state.running != nil else { return false }
            cancelled.store(true, ordering: .relaxed)
            return true
        }
    }

    /// The running solve's updates, from where it stands now until it finishes; a single
    /// `idle` when none runs.
    func watch() -> AsyncStream<Update> {
        AsyncStream { continuation in
            let id = UUID()
            let idle = state.withLock { state -> Bool in
                guard let running = state.running else { return true }
                continuation.yield(running)
                if let latest = state.latest { continuation.yield(latest) }
                state.watchers[id] = continuation
                return false
            }
            if idle {
                continuation.yield(Update(event: .idle))
                continuation.finish()
                return
            }
            continuation.onTermination = { [self] _ in
                _ = state.withLock { $0.watchers.removeValue(forKey: id) }
            }
        }
    }

    private func broadcast(_ update: Update, running: Bool) {
        let watchers = state.withLock { state -> [AsyncStream<Update>.Continuation] in
            if running { state.running = update } else { state.latest = update }
            return Array(state.watchers.values)
        }
        for watcher in watchers { watcher.yield(update) }
    }
}
