import ButlerCore
import Foundation

/// Instants as people in the business read and type them: Asia/Shanghai, UTC+08:00
/// (China has had no daylight saving time since 1991, so the offset is fixed). The text is
/// RFC 3339 through Foundation's ISO 8601 format styles; this type only fills in what people
/// leave out (the seconds, the offset).
public enum Timestamp {
    static let shanghai = TimeZone(secondsFromGMT: 8 * 3600)!

    private static let style = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: shanghai)
    private static let fractional = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, includingFractionalSeconds: true, timeZone: shanghai)

    /// `2026-11-26T09:30:00+08:00`
    public static func rfc3339(_ date: Date) -> String {
        style.format(date)
    }

    /// Parses `2026-11-26T09:30`, `2026-11-26T09:30:15`, `2026-11-26 09:30` (Shanghai time),
    /// or the same with `Z` or an offset such as `+08:00`; a bare date means its midnight.
    public static func parse(_ text: String) -> Date? {
        var bytes = Array(text.utf8)
        while bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
        let first = bytes.firstIndex { $0 != UInt8(ascii: " ") } ?? bytes.endIndex
        bytes.removeFirst(first)
        if bytes.count == 10 { return Day(String(decoding: bytes, as: UTF8.self))?.startOfDay() }
        guard bytes.count >= 16, bytes.allSatisfy({ $0 < 0x80 }), [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[10])
        else { return nil }
        bytes[10] = UInt8(ascii: "T")
        // The offset people leave out is Shanghai's; the seconds they leave out are zero.
        var zone = Array("+08:00".utf8)
        if bytes.last == UInt8(ascii: "Z") || bytes.last == UInt8(ascii: "z") {
            zone = [UInt8(ascii: "Z")]
            bytes.removeLast()
        } else if let sign = bytes[11...].lastIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }) {
            zone = Array(bytes[sign...])
            bytes.removeSubrange(sign...)
            if zone.count == 5 { zone.insert(UInt8(ascii: ":"), at: 3) }  // +0800
        }
        if bytes.count == 16 { bytes += Array(":00".utf8) }
        // Foundation's parser rolls 25:00 over to the next day; people mean a typo.
        func number(_ at: Int) -> Int? { twoDigits(bytes, at) }
        guard bytes.count >= 19, bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let hour = number(11), hour < 24, let minute = number(14), minute < 60, let second = number(17), second < 61,
              bytes.count == 19 || (bytes[19] == UInt8(ascii: ".") && bytes.count > 20),
              zone.count == 1 || (zone.count == 6 && zone[3] == UInt8(ascii: ":") && twoDigits(zone, 1) != nil && twoDigits(zone, 4) != nil)
        else { return nil }
        let normalized = String(decoding: bytes + zone, as: UTF8.self)
        return bytes.count == 19 ? try? style.parse(normalized) : try? fractional.parse(normalized)
    }

    private static func twoDigits(_ bytes: [UInt8], _ i: Int) -> Int? {
        guard (48...57).contains(bytes[i]), (48...57).contains(bytes[i + 1]) else { return nil }
        return Int(bytes[i] - 48) * 10 + Int(bytes[i + 1] - 48)
    }
}
