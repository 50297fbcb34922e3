/// A run of the edit script between two integer sequences.
public struct EditRun: Equatable, Sendable {
    public enum Kind: Sendable { case equal, delete, insert }
    public let kind: Kind
    /// Indices into the old sequence (equal, delete) or the new one (insert).
    public let range: Range<Int>
}

/// Myers' O(ND) difference algorithm over integer ids, with the common prefix and suffix
/// trimmed first and a cap on the edit distance so that unrelated inputs cannot blow up.
public enum SequenceDiff {
    /// - Parameter maxCost: the largest number of inserted plus deleted elements to search for.
    /// - Returns: the edit script, or nil when the sequences differ by more than `maxCost`.
    public static func diff(_ a: [Int32], _ b: [Int32], maxCost: Int = 2_000) -> [EditRun]? {
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }

        var runs: [EditRun] = []
        if prefix > 0 { runs.append(EditRun(kind: .equal, range: 0..<prefix)) }
        let oldMiddle = prefix..<(a.count - suffix)
        let newMiddle = prefix..<(b.count - suffix)
        if oldMiddle.isEmpty && !newMiddle.isEmpty {
            runs.append(EditRun(kind: .insert, range: newMiddle))
        } else if newMiddle.isEmpty && !oldMiddle.isEmpty {
            runs.append(EditRun(kind: .delete, range: oldMiddle))
        } else if !oldMiddle.isEmpty {
            guard let middle = myers(a, oldMiddle, b, newMiddle, maxCost: maxCost) else { return nil }
            runs += middle
        }
        if suffix > 0 { runs.append(EditRun(kind: .equal, range: (a.count - suffix)..<a.count)) }
        return merged(runs)
    }

    /// Greedy forward Myers. For the backtrack it keeps, per edit step d, only the diagonals
    /// -d-1...d+1 that step can read: about maxCost² integers at worst.
    private static func myers(_ a: [Int32], _ aRange: Range<Int>, _ b: [Int32], _ bRange: Range<Int>, maxCost: Int) -> [EditRun]? {
        guard let trace = forwardTrace(a, aRange, b, bRange, maxCost: maxCost) else { return nil }
        return merged(backtrack(trace, aRange, bRange).reversed())
    }

    /// The forward pass: per edit step, the band of furthest-reaching diagonals; nil when the
    /// end is not reached within `maxCost` steps.
    private static func forwardTrace(_ a: [Int32], _ aRange: Range<Int>, _ b: [Int32], _ bRange: Range<Int>, maxCost: Int) -> [[Int]]? {
        let n = aRange.count, m = bRange.count
        let limit = min(n + m, maxCost)
        let offset = limit + 1
        var v = [Int](repeating: 0, count: 2 * limit + 3)
        var trace: [[Int]] = []
        var found = false
        outer: for d in 0...limit {
            trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
            var k = -d
            while k <= d {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n && y < m && a[aRange.lowerBound + x] == b[bRange.lowerBound + y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n && y >= m {
                    found = true
                    break outer
                }
                k += 2
            }
        }
        return found ? trace : nil
    }

    /// Walks back from (n, m) to (0, 0), collecting runs in reverse (a diagonal as one run).
    private static func backtrack(_ trace: [[Int]], _ aRange: Range<Int>, _ bRange: Range<Int>) -> [EditRun] {
        var reversed: [EditRun] = []
        var x = aRange.count, y = bRange.count
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let band = trace[d]
            let value = { (diagonal: Int) in band[diagonal + d + 1] }
            let k = x - y
            let previousK: Int
            if d == 0 {
                previousK = 0
            } else if k == -d || (k != d && value(k - 1) < value(k + 1)) {
                previousK = k + 1
            } else {
                previousK = k - 1
            }
            let previousX = d == 0 ? 0 : value(previousK)
            let previousY = previousX - previousK
            let snake = min(x - previousX, y - previousY)
            if snake > 0 {
                reversed.append(EditRun(kind: .equal, range: (aRange.lowerBound + x - snake)..<(aRange.lowerBound + x)))
                x -= snake
                y -= snake
            }
            if d > 0 {
                if x == previousX {
                    y -= 1
                    reversed.append(EditRun(kind: .insert, range: (bRange.lowerBound + y)..<(bRange.lowerBound + y + 1)))
                } else {
                    x -= 1
                    reversed.append(EditRun(kind: .delete, range: (aRange.lowerBound + x)..<(aRange.lowerBound + x + 1)))
                }
            }
        }
        return reversed
    }

    private static func merged(_ runs: [EditRun]) -> [EditRun] {
        var out: [EditRun] = []
        for run in runs where !run.range.isEmpty {
            if let last = out.last, last.kind == run.kind, last.range.upperBound == run.range.lowerBound {
                out[out.count - 1] = EditRun(kind: run.kind, range: last.range.lowerBound..<run.range.upperBound)
            } else {
                out.append(run)
            }
        }
        return out
    }
}
