import ButlerCore
import ButlerStore
import Foundation
import HTTPTypes
import Hummingbird
import Postgres

/// The call-centre screen-pop page (000 "客户资料自动弹屏"): the telephony system opens
/// `/screen-pop?phone=…` when a call rings. Server-rendered Chinese HTML (swift-mustache, see
/// ScreenPopTemplates.swift), no JavaScript; every HTML response carries a strict CSP.
///
/// Signing in: the telephony system posts the agent's token to `POST /screen-pop/login`
/// (`token`, `next`) from an auto-submitting form; the token becomes an HttpOnly, SameSite=Strict
/// cookie and the browser goes on to `next`. A token in a URL (`GET …?token=`) is refused: URLs end
/// up in logs, history and Referer headers. Writes from the page (`POST /screen-pop/calls`) carry a
/// CSRF token (double submit: the `butler_csrf` cookie set at sign-in, echoed in a hidden field).
///
/// Behind a TLS-terminating reverse proxy the cookies get `Secure` when the proxy sends
/// `X-Forwarded-Proto: https` (nginx: `proxy_set_header X-Forwarded-Proto $scheme;` and
/// `proxy_set_header Host $host;`, since the Origin check compares with `Host`), or always with
/// `ServerConfiguration.secureCookies` / `BUTLER_SECURE_COOKIES=1`.

struct ScreenPop: Sendable {
    let pool: DatabasePool
    /// Always mark cookies `Secure` (the server is reached over HTTPS only).
    var secureCookies = false

    static let tokenCookie = "butler_token"
    static let csrfCookie = "butler_csrf"

    struct Page: Sendable {
        let agent: String
        let query: String
        let result: LookupResult?
        let orders: [String: [Order]]
        let notice: String?
    }

    func register(on router: Router<BasicRequestContext>, routes: RouteTable) {
        routes.get("/screen-pop", on: router) { request, _ -> Response in
            // A browser gets an HTML page for errors too (sign in, no permission, database down).
            do {
                return try await page(request)
            } catch {
                return errorPage(error)
            }
        }
        // The sign-in form. A token in the query string no longer signs in (and sets no cookie).
        routes.get("/screen-pop/login", on: router) { request, _ -> Response in
            let parameters = request.uri.queryParameters
            let next = parameters["next"].map { String($0).removingPercentEncoding ?? String($0) }
            let note: String? = parameters["token"] == nil ? nil : "出于安全考虑，令牌不能放在网址中（会留在日志和浏览记录里）；请用下面的表单提交（POST）登录。"
            return html(ScreenPopView.Login(nonce: "", note: note, next: Self.safeNext(next) ?? "/screen-pop"), "login")
        }
        // The telephony system (or the agent) posts the token; it becomes an HttpOnly cookie and
        // the browser goes on to the page (only /screen-pop paths on this server are followed).
        routes.post("/screen-pop/login", on: router) { request, _ -> Response in
            do {
                return try await login(request)
            } catch {
                return errorPage(error)
            }
        }
        // The page's "record this call" form.
        routes.post("/screen-pop/calls", on: router) { request, _ -> Response in
            do {
                return try await recordCall(request)
            } catch {
                return errorPage(error)
            }
        }
    }

    private func login(_ request: Request) async throws -> Response {
        try Self.requireForm(request)
        let form = try await Self.form(request)
        let next = form["next"].flatMap { $0.isEmpty ? nil : $0 } ?? "/screen-pop"
        guard let safe = Self.safeNext(next) else { throw APIError.badRequest(field: "next", "只能跳转到本服务器的 /screen-pop 页面") }
        guard let token = form["token"], !token.isEmpty else {
            return html(ScreenPopView.Login(nonce: "", note: "请输入令牌。", next: safe), "login", status: .badRequest)
        }
        do {
            _ = try await pool.withConnection { db in try authenticate(db, token) }
        } catch let error as APIError where error.status == .unauthorized {
            return html(ScreenPopView.Login(nonce: "", note: "令牌无效（已吊销或输错）。", next: safe), "login", status: .unauthorized)
        }
        let secure = secureCookies || Self.cameOverTLS(request)
        var headers = HTTPFields()
        headers.append(HTTPField(name: .setCookie, value: Self.cookie(Self.tokenCookie, token, path: "/", secure: secure)))
        headers.append(HTTPField(name: .setCookie, value: Self.cookie(Self.csrfCookie, Self.randomToken(), path: "/screen-pop", secure: secure)))
        guard Self.isCrossSite(request) else {
            headers[.location] = safe
            return Response(status: .seeOther, headers: headers)
        }
        // Posted from another site: a redirect would arrive without the new SameSite=Strict
        // cookie (the browser counts the whole redirect chain as cross-site), so a page on this
        // origin moves on instead.
        var response = html(ScreenPopView.Proceed(nonce: "", next: safe), "proceed")
        for cookie in headers[values: .setCookie] { response.headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return response
    }

    /// Whether the browser says the request came from another site (`Sec-Fetch-Site`, or an
    /// `Origin` that is not this server). Non-browser clients send neither.
    static func isCrossSite(_ request: Request) -> Bool {
        if let site = request.headers[secFetchSite]?.lowercased() { return site != "same-origin" && site != "none" }
        guard let origin = request.headers[.origin] else { return false }
        let host = request.head.authority ?? request.headers[hostHeader]
        return host.flatMap { authority(host: $0) } != originAuthority(origin) || originAuthority(origin) == nil
    }

    private func recordCall(_ request: Request) async throws -> Response {
        try Self.requireForm(request)
        // A browser sends the cookie by itself; a bearer header it never adds on its own, so only
        // cookie-authenticated posts need the CSRF checks.
        let byCookie = bearerHeaderToken(request) == nil
        if byCookie { try Self.requireSameOrigin(request) }
        let form = try await Self.form(request)
        if byCookie {
            guard let sent = form["csrf"], let expected = Self.cookieValue(Self.csrfCookie, request),
                  !expected.isEmpty, Self.constantTimeEqual(sent, expected) else {
                throw ButlerError(.forbidden, field: "csrf", "页面已过期或表单校验码不对：请刷新页面后重试")
            }
        }
        let token = bearerToken(request)
        guard let house = form["house"], !house.isEmpty else { throw APIError.badRequest(field: "house", "请填写房号") }
        let note = form["note"] ?? ""
        let id = try await pool.asActor(token: token) { db, principal in
            try Scope(db: db, actor: principal).requireRole([.agent, .manager], to: "record calls")
            return try Records(db: db).touch(house: house, kind: .callIn, by: principal.employeeNo, at: nil, note: note).id
        }
        var headers = HTTPFields()
        headers[.location] = "/screen-pop?house=\(percent(house))&recorded=\(id)"
        return Response(status: .seeOther, headers: headers)
    }

    private func page(_ request: Request) async throws -> Response {
        let token = bearerToken(request)
        let parameters = request.uri.queryParameters
        let phone = parameters["phone"].map { String($0).removingPercentEncoding ?? String($0) }
        let house = parameters["house"].map { String($0).removingPercentEncoding ?? String($0) }
        let notice = parameters["recorded"].map { "已记录通话 #\($0)" }
        // Not one transaction: the lookup runs on its own (autocommit), so a refusal it records is
        // kept when the page then answers 403.
        let page = try await pool.withConnection { db -> Page in
            let principal = try authenticate(db, token)
            // An empty field (the house form sent blank) is no query; both given is an input error.
            var query: LookupQuery? = nil
            var problem: String? = nil
            do {
                query = try LookupQuery.parse(phone: phone.flatMap { $0.isEmpty ? nil : $0 },
                                              house: house.flatMap { $0.isEmpty ? nil : $0 }, name: nil)
            } catch let error as ButlerError {
                problem = error.description
            }
            guard let query else {
                try Scope(db: db, actor: principal).mayLookUp()
                return Page(agent: principal.name, query: "", result: nil, orders: [:], notice: problem ?? notice)
            }
            let result: LookupResult
            do {
                // The database checks the right and the scope and records a refusal.
                result = try CallCentre(db: db).lookup(query, as: .token(token ?? ""))
            } catch let error as ButlerError where error.kind == .invalidInput {
                return Page(agent: principal.name, query: query.text, result: nil, orders: [:], notice: error.description)
            }
            var orders: [String: [Order]] = [:]
            for card in result.houses {
                orders[card.house] = try OrderStore(db: db).list(house: card.house, butler: nil, status: nil, limit: 5)
            }
            return Page(agent: principal.name, query: query.text, result: result, orders: orders, notice: notice)
        }
        // The CSRF value the page's forms echo: the one set at sign-in, or a new one (a session
        // from before sign-in set it, or a bearer-header client).
        let existing = Self.cookieValue(Self.csrfCookie, request).flatMap { Self.isToken($0) ? $0 : nil }
        let csrf = existing ?? Self.randomToken()
        var response = html(ScreenPopView.Page(page, csrf: csrf), "page")
        if existing == nil {
            response.headers.append(HTTPField(name: .setCookie, value: Self.cookie(
                Self.csrfCookie, csrf, path: "/screen-pop", secure: secureCookies || Self.cameOverTLS(request))))
        }
        return response
    }

    /// An error as an HTML page with the right status (the page is opened in a browser).
    private func errorPage(_ error: any Error) -> Response {
        let api = ErrorMiddleware<BasicRequestContext>.map(error)
        let hint = api.status == .unauthorized ? "请从话务系统重新打开本页登录（令牌以表单 POST 到 /screen-pop/login）后重试。" : ""
        return html(ScreenPopView.Message(nonce: "", text: "\(api.status.code) · \(api.message)", hint: hint), "message", status: api.status)
    }

    /// Renders a template with a fresh CSP nonce for its inline style.
    private func html<View: ScreenPopView.Nonced>(_ view: View, _ template: String, status: HTTPResponse.Status = .ok) -> Response {
        var view = view
        view.nonce = Self.randomToken(bytes: 16)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = SecurityHeaders<BasicRequestContext>.pagePolicy(styleNonce: view.nonce)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: ScreenPopTemplates.render(view, template))))
    }

    // MARK: - Request checks

    /// The page's forms post `application/x-www-form-urlencoded`; anything else is 415.
    static func requireForm(_ request: Request) throws {
        guard let type = request.headers[.contentType], MediaType(type).matches("application/x-www-form-urlencoded", charsets: ["utf-8"]) else {
            throw APIError(status: .unsupportedMediaType, code: "unsupported_media_type",
                           message: "此表单只接受 Content-Type: application/x-www-form-urlencoded")
        }
    }

    static func form(_ request: Request) async throws -> FormFields {
        let buffer = try await request.body.collect(upTo: HTTPLimits.formBody)
        let form = FormFields(String(decoding: buffer.readableBytesView, as: UTF8.self))
        // PostgreSQL text cannot hold NUL; libpq would cut the value short silently.
        guard !form.containsNUL else { throw APIError.badRequest("表单字段含有 NUL 字符") }
        return form
    }

    /// A cookie-authenticated post must come from this server's own pages: `Sec-Fetch-Site`
    /// (when the browser sends it) is same-origin, and `Origin` (when sent) is this server, as
    /// named by `Host`. Both are set by the browser and cannot be forged by another site's page.
    static func requireSameOrigin(_ request: Request) throws {
        if let site = request.headers[secFetchSite]?.lowercased(), site != "same-origin", site != "none" {
            throw ButlerError(.forbidden, "拒绝来自其他网站的表单提交（Sec-Fetch-Site: \(site)）")
        }
        guard let origin = request.headers[.origin] else { return }
        let host = request.head.authority ?? request.headers[hostHeader]
        guard let host, let expected = authority(host: host), let sent = originAuthority(origin), sent == expected else {
            throw ButlerError(.forbidden, "拒绝来自其他来源的表单提交（Origin: \(origin.prefix(100))）")
        }
    }

    /// `host[:port]`, lowercased, without the scheme's default port.
    static func authority(host: String, scheme: String? = nil) -> String? {
        let lowered = host.lowercased().trimmingCharacters(in: .whitespaces)
        guard !lowered.isEmpty else { return nil }
        for port in [":80", ":443"] where lowered.hasSuffix(port) && !lowered.hasSuffix("]") {
            if scheme == nil || (scheme == "http") == (port == ":80") { return String(lowered.dropLast(port.count)) }
        }
        return lowered
    }

    static func originAuthority(_ origin: String) -> String? {
        guard let url = URL(string: origin), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, url.path.isEmpty || url.path == "/" else { return nil }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return authority(host: url.port.map { "\(bracketed):\($0)" } ?? bracketed, scheme: scheme)
    }

    /// Only pages of the screen-pop on this server: no other path, no `//host`, no backslash or control characters.
    static func safeNext(_ next: String?) -> String? {
        guard let next else { return nil }
        guard next == "/screen-pop" || next.hasPrefix("/screen-pop?") || next.hasPrefix("/screen-pop/"),
              !next.hasPrefix("//"),
              next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" }) else { return nil }
        return next
    }

    /// Whether the request reached the proxy over TLS (`X-Forwarded-Proto: https`, first hop).
    static func cameOverTLS(_ request: Request) -> Bool {
        request.headers[forwardedProto]?.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased() == "https"
    }

    static func cookie(_ name: String, _ value: String, path: String, secure: Bool) -> String {
        "\(name)=\(value); Path=\(path); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    static func cookieValue(_ name: String, _ request: Request) -> String? {
        for cookie in request.headers[values: .cookie].flatMap({ $0.split(separator: ";") }) {
            let pair = cookie.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0] == name { return pair[1] }
        }
        return nil
    }

    /// Random bytes from the system's CSPRNG, hex.
    static func randomToken(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    static func isToken(_ text: String) -> Bool {
        text.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Compares without stopping at the first difference (the time taken does not say how much matched).
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let hostHeader = HTTPField.Name("Host")!
}

/// What the templates show: plain values, already masked and labelled.
enum ScreenPopView {
    protocol Nonced {
        var nonce: String { get set }
    }

    struct Message: Nonced {
        var nonce: String
        let agent: String? = nil
        let text: String
        let hint: String
    }

    struct Login: Nonced {
        var nonce: String
        let agent: String? = nil
        let note: String?
        let next: String
    }

    struct Proceed: Nonced {
        var nonce: String
        let agent: String? = nil
        let next: String
    }

    struct Page: Nonced {
        /// A household card (the view model the CLI prints as text) with the house's orders.
        struct Card {
            struct OrderLine {
                let id: Int
                let product: String
                let quantity: Int
                let status: String
            }
            let card: HouseholdCardView
            let orders: [OrderLine]
        }

        var nonce = ""
        let agent: String?
        let csrf: String
        let notice: String?
        let found: Bool
        let hasQuery: Bool
        /// The caller's number is masked like every phone on the page.
        let shownQuery: String
        let houseCount: Int
        /// How many matched when the page shows only some (`共 378 户匹配，显示前 50 户；…`).
        let truncation: String?
        let cards: [Card]

        init(_ page: ScreenPop.Page, csrf: String) {
            agent = page.agent
            self.csrf = csrf
            notice = page.notice
            let houses = page.result?.houses ?? []
            found = !houses.isEmpty
            hasQuery = !page.query.isEmpty
            shownQuery = PhoneNumber(page.query)?.masked ?? page.query
            houseCount = page.result?.total ?? 0
            truncation = page.result?.truncationNote
            cards = houses.map { card in
                Card(card: HouseholdCardView(card),
                     orders: (page.orders[card.house] ?? []).map {
                         Card.OrderLine(id: $0.id, product: $0.product_name, quantity: $0.quantity,
                                        status: OrderStatus(rawValue: $0.status)?.label ?? $0.status)
                     })
            }
        }
    }
}

func percent(_ text: String) -> String {
    // RFC 3986 unreserved characters stay; everything else (/ & = + …) is encoded.
    text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
}

/// `application/x-www-form-urlencoded` fields.
struct FormFields {
    private var fields: [String: String] = [:]

    init(_ body: String) {
        for pair in body.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ") }
            guard let key = kv.first?.removingPercentEncoding else { continue }
            fields[key] = kv.count > 1 ? (kv[1].removingPercentEncoding ?? kv[1]) : ""
        }
    }

    subscript(key: String) -> String? { fields[key] }

    var containsNUL: Bool { fields.contains { $0.key.unicodeScalars.contains("\u{0}") || $0.value.unicodeScalars.contains("\u{0}") } }
}

