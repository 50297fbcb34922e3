import Foundation
import RedlineTestSupport
import Testing
@testable import RedlineDiff

/// Applying the operations to the old text gives the new text, token for token.
@Suite struct ExactnessTests {
    /// Deterministic pseudo-random generator, so a failure can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let words = ["data", "we", "share", "the", "carrier", "retention", "months", "consent", "policy", "your",
                        "rights", "ünïcode", "e-mail", "42", "and", "with", "**bold**", "`code`", "[link](x.md)"]

    static func document(_ rng: inout SplitMix) -> String {
        var text = ""
        for section in 0..<Int.random(in: 1...6, using: &rng) {
            if section > 0 || Bool.random(using: &rng) { text += "\(String(repeating: "#", count: Int.random(in: 1...3, using: &rng))) Heading \(Int.random(in: 0...5, using: &rng))\n\n" }
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                switch Int.random(in: 0...3, using: &rng) {
                case 0: text += "- " + sentence(&rng) + "\n- " + sentence(&rng) + "\n\n"
                case 1: text += "| a | b |\n|---|---|\n| " + sentence(&rng) + " | x |\n\n"
                case 2: text += "```\n" + sentence(&rng) + "\n```\n\n"
                default: text += sentence(&rng) + " " + sentence(&rng) + "\n\n"
                }
            }
        }
        return text
    }

    static func sentence(_ rng: inout SplitMix) -> String {
        (0..<Int.random(in: 1...12, using: &rng)).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ") + "."
    }

    /// Random edits: insert, delete, replace or move spans of lines and of characters.
    static func edit(_ text: String, _ rng: inout SplitMix) -> String {
        var lines = text.components(separatedBy: "\n")
        for _ in 0..<Int.random(in: 1...6, using: &rng) {
            guard !lines.isEmpty else { lines.append(sentence(&rng)); continue }
            let index = Int.random(in: 0..<lines.count, using: &rng)
            switch Int.random(in: 0...4, using: &rng) {
            case 0: lines.insert(sentence(&rng), at: index)
            case 1: lines.remove(at: index)
            case 2:
                var words = lines[index].components(separatedBy: " ")
                if !words.isEmpty { words[Int.random(in: 0..<words.count, using: &rng)] = Self.words.randomElement(using: &rng)! }
                lines[index] = words.joined(separator: " ")
            case 3:
                let line = lines.remove(at: index)
                lines.insert(line, at: Int.random(in: 0...lines.count, using: &rng))
            default:
                lines[index] += " " + sentence(&rng)
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test(arguments: 0..<300)
    func opsRebuildBothTexts(seed: Int) {
        var rng = SplitMix(state: UInt64(seed))
        let old = Self.document(&rng)
        let new = Self.edit(old, &rng)
        let redline = RedlineDiffer.diff(old: old, new: new)
        #expect(redline.oldText == old, "seed \(seed)")
        #expect(redline.newText == new, "seed \(seed)")
        for section in redline.sections {
            let ops = section.ops
            #expect(!ops.isEmpty || section.heading.isEmpty)
        }
    }

    @Test(arguments: 0..<100)
    func sectionOpsRebuildTheirSections(seed: Int) {
        var rng = SplitMix(state: UInt64(1_000 + seed))
        let old = Self.document(&rng)
        let new = Self.edit(old, &rng)
        let redline = RedlineDiffer.diff(old: old, new: new)
        let oldSections = SectionedText(old), newSections = SectionedText(new)
        // A section's ops give its new text whole; a removed section's, its old text whole; an
        // unchanged section's have no edits but of blank space. (Old text may come from several old sections, or
        // have gone to several new ones: that is what split and merged mean; a deletion at the
        // border of two sections is shown in one of them.)
        for section in redline.sections {
            let oldPart = section.ops.filter { $0.kind != .insert }.map(\.text).joined()
            let newPart = section.ops.filter { $0.kind != .delete }.map(\.text).joined()
            if let index = section.newIndex { #expect(newPart == newSections.text(newSections.sections[index].range), "seed \(seed)") }
            if let index = section.oldIndex, section.status == .removed {
                #expect(oldPart == oldSections.text(oldSections.sections[index].range), "seed \(seed)")
            }
            if section.status == .unchanged {
                #expect(section.ops.allSatisfy { $0.kind == .equal || $0.text.allSatisfy(\.isWhitespace) }, "seed \(seed)")
            }
        }
    }

    @Test func everyConsecutivePairOfTheSampleVersions() throws {
        let policies = Repository.content + "/policies"
        let ids = try FileManager.default.contentsOfDirectory(atPath: policies).sorted()
        var pairs = 0
        for id in ids {
            let files = try FileManager.default.contentsOfDirectory(atPath: "\(policies)/\(id)").filter { $0.hasSuffix(".md") }.sorted()
            for (previous, next) in zip(files, files.dropFirst()) {
                let old = try body("\(policies)/\(id)/\(previous)"), new = try body("\(policies)/\(id)/\(next)")
                let redline = RedlineDiffer.diff(old: old, new: new)
                #expect(redline.oldText == old, "\(id) \(previous)")
                #expect(redline.newText == new, "\(id) \(next)")
                #expect(redline.inserted + redline.deleted > 0, "\(id) \(next) should differ from \(previous)")
                pairs += 1
            }
        }
        #expect(pairs >= 4)
    }

    func body(_ path: String) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.components(separatedBy: "\n---\n").dropFirst().joined(separator: "\n---\n")
    }
}
