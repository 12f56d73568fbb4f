import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

private func time(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }
private func day(_ text: String) throws -> Day { try #require(Day(text)) }

@Suite struct OrderTests {
    let schema: TestSchema
    let db: Connection
    let orders: OrderStore

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        try seedRegistry(db)
        orders = OrderStore(db: db)
    }

    @Test func orderStateMachine_legalPathAndIllegalMoves() throws {
        let id = try orders.create(house: "YS01/1-1-101", product: "water", by: "E1001", quantity: 2, scheduled: nil, note: "")
        #expect(try orders.list(house: nil, butler: "E1001", status: nil).first?.amount_fen == 4000)
        // Follow-up before completion is refused with a message naming both states.
        let early = #expect(throws: ButlerError.self) { try orders.followUp(id, at: Date(), rating: 5, note: "", by: "E1001") }
        #expect(early?.kind == .conflict)
        #expect(early?.field == "order")
        #expect(early?.description == "订单 \(id) 当前为「已下单」，不能变为「已回访」（可变为：已取消、已完成、已预约）", "names both states and the legal ones")
        try orders.schedule(id, on: try day("2026-11-20"), by: "E1001")
        try orders.complete(id, at: try time("2026-11-20T10:00"), by: "E1001")
        #expect(throws: ButlerError.self) { try orders.cancel(id, reason: "太晚了", by: nil) }
        #expect(throws: ButlerError.self) { try orders.complete(id, at: Date(), by: nil) }
        try orders.followUp(id, at: try time("2026-11-20T12:00"), rating: 5, note: "满意", by: "E1001")
        #expect(throws: ButlerError.self) { try orders.followUp(id, at: Date(), rating: 4, note: "", by: nil) }
        #expect(try orders.list(house: "YS01/1-1-101", butler: nil, status: .followedUp).map(\.id) == [id])
        // Every change is in the event log, with who and when.
        let actions = try db.query("SELECT action FROM events WHERE entity = 'order' AND entity_id = $1 ORDER BY id", [id])
            .map { try $0.decode(0, as: String.self) }
        #expect(actions == ["created", "scheduled", "completed", "followed_up"])
        #expect(throws: PostgresError.self) { try db.execute("DELETE FROM events") }
    }

    @Test func cancelledOrder_acceptsNothingMore() throws {
        let id = try orders.create(house: "YS01/1-1-101", product: "cleaning", by: "E1001", quantity: 1, scheduled: try day("2026-11-30"), note: "")
        #expect(try orders.list(house: nil, butler: nil, status: .scheduled).map(\.id) == [id])
        try orders.cancel(id, reason: "业主取消", by: "E1001")
        #expect(throws: ButlerError.self) { try orders.complete(id, at: Date(), by: nil) }
        #expect(throws: ButlerError.self) { try orders.schedule(id, on: try day("2026-12-01"), by: nil) }
    }

    @Test func unknownProduct_isAClearError() throws {
        let error = #expect(throws: ButlerError.self) {
            try orders.create(house: "YS01/1-1-101", product: "pizza", by: "E1001", quantity: 1, scheduled: nil, note: "")
        }
        #expect(error?.field == "product")
        #expect(error?.description == "未知的产品“pizza”（可选：cleaning、entrustment、move_in、repair、water）")
    }

    @Test func completionAt16_followUpDueAtMidnight_overdueAt0001() throws {
        let id = try orders.create(house: "YS01/1-1-101", product: "repair", by: "E1001", quantity: 1, scheduled: nil, note: "")
        try orders.complete(id, at: try time("2026-11-26T16:00"), by: "E1001")
        let lists = DailyListStore(db: db)
        let before = try lists.list(butler: "E1001", on: try day("2026-11-26"), now: try time("2026-11-26T23:59"))
        let open = try #require(before.tasks.first { $0.standard == "service_followup" })
        #expect(open.due == "2026-11-27T00:00:00+08:00")
        #expect(open.status == "open")
        let after = try lists.list(butler: "E1001", on: try day("2026-11-27"), now: try time("2026-11-27T00:01"))
        let overdue = try #require(after.tasks.first { $0.standard == "service_followup" })
        #expect(overdue.status == "overdue")
        // Overdue tasks come first on the list.
        #expect(after.tasks.prefix { $0.status == "overdue" }.contains { $0.standard == "service_followup" })
    }
}

@Suite struct ServiceEventTests {
    let schema: TestSchema
    let db: Connection

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        try seedRegistry(db)
        try seedManager(db)
    }

    @Test func inspectionReportDeadline_dependsOnTheHouse() throws {
        let records = Records(db: db)
        // Unpaid entrustment: 8 h; vacant furnished: 24 h; self-occupied: no report.
        _ = try records.inspect(house: "YS01/1-1-103", kind: .check, by: "E1001", at: try time("2026-11-20T09:00"), findings: [],
                                checklist: [ChecklistEntry(item: .gas, ok: true), ChecklistEntry(item: .leaks, ok: false, note: "卫生间渗水")],
                                photos: ["/photos/a.jpg"])
        _ = try records.inspect(house: "YS01/1-1-102", kind: .check, by: "E1001", at: try time("2026-11-20T09:00"), findings: ["门窗完好"])
        _ = try records.inspect(house: "YS01/1-1-101", kind: .check, by: "E1001", at: try time("2026-11-20T09:00"), findings: [])
        let dues = try db.query("""
            SELECT h.code, to_char(t.due_at, 'YYYY-MM-DD HH24:MI') FROM tasks t JOIN houses h ON h.id = t.house_id
            WHERE t.standard = 'inspection_report' ORDER BY h.code
            """).map { "\(try $0.decode(0, as: String.self)) \(try $0.decode(1, as: String.self))" }
        #expect(dues == ["YS01/1-1-102 2026-11-21 09:00", "YS01/1-1-103 2026-11-20 17:00"])
        let id = try db.query("SELECT i.id FROM inspections i JOIN houses h ON h.id = i.house_id WHERE h.code = 'YS01/1-1-103'")[0].decode(0, as: Int.self)
        let report = try InspectionReports(db: db).show(id)
        #expect(report.text.contains("燃气：正常"))
        #expect(report.text.contains("渗漏：异常（卫生间渗水）"))
        #expect(report.text.contains("发现1项异常"))
        try InspectionReports(db: db).report(id, at: try time("2026-11-20T12:00"), channel: "wechat", by: "E1001")
        #expect(throws: ButlerError.self) { try InspectionReports(db: db).report(id, at: Date(), channel: "wechat", by: nil) }
        #expect(try count(db, "SELECT count(*) FROM tasks WHERE standard = 'inspection_report' AND done_at IS NOT NULL") == 1)
    }

    @Test func repeatedComplaint_whileOpen_isRaisedToLevel2_andListedForTheManager() throws {
        let records = Records(db: db)
        let first = try records.touch(house: "YS01/1-1-101", kind: .complaint, by: "E1001", at: try time("2026-11-20T10:00"),
                                      note: "电梯噪音", level: .three)
        let complaint = try #require(first.complaint)
        let manager = try DailyListStore(db: db).list(butler: "E8001", on: try day("2026-11-20"))
        #expect(!manager.tasks.contains { $0.standard == "complaint_followup" }) // level 3: butler only
        let butler = try DailyListStore(db: db).list(butler: "E1001", on: try day("2026-11-20"))
        let task = try #require(butler.tasks.first { $0.standard == "complaint_followup" })
        #expect(task.due == "2026-11-23") // Fri → next working day Mon
        #expect(task.priority == 2)

        let again = try records.touch(house: "YS01/1-1-101", kind: .complaint, by: "E1001", at: try time("2026-11-21T10:00"),
                                      note: "电梯噪音仍未解决")
        #expect(again.complaint == complaint)
        #expect(try count(db, "SELECT level FROM complaints WHERE id = $1", [complaint]) == 2)
        let raised = try DailyListStore(db: db).list(butler: "E8001", on: try day("2026-11-21"))
        #expect(raised.tasks.contains { $0.standard == "complaint_followup" && $0.priority == 1 })

        try ComplaintStore(db: db).close(complaint, result: "已更换电梯导轨", by: "E1001", at: try time("2026-11-22T10:00"))
        #expect(throws: ButlerError.self) { try ComplaintStore(db: db).close(complaint, result: "x", by: nil) }
        #expect(try count(db, "SELECT count(*) FROM tasks WHERE standard = 'complaint_followup' AND done_at IS NULL") == 0)
    }

    @Test func weatherAlert_ordersEntrustedThenFurnishedThenBare_andInspectionCompletes() throws {
        let (_, created) = try AlertStore(db: db).weather(project: "YS01", at: Date(), note: "台风", by: "E8001")
        #expect(created == 3)
        let tasks = try db.query("""
            SELECT h.code, t.priority FROM tasks t JOIN houses h ON h.id = t.house_id
            WHERE t.standard = 'weather_check' ORDER BY t.priority
            """).map { "\(try $0.decode(0, as: String.self)):\(try $0.decode(1, as: Int.self))" }
        #expect(tasks == ["YS01/1-1-103:1", "YS01/1-1-102:2", "YS01/2-1-101:3"])
        let list = try DailyListStore(db: db).list(butler: "E1001", on: Day.today())
        let weather = list.tasks.filter { $0.standard == "weather_check" }.map(\.house)
        #expect(weather == ["YS01/1-1-103", "YS01/1-1-102"])
        let done = try Records(db: db).inspect(house: "YS01/1-1-103", kind: .check, by: "E1001", at: nil, findings: ["无积水"])
        #expect(done.completedTasks.count >= 1)
        #expect(try count(db, "SELECT count(*) FROM tasks WHERE standard = 'weather_check' AND done_at IS NULL") == 2)
    }

    @Test func holidayArrival_preparesTheDayBefore_visitsTheDayAfter() throws {
        let arrive = Day.today().adding(days: 10)
        _ = try ArrivalStore(db: db).record(house: "YS01/1-1-103", arrive: arrive, by: "E1001")
        let dues = try db.query("SELECT standard, due_date::text FROM tasks WHERE standard LIKE 'holiday_%' ORDER BY standard")
            .map { "\(try $0.decode(0, as: String.self)) \(try $0.decode(1, as: String.self))" }
        #expect(dues == ["holiday_arrival_visit \(arrive.adding(days: 1))", "holiday_prepare \(arrive.adding(days: -1))"])
        #expect(throws: ButlerError.self) { try ArrivalStore(db: db).record(house: "YS01/1-1-103", arrive: arrive, by: "E1001") }
        #expect(throws: ButlerError.self) { try ArrivalStore(db: db).record(house: "YS01/1-1-103", arrive: Day.today().adding(days: -1), by: nil) }
    }

    /// A small month whose right answers are worked out by hand.
    @Test func monthlyReport_onAHandBuiltMonth() throws {
        let orders = OrderStore(db: db)
        let water = try orders.create(house: "YS01/1-1-101", product: "water", by: "E1001", quantity: 2, scheduled: nil, note: "")
        try orders.complete(water, at: try time("2026-11-10T10:00"), by: "E1001")
        try orders.followUp(water, at: try time("2026-11-10T12:00"), rating: 5, note: "", by: "E1001") // on time (due 18:00)
        let cleaning = try orders.create(house: "YS01/1-1-101", product: "cleaning", by: "E1001", quantity: 1, scheduled: nil, note: "")
        try orders.complete(cleaning, at: try time("2026-11-12T09:00"), by: "E1001")
        try orders.followUp(cleaning, at: try time("2026-11-12T20:00"), rating: 4, note: "", by: "E1001") // late (due 17:00)
        let records = Records(db: db)
        let inspection = try records.inspect(house: "YS01/1-1-103", kind: .check, by: "E1001", at: try time("2026-11-16T09:00"), findings: [])
        try InspectionReports(db: db).report(inspection.id, at: try time("2026-11-16T19:00"), channel: "phone", by: "E1001") // late (due 17:00)
        let loud = try records.touch(house: "YS01/1-1-101", kind: .complaint, by: "E1001", at: try time("2026-11-17T10:00"), note: "", level: .one)
        try ComplaintStore(db: db).close(try #require(loud.complaint), result: "已处理", by: "E1001", at: try time("2026-11-18T10:00")) // on time
        _ = try records.touch(house: "YS01/2-1-101", kind: .complaint, by: "E1002", at: try time("2026-11-16T10:00"), note: "", level: .three)
        _ = try records.touch(house: "YS01/1-1-101", kind: .visit, by: "E1001", at: try time("2026-11-19T10:00"), note: "")
        _ = try records.touch(house: "YS01/1-1-102", kind: .visit, by: "E1001", at: try time("2026-11-20T10:00"), note: "")
        _ = try records.touch(house: "YS01/1-1-102", kind: .opinion, by: "E1001", at: try time("2026-10-20T10:00"), note: "") // October

        let report = try MonthlyReportStore(db: db).report(project: "YS01", month: try #require(YearMonth("2026-11")),
                                                           now: try time("2026-11-26T20:00"))
        #expect(report.rows.map(\.grid) == ["YS01-G01", "YS01-G02"])
        let g1 = report.rows[0], g2 = report.rows[1]
        #expect(g1.butler == "E1001")
        #expect([g1.tasks_due, g1.done_on_time, g1.done_late, g1.overdue_now] as [Int] == [4, 2, 2, 0])
        #expect(g1.completion_rate == 0.5)
        #expect([g1.followups_due, g1.followups_on_time] as [Int] == [4, 2])
        #expect([g1.visits, g1.opinions, g1.orders, g1.revenue_fen] as [Int] == [2, 0, 2, 19_000])
        #expect([g1.complaints_level1, g1.complaints_level2, g1.complaints_level3, g1.complaints_open] as [Int] == [1, 0, 0, 0])
        #expect([g2.tasks_due, g2.done_on_time, g2.overdue_now] as [Int] == [1, 0, 1])
        #expect(g2.completion_rate == 0)
        #expect([g2.complaints_level3, g2.complaints_open] as [Int] == [1, 1])
    }
}
