import ButlerCore
import ButlerStore
import Foundation
import Hummingbird
import Postgres

/// The call-centre screen-pop page (000 "客户资料自动弹屏"): the telephony system opens
/// `/screen-pop?phone=…` when a call rings. Server-rendered Chinese HTML, no JavaScript.
struct ScreenPop: Sendable {
    let pool: DatabasePool

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
                let api = ErrorMiddleware<BasicRequestContext>.map(error)
                let hint = api.status == .unauthorized ? "请从话务系统打开本页（/screen-pop/login?token=…）登录后重试。" : ""
                return html(ScreenPopHTML.message("\(api.status.code) · \(api.message)", hint: hint), status: api.status)
            }
        }
        // The telephony system signs an agent in once: the token becomes an HttpOnly cookie and the
        // browser goes on to the page (only paths on this server are followed).
        routes.get("/screen-pop/login", on: router) { request, _ -> Response in
            let parameters = request.uri.queryParameters
            guard let token = parameters["token"].map(String.init) else { throw APIError.badRequest("token: required") }
            let next = parameters["next"].map { String($0).removingPercentEncoding ?? String($0) } ?? "/screen-pop"
            guard next.hasPrefix("/screen-pop"), !next.hasPrefix("//") else { throw APIError.badRequest("next: must be a /screen-pop path") }
            _ = try await pool.withConnection { db in try authenticate(db, token) }
            var headers = HTTPFields()
            headers[.setCookie] = "butler_token=\(token); Path=/; HttpOnly; SameSite=Strict"
            headers[.location] = next
            return Response(status: .seeOther, headers: headers)
        }
        // The page's "record this call" form.
        routes.post("/screen-pop/calls", on: router) { request, _ -> Response in
            let token = bearerToken(request)
            let buffer = try await request.body.collect(upTo: 64 * 1024)
            let form = FormFields(String(decoding: buffer.readableBytesView, as: UTF8.self))
            guard let house = form["house"], !house.isEmpty else { throw APIError.badRequest("house: required") }
            let note = form["note"] ?? ""
            let id = try await pool.asActor(token: token) { db, principal in
                try Scope(db: db, actor: principal).requireRole([.agent, .manager], to: "record calls")
                return try Records(db: db).touch(house: house, kind: .callIn, by: principal.employeeNo, at: nil, note: note).id
            }
            var headers = HTTPFields()
            headers[.location] = "/screen-pop?house=\(percent(house))&recorded=\(id)"
            return Response(status: .seeOther, headers: headers)
        }
    }

    private func page(_ request: Request) async throws -> Response {
        let token = bearerToken(request)
        let parameters = request.uri.queryParameters
        let phone = parameters["phone"].map { String($0).removingPercentEncoding ?? String($0) }
        let house = parameters["house"].map { String($0).removingPercentEncoding ?? String($0) }
        let notice = parameters["recorded"].map { "已记录通话 #\($0)" }
        let page = try await pool.asActor(token: token) { db, principal -> Page in
            let query: LookupQuery? = if let phone, !phone.isEmpty { .phone(phone) } else if let house, !house.isEmpty { .house(house) } else { nil }
            guard let query else {
                try Scope(db: db, actor: principal).mayLookUp()
                return Page(agent: principal.name, query: "", result: nil, orders: [:], notice: notice)
            }
            let result: LookupResult
            do {
                // The database checks the right and the scope and records a refusal.
                result = try CallCentre(db: db).lookup(query, as: .token(token ?? ""))
            } catch let error as ButlerError where error.kind == .invalidInput {
                return Page(agent: principal.name, query: phone ?? house ?? "", result: nil, orders: [:], notice: error.description)
            }
            var orders: [String: [Order]] = [:]
            for card in result.houses {
                orders[card.house] = try OrderStore(db: db).list(house: card.house, butler: nil, status: nil, limit: 5)
            }
            return Page(agent: principal.name, query: phone ?? house ?? "", result: result, orders: orders, notice: notice)
        }
        return html(ScreenPopHTML.render(page))
    }

    private func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
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
}

enum ScreenPopHTML {
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A page with one message (errors: not signed in, no permission, database down).
    static func message(_ text: String, hint: String) -> String {
        document(agent: nil, body: "<h1 class=notfound>\(escape(text))</h1><p>\(escape(hint))</p>")
    }

    static func render(_ page: ScreenPop.Page) -> String {
        let e = escape
        var body = ""
        if let notice = page.notice { body += "<p class=notice>\(e(notice))</p>" }
        if let result = page.result, !result.houses.isEmpty {
            // The caller's number is masked like every phone on the page.
            let shown = PhoneNumber(page.query)?.masked ?? page.query
            body += "<h1>来电 \(e(shown))：\(result.houses.count) 户</h1>"
            for card in result.houses {
                let butler = card.butler.map { "\(e($0.name))（\(e($0.employee_no))）" } ?? "未分配"
                body += """
                    <section class=household data-house="\(e(card.house))">
                    <h2>\(e(card.house)) · \(e(card.project)) · \(e(Occupancy(rawValue: card.occupancy)?.label ?? card.occupancy))</h2>
                    <p>网格 <b>\(e(card.grid ?? "—"))</b> 网格电话 <b>\(e(card.grid_phone ?? "—"))</b> 当值管家 <b>\(butler)</b> 待办 <b>\(card.open_tasks)</b></p>
                    """
                if let entrust = card.entrustment {
                    body += "<p>委托代管：\(entrust.kind == "paid" ? "有偿" : "无偿") \(e(entrust.from)) 起，钥匙 \(entrust.keys) 把</p>"
                }
                body += "<table><tr><th>住户</th><th>身份</th><th>电话</th><th>标签</th></tr>"
                for r in card.residents {
                    body += "<tr><td>\(e(r.name))</td><td>\(e(ResidentRole(rawValue: r.role)?.label ?? r.role))</td><td>\(e(r.phone))</td><td>\(e(r.tags.joined(separator: " ")))</td></tr>"
                }
                body += "</table><h3>最近接触</h3><ul>"
                for c in card.recent { body += "<li>\(e(String(c.at.prefix(16)).replacingOccurrences(of: "T", with: " "))) \(e(TouchpointKind(rawValue: c.kind)?.label ?? c.kind)) \(e(c.note))</li>" }
                if card.recent.isEmpty { body += "<li>暂无</li>" }
                body += "</ul><h3>最近订单</h3><ul>"
                let orders = page.orders[card.house] ?? []
                for o in orders { body += "<li>#\(o.id) \(e(o.product_name)) ×\(o.quantity) \(e(OrderStatus(rawValue: o.status)?.label ?? o.status))</li>" }
                if orders.isEmpty { body += "<li>暂无</li>" }
                body += """
                    </ul>
                    <form method=post action="/screen-pop/calls"><input type=hidden name=house value="\(e(card.house))">
                    <label>记录本次来电 <input name=note size=40 placeholder="来电内容"></label> <button>保存</button></form>
                    </section>
                    """
            }
        } else {
            let shown = PhoneNumber(page.query)?.masked ?? page.query
            body += page.query.isEmpty ? "<h1>客户资料</h1>" : "<h1 class=notfound>未找到 \(e(shown)) 对应的住户</h1>"
        }
        body += """
            <form method=get action="/screen-pop"><label>按房屋查询 <input name=house placeholder="YS01/3-2-1502"></label> <button>查询</button></form>
            """
        return document(agent: page.agent, body: body)
    }

    static func document(agent: String?, body: String) -> String {
        """
            <!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>客户资料弹屏</title>
            <style>body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:1.5em;color:#222}
            section{border:1px solid #ccc;border-radius:6px;padding:.5em 1em;margin:1em 0}table{border-collapse:collapse}
            td,th{border:1px solid #ddd;padding:.2em .6em}.notice{background:#e8f5e9;padding:.4em}.notfound{color:#b71c1c}</style>
            </head><body>\(agent.map { "<p>坐席：\(escape($0))</p>" } ?? "")\(body)</body></html>
            """
    }
}
