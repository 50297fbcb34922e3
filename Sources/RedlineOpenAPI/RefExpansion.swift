import Foundation
import Yams

/// OpenAPIKit resolves a document by copying every `$ref` in place, and the reference is built
/// from that copy. `$ref`s that fan out without a cycle (a schema using the next one twice, that
/// one the next twice, and so on) make the copy exponential: a 2.8 KB file kept `check` busy for
/// 74 s and a 5 KB one took 4.9 GB. So before OpenAPIKit sees a document, the size of its
/// resolved form is computed from the YAML tree, each target's size once, and a document that
/// would resolve past a bound, or whose `$ref`s chain deeper than any real API nests, is refused
/// at the `$ref` that makes it so.
enum RefExpansion {
    /// Nodes the resolved document may have; real APIs of hundreds of operations stay well under.
    static let maximumNodes = 500_000
    /// `$ref`s within `$ref`s: far deeper than real schemas nest.
    static let maximumDepth = 64

    private struct Target {
        var size = 0
        var depth = 0
    }

    private struct Walk {
        let root: Node
        let limit: Int
        let maximumDepth: Int
        var targets: [String: Target] = [:]
        var resolving: Set<String> = []
        /// The line of the first `$ref` to each target, in document order.
        var firstUse: [String: Int?] = [:]
        var order: [String] = []

        /// The node's size once resolved (saturating just past `limit`) and how deep its `$ref`s chain.
        mutating func measure(_ node: Node) -> Target {
            switch node {
            case .mapping(let mapping):
                if let reference = mapping["$ref"]?.string, reference.hasPrefix("#") {
                    if firstUse[reference] == nil {
                        firstUse[reference] = .some(mapping.keys.first { $0.string == "$ref" }?.mark?.line)
                        order.append(reference)
                    }
                    let target = resolve(reference)
                    return Target(size: target.size, depth: target.depth + 1)
                }
                var total = Target(size: 1)
                for (key, value) in mapping {
                    total = combined(total, measure(key))
                    total = combined(total, measure(value))
                }
                return total
            case .sequence(let sequence):
                return sequence.reduce(Target(size: 1)) { total, element in combined(total, measure(element)) }
            default:
                return Target(size: 1)
            }
        }

        private func combined(_ a: Target, _ b: Target) -> Target {
            Target(size: min(a.size + b.size, limit + 1), depth: max(a.depth, b.depth))
        }

        private mutating func resolve(_ reference: String) -> Target {
            if let known = targets[reference] { return known }
            // Deeper than allowed is an error anyway; stopping here keeps the walk's own stack shallow.
            if resolving.count > maximumDepth { return Target(size: 1, depth: resolving.count) }
            // A cycle: OpenAPIKit reports it, with its own message.
            guard resolving.insert(reference).inserted, let node = Self.node(at: reference, in: root) else { return Target(size: 1) }
            let target = measure(node)
            resolving.remove(reference)
            targets[reference] = target
            return target
        }

        /// The node a local JSON pointer (`#/components/schemas/Shipment`) names.
        static func node(at reference: String, in root: Node) -> Node? {
            var node = root
            for part in reference.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
                let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                if let mapping = node.mapping, let next = mapping[key] {
                    node = next
                } else if let sequence = node.sequence, let index = Int(key), sequence.indices.contains(index) {
                    node = sequence[index]
                } else {
                    return nil
                }
            }
            return node
        }
    }

    /// Nil when `root` resolves within the bounds; otherwise the problem, at the line of the `$ref` that breaks them.
    static func problem(in root: Node, limit: Int = maximumNodes, maximumDepth: Int = maximumDepth) -> APISpecProblem? {
        var walk = Walk(root: root, limit: limit, maximumDepth: maximumDepth)
        let whole = walk.measure(root)
        if whole.depth > maximumDepth, let deep = walk.order.first(where: { (walk.targets[$0]?.depth ?? 0) >= maximumDepth }) {
            return APISpecProblem(line: walk.firstUse[deep] ?? nil,
                                  message: "$ref '\(deep)' leads through more than \(maximumDepth) $refs, one inside the other; no API nests that deep")
        }
        guard whole.size > limit else { return nil }
        // The first $ref whose target alone is past the bound, else the largest: where the fan-out is.
        let worst = walk.order.first { (walk.targets[$0]?.size ?? 0) > limit }
            ?? walk.order.max { (walk.targets[$0]?.size ?? 0) < (walk.targets[$1]?.size ?? 0) }
        let named = worst.map { "$ref '\($0)'" } ?? "the document"
        return APISpecProblem(line: worst.flatMap { walk.firstUse[$0] ?? nil },
                              message: "\(named) makes the document resolve to more than \(limit) nodes: each $ref is copied where it is used, "
                                + "and $refs that use others several times over grow exponentially")
    }

    /// A JSON document libyaml would not read (tabs), as a tree for the walk; lines are unknown.
    static func tree(ofJSON text: String) -> Node? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else { return nil }
        func node(_ value: Any) -> Node {
            switch value {
            case let object as [String: Any]: return Node(object.map { (Node($0.key), node($0.value)) })
            case let array as [Any]: return Node(array.map(node))
            default: return Node("\(value)")
            }
        }
        return node(object)
    }
}
