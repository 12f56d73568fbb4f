import ButlerCore
import ButlerStore
import Foundation
import HTTPTypes
import Hummingbird
import Postgres

/// The web console (issue 16), first slice: sign-in (`/login`, `/logout`) and the butler's
/// day (`/me`): the daily list as cards, overdue first, quota progress on top, a switcher for
/// the next days (the preview) and a plain form per task to mark it done. Server-rendered
/// Chinese HTML (ConsoleTemplates.swift), no script, the screen-pop's strict CSP; signed in by
/// the screen-pop's cookie (ConsoleSession.swift) or a bearer header.
struct Console: Sendable {
    let pool: DatabasePool
    var session = ConsoleSession()
    /// The server's clock, read once per request (which day is today, when a task was done).
    var now: @Sendable () -> Date = { Date() }

    /// How many days the switcher offers (today and the next ones, a preview).
    static let switcherDays = 7

    /// Where a role starts: its own page (technicians' and managers' pages are the next slices).
    static func landing(_ role: StaffRole) -> String {
        switch role {
        case .butler: "/me"
        case .technician: "/me/repairs"
        case .manager: "/project"
        case .agent: "/screen-pop"
        }
    }

    func register(on router: Router<BasicRequestContext>, routes: RouteTable) {
        routes.get("/login", on: router) { _, _ -> Response in
            ConsoleResponse.html(ConsoleView.Login(nonce: "", error: nil), "login")
        }
        routes.post("/login", on: router) { request, _ -> Response in
            do { return try await login(request) } catch { return ConsoleResponse.errorPage(error) }
        }
        routes.post("/logout", on: router) { request, _ -> Response in
            do {
                // Same-origin only: another site cannot sign the user out either.
                try ScreenPop.requireSameOrigin(request)
                return ConsoleResponse.redirect("/login", cookies: session.signOutCookies(request))
            } catch {
                return ConsoleResponse.errorPage(error)
            }
        }
        routes.get("/me", on: router) { request, _ -> Response in
            do { return try await today(request) } catch { return ConsoleResponse.errorPage(error, signIn: true) }
        }
        routes.post("/me/touchpoints", on: router) { request, _ -> Response in
            do { return try await record(request) } catch { return ConsoleResponse.errorPage(error) }
        }
        routes.post("/me/tasks/{id}/done", on: router) { request, context -> Response in
            do { return try await done(request, id: try context.parameters.require("id")) } catch { return ConsoleResponse.errorPage(error) }
        }
    }

    /// `token` from the form: the cookie session and a 303 to the role's page. Same-origin
    /// posts only (no login CSRF: another site cannot sign a browser into its own account).
    private func login(_ request: Request) async throws -> Response {
        try ScreenPop.requireForm(request)
        try ScreenPop.requireSameOrigin(request)
        let form = try await ScreenPop.form(request)
        guard let token = form["token"]?.trimmingCharacters(in: .whitespaces), !token.isEmpty else {
            return ConsoleResponse.html(ConsoleView.Login(nonce: "", error: "请输入令牌。"), "login", status: .badRequest)
        }
        let principal: Principal
        do {
            principal = try await pool.withConnection { db in try authenticate(db, token) }
        } catch let error as APIError where error.status == .unauthorized {
            return ConsoleResponse.html(ConsoleView.Login(nonce: "", error: "令牌无效（已吊销或输错），请检查后重试。"), "login", status: .unauthorized)
        }
        return ConsoleResponse.redirect(Self.landing(principal.role), cookies: session.signInCookies(token: token, request))
    }

    /// The butler's list for `?date=` (today by default, up to the preview's horizon).
    private func today(_ request: Request) async throws -> Response {
        guard let token = bearerToken(request) else { return ConsoleResponse.redirect("/login") }
        let now = now()
        let date = try day(request.uri.queryParameters["date"], name: "date") ?? Day.from(now)
        let list = try await pool.asActor(token: token) { db, principal in
            try Scope(db: db, actor: principal).requireRole([.butler], to: "打开管家的今日任务页（此页只属于管家）")
            return try DailyListStore(db: db).list(butler: principal.employeeNo, on: date, now: now)
        }
        let done = request.uri.queryParameters["done"].flatMap { Int(String($0)) }
        let recorded = request.uri.queryParameters["recorded"].flatMap { Int(String($0)) }
        let csrf = session.csrf(request)
        var response = ConsoleResponse.html(ConsoleView.Today(list, today: Day.from(now), days: Self.switcherDays, csrf: csrf.value, done: done, recorded: recorded), "today")
        if let cookie = csrf.setCookie { response.headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return response
    }

    /// Marks a task done as the signed-in butler, at the server's clock; back to the list,
    /// which shows it done. Another butler's task is refused by the scope (403), nothing written.
    private func done(_ request: Request, id idText: String) async throws -> Response {
        let form = try await session.checkedForm(request)
        guard let id = Int(idText), id > 0 else { throw APIError.badRequest(field: "id", "“\(idText)”不是任务编号") }
        let note = form["note"].flatMap { $0.isEmpty ? nil : $0 }
        let now = now()
        try await pool.asActor(token: bearerToken(request)) { db, principal in
            try Scope(db: db, actor: principal).requireRole([.butler], to: "在管家页完成任务")
            try Records(db: db, now: now).done(task: id, by: principal.employeeNo, at: nil, note: note)
        }
        // Back to the day the form was on (only a date: nothing else is followed).
        let back = form["date"].flatMap { Day($0) }.map { "date=\($0)&" } ?? ""
        return ConsoleResponse.redirect("/me?\(back)done=\(id)")
    }

    /// A card's "record" form: a visit, call or opinion at the house, as the signed-in butler at
    /// the server's clock (the tasks it completes are completed by Records, as from the CLI).
    private func record(_ request: Request) async throws -> Response {
        let form = try await session.checkedForm(request)
        guard let house = form["house"], !house.isEmpty else { throw APIError.badRequest(field: "house", "请填写房号") }
        guard let kind = TouchpointKind(rawValue: form["kind"] ?? ""), Self.butlerKinds.contains(kind) else {
            throw APIError.badRequest(field: "kind", "请选择记录类型（走访、去电或意见征询）")
        }
        let note = form["note"] ?? ""
        let now = now()
        let id = try await pool.asActor(token: bearerToken(request)) { db, principal in
            try Scope(db: db, actor: principal).requireRole([.butler], to: "在管家页记录接触")
            return try Records(db: db, now: now).touch(house: house, kind: kind, by: principal.employeeNo, at: nil, note: note).id
        }
        let back = form["date"].flatMap { Day($0) }.map { "date=\($0)&" } ?? ""
        return ConsoleResponse.redirect("/me?\(back)recorded=\(id)")
    }

    /// What a butler records from a card (003: the day's walk of the grid).
    static let butlerKinds: [TouchpointKind] = [.visit, .callOut, .opinion]
}
