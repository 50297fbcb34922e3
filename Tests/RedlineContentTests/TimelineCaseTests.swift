import Foundation
import RedlineManifest
import Testing

/// `tests/cases/timeline.json` against ``PolicyTimeline``; the end-to-end suite runs the same
/// cases against the banner's rule in `consent.js`, so the two cannot drift apart.
@Suite struct TimelineCaseTests {
    struct Table: Decodable {
        let cases: [Case]
    }

    struct Case: Decodable, CustomTestStringConvertible {
        struct Version: Decodable { let effective: Day; let material: Bool }
        struct Expected: Decodable { let current: Day?; let inForce: [Day]; let reconsent: [Day] }
        let name: String
        let versions: [Version]
        let agreed: Day?
        let announced: [Day]
        let days: [String: Expected]

        var testDescription: String { name }
        var timeline: PolicyTimeline { PolicyTimeline(versions.map { .init(effective: $0.effective, material: $0.material) }) }
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../tests/cases/timeline.json").standardizedFileURL
        do {
            return try JSONDecoder().decode(Table.self, from: Data(contentsOf: url)).cases
        } catch {
            fatalError("\(url.path): \(error)")
        }
    }()

    @Test func theTableHasCases() {
        #expect(Self.cases.count >= 5)
    }

    @Test(arguments: cases)
    func theTimelineDecidesAsTheTableSays(_ example: Case) throws {
        let timeline = example.timeline
        #expect(timeline.entries.map(\.effective).filter(timeline.isAnnounced) == example.announced)
        for (text, expected) in example.days {
            let day = try #require(Day(text))
            #expect(timeline.current(on: day)?.effective == expected.current, "current on \(text)")
            #expect(timeline.entries.map(\.effective).filter { timeline.hasTakenEffect($0, on: day) } == expected.inForce, "in force on \(text)")
            #expect(timeline.reconsentVersions(since: example.agreed, on: day).map(\.effective) == expected.reconsent, "re-consent on \(text)")
            for entry in timeline.entries {
                let status = timeline.status(of: entry.effective, on: day)
                #expect(status == (entry.effective > day ? .upcoming : entry.effective == expected.current ? .current : .archived), "\(entry.effective) on \(text)")
            }
        }
    }
}
