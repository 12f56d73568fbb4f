import Foundation

/// A Swift value that can be sent as a bound parameter, in PostgreSQL's text format.
public protocol PostgresBindable: Sendable {
    /// The text form of the value, or `nil` for SQL `NULL`.
    var postgresText: String? { get }
}

extension String: PostgresBindable {
    public var postgresText: String? { self }
}

extension Substring: PostgresBindable {
    public var postgresText: String? { String(self) }
}

extension Int: PostgresBindable {
    public var postgresText: String? { String(self) }
}

extension Int32: PostgresBindable {
    public var postgresText: String? { String(self) }
}

extension Int64: PostgresBindable {
    public var postgresText: String? { String(self) }
}

extension Double: PostgresBindable {
    public var postgresText: String? { String(self) }
}

extension Bool: PostgresBindable {
    public var postgresText: String? { self ? "t" : "f" }
}

extension UUID: PostgresBindable {
    public var postgresText: String? { uuidString }
}

extension Date: PostgresBindable {
    /// RFC 3339 in UTC with microseconds; the server converts to `timestamptz`.
    public var postgresText: String? { PostgresTimestamp.format(self) }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public var postgresText: String? {
        switch self {
        case .none: nil
        case .some(let value): value.postgresText
        }
    }
}

extension Array: PostgresBindable where Element: PostgresBindable {
    /// An array literal (`{"a","b",NULL}`), for `= ANY($1)` and `unnest($1::text[])`, and for
    /// array columns in COPY's text format (imports).
    public var postgresText: String? {
        var text = "{"
        for (i, element) in enumerated() {
            if i > 0 { text += "," }
            if let value = element.postgresText {
                text += "\""
                // Most values need no escaping: append them whole (imports encode an array per row).
                if value.utf8.contains(where: { $0 == 34 || $0 == 92 }) {
                    for ch in value.unicodeScalars {
                        if ch == "\"" || ch == "\\" { text += "\\" }
                        text.unicodeScalars.append(ch)
                    }
                } else {
                    text += value
                }
                text += "\""
            } else {
                text += "NULL"
            }
        }
        return text + "}"
    }
}
