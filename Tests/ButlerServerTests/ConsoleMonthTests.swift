import ButlerCore
import ButlerTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import ButlerServer
@testable import ButlerStore
import Testing

/// Issue 16: the manager's month (`/project/report`) and its CSV, on a fixed server clock
/// (Thursday 2026-11-26 09:10), over a hand-built November of YS01 (TwoProjects: E8001 manages
/// YS01, E8002 HB02). Serialized: each test runs a server with its own pool.
@Suite(.serialized) struct ConsoleMonthTests {
    let world: TwoProjects
    let clock = TestClock("2026-11-26T09:10")

    init() throws {
        world = try TwoProjects()
    }

    func app() -> some ApplicationProtocol { clockedApp(world.schema, clock) }

    func at(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }

    /// YS01's November, by hand:
    /// - G01 (E1001): 7 visits, 3 opinions; a level-3 complaint (10th) followed up on time and a
    ///   level-1 complaint (12th) never followed up: 2 tasks due, 1 on time (50.0 %), 1 overdue.
    /// - G02 (E1002): 2 visits, no opinion, no task due (no rate: —).
    /// - Fees (snapshot of 1 Nov): G01 owes 100 of 400 (75.0 %, under 85 %), G02 paid its 200
    ///   (100.0 %); the project 500 of 600 (83.3 %, under).
    /// - One repair order (20th): signed on time, contact late, completed the same day, never
    ///   followed up (due the 22nd): sign 100 %, contact 0 %, completion 100 %, follow-up 0 %.
    func buildNovember() throws {
        let db = try world.schema.connect()
        let records = Records(db: db, now: clock.now)
        for day in 2...8 { _ = try records.touch(house: "YS01/1-1-101", kind: .visit, by: "E1001", at: try at("2026-11-0\(day)T10:00"), note: "") }
        for day in 2...4 { _ = try records.touch(house: "YS01/1-1-101", kind: .opinion, by: "E1001", at: try at("2026-11-0\(day)T11:00"), note: "") }
        for day in 2...3 { _ = try records.touch(house: "YS01/2-1-101", kind: .visit, by: "E1002", at: try at("2026-11-0\(day)T10:00"), note: "") }
        _ = try records.touch(house: "YS01/1-1-102", kind: .complaint, by: "E1001", at: try at("2026-11-10T10:00"), note: "楼道灯坏", level: .three)
        _ = try records.touch(house: "YS01/1-1-103", kind: .complaint, by: "E1001", at: try at("2026-11-12T10:00"), note: "噪音扰民", level: .one)
        let followup = try #require(try db.query("""
            SELECT t.id FROM tasks t WHERE t.standard = 'complaint_followup' ORDER BY t.due_date LIMIT 1
            """).first?.decode(0, as: Int.self))
        try records.done(task: followup, by: "E1001", at: try at("2026-11-11T09:00"), note: "已回访")
        _ = try Importer(db: db, now: try at("2026-11-01T09:00")).run(.arrears, table: try CSVTable.parse("""
            project,building,unit,room,period,amount_due,amount_paid
            YS01,1,1,101,2026-10,300,300
            YS01,1,1,102,2026-10,100,0
            YS01,2,1,101,2026-10,200,200

            """, fileName: "arrears.csv"))
        _ = try Importer(db: db).run(.staff, table: try CSVTable.parse(
            "employee_no,name,phone,role,project\nE3001,王师傅,13800000031,technician,YS01\n", fileName: "staff.csv"))
        let repairs = RepairStore(db: db, now: clock.now, technicianLateness: nil)
        let order = try repairs.open(RepairOpening(house: "YS01/1-1-101", category: .water, description: "水管漏水"), by: "E9001",
                                     at: try at("2026-11-20T10:00")).id
        _ = try repairs.dispatch(order, to: "E3001", by: "E9001", at: try at("2026-11-20T10:05"))
        _ = try repairs.sign(order, by: "E3001", at: try at("2026-11-20T10:10"))
        _ = try repairs.contact(order, appointment: try at("2026-11-20T14:00"), by: "E3001", at: try at("2026-11-20T10:30"))
        _ = try repairs.complete(order, photos: ["p.jpg"], note: "", by: "E3001", at: try at("2026-11-20T15:00"))
    }

    func get(_ client: some TestClientProtocol, _ uri: String, _ token: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: "butler_token=\(token)"])
    }

    @Test func theMonth_asTablesAndCharts() async throws {
        try buildNovember()
        try await app().test(.live) { client in
            let response = try await get(client, "/project/report", world.managerA)
            #expect(response.status == .ok)
            #expect(response.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'; style-src 'nonce-") == true)
            let page = String(buffer: response.body)
            #expect(page.contains("<header><b>YS01</b> · 2026-11 月度报表"))
            // The month switcher: the current month has no next one; the CSV beside it.
            #expect(page.contains("<nav aria-label=\"月份\"><a href=\"/project/report?month=2026-10\">‹ 2026-10</a> <b>2026-11</b> <a href=\"/project/report.csv?month=2026-11\" download>下载 CSV</a></nav>"))
            // The grid table: the CLI's cells; 50.0 % and the visit counts under target marked.
            #expect(page.contains("<tr><td>YS01-G01<td>E1001 梁涵淑<td>2<td>1<td>0<td>1<td class=u>50.0%<td>7/7<td class=u>3/7<td>0<td>0.00<td>1<td>0<td>1<td>2<td>50.0%\n"))
            #expect(page.contains("<tr><td>YS01-G02<td>E1002 张月<td>0<td>0<td>0<td>0<td>—<td class=u>2/7<td class=u>0/7<td>0<td>0.00<td>0<td>0<td>0<td>0<td>—\n"))
            // (1) Completion against 100 %: G01's bar is half the length, under; G02 has none.
            #expect(page.contains("<svg class=chart viewBox=\"0 0 330 52\" role=img aria-label=\"各网格任务完成率（目标 100%）\"><title>各网格任务完成率（目标 100%）</title><path class=u d=\"M76 20h100\"/><text y=24>YS01-G01<tspan x=282>50.0%</tspan></text><text y=40>YS01-G02<tspan x=282>—</tspan></text><path class=t d=\"M276 12V50\"/><text class=tl x=276 y=10>目标 100%</text></svg>"))
            // (2) Visits and opinions against 7: G01's 7 visits full length, its 3 opinions and G02's 2 visits under.
            #expect(page.contains("<title>各网格走访与意见征询（每月定额 7）</title><path class=s0 d=\"M76 20h200\"/><path class=u d=\"M76 29h86M76 45h57\"/><text y=29>YS01-G01<tspan x=282>7 · 3</tspan></text><text y=54>YS01-G02<tspan x=282>2 · 0</tspan></text>"))
            // (3) Complaints by level (the grids' sum), no target.
            #expect(page.contains("<title>本月投诉（按级别）</title><path class=s0 d=\"M76 20h100M76 52h100M76 68h200\"/><text y=24>一级投诉<tspan x=282>1</tspan></text>"))
            // (4) The repair loop's time limits: contact and follow-up late (0 %: no bar).
            #expect(page.contains("<title>报修时限（及时率）</title><path class=s0 d=\"M76 20h200M76 52h200\"/><text y=24>签收及时<tspan x=282>100.0%</tspan></text><text y=40>联系及时<tspan x=282>0.0%</tspan></text>"))
            #expect(page.contains("<tr><td>1<td>100.0%<td>0.0%<td>100.0%<td>0.0%<td>—<td>100.0%<td>0.250"))
            // (5) Collection against 85 %: G01 and the project under, G02 full.
            #expect(page.contains("<title>物业费收缴率（目标 85%）</title><path class=s0 d=\"M76 36h200\"/><path class=u d=\"M76 20h150M76 52h167\"/>"))
            #expect(page.contains("<path class=t d=\"M246 12V66\"/><text class=tl x=246 y=10>目标 85%</text>"))
            #expect(page.contains("<tr><td>项目合计<td>600.00<td>500.00<td class=u>83.3% 未达标<td>1<td>0<td>0\n"))
            // No script, no style attribute (the CSP blocks them), small.
            #expect(!page.contains("<script") && !page.contains("style=\""))
            #expect(response.body.readableBytes < 50_000)
            // September (before the fees' October period): empty, and a link to the next month.
            let september = String(buffer: try await get(client, "/project/report?month=2026-09", world.managerA).body)
            #expect(september.contains("<p class=notice>本月没有到期的任务，也没有走访、意见征询、订单、投诉、报修或收缴记录。</p>"))
            #expect(september.contains("<b>2026-09</b> <a href=\"/project/report?month=2026-10\">2026-10 ›</a>"))
            #expect(!september.contains("<table") && !september.contains("<svg"))
        }
    }

    @Test func theCSV_isTheCLIsFile() async throws {
        try buildNovember()
        let expected = MonthlyReportCSV.text(try MonthlyReportStore(db: try world.schema.connect())
            .report(project: "YS01", month: try #require(YearMonth("2026-11")), now: clock.now))
        try await app().test(.live) { client in
            let response = try await get(client, "/project/report.csv?month=2026-11", world.managerA)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(response.headers[.contentDisposition] == "attachment; filename=\"report-YS01-2026-11.csv\"")
            #expect(String(buffer: response.body) == expected)
            #expect(expected.hasPrefix("\u{FEFF}网格,管家,") && expected.contains("YS01-G01,E1001 梁涵淑,2,1,0,1,50.0%,7/7,3/7"))
            // Same scope as the page.
            let refused = try await get(client, "/project/report.csv?month=2026-11", world.butlerA)
            #expect(refused.status == .forbidden && refused.headers[.contentDisposition] == nil)
        }
    }

    @Test func onlyTheProjectsManager() async throws {
        try buildNovember()
        try await app().test(.live) { client in
            let butler = try await get(client, "/project/report", world.butlerA)
            #expect(butler.status == .forbidden)
            let text = String(buffer: butler.body)
            #expect(text.contains("此页只属于项目经理") && !text.contains("YS01-G01"))
            // Another project's manager: refused YS01, and their own month shows HB02 only.
            let other = try await get(client, "/project/report?project=YS01", world.managerB)
            #expect(other.status == .forbidden)
            #expect(String(buffer: other.body).contains("无权查看项目 YS01 的月度报表"))
            let own = String(buffer: try await get(client, "/project/report", world.managerB).body)
            #expect(own.contains("<b>HB02</b>") && !own.contains("YS01"))
            // Not signed in: the sign-in page.
            let anonymous = try await client.execute(uri: "/project/report", method: .get)
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/login")
        }
    }

    @Test func aBadMonth_isA400Page_namingTheField() async throws {
        try await app().test(.live) { client in
            for month in ["2026-13", "2026-1", "1999-12"] {
                let response = try await get(client, "/project/report?month=\(month)", world.managerA)
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(String(buffer: response.body).contains("<h1 class=error>400 · month："), "\(month)")
            }
            // A month not yet begun.
            let future = try await get(client, "/project/report?month=2026-12", world.managerA)
            #expect(future.status == .badRequest && String(buffer: future.body).contains("month：2026-12 还没有开始"))
        }
    }

    // MARK: The chart, pure

    @Test func aBarUnderTheTarget_getsTheUnderClass_andTextIsEscaped() {
        let chart = BarChart(title: "收缴率 <\"A&B\">", scale: 1, target: 0.85, targetLabel: "目标 85%", rows: [
            BarChart.Row(label: "<G1>", values: [0.84], text: "84.0%"),
            BarChart.Row(label: "G2", values: [0.85], text: "85.0%"),
            BarChart.Row(label: "G3", values: [nil], text: "—"),
        ])
        let svg = chart.svg
        #expect(svg == "<svg class=chart viewBox=\"0 0 330 68\" role=img aria-label=\"收缴率 &lt;&quot;A&amp;B&quot;&gt;\">"
                + "<title>收缴率 &lt;&quot;A&amp;B&quot;&gt;</title><path class=s0 d=\"M76 36h170\"/><path class=u d=\"M76 20h168\"/>"
                + "<text y=24>&lt;G1&gt;<tspan x=282>84.0%</tspan></text><text y=40>G2<tspan x=282>85.0%</tspan></text>"
                + "<text y=56>G3<tspan x=282>—</tspan></text><path class=t d=\"M246 12V66\"/><text class=tl x=246 y=10>目标 85%</text></svg>")
        // No target: nothing is under; a value past the scale stops at the end.
        let plain = BarChart(title: "t", scale: 2, rows: [BarChart.Row(label: "a", values: [5], text: "5")])
        #expect(plain.svg.contains("<path class=s0 d=\"M76 20h200\"/>") && !plain.svg.contains("class=u") && !plain.svg.contains("class=t"))
    }

    /// The page's size grows with the grids: measured for a synthetic project (every grid with
    /// figures, fees and a repair section): 446 bytes a grid (its rows in the grid and fee tables
    /// and in the three per-grid charts), so a project of up to about 95 grids stays under 50 KB.
    @Test func thePage_staysSmall() throws {
        func page(grids count: Int) -> Int {
            let rows = (1...count).map { n in
                var row = ReportRow(grid: "YS01-G\(String(format: "%03d", n))", butler: "E1\(String(format: "%03d", n))", butler_name: "欧阳子涵")
                (row.tasks_due, row.done_on_time, row.done_late, row.overdue_now, row.completion_rate) = (120, 110, 6, 4, 110.0 / 120)
                (row.visits, row.opinions, row.orders, row.revenue_fen) = (7, 5, 3, 123_400)
                (row.complaints_level2, row.complaints_level3, row.complaints_open) = (1, 2, 1)
                (row.followups_due, row.followups_on_time, row.followup_rate) = (9, 8, 8.0 / 9)
                return row
            }
            var fees = (rows + [ReportRow(grid: "", butler: nil, butler_name: nil)]).map { row -> ArrearsReportRow in
                var fee = ArrearsReportRow(grid: row.grid.isEmpty ? nil : row.grid)
                (fee.due_fen, fee.paid_fen, fee.houses_in_arrears, fee.attempts, fee.escalations) = (12_345_600, 10_234_500, 31, 40, 3)
                fee.rate(target: 0.85)
                return fee
            }
            let project = fees.removeLast()
            var repairs = RepairFigures(project: "YS01", name: "玉山花园")
            repairs.orders = 480
            let report = MonthlyReport(project: "YS01", month: "2026-11", rows: rows, repairs: repairs,
                                       arrears: ArrearsReport(target: 0.85, grids: fees, project: project))
            let view = ConsoleView.Month(report, month: YearMonth(year: 2026, month: 11)!, today: Day("2026-11-26")!)
            return ConsoleTemplates.render(view, "month").utf8.count
        }
        let base = page(grids: 1), hundred = page(grids: 101)
        let perGrid = (hundred - base) / 100
        print("console month page: \(base) bytes for 1 grid, \(hundred) for 101, \(perGrid) bytes per grid")
        #expect(perGrid <= 450)
        #expect(page(grids: 90) < 50_000)
    }
}
