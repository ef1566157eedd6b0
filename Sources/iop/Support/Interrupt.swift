import Foundation
import MIP
import Synchronization

/// Ctrl-C during a solve stops the search and keeps the best roster found so far; a
/// second Ctrl-C ends the process at once.
enum Interrupt {
    static let requested = Atomic<Bool>(false)

    static func install() {
        signal(SIGINT) { _ in
            if Interrupt.requested.exchange(true, ordering: .relaxed) { _exit(130) }
        }
        // A parent may have started iop with SIGINT blocked (the mask is inherited); unblock it.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// A monitor that prints progress to stderr every 5 seconds and stops on Ctrl-C.
    static func monitor(tier: Int) -> SolveMonitor {
        SolveMonitor(
            interval: 5,
            report: { progress in
                let incumbent = progress.incumbent.map { number($0) } ?? "none yet"
                let bound = progress.bound.map { number($0) } ?? "-"
                let gap = progress.gap.map { String(format: "%.2f%%", $0 * 100) } ?? "-"
                FileHandle.standardError.write(
                    Data(
                        ("iop: tier \(tier): incumbent \(incumbent), bound \(bound), gap \(gap), "
                            + "\(progress.nodes) nodes, \(String(format: "%.0f", progress.seconds)) s (Ctrl-C keeps the best so far)\n")
                            .utf8))
            }, shouldStop: { requested.load(ordering: .relaxed) })
    }
}
