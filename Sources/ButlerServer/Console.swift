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
            PageResponse.html(ConsoleView.Login(nonce: "", error: nil), "login")
        }
        routes.post("/login", on: router) { request, _ -> Response in
            do { return try await login(request) } catch { return PageResponse.errorPage(error) }
        }
        routes.post("/logout", on: router) { request, _ -> Response in
            do {
                // Same-origin only: another site cannot sign the user out either.
                try ScreenPop.requireSameOrigin(request)
                return PageResponse.redirect("/login", cookies: session.signOutCookies(request))
            } catch {
                return PageResponse.errorPage(error)
            }
        }
        routes.get("/me", on: router) { request, _ -> Response in
            do { return try await today(request) } catch { return PageResponse.errorPage(error, signIn: true) }
        }
        routes.post("/me/touchpoints", on: router) { request, _ -> Response in
            await record(request)
        }
        routes.post("/me/tasks/{id}/done", on: router) { request, context -> Response in
            await done(request, id: context.parameters.get("id") ?? "")
        }
    }

    /// `token` from the form (or an API client's bearer header): the cookie session and a 303
    /// to the role's page. Same-origin form posts only (no login CSRF: another site cannot sign
    /// a browser into its own account).
    private func login(_ request: Request) async throws -> Response {
        let token: String
        if let header = bearerHeaderToken(request) {
            token = header
        } else {
            try ScreenPop.requireForm(request)
            try ScreenPop.requireSameOrigin(request)
            let form = try await ScreenPop.form(request)
            guard let typed = form["token"]?.trimmingCharacters(in: .whitespaces), !typed.isEmpty else {
                return PageResponse.html(ConsoleView.Login(nonce: "", error: "请输入令牌。"), "login", status: .badRequest)
            }
            token = typed
        }
        let principal: Principal
        do {
            principal = try await pool.withConnection { db in try authenticate(db, token) }
        } catch let error as APIError where error.status == .unauthorized {
            return PageResponse.html(ConsoleView.Login(nonce: "", error: "令牌无效（已吊销或输错），请检查后重试。"), "login", status: .unauthorized)
        }
        return PageResponse.redirect(Self.landing(principal.role), cookies: session.signInCookies(token: token, request))
    }

    /// The butler's list for `?date=` (today by default, up to the preview's horizon).
    private func today(_ request: Request) async throws -> Response {
        guard bearerToken(request) != nil else { return PageResponse.redirect("/login") }
        let date = try day(request.uri.queryParameters["date"], name: "date")
        let pageNo = try Self.pageNumber(request.uri.queryParameters["page"].map(String.init))
        let done = request.uri.queryParameters["done"].flatMap { Int(String($0)) }
        let recorded = request.uri.queryParameters["recorded"].flatMap { Int(String($0)) }
        return try await page(request, date: date, pageNo: pageNo, done: done, recorded: recorded)
    }

    /// `?page=` (1 by default): a whole number from 1 on, else a 400 naming the field.
    static func pageNumber(_ text: String?) throws -> Int {
        guard let text else { return 1 }
        guard let number = Int(text), (1...10_000).contains(number) else {
            throw APIError.badRequest(field: "page", "页码“\(text)”应为 1 起的整数")
        }
        return number
    }

    /// The day's page, with a notice or a form's error shown in place (the error's status).
    private func page(_ request: Request, date: Day?, pageNo: Int = 1, done: Int? = nil, recorded: Int? = nil, error: APIError? = nil,
                      kept: ConsoleView.Today.Kept? = nil) async throws -> Response {
        let now = now()
        let date = date ?? Day.from(now)
        let list = try await pool.asActor(token: bearerToken(request)) { db, principal in
            try Scope(db: db, actor: principal).requireRole([.butler], to: "打开管家的今日任务页（此页只属于管家）")
            return try DailyListStore(db: db).list(butler: principal.employeeNo, on: date, now: now)
        }
        // The redirect's notice, only when the list agrees (a made-up `done=` link says nothing).
        let notice = done.flatMap { id in list.tasks.contains { $0.id == String(id) && $0.status == "done" } ? "任务 #\(id) 已完成" : nil }
            ?? recorded.map { "已记录 #\($0)" }
        let csrf = session.csrf(request)
        let view = ConsoleView.Today(list, today: Day.from(now), days: Self.switcherDays, csrf: csrf.value, page: pageNo, notice: notice,
                                     error: error?.message, kept: kept)
        return PageResponse.html(view, "today", status: error?.status ?? .ok, cookies: csrf.setCookie.map { [$0] } ?? [])
    }

    /// A form's failure shown on the day's page, above the cards, with what was typed kept
    /// (nothing was written). Not signed in, or a page that cannot be drawn: the error page.
    private func inPlace(_ request: Request, _ error: any Error, form: FormFields?, kept: ConsoleView.Today.Kept? = nil) async -> Response {
        let api = ErrorMiddleware<BasicRequestContext>.map(error)
        guard let form, api.status != .unauthorized else { return PageResponse.errorPage(error) }
        do {
            let pageNo = (try? Self.pageNumber(form["page"])) ?? 1
            return try await page(request, date: form["date"].flatMap { Day($0) }, pageNo: pageNo, error: api, kept: kept)
        } catch {
            return PageResponse.errorPage(error)
        }
    }

    /// Marks a task done as the signed-in butler, at the server's clock; back to the list,
    /// which shows it done. Another butler's task is refused by the scope (403), nothing written.
    private func done(_ request: Request, id idText: String) async -> Response {
        var form: FormFields?
        do {
            form = try await session.checkedForm(request)
            guard let id = Int(idText), id > 0 else { throw APIError.badRequest(field: "id", "“\(idText)”不是任务编号") }
            let note = form?["note"].flatMap { $0.isEmpty ? nil : $0 }
            let now = now()
            try await pool.asActor(token: bearerToken(request)) { db, principal in
                try Scope(db: db, actor: principal).requireRole([.butler], to: "在管家页完成任务")
                try Records(db: db, now: now).done(task: id, by: principal.employeeNo, at: nil, note: note)
            }
            return PageResponse.redirect("/me?\(Self.back(form))done=\(id)")
        } catch {
            return await inPlace(request, error, form: form, kept: .init(form: .done, task: idText, note: form?["note"] ?? ""))
        }
    }

    /// A card's "record" form: a visit, call, opinion or collection call (a touchpoint), or a
    /// check, ventilation or cleaning (an inspection), with an optional note and photo reference,
    /// as the signed-in butler at the server's clock. The tasks it completes are completed by
    /// Records, as from the CLI.
    private func record(_ request: Request) async -> Response {
        var form: FormFields?
        do {
            form = try await session.checkedForm(request)
            guard let house = form?["house"], !house.isEmpty else { throw APIError.badRequest(field: "house", "请填写房号") }
            guard let kind = CardRecord(rawValue: form?["kind"] ?? "") else {
                throw APIError.badRequest(field: "kind", "请选择记录类型（\(CardRecord.allCases.map(\.label).joined(separator: "、"))）")
            }
            let note = form?["note"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let photos = PhotoReferences.parse(form?["photo"])
            let now = now()
            let id = try await pool.asActor(token: bearerToken(request)) { db, principal in
                try Scope(db: db, actor: principal).requireRole([.butler], to: "在管家页记录接触")
                let records = Records(db: db, now: now)
                if let inspection = kind.inspection {
                    return try records.inspect(house: house, kind: inspection, by: principal.employeeNo, at: nil,
                                               findings: note.isEmpty ? [] : [note], photos: photos).id
                }
                return try records.touch(house: house, kind: kind.touchpoint ?? .visit, by: principal.employeeNo, at: nil,
                                         note: note, photos: photos).id
            }
            return PageResponse.redirect("/me?\(Self.back(form))recorded=\(id)")
        } catch {
            return await inPlace(request, error, form: form,
                                 kept: .init(form: .record, task: form?["task"].flatMap { $0.isEmpty ? nil : $0 }, house: form?["house"],
                                             kind: form?["kind"], note: form?["note"] ?? "", photo: form?["photo"] ?? ""))
        }
    }

    /// Back to the day and page the form was on (only a date and a number: nothing else of the
    /// form is followed).
    private static func back(_ form: FormFields?) -> String {
        let date = form?["date"].flatMap { Day($0) }.map { "date=\($0)&" } ?? ""
        let pageNo = form?["page"].flatMap { try? pageNumber($0) }.flatMap { $0 > 1 ? "page=\($0)&" : nil } ?? ""
        return date + pageNo
    }
}
