import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

/// Time is an input: orders, complaints and inspection reports take "now" from their caller,
/// never from the wall clock inside the store (a review finding of issue 13).
@Suite struct ServiceClockTests {
    let schema: TestSchema
    let db: Connection
    /// A fixed instant well before the wall clock of any run.
    let now = Timestamp.parse("2026-11-23T15:00")!

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        try seedRegistry(db)
    }

    @Test func ordersScheduleAndCancel_atTheCallersNow() throws {
        let orders = OrderStore(db: db, now: now)
        let id = try orders.create(house: "YS01/1-1-101", product: "water", by: "E1001", quantity: 1, scheduled: nil, note: "")
        try orders.schedule(id, on: try #require(Day("2026-11-24")), by: "E1001")
        try orders.cancel(id, reason: "业主取消", by: "E1001")
        let times: [Date] = try db.query("""
            SELECT at FROM events WHERE entity = 'order' AND entity_id = $1 AND action IN ('scheduled', 'cancelled') ORDER BY id
            """, [id]).map { try $0.decode(0) }
        #expect(times == [now, now], "the events carry the caller's clock, not the wall clock")
        // A follow-up an hour after the caller's now is in the future for this caller.
        let other = try orders.create(house: "YS01/1-1-101", product: "water", by: "E1001", quantity: 1, scheduled: nil, note: "")
        try orders.complete(other, at: now.addingTimeInterval(-3600), by: "E1001")
        #expect(throws: ButlerError.self) { try orders.followUp(other, at: now.addingTimeInterval(3600), rating: 5, note: "", by: "E1001") }
    }

    @Test func aComplaintClosesAtTheCallersNow_orAtAGivenPastTime_neverInTheFuture() throws {
        let opened = try Records(db: db, now: now).touch(house: "YS01/1-1-101", kind: .complaint, by: "E1001",
                                                         at: now.addingTimeInterval(-7200), note: "楼道灯不亮")
        let complaint = try #require(opened.complaint)
        let store = ComplaintStore(db: db, now: now)
        let future = #expect(throws: ButlerError.self) {
            try store.close(complaint, result: "已修复", by: "E1001", at: now.addingTimeInterval(3600))
        }
        #expect(future?.field == "at")
        try store.close(complaint, result: "已修复", by: "E1001")
        let closed: Date = try db.query("SELECT closed_at FROM complaints WHERE id = $1", [complaint])[0].decode(0)
        #expect(closed == now)
    }
}
