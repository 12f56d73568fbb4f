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

/// Issue 16, first slice: sign-in (`/login`, `/logout`) and the butler's day (`/me`), signed in
/// by the cookie as a browser is, on a fixed server clock (Thursday 2026-11-26 09:10).
/// Serialized: each test runs a server with its own pool (max_connections on the shared cluster).
@Suite(.serialized) struct ConsoleTests {
    let fixture: HTTPFixture
    let clock = TestClock("2026-11-26T09:10")
    let otherButler: String
    let manager: String

    init() throws {
        fixture = try HTTPFixture()
        let db = try fixture.schema.connect()
        try seedManager(db)
        otherButler = try TokenStore(db: db).create(staff: "E1002")
        manager = try TokenStore(db: db).create(staff: "E8001")
    }

    func app() -> some ApplicationProtocol { clockedApp(fixture.schema, clock) }


    func login(_ client: some TestClientProtocol, _ token: String) async throws -> TestResponse {
        try await client.execute(uri: "/login", method: .post, headers: sameOriginForm, body: formBody([("token", token)]))
    }


    func get(_ client: some TestClientProtocol, _ uri: String, cookie: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
    }

    func markDone(_ client: some TestClientProtocol, _ id: Int, cookie: String, _ fields: [(String, String)]) async throws -> TestResponse {
        var headers = sameOriginForm
        headers[.cookie] = cookie
        return try await client.execute(uri: "/me/tasks/\(id)/done", method: .post, headers: headers, body: formBody(fields))
    }

    /// An open task of E1001's grid (YS01-G01) on the planned day.
    func openTaskOfG01() throws -> Int {
        let db = try fixture.schema.connect()
        _ = try Planner(db: db).plan(date: try #require(Day("2026-11-26")))
        return try #require(try db.query("""
            SELECT t.id FROM tasks t JOIN grids g ON g.id = t.grid_id JOIN houses h ON h.id = t.house_id
            WHERE g.code = 'YS01-G01' AND t.done_at IS NULL ORDER BY t.id LIMIT 1
            """).first?.decode(0, as: Int.self))
    }

    func isDone(_ id: Int) throws -> Bool {
        try fixture.schema.connect().query("SELECT done_at IS NOT NULL FROM tasks WHERE id = $1", [id])[0].decode(0)
    }

    @Test func login_setsTheSessionCookie_andGoesToTheRolesPage() async throws {
        try await app().test(.live) { client in
            for (token, page) in [(fixture.butler, "/me"), (fixture.agent, "/screen-pop"), (manager, "/project")] {
                let response = try await login(client, token)
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == page)
                let cookies = setCookies(response)
                #expect(cookies["butler_token"] == "butler_token=\(token); Path=/; HttpOnly; SameSite=Strict")
                let csrf = try #require(cookies["butler_console_csrf"])
                #expect(csrf.hasSuffix("; Path=/; HttpOnly; SameSite=Strict") && cookieValue(csrf)?.count == 64)
            }
            // The form itself: Chinese, the field `token`, posted (never in a URL).
            let form = try await client.execute(uri: "/login", method: .get)
            #expect(form.status == .ok)
            #expect(String(buffer: form.body).contains("<form method=post action=\"/login\"><label>令牌 <input name=token type=password"))
        }
    }

    @Test func aBadToken_getsTheFormAgain_401_andNoCookie() async throws {
        try await app().test(.live) { client in
            let response = try await login(client, "not-a-token")
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("<p class=error>令牌无效（已吊销或输错），请检查后重试。</p>"))
            #expect(response.headers[values: .setCookie].isEmpty)
            // Another site's page cannot sign a browser in (login CSRF).
            var crossSite = formType
            crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            let forged = try await client.execute(uri: "/login", method: .post, headers: crossSite, body: formBody([("token", fixture.butler)]))
            #expect(forged.status == .forbidden)
            #expect(forged.headers[values: .setCookie].isEmpty)
        }
    }

    @Test func me_showsTheButlersDay_andOnlyToAButler() async throws {
        let id = try openTaskOfG01()
        try await app().test(.live) { client in
            let noCookie = try await client.execute(uri: "/me", method: .get)
            #expect(noCookie.status == .seeOther && noCookie.headers[.location] == "/login")
            let session = try await signIn(client, fixture.butler)
            let response = try await get(client, "/me", cookie: session.cookie)
            #expect(response.status == .ok)
            let page = String(buffer: response.body)
            #expect(page.contains("<b>梁涵淑</b> · 2026-11-26"))
            #expect(page.contains("YS01/1-1-101"))
            // Quota progress on top; overdue cards first (the move-in visit was due 11-25).
            #expect(page.contains("<p class=quota><span>月度意见征询 0/7</span> <span>月度走访 0/7</span> </p>"))
            let classes = page.matches(of: /<section class="(card[^"]*)">/).map { String($0.1) }
            #expect(classes.first == "card overdue" && classes.contains("card"))
            #expect(classes.drop { $0 == "card overdue" }.allSatisfy { $0 != "card overdue" }, "\(classes)")
            #expect(page.contains("<section class=\"card overdue\"><h2>YS01/1-1-101 · 新入住走访</h2>\n<p class=reason>入住 2026-11-20</p><p><span class=st>逾期</span> 截止 2026-11-25</p>"))
            #expect(page.contains("<form method=post action=\"/me/tasks/\(id)/done\"><input type=hidden name=csrf value=\"\(session.csrf)\">"))
            #expect(page.contains("<nav aria-label=\"日期\"><b>今天</b><a href=\"/me?date=2026-11-27\">11-27</a>"))
            #expect(!page.contains("<script") && response.body.readableBytes < 50_000)
            // A day ahead is a preview.
            let ahead = try await get(client, "/me?date=2026-11-30", cookie: session.cookie)
            #expect(ahead.status == .ok && String(buffer: ahead.body).contains("<b>11-30</b>"))
            // Not a butler: a clear 403 page.
            let agent = try await signIn(client, fixture.agent)
            let refused = try await get(client, "/me", cookie: agent.cookie)
            #expect(refused.status == .forbidden)
            #expect(String(buffer: refused.body).contains("此页只属于管家"))
        }
    }

    @Test func markingDone_needsTheCSRFValue_thenShowsTheTaskDone() async throws {
        let id = try openTaskOfG01()
        try await app().test(.live) { client in
            let session = try await signIn(client, fixture.butler)
            for extra in [[], [("csrf", String(repeating: "0", count: 64))]] {
                let refused = try await markDone(client, id, cookie: session.cookie, [("note", "已完成")] + extra)
                #expect(refused.status == .forbidden)
            }
            #expect(try !isDone(id), "a refused form writes nothing")
            let response = try await markDone(client, id, cookie: session.cookie, [("csrf", session.csrf), ("date", "2026-11-26")])
            #expect(response.status == .seeOther)
            let location = try #require(response.headers[.location])
            #expect(location == "/me?date=2026-11-26&done=\(id)")
            let page = String(buffer: try await get(client, location, cookie: session.cookie).body)
            #expect(page.contains("<p class=notice role=status>任务 #\(id) 已完成</p>"))
            #expect(!page.contains("action=\"/me/tasks/\(id)/done\""), "a done task has no form")
        }
        #expect(try isDone(id))
        let doneAt = try fixture.schema.connect().query("SELECT done_at FROM tasks WHERE id = $1", [id])[0].decode(0, as: Date.self)
        #expect(doneAt == clock.now, "the server's request clock")
    }

    @Test func anotherButlersTask_cannotBeMarkedDone() async throws {
        let id = try openTaskOfG01()
        try await app().test(.live) { client in
            let session = try await signIn(client, otherButler)
            let response = try await markDone(client, id, cookie: session.cookie, [("csrf", session.csrf)])
            #expect(response.status == .forbidden)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            // In place: the butler's own day, the refusal on top (the task is not on this page).
            let page = String(buffer: response.body)
            #expect(page.contains("<p class=error role=alert>") && page.contains("<b>"), "\(page)")
        }
        #expect(try !isDone(id))
    }

    /// A card's record form: a visit at the house as the butler, at the server's clock; the
    /// quota on top counts it. Without the CSRF value nothing is written.
    @Test func recordingAVisit_fromACard() async throws {
        _ = try openTaskOfG01()
        try await app().test(.live) { client in
            let session = try await signIn(client, fixture.butler)
            var headers = sameOriginForm
            headers[.cookie] = session.cookie
            let fields = [("house", "YS01/1-1-101"), ("kind", "visit"), ("note", "入户走访"), ("date", "2026-11-26")]
            let refused = try await client.execute(uri: "/me/touchpoints", method: .post, headers: headers, body: formBody(fields))
            #expect(refused.status == .forbidden)
            let response = try await client.execute(uri: "/me/touchpoints", method: .post, headers: headers,
                                                    body: formBody(fields + [("csrf", session.csrf)]))
            #expect(response.status == .seeOther)
            let location = try #require(response.headers[.location])
            #expect(location.hasPrefix("/me?date=2026-11-26&recorded="))
            let page = String(buffer: try await get(client, location, cookie: session.cookie).body)
            #expect(page.contains("<span>月度走访 1/7</span>"), "\(page)")
        }
        let rows = try fixture.schema.connect().query("""
            SELECT tp.kind, s.employee_no, tp.at FROM touchpoints tp JOIN staff s ON s.id = tp.staff_id
            """)
        #expect(rows.count == 1)
        #expect(try rows[0].decode(0, as: String.self) == "visit" && rows[0].decode(1, as: String.self) == "E1001")
        #expect(try rows[0].decode(2, as: Date.self) == clock.now)
    }

    @Test func everyPage_carriesTheSecurityHeaders() async throws {
        try await app().test(.live) { client in
            let session = try await signIn(client, fixture.butler)
            for uri in ["/login", "/me"] {
                let response = try await get(client, uri, cookie: session.cookie)
                #expect(response.status == .ok)
                let policy = try #require(response.headers[.contentSecurityPolicy])
                #expect(policy.hasPrefix("default-src 'none'; style-src 'nonce-") && !policy.contains("script-src"))
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(response.headers[.cacheControl] == "no-store")
            }
            // Signing out ends the cookies.
            var headers = sameOriginForm
            headers[.cookie] = session.cookie
            let out = try await client.execute(uri: "/logout", method: .post, headers: headers)
            #expect(out.status == .seeOther && out.headers[.location] == "/login")
            #expect(setCookies(out)["butler_token"]?.contains("Max-Age=0") == true)
        }
    }


    /// A refused record form comes back as the day's page with the error on the card it came
    /// from and what was typed still in the fields; nothing is written.
    @Test func aRefusedRecord_showsTheErrorOnItsCard_keepsTheInput_andWritesNothing() async throws {
        _ = try openTaskOfG01()
        try await app().test(.live) { client in
            let session = try await signIn(client, fixture.butler)
            let response = try await post(client, "/me/touchpoints", cookie: session.cookie,
                                          [("csrf", session.csrf), ("date", "2026-11-26"), ("house", "YS01/1-1-101"), ("kind", "party"),
                                           ("note", "门口<b>留言</b>"), ("photo", "p-101.jpg")])
            #expect(response.status == .badRequest)
            let page = String(buffer: response.body)
            let card = try #require(page.firstRange(of: "<h2>YS01/1-1-101 · 新入住走访</h2><p class=error role=alert>").map { page[$0.lowerBound...] })
            #expect(card.contains("请选择记录类型（走访、去电、意见征询、查验、通风、保洁、催缴电话）"))
            #expect(card.contains("value=\"门口&lt;b&gt;留言&lt;/b&gt;\"") && card.contains("value=\"p-101.jpg\""), "kept, escaped")
            #expect(!page.contains("<b>留言"))
        }
        #expect(try fixture.schema.connect().query("SELECT count(*) FROM touchpoints")[0].decode(0, as: Int.self) == 0)
    }

    /// The record menu: an inspection (查验) with a photo reference is an inspection of the
    /// house with its photo; a visit keeps its photo with the touchpoint (0020).
    @Test func recordingAnInspectionAndAVisit_keepTheirPhotoReferences() async throws {
        _ = try openTaskOfG01()
        try await app().test(.live) { client in
            let session = try await signIn(client, fixture.butler)
            let page = String(buffer: try await get(client, "/me", cookie: session.cookie).body)
            #expect(page.contains("<option value=visit selected>走访</option><option value=call_out>去电</option><option value=opinion>意见征询</option><option value=check>查验</option>"))
            for (kind, photo) in [("check", "insp-1.jpg https://photos.example/2.jpg"), ("visit", "door.jpg")] {
                let response = try await post(client, "/me/touchpoints", cookie: session.cookie,
                                              [("csrf", session.csrf), ("house", "YS01/1-1-101"), ("kind", kind), ("note", "燃气正常"), ("photo", photo)])
                #expect(response.status == .seeOther)
            }
        }
        let db = try fixture.schema.connect()
        let inspection = try db.query("SELECT kind, photos, findings FROM inspections")
        #expect(inspection.count == 1)
        #expect(try inspection[0].decode(0, as: String.self) == "check")
        #expect(try inspection[0].decode(1, as: [String].self) == ["insp-1.jpg", "https://photos.example/2.jpg"])
        #expect(try inspection[0].decode(2, as: [String].self) == ["燃气正常"])
        #expect(try db.query("SELECT photos FROM touchpoints WHERE kind = 'visit'")[0].decode(0, as: [String].self) == ["door.jpg"])
    }

    /// API clients may sign in with the bearer header instead of the form.
    @Test func login_acceptsTheBearerHeader() async throws {
        try await app().test(.live) { client in
            let response = try await client.execute(uri: "/login", method: .post, headers: [.authorization: "Bearer \(fixture.butler)"])
            #expect(response.status == .seeOther && response.headers[.location] == "/me")
            #expect(setCookies(response)["butler_token"]?.hasPrefix("butler_token=\(fixture.butler);") == true)
            let page = try await client.execute(uri: "/me", method: .get, headers: [.authorization: "Bearer \(fixture.butler)"])
            #expect(page.status == .ok)
            let revoked = try await client.execute(uri: "/login", method: .post, headers: [.authorization: "Bearer nope"])
            #expect(revoked.status == .unauthorized && revoked.headers[values: .setCookie].isEmpty)
        }
    }

    /// A long day comes 20 cards a page (overdue first), the forms carry the page back, and a
    /// page number that is not one is a 400 naming the field.
    @Test func aLongDay_comesInPagesOf20() async throws {
        _ = try openTaskOfG01()
        let db = try fixture.schema.connect()
        // 30 weekly patrols of YS01-G01 (E1001's grid), open, due over the next days.
        try db.execute("""
            INSERT INTO tasks (standard, subject, period, project_id, grid_id, window_start, due_date, priority, title)
            SELECT 'grid_patrol', 'g' || g.id, 'test#' || n, g.project_id, g.id, DATE '2026-11-20', DATE '2026-11-27', 2, '网格巡查'
            FROM grids g, generate_series(1, 30) n WHERE g.code = 'YS01-G01'
            """)
        let id: Int = try db.query("SELECT min(id) FROM tasks WHERE period = 'test#1'")[0].decode(0)
        try await app().test(.live) { client in
            let session = try await signIn(client, fixture.butler)
            let first = String(buffer: try await get(client, "/me", cookie: session.cookie).body)
            let total = first.matches(of: /<section class="card/).count
            #expect(total == 20)
            let pager = try #require(first.firstMatch(of: /第 1\/(\d+) 页（共 (\d+) 项） <a href="\/me\?date=2026-11-26&amp;page=2">下一页<\/a>/))
            let pages = try #require(Int(pager.1)), cards = try #require(Int(pager.2))
            #expect(cards >= 31 && pages == (cards + 19) / 20)
            #expect(first.contains("<section class=\"card overdue\"><h2>YS01/1-1-101 · 新入住走访</h2>"), "overdue first")
            let last = String(buffer: try await get(client, "/me?page=\(pages)", cookie: session.cookie).body)
            #expect(last.matches(of: /<section class="card/).count == cards - 20 * (pages - 1))
            #expect(last.contains("<input type=hidden name=page value=\(pages)>"))
            #expect(last.contains("<a href=\"/me?date=2026-11-26&amp;page=\(pages - 1)\">上一页</a>"))
            let bad = try await get(client, "/me?page=0", cookie: session.cookie)
            #expect(bad.status == .badRequest && String(buffer: bad.body).contains("页码“0”应为 1 起的整数"))
            // A form on page 2 comes back to page 2.
            let done = try await markDone(client, id, cookie: session.cookie, [("csrf", session.csrf), ("date", "2026-11-26"), ("page", "2")])
            #expect(done.headers[.location] == "/me?date=2026-11-26&page=2&done=\(id)")
        }
    }
}
