import ButlerTestSupport
import Foundation
@_spi(RawSQL) import Postgres
import Testing

@Suite struct ConnectionTests {
    let schema: TestSchema
    let db: Connection

    init() throws {
        schema = try TestSchema(migrated: false)
        db = try schema.connect()
        try db.runScript("""
            CREATE TABLE things (
                id integer PRIMARY KEY, name text, flag boolean, amount double precision,
                big bigint, day date, at timestamptz, tags text[]
            )
            """)
    }

    @Test func everySupportedTypeRoundTrips_includingNull() throws {
        let at = Date(timeIntervalSince1970: 1_795_000_000.123456)
        try db.execute(
            "INSERT INTO things VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            [1, "玉山花园 3-2-1502", true, 12.5, Int64(9_000_000_000), "2026-11-26", at, ["老人", "a\"b", "c,d"]])
        try db.execute("INSERT INTO things (id) VALUES ($1)", [2])
        let rows = try db.query("SELECT id, name, flag, amount, big, day::text, at, tags FROM things ORDER BY id")
        #expect(rows.count == 2)
        let row = rows[0]
        #expect(try row.decode(0, as: Int.self) == 1)
        #expect(try row.decode(1, as: String.self) == "玉山花园 3-2-1502")
        #expect(try row.decode(2, as: Bool.self) == true)
        #expect(try row.decode(3, as: Double.self) == 12.5)
        #expect(try row.decode(4, as: Int.self) == 9_000_000_000)
        #expect(try row.decode(5, as: String.self) == "2026-11-26")
        let back = try row.decode(6, as: Date.self)
        #expect(abs(back.timeIntervalSince1970 - at.timeIntervalSince1970) < 0.000_001)
        #expect(try row.decode(7, as: [String].self) == ["老人", "a\"b", "c,d"])
        let empty = rows[1]
        #expect(try empty.decode(1, as: String?.self) == nil)
        #expect(try empty.decode(2, as: Bool?.self) == nil)
        #expect(throws: PostgresError.self) { try empty.decode(1, as: String.self) }
        #expect(try empty.decode("name", as: String?.self) == nil)
    }

    @Test func timestampWithZone_isTheSameInstantInShanghai() throws {
        let row = try db.query("SELECT '2026-11-26 09:30:00+08'::timestamptz, '2026-11-26T01:30:00Z'::timestamptz, current_setting('TimeZone')")[0]
        let a = try row.decode(0, as: Date.self), b = try row.decode(1, as: Date.self)
        #expect(a == b)
        #expect(try row.decode(2, as: String.self) == "Asia/Shanghai")
    }

    @Test func injectionAttemptIsStoredVerbatim() throws {
        let evil = "'; DROP TABLE things; --"
        try db.execute("INSERT INTO things (id, name) VALUES ($1, $2)", [3, evil])
        #expect(try db.query("SELECT name FROM things WHERE id = 3")[0].decode(0, as: String.self) == evil)
        #expect(try db.query("SELECT count(*) FROM things")[0].decode(0, as: Int.self) == 1)
    }

    @Test func uniqueViolationCarriesSqlState() throws {
        try db.execute("INSERT INTO things (id) VALUES ($1)", [4])
        let error = try #require(throws: PostgresError.self) {
            try db.execute("INSERT INTO things (id) VALUES ($1)", [4])
        }
        #expect(error.sqlState == "23505")
        #expect(error.isUniqueViolation)
        #expect(error.kind == .server)
        #expect(error.constraint == "things_pkey")
        #expect(error.detail?.contains("(id)=(4)") == true)
        // The connection is still usable after a failed statement.
        #expect(try db.query("SELECT 1")[0].decode(0, as: Int.self) == 1)
    }

    @Test func throwingTransactionLeavesNoRows() throws {
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.execute("INSERT INTO things (id) VALUES ($1)", [5])
                try db.execute("INSERT INTO things (id) VALUES ($1)", [6])
                throw Boom()
            }
        }
        #expect(try db.query("SELECT count(*) FROM things")[0].decode(0, as: Int.self) == 0)
    }

    @Test func nestedTransactionRollsBackToSavepoint() throws {
        try db.transaction {
            try db.execute("INSERT INTO things (id) VALUES ($1)", [7])
            _ = try? db.transaction {
                try db.execute("INSERT INTO things (id) VALUES ($1)", [7]) // duplicate: fails
            }
            try db.execute("INSERT INTO things (id) VALUES ($1)", [8])
        }
        #expect(try db.query("SELECT count(*) FROM things")[0].decode(0, as: Int.self) == 2)
    }

    @Test func copyLoadsHundredThousandRows() throws {
        let rows = (1...100_000).lazy.map { i -> [String?] in
            [String(i), i % 7 == 0 ? nil : "名字\t\(i)\\x\n", i % 2 == 0 ? "t" : "f"]
        }
        let copied = try db.copy("COPY things (id, name, flag) FROM STDIN", rows: rows)
        #expect(copied == 100_000)
        let stats = try db.query("SELECT count(*), count(name), sum(flag::int) FROM things")[0]
        #expect(try stats.decode(0, as: Int.self) == 100_000)
        #expect(try stats.decode(1, as: Int.self) == 100_000 - 100_000 / 7)
        #expect(try stats.decode(2, as: Int.self) == 50_000)
        #expect(try db.query("SELECT name FROM things WHERE id = 1")[0].decode(0, as: String.self) == "名字\t1\\x\n")
    }

    @Test func badCopyRowIsAnErrorAndLoadsNothing() throws {
        let rows: [[String?]] = [["1", "a"], ["not a number", "b"]]
        let error = try #require(throws: PostgresError.self) {
            try db.copy("COPY things (id, name) FROM STDIN", rows: rows)
        }
        #expect(error.sqlState == "22P02")
        #expect(try db.query("SELECT count(*) FROM things")[0].decode(0, as: Int.self) == 0)
    }

    @Test func preparedStatementIsReusedWithDifferentParameters() throws {
        for i in 10..<20 {
            try db.execute("INSERT INTO things (id, name) VALUES ($1, $2)", [i, "n\(i)"])
        }
        let names = try db.query("SELECT name FROM things WHERE id >= $1 ORDER BY id", [18]).map { try $0.decode(0, as: String.self) }
        #expect(names == ["n18", "n19"])
        // The server holds exactly one prepared statement for the ten inserts (none without the cache).
        let prepared = try db.query("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1",
                                    ["INSERT INTO things (id, name) VALUES ($1, $2)"])[0].decode(0, as: Int.self)
        #expect(prepared == 1)
    }
}

@Suite struct ConnectionFailureTests {
    @Test func brokenConnectionStringGivesClearError() {
        let error = #expect(throws: PostgresError.self) {
            _ = try Connection("postgresql://nobody@127.0.0.1:1/nowhere?connect_timeout=2")
        }
        #expect(error?.kind == .connection)
        #expect(error?.message.contains("127.0.0.1") == true)
    }

    @Test func malformedConnectionStringGivesClearError() {
        let error = #expect(throws: PostgresError.self) {
            _ = try Connection("postgresql://%zz@@/::")
        }
        #expect(error?.kind == .configuration)
        #expect(error?.message.isEmpty == false)
    }

    /// libpq takes a string without `=` or a URI prefix for a database name and tries the
    /// default socket; it is refused before anything is tried.
    @Test func notAConnectionString_isAConfigurationError() {
        let error = #expect(throws: PostgresError.self) { _ = try Connection("not a url") }
        #expect(error?.kind == .configuration)
        #expect(error?.message.contains("missing \"=\" after \"not\"") == true, "\(String(describing: error))")
    }
}

/// Timestamps read and written through Foundation's ISO 8601 format styles: every form the
/// server prints (offsets with minutes, no fraction, before 1970) and microseconds kept.
@Suite struct TimestampTextTests {
    @Test func everyOutputFormOfTheServer_isRead() throws {
        let schema = try TestSchema(migrated: false)
        let db = try schema.connect()
        try db.execute("SELECT set_config('TimeZone', 'Asia/Kolkata', false)")
        let row = try db.query("""
            SELECT '1950-03-01 08:00:00.5+05:30'::timestamptz, '2026-11-26 09:30:00+05:30'::timestamptz,
                   '1950-03-01 08:00:00.5+05:30'::timestamptz::text, '2026-11-26 09:30:00+05:30'::timestamptz::text
            """)[0]
        #expect(try row.decode(2, as: String.self) == "1950-03-01 08:00:00.5+05:30")
        #expect(try row.decode(3, as: String.self) == "2026-11-26 09:30:00+05:30")
        #expect(try row.decode(0, as: Date.self).timeIntervalSince1970 == -626_045_399.5)
        #expect(try row.decode(1, as: Date.self).timeIntervalSince1970 == 1_795_665_600)
    }

    @Test func microseconds_andInstantsBefore1970_roundTrip() throws {
        let schema = try TestSchema(migrated: false)
        let db = try schema.connect()
        for seconds in [-626_045_399.999_999, -0.000_001, 0, 1_795_000_000.000_001, 1_795_000_000.999_999] {
            let at = Date(timeIntervalSince1970: seconds)
            let back = try db.query("SELECT $1::timestamptz, extract(epoch FROM $1::timestamptz)::text", [at])[0]
            #expect(abs(try back.decode(0, as: Date.self).timeIntervalSince1970 - seconds) < 0.000_001, "\(seconds)")
            #expect(abs((Double(try back.decode(1, as: String.self)) ?? .nan) - seconds) < 0.000_001, "\(seconds)")
        }
    }
}
