import ButlerCore
import ButlerStore
import Foundation
import HTTPTypes
import Hummingbird
import Postgres

/// The console's /project: the manager's grids, their butlers today and the assignment form
/// (issue 16). A manager sees their own project only (no role may browse another's: `?project=`
/// may name only the manager's own); the database's row-level security holds it again.
/// Assigning goes through GridStore.assign, the CLI's and the API's rules, at the server's day.
struct ConsoleGrids: Sendable {
    let pool: DatabasePool
    var session = ConsoleSession()
    /// The server's clock, read once per request.
    var now: @Sendable () -> Date = { Date() }

    func register(on router: Router<BasicRequestContext>, routes: RouteTable) {
        routes.get("/project", on: router) { request, _ -> Response in
            do { return try await grids(request) } catch { return PageResponse.errorPage(error, signIn: true) }
        }
        routes.get("/project/grids/{code}", on: router) { request, context -> Response in
            do { return try await history(request, code: try context.parameters.require("code")) } catch {
                return PageResponse.errorPage(error, signIn: true)
            }
        }
        routes.post("/project/grids/{code}/assign", on: router) { request, context -> Response in
            do { return try await assign(request, code: try context.parameters.require("code")) } catch {
                return PageResponse.errorPage(error)
            }
        }
    }

    /// The project the page shows: the manager's own. `asked` (`?project=`) may only repeat it.
    static func project(of principal: Principal, _ db: Connection, asked: String? = nil) throws -> String {
        let scope = Scope(db: db, actor: principal)
        try scope.requireRole([.manager], to: "打开项目经理的网格页（此页只属于项目经理）")
        guard let own = try scope.gridListProject() else { throw ButlerError(.forbidden, "\(principal.employeeNo) 没有所属项目") }
        if let asked, asked != own {
            throw ButlerError(.forbidden, field: "project", "\(principal.employeeNo) 无权查看项目 \(asked) 的网格：不在其所属项目内")
        }
        return own
    }

    private func grids(_ request: Request) async throws -> Response {
        guard let token = bearerToken(request) else { return PageResponse.redirect("/login") }
        let now = now()
        let asked = request.uri.queryParameters["project"].map(String.init)
        let grids = try await pool.asActor(token: token) { db, principal in
            try ProjectGrids(db: db, project: try Self.project(of: principal, db, asked: asked), on: Day.from(now), now: now)
        }
        return page(grids, request, notice: Self.notice(request, grids))
    }

    /// The page, with the session's CSRF value in every form (and its cookie when new).
    private func page(_ grids: ProjectGrids, _ request: Request, notice: String?, refusal: ConsoleGridsView.Refusal? = nil,
                      status: HTTPResponse.Status = .ok) -> Response {
        let csrf = session.csrf(request)
        return PageResponse.html(ConsoleGridsView.Grids(grids, csrf: csrf.value, notice: notice, refusal: refusal), "grids",
                                    status: status, cookies: csrf.setCookie.map { [$0] } ?? [])
    }

    /// The redirect's report of a good assignment, named from the page's own data (a made-up
    /// link can name only a grid and a butler of the project).
    static func notice(_ request: Request, _ grids: ProjectGrids) -> String? {
        let query = request.uri.queryParameters
        guard let code = query["assigned"].map(String.init), let grid = grids.grids.first(where: { $0.grid.grid == code }),
              let employee = query["butler"].map(String.init), let butler = grids.butlers.first(where: { $0.employeeNo == employee }),
              let from = query["from"].flatMap({ Day(String($0)) }) else { return nil }
        let who = "\(butler.name)（\(butler.employeeNo)）"
        switch query["result"].map(String.init).flatMap(AssignmentResult.init(rawValue:)) {
        case .unchanged: return "\(who)自 \(from) 或更早已在负责 \(grid.grid.grid)，未作改动"
        case .corrected: return "已更正：\(grid.grid.grid) 自 \(from) 起由 \(who)负责"
        case .assigned, nil: return "已指派 \(who)负责 \(grid.grid.grid)（自 \(from) 起）"
        }
    }

    /// One grid's assignments, newest first (the current one marked 当前, future ones 待生效).
    private func history(_ request: Request, code: String) async throws -> Response {
        guard let token = bearerToken(request) else { return PageResponse.redirect("/login") }
        let today = Day.from(now())
        let (grid, history) = try await pool.asActor(token: token) { db, principal in
            let project = try Self.project(of: principal, db)
            try Scope(db: db, actor: principal).mayManage(grid: code)
            let store = GridStore(db: db)
            guard let grid = try store.list(project: project, on: today).first(where: { $0.grid == code }) else {
                throw ButlerError(.notFound, field: "grid", "网格 \(code) 不存在")
            }
            return (grid, try store.history(grid: code))
        }
        return PageResponse.html(ConsoleGridsView.History(grid: grid, history: history, today: today), "gridHistory")
    }

    /// The form of one grid: GridStore.assign with the server's day, as the signed-in manager.
    /// A refusal about the input (unknown butler, another project's, a date before the grid's
    /// latest assignment...) shows the page again with the reason beside that grid's form and
    /// what was typed, with the refusal's 4xx; nothing is written (the transaction rolls back).
    private func assign(_ request: Request, code: String) async throws -> Response {
        let form = try await session.checkedForm(request)
        let token = bearerToken(request)
        let butler = (form["butler"] ?? "").trimmingCharacters(in: .whitespaces)
        let fromText = (form["from"] ?? "").trimmingCharacters(in: .whitespaces)
        let now = now()
        do {
            let (from, result) = try await pool.asActor(token: token) { db, principal in
                // The API's checks (API.swift, POST /v1/grids/{code}/assignments), then the store's.
                try Scope(db: db, actor: principal).mayManage(grid: code)
                guard !butler.isEmpty else { throw ButlerError(.invalidInput, field: "butler", "请填写管家工号") }
                try InputBounds.text(butler, field: "butler")
                guard let from = Day(fromText) else {
                    throw ButlerError(.invalidInput, field: "from", "“\(fromText)”不是日期（YYYY-MM-DD）")
                }
                return (from, try GridStore(db: db).assign(grid: code, butler: butler, from: from, today: Day.from(now)))
            }
            return PageResponse.redirect("/project?assigned=\(code)&butler=\(butler)&from=\(from)&result=\(result.rawValue)")
        } catch {
            let refusal = ErrorMiddleware<BasicRequestContext>.map(error)
            guard [.badRequest, .notFound, .conflict].contains(refusal.status) else { throw error }
            let grids = try await pool.asActor(token: token) { db, principal in
                try ProjectGrids(db: db, project: try Self.project(of: principal, db), on: Day.from(now), now: now)
            }
            let label = ["butler": "管家工号：", "from": "生效日期："][refusal.field ?? ""] ?? ""
            return page(grids, request, notice: nil,
                        refusal: .init(grid: code, butler: butler, from: fromText, message: label + refusal.message), status: refusal.status)
        }
    }
}
