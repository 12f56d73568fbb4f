import ButlerCore
import Foundation

/// Instants as people in the business read and type them: Asia/Shanghai, UTC+08:00
/// (China has had no daylight saving time since 1991, so the offset is fixed).
public enum Timestamp {
    static let offsetSeconds = 8 * 3600

    /// `2026-11-26T09:30:00+08:00`
    public static func rfc3339(_ date: Date) -> String {
        let local = Int((date.timeIntervalSince1970).rounded(.down)) + offsetSeconds
        let day = Day.from(date)
        let secondOfDay = ((local % 86_400) + 86_400) % 86_400
        return "\(day)T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))+08:00"
    }

    /// Parses `2026-11-26T09:30`, `2026-11-26T09:30:15`, `2026-11-26 09:30` (Shanghai time),
    /// or the same with `Z` or an offset such as `+08:00`; a bare date means its midnight.
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let day = Day(trimmed) { return day.startOfDay() }
        guard trimmed.count >= 16, let day = Day(String(trimmed.prefix(10))) else { return nil }
        let chars = Array(trimmed)
        guard chars[10] == "T" || chars[10] == " " || chars[10] == "t" else { return nil }
        var rest = String(chars[11...])
        var offset = offsetSeconds
        if rest.hasSuffix("Z") || rest.hasSuffix("z") {
            offset = 0
            rest.removeLast()
        } else if let signIndex = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = rest[rest.index(after: signIndex)...].replacingOccurrences(of: ":", with: "")
            guard zone.count == 4, let hh = Int(zone.prefix(2)), let mm = Int(zone.suffix(2)) else { return nil }
            offset = (hh * 3600 + mm * 60) * (rest[signIndex] == "-" ? -1 : 1)
            rest = String(rest[..<signIndex])
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
              parts[0].count == 2, parts[1].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        var seconds = 0.0
        if parts.count == 3 {
            guard let s = Double(parts[2]), s >= 0, s < 61 else { return nil }
            seconds = s
        }
        let midnightUTC = day.startOfDay().timeIntervalSince1970 + Double(offsetSeconds)
        return Date(timeIntervalSince1970: midnightUTC + Double(h * 3600 + m * 60) + seconds - Double(offset))
    }

    private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
}
