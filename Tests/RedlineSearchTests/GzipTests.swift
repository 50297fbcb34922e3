import Foundation
import Testing
@testable import RedlineSearch

@Suite struct GzipTests {
    @Test func writesADeterministicGzipMemberThatShrinksText() {
        let text = Data(String(repeating: "{\"u\":\"/privacy/\",\"t\":\"Privacy Policy\"},", count: 200).utf8)
        let compressed = Gzip.compress(text)
        #expect(compressed.prefix(3) == Data([0x1F, 0x8B, 0x08]), "gzip magic and deflate")
        #expect(compressed[4..<8] == Data([0, 0, 0, 0]), "no timestamp, so builds are reproducible")
        #expect(compressed.count < text.count / 10)
        #expect(Gzip.compress(text) == compressed)
        // The trailer holds the input's length, as gunzip checks it.
        let size = compressed.suffix(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(size == text.count)
        #expect(Gzip.compress(Data()).count > 0)
    }
}
