import Foundation

extension Connection {
    /// Runs `body` with another `statement_timeout` (`nil`: no limit), then restores the
    /// session's own: one call that may run long (an import, a day's planning) or must be
    /// short. A statement stopped by it throws SQLSTATE 57014 (``PostgresError/isQueryCanceled``)
    /// and the connection stays usable.
    public func withStatementTimeout<T>(_ timeout: Duration?, _ body: () throws -> T) throws -> T {
        let previous: String = try query(
            "SELECT current_setting('statement_timeout'), set_config('statement_timeout', $1, false)",
            [StatementTimeout.milliseconds(timeout)])[0].decode(0)
        defer {
            // In an aborted transaction this fails, and the ROLLBACK restores the setting anyway.
            _ = try? query("SELECT set_config('statement_timeout', $1, false)", [previous])
        }
        return try body()
    }
}

/// `statement_timeout` values: whole milliseconds, `0` for no limit.
public enum StatementTimeout {
    public static func milliseconds(_ timeout: Duration?) -> String {
        guard let timeout else { return "0" }
        let (seconds, attoseconds) = timeout.components
        // At least 1 ms: 0 would mean "no limit".
        return String(max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }
}
