import ButlerCore
@testable import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

private func at(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }
private func day(_ text: String) throws -> Day { try #require(Day(text)) }

/// Issue 15, 002 #21: a hand-built project-month on fixed clocks, with the answers written here.
/// The small registry: YS01, grid G01 (building 1: 1-1-101, 1-1-102, 1-1-103; butler E1001),
/// grid G02 (building 2: 2-1-101; butler E1002), manager E8001.
@Suite struct ArrearsCycleTests {
    let schema: TestSchema
    let db: Connection

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        try seedRegistry(db)
        try seedManager(db)
    }

    func snapshot(_ rows: String, now: String) throws -> ImportReport {
        try Importer(db: db, now: try at(now)).run(.arrears, table: try CSVTable.parse(
            "project,building,unit,room,period,amount_due,amount_paid\n" + rows, fileName: "arrears.csv"))
    }

    struct TaskRow: Equatable, CustomStringConvertible {
        let house: String?, standard: String, staff: String?, windowStart: String, due: String, done: String?
        var description: String { "\(house ?? "-") \(standard) \(staff ?? "-") \(windowStart)…\(due) \(done ?? "open")" }
    }

    /// The arrears tasks, by standard and house: done is the done note (`paid`, `collection_call 12`…).
    func tasks() throws -> [TaskRow] {
        try db.query("""
            SELECT h.code, t.standard, st.employee_no, t.window_start::text, t.due_date::text,
                   CASE WHEN t.done_at IS NULL THEN NULL ELSE split_part(t.done_note, ' ', 1) END
            FROM tasks t LEFT JOIN houses h ON h.id = t.house_id LEFT JOIN staff st ON st.id = t.staff_id
            WHERE t.standard IN ('arrears_contact', 'arrears_escalation')
            ORDER BY t.standard, h.code
            """).map { TaskRow(house: try $0.decode(0), standard: try $0.decode(1), staff: try $0.decode(2),
                               windowStart: try $0.decode(3), due: try $0.decode(4), done: try $0.decode(5)) }
    }

    /// October 2026 starts with the National Day holiday: the first working day is the 8th; the
    /// 28th is a Wednesday. One attempt, one payment, one escalation, the collection rate.
    @Test func october_listedOnTheEighth_attemptAndPayment_escalatedOnThe28th() throws {
        let first = try snapshot("""
            YS01,1,1,101,2026-08,300.00,300.00
            YS01,1,1,101,2026-09,300.00,0
            YS01,1,1,102,2026-09,250.50,100.00
            YS01,1,1,103,2026-09,300,300
            YS01,1,1,103,2026-10,300,0
            YS01,2,1,101,2026-09,200,0
            YS01,2,1,101,2026-10,200,0

            """, now: "2026-10-05T10:00")
        #expect((first.inserted, first.updated, first.unchanged) == (7, 0, 0))

        // The holiday week lists nobody.
        for d in 1...7 { try Planner(db: db).plan(date: try day("2026-10-0\(d)")) }
        #expect(try tasks().isEmpty)
        // The 8th: every house owing for a month before October, on its grid's butler's list, due
        // the 28th. 1-1-103 owes only October's bill (not yet overdue): not listed.
        try Planner(db: db).plan(date: try day("2026-10-08"))
        let listed = [
            TaskRow(house: "YS01/1-1-101", standard: "arrears_contact", staff: nil, windowStart: "2026-10-08", due: "2026-10-28", done: nil),
            TaskRow(house: "YS01/1-1-102", standard: "arrears_contact", staff: nil, windowStart: "2026-10-08", due: "2026-10-28", done: nil),
            TaskRow(house: "YS01/2-1-101", standard: "arrears_contact", staff: nil, windowStart: "2026-10-08", due: "2026-10-28", done: nil),
        ]
        #expect(try tasks() == listed)
        let e1001 = try DailyListStore(db: db).list(butler: "E1001", on: try day("2026-10-08"), now: try at("2026-10-08T09:00"))
        #expect(e1001.tasks.filter { $0.standard == "arrears_contact" }.map(\.house) == ["YS01/1-1-101", "YS01/1-1-102"])
        let e1002 = try DailyListStore(db: db).list(butler: "E1002", on: try day("2026-10-08"), now: try at("2026-10-08T09:00"))
        #expect(e1002.tasks.filter { $0.standard == "arrears_contact" }.map(\.house) == ["YS01/2-1-101"])
        // Re-planning adds nothing.
        #expect(try Planner(db: db).plan(date: try day("2026-10-08")).byStandard["arrears_contact"] == nil)

        // The month's first collection attempt does the task.
        let call = try Records(db: db, now: try at("2026-10-09T10:05"))
            .touch(house: "YS01/1-1-101", kind: .collectionCall, by: "E1001", at: try at("2026-10-09T10:00"), note: "答应月底前缴")
        #expect(call.completed.map(\.standard) == ["arrears_contact"])
        // A payment in between: 1-1-102 settles September; its task closes as paid.
        let second = try snapshot("""
            YS01,1,1,101,2026-08,300.00,300.00
            YS01,1,1,101,2026-09,300.00,0
            YS01,1,1,102,2026-09,250.50,250.50
            YS01,1,1,103,2026-09,300,300
            YS01,1,1,103,2026-10,300,0
            YS01,2,1,101,2026-09,200,0
            YS01,2,1,101,2026-10,200,0

            """, now: "2026-10-20T16:00")
        #expect((second.inserted, second.updated, second.unchanged) == (0, 1, 6))
        #expect(try tasks().map(\.done) == ["collection_call", "paid", nil])
        #expect(try db.query("""
            SELECT to_char(done_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') FROM tasks t JOIN houses h ON h.id = t.house_id
            WHERE h.code = 'YS01/1-1-102' AND t.standard = 'arrears_contact'
            """)[0].decode(0, as: String.self) == "2026-10-20 16:00")
        // When the debt was paid stays visible: the period's history, oldest first.
        let history = try db.query("""
            SELECT amount_paid_fen, previous_paid_fen, to_char(recorded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')
            FROM arrears_history a JOIN houses h ON h.id = a.house_id WHERE h.code = 'YS01/1-1-102' ORDER BY a.id
            """).map { "\(try $0.decode(0, as: Int.self)) \(try $0.decode(1, as: Int?.self).map(String.init) ?? "-") \(try $0.decode(2, as: String.self))" }
        #expect(history == ["10000 - 2026-10-05 10:00", "25050 10000 2026-10-20 16:00"])

        // The 28th (a Wednesday): the manager gets one escalation with the houses still owing and
        // their attempts; before it, nothing.
        try Planner(db: db).plan(date: try day("2026-10-27"))
        #expect(try tasks().filter { $0.standard == "arrears_escalation" }.isEmpty)
        try Planner(db: db).plan(date: try day("2026-10-28"))
        try Planner(db: db).plan(date: try day("2026-10-28"))
        let escalation = try db.query("""
            SELECT st.employee_no, t.window_start::text, t.reason FROM tasks t JOIN staff st ON st.id = t.staff_id
            WHERE t.standard = 'arrears_escalation'
            """)
        #expect(escalation.count == 1)
        #expect(try escalation[0].decode(0, as: String.self) == "E8001")
        #expect(try escalation[0].decode(1, as: String.self) == "2026-10-28")
        #expect(try escalation[0].decode(2, as: String.self)
                == "截至 2026-10-28 仍欠费 2 户，转项目负责人催缴：YS01/1-1-101（催缴 1 次）、YS01/2-1-101（催缴 0 次）")
        let manager = try DailyListStore(db: db).list(butler: "E8001", on: try day("2026-10-28"), now: try at("2026-10-28T09:00"))
        #expect(manager.tasks.map(\.standard).contains("arrears_escalation"))

        // The list now: months and amounts owed, this month's attempts, escalated.
        let list = try ArrearsStore(db: db, now: try at("2026-10-28T12:00")).list(project: "YS01")
        #expect(list == [
            ArrearsHouse(house: "YS01/1-1-101", grid: "YS01-G01", butler: "E1001", periods: ["2026-09"], owed_fen: 30000,
                         attempts_this_month: 1, escalated: true),
            ArrearsHouse(house: "YS01/2-1-101", grid: "YS01-G02", butler: "E1002", periods: ["2026-09"], owed_fen: 20000,
                         attempts_this_month: 0, escalated: true),
        ])

        // October's collection rate: paid ÷ due for every period up to October.
        // G01: due 300+300+250.50+300+300 = 1450.50, paid 300+250.50+300 = 850.50 (58.6 %);
        // G02: due 400, paid 0; the project: 850.50 ÷ 1850.50 = 45.96 %, under 85 %.
        let report = try #require(try MonthlyReportStore(db: db).report(project: "YS01", month: YearMonth(year: 2026, month: 10)!,
                                                                         now: try at("2026-10-31T18:00")).arrears)
        #expect(report.grids.map(\.grid) == ["YS01-G01", "YS01-G02"])
        #expect(report.grids.map(\.due_fen) == [145050, 40000])
        #expect(report.grids.map(\.paid_fen) == [85050, 0])
        #expect(report.grids.map(\.houses_in_arrears) == [1, 1])
        #expect(report.grids.map(\.attempts) == [1, 0])
        #expect(report.grids.map(\.escalations) == [1, 1])
        #expect(report.project.due_fen == 185050 && report.project.paid_fen == 85050)
        #expect(abs((report.project.collection_rate ?? 0) - 85050.0 / 185050.0) < 1e-9)
        #expect(report.project.below_target)

        // The company ranking shows the same project row beside the repair score, and its CSV the
        // same cells (a project with nothing billed: —).
        let company = try CompanyReportStore(db: db).report(month: YearMonth(year: 2026, month: 10)!, now: try at("2026-10-31T18:00"))
        let ys01 = try #require(company.rows.first { $0.project == "YS01" })
        #expect(ys01.arrears == report.project)
        #expect(ArrearsReportCSV.cells(ys01.arrears) == ["1850.50", "850.50", "46.0% 未达标", "2", "1", "2"])
        #expect(CompanyReportCSV.header.suffix(6) == ["应收(元)", "实收(元)", "收缴率", "欠费户", "催缴次数", "上报户"])
        // The monthly CSV carries the section too: its header, each grid, then the project.
        let full = try MonthlyReportStore(db: db).report(project: "YS01", month: YearMonth(year: 2026, month: 10)!,
                                                         now: try at("2026-10-31T18:00"))
        #expect(MonthlyReportCSV.text(full).contains(
            "物业费收缴,应收(元),实收(元),收缴率,欠费户,催缴次数,上报户\r\nYS01-G01,1450.50,850.50,58.6% 未达标,1,1,1\r\n"
            + "YS01-G02,400.00,0.00,0.0% 未达标,1,0,1\r\nYS01,1850.50,850.50,46.0% 未达标,2,1,2\r\n"))
    }

    /// June 2026: the 28th is a Sunday, so the escalation comes on Friday the 26th; a payment
    /// that clears every escalated house closes the escalation and the contact as paid.
    @Test func june_28thOnSunday_escalatesFriday_andPaymentClosesBoth() throws {
        _ = try snapshot("YS01,1,1,101,2026-05,300,0\n", now: "2026-06-01T08:00")
        try Planner(db: db).plan(date: try day("2026-06-01"))
        #expect(try tasks() == [TaskRow(house: "YS01/1-1-101", standard: "arrears_contact", staff: nil,
                                        windowStart: "2026-06-01", due: "2026-06-26", done: nil)])
        try Planner(db: db).plan(date: try day("2026-06-25"))
        #expect(try tasks().count == 1)
        try Planner(db: db).plan(date: try day("2026-06-26"))
        try Planner(db: db).plan(date: try day("2026-06-28"))
        #expect(try tasks().map(\.standard) == ["arrears_contact", "arrears_escalation"])
        #expect(try tasks()[1] == TaskRow(house: nil, standard: "arrears_escalation", staff: "E8001",
                                          windowStart: "2026-06-26", due: "2026-06-30", done: nil))
        let paid = try snapshot("YS01,1,1,101,2026-05,300,300\n", now: "2026-06-29T11:00")
        #expect((paid.inserted, paid.updated, paid.unchanged) == (0, 1, 0))
        #expect(try tasks().map(\.done) == ["paid", "paid"])
        #expect(try ArrearsStore(db: db, now: try at("2026-06-29T12:00")).list().isEmpty)
    }

    /// An attempt made before the house was listed (a holiday call) still counts for the month;
    /// one of the month before does not.
    @Test func attemptEarlierInTheMonth_completesTheTaskWhenListed() throws {
        _ = try snapshot("YS01,1,1,101,2026-09,300,0\nYS01,1,1,102,2026-09,300,0\n", now: "2026-09-30T08:00")
        _ = try Records(db: db, now: try at("2026-10-03T10:00"))
            .touch(house: "YS01/1-1-101", kind: .collectionMessage, by: "E1001", at: nil, note: "")
        _ = try Records(db: db, now: try at("2026-09-30T10:00"))
            .touch(house: "YS01/1-1-102", kind: .collectionLetter, by: "E1001", at: nil, note: "")
        let report = try Planner(db: db).plan(date: try day("2026-10-08"))
        #expect(report.byStandard["arrears_contact"] == 2)
        #expect(try tasks().map(\.done) == ["collection_message", nil])
    }
}

/// A project without a manager on the 28th: the escalation waits on the project with nobody named
/// (never on a butler's grid), as the deadline sweep's escalations do; it is not skipped.
@Suite struct ArrearsEscalationWithoutManagerTests {
    @Test func theEscalation_staysOnTheProject_withNobodyNamed() throws {
        let schema = try TestSchema()
        let db = try schema.connect()
        try seedRegistry(db)
        _ = try Importer(db: db, now: try at("2026-06-01T08:00")).run(.arrears, table: try CSVTable.parse(
            "project,building,unit,room,period,amount_due,amount_paid\nYS01,1,1,101,2026-05,300,0\n", fileName: "arrears.csv"))
        try Planner(db: db).plan(date: try day("2026-06-26"))
        try Planner(db: db).plan(date: try day("2026-06-27"))
        let rows = try db.query("""
            SELECT grid_id IS NULL, staff_id IS NULL, window_start::text FROM tasks WHERE standard = 'arrears_escalation'
            """).map { [try $0.decode(0) as Bool, try $0.decode(1) as Bool, try $0.decode(2) == "2026-06-26"] }
        #expect(rows == [[true, true, true]])
    }
}
