import Foundation

/// A Swift type that can be read from a column in PostgreSQL's text format.
public protocol PostgresDecodable {
    init(postgresText text: String) throws(PostgresError)
}

private func decodingError(_ text: String, _ type: String) -> PostgresError {
    PostgresError(kind: .decoding, message: "cannot read '\(text)' as \(type)")
}

extension String: PostgresDecodable {
    public init(postgresText text: String) { self = text }
}

extension Int: PostgresDecodable {
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = Int(text) else { throw decodingError(text, "Int") }
        self = value
    }
}

extension Int32: PostgresDecodable {
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = Int32(text) else { throw decodingError(text, "Int32") }
        self = value
    }
}

extension Double: PostgresDecodable {
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = Double(text) else { throw decodingError(text, "Double") }
        self = value
    }
}

extension Bool: PostgresDecodable {
    public init(postgresText text: String) throws(PostgresError) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw decodingError(text, "Bool")
        }
    }
}

extension UUID: PostgresDecodable {
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = UUID(uuidString: text) else { throw decodingError(text, "UUID") }
        self = value
    }
}

extension Date: PostgresDecodable {
    /// Reads `timestamptz` output (`2026-11-26 09:30:00.123+08`, ISO DateStyle).
    public init(postgresText text: String) throws(PostgresError) {
        guard let value = PostgresTimestamp.parse(text) else { throw decodingError(text, "timestamp") }
        self = value
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    /// Reads a one-dimensional array literal such as `{a,"b c",NULL}` (NULL elements are skipped).
    public init(postgresText text: String) throws(PostgresError) {
        var elements: [Element] = []
        var scalars = Substring(text).unicodeScalars.makeIterator()
        guard scalars.next() == "{" else { throw decodingError(text, "array") }
        var current = ""
        var quoted = false, wasQuoted = false, escaped = false
        while let ch = scalars.next() {
            if escaped { current.unicodeScalars.append(ch); escaped = false; continue }
            if quoted {
                if ch == "\\" { escaped = true } else if ch == "\"" { quoted = false } else { current.unicodeScalars.append(ch) }
                continue
            }
            switch ch {
            case "\"": quoted = true; wasQuoted = true
            case ",", "}":
                if !(current.isEmpty && !wasQuoted) && !(current == "NULL" && !wasQuoted) {
                    elements.append(try Element(postgresText: current))
                }
                current = ""; wasQuoted = false
            default: current.unicodeScalars.append(ch)
            }
        }
        self = elements
    }
}

/// Conversion between `Date` and PostgreSQL timestamp text without Foundation formatters
/// (which are slow and locale-sensitive).
enum PostgresTimestamp {
    static func format(_ date: Date) -> String {
        let totalMicros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = totalMicros / 1_000_000
        var micros = totalMicros % 1_000_000
        if micros < 0 { micros += 1_000_000; seconds -= 1 }
        var days = seconds / 86_400
        var secOfDay = seconds % 86_400
        if secOfDay < 0 { secOfDay += 86_400; days -= 1 }
        let (y, m, d) = civil(fromDays: days)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secOfDay / 3600, 2)):\(pad(secOfDay / 60 % 60, 2)):\(pad(secOfDay % 60, 2)).\(pad(micros, 6))Z"
    }

    static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        var i = 0
        func number(_ width: Int) -> Int64? {
            guard i + width <= b.count else { return nil }
            var v: Int64 = 0
            for k in 0..<width {
                let c = b[i + k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            i += width
            return v
        }
        func expect(_ set: [UInt8]) -> Bool {
            guard i < b.count, set.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let y = number(4), expect([45]), let mo = number(2), expect([45]), let d = number(2),
              expect([32, 84]), let h = number(2), expect([58]), let mi = number(2), expect([58]),
              let s = number(2) else { return nil }
        var fraction = 0.0
        if i < b.count, b[i] == 46 {
            i += 1
            var scale = 0.1
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                fraction += Double(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
        }
        var offset: Int64 = 0
        if i < b.count {
            if b[i] == 90 { // Z
                i += 1
            } else {
                let sign: Int64 = b[i] == 45 ? -1 : 1
                guard b[i] == 43 || b[i] == 45 else { return nil }
                i += 1
                guard let oh = number(2) else { return nil }
                var om: Int64 = 0, os: Int64 = 0
                if i < b.count, b[i] == 58 { i += 1; om = number(2) ?? 0 }
                if i < b.count, b[i] == 58 { i += 1; os = number(2) ?? 0 }
                offset = sign * (oh * 3600 + om * 60 + os)
            }
        }
        let days = days(fromCivil: y, mo, d)
        let seconds = days * 86_400 + h * 3600 + mi * 60 + s - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }
}
