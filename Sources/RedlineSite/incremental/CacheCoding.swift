import RedlineContent
import RedlineMarkdown
import RedlineSearch

/// The page cache's file format: length-prefixed fields in a fixed order. A cache is read and
/// written whole on every build, and JSON made that the slowest part of a one-file rebuild.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(magic: String) { bytes.append(contentsOf: magic.utf8) }

    mutating func int(_ value: Int) {
        // Variable length: most numbers here (lines, counts) fit in one or two bytes.
        var rest = UInt64(bitPattern: Int64(value))
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func strings<S: Collection>(_ values: S) where S.Element == String {
        int(values.count)
        for value in values { string(value) }
    }

    /// Bytes written before, kept as they are: a cached entry is copied, not decoded and encoded again.
    mutating func blob(_ value: ArraySlice<UInt8>) {
        int(value.count)
        bytes.append(contentsOf: value)
    }

    mutating func optional<T>(_ value: T?, _ write: (inout ByteWriter, T) -> Void) {
        bool(value != nil)
        if let value { write(&self, value) }
    }

    mutating func array<T>(_ values: [T], _ write: (inout ByteWriter, T) -> Void) {
        int(values.count)
        for value in values { write(&self, value) }
    }
}

struct ByteReader {
    struct Malformed: Error {}

    private let bytes: ArraySlice<UInt8>
    private var offset: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        offset = bytes.startIndex
    }

    /// - Throws: when `bytes` do not start with `magic`.
    init(_ bytes: [UInt8], magic: String) throws {
        self.init(bytes[...])
        let prefix = Array(magic.utf8)
        guard bytes.starts(with: prefix) else { throw Malformed() }
        offset += prefix.count
    }

    var isAtEnd: Bool { offset == bytes.endIndex }

    /// What ``ByteWriter/blob(_:)`` wrote, without copying it.
    mutating func blob() throws -> ArraySlice<UInt8> {
        let count = try int()
        guard count >= 0, count <= bytes.endIndex - offset else { throw Malformed() }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func int() throws -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.endIndex, shift < 64 else { throw Malformed() }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return Int(Int64(bitPattern: value)) }
            shift += 7
        }
    }

    mutating func bool() throws -> Bool {
        guard offset < bytes.endIndex else { throw Malformed() }
        offset += 1
        return bytes[offset - 1] != 0
    }

    mutating func string() throws -> String {
        let count = try int()
        guard count >= 0, count <= bytes.endIndex - offset else { throw Malformed() }
        defer { offset += count }
        return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
    }

    mutating func strings() throws -> [String] {
        try array { try $0.string() }
    }

    mutating func optional<T>(_ read: (inout ByteReader) throws -> T) throws -> T? {
        try bool() ? read(&self) : nil
    }

    mutating func array<T>(_ read: (inout ByteReader) throws -> T) throws -> [T] {
        let count = try int()
        guard count >= 0, count <= bytes.endIndex - offset else { throw Malformed() }
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try read(&self)) }
        return values
    }
}

extension ByteWriter {
    mutating func warnings(_ warnings: [Diagnostic]) {
        array(warnings) { out, warning in
            out.string(warning.path)
            out.optional(warning.line) { $0.int($1) }
            out.string(warning.message)
        }
    }
}

extension ByteReader {
    mutating func warnings() throws -> [Diagnostic] {
        try array { input in
            Diagnostic(.warning, path: try input.string(), line: try input.optional { try $0.int() }, try input.string())
        }
    }
}

/// Each cached piece, written and read field by field in the same order.
extension PageCache.Entry {
    func write(to out: inout ByteWriter) {
        out.array(pages) { out, page in
            out.string(page.path)
            out.bool(page.indexable)
            out.optional(page.lastModified) { $0.string($1.description) }
        }
        out.warnings(warnings)
        out.optional(policyHash) { out, hash in
            out.strings([hash.documentID, hash.effective.description, hash.sha256])
        }
        out.optional(docsHash) { out, hash in
            out.strings([hash.version, hash.path, hash.sha256])
        }
        out.array(search) { out, entry in
            out.int(entry.group.rawValue)
            out.array(entry.position) { $0.int($1) }
            out.strings([entry.document.url, entry.document.title, entry.document.label])
            out.array(entry.document.sections) { out, section in
                out.strings([section.anchor, section.heading, section.snippet])
                out.strings(section.headingTerms)
                out.strings(section.bodyTerms)
            }
        }
        out.array(links) { out, use in
            out.strings([use.source, use.pagePath, use.link.destination, use.link.written])
            out.int(use.line)
            out.int(use.link.line)
            out.bool(use.link.isImage)
        }
        out.array(anchors.sorted { $0.key < $1.key }) { out, page in
            out.string(page.key)
            out.strings(page.value)
        }
    }

    init(from input: inout ByteReader) throws {
        pages = try input.array { input in
            PublishedPage(path: try input.string(), indexable: try input.bool(), lastModified: try input.optional { try Self.day($0.string()) })
        }
        warnings = try input.warnings()
        policyHash = try input.optional { input in
            let parts = try input.strings()
            guard parts.count == 3 else { throw ByteReader.Malformed() }
            return PolicyHash(documentID: parts[0], effective: try Self.day(parts[1]), sha256: parts[2])
        }
        docsHash = try input.optional { input in
            let parts = try input.strings()
            guard parts.count == 3 else { throw ByteReader.Malformed() }
            return DocsHash(version: parts[0], path: parts[1], sha256: parts[2])
        }
        search = try input.array { input in
            guard let group = SearchEntry.Group(rawValue: try input.int()) else { throw ByteReader.Malformed() }
            let position = try input.array { try $0.int() }
            let names = try input.strings()
            guard names.count == 3 else { throw ByteReader.Malformed() }
            let sections = try input.array { input in
                let texts = try input.strings()
                guard texts.count == 3 else { throw ByteReader.Malformed() }
                return PreparedDocument.Section(anchor: texts[0], heading: texts[1], snippet: texts[2],
                                                headingTerms: Set(try input.strings()), bodyTerms: Set(try input.strings()))
            }
            return SearchEntry(group: group, position: position,
                               document: PreparedDocument(url: names[0], title: names[1], label: names[2], sections: sections))
        }
        links = try input.array { input in
            let texts = try input.strings()
            guard texts.count == 4 else { throw ByteReader.Malformed() }
            let line = try input.int()
            let link = LinkReference(destination: texts[2], written: texts[3], line: try input.int(), isImage: try input.bool())
            return LinkUse(source: texts[0], line: line, pagePath: texts[1], link: link)
        }
        var anchors: [String: [String]] = [:]
        for (page, names) in try input.array({ input in (try input.string(), try input.strings()) }) {
            anchors[page] = names
        }
        self.anchors = anchors
    }

    private static func day(_ text: String) throws -> Day {
        guard let day = Day(text) else { throw ByteReader.Malformed() }
        return day
    }
}

extension ParseMemo.DocsPageFields {
    func write(to out: inout ByteWriter) {
        out.string(title)
        out.optional(weight) { $0.int($1) }
        out.optional(deprecated) { $0.string($1) }
        out.bool(draft)
        out.warnings(warnings)
    }

    init(from input: inout ByteReader) throws {
        self.init(title: try input.string(), weight: try input.optional { try $0.int() }, deprecated: try input.optional { try $0.string() },
                  draft: try input.bool(),
                  warnings: try input.warnings())
    }
}
