import ButlerCore
import ButlerServer
import ButlerStore
import ButlerTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@_spi(RawSQL) import Postgres
import Testing

/// The API takes "now" from the server's injected clock, never the wall clock: which day a
/// butler's list is for, and when a record without `at` happened. The clock here (Thursday
/// 2026-11-26 09:10) is days away from the machine's date, so reading the wall clock breaks these.
@Suite(.serialized) struct ServerClockTests {
    let fixture: HTTPFixture
    let clock = TestClock("2026-11-26T09:10")

    init() throws {
        fixture = try HTTPFixture()
        _ = try Planner(db: try fixture.schema.connect()).plan(date: try #require(Day("2026-11-26")))
    }

    func app() -> some ApplicationProtocol { clockedApp(fixture.schema, clock) }

    var bearer: HTTPFields { [.authorization: "Bearer \(fixture.butler)", .contentType: "application/json"] }

    @Test func theButlersListWithoutADate_isTheServersToday() async throws {
        try await app().test(.live) { client in
            let response = try await client.execute(uri: "/v1/butlers/E1001/tasks", method: .get, headers: bearer)
            #expect(response.status == .ok)
            // 2026-11-26 is planned; the machine's own day is not.
            #expect(response.headers[HTTPField.Name("X-Butler-Day-Planned")!] == "true")
        }
    }

    @Test func recordsWithoutAt_happenAtTheServersClock() async throws {
        let db = try fixture.schema.connect()
        let task: Int = try db.query("""
            SELECT t.id FROM tasks t JOIN grids g ON g.id = t.grid_id WHERE g.code = 'YS01-G01' AND t.done_at IS NULL
            ORDER BY t.id LIMIT 1
            """)[0].decode(0)
        try await app().test(.live) { client in
            let touch = try await client.execute(uri: "/v1/touchpoints", method: .post, headers: bearer,
                                                 body: ByteBuffer(string: #"{"house":"YS01/1-1-101","kind":"call_out"}"#))
            #expect(touch.status == .created)
            let done = try await client.execute(uri: "/v1/tasks/\(task)/done", method: .post, headers: bearer,
                                                body: ByteBuffer(string: #"{"note":"已处理"}"#))
            #expect(done.status == .ok || done.status == .noContent || done.status == .created)
        }
        #expect(try db.query("SELECT at FROM touchpoints")[0].decode(0, as: Date.self) == clock.now)
        #expect(try db.query("SELECT done_at FROM tasks WHERE id = $1", [task])[0].decode(0, as: Date.self) == clock.now)
    }
}
