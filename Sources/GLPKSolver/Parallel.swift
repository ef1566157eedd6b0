import CGLPK
import Foundation

extension GLPKSolver {
    /// Runs `first` on the calling thread and `second` on a new thread at the same time, and
    /// returns both results. The new thread frees its GLPK environment before it ends (GLPK
    /// keeps one per thread). A thread of its own, not a pool's: inside a
    /// `concurrentPerform` (several programs planned at once) the two still run side by side.
    public static func atOnce<First, Second: Sendable>(_ first: () -> First, _ second: @escaping @Sendable () -> Second)
        -> (First, Second)
    {
        let done = DispatchSemaphore(value: 0)
        let slot = Slot<Second>()
        let thread = Thread {
            slot.value = second()
            glp_free_env()
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        let result = first()
        done.wait()
        return (result, slot.value!)
    }
}

/// The new thread's result: written once before the semaphore is signalled, read after.
private final class Slot<Value>: @unchecked Sendable {
    var value: Value?
}
