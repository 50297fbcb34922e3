import Foundation

/// Values made once, by whichever rendering thread first needs them.
final class RenderedOnce<Value: Sendable>: @unchecked Sendable {
    private var values: [String: Value] = [:]
    private let lock = NSLock()

    func value(for key: String, make: () -> Value) -> Value {
        if let value = lock.withLock({ values[key] }) { return value }
        let value = make()
        lock.withLock { values[key] = value }
        return value
    }
}
