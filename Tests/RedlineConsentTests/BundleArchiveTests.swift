import Foundation
import RedlineTestSupport
import Testing
import ZIPFoundation
@testable import RedlineConsent

/// Hostile ZIPs, written byte by byte so each can lie the way an attacker's would.
@Suite struct BundleArchiveTests {
    struct Member {
        var name: String
        var stored: Data
        var method: UInt16 = 8
        var crc32: UInt32
        var declaredSize: UInt32

        /// Deflated, declaring its true size unless told otherwise.
        init(_ name: String, _ content: Data, declaring size: UInt32? = nil) throws {
            self.name = name
            var compressed = Data()
            _ = try Data.compress(size: Int64(content.count), bufferSize: 1 << 20, provider: { position, count in
                content.subdata(in: Int(position)..<Int(position) + count)
            }, consumer: { compressed.append($0) })
            stored = compressed
            crc32 = content.crc32(checksum: 0)
            declaredSize = size ?? UInt32(content.count)
        }
    }

    static func zip(_ members: [Member]) -> Data {
        var file = Data(), directory = Data()
        func le(_ value: some FixedWidthInteger, into data: inout Data) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        for member in members {
            let offset = UInt32(file.count), name = Data(member.name.utf8)
            le(UInt32(0x0403_4B50), into: &file)
            for value: UInt16 in [20, 0, member.method, 0, 0] { le(value, into: &file) }
            for value: UInt32 in [member.crc32, UInt32(member.stored.count), member.declaredSize] { le(value, into: &file) }
            le(UInt16(name.count), into: &file); le(UInt16(0), into: &file)
            file.append(name); file.append(member.stored)
            le(UInt32(0x0201_4B50), into: &directory)
            for value: UInt16 in [20, 20, 0, member.method, 0, 0] { le(value, into: &directory) }
            for value: UInt32 in [member.crc32, UInt32(member.stored.count), member.declaredSize] { le(value, into: &directory) }
            for value: UInt16 in [UInt16(name.count), 0, 0, 0, 0] { le(value, into: &directory) }
            le(UInt32(0), into: &directory); le(offset, into: &directory)
            directory.append(name)
        }
        let directoryOffset = UInt32(file.count)
        file.append(directory)
        le(UInt32(0x0605_4B50), into: &file)
        for value: UInt16 in [0, 0, UInt16(members.count), UInt16(members.count)] { le(value, into: &file) }
        le(UInt32(directory.count), into: &file); le(directoryOffset, into: &file); le(UInt16(0), into: &file)
        return file
    }

    func open(_ members: [Member], limits: BundleArchive.Limits = .init()) throws -> (Result<[String: Data], any Error>, String) {
        let folder = TemporaryDirectory("bundle")
        let path = folder.subpath("bundle.zip")
        try Self.zip(members).write(to: URL(fileURLWithPath: path))
        return (Result { try BundleVerifier.read(path, limits: limits) }, path)
    }

    func failure(_ members: [Member], limits: BundleArchive.Limits = .init()) throws -> String {
        let (result, path) = try open(members, limits: limits)
        guard case let .failure(error) = result else { Issue.record("the ZIP was read"); return "" }
        let message = "\(error)"
        #expect(message.hasPrefix("\(path) is not a bundle: "))
        return message
    }

    @Test func anHonestZipIsRead() throws {
        let (result, _) = try open([try Member("bundle.json", Data("{}".utf8)), try Member("records.jsonl", Data(repeating: 0x41, count: 300_000))])
        let files = try result.get()
        #expect(files["bundle.json"] == Data("{}".utf8))
        #expect(files["records.jsonl"]?.count == 300_000)
    }

    /// 64 MiB of zeros deflate to about 64 KiB: refused on its ratio before a byte is inflated.
    @Test func aZipBombIsRefusedBeforeItExpands() throws {
        let message = try failure([try Member("records.jsonl", Data(count: 64 << 20))])
        #expect(message.contains("records.jsonl declares 67108864 bytes from"), "\(message)")
        #expect(message.contains("zip bomb"))
    }

    /// Declaring 1 KiB does not let it inflate its 64 MiB: the bytes that come out are counted.
    @Test func anEntryLyingAboutItsSizeIsStoppedAtThatSize() throws {
        let message = try failure([try Member("records.jsonl", Data(count: 64 << 20), declaring: 1024)])
        #expect(message.contains("records.jsonl expands past the 1024 bytes it declares"), "\(message)")
    }

    @Test func declaredSizesMayNotAddUpPastTheLimit() throws {
        let members = try (0..<4).map { try Member("policies/p/\($0).html", Data((0..<400_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) })) }
        let message = try failure(members, limits: .init(totalBytes: 1_000_000))
        #expect(message.contains("it expands to more than 1000000 bytes"), "\(message)")
    }

    /// A second records.jsonl would be read in place of the first, the one the checks saw.
    @Test func aNameTwiceIsRefused() throws {
        let message = try failure([try Member("records.jsonl", Data("a\n".utf8)), try Member("records.jsonl", Data("forged\n".utf8))])
        #expect(message.contains("records.jsonl appears twice"), "\(message)")
    }

    @Test func aDamagedEntryIsNamed() throws {
        var member = try Member("chain.jsonl", Data("a line\n".utf8))
        member.crc32 ^= 1
        #expect(try failure([member]).contains("chain.jsonl is damaged: its CRC-32 does not match"))
    }

    /// A deflate stream that never ends within its entry: ZIPFoundation's reader asked for more forever.
    @Test func aTruncatedStreamEndsWithAnError() throws {
        var member = try Member("records.jsonl", Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
        member.stored = member.stored.prefix(member.stored.count / 2)
        #expect(try failure([member]).contains("records.jsonl is damaged"))
    }
}
