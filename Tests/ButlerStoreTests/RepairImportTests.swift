import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
@_spi(RawSQL) import Postgres
import Testing

/// Issue 14, `butler import repairs`: a company's repair history in its final state, with its
/// timeline and the breaches the sweep would have recorded, no escalations; all or nothing,
/// every error with its line; a re-import changes nothing.
@Suite struct RepairImportTests {
    let schema: TestSchema
    let db: Connection
    /// The import's clock: 2026-11-10 12:00 in Shanghai.
    let now = Timestamp.parse("2026-11-10T12:00")!

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        try seedRepairStaff(db)
    }

    static let header = "number,project,building,unit,room,category,description,caller,source,complex,opened_at,opened_by,"
        + "technician,grabbed,dispatched_at,signed_at,contacted_at,appointment_at,completed_at,photos,followed_up_at,"
        + "followed_up_by,rating,reopens"

    /// BX-1 on time throughout; BX-2 late at every stage (completion at the midnight that ends
    /// its day, follow-up a minute past 48 h); BX-3 opened Friday 18:30 (counts as Saturday),
    /// grabbed, signed late, reopened before its follow-up, finished in time in round 1; BX-4
    /// opened an hour ago and never taken; BX-5 complex before National Day, done on the
    /// adjusted working Saturday.
    static let history = """
        \(header)
        BX-1,YS01,1,1,101,water,厨房水管漏水,13900000001,phone,no,2026-11-02T09:00,E9001,E3001,no,2026-11-02T09:05,2026-11-02T09:10,2026-11-02T09:15,2026-11-02T10:00,2026-11-02T11:00,p/1.jpg,2026-11-03T10:00,E9001,5,
        BX-2,YS01,1,1,102,electric,插座没电,,wechat,no,2026-11-02T09:00,E8001,E3002,no,2026-11-02T09:20,2026-11-02T09:40,2026-11-02T09:51,2026-11-02T10:30,2026-11-03T00:00,p/2.jpg;p/2b.jpg,2026-11-05T00:01,,4,
        BX-3,YS01,1,1,103,drainage,马桶堵塞,,app,no,2026-11-06T18:30,E9001,E3002,yes,2026-11-06T18:40,2026-11-06T18:50,2026-11-06T18:55,2026-11-07T09:00,2026-11-07T15:00,p/3.jpg,2026-11-08T09:00,E8001,5,2026-11-07T10:00|||2026-11-07T12:00
        BX-4,YS01,2,1,101,public_area,楼道灯不亮,,,,2026-11-10T11:00,E9001,,,,,,,,,,,,
        BX-5,HB02,1,1,101,walls_floors,墙面渗水,,phone,yes,2026-09-30T10:00,E9001,E3101,no,2026-09-30T10:05,2026-09-30T10:10,2026-09-30T10:15,2026-10-08T09:00,2026-10-10T16:00,p/5.jpg,2026-10-11T10:00,,3,

        """

    @discardableResult
    func load(_ csv: String) throws -> ImportReport {
        try Importer(db: db, now: now).run(.repairs, table: try CSVTable.parse(csv, fileName: "repairs.csv"))
    }

    func texts(_ sql: SQL) throws -> [String] { try db.query(sql).map { try $0.decode(0) } }

    func breaches() throws -> [String] {
        try texts("""
            SELECT o.external_no || ' ' || b.stage || '#' || b.round || ' ' || to_char(b.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI')
            FROM repair_breaches b JOIN repair_orders o ON o.id = b.order_id ORDER BY o.external_no, b.at, b.stage
            """)
    }

    func counts() throws -> [Int] {
        try ["repair_orders", "repair_rounds", "repair_events", "repair_breaches", "tasks"].map {
            try db.query(SQL(unsafeRaw: "SELECT count(*)::int FROM \($0)"))[0].decode(0)
        }
    }

    @Test func aHistory_isWrittenInItsFinalState_withTheBreachesTheSweepWouldHaveFound_andNoEscalation() throws {
        let report = try load(Self.history)
        #expect(report.rows == 5 && report.inserted == 5 && report.unchanged == 0)
        #expect(try breaches() == [
            "BX-2 claim#0 2026-11-02T09:15", "BX-2 sign#0 2026-11-02T09:35", "BX-2 contact#0 2026-11-02T09:50",
            "BX-2 complete#0 2026-11-03T00:00", "BX-2 followup#0 2026-11-05T00:00",
            "BX-3 sign#0 2026-11-06T18:45",
            "BX-4 claim#0 2026-11-10T11:15",
        ])
        #expect(try texts("""
            SELECT external_no || ' ' || status || ' r' || round || ' ' || counted_on || ' '
                   || to_char(complete_due AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI') || ' '
                   || coalesce(to_char(sweep_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI'), '-')
            FROM repair_orders ORDER BY external_no
            """) == [
                "BX-1 followed_up r0 2026-11-02 2026-11-03T00:00 -",
                "BX-2 followed_up r0 2026-11-02 2026-11-03T00:00 -",
                "BX-3 followed_up r1 2026-11-07 2026-11-08T00:00 -",
                // Still to come: completion by the end of its day; the sweep takes it from there.
                "BX-4 open r0 2026-11-10 2026-11-11T00:00 2026-11-11T00:00",
                "BX-5 followed_up r0 2026-09-30 2026-10-11T00:00 -",
            ])
        #expect(try texts("""
            SELECT r.round || ' ' || to_char(r.complete_due AT TIME ZONE 'Asia/Shanghai', 'MM-DD"T"HH24:MI') || ' '
                   || to_char(r.completed_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD"T"HH24:MI') || ' ' || coalesce(r.rating::text, '-')
            FROM repair_rounds r JOIN repair_orders o ON o.id = r.order_id WHERE o.external_no = 'BX-3' ORDER BY r.round
            """) == ["0 11-08T00:00 11-07T10:00 -", "1 11-08T00:00 11-07T15:00 5"])
        // No escalation for the past: nobody's list is flooded.
        #expect(try counts()[4] == 0)

        let id: Int = try db.query("SELECT id FROM repair_orders WHERE external_no = 'BX-3'")[0].decode(0)
        let order = try RepairStore(db: db, now: now).show(id)
        #expect((order.events ?? []).map { "\($0.kind) \($0.by)" } == [
            "opened E9001", "grabbed E3002", "signed E3002", "contacted E3002", "completed E3002", "reopened E8001",
            "completed E3002", "followed_up E8001",
        ])
        #expect((order.events ?? []).allSatisfy { $0.detail["imported"] == "BX-3" })

        // The sweep finds nothing past to do, and BX-4's completion is still ahead of it.
        let before = try counts()
        _ = try JobRunner(db: db).runDue(now: now, only: ["deadline_sweep"])
        #expect(try counts() == before)
        _ = try JobRunner(db: db).runDue(now: Timestamp.parse("2026-11-11T00:01")!, only: ["deadline_sweep"])
        #expect(try breaches().last == "BX-4 complete#0 2026-11-11T00:00")
        #expect(try counts()[4] == 1)
    }

    @Test func reimportingTheSameHistory_insertsNothing_andAChangedOrder_isRefused() throws {
        try load(Self.history)
        let before = try counts()
        let again = try load(Self.history)
        #expect(again.inserted == 0 && again.unchanged == 5)
        #expect(try counts() == before)

        let changed = Self.history.replacingOccurrences(of: "2026-11-05T00:01,,4,", with: "2026-11-05T00:01,,5,")
        let error = try #require(butlerError { try load(changed) })
        #expect(error.messages.count == 1)
        #expect(error.messages.first?.hasPrefix("repairs.csv:3: number: 报修单 BX-2 已导入（#") == true)
        #expect(error.messages.first?.hasSuffix("），但这一行的 rating 与已导入的不同；历史记录不会被覆盖") == true)
        #expect(try counts() == before)
    }

    @Test func everyErrorOfTheFile_comesOutInOneRun_withItsLine_andNothingIsWritten() throws {
        let ok = "2026-11-02T09:00,E9001,E3001,no,2026-11-02T09:05,2026-11-02T09:10,2026-11-02T09:15,2026-11-02T10:00,2026-11-02T11:00,p.jpg,2026-11-03T10:00,,5,"
        let error = try #require(butlerError { try load("""
            \(Self.header)
            E-2,YS01,9,9,999,water,漏水,,,no,\(ok)
            E-3,YS01,1,1,101,water,漏水,,,no,2026-11-02T09:00,E7777,E3001,no,2026-11-02T09:05,2026-11-02T09:10,2026-11-02T09:15,2026-11-02T10:00,2026-11-02T11:00,p.jpg,2026-11-03T10:00,,5,
            E-4,YS01,1,1,101,water,漏水,,,no,2026-11-02T09:00,E9001,E1001,no,2026-11-02T09:05,2026-11-02T09:10,2026-11-02T09:15,2026-11-02T10:00,2026-11-02T11:00,p.jpg,2026-11-03T10:00,,5,
            E-5,YS01,1,1,101,water,漏水,,,no,2026-11-02T09:00,E9001,E3101,no,2026-11-02T09:05,2026-11-02T09:10,2026-11-02T09:15,2026-11-02T10:00,2026-11-02T11:00,p.jpg,2026-11-03T10:00,,5,
            E-6,YS01,1,1,101,roof,漏水,,,no,\(ok)
            E-7,YS01,1,1,101,water,漏水,,,no,2026-11-02T09:00,E9001,E3001,no,2026-11-02T09:05,2026-11-02T09:01,2026-11-02T09:15,2026-11-02T10:00,2026-11-02T11:00,p.jpg,2026-11-03T10:00,,5,
            E-8,YS01,1,1,101,water,漏水,,,no,2026-11-02T09:00,E9001,E3001,no,2026-11-02T09:05,2026-11-02T09:10,2026-11-02T09:15,2026-11-02T10:00,2026-11-02T11:00,p.jpg,2026-11-03T10:00,,6,
            E-9,YS01,1,1,101,water,漏水,,,no,2026-11-02T09:00,E1001,E3001,no,2026-11-02T09:05,2026-11-02T09:10,2026-11-02T09:15,2026-11-02T10:00,2026-11-02T11:00,p.jpg,2026-11-03T10:00,,5,
            E-10,YS01,1,1,101,water,漏水,,,no,2026-11-10T09:00,E9001,E3001,no,2026-11-10T09:05,2026-11-10T09:10,2026-11-10T09:15,2026-11-10T10:00,2026-11-10T13:00,p.jpg,,,,
            E-11,YS01,1,1,101,water,漏水,,,no,\(ok)
            E-11,YS01,1,1,102,water,漏水,,,no,\(ok)
            E-13,YS01,1,1,101,water,漏水,,,no,2026-11-02T09:00,E9001,E3001,no,2026-11-02T09:05,2026-11-02T09:10,2026-11-02T09:15,2026-11-02T10:00,2026-11-02T11:00,,,,,

            """) })
        #expect(error.messages == [
            "repairs.csv:2: room: 找不到房屋 YS01/9-9-999（请先导入 houses）",
            "repairs.csv:3: opened_by: 未知员工 'E7777'",
            "repairs.csv:4: technician: E1001（梁涵淑）不是 YS01/1-1-101 所在项目的维修工",
            "repairs.csv:5: technician: E3101（湖滨师傅）不是 YS01/1-1-101 所在项目的维修工",
            "repairs.csv:6: category: 'roof' 不是以下之一：water, drainage, electric, gas, doors_windows, walls_floors, appliance, public_area, other",
            "repairs.csv:7: signed_at: '2026-11-02T09:01' 早于 dispatched_at（2026-11-02T09:05:00+08:00）",
            "repairs.csv:8: rating: '6' 不是 1...5 之间的整数",
            "repairs.csv:9: opened_by: E1001（梁涵淑）不是客服坐席或该项目的经理，不能开报修单",
            "repairs.csv:10: completed_at: 2026-11-10T13:00 晚于导入时刻 2026-11-10T12:00",
            "repairs.csv:12: number: 与第 11 行重复（E-11）",
            "repairs.csv:13: completed_at: 有 completed_at 时必须有 photos",
        ])
        #expect(try counts() == [0, 0, 0, 0, 0])
    }

    /// Only the import (the owner) writes a history number: the server's role, bound to an
    /// agent's token, may open an order but not one carrying `external_no` (schema 0018). The
    /// order is otherwise one the move trigger accepts (its counted day and deadlines are 0016's).
    @Test func theServersRole_cannotOpenAnOrderWithAHistoryNumber() throws {
        let web = try schema.config(role: ServerRole.defaultName).connect()
        let token = try TokenStore(db: db).create(staff: "E9001")
        try web.execute("BEGIN")
        defer { _ = try? web.execute("ROLLBACK") }
        _ = try TokenStore(db: web).bind(token)
        try web.execute("SAVEPOINT probe")
        let refused = postgresError {
            try web.execute("""
                INSERT INTO repair_orders (house_id, project_id, category, description, opened_at, opened_by, counted_on,
                                           claim_due, complete_due, external_no)
                SELECT h.id, h.project_id, 'water', '漏水', '2026-11-10 10:00+08', s.id, '2026-11-10',
                       '2026-11-10 10:15+08', '2026-11-11 00:00+08', 'BX-9'
                FROM houses h, staff s WHERE h.code = 'YS01/1-1-101' AND s.employee_no = 'E9001'
                """)
        }
        #expect(refused?.sqlState == "42501")
        try web.execute("ROLLBACK TO SAVEPOINT probe")
        // The same order without the number goes in.
        try web.execute("""
            INSERT INTO repair_orders (house_id, project_id, category, description, opened_at, opened_by, counted_on,
                                       claim_due, complete_due)
            SELECT h.id, h.project_id, 'water', '漏水', '2026-11-10 10:00+08', s.id, '2026-11-10',
                   '2026-11-10 10:15+08', '2026-11-11 00:00+08'
            FROM houses h, staff s WHERE h.code = 'YS01/1-1-101' AND s.employee_no = 'E9001'
            """)
    }
}
