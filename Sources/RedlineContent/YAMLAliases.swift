import Yams

/// YAML aliases let a few lines stand for an exponential tree (the "billion laughs": nine
/// anchors, each a list of ten aliases of the one before, are 10⁹ nodes in 200 bytes). Yams
/// composes such a document cheaply, sharing the aliased nodes, but whatever walks it
/// afterwards (a decoder, a search for a line) visits every copy and never finishes. So a
/// document is walked once here, counting the nodes reached through aliases, and refused when
/// they pass a bound no real policy, settings or OpenAPI file comes near.
public enum YAMLAliases {
    /// Nodes a document may reach through its aliases, counting copies of copies.
    public static let maximumNodes = 100_000

    public struct Problem: Error, Sendable, Equatable {
        /// 1-based line (libyaml's) of the anchored node whose aliases went past the bound.
        public let line: Int
        public let message: String
    }

    private struct Place: Hashable {
        let kind: UInt8
        let line: Int
        let column: Int
    }

    /// Nil when the aliases of `root` stay within `limit` nodes; otherwise the anchor that went past it.
    public static func problem(in root: Node, limit: Int = maximumNodes) -> Problem? {
        // Yams keeps a node's anchor only weakly, gone once composing ends, so a node is known
        // by where it starts: an alias is the same node again, a second visit of the same place.
        var seen = Set<Place>()
        var expanded = 0
        // An explicit stack: a walk by recursion would be as deep as the document nests.
        var stack: [(node: Node, alias: Node?)] = [(root, nil)]
        while let (node, outerAlias) = stack.popLast() {
            var alias = outerAlias
            if alias == nil, let mark = node.mark, !seen.insert(Place(kind: kind(node), line: mark.line, column: mark.column)).inserted {
                alias = node
            }
            if let alias {
                expanded += 1
                if expanded > limit {
                    let line = alias.mark?.line ?? 1
                    return Problem(line: line, message: "the aliases of the anchor on line \(line) expand to more than \(limit) nodes: "
                                   + "a YAML alias bomb, not a document to read")
                }
            }
            // Through arrays: Yams' collections step backwards slowly.
            switch node {
            case .mapping(let mapping):
                for (key, value) in Array(mapping).reversed() { stack.append((value, alias)); stack.append((key, alias)) }
            case .sequence(let sequence):
                for element in Array(sequence).reversed() { stack.append((element, alias)) }
            default:
                break
            }
        }
        return nil
    }

    private static func kind(_ node: Node) -> UInt8 {
        switch node {
        case .scalar: return 0
        case .mapping: return 1
        case .sequence: return 2
        case .alias: return 3
        }
    }
}
