import Foundation
import Testing
@testable import RedlineConsent

@Suite struct UTCTimeTests {
    /// Compared with Foundation's formatter over a spread of instants, leap days and the epoch included.
    @Test(arguments: [0.0, 0.001, 951_782_400.5, 1_709_164_800, 1_795_269_861.679, 4_102_444_799.999, -86_400.25, 1_234_567_890.123])
    func matchesFoundation(_ seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        #expect(UTCTime.timestamp(date) == formatter.string(from: date))
        #expect(UTCTime.day(date) == String(formatter.string(from: date).prefix(10)))
    }
}
