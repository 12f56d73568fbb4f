/// SQL text that comes from the source code, never from data.
///
/// `SQL` is `ExpressibleByStringLiteral` but deliberately *not*
/// `ExpressibleByStringInterpolation`: `"… \(value) …"` does not compile, so values
/// can only reach the server as bound parameters (`$1`, `$2`, …).
public struct SQL: Sendable, Hashable, ExpressibleByStringLiteral {
    public let text: String
    /// Literal statements are prepared once per connection and reused.
    let isCacheable: Bool

    public init(stringLiteral value: String) {
        self.text = value
        self.isCacheable = true
    }

    /// Statement text assembled at run time from trusted pieces (identifiers the code
    /// itself generated and quoted with ``quoteIdentifier(_:)``). Never pass user input.
    public init(unsafeRaw text: String) {
        self.text = text
        self.isCacheable = false
    }

    /// Two pieces of statement text, one after the other: literals stay literals (so an optional
    /// clause can be chosen in code without building text from data).
    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        SQL(text: lhs.text + rhs.text, isCacheable: lhs.isCacheable && rhs.isCacheable)
    }

    private init(text: String, isCacheable: Bool) {
        self.text = text
        self.isCacheable = isCacheable
    }

    /// Quotes an identifier (`"name"`) the way PostgreSQL's `quote_ident` does.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
