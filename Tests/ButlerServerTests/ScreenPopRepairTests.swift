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

/// Issue 14: the repair form on the screen-pop card (`POST /screen-pop/repairs`), signed in by
/// the cookie as the browser is, on a fixed server clock; the card lists the house's orders.
/// Serialized: each test runs a server with its own pool, and the whole suite runs in parallel
/// with every other on one cluster (max_connections 100).
@Suite(.serialized) struct ScreenPopRepairTests {
    let fixture: HTTPFixture
    let clock = TestClock("2026-11-26T09:10")

    init() throws { fixture = try HTTPFixture() }

    func app() -> some ApplicationProtocol { clockedApp(fixture.schema, clock) }

    func count(_ table: String) throws -> Int {
        try fixture.schema.connect().query(SQL(unsafeRaw: "SELECT count(*)::int FROM \(table)"))[0].decode(0)
    }

    /// Signs `token` in as the telephony system does; the cookie header a browser then sends.
    func signIn(_ client: some TestClientProtocol, _ token: String) async throws -> (cookie: String, csrf: String) {
        var csrf = ""
        try await client.execute(uri: "/screen-pop/login", method: .post, headers: formType,
                                 body: formBody([("token", token), ("next", "/screen-pop")])) { response in
            csrf = try #require(cookieValue(setCookies(response)["butler_csrf"]))
        }
        return ("butler_token=\(token); butler_csrf=\(csrf)", csrf)
    }

    func post(_ client: some TestClientProtocol, cookie: String, _ fields: [(String, String)]) async throws -> TestResponse {
        var headers = formType
        headers[.cookie] = cookie
        headers[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
        return try await client.execute(uri: "/screen-pop/repairs", method: .post, headers: headers, body: formBody(fields))
    }

    /// The value of the card's hidden `caller_sealed` field.
    func sealed(_ page: String) throws -> String {
        String(try #require(page.firstMatch(of: /name=caller_sealed value="([^"]*)"/)?.1))
    }

    @Test func theForm_opensTheOrder_andTheCardSaysSo() async throws {
        try await app().test(.live) { client in
            let session = try await signIn(client, fixture.agent)
            var page = ""
            try await client.execute(uri: "/screen-pop?phone=13900000001", method: .get, headers: [.cookie: session.cookie]) { response in
                #expect(response.status == .ok)
                page = String(buffer: response.body)
            }
            // The form: nine categories in Chinese, the caller prefilled masked (the page never shows the number), no script.
            #expect(page.contains("<form method=post action=\"/screen-pop/repairs\" class=repair><input type=hidden name=csrf value=\"\(session.csrf)\"><input type=hidden name=house value=\"YS01/1-1-101\">"))
            #expect(page.contains("<option value=\"water\">水路</option>") && page.contains("<option value=\"public_area\">公共区域</option>"))
            #expect(page.components(separatedBy: "<option ").count - 1 == RepairCategory.allCases.count)
            #expect(page.contains("<input name=caller size=14 value=\"139****0001\">"))
            #expect(!page.contains("13900000001"))
            #expect(!page.contains("<script"))
            #expect(page.contains("<h3>报修单</h3><ul class=repairs>\n<li>暂无</li>"))
            let response = try await post(client, cookie: session.cookie, [
                ("csrf", session.csrf), ("house", "YS01/1-1-101"), ("category", "water"), ("description", "厨房水管漏水"),
                ("complex", "1"), ("caller", "139****0001"), ("caller_sealed", try sealed(page))])
            #expect(response.status == .seeOther, "\(String(buffer: response.body))")
            let location = try #require(response.headers[.location])
            #expect(location.hasPrefix("/screen-pop?house=YS01%2F1-1-101&opened="))
            try await client.execute(uri: location, method: .get, headers: [.cookie: session.cookie]) { response in
                let card = String(buffer: response.body)
                // A complex order opened Thursday 09:10: due by the end of the third working day after (Tuesday).
                #expect(card.contains("<p class=notice>已开单 #1（维修：水路，YS01/1-1-101），完成时限 2026-12-01 24:00</p>"), "\(card)")
                #expect(card.contains("<li>#1 水路 待派工 完工时限 2026-12-01 24:00</li>"))
            }
        }
        let row = try fixture.schema.connect().query("""
            SELECT o.caller_phone, o.source, o.complex, s.employee_no, o.opened_at, o.description FROM repair_orders o
            JOIN staff s ON s.id = o.opened_by
            """)
        #expect(row.count == 1)
        #expect(try row[0].decode(0, as: String?.self) == "13900000001", "the sealed number, not the mask")
        #expect(try row[0].decode(1, as: String.self) == "phone")
        #expect(try row[0].decode(2, as: Bool.self))
        #expect(try row[0].decode(3, as: String.self) == "E9001")
        #expect(try row[0].decode(4, as: Date.self) == clock.now, "the server's request clock")
        #expect(try row[0].decode(5, as: String.self) == "厨房水管漏水")
    }

    /// A number typed over the prefilled one is taken as typed; empty is none.
    @Test func aTypedNumber_replacesThePoppedOne() async throws {
        try await app().test(.live) { client in
            let session = try await signIn(client, fixture.agent)
            for caller in ["13700000009", ""] {
                let response = try await post(client, cookie: session.cookie, [
                    ("csrf", session.csrf), ("house", "YS01/1-1-102"), ("category", "electric"), ("description", "跳闸"),
                    ("caller", caller), ("caller_sealed", "")])
                #expect(response.status == .seeOther)
            }
        }
        let callers = try fixture.schema.connect().query("SELECT caller_phone FROM repair_orders ORDER BY id").map { try $0.decode(0, as: String?.self) }
        #expect(callers == ["13700000009", nil])
    }

    @Test func withoutTheCSRFValue_isRefused_andNothingIsWritten() async throws {
        try await app().test(.live) { client in
            let session = try await signIn(client, fixture.agent)
            let fields = [("house", "YS01/1-1-101"), ("category", "water"), ("description", "漏水")]
            for extra in [[], [("csrf", String(repeating: "0", count: 64))]] {
                let response = try await post(client, cookie: session.cookie, fields + extra)
                #expect(response.status == .forbidden)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: response.body).contains("表单校验码不对"))
            }
        }
        #expect(try count("repair_orders") == 0)
        #expect(try count("repair_events") == 0)
    }

    /// Bad input: the form again, what was typed kept, the reason in Chinese naming the field; a
    /// 400 HTML page, never a 500, and nothing written.
    @Test func badInput_showsTheErrorInPlace_andWritesNothing() async throws {
        try await app().test(.live) { client in
            let session = try await signIn(client, fixture.agent)
            let base = [("csrf", session.csrf), ("house", "YS01/1-1-101")]
            let cases: [([(String, String)], HTTPResponse.Status, String)] = [
                ([("category", "gas"), ("description", "  "), ("complex", "1")], .badRequest, "报修内容：请填写报修内容"),
                ([("category", "roof"), ("description", "漏雨")], .badRequest, "类别：请选择报修类别"),
                ([("category", "gas"), ("description", "燃气味"), ("caller", "139****0001"), ("caller_sealed", "bm90IGEgc2VhbA==")],
                 .badRequest, "来电号码：无法确认打码的来电号码"),
                ([("category", "gas"), ("description", "燃气味"), ("caller", "not a phone")], .badRequest, "来电号码："),
            ]
            for (fields, status, error) in cases {
                let response = try await post(client, cookie: session.cookie, base + fields)
                let page = String(buffer: response.body)
                #expect(response.status == status, "\(fields)")
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(page.contains("<p class=notfound>\(error)"), "\(page)")
                #expect(page.contains("<h1>为 YS01/1-1-101 开报修单</h1>"))
                #expect(page.contains("<a href=\"/screen-pop?house=YS01%2F1-1-101\">返回客户资料</a>"))
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src") == false)
            }
            // What was typed stays: the category chosen, complex ticked.
            let again = try await post(client, cookie: session.cookie, base + [("category", "gas"), ("description", ""), ("complex", "1")])
            let page = String(buffer: again.body)
            #expect(page.contains("<option value=\"gas\" selected>燃气</option>"))
            #expect(page.contains("<input type=checkbox name=complex value=1 checked>"))
            // A house that is not there: 404, in place.
            let missing = try await post(client, cookie: session.cookie,
                                         [("csrf", session.csrf), ("house", "YS01/9-9-999"), ("category", "gas"), ("description", "燃气味")])
            #expect(missing.status == .notFound)
            #expect(String(buffer: missing.body).contains("房屋：房屋 YS01/9-9-999 不存在"))
        }
        #expect(try count("repair_orders") == 0)
        #expect(try count("repair_events") == 0)
    }

    /// A butler's cookie: signed in, but butlers open no repair orders (000: the call centre does).
    @Test func aButlersCookie_isRefused() async throws {
        try await app().test(.live) { client in
            let session = try await signIn(client, fixture.butler)
            let response = try await post(client, cookie: session.cookie, [
                ("csrf", session.csrf), ("house", "YS01/1-1-101"), ("category", "water"), ("description", "漏水")])
            #expect(response.status == .forbidden)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(String(buffer: response.body).contains("无权"))
        }
        #expect(try count("repair_orders") == 0)
    }

    /// The caller often phones about an open order: the card lists the house's orders, newest first.
    @Test func theCard_listsTheHousesOrders() async throws {
        let db = try fixture.schema.connect()
        let opened = try #require(Timestamp.parse("2026-11-25T20:00"))
        let store = RepairStore(db: db, now: opened)
        let first = try store.open(RepairOpening(house: "YS01/1-1-101", category: .drainage, description: "下水道堵"), by: "E9001", at: nil)
        let second = try RepairStore(db: db, now: clock.now).open(
            RepairOpening(house: "YS01/1-1-101", category: .doorsWindows, description: "窗户关不上"), by: "E9001", at: nil)
        // The sweep finds the first unclaimed: its breach shows.
        _ = try JobRunner(db: db).runDue(now: clock.now, only: ["deadline_sweep"])
        try await app().test(.live) { client in
            try await client.execute(uri: "/screen-pop?phone=13900000001", method: .get, headers: bearer(fixture.agent)) { response in
                let page = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(page.contains("<li>#\(second.id) 门窗 待派工 完工时限 2026-11-26 24:00</li><li>#\(first.id) 排水 待派工 完工时限 2026-11-26 24:00 <b class=notfound>超时：接单</b></li>"), "\(page)")
            }
        }
    }
}
