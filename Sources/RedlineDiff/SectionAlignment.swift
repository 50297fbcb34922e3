/// Which old section became which new one.
///
/// Sections match by heading first; the rest match by content when their words mostly agree
/// (a renamed heading). Of the matched pairs, the longest run that kept its order stays in
/// place; the others moved.
struct SectionAlignment {
    private var newForOld: [Int: Int] = [:]
    private var oldForNew: [Int: Int] = [:]
    private var inPlace: Set<Int> = []

    init(old: SectionedText, new: SectionedText, limit: Int) {
        // 1. Same heading; repeated headings pair up in order.
        var oldByKey: [String: [Int]] = [:]
        for (index, section) in old.sections.enumerated() { oldByKey[section.key, default: []].append(index) }
        var taken: [String: Int] = [:]
        for (index, section) in new.sections.enumerated() {
            let candidates = oldByKey[section.key] ?? []
            let position = taken[section.key, default: 0]
            guard position < candidates.count else { continue }
            let oldIndex = candidates[position]
            // The text before the first heading only matches the same.
            guard (old.sections[oldIndex].headingRange == nil) == (section.headingRange == nil) else { continue }
            taken[section.key] = position + 1
            link(oldIndex, index)
        }
        // 2. Different heading, mostly the same words: a rename.
        let unmatchedOld = old.sections.indices.filter { newForOld[$0] == nil && old.sections[$0].headingRange != nil }
        let unmatchedNew = new.sections.indices.filter { oldForNew[$0] == nil && new.sections[$0].headingRange != nil }
        if !unmatchedOld.isEmpty, !unmatchedNew.isEmpty, unmatchedOld.count * unmatchedNew.count <= limit {
            let oldWords = unmatchedOld.map { Similarity.wordSet(old.bytes, old.sections[$0].bodyRange) }
            let newWords = unmatchedNew.map { Similarity.wordSet(new.bytes, new.sections[$0].bodyRange) }
            var candidates: [(score: Double, old: Int, new: Int)] = []
            for (i, oldIndex) in unmatchedOld.enumerated() {
                for (j, newIndex) in unmatchedNew.enumerated() where !oldWords[i].isEmpty && !newWords[j].isEmpty {
                    let score = Similarity.dice(oldWords[i], newWords[j])
                    if score >= 0.6 { candidates.append((score, oldIndex, newIndex)) }
                }
            }
            for candidate in candidates.sorted(by: { ($0.score, -$0.new) > ($1.score, -$1.new) })
            where newForOld[candidate.old] == nil && oldForNew[candidate.new] == nil {
                link(candidate.old, candidate.new)
            }
        }
        // 3. The longest increasing run of old positions, in new order, stayed in place.
        let pairs = new.sections.indices.compactMap { newIndex in oldForNew[newIndex].map { (newIndex, $0) } }
        inPlace = Set(Self.longestIncreasing(pairs.map(\.1)).map { pairs[$0].0 })
    }

    private mutating func link(_ oldIndex: Int, _ newIndex: Int) {
        newForOld[oldIndex] = newIndex
        oldForNew[newIndex] = oldIndex
    }

    func oldIndex(forNew index: Int) -> Int? { oldForNew[index] }
    func newIndex(forOld index: Int) -> Int? { newForOld[index] }
    func keptInPlace(_ newIndex: Int) -> Bool { inPlace.contains(newIndex) }

    /// Positions in `values` of a longest strictly increasing subsequence (patience sorting, O(n log n)).
    static func longestIncreasing(_ values: [Int]) -> [Int] {
        var tails: [Int] = []          // positions of the smallest tail of each length
        var previous = [Int](repeating: -1, count: values.count)
        for (position, value) in values.enumerated() {
            var low = 0, high = tails.count
            while low < high {
                let mid = (low + high) / 2
                if values[tails[mid]] < value { low = mid + 1 } else { high = mid }
            }
            if low > 0 { previous[position] = tails[low - 1] }
            if low == tails.count { tails.append(position) } else { tails[low] = position }
        }
        var result: [Int] = []
        var position = tails.last ?? -1
        while position >= 0 {
            result.append(position)
            position = previous[position]
        }
        return result.reversed()
    }

    /// Positions in `values` of the strictly increasing subsequence of greatest total weight:
    /// for each value, the best chain ending below it is read from a Fenwick tree over the
    /// values' ranks, O(n log n). Of equal chains the first found is kept.
    static func heaviestIncreasing(_ values: [Int], weights: [Int]) -> [Int] {
        guard !values.isEmpty else { return [] }
        let sorted = Array(Set(values)).sorted()
        var rank: [Int: Int] = [:]
        for (index, value) in sorted.enumerated() { rank[value] = index + 1 }
        // tree[i]: the heaviest chain ending at a value whose rank is in i's Fenwick range.
        var tree = [(total: Int, position: Int)](repeating: (0, -1), count: sorted.count + 1)
        var previous = [Int](repeating: -1, count: values.count)
        var best = (total: 0, position: -1)
        for (position, value) in values.enumerated() {
            let own = rank[value]!
            var below = (total: 0, position: -1)
            var query = own - 1
            while query > 0 {
                if tree[query].total > below.total { below = tree[query] }
                query -= query & -query
            }
            let total = below.total + weights[position]
            previous[position] = below.position
            var update = own
            while update < tree.count {
                if total > tree[update].total { tree[update] = (total, position) }
                update += update & -update
            }
            if total > best.total { best = (total, position) }
        }
        var result: [Int] = []
        var position = best.position
        while position >= 0 {
            result.append(position)
            position = previous[position]
        }
        return result.reversed()
    }
}
