import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

private func time(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }

/// The manager's month (`butler report`) on one project-month built by hand, every figure worked
/// out in the comments. November 2026 has no holiday: Mon 2, 9, 16, 23, 30; Fri 6, 13, 20, 27.
@Suite struct MonthlyReportTests {
    let schema: TestSchema
    let db: Connection
    /// The report is read on Thursday 26 November at 20:00; every record is made before then.
    static let now = "2026-11-26T20:00"

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        // YS01-G01 (building 1: 1-1-101, 1-1-102, 1-1-103) with E1001; YS01-G02 (2-1-101) with E1002.
        try seedRegistry(db)
        try seedManager(db)
    }

    /// A weekly patrol task of YS01-G01 (as the planner writes them), open.
    private func patrolTask(week: String, from: String, due: String) throws {
        try db.execute("""
            INSERT INTO tasks (standard, subject, period, project_id, grid_id, window_start, due_date, priority, title)
            SELECT 'grid_patrol', 'g' || g.id, $1, g.project_id, g.id, $2::date, $3::date, 2, '网格巡查'
            FROM grids g WHERE g.code = 'YS01-G01'
            """, [week, from, due])
    }

    private func report(_ month: String) throws -> MonthlyReport {
        try MonthlyReportStore(db: db).report(project: "YS01", month: try #require(YearMonth(month)), now: try time(Self.now))
    }

    /// Builds the month; see each line for the figure it adds.
    private func buildNovember() throws {
        let records = Records(db: db, now: try time(Self.now))
        let complaints = ComplaintStore(db: db)
        // Patrols of G01. October's (due Fri 30 Oct, patrolled Wed 28 Oct) is not November's.
        try patrolTask(week: "2026-W44#1", from: "2026-10-26", due: "2026-10-30")
        try patrolTask(week: "2026-W45#1", from: "2026-11-02", due: "2026-11-06")  // patrolled Wed 4: on time
        try patrolTask(week: "2026-W46#1", from: "2026-11-09", due: "2026-11-13")  // patrolled Mon 16: late
        try patrolTask(week: "2026-W47#1", from: "2026-11-16", due: "2026-11-20")  // never: overdue since Sat 21 00:00
        try patrolTask(week: "2026-W48#1", from: "2026-11-23", due: "2026-11-27")  // open, not yet due on the 26th
        _ = try records.patrol(grid: "YS01-G01", by: "E1001", at: try time("2026-10-28T10:00"), note: "")
        _ = try records.patrol(grid: "YS01-G01", by: "E1001", at: try time("2026-11-04T10:00"), note: "")
        _ = try records.patrol(grid: "YS01-G01", by: "E1001", at: try time("2026-11-16T10:00"), note: "")

        // Complaints at G01's houses; each follow-up is due the next working day (002 #19).
        // A, level 3, Mon 2 Nov 10:00 (due Tue 3), closed the same day at 16:00: on time.
        let a = try records.touch(house: "YS01/1-1-101", kind: .complaint, by: "E1001", at: try time("2026-11-02T10:00"),
                                  note: "楼道灯不亮", level: .three)
        try complaints.close(try #require(a.complaint), result: "已修复", by: "E1001", at: try time("2026-11-02T16:00"))
        // B, level 2, Tue 3 Nov 10:00 (due Wed 4), closed Wed 4 09:00, the next working day: on time.
        let b = try records.touch(house: "YS01/1-1-102", kind: .complaint, by: "E1001", at: try time("2026-11-03T10:00"),
                                  note: "噪音", level: .two)
        try complaints.close(try #require(b.complaint), result: "已协调", by: "E1001", at: try time("2026-11-04T09:00"))
        // C, level 1, Thu 5 Nov 10:00 (due Fri 6), closed Mon 9 10:00: late.
        let c = try records.touch(house: "YS01/1-1-103", kind: .complaint, by: "E1001", at: try time("2026-11-05T10:00"),
                                  note: "媒体曝光", level: .one)
        try complaints.close(try #require(c.complaint), result: "已处理", by: "E1001", at: try time("2026-11-09T10:00"))
        // D, level 3, Fri 20 Nov 10:00 (due Mon 23), still open on the 26th: overdue since Tue 24 00:00.
        _ = try records.touch(house: "YS01/1-1-101", kind: .complaint, by: "E1001", at: try time("2026-11-20T10:00"),
                              note: "电梯", level: .three)
        // E, G02's house, opened Wed 28 Oct and still open: open in November, but neither
        // November's complaint by level nor a November follow-up (due Thu 29 Oct).
        _ = try records.touch(house: "YS01/2-1-101", kind: .complaint, by: "E1002", at: try time("2026-10-28T10:00"),
                              note: "渗水", level: .two)

        // Orders recommended by E1001: water ×2 (40.00 元) completed Tue 10 Nov 10:00, its follow-up
        // due 18:00 done at 12:00 (on time); cleaning (150.00 元) completed in October: not November's.
        let orders = OrderStore(db: db)
        let water = try orders.create(house: "YS01/1-1-101", product: "water", by: "E1001", quantity: 2, scheduled: nil, note: "")
        try orders.complete(water, at: try time("2026-11-10T10:00"), by: "E1001")
        try orders.followUp(water, at: try time("2026-11-10T12:00"), rating: 5, note: "", by: "E1001")
        let cleaning = try orders.create(house: "YS01/1-1-102", product: "cleaning", by: "E1001", quantity: 1, scheduled: nil, note: "")
        try orders.complete(cleaning, at: try time("2026-10-20T10:00"), by: "E1001")
        try orders.followUp(cleaning, at: try time("2026-10-20T12:00"), rating: 5, note: "", by: "E1001")

        // Visits and opinions (Asia/Shanghai days): Sat 31 Oct 23:30 is October's.
        for (house, kind, at) in [("YS01/1-1-101", TouchpointKind.visit, "2026-10-31T23:30"),
                                  ("YS01/1-1-101", .visit, "2026-11-05T15:00"), ("YS01/1-1-102", .visit, "2026-11-19T15:00"),
                                  ("YS01/1-1-103", .opinion, "2026-11-01T00:00"), ("YS01/1-1-102", .opinion, "2026-11-26T19:00")] {
            _ = try records.touch(house: house, kind: kind, by: "E1001", at: try time(at), note: "")
        }
        // E1002 visits G02's house once and has nothing due.
        _ = try records.touch(house: "YS01/2-1-101", kind: .visit, by: "E1002", at: try time("2026-11-12T10:00"), note: "")
    }

    @Test func handBuiltMonth_everyFigure() throws {
        try buildNovember()
        let november = try report("2026-11")
        #expect(november.rows.map(\.grid) == ["YS01-G01", "YS01-G02"])
        let g1 = november.rows[0], g2 = november.rows[1]
        #expect([g1.butler, g1.butler_name] as [String?] == ["E1001", "梁涵淑"])
        // G01's tasks due in November: patrols W45, W46, W47, W48 (4), complaint follow-ups A, B,
        // C, D (4), the water order's follow-up (1) = 9. On time: W45, A, B, water = 4. Late: W46,
        // C = 2. Overdue now: W47, D = 2. W48 is open and not yet due. 4 / 9 on time.
        #expect([g1.tasks_due, g1.done_on_time, g1.done_late, g1.overdue_now] as [Int] == [9, 4, 2, 2])
        #expect(g1.completion_rate == 4.0 / 9.0)
        // Follow-ups: A, B, C, D and the water order's = 5; on time A, B, water = 3: 3 / 5.
        #expect([g1.followups_due, g1.followups_on_time] as [Int] == [5, 3])
        #expect(g1.followup_rate == 0.6)
        // Visits 5 and 19 Nov (2); opinions 1 and 26 Nov (2); one order, 40.00 元.
        #expect([g1.visits, g1.opinions, g1.quota, g1.orders, g1.revenue_fen] as [Int] == [2, 2, 7, 1, 4_000])
        // Opened in November: C level 1, B level 2, A and D level 3; open now: D.
        #expect([g1.complaints_level1, g1.complaints_level2, g1.complaints_level3, g1.complaints_open] as [Int] == [1, 1, 2, 1])

        // G02: nothing due, so no rate at all (not 100 %); one visit; E still open from October.
        #expect([g2.butler, g2.butler_name] as [String?] == ["E1002", "张月"])
        #expect([g2.tasks_due, g2.done_on_time, g2.done_late, g2.overdue_now, g2.followups_due, g2.followups_on_time] as [Int] == [0, 0, 0, 0, 0, 0])
        #expect(g2.completion_rate == nil)
        #expect(g2.followup_rate == nil)
        #expect([g2.visits, g2.opinions, g2.orders, g2.revenue_fen] as [Int] == [1, 0, 0, 0])
        #expect([g2.complaints_level1, g2.complaints_level2, g2.complaints_level3, g2.complaints_open] as [Int] == [0, 0, 0, 1])
        #expect(!november.isEmpty)
    }

    /// A complaint closed within the hour it was opened is one follow-up, done on time.
    @Test func complaintClosedTheSameDay_isOneFollowUpOnTime() throws {
        let records = Records(db: db, now: try time(Self.now))
        let opened = try records.touch(house: "YS01/1-1-101", kind: .complaint, by: "E1001", at: try time("2026-11-02T10:00"),
                                       note: "楼道灯不亮", level: .three)
        try ComplaintStore(db: db).close(try #require(opened.complaint), result: "已修复", by: "E1001", at: try time("2026-11-02T10:30"))
        let g1 = try report("2026-11").rows[0]
        #expect([g1.tasks_due, g1.done_on_time, g1.followups_due, g1.followups_on_time] as [Int] == [1, 1, 1, 1])
        #expect(g1.followup_rate == 1)
    }

    /// 未结投诉 of a past month: open at the month's end, even when closed since; a complaint
    /// closed within the month is not open.
    @Test func openComplaintsOfAPastMonth_areThoseOpenAtItsEnd() throws {
        let records = Records(db: db, now: try time(Self.now))
        let late = try records.touch(house: "YS01/1-1-101", kind: .complaint, by: "E1001", at: try time("2026-10-30T10:00"),
                                     note: "电梯异响", level: .three)
        let early = try records.touch(house: "YS01/1-1-102", kind: .complaint, by: "E1001", at: try time("2026-10-10T10:00"),
                                      note: "门禁坏了", level: .three)
        let complaints = ComplaintStore(db: db, now: try time(Self.now))
        try complaints.close(try #require(late.complaint), result: "已修复", by: "E1001", at: try time("2026-11-03T09:00"))
        try complaints.close(try #require(early.complaint), result: "已修复", by: "E1001", at: try time("2026-10-12T09:00"))
        #expect(try report("2026-10").rows[0].complaints_open == 1, "the complaint of 10-30 was open when October ended")
        #expect(try report("2026-11").rows[0].complaints_open == 0, "and is closed now")
    }

    /// No rate is `null` in JSON (the key stays), a measured one a number.
    @Test func rates_encodeNullWhenNothingWasDue() throws {
        try buildNovember()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(try report("2026-11").rows[1]), as: UTF8.self)
        #expect(json.contains(#""completion_rate":null"#))
        #expect(json.contains(#""followup_rate":null"#))
    }

    @Test func monthWithNothing_isEmpty_andAFutureMonthIsRefused() throws {
        // The grids exist, but nothing happened in October.
        let october = try report("2026-10")
        #expect(october.rows.count == 2)
        #expect(october.isEmpty)
        let error = butlerError { try report("2026-12") }
        #expect(error?.kind == .invalidInput)
        #expect(error?.field == "month")
        #expect(error?.description == "2026-12 还没有开始：月度报表只统计已经开始的月份（今天是 2026-11-26）")
    }
}

/// `butler report` as a manager reads it: Chinese throughout, a sentence for an empty month, `—`
/// for a rate with nothing due, columns aligned with Chinese text. (January 2026 is long past
/// and 2099 far ahead whatever the machine's clock says: the CLI reads the report at `Date()`.)
extension CLITests {
    @Test func report_emptyMonthIsASentence_noRateIsADash_andAFutureMonthIsRefused() throws {
        let empty = try butler("report", "--project", "YS01", "--month", "2026-01")
        #expect(empty.status == 0)
        #expect(empty.stdout == "YS01 2026-01 月度报表\n本月没有到期的任务，也没有走访、意见征询、订单或投诉记录。\n")

        #expect(try butler("touch", "YS01/1-1-101", "--kind", "visit", "--by", "E1001", "--at", "2026-01-15T10:00").status == 0)
        let table = try butler("report", "--project", "YS01", "--month", "2026-01")
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)  // title, header, rule, two grids, the note
        let g1 = try #require(lines.first { $0.hasPrefix("YS01-G01") })
        #expect(g1.contains("E1001 梁涵淑"))
        #expect(g1.contains("1/7"))
        #expect(g1.components(separatedBy: "—").count == 3, "both rates are a dash: \(g1)")
        #expect(!g1.contains("100.0%"))
        #expect(lines.last?.hasPrefix("说明：") == true)
        // Every cell starts in the header's column, counted as a terminal shows Chinese (two columns).
        let header = lines[1]
        for line in lines[2...4] { #expect(cellStarts(line) == cellStarts(header), "\(line)") }

        let json = try butler("report", "--project", "YS01", "--month", "2026-01", "--json")
        #expect(json.stdout.contains(#""completion_rate" : null"#))
        #expect(json.stdout.contains(#""followup_rate" : null"#))

        let future = try butler("report", "--project", "YS01", "--month", "2099-01")
        #expect(future.status == 1)
        #expect(future.stderr.contains("--month：2099-01 还没有开始"))
        #expect(future.stdout.isEmpty)
    }

    /// The terminal columns where each cell of a table line starts (cells are separated by two
    /// or more spaces; CJK characters are two columns wide).
    private func cellStarts(_ line: String) -> [Int] {
        var starts: [Int] = [], column = 0, spaces = 0
        for scalar in line.unicodeScalars {
            if scalar == " " {
                spaces += 1
            } else {
                if column == 0 || spaces >= 2 { starts.append(column + spaces) }
                column += spaces + ((0x2E80...0xFFEF).contains(scalar.value) ? 2 : 1)
                spaces = 0
            }
        }
        return starts
    }
}
