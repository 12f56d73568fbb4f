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

/// Issue 16: the manager's grids page (`/project`), signed in by the cookie as a browser is, on
/// a fixed server clock (Thursday 2026-11-26 09:10). The small registry's YS01 (manager E8001,
/// grids G01 of E1001 and G02 of E1002, and a G03 nobody serves) and a second project ZZ02 with
/// its own manager and butler and no grid. Serialized: each test runs a server with its own pool.
@Suite(.serialized) struct ConsoleGridsTests {
    let fixture: HTTPFixture
    let clock = TestClock("2026-11-26T09:10")
    let manager: String
    let otherManager: String

    init() throws {
        fixture = try HTTPFixture()
        let db = try fixture.schema.connect()
        try seedManager(db)
        let importer = Importer(db: db)
        _ = try importer.run(.projects, table: try CSVTable.parse("code,name\nZZ02,紫竹苑\n", fileName: "projects.csv"))
        _ = try importer.run(.staff, table: try CSVTable.parse("""
            employee_no,name,phone,role,project
            E8002,紫竹经理,13800000082,manager,ZZ02
            E1003,紫竹管家,13800000013,butler,ZZ02

            """, fileName: "staff.csv"))
        _ = try GridStore(db: db).create(code: "YS01-G03", project: "YS01", name: "3号片区", phone: "057188880003")
        _ = try Planner(db: db).plan(date: try #require(Day("2026-11-26")))
        manager = try TokenStore(db: db).create(staff: "E8001")
        otherManager = try TokenStore(db: db).create(staff: "E8002")
    }

    func app() -> some ApplicationProtocol { clockedApp(fixture.schema, clock) }



    func get(_ client: some TestClientProtocol, _ uri: String, cookie: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
    }

    func assign(_ client: some TestClientProtocol, _ grid: String, cookie: String, _ fields: [(String, String)]) async throws -> TestResponse {
        var headers = sameOriginForm
        headers[.cookie] = cookie
        return try await client.execute(uri: "/project/grids/\(grid)/assign", method: .post, headers: headers, body: formBody(fields))
    }

    /// Every assignment on record, oldest first: `grid butler from..to`.
    func assignments() throws -> [String] {
        try fixture.schema.connect().query("""
            SELECT g.code || ' ' || s.employee_no || ' ' || ga.from_date || '..' || coalesce(ga.to_date::text, '')
            FROM grid_assignments ga JOIN grids g ON g.id = ga.grid_id JOIN staff s ON s.id = ga.staff_id
            ORDER BY g.code, ga.from_date
            """).map { try $0.decode(0) }
    }

    static let before = ["YS01-G01 E1001 2026-01-01..", "YS01-G02 E1002 2026-01-01.."]

    /// The table row of a grid and the start of the row of its form, up to the form.
    func row(_ page: String, _ grid: String) -> String? {
        guard let start = page.range(of: "<tr><td><a href=\"/project/grids/\(grid)\">"),
              let end = page.range(of: "<form", range: start.upperBound..<page.endIndex) else { return nil }
        return String(page[start.lowerBound..<end.lowerBound])
    }

    @Test func thePage_listsEveryGrid_withTodaysButler_andItsCounts() async throws {
        try await app().test(.live) { client in
            let session = try await signIn(client, manager)
            let response = try await get(client, "/project", cookie: session.cookie)
            #expect(response.status == .ok)
            let page = String(buffer: response.body)
            #expect(page.contains("<header><b>玉山花园（YS01）</b> · 2026-11-26 <a href=\"/project/report\">本月报表</a> <form method=post action=\"/logout\"><button>退出</button></form></header>"))
            #expect(page.contains("<p>共 3 个网格，4 户，空缺 1 个</p>"))
            // As planned for 11-26. G01: open the care visit (due today), the week's 2nd patrol (11-27), the
            // vacant furnished check (11-30); overdue the move-in visit and the 1st patrol (both due 11-25);
            // the entrusted check's window opens 11-27 (not yet). G02: the 2nd patrol and the vacant bare
            // check open, the 1st patrol overdue. G03: no house, nobody.
            #expect(row(page, "YS01-G01") == "<tr><td><a href=\"/project/grids/YS01-G01\">YS01-G01</a> 1号片区</td><td>梁涵淑（E1001）</td><td>057188880001</td><td class=n>3</td><td class=n>3</td><td class=\"n late\">2</td></tr>\n<tr class=assign><td colspan=6>")
            #expect(row(page, "YS01-G02") == "<tr><td><a href=\"/project/grids/YS01-G02\">YS01-G02</a> 2号片区</td><td>张月（E1002）</td><td>057188880002</td><td class=n>1</td><td class=n>2</td><td class=\"n late\">1</td></tr>\n<tr class=assign><td colspan=6>")
            #expect(row(page, "YS01-G03") == "<tr><td><a href=\"/project/grids/YS01-G03\">YS01-G03</a> 3号片区</td><td class=vacant>空缺</td><td>057188880003</td><td class=n>0</td><td class=n>0</td><td class=\"n\">0</td></tr>\n<tr class=assign><td colspan=6>")
            // A form per grid: the butlers of the project to choose from, today by default, the CSRF value.
            #expect(page.contains("<datalist id=butlers><option value=\"E1001\">梁涵淑（E1001）</option><option value=\"E1002\">张月（E1002）</option></datalist>"))
            #expect(page.contains("<form method=post action=\"/project/grids/YS01-G03/assign\"><input type=hidden name=csrf value=\"\(session.csrf)\">"))
            #expect(page.contains("<label for=\"b-YS01-G03\">管家工号</label> <input id=\"b-YS01-G03\" name=butler list=butlers size=7 maxlength=32 required value=\"\">"))
            #expect(page.contains("<label for=\"f-YS01-G03\">生效日期</label> <input id=\"f-YS01-G03\" name=from type=date required value=\"2026-11-26\">"))
            #expect(!page.contains("<script") && !page.contains("紫竹") && response.body.readableBytes < 50_000)
            // Naming the own project is the same page; a manager cannot name another.
            let named = try await get(client, "/project?project=YS01", cookie: session.cookie)
            #expect(named.status == .ok)
            let other = try await get(client, "/project?project=ZZ02", cookie: session.cookie)
            #expect(other.status == .forbidden)
            #expect(!String(buffer: other.body).contains("紫竹苑"))
        }
    }

    @Test func assigningThroughTheForm_showsTheNewButlerFromItsDate_andInTheHistory() async throws {
        try await app().test(.live) { client in
            let session = try await signIn(client, manager)
            // From today: G01 is E1002's now.
            let today = try await assign(client, "YS01-G01", cookie: session.cookie, [("csrf", session.csrf), ("butler", "E1002"), ("from", "2026-11-26")])
            #expect(today.status == .seeOther)
            let location = try #require(today.headers[.location])
            #expect(location == "/project?assigned=YS01-G01&butler=E1002&from=2026-11-26&result=assigned")
            let page = String(buffer: try await get(client, location, cookie: session.cookie).body)
            #expect(page.contains("<p class=notice>已指派 张月（E1002）负责 YS01-G01（自 2026-11-26 起）</p>"))
            #expect(row(page, "YS01-G01")?.contains("<td>张月（E1002）</td>") == true)
            // From next month: G03 stays vacant today, and says so.
            let later = try await assign(client, "YS01-G03", cookie: session.cookie, [("csrf", session.csrf), ("butler", "E1001"), ("from", "2026-12-01")])
            #expect(later.status == .seeOther)
            let after = String(buffer: try await get(client, try #require(later.headers[.location]), cookie: session.cookie).body)
            #expect(after.contains("<p class=notice>已指派 梁涵淑（E1001）负责 YS01-G03（自 2026-12-01 起）</p>"))
            #expect(row(after, "YS01-G03")?.contains("<td class=vacant>空缺</td>") == true)
            // The history, newest first: the current one and the past one.
            let history = try await get(client, "/project/grids/YS01-G01", cookie: session.cookie)
            #expect(history.status == .ok)
            let text = String(buffer: history.body)
            #expect(text.contains("<h1>YS01-G01 1号片区</h1>\n<p>服务电话 057188880001</p>"))
            let items = text.matches(of: /<li( class=cur)?>([^<]*)(<span class=mark>([^<]*)<\/span>)?/).map {
                "\($0.2)\($0.4 ?? "")".trimmingCharacters(in: .whitespaces)
            }
            #expect(items == ["2026-11-26 起 · 张月（E1002） 当前", "2026-01-01 至 2026-11-25 · 梁涵淑（E1001）"])
            #expect(text.contains("<li class=cur>2026-11-26 起"))
            let future = String(buffer: try await get(client, "/project/grids/YS01-G03", cookie: session.cookie).body)
            #expect(future.contains("<li>2026-12-01 起 · 梁涵淑（E1001） <span class=mark>待生效</span>"))
        }
        #expect(try assignments() == ["YS01-G01 E1001 2026-01-01..2026-11-25", "YS01-G01 E1002 2026-11-26..",
                                      "YS01-G02 E1002 2026-01-01..", "YS01-G03 E1001 2026-12-01.."])
    }

    @Test func aBadAssignment_showsTheReasonBesideItsForm_keepsTheInput_andWritesNothing() async throws {
        try await app().test(.live) { client in
            let session = try await signIn(client, manager)
            let cases: [(butler: String, from: String, status: HTTPResponse.Status, message: String)] = [
                ("E4040", "2026-12-01", .notFound, "管家工号：员工编号 E4040 不存在"),
                ("E1003", "2026-12-01", .badRequest, "管家工号：E1003 不是网格 YS01-G01 所在项目的管家；请指派本项目的管家"),
                ("E8001", "2026-12-01", .badRequest, "管家工号：E8001 是项目经理，不是管家"),
                ("E1002", "2025-12-31", .conflict, "生效日期：网格 YS01-G01 已有自 2026-01-01 起的指派；开始日期须晚于 2026-01-01（历史不会被改写）"),
                ("E1002", "2027-11-28", .badRequest, "生效日期：2027-11-28 超过一年以后（最晚 2027-11-27）"),
                ("E1002", "12/01", .badRequest, "生效日期：“12/01”不是日期（YYYY-MM-DD）"),
            ]
            for c in cases {
                let response = try await assign(client, "YS01-G01", cookie: session.cookie, [("csrf", session.csrf), ("butler", c.butler), ("from", c.from)])
                #expect(response.status == c.status, "\(c)")
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                let page = String(buffer: response.body)
                #expect(page.contains("<td colspan=6><p class=error id=\"e-YS01-G01\">\(c.message)</p><form method=post action=\"/project/grids/YS01-G01/assign\">"), "\(c): \(page)")
                #expect(page.contains("<input id=\"b-YS01-G01\" name=butler list=butlers size=7 maxlength=32 required value=\"\(c.butler)\">"))
                // A date input holds a date or nothing (a browser sends nothing else; the page stays valid HTML).
                let kept = Day(c.from) == nil ? "" : c.from
                #expect(page.contains("<input id=\"f-YS01-G01\" name=from type=date required value=\"\(kept)\">"))
                // Only that grid's form: the others stay as they were.
                #expect(page.matches(of: /<p class=error/).count == 1)
                #expect(page.contains("<input id=\"f-YS01-G02\" name=from type=date required value=\"2026-11-26\">"))
            }
            // A grid that does not exist: the reason on top of the page.
            let unknown = try await assign(client, "YS01-G99", cookie: session.cookie, [("csrf", session.csrf), ("butler", "E1002"), ("from", "2026-12-01")])
            #expect(unknown.status == .notFound)
            #expect(String(buffer: unknown.body).contains("<p class=error>网格 YS01-G99 不存在</p>"))
        }
        #expect(try assignments() == Self.before)
    }

    @Test func aButler_getsA403_andAssignsNothing() async throws {
        try await app().test(.live) { client in
            let session = try await signIn(client, fixture.butler)
            let page = try await get(client, "/project", cookie: session.cookie)
            #expect(page.status == .forbidden)
            #expect(String(buffer: page.body).contains("此页只属于项目经理"))
            #expect(try await get(client, "/project/grids/YS01-G01", cookie: session.cookie).status == .forbidden)
            let posted = try await assign(client, "YS01-G01", cookie: session.cookie, [("csrf", session.csrf), ("butler", "E1001"), ("from", "2026-12-01")])
            #expect(posted.status == .forbidden)
            // Not signed in: to the sign-in form.
            let anonymous = try await client.execute(uri: "/project", method: .get)
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/login")
        }
        #expect(try assignments() == Self.before)
    }

    @Test func anotherProjectsManager_getsA403_andSeesTheirOwnEmptyProject() async throws {
        try await app().test(.live) { client in
            let session = try await signIn(client, otherManager)
            for uri in ["/project?project=YS01", "/project/grids/YS01-G01"] {
                let response = try await get(client, uri, cookie: session.cookie)
                #expect(response.status == .forbidden, "\(uri)")
                #expect(!String(buffer: response.body).contains("梁涵淑"))
            }
            let posted = try await assign(client, "YS01-G01", cookie: session.cookie, [("csrf", session.csrf), ("butler", "E1003"), ("from", "2026-12-01")])
            #expect(posted.status == .forbidden)
            // Their own project has no grid yet: the page says what to do.
            let own = try await get(client, "/project", cookie: session.cookie)
            #expect(own.status == .ok)
            let page = String(buffer: own.body)
            #expect(page.contains("<b>紫竹苑（ZZ02）</b>"))
            #expect(page.contains("<p>本项目还没有网格。请先用命令行划分网格：<code>butler grid create 网格编码 --project ZZ02 --name 名称 --phone 服务电话</code>"))
            #expect(!page.contains("<table") && !page.contains("YS01"))
        }
        #expect(try assignments() == Self.before)
    }

    @Test func anAssignment_withoutTheCSRFValue_orFromAnotherSite_isRefused() async throws {
        try await app().test(.live) { client in
            let session = try await signIn(client, manager)
            for extra in [[], [("csrf", String(repeating: "0", count: 64))]] {
                let refused = try await assign(client, "YS01-G01", cookie: session.cookie, [("butler", "E1002"), ("from", "2026-12-01")] + extra)
                #expect(refused.status == .forbidden)
                #expect(String(buffer: refused.body).contains("表单校验码不对"))
            }
            var crossSite = formType
            crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            crossSite[.cookie] = session.cookie
            let forged = try await client.execute(uri: "/project/grids/YS01-G01/assign", method: .post, headers: crossSite,
                                                  body: formBody([("csrf", session.csrf), ("butler", "E1002"), ("from", "2026-12-01")]))
            #expect(forged.status == .forbidden)
        }
        #expect(try assignments() == Self.before)
    }
}
