import Foundation
import RedlineManifest

/// UTC timestamps and days without a formatter: formatters are costly to create and this
/// runs on every consent request. The calendar is ``Day``'s, the only one Redline has.
public enum UTCTime {
    /// `2026-11-21T14:04:21.679Z`: how every time in a record is written.
    public static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = milliseconds.floorDivided(by: 1000)
        let day = Day(secondsSince1970: Double(seconds))
        let secondOfDay = seconds - seconds.floorDivided(by: 86_400) * 86_400
        var text = day.description + "T"
        text += digits(Int(secondOfDay / 3600), 2) + ":" + digits(Int(secondOfDay % 3600 / 60), 2) + ":" + digits(Int(secondOfDay % 60), 2)
        return text + "." + digits(Int(milliseconds - seconds * 1000), 3) + "Z"
    }

    /// `2026-11-21`.
    public static func day(_ date: Date) -> String {
        Day(date).description
    }

    /// The moment a ``timestamp(_:)`` names, or nil when `text` is not one.
    public static func date(_ text: String) -> Date? {
        let parts = text.split(separator: "T")
        guard parts.count == 2, let day = Day(parts[0]), text.hasSuffix("Z") else { return nil }
        let clock = parts[1].dropLast().split(separator: ":")
        guard clock.count == 3, let hours = Int(clock[0]), let minutes = Int(clock[1]), let seconds = Double(clock[2]),
              (0..<24).contains(hours), (0..<60).contains(minutes), seconds >= 0, seconds < 61 else { return nil }
        return day.start.addingTimeInterval(Double(hours * 3600 + minutes * 60) + seconds)
    }

    /// Whether `text` is a real calendar day written `YYYY-MM-DD`.
    public static func isDay(_ text: String) -> Bool {
        Day(text) != nil
    }

    /// `value` zero-padded to `width` digits (`String(format:)` showed up in profiles).
    private static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
