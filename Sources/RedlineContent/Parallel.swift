import Dispatch

/// Maps `items` on every core. Content files are independent, so loading and rendering
/// them is embarrassingly parallel; results keep the order of `items`.
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    if items.count < 2 { return items.map(transform) }
    let slots = ResultSlots<R>(count: items.count)
    defer { slots.deallocate() }
    DispatchQueue.concurrentPerform(iterations: items.count) { index in
        slots.store(transform(items[index]), at: index)
    }
    return slots.results()
}

/// One slot per item. Each slot is written by exactly one iteration and read only after
/// `concurrentPerform` returns, so no two threads ever touch the same memory.
private final class ResultSlots<R>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<R?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    func store(_ value: R, at index: Int) { buffer[index] = value }
    func results() -> [R] { buffer.map { $0! } }

    func deallocate() {
        _ = buffer.deinitialize()
        buffer.deallocate()
    }
}
