import Testing
@testable import RedlineContent

@Suite struct DayTests {
    @Test(arguments: ["2026-04-17", "2024-02-29", "0001-01-01"])
    func parsesValidDates(_ text: String) {
        #expect(Day(text)?.description == text)
    }

    @Test(arguments: ["2026-02-30", "2025-02-29", "2026-4-17", "2026-13-01", "17-04-2026", "2026/04/17", "", "2026-04-17T00:00"])
    func rejectsInvalidDates(_ text: String) {
        #expect(Day(text) == nil)
    }

    @Test func ordersAndCountsDays() {
        let a = Day("2026-01-31"), b = Day("2026-03-01")
        #expect(a < b)
        #expect(a.days(until: b) == 29)
        #expect(Day(secondsSince1970: 0) == Day("1970-01-01"))
        #expect(Day(secondsSince1970: Double(Day("2026-11-21").ordinal) * 86_400 + 3_600) == Day("2026-11-21"))
    }

    @Test func naturalOrderPutsV10AfterV2() {
        #expect("v2".naturalLess(than: "v10"))
        #expect(!"v10".naturalLess(than: "v2"))
        #expect("v1".naturalLess(than: "v1.1"))
    }
}
