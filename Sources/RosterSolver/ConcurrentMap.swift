import Dispatch
import Foundation

/// `body(0) ... body(count - 1)` computed on all cores (GLPK solves are safe in parallel:
/// each lives on its own thread), results in index order.
public func concurrentMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = Slots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { slots.set($0, body($0)) }
    return (0..<count).compactMap(slots.value)
}

/// Values written from many threads, one slot each.
private final class Slots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Value) { lock.withLock { values[index] = value } }
    func value(_ index: Int) -> Value? { lock.withLock { values[index] } }
}
