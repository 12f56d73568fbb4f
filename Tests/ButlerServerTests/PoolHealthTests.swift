import ButlerServer
import ButlerStore
import ButlerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Postgres
import Synchronization
import Testing

@testable import ButlerServer

/// Terminates the backends of connections tagged `applicationName` (what a PostgreSQL restart
/// does to a pool's idle connections) and waits until they are gone. Other suites' connections
/// in the same database are left alone. `as` must be the tagged connections' role or a member
/// of it (a role may signal its own backends).
func terminateBackends(_ applicationName: String, schema: TestSchema, as role: String) throws -> Int {
    let db = try schema.config(role: role).connect()
    // MATERIALIZED: the filter runs first, so no other backend is ever signalled.
    return try db.query("""
        WITH targets AS MATERIALIZED (
            SELECT pid FROM pg_stat_activity
            WHERE application_name = $1 AND datname = current_database() AND pid <> pg_backend_pid())
        SELECT count(*)::int FROM targets WHERE pg_terminate_backend(pid, 5000)
        """, [applicationName])[0].decode(0, as: Int.self)
}

@Suite struct PoolHealthTests {
    let fixture: HTTPFixture

    init() throws { fixture = try HTTPFixture() }

    /// After the server's backends are killed, every write succeeds: the dead idle connections
    /// are found before any work runs on them and replaced. (The old pool answered the first
    /// request after a restart with 503 for each dead idle connection.)
    @Test func writesSucceed_afterPooledBackendsAreTerminated() async throws {
        let tag = "pooltest_" + UUID().uuidString.prefix(8).lowercased()
        try await fixture.app(poolSize: 2, applicationName: tag).test(.live) { client in
            var headers = bearer(fixture.agent)
            headers[.contentType] = "application/json"
            let touch = ByteBuffer(string: #"{"house":"YS01/1-1-101","kind":"call_in","note":"pool"}"#)
            for _ in 0..<3 {
                try await client.execute(uri: "/v1/touchpoints", method: .post, headers: headers, body: touch) { response in
                    #expect(response.status == .created)
                }
            }
            #expect(try terminateBackends(tag, schema: fixture.schema, as: ServerRole.defaultName) >= 1)
            for i in 0..<10 {
                try await client.execute(uri: "/v1/touchpoints", method: .post, headers: headers, body: touch) { response in
                    #expect(response.status == .created, "write \(i + 1) after the backends were terminated: \(response.status)")
                }
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
        let db = try fixture.schema.connect()
        #expect(try db.query("SELECT count(*)::int FROM touchpoints WHERE note = 'pool'")[0].decode(0, as: Int.self) == 13)
    }

    /// Several idle connections killed at once: the first dead one drops them all; no request's
    /// work runs twice.
    @Test func pool_dropsAllIdle_whenOneIsDead_andRunsEachBodyOnce() async throws {
        let tag = "pooltest_" + UUID().uuidString.prefix(8).lowercased()
        var config = fixture.schema.config
        config.settings["application_name"] = tag
        let pool = DatabasePool(config: config, size: 3)
        // Three at once: three connections.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask { _ = try await pool.withConnection { db in try db.query("SELECT pg_sleep(0.3)").count } }
            }
            try await group.waitForAll()
        }
        #expect(pool.idleCount == 3)
        // The owner role: the pool here runs as the test database's owner.
        #expect(try terminateBackends(tag, schema: fixture.schema, as: "butler") == 3)
        let runs = Counter()
        for _ in 0..<10 {
            let one = try await pool.withConnection { db -> Int in
                runs.add()
                return try db.query("SELECT 1")[0].decode(0, as: Int.self)
            }
            #expect(one == 1)
        }
        #expect(runs.value == 10)
        #expect(pool.idleCount == 1)
        try await pool.shutdown()
    }

    /// Work whose connection breaks under it is not retried (it may have written), the
    /// connection is not pooled again, and the next call gets a live one.
    @Test func pool_neverRetriesWork_thatFailedMidway() async throws {
        let pool = DatabasePool(config: fixture.schema.config, size: 1)
        let runs = Counter()
        await #expect(throws: PostgresError.self) {
            try await pool.withConnection { db in
                runs.add()
                try db.query("SELECT pg_terminate_backend(pg_backend_pid())")
            }
        }
        #expect(runs.value == 1)
        #expect(pool.idleCount == 0)
        #expect(try await pool.withConnection { db in try db.query("SELECT 1")[0].decode(0, as: Int.self) } == 1)
        try await pool.shutdown()
    }
}

/// How many times a body ran.
final class Counter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
