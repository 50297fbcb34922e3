import Foundation

/// The server's clock, and the one "today" it gives a manifest (``Manifest/today(clock:)``):
/// consent, change notices and the as-of pages all ask it, so they never disagree about the day.
public struct ServerClock: Sendable {
    private let read: @Sendable () -> Date

    /// `read` tells the time; tests pass a clock they move.
    public init(_ read: @escaping @Sendable () -> Date = { Date() }) {
        self.read = read
    }

    /// The machine's own clock.
    public static let system = ServerClock()

    /// One reading of the clock: the instant, for timestamps, and the day the rules apply on.
    public struct Reading: Sendable {
        public let now: Date
        public let today: Day
    }

    public func now() -> Date {
        read()
    }

    /// The clock read once for `manifest`: its instant and the day it makes today for that site.
    public func reading(for manifest: Manifest) -> Reading {
        let now = read()
        return Reading(now: now, today: manifest.today(clock: Day(now)))
    }

    public func today(for manifest: Manifest) -> Day {
        reading(for: manifest).today
    }
}
