import ButlerCore
@testable import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

@Suite struct TaskWriterTests {
    /// Its staging table empties at commit: outside a transaction it would write nothing, silently.
    @Test func outsideATransaction_itFailsLoudly() throws {
        let schema = try TestSchema()
        let db = try schema.connect()
        try seedRegistry(db)
        let task = PlannedTask(standard: .keyInventory, subject: "s1", period: "2026-11", projectID: 1, staffID: 1,
                               windowStart: try #require(Day("2026-11-02")), due: try #require(Day("2026-11-30")))
        #expect(throws: PostgresError.self) { try TaskWriter.insert([task], into: db) }
        let created = try db.transaction { try TaskWriter.insert([task], into: db) }
        #expect(created["key_inventory"]?.count == 1)
    }

    /// The events log names itself when refusing a change (it said lookup_audit before schema 0012).
    @Test func theEventsLog_refusesChanges_namingItself() throws {
        let schema = try TestSchema()
        let db = try schema.connect()
        try seedRegistry(db)
        _ = try OrderStore(db: db).create(house: "YS01/1-1-101", product: "water", by: "E1001", quantity: 1, scheduled: nil, note: "")
        let error = #expect(throws: PostgresError.self) { try db.execute("DELETE FROM events") }
        #expect(error?.message.contains("events is append-only") == true)
    }
}
