import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

private func at(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }

/// Issue 15: `butler import arrears` — all or nothing, every problem with its line and column,
/// idempotent, upsert by house and period with every change kept.
@Suite struct ArrearsImportTests {
    let schema: TestSchema
    let db: Connection

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        try seedRegistry(db)
    }

    static let header = "project,building,unit,room,period,amount_due,amount_paid\n"

    func load(_ rows: String, now: String = "2026-10-05T10:00") throws -> ImportReport {
        try Importer(db: db, now: try at(now)).run(.arrears, table: try CSVTable.parse(Self.header + rows, fileName: "arrears.csv"))
    }

    func count(_ table: String) throws -> Int {
        try db.query(table == "arrears" ? "SELECT count(*)::int FROM arrears" : "SELECT count(*)::int FROM arrears_history")[0].decode(0)
    }

    @Test func everyProblem_withItsLineAndColumn_andNothingWritten() throws {
        _ = try load("YS01,1,1,103,2026-08,300,300\n")
        var messages: [String] = []
        do {
            _ = try load("""
                YS01,1,1,101,2026-09,300.00,0
                YS01,1,1,102,2026-09,-5,0
                YS01,1,1,103,2026-09,300.005,0
                YS01,1,1,101,2026-11,300,0
                YS01,9,9,999,2026-09,300,0
                YS01,2,1,101,2026-09,100,200.50
                YS01,1,1,101,2026-09,300,0
                YS01,1,1,102,2026-9,300,0
                YS01,1,1,103,2026-07,300,元

                """)
            Issue.record("the file was accepted")
        } catch let error as ButlerError {
            #expect(error.kind == .invalidInput)
            messages = error.messages
        }
        #expect(messages == [
            "arrears.csv:3: amount_due: '-5' 是负数：金额不能为负",
            "arrears.csv:4: amount_due: '300.005' 超过两位小数：金额以元为单位，最多到分",
            "arrears.csv:5: period: 2026-11 还没有到（今天是 2026-10-05）：快照只含已开账的月份",
            "arrears.csv:6: room: 找不到房屋 YS01/9-9-999（请先导入 houses）",
            "arrears.csv:7: amount_paid: 已缴 200.50 元多于应缴 100.00 元（每期已缴不能超过应缴）",
            "arrears.csv:8: project: 与第 2 行重复（YS01/1-1-101 2026-09）",
            "arrears.csv:9: period: '2026-9' 不是月份（YYYY-MM，例如 2026-09）",
            "arrears.csv:10: amount_paid: '元' 不是金额（元，最多两位小数，例如 356.40）",
        ])
        #expect(try count("arrears") == 1)
        #expect(try count("arrears_history") == 1)
    }

    /// The same snapshot twice changes nothing; a later one updates what changed, adds the new
    /// period and keeps the old amounts on record.
    @Test func reimport_isANoOp_andALaterSnapshotUpdates() throws {
        let snapshot = "YS01,1,1,101,2026-09,300.00,0\nYS01,1,1,102,2026-09,0.1,0\n"
        let first = try load(snapshot)
        #expect((first.rows, first.inserted, first.updated, first.unchanged) == (2, 2, 0, 0))
        let again = try load(snapshot, now: "2026-10-06T10:00")
        #expect((again.inserted, again.updated, again.unchanged) == (0, 0, 2))
        #expect(try count("arrears_history") == 2)
        let later = try load("YS01,1,1,101,2026-09,300.00,120.00\nYS01,1,1,102,2026-09,0.10,0\nYS01,1,1,101,2026-10,300,0\n",
                             now: "2026-10-10T09:00")
        #expect((later.inserted, later.updated, later.unchanged) == (1, 1, 1))
        #expect(try db.query("SELECT amount_due_fen::int FROM arrears a JOIN houses h ON h.id = a.house_id WHERE h.code = 'YS01/1-1-102'")[0]
                    .decode(0, as: Int.self) == 10)
        #expect(try count("arrears_history") == 4)
        // The history is a record: neither it nor a bill can be taken away.
        #expect(throws: (any Error).self) { try db.execute("DELETE FROM arrears_history") }
        #expect(throws: (any Error).self) { try db.execute("DELETE FROM arrears") }
    }
}
