/// A failure talking to PostgreSQL, with the server's diagnostics when it sent them.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Could not connect, or the connection broke.
        case connection
        /// The server rejected a statement (see ``sqlState``).
        case server
        /// A value could not be decoded into the requested Swift type.
        case decoding
        /// The wrapper was used wrongly (e.g. a column that does not exist).
        case usage
        /// The connection string (or a setting) is malformed: nothing was tried.
        case configuration
    }

    public var kind: Kind
    /// Five-character SQLSTATE code, e.g. `23505` for a unique violation.
    public var sqlState: String?
    public var message: String
    public var detail: String?
    public var hint: String?
    public var constraint: String?

    public init(
        kind: Kind, message: String, sqlState: String? = nil,
        detail: String? = nil, hint: String? = nil, constraint: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
    }

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isExclusionViolation: Bool { sqlState == "23P01" }
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    public var isCheckViolation: Bool { sqlState == "23514" }
    /// Undefined table: typically "the database is not migrated".
    public var isUndefinedTable: Bool { sqlState == "42P01" }
    /// `statement_timeout` (or a cancel) stopped the statement.
    public var isQueryCanceled: Bool { sqlState == "57014" }
    /// The server refuses a prepared statement made before a schema change (0A000 "cached plan
    /// must not change result type") or no longer has it (26000).
    /// 0A000 is the whole "feature not supported" class: only its stale-plan case is retried.
    var invalidatesPreparedStatement: Bool {
        kind == .server && (sqlState == "26000" || (sqlState == "0A000" && message.contains("cached plan must not change result type")))
    }

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail { text += "\nDETAIL: \(detail)" }
        if let hint { text += "\nHINT: \(hint)" }
        return text
    }
}
