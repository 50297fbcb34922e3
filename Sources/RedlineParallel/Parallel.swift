import Foundation

/// Maps `items` on every core. Content files are independent, so loading and rendering
/// them is embarrassingly parallel; results keep the order of `items`.
///
/// The work runs on threads of its own, not through `DispatchQueue.concurrentPerform`:
/// called from Swift concurrency's cooperative pool (the preview's watcher, every test),
/// that left the pool without threads now and then, and every task waiting for ever.
/// - Parameter inParallel: false maps on the calling thread (work too small for threads).
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], inParallel: Bool = true, _ transform: @escaping @Sendable (T) -> R) -> [R] {
    let workers = inParallel ? min(ProcessInfo.processInfo.activeProcessorCount, items.count) : 1
    if workers < 2 { return items.map(transform) }
    let slots = ResultSlots<R>(count: items.count)
    defer { slots.deallocate() }
    let next = NextIndex()
    let work: @Sendable () -> Void = {
        while let index = next.take(below: items.count) { slots.store(transform(items[index]), at: index) }
    }
    let finished = DispatchSemaphore(value: 0)
    for _ in 1..<workers {
        let thread = Thread {
            work()
            finished.signal()
        }
        // Rendering nests deeply (Markdown, templates): give helpers a main thread's stack.
        thread.stackSize = 8 << 20
        thread.start()
    }
    work()
    // Every result is stored before its worker signals; none touches the slots after.
    for _ in 1..<workers { finished.wait() }
    return slots.results()
}

/// Hands out indices 0, 1, 2, … to the worker threads, each once.
private final class NextIndex: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    func take(below limit: Int) -> Int? {
        lock.withLock {
            guard value < limit else { return nil }
            defer { value += 1 }
            return value
        }
    }
}

/// One slot per item. Each slot is written by exactly one worker and read only after every
/// worker finished, so no two threads ever touch the same memory.
private final class ResultSlots<R>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<R?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    func store(_ value: R, at index: Int) { buffer[index] = value }
    /// The results, moved out (not copied: a copy retains every reference a result holds);
    /// the slots are left empty.
    func results() -> [R] {
        (0..<buffer.count).map { index in
            let value = (buffer.baseAddress! + index).move()!
            (buffer.baseAddress! + index).initialize(to: nil)
            return value
        }
    }

    func deallocate() {
        _ = buffer.deinitialize()
        buffer.deallocate()
    }
}

/// Runs `first` and `second` at once, `second` on a thread of its own; for two big independent
/// jobs (the two texts of a diff). Small jobs are not worth a thread: the caller decides.
/// `inParallel: false` runs both on the calling thread, one after the other.
public func concurrently<A: Sendable, B: Sendable>(_ first: () -> A, _ second: @escaping @Sendable () -> B,
                                                   inParallel: Bool = true) -> (A, B) {
    guard inParallel else { return (first(), second()) }
    let slot = ResultSlots<B>(count: 1)
    defer { slot.deallocate() }
    let finished = DispatchSemaphore(value: 0)
    let thread = Thread {
        slot.store(second(), at: 0)
        finished.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    let a = first()
    finished.wait()
    return (a, slot.results()[0])
}
