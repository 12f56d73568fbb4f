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

/// Numbers in the server's text form are their Swift text form: one reading for each type.
private func number<T: LosslessStringConvertible>(_ text: String) throws(PostgresError) -> T {
    guard let value = T(text) else { throw decodingError(text, "\(T.self)") }
    return value
}

extension Int: PostgresDecodable {
    public init(postgresText text: String) throws(PostgresError) { self = try number(text) }
}

extension Int32: PostgresDecodable {
    public init(postgresText text: String) throws(PostgresError) { self = try number(text) }
}

extension Double: PostgresDecodable {
    public init(postgresText text: String) throws(PostgresError) { self = try number(text) }
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

/// Conversion between `Date` and PostgreSQL timestamp text, with Foundation's ISO 8601 format
/// styles (fixed format and time zone: no locale involved).
enum PostgresTimestamp {
    /// `timestamptz` output with DateStyle ISO: `2026-11-26 09:30:00.123+08`; the fraction is
    /// optional and the offset may be `+08`, `+05:30` or `Z`.
    static let input = Date.ISO8601FormatStyle(
        dateSeparator: .dash, dateTimeSeparator: .space, timeSeparator: .colon, timeZoneSeparator: .omitted,
        includingFractionalSeconds: true, timeZone: .gmt)
    /// Whole seconds in UTC (`2026-11-26T01:30:00Z`); the microseconds are added by ``format(_:)``.
    static let output = Date.ISO8601FormatStyle(timeZone: .gmt)

    static func parse(_ text: String) -> Date? {
        try? input.parse(text)
    }

    /// RFC 3339 in UTC with microseconds, which `timestamptz` keeps (the style writes at most
    /// milliseconds).
    static func format(_ date: Date) -> String {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let seconds = (micros / 1_000_000).rounded(.down)
        let fraction = String(Int(micros - seconds * 1_000_000))
        let whole = output.format(Date(timeIntervalSince1970: seconds)).dropLast() // the "Z"
        return whole + "." + String(repeating: "0", count: 6 - fraction.count) + fraction + "Z"
    }
}
