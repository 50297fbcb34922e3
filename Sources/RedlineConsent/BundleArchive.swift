import Foundation
import CRedlineZlib

/// The files of an evidence bundle, read from a ZIP someone else handled and so read as hostile.
/// Not with ZIPFoundation's `Archive`: it trusts the sizes an entry declares and, on Linux,
/// inflates until the deflate stream says it ended (past the entry, and forever at the end of
/// the file, where its reads return nothing and it asks again). Here the
/// central directory is parsed by hand, every entry's compressed bytes are read only within its
/// own range, and what inflates is counted as it comes: an entry may not expand past the size it
/// declares, the declared sizes may not add up past a limit nor exceed a plausible compression
/// ratio, entries may not overlap, and no name may appear twice (a second `records.jsonl` would
/// otherwise let a forged copy stand in for the verified one).
struct BundleArchive {
    struct Limits: Sendable {
        /// A bundle has five files and one per policy version; more is not a bundle.
        var entries = 10_000
        /// Everything the bundle may expand to, counted on the bytes actually inflated.
        var totalBytes: UInt64 = 2 << 30
        /// JSON lines full of hashes and signatures deflate about 3:1; a zip bomb 1000:1.
        var ratio: UInt64 = 100
        /// Small files may compress better than `ratio` without costing anything.
        var smallFile: UInt64 = 1 << 20
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private struct Entry {
        let name: String
        let method: UInt16
        let crc32: UInt32
        let compressedSize: UInt64
        let size: UInt64
        let headerOffset: UInt64
    }

    private let file: FileHandle
    private let fileSize: UInt64
    private let limits: Limits

    /// Every file of the ZIP at `path` by name, or a `Failure` naming what makes it unsafe to read.
    static func files(at path: String, limits: Limits = Limits()) throws -> [String: Data] {
        guard let file = FileHandle(forReadingAtPath: path) else { throw Failure(description: "it cannot be read") }
        defer { try? file.close() }
        let archive = BundleArchive(file: file, fileSize: (try? file.seekToEnd()) ?? 0, limits: limits)
        let entries = try archive.centralDirectory()
        var files: [String: Data] = [:]
        for entry in entries where !entry.name.hasSuffix("/") {
            files[entry.name] = try archive.expand(entry)
        }
        return files
    }

    private func read(at offset: UInt64, count: Int) throws -> Data {
        guard offset <= fileSize, UInt64(count) <= fileSize - offset else { throw Failure(description: "not a ZIP file: an offset lies past its end") }
        try file.seek(toOffset: offset)
        let data = try file.read(upToCount: count) ?? Data()
        guard data.count == count else { throw Failure(description: "not a ZIP file: it ends early") }
        return data
    }

    /// The entries of the central directory, checked against the limits before anything is inflated.
    private func centralDirectory() throws -> [Entry] {
        let tailSize = Int(min(fileSize, 22 + 0xFFFF))
        let tail = try read(at: fileSize - UInt64(tailSize), count: tailSize)
        guard let end = stride(from: tailSize - 22, through: 0, by: -1).first(where: { tail.uint32(at: $0) == 0x0605_4B50 }) else {
            throw Failure(description: "not a ZIP file")
        }
        let count = Int(tail.uint16(at: end + 10)), directorySize = UInt64(tail.uint32(at: end + 12))
        let directoryOffset = UInt64(tail.uint32(at: end + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            throw Failure(description: "a ZIP64 file, larger than a bundle may be")
        }
        guard count <= limits.entries else { throw Failure(description: "\(count) files; a bundle holds at most \(limits.entries)") }
        let endOffset = fileSize - UInt64(tailSize - end)
        guard directoryOffset + directorySize <= endOffset else { throw Failure(description: "not a ZIP file: its directory lies past its end") }
        let directory = try read(at: directoryOffset, count: Int(directorySize))
        var entries: [Entry] = [], names = Set<String>(), position = 0, declared: UInt64 = 0
        for _ in 0..<count {
            let entry = try directoryEntry(directory, at: &position)
            guard names.insert(entry.name).inserted else {
                throw Failure(description: "\(entry.name) appears twice: a bundle names each file once, and a second copy could be a forgery")
            }
            let bound = max(limits.smallFile, entry.compressedSize.multipliedReportingOverflow(by: limits.ratio).partialValue)
            guard entry.size <= bound else {
                throw Failure(description: "\(entry.name) declares \(entry.size) bytes from \(entry.compressedSize) compressed, "
                              + "more than \(limits.ratio) times: a zip bomb, not a bundle")
            }
            declared += entry.size
            guard declared <= limits.totalBytes else { throw Failure(description: "it expands to more than \(limits.totalBytes) bytes, more than a bundle may") }
            entries.append(entry)
        }
        try checkRanges(entries, before: directoryOffset)
        return entries
    }

    private func directoryEntry(_ directory: Data, at position: inout Int) throws -> Entry {
        guard position + 46 <= directory.count, directory.uint32(at: position) == 0x0201_4B50 else {
            throw Failure(description: "not a ZIP file: its directory is damaged")
        }
        let nameLength = Int(directory.uint16(at: position + 28))
        let skipped = nameLength + Int(directory.uint16(at: position + 30)) + Int(directory.uint16(at: position + 32))
        guard position + 46 + skipped <= directory.count else { throw Failure(description: "not a ZIP file: its directory is damaged") }
        let start = directory.startIndex + position + 46
        let name = String(decoding: directory[start..<start + nameLength], as: UTF8.self)
        let flags = directory.uint16(at: position + 8)
        guard flags & 1 == 0 else { throw Failure(description: "\(name) is encrypted; a bundle is not") }
        let entry = Entry(name: name, method: directory.uint16(at: position + 10), crc32: directory.uint32(at: position + 16),
                          compressedSize: UInt64(directory.uint32(at: position + 20)), size: UInt64(directory.uint32(at: position + 24)),
                          headerOffset: UInt64(directory.uint32(at: position + 42)))
        position += 46 + skipped
        return entry
    }

    /// Entries that share bytes let a small file expand many times over (an "overlapping" zip bomb).
    private func checkRanges(_ entries: [Entry], before directoryOffset: UInt64) throws {
        var covered: UInt64 = 0
        for entry in entries.sorted(by: { $0.headerOffset < $1.headerOffset }) {
            guard entry.headerOffset >= covered else { throw Failure(description: "\(entry.name) overlaps another file of the ZIP: a zip bomb, not a bundle") }
            covered = try dataStart(entry) + entry.compressedSize
            guard covered <= directoryOffset else { throw Failure(description: "not a ZIP file: \(entry.name) runs into its directory") }
        }
    }

    /// Where the entry's compressed bytes start, after its local header, whose name must be the directory's.
    private func dataStart(_ entry: Entry) throws -> UInt64 {
        let header = try read(at: entry.headerOffset, count: 30)
        guard header.uint32(at: 0) == 0x0403_4B50 else { throw Failure(description: "not a ZIP file: \(entry.name) has no local header") }
        let nameLength = Int(header.uint16(at: 26)), extraLength = UInt64(header.uint16(at: 28))
        let name = try read(at: entry.headerOffset + 30, count: nameLength)
        guard name == Data(entry.name.utf8) else { throw Failure(description: "\(entry.name) is named differently in its local header") }
        return entry.headerOffset + 30 + UInt64(nameLength) + extraLength
    }

    /// The entry's bytes, checked against the size and CRC-32 it declares.
    private func expand(_ entry: Entry) throws -> Data {
        let start = try dataStart(entry)
        let output: Data
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.size else { throw tooLarge(entry) }
            output = try read(at: start, count: Int(entry.size))
        case 8:
            output = try inflated(entry, from: start)
        default:
            throw Failure(description: "\(entry.name) is compressed with method \(entry.method); a bundle uses deflate")
        }
        guard UInt64(output.count) == entry.size else { throw Failure(description: "\(entry.name) holds \(output.count) bytes, not the \(entry.size) it declares") }
        let crc = output.withUnsafeBytes { UInt32(crc32(0, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count))) }
        guard crc == entry.crc32 else { throw Failure(description: "\(entry.name) is damaged: its CRC-32 does not match") }
        return output
    }

    private func tooLarge(_ entry: Entry) -> Failure {
        Failure(description: "\(entry.name) expands past the \(entry.size) bytes it declares: a zip bomb, not a bundle")
    }

    /// Inflates only the entry's own compressed bytes, 64 KiB at a time, counting what comes out:
    /// one byte past the declared size stops it, whatever the stream would still produce.
    private func inflated(_ entry: Entry, from start: UInt64) throws -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(description: "zlib is out of memory")
        }
        defer { inflateEnd(&stream) }
        var output = Data(), consumed: UInt64 = 0, status = Z_OK
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while status != Z_STREAM_END {
            let count = Int(min(UInt64(buffer.count), entry.compressedSize - consumed))
            guard count > 0 else { throw Failure(description: "\(entry.name) is damaged: its data ends before its deflate stream does") }
            var input = try read(at: start + consumed, count: count)
            consumed += UInt64(count)
            try input.withUnsafeMutableBytes { inputBytes in
                stream.next_in = inputBytes.bindMemory(to: Bytef.self).baseAddress
                stream.avail_in = uInt(count)
                repeat {
                    let produced = try buffer.withUnsafeMutableBytes { outputBytes -> Int in
                        stream.next_out = outputBytes.bindMemory(to: Bytef.self).baseAddress
                        stream.avail_out = uInt(outputBytes.count)
                        status = inflate(&stream, Z_NO_FLUSH)
                        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                            throw Failure(description: "\(entry.name) is damaged: it is not valid deflate data")
                        }
                        return outputBytes.count - Int(stream.avail_out)
                    }
                    guard UInt64(output.count + produced) <= entry.size else { throw tooLarge(entry) }
                    output.append(contentsOf: buffer[..<produced])
                } while status != Z_STREAM_END && (stream.avail_in > 0 || stream.avail_out == 0)
            }
        }
        return output
    }
}

private extension Data {
    func uint16(at offset: Int) -> UInt16 {
        UInt16(self[startIndex + offset]) | UInt16(self[startIndex + offset + 1]) << 8
    }

    func uint32(at offset: Int) -> UInt32 {
        UInt32(uint16(at: offset)) | UInt32(uint16(at: offset + 2)) << 16
    }
}
