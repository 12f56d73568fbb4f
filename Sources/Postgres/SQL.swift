/// SQL text that comes from the source code, never from data.
///
/// `SQL` is `ExpressibleByStringLiteral` over `StaticString` and deliberately *not*
/// `ExpressibleByStringInterpolation`: only a literal written in the source becomes SQL
/// (`SQL(stringLiteral: someString)` does not compile, nor does `"… \(value) …"`), so values
/// can only reach the server as bound parameters (`$1`, `$2`, …).
///
/// The one escape hatch, ``init(unsafeRaw:)``, is SPI: a file sees it only when it says
/// `@_spi(RawSQL) import Postgres`, and `PostgresTests` holds the list of files allowed to.
public struct SQL: Sendable, Hashable, ExpressibleByStringLiteral {
    public typealias StringLiteralType = StaticString
    public typealias ExtendedGraphemeClusterLiteralType = StaticString
    public typealias UnicodeScalarLiteralType = StaticString

    public let text: String
    /// Literal statements are prepared once per connection and reused.
    let isCacheable: Bool

    public init(stringLiteral value: StaticString) {
        self.text = value.description
        self.isCacheable = true
    }

    public init(extendedGraphemeClusterLiteral value: StaticString) {
        self.init(stringLiteral: value)
    }

    public init(unicodeScalarLiteral value: StaticString) {
        self.init(stringLiteral: value)
    }

    /// Statement text assembled at run time from trusted pieces: DDL the catalog itself wrote
    /// (bulk loads) and identifiers the code generated and quoted with ``quoteIdentifier(_:)``.
    /// Never pass user input.
    @_spi(RawSQL)
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
