/// 64-bit hashes to small integers, by open addressing: the keys are hashes already, so
/// Swift's Dictionary hashing them again (with its per-look-up set-up) is wasted work.
struct HashTable {
    private var keys: [UInt64]
    private var values: [Int32]   // -1: empty
    private var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: -1, count: size)
    }

    private func slot(of key: UInt64) -> Int {
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: key ^ (key >> 29)) & mask
        while values[slot] != -1 && keys[slot] != key { slot = (slot + 1) & mask }
        return slot
    }

    subscript(key: UInt64) -> Int32? {
        get {
            let slot = slot(of: key)
            return values[slot] == -1 ? nil : values[slot]
        }
        set {
            guard let newValue else { return }
            let slot = slot(of: key)
            if values[slot] == -1 { count += 1 }
            keys[slot] = key
            values[slot] = newValue
            if count * 2 > keys.count { grow() }
        }
    }

    private mutating func grow() {
        let old = zip(keys, values).filter { $0.1 != -1 }
        keys = [UInt64](repeating: 0, count: keys.count * 2)
        values = [Int32](repeating: -1, count: keys.count)
        count = 0
        for (key, value) in old { self[key] = value }
    }
}
