import Foundation
import RedlineConsent
import RedlineManifest
import RedlineStores
import RedlineTestSupport
import Testing

/// The impression counters, on SQLite and PostgreSQL alike.
@Suite struct ImpressionStoreTests {
    func key(_ day: String, _ region: String = "DE", _ mode: ConsentMode = .optIn, _ notice: String = "8c22d015a416eed6") -> ImpressionKey {
        ImpressionKey(day: day, region: region, mode: mode, notice: notice)
    }

    @Test(arguments: StoreKind.allCases) func countsAddUpPerKeyAndArePickedByDay(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let database = try await fixture.open()
        let store = database.impressionStore()
        try await store.add([key("2026-11-01"): 3, key("2026-11-01", "", .optIn): 1, key("2026-11-02", "US-CA", .optOut): 2])
        try await store.add([key("2026-11-01"): 4, key("2026-11-03"): 1])
        let counts = try await store.counts(from: "2026-11-01", to: "2026-11-02")
        #expect(counts.map(\.key) == [key("2026-11-01", "", .optIn), key("2026-11-01"), key("2026-11-02", "US-CA", .optOut)])
        #expect(counts.map(\.impressions) == [1, 7, 2])
        // Read-only, as `consent stats` reads: the same numbers.
        await database.close()
        let read = try await StoreDatabase.readImpressions(fixture.db, from: "2026-11-01", to: "2026-11-03", timeouts: StoreFixture.patientTimeouts)
        #expect(read.map(\.impressions) == [1, 7, 2, 1])
        // Only the key and the count are stored.
        let columns = try await fixture.rows("SELECT * FROM impression_count").first.map { Set($0.keys) }
        #expect(columns == ["day", "region", "mode", "notice", "impressions"])
    }

    @Test(arguments: StoreKind.allCases) func concurrentBatchesLoseNothing(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let database = try await fixture.open()
        let store = database.impressionStore()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for batch in 0..<8 {
                group.addTask { try await store.add([self.key("2026-11-01"): 5, self.key("2026-11-0\(batch % 3 + 1)", "FR"): 1]) }
            }
            try await group.waitForAll()
        }
        let counts = try await store.counts(from: "2026-11-01", to: "2026-11-03")
        #expect(counts.reduce(0) { $0 + $1.impressions } == 48)
        #expect(counts.first { $0.key == key("2026-11-01") }?.impressions == 40)
        await database.close()
    }
}
