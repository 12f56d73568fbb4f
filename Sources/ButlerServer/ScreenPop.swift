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
/// up in logs, history and Referer headers. Writes from the page (`POST /screen-pop/calls`, and
/// `POST /screen-pop/repairs`, each card's repair form, 000 报修) carry a CSRF token (double
/// submit: the `butler_csrf` cookie set at sign-in, echoed in a hidden field).
///
/// Behind a TLS-terminating reverse proxy the cookies get `Secure` when the proxy sends
/// `X-Forwarded-Proto: https` (nginx: `proxy_set_header X-Forwarded-Proto $scheme;` and
/// `proxy_set_header Host $host;`, since the Origin check compares with `Host`), or always with
/// `ServerConfiguration.secureCookies` / `BUTLER_SECURE_COOKIES=1`.

struct ScreenPop: Sendable {
    let pool: DatabasePool
    /// Always mark cookies `Secure` (the server is reached over HTTPS only).
    var secureCookies = false
    /// The server's clock, read once per request (a repair order opens now).
    var now: @Sendable () -> Date = { Date() }

    static let tokenCookie = "butler_token"
    static let csrfCookie = "butler_csrf"

    struct Page: Sendable {
        let agent: String
        let query: String
        let result: LookupResult?
        let orders: [String: [Order]]
        /// Each house's newest repair orders (the caller often phones about an open one).
        var repairs: [String: RepairList] = [:]
        let notice: String?
    }

    /// A house's repair orders on its card.
    static let repairsPerCard = 5

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
        // Each card's repair form (000 报修: the call centre opens the order while on the phone).
        routes.post("/screen-pop/repairs", on: router) { request, _ -> Response in
            do {
                return try await openRepair(request)
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
        // The telephony system's page signs in from another site, by design: that cookie is the
        // screen-pop's only (Path=/screen-pop), so another site cannot sign a browser into the
        // console's pages as someone else (login CSRF). Signed in from this server: the whole site.
        let tokenPath = Self.isCrossSite(request) ? "/screen-pop" : "/"
        headers.append(HTTPField(name: .setCookie, value: Self.cookie(Self.tokenCookie, token, path: tokenPath, secure: secure)))
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

    /// A post of the page's forms: form-encoded, and, when the cookie signs it in, from this
    /// server's page with the session's CSRF value. Checked before anything is read or written.
    private func checkedForm(_ request: Request) async throws -> FormFields {
        try await Self.checkedForm(request, csrfCookie: Self.csrfCookie)
    }

    /// A post of a page's forms (the screen-pop's, the console's): form-encoded; when the cookie
    /// signs it in, from this server's page (Sec-Fetch-Site / Origin) with the value of the
    /// session's CSRF cookie `csrfCookie` (double submit). Checked before anything is read or written.
    static func checkedForm(_ request: Request, csrfCookie: String) async throws -> FormFields {
        try requireForm(request)
        // A browser sends the cookie by itself; a bearer header it never adds on its own, so only
        // cookie-authenticated posts need the CSRF checks.
        let byCookie = bearerHeaderToken(request) == nil
        if byCookie { try requireSameOrigin(request) }
        let form = try await form(request)
        if byCookie {
            guard let sent = form["csrf"], let expected = cookieValue(csrfCookie, request),
                  !expected.isEmpty, constantTimeEqual(sent, expected) else {
                throw ButlerError(.forbidden, field: "csrf", "页面已过期或表单校验码不对：请刷新页面后重试")
            }
        }
        return form
    }

    private func recordCall(_ request: Request) async throws -> Response {
        let form = try await checkedForm(request)
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

    /// Opens a repair order for a card's house as the signed-in agent, at the server's clock,
    /// and goes back to the card, which says so. Bad input (or a house that is not there) shows
    /// the form again with what was typed and the reason in Chinese; nothing is written.
    private func openRepair(_ request: Request) async throws -> Response {
        let form = try await checkedForm(request)
        let token = bearerToken(request)
        guard let house = form["house"], !house.isEmpty else { throw APIError.badRequest(field: "house", "请填写房号") }
        var entry = ScreenPopView.RepairForm(
            house: house, csrf: form["csrf"] ?? "", category: form["category"], description: form["description"] ?? "",
            complex: !(form["complex"] ?? "").isEmpty, caller: form["caller"] ?? "", sealed: form["caller_sealed"] ?? "")
        do {
            guard let category = RepairCategory(rawValue: form["category"] ?? "") else {
                throw ButlerError(.invalidInput, field: "category", "请选择报修类别")
            }
            let session = Self.cookieValue(Self.csrfCookie, request) ?? form["csrf"] ?? ""
            let caller = try Self.caller(typed: entry.caller, sealed: entry.sealed, session: session)
            let opening = RepairOpening(house: house, category: category, description: entry.description, caller: caller,
                                        source: .phone, complex: entry.complex)
            let order = try await pool.asActor(token: token) { db, principal in
                try RepairStore(db: db, now: now()).open(opening, by: principal.employeeNo, at: nil)
            }
            var headers = HTTPFields()
            headers[.location] = "/screen-pop?house=\(percent(order.house))&opened=\(order.id)"
            return Response(status: .seeOther, headers: headers)
        } catch {
            // Who may not (401, 403) and a database down (503) get the message page.
            let api = ErrorMiddleware<BasicRequestContext>.map(error)
            guard [.badRequest, .notFound, .conflict].contains(api.status) else { throw error }
            entry.error = (api.field.flatMap { ScreenPopView.RepairForm.labels[$0] }.map { "\($0)：" } ?? "") + api.message
            return html(ScreenPopView.RepairFormPage(nonce: "", form: entry), "repairPage", status: api.status)
        }
    }

    /// The caller's number for the order: the masked number the form showed stands for the
    /// sealed one it carries; a number typed over it is taken as typed; empty is none.
    static func caller(typed: String, sealed: String, session: String) throws -> String? {
        let typed = typed.trimmingCharacters(in: .whitespaces)
        guard !typed.isEmpty else { return nil }
        guard typed.contains("*") else { return typed }
        guard let digits = CallerSeal.open(sealed, session: session), PhoneNumber(digits)?.masked == typed else {
            throw ButlerError(.invalidInput, field: "caller", "无法确认打码的来电号码：请输入完整号码，或留空")
        }
        return digits
    }

    private func page(_ request: Request) async throws -> Response {
        let token = bearerToken(request)
        let parameters = request.uri.queryParameters
        let phone = parameters["phone"].map { String($0).removingPercentEncoding ?? String($0) }
        let house = parameters["house"].map { String($0).removingPercentEncoding ?? String($0) }
        let recorded = parameters["recorded"].map { "已记录通话 #\($0)" }
        let opened = parameters["opened"].flatMap { Int(String($0)) }
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
                return Page(agent: principal.name, query: "", result: nil, orders: [:], notice: problem ?? recorded)
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
            // Repair orders are read as the agent (row-level security of schema 0016).
            let (repairs, openedNotice) = try db.transaction { () throws -> ([String: RepairList], String?) in
                guard let actor = try TokenStore(db: db).bind(token ?? "") else { throw APIError.invalidToken }
                let store = RepairStore(db: db, now: now())
                var repairs: [String: RepairList] = [:]
                for card in result.houses {
                    repairs[card.house] = try store.list(RepairFilter(house: card.house), as: actor,
                                                         page: RepairPage(limit: Self.repairsPerCard))
                }
                // After the form's redirect: the order just opened (one the agent may see).
                let order = try opened.flatMap { id in try? store.show(id, as: actor) }
                return (repairs, order.map(Self.openedNotice))
            }
            var page = Page(agent: principal.name, query: query.text, result: result, orders: orders, notice: openedNotice ?? recorded)
            page.repairs = repairs
            return page
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

    /// `已开单 #12（维修：水路，YS01/1-1-101），完成时限 2026-11-26 24:00`, as `repair open` says it.
    static func openedNotice(_ order: RepairOrder) -> String {
        let category = RepairCategory(rawValue: order.category)?.label ?? order.category
        return "已开单 #\(order.id)（维修：\(category)，\(order.house)），完成时限 \(ScreenPopView.shortTime(order.deadlines.complete))"
    }

    /// An error as an HTML page with the right status (the page is opened in a browser).
    private func errorPage(_ error: any Error) -> Response {
        let api = ErrorMiddleware<BasicRequestContext>.map(error)
        let hint = api.status == .unauthorized ? "请从话务系统重新打开本页登录（令牌以表单 POST 到 /screen-pop/login）后重试。" : ""
        return html(ScreenPopView.Message(nonce: "", text: "\(api.status.code) · \(api.message)", hint: hint), "message", status: api.status)
    }

    /// Renders a template with a fresh CSP nonce for its inline style.
    private func html<View: ScreenPopView.Nonced>(_ view: View, _ template: String, status: HTTPResponse.Status = .ok) -> Response {
        PageResponse.html(view, template, status: status, render: ScreenPopTemplates.render)
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
        let site = request.headers[secFetchSite]?.lowercased()
        if let site, site != "same-origin", site != "none" {
            throw ButlerError(.forbidden, "拒绝来自其他网站的表单提交（Sec-Fetch-Site: \(site)）")
        }
        // Our pages send `Referrer-Policy: no-referrer`, under which a browser posts their forms
        // with `Origin: null`; its own `Sec-Fetch-Site: same-origin` vouches for them.
        if site == "same-origin" && request.headers[.origin] == "null" { return }
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
            /// One repair order: `#12 水路 已派工 完工时限 2026-11-26 24:00 超时：签收`.
            struct RepairLine {
                let id: Int
                let category: String
                let status: String
                let deadline: String
                let breaches: String?
            }
            let card: HouseholdCardView
            let orders: [OrderLine]
            let repairs: [RepairLine]
            /// `共 8 单，显示最近 5 单` when the house has more.
            let repairsMore: String?
            let repairForm: RepairForm
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
            // The number that popped, for each repair form: shown masked, carried sealed.
            let popped = PhoneNumber(page.query)
            let sealed = popped.flatMap { CallerSeal.seal($0.digits, session: csrf) } ?? ""
            cards = houses.map { card in
                let repairs = page.repairs[card.house]
                return Card(card: HouseholdCardView(card),
                     orders: (page.orders[card.house] ?? []).map {
                         Card.OrderLine(id: $0.id, product: $0.product_name, quantity: $0.quantity,
                                        status: OrderStatus(rawValue: $0.status)?.label ?? $0.status)
                     },
                     repairs: (repairs?.orders ?? []).map { o in
                         Card.RepairLine(id: o.id, category: RepairCategory(rawValue: o.category)?.label ?? o.category,
                                         status: RepairStatus(rawValue: o.status)?.label ?? o.status,
                                         deadline: ScreenPopView.shortTime(o.deadlines.complete),
                                         breaches: o.breaches.isEmpty ? nil
                                             : o.breaches.map { RepairStage(rawValue: $0)?.label ?? $0 }.joined(separator: "、"))
                     },
                     repairsMore: repairs.flatMap { $0.page.truncated ? "共 \($0.page.total) 单，显示最近 \($0.orders.count) 单" : nil },
                     repairForm: RepairForm(house: card.house, csrf: csrf, category: nil, description: "", complex: false,
                                            caller: popped?.masked ?? "", sealed: sealed))
            }
        }
    }
}

extension ScreenPopView {
    /// A card's repair form (and the page that shows it again with an error): what was typed
    /// stays; `caller` is the masked number that popped, or what the agent typed over it.
    struct RepairForm {
        struct Option {
            let value: String
            let label: String
            let selected: Bool
        }
        let house: String
        /// Back to the house's card.
        let back: String
        let csrf: String
        let categories: [Option]
        let description: String
        let complex: Bool
        let caller: String
        let sealed: String
        var error: String?

        init(house: String, csrf: String, category: String?, description: String, complex: Bool, caller: String, sealed: String) {
            self.house = house
            back = "/screen-pop?house=" + percent(house)
            self.csrf = csrf
            categories = RepairCategory.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == category) }
            self.description = description
            self.complex = complex
            self.caller = caller
            self.sealed = sealed
        }

        /// The form's fields as the agent reads them, for an error's prefix.
        static let labels = ["house": "房屋", "category": "类别", "description": "报修内容", "caller": "来电号码", "at": "时间"]
    }

    /// The repair form alone, with the reason it was refused.
    struct RepairFormPage: Nonced {
        var nonce: String
        let agent: String? = nil
        let form: RepairForm
    }

    /// `2026-11-27T17:15:00+08:00` as people read it; a midnight deadline (the end of the day
    /// before) as `2026-11-26 24:00`, as the CLI shows it.
    static func shortTime(_ rfc3339: String?) -> String {
        guard let text = rfc3339 else { return "—" }
        let short = String(text.prefix(16)).replacingOccurrences(of: "T", with: " ")
        guard short.hasSuffix(" 00:00"), let day = Day(String(short.prefix(10))) else { return short }
        return "\(day.adding(days: -1)) 24:00"
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

