import Foundation

/// A Markdown text cut into sections (at every ATX heading) and each section's body into
/// blocks: paragraphs, list items, table rows, fenced code. The pieces cover the text exactly,
/// so diffs built from them can be applied back to it.
struct SectionedText {
    struct Section {
        /// The whole section: heading line, blank lines after it, body.
        let range: Range<Int>
        /// The heading line and the blank lines after it; nil for text before the first heading.
        let headingRange: Range<Int>?
        let level: Int
        /// The heading as a reader sees it: `#`s and inline markup removed.
        let title: String
        /// Lower-cased, spaces collapsed: what matches a section across versions.
        let key: String
        /// Consecutive, covering `range` after the heading.
        let blocks: [Range<Int>]

        var bodyRange: Range<Int> { (headingRange?.upperBound ?? range.lowerBound)..<range.upperBound }
    }

    /// A heading or a block, with the section it is in: what the block alignment compares.
    struct Unit {
        let range: Range<Int>
        let section: Int
        let isHeading: Bool
    }

    let bytes: [UInt8]
    let sections: [Section]
    /// Every heading and block, in order; together they cover the text exactly.
    let units: [Unit]
    /// Where each section starts.
    let sectionStarts: [Int]

    init(_ text: String) {
        bytes = Array(text.utf8)
        sections = Self.split(bytes)
        var units: [Unit] = []
        for (index, section) in sections.enumerated() {
            if let heading = section.headingRange { units.append(Unit(range: heading, section: index, isHeading: true)) }
            units += section.blocks.map { Unit(range: $0, section: index, isHeading: false) }
        }
        self.units = units
        sectionStarts = sections.map(\.range.lowerBound)
    }

    /// The section that holds byte `offset` (the last one starting at or before it).
    func section(at offset: Int) -> Int {
        // On the starts alone: reading a `Section` would retain and release its strings.
        sectionStarts.withUnsafeBufferPointer { starts in
            var low = 0, high = starts.count
            while low < high {
                let mid = (low + high) / 2
                if starts[mid] <= offset { low = mid + 1 } else { high = mid }
            }
            return max(0, low - 1)
        }
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    // MARK: Splitting

    private struct Line {
        let range: Range<Int>
        let isBlank: Bool
        var headingLevel: Int?
        let startsItem: Bool
        let isTableRow: Bool
        let isFence: Bool
        /// A line of only `=` or `-`: under a line of text, it makes that line a heading.
        var isUnderline = false
        /// This heading's text is underlined on the next line (a setext heading), which is part of it.
        var isSetext = false
    }

    private static func split(_ bytes: [UInt8]) -> [Section] {
        let lines = scanLines(bytes)
        guard !lines.isEmpty else { return [] }
        var headings: [Int] = []
        var inFence = false
        for (number, line) in lines.enumerated() {
            if line.isFence { inFence.toggle(); continue }
            if !inFence && line.headingLevel != nil { headings.append(number) }
        }
        let headingLines = Set(headings)
        var starts = headings
        if starts.first != 0 { starts.insert(0, at: 0) }
        return starts.enumerated().map { position, start in
            let end = position + 1 < starts.count ? starts[position + 1] : lines.count
            return section(bytes, lines, start..<end, isHeading: headingLines.contains(start))
        }
    }

    private static func section(_ bytes: [UInt8], _ lines: [Line], _ lineRange: Range<Int>, isHeading: Bool) -> Section {
        let range = lines[lineRange.lowerBound].range.lowerBound..<lines[lineRange.upperBound - 1].range.upperBound
        var bodyStart = lineRange.lowerBound
        var headingRange: Range<Int>?
        var level = 0
        var title = ""
        if isHeading {
            let heading = lines[bodyStart]
            level = heading.headingLevel ?? 0
            title = headingTitle(bytes, heading.range)
            bodyStart += heading.isSetext ? 2 : 1
            while bodyStart < lineRange.upperBound && lines[bodyStart].isBlank { bodyStart += 1 }
            headingRange = heading.range.lowerBound..<(bodyStart < lineRange.upperBound ? lines[bodyStart].range.lowerBound : range.upperBound)
        }
        var blocks: [Range<Int>] = []
        var blockStart: Int?
        var inFence = false
        var previousBlank = true
        for number in bodyStart..<lineRange.upperBound {
            let line = lines[number]
            let startsBlock: Bool
            if inFence {
                startsBlock = false
                if line.isFence { inFence = false }
            } else if line.isFence {
                startsBlock = true
                inFence = true
            } else if line.isBlank {
                startsBlock = false
            } else {
                startsBlock = previousBlank || line.startsItem || line.isTableRow
            }
            if startsBlock || blockStart == nil {
                if let start = blockStart { blocks.append(start..<line.range.lowerBound) }
                blockStart = line.range.lowerBound
            }
            previousBlank = line.isBlank && !inFence
        }
        if let start = blockStart { blocks.append(start..<range.upperBound) }
        let key = Self.key(title)
        return Section(range: range, headingRange: headingRange, level: level, title: title, key: key, blocks: blocks)
    }

    private static func scanLines(_ bytes: [UInt8]) -> [Line] {
        var lines: [Line] = bytes.withUnsafeBufferPointer { buffer in
            // Built inside the closure: appending to a captured array retains it every time.
            var lines: [Line] = []
            lines.reserveCapacity(buffer.count / 40)
            var start = 0
            while start < buffer.count {
                // memchr looks for the line end many bytes at a time.
                let found = memchr(buffer.baseAddress! + start, 0x0A, buffer.count - start)
                var end = found.map { buffer.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? buffer.count
                let contentEnd = end
                if end < buffer.count { end += 1 }
                lines.append(classify(buffer, start..<end, contentEnd: contentEnd))
                start = end
            }
            return lines
        }
        // Setext headings: a single line of text after a blank line (or at the start), underlined
        // with `===` (level 1) or `---` (level 2). A `---` after a blank line stays a rule.
        var inFence = false
        for index in lines.indices where index + 1 < lines.count {
            if lines[index].isFence { inFence.toggle() }
            let line = lines[index], under = lines[index + 1]
            guard !inFence, under.isUnderline, !line.isBlank, line.headingLevel == nil, !line.startsItem, !line.isTableRow, !line.isFence,
                  !line.isUnderline, index == 0 || lines[index - 1].isBlank else { continue }
            lines[index].headingLevel = bytes[under.range.lowerBound..<under.range.upperBound].first { $0 != 0x20 } == UInt8(ascii: "=") ? 1 : 2
            lines[index].isSetext = true
        }
        return lines
    }

    private static func classify(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, contentEnd: Int) -> Line {
        var index = range.lowerBound
        var indent = 0
        while index < contentEnd && bytes[index] == 0x20 && indent < 4 { index += 1; indent += 1 }
        // One pass over the rest of the line: blank? only `=`s, only `-`s (spaces aside)?
        var isBlank = true, onlyEquals = true, onlyDashes = true
        var marks = 0
        for position in index..<contentEnd {
            let byte = bytes[position]
            if byte == 0x20 || byte == 0x09 || byte == 0x0D { continue }
            isBlank = false
            marks += 1
            if byte != UInt8(ascii: "=") { onlyEquals = false }
            if byte != UInt8(ascii: "-") { onlyDashes = false }
            if !onlyEquals && !onlyDashes { break }
        }
        guard !isBlank, indent < 4 else {
            return Line(range: range, isBlank: isBlank, headingLevel: nil, startsItem: false, isTableRow: false, isFence: false)
        }
        let first = bytes[index]
        var headingLevel: Int?
        if first == UInt8(ascii: "#") {
            var hashes = 0
            while index + hashes < contentEnd && bytes[index + hashes] == UInt8(ascii: "#") { hashes += 1 }
            let after = index + hashes
            if hashes <= 6 && (after == contentEnd || bytes[after] == 0x20 || bytes[after] == 0x09) { headingLevel = hashes }
        }
        var startsItem = false
        if (first == UInt8(ascii: "-") || first == UInt8(ascii: "*") || first == UInt8(ascii: "+")),
           index + 1 < contentEnd, bytes[index + 1] == 0x20 {
            startsItem = true
        } else if first >= 0x30 && first <= 0x39 {
            var digits = index
            while digits < contentEnd && bytes[digits] >= 0x30 && bytes[digits] <= 0x39 { digits += 1 }
            if digits < contentEnd - 1 && (bytes[digits] == UInt8(ascii: ".") || bytes[digits] == UInt8(ascii: ")")) && bytes[digits + 1] == 0x20 {
                startsItem = true
            }
        }
        let isUnderline = onlyEquals || (onlyDashes && marks >= 2)
        let isFence = contentEnd - index >= 3
            && ((bytes[index] == 0x60 && bytes[index + 1] == 0x60 && bytes[index + 2] == 0x60)
                || (bytes[index] == 0x7E && bytes[index + 1] == 0x7E && bytes[index + 2] == 0x7E))
        return Line(range: range, isBlank: false, headingLevel: headingLevel, startsItem: startsItem,
                    isTableRow: first == UInt8(ascii: "|"), isFence: isFence, isUnderline: isUnderline)
    }

    /// "## Who we *share* with ##" → "Who we share with".
    static func headingTitle(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        var start = range.lowerBound, end = range.upperBound
        while start < end && (bytes[start] == 0x20 || bytes[start] == UInt8(ascii: "#")) { start += 1 }
        while end > start && [0x0A, 0x0D, 0x20, UInt8(ascii: "#")].contains(bytes[end - 1]) { end -= 1 }
        return MarkupStripper.plain(String(decoding: bytes[start..<end], as: UTF8.self))
    }

    /// What matches a heading across versions: its title lower-cased (by bytes when ASCII).
    static func key(_ title: String) -> String {
        guard title.utf8.allSatisfy({ $0 < 0x80 }) else { return title.lowercased() }
        return String(decoding: title.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}

/// Removes inline Markdown (emphasis, code ticks, link targets) from a short text.
enum MarkupStripper {
    static func plain(_ text: String) -> String {
        // Most headings are plain words: skip the character-by-character pass for them.
        var hasMarkup = false
        var previous: UInt8 = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "!"), 0x09:
                hasMarkup = true
            case 0x20 where previous == 0x20:
                hasMarkup = true
            default:
                break
            }
            if hasMarkup { break }
            previous = byte
        }
        if !hasMarkup { return text }
        var out = ""
        var characters = Array(text)[...]
        while let character = characters.first {
            characters.removeFirst()
            switch character {
            case "*", "_", "`":
                continue
            case "]":
                // Drop a link destination: "](url)".
                if characters.first == "(" , let close = characters.firstIndex(of: ")") {
                    characters = characters[(close + 1)...]
                }
            case "[", "!":
                if character == "!" && characters.first != "[" { out.append(character) }
            default:
                out.append(character)
            }
        }
        return out.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
