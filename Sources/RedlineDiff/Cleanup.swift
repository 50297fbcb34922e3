/// Makes word diffs readable: the semantic clean-up of diff-match-patch, on words.
///
/// A short equality squeezed between two edits ("the" in "~~old the value~~") is folded into
/// them, so a reader sees one changed phrase instead of a confetti of tiny matches.
enum Cleanup {
    static func semantic(_ input: [TextOp]) -> [TextOp] {
        var ops = merge(input)
        for _ in 0..<32 {
            var changed = false
            var index = 1
            while index < ops.count - 1 {
                guard ops[index].kind == .equal else { index += 1; continue }
                let equality = ops[index].text.utf8.count
                let before = editLengths(ops, from: index - 1, step: -1)
                let after = editLengths(ops, from: index + 1, step: 1)
                if equality <= max(before.inserted, before.deleted) && equality <= max(after.inserted, after.deleted) {
                    let text = ops[index].text
                    ops.replaceSubrange(index...index, with: [TextOp(.delete, text), TextOp(.insert, text)])
                    changed = true
                    index += 2
                } else {
                    index += 1
                }
            }
            guard changed else { break }
            ops = merge(ops)
        }
        return ops
    }

    private static func editLengths(_ ops: [TextOp], from start: Int, step: Int) -> (inserted: Int, deleted: Int) {
        var inserted = 0, deleted = 0
        var index = start
        while index >= 0 && index < ops.count && ops[index].kind != .equal {
            if ops[index].kind == .insert { inserted += ops[index].text.utf8.count } else { deleted += ops[index].text.utf8.count }
            index += step
        }
        return (inserted, deleted)
    }

    /// Joins neighbours of the same kind; inside each run of edits, all deletions come first.
    /// Both keep the script exact: the old text is still equal + deleted, the new equal + inserted.
    static func merge(_ input: [TextOp]) -> [TextOp] {
        var out: [TextOp] = []
        out.reserveCapacity(input.count)
        // Pending texts are appended to in place: joining with `+` would copy the growing
        // string once per op, quadratic over the thousands of sections of a large policy.
        var equal = "", deleted = "", inserted = ""
        func flushEdits() {
            if !deleted.isEmpty { out.append(TextOp(.delete, deleted)) }
            if !inserted.isEmpty { out.append(TextOp(.insert, inserted)) }
            deleted = ""
            inserted = ""
        }
        func flushEqual() {
            if !equal.isEmpty { out.append(TextOp(.equal, equal)) }
            equal = ""
        }
        for op in input where !op.text.isEmpty {
            switch op.kind {
            case .delete:
                flushEqual()
                deleted += op.text
            case .insert:
                flushEqual()
                inserted += op.text
            case .equal:
                flushEdits()
                if equal.isEmpty { equal = op.text } else { equal += op.text }
            }
        }
        flushEdits()
        flushEqual()
        return out
    }

    /// ``merge(_:)`` for ops given as byte ranges of the two texts: each merged op's String is
    /// made once from its bytes, instead of a String per piece joined again.
    struct RangeMerger {
        private var out: [TextOp] = []
        private var equal: [UInt8] = [], deleted: [UInt8] = [], inserted: [UInt8] = []

        mutating func append(_ kind: TextOp.Kind, _ bytes: ArraySlice<UInt8>) {
            guard !bytes.isEmpty else { return }
            switch kind {
            case .delete:
                flushEqual()
                deleted.append(contentsOf: bytes)
            case .insert:
                flushEqual()
                inserted.append(contentsOf: bytes)
            case .equal:
                flushEdits()
                equal.append(contentsOf: bytes)
            }
        }

        private mutating func flushEdits() {
            if !deleted.isEmpty { out.append(TextOp(.delete, String(decoding: deleted, as: UTF8.self))) }
            if !inserted.isEmpty { out.append(TextOp(.insert, String(decoding: inserted, as: UTF8.self))) }
            deleted.removeAll(keepingCapacity: true)
            inserted.removeAll(keepingCapacity: true)
        }

        private mutating func flushEqual() {
            if !equal.isEmpty { out.append(TextOp(.equal, String(decoding: equal, as: UTF8.self))) }
            equal.removeAll(keepingCapacity: true)
        }

        mutating func finish() -> [TextOp] {
            flushEdits()
            flushEqual()
            return out
        }
    }
}
