import ButlerServer
import ButlerStore
import ButlerTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Testing

/// The small registry with an agent and a butler token; the server runs as the
/// least-privileged role `butler_web`, as in production.
struct HTTPFixture {
    let schema: TestSchema
    let agent: String
    let butler: String

    init() throws {
        schema = try TestSchema()
        let db = try schema.connect()
        try seedRegistry(db)
        let tokens = TokenStore(db: db)
        agent = try tokens.create(staff: "E9001")
        butler = try tokens.create(staff: "E1001")
    }

    /// `applicationName` tags the server's connections (to find them in `pg_stat_activity`).
    func app(poolSize: Int = 2, secureCookies: Bool = false, applicationName: String? = nil) -> some ApplicationProtocol {
        var database = schema.config(role: ServerRole.defaultName)
        if let applicationName { database.settings["application_name"] = applicationName }
        return buildApplication(ServerConfiguration(
            host: "127.0.0.1", port: 0, database: database, poolSize: poolSize, secureCookies: secureCookies))
    }
}

func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

func formBody(_ fields: [(String, String)]) -> ByteBuffer {
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
    return ByteBuffer(string: fields.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $1)" }.joined(separator: "&"))
}

/// The `error.code` of a JSON error body (nil when the body is not one).
func jsonErrorCode(_ response: TestResponse) -> String? {
    guard response.headers[.contentType]?.hasPrefix("application/json") == true,
          let body = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any],
          let error = body["error"] as? [String: Any] else { return nil }
    return error["code"] as? String
}

/// `name=value` of each `Set-Cookie`, by name, with the attributes as sent.
func setCookies(_ response: TestResponse) -> [String: String] {
    var cookies: [String: String] = [:]
    for value in response.headers[values: .setCookie] {
        let name = String(value.prefix { $0 != "=" })
        cookies[name] = value
    }
    return cookies
}

func cookieValue(_ setCookie: String?) -> String? {
    guard let setCookie, let first = setCookie.split(separator: ";").first else { return nil }
    return first.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init)
}

@Suite struct BrowserSafetyTests {
    let fixture: HTTPFixture

    init() throws { fixture = try HTTPFixture() }

    /// Every HTML response forbids scripts, framing, foreign form targets and `<base>`; its one
    /// inline style is allowed by a per-response nonce, not by 'unsafe-inline'.
    @Test func htmlPages_sendStrictCSP_andFrameHeaders() async throws {
        try await fixture.app().test(.live) { client in
            for (uri, headers) in [("/screen-pop?phone=13900000001", bearer(fixture.agent)), ("/screen-pop/login", [:]),
                                   ("/screen-pop?phone=13900000001", [:])] as [(String, HTTPFields)] {
                try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    #expect(response.headers[.contentType]?.hasPrefix("text/html") == true, "\(uri)")
                    let csp = try #require(response.headers[.contentSecurityPolicy], "\(uri)")
                    for directive in ["default-src 'none'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"] {
                        #expect(csp.contains(directive), "\(uri): \(csp)")
                    }
                    #expect(!csp.contains("unsafe-inline"))
                    #expect(!csp.contains("script-src"))
                    let nonce = try #require(csp.firstMatch(of: /style-src 'nonce-([0-9a-f]+)'/)?.1)
                    #expect(String(buffer: response.body).contains("<style nonce=\"\(nonce)\">"))
                    #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                    #expect(response.headers[.cacheControl] == "no-store")
                }
            }
            // JSON too: not sniffed as HTML, not cached.
            try await client.execute(uri: "/v1/lookup?phone=13900000001", method: .get, headers: bearer(fixture.agent)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            }
        }
    }

    /// What residents and agents typed is shown as text, never as markup.
    @Test func page_escapesRecordedText() async throws {
        let db = try fixture.schema.connect()
        _ = try Records(db: db).touch(house: "YS01/1-1-101", kind: .callIn, by: "E9001", at: nil,
                                      note: "<script>alert('x')</script><img src=x onerror=alert(1)>\"")
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/screen-pop?phone=13900000001", method: .get, headers: bearer(fixture.agent)) { response in
                let page = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;"))
                #expect(!page.contains("<script"))
                #expect(!page.contains("<img"))
                #expect(page.contains("网格电话"))
                #expect(page.contains("记录本次来电"))
                #expect(page.contains("139****0001"))
                #expect(!page.contains("13900000001"))
            }
        }
    }

    /// The page renders the same card view model as `butler lookup` (issue 13 #23, #7): Chinese
    /// labels (tags too), masked phones, short times, and the record form per house.
    @Test func page_showsTheSharedCardView_inChinese() async throws {
        let db = try fixture.schema.connect()
        _ = try Records(db: db).touch(house: "YS01/1-1-101", kind: .visit, by: "E1001", at: Timestamp.parse("2026-11-26T09:30"), note: "走访")
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/screen-pop?phone=13900000001", method: .get, headers: bearer(fixture.agent)) { response in
                let page = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(page.contains("<section class=household data-house=\"YS01/1-1-101\">"))
                #expect(page.contains("<td>王伟</td><td>业主</td><td>139****0001</td><td>独居老人</td>"), "\(page)")
                #expect(!page.contains("elderly_alone"))
                #expect(page.contains("<li>2026-11-26 09:30 走访 走访</li>"))
                #expect(page.contains("<input type=hidden name=house value=\"YS01/1-1-101\">"))
                #expect(!page.contains("户匹配"), "every match shown")
            }
            try await client.execute(uri: "/screen-pop?house=YS01/1-1-103", method: .get, headers: bearer(fixture.agent)) { response in
                #expect(String(buffer: response.body).contains("委托代管：无偿 2026-01-01 起，钥匙 1 把"))
            }
            // Both a phone and a house: the one check of LookupQuery says so, in Chinese.
            try await client.execute(uri: "/screen-pop?phone=13900000001&house=YS01/1-1-103", method: .get, headers: bearer(fixture.agent)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("只能按一项查询：已给出电话，不能再给房号"))
            }
        }
    }

    /// One number on more houses than a page shows: the page says how many and how to narrow.
    @Test func page_saysWhenItShowsOnlySomeHouses() async throws {
        let db = try fixture.schema.connect()
        try seedManyWangs(db, count: 60)
        try db.execute("UPDATE resident_phones SET phone = '13900000001'")
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/screen-pop?phone=13900000001", method: .get, headers: bearer(fixture.agent)) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("来电 139****0001：61 户"))
                #expect(page.contains("共 61 户匹配，显示前 50 户；请按房号查询"))
                #expect(page.components(separatedBy: "<section class=household").count - 1 == 50)
            }
        }
    }

    /// A token in a URL leaks into logs and history: GET shows the form and sets no cookie.
    @Test func getLoginWithToken_setsNoCookie() async throws {
        try await fixture.app().test(.live) { client in
            try await client.execute(uri: "/screen-pop/login?token=\(fixture.agent)&next=%2Fscreen-pop%3Fphone%3D13900000001",
                                     method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[values: .setCookie].isEmpty)
                #expect(response.headers[.location] == nil)
                let page = String(buffer: response.body)
                #expect(page.contains("<form method=post action=\"/screen-pop/login\">"))
                #expect(page.contains("name=next value=\"/screen-pop?phone=13900000001\""))
                #expect(page.contains("不能放在网址中"))
                #expect(!page.contains(fixture.agent))
            }
        }
    }

    @Test func postLogin_setsHttpOnlyStrictCookies_andRedirectsToNext() async throws {
        try await fixture.app().test(.live) { client in
            let next = "/screen-pop?phone=13900000001"
            try await client.execute(uri: "/screen-pop/login", method: .post, headers: formType,
                                     body: formBody([("token", fixture.agent), ("next", next)])) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == next)
                let cookies = setCookies(response)
                #expect(cookies["butler_token"] == "butler_token=\(fixture.agent); Path=/; HttpOnly; SameSite=Strict")
                let csrf = try #require(cookies["butler_csrf"])
                #expect(csrf.hasSuffix("; Path=/screen-pop; HttpOnly; SameSite=Strict"))
                #expect(cookieValue(csrf)?.count == 64)
            }
            // Behind a TLS-terminating proxy the cookies are Secure.
            var proxied = formType
            proxied[HTTPField.Name("X-Forwarded-Proto")!] = "https"
            try await client.execute(uri: "/screen-pop/login", method: .post, headers: proxied,
                                     body: formBody([("token", fixture.agent), ("next", next)])) { response in
                #expect(response.status == .seeOther)
                let cookies = setCookies(response)
                #expect(cookies["butler_token"]?.hasSuffix("; HttpOnly; SameSite=Strict; Secure") == true)
                #expect(cookies["butler_csrf"]?.hasSuffix("; Secure") == true)
            }
            // Posted from another site (the telephony system's page): the cookies, and a page on
            // this origin that moves on (a redirect would arrive without the Strict cookie).
            var crossSite = formType
            crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            try await client.execute(uri: "/screen-pop/login", method: .post, headers: crossSite,
                                     body: formBody([("token", fixture.agent), ("next", next)])) { response in
                #expect(response.status == .ok)
                #expect(setCookies(response)["butler_token"]?.contains("HttpOnly; SameSite=Strict") == true)
                #expect(setCookies(response)["butler_csrf"] != nil)
                #expect(String(buffer: response.body).contains("<meta http-equiv=refresh content=\"0;url=/screen-pop?phone=13900000001\">"))
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            }
            // Only /screen-pop paths on this server are followed; a bad token sets nothing.
            for bad in ["//evil.example/screen-pop", "https://evil.example/", "/v1/grids", "/screen-pop\\@evil"] {
                try await client.execute(uri: "/screen-pop/login", method: .post, headers: formType,
                                         body: formBody([("token", fixture.agent), ("next", bad)])) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                    #expect(response.headers[values: .setCookie].isEmpty)
                    #expect(response.headers[.location] == nil)
                }
            }
            try await client.execute(uri: "/screen-pop/login", method: .post, headers: formType,
                                     body: formBody([("token", "not-a-token"), ("next", next)])) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[values: .setCookie].isEmpty)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            }
        }
        try await fixture.app(secureCookies: true).test(.live) { client in
            try await client.execute(uri: "/screen-pop/login", method: .post, headers: formType,
                                     body: formBody([("token", fixture.agent), ("next", "/screen-pop")])) { response in
                #expect(setCookies(response)["butler_token"]?.hasSuffix("; Secure") == true)
            }
        }
    }

    /// A cookie-authenticated post needs the CSRF value of the session and must not come from
    /// another origin; a bearer header (which a browser never adds by itself) needs neither.
    @Test func cookiePost_needsCSRF_andSameOrigin() async throws {
        try await fixture.app().test(.live) { client in
            var csrf = ""
            try await client.execute(uri: "/screen-pop/login", method: .post, headers: formType,
                                     body: formBody([("token", fixture.agent), ("next", "/screen-pop")])) { response in
                csrf = try #require(cookieValue(setCookies(response)["butler_csrf"]))
            }
            let cookie = "butler_token=\(fixture.agent); butler_csrf=\(csrf)"
            // The page echoes the session's value in its forms.
            try await client.execute(uri: "/screen-pop?phone=13900000001", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("<input type=hidden name=csrf value=\"\(csrf)\">"))
                #expect(response.headers[values: .setCookie].isEmpty)
            }
            let call = [("house", "YS01/1-1-101"), ("note", "报修")]
            var headers = formType
            headers[.cookie] = cookie
            // No CSRF value, a wrong one, one without its cookie: 403, as an HTML page.
            for (fields, cookieHeader) in [(call, cookie), (call + [("csrf", String(repeating: "0", count: 64))], cookie),
                                           (call + [("csrf", csrf)], "butler_token=\(fixture.agent)")] {
                var h = headers
                h[.cookie] = cookieHeader
                try await client.execute(uri: "/screen-pop/calls", method: .post, headers: h, body: formBody(fields)) { response in
                    #expect(response.status == .forbidden)
                    #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                }
            }
            // The right value from another origin (or a browser saying cross-site): 403.
            for (name, value) in [("Origin", "https://evil.example"), ("Origin", "null"), ("Sec-Fetch-Site", "cross-site")] {
                var h = headers
                h[HTTPField.Name(name)!] = value
                try await client.execute(uri: "/screen-pop/calls", method: .post, headers: h,
                                         body: formBody(call + [("csrf", csrf)])) { response in
                    #expect(response.status == .forbidden, "\(name): \(value)")
                }
            }
            // The right value from this server's page: recorded.
            var same = headers
            same[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
            try await client.execute(uri: "/screen-pop/calls", method: .post, headers: same,
                                     body: formBody(call + [("csrf", csrf)])) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location]?.hasPrefix("/screen-pop?house=YS01%2F1-1-101&recorded=") == true)
            }
        }
        let db = try fixture.schema.connect()
        #expect(try db.query("SELECT count(*)::int FROM touchpoints WHERE kind = 'call_in'")[0].decode(0, as: Int.self) == 1)
    }

    /// What a real browser sends from our own page: under `Referrer-Policy: no-referrer` a form
    /// POST carries `Origin: null` (Fetch: "serialize a request origin"), with
    /// `Sec-Fetch-Site: same-origin`. Found by ops/browser-check clicking 登录 in Chromium: the
    /// sign-in and every form of the console and the screen-pop were refused (403). Without the
    /// browser's same-origin word, `Origin: null` stays refused (cookiePost_needsCSRF_andSameOrigin).
    @Test func browserPost_fromOurNoReferrerPage_isSameOrigin() async throws {
        try await fixture.app().test(.live) { client in
            var headers = formType
            headers[.origin] = "null"
            headers[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
            try await client.execute(uri: "/login", method: .post, headers: headers,
                                     body: formBody([("token", fixture.butler)])) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/me")
            }
            try await client.execute(uri: "/logout", method: .post, headers: headers, body: formBody([])) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login")
            }
            headers[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            try await client.execute(uri: "/login", method: .post, headers: headers,
                                     body: formBody([("token", fixture.butler)])) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test func forms_takeOnlyFormEncoding() async throws {
        try await fixture.app().test(.live) { client in
            var json = bearer(fixture.agent)
            json[.contentType] = "application/json"
            try await client.execute(uri: "/screen-pop/calls", method: .post, headers: json,
                                     body: ByteBuffer(string: #"{"house":"YS01/1-1-101"}"#)) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/screen-pop/login", method: .post, headers: [.contentType: "text/plain"],
                                     body: ByteBuffer(string: "token=\(fixture.agent)&next=/screen-pop")) { response in
                #expect(response.status == .unsupportedMediaType)
                #expect(response.headers[values: .setCookie].isEmpty)
            }
        }
    }
}
