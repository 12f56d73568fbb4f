import ButlerTestSupport
import Foundation
@_spi(RawSQL) import Postgres
import Testing

/// What a connection does when the server changes under it: a table altered under a prepared
/// statement, a backend terminated in the middle of a COPY, a statement over its time limit.
@Suite struct ConnectionRecoveryTests {
    let schema: TestSchema
    let db: Connection

    init() throws {
        schema = try TestSchema(migrated: false)
        db = try schema.connect()
        try db.runScript("CREATE TABLE things (id integer PRIMARY KEY, name text)")
        try db.execute("INSERT INTO things VALUES (1, 'a')")
    }

    /// `SELECT *` prepared, a column added from another connection: PostgreSQL refuses the
    /// cached plan (0A000 "cached plan must not change result type"); the wrapper prepares again.
    @Test func aTableAlteredUnderAPreparedStatement_isPreparedAgain() throws {
        #expect(try db.query("SELECT * FROM things ORDER BY id").columnCount == 2)
        try schema.connect().execute("ALTER TABLE things ADD COLUMN note text DEFAULT 'x'")
        let rows = try db.query("SELECT * FROM things ORDER BY id")
        #expect(rows.columnCount == 3)
        #expect(try rows[0].decode("note", as: String.self) == "x")
        // The stale statement is gone from the server; one statement remains for the text.
        #expect(try db.query("SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT * FROM things ORDER BY id'")[0]
            .decode(0, as: Int.self) == 1)
    }

    /// A prepared statement the server no longer has (26000) is prepared again.
    @Test func aDeallocatedStatement_isPreparedAgain() throws {
        #expect(try db.query("SELECT name FROM things WHERE id = $1", [1])[0].decode(0, as: String.self) == "a")
        try db.runScript("DEALLOCATE ALL")
        #expect(try db.query("SELECT name FROM things WHERE id = $1", [1])[0].decode(0, as: String.self) == "a")
    }

    /// Inside a transaction the 0A000 has already aborted it: no retry, a clear error, and the
    /// transaction run again works (the stale statement was evicted).
    @Test func insideATransaction_theErrorIsClear_andARetryOfTheTransactionWorks() throws {
        _ = try db.query("SELECT * FROM things ORDER BY id")
        try schema.connect().execute("ALTER TABLE things ADD COLUMN note text")
        let error = #expect(throws: PostgresError.self) {
            try db.transaction { _ = try db.query("SELECT * FROM things ORDER BY id") }
        }
        #expect(error?.sqlState == "0A000")
        #expect(error?.message.contains("run the transaction again") == true, "\(String(describing: error))")
        let columns = try db.transaction { try db.query("SELECT * FROM things ORDER BY id").columnCount }
        #expect(columns == 3)
    }

    /// libpq reports a lost connection from PQputCopyData (a constraint or a bad value is only
    /// reported after PQputCopyEnd): the copy stops reading rows there and throws that failure.
    @Test func aCopyWhoseBackendIsTerminated_stopsSendingAndSaysSo() throws {
        let pid: Int = try db.query("SELECT pg_backend_pid()")[0].decode(0)
        let killer = try schema.connect()
        let total = 400_000
        final class Counter { var produced = 0 }
        let counter = Counter()
        let rows = (1...total).lazy.map { i -> [String?] in
            counter.produced = i
            if i == 10_000 {
                // Waits (up to 10 s) until the backend has exited: the next sends fail.
                _ = try? killer.query("SELECT pg_terminate_backend($1, 10000)", [pid])
            }
            return [String(i), "row \(i)"]
        }
        let error = #expect(throws: PostgresError.self) { try db.copy("COPY things (id, name) FROM STDIN", rows: rows) }
        #expect(error?.kind == .connection, "\(String(describing: error))")
        #expect(counter.produced < 100_000, "read \(counter.produced) of \(total) rows after the connection was lost")
        #expect(!db.isHealthy)
    }

    /// A per-call timeout: `pg_sleep` past it is SQLSTATE 57014, and the connection stays usable
    /// with its own timeout back.
    @Test func aStatementOverItsTimeout_isCanceled_andTheConnectionStaysUsable() throws {
        let before: String = try db.query("SELECT current_setting('statement_timeout')")[0].decode(0)
        let error = #expect(throws: PostgresError.self) {
            try db.withStatementTimeout(.milliseconds(50)) { try db.execute("SELECT pg_sleep(5)") }
        }
        #expect(error?.isQueryCanceled == true, "\(String(describing: error))")
        #expect(error?.message.contains("statement timeout") == true)
        #expect(try db.query("SELECT 1")[0].decode(0, as: Int.self) == 1)
        #expect(try db.query("SELECT current_setting('statement_timeout')")[0].decode(0, as: String.self) == before)
    }

    /// The same inside a transaction: the ROLLBACK restores the session's timeout.
    @Test func aTimeoutInsideATransaction_rollsBackAndRestores() throws {
        let before: String = try db.query("SELECT current_setting('statement_timeout')")[0].decode(0)
        #expect(throws: PostgresError.self) {
            try db.transaction {
                try db.withStatementTimeout(.milliseconds(50)) { try db.execute("SELECT pg_sleep(5)") }
            }
        }
        #expect(try db.query("SELECT current_setting('statement_timeout')")[0].decode(0, as: String.self) == before)
    }
}
