import ButlerCore
import ButlerStore
import Foundation
import HTTPTypes
import Hummingbird
import Postgres

/// The console's /me/repairs (issue 16): the technician's open orders by deadline and the
/// project's orders to grab (抢单), as cards with one plain form per act the order's state
/// allows (grab, sign, contact, delay, complete, 000). Each act is RepairAPI's, as the signed-in
/// technician at the server's clock; a refused form shows the page again with the reason above
/// the order and what was typed (4xx, nothing written).
struct ConsoleRepairs: Sendable {
    let pool: DatabasePool
    var session = ConsoleSession()
    /// The server's clock, read once per request.
    var now: @Sendable () -> Date = { Date() }

    /// The acts of the page (RepairAPI.acts' names) and how the technician says them.
    static let acts: [(name: String, label: String)] = [
        ("grab", "抢单"), ("sign", "签收"), ("contact", "联系业主"), ("delay", "登记延期原因"), ("complete", "完工"),
    ]

    /// What the page shows: the orders read as the technician (row-level security of 0016).
    struct Board: Sendable {
        let name: String
        let mine: [RepairOrder]
        let mineTotal: Int
        let open: [RepairOrder]
        let notice: String?
    }

    func register(on router: Router<BasicRequestContext>, routes: RouteTable) {
        routes.get("/me/repairs", on: router) { request, _ -> Response in
            do { return try await page(request) } catch { return PageResponse.errorPage(error, signIn: true) }
        }
        for (name, label) in Self.acts {
            guard let act = RepairAPI.acts.first(where: { $0.name == name })?.act else { continue }
            routes.post("/me/repairs/{id}/\(name)", on: router) { request, context -> Response in
                do {
                    return try await perform(request, id: try context.parameters.require("id"), name: name, label: label, act: act)
                } catch {
                    return PageResponse.errorPage(error)
                }
            }
        }
    }

    private func page(_ request: Request) async throws -> Response {
        guard bearerToken(request) != nil else { return PageResponse.redirect("/login") }
        let parameters = request.uri.queryParameters
        // After a form's redirect: which order, and what was done to it.
        let done = parameters["order"].flatMap { Int(String($0)) }.flatMap { id in
            parameters["done"].map { (id, String($0)) }
        }
        return try await render(request, now: now(), done: done, failure: nil, status: .ok)
    }

    /// The page as of `now`: with the notice of an act just done, or a refused form in place.
    private func render(_ request: Request, now: Date, done: (order: Int, act: String)?, failure: ConsoleRepairView.Failure?,
                        status: HTTPResponse.Status) async throws -> Response {
        let board = try await pool.asActor(token: bearerToken(request)) { db, principal in
            try Scope(db: db, actor: principal).requireRole([.technician], to: "打开维修工的工单页（此页只属于维修工）")
            let store = RepairStore(db: db, now: now)
            // The technician's list as `butler tasks` has it: their open orders by the deadline at hand.
            let held = try DailyListStore(db: db).list(butler: principal.employeeNo, on: Day.from(now), now: now).tasks
                .compactMap { $0.id.hasPrefix("repair:") ? Int($0.id.dropFirst("repair:".count)) : nil }
            let mine = try store.orders(Array(held.prefix(ConsoleRepairView.shownMine)), as: principal)
            // A technician's list of open orders is their project's undispatched ones (RepairStore.list).
            let open = try store.list(RepairFilter(status: .open), as: principal, page: RepairPage(limit: RepairPage.maxLimit)).orders
            var notice: String?
            // Every act leaves the order the technician's: a made-up link to another order says nothing.
            if let done, let order = try? store.show(done.order, as: principal), order.technician == principal.employeeNo {
                notice = ConsoleRepairView.notice(done.act, order)
            }
            return Board(name: principal.name, mine: mine, mineTotal: held.count, open: open, notice: notice)
        }
        let csrf = session.csrf(request)
        let view = ConsoleRepairView(name: board.name, now: now, csrf: csrf.value, mine: board.mine, mineTotal: board.mineTotal,
                                     open: board.open, notice: board.notice, failure: failure)
        return PageResponse.html(view, "repairs", status: status, cookies: csrf.setCookie.map { [$0] } ?? [])
    }

    /// One act from a card's form, as the signed-in technician at the server's clock; back to
    /// the page, which shows the order's new state. The CSRF check comes first (a refused post
    /// reads and writes nothing); what the store refuses is shown on the page, in place.
    private func perform(_ request: Request, id idText: String, name: String, label: String,
                         act: @escaping RepairAPI.Act) async throws -> Response {
        let form = try await session.checkedForm(request)
        let now = now()
        let id = Int(idText).flatMap { $0 > 0 ? $0 : nil }
        do {
            guard let id else { throw APIError.badRequest(field: "id", "“\(idText)”不是报修单编号") }
            let body = Self.body(form)
            try await pool.asActor(token: bearerToken(request)) { db, principal in
                try Scope(db: db, actor: principal).requireRole([.technician], to: "在维修工页\(label)")
                let store = RepairStore(db: db, now: now)
                do {
                    _ = try act(store, id, body, principal.employeeNo, nil)
                } catch let error as ButlerError where error.kind == .notFound {
                    // 0016 hides a colleague's order from the technician; the database still says
                    // whose it is (as to a lost grab): a refusal, not an order that is not there.
                    guard let holder = try store.holder(of: id) else { throw error }
                    throw ButlerError(.forbidden, field: "id", "报修单 #\(id) 由 \(holder)负责，\(principal.employeeNo) 不能\(label)")
                }
            }
            return PageResponse.redirect("/me/repairs?order=\(id)&done=\(name)")
        } catch {
            // Not signed in, the database down: the error page; what the store refused: in place.
            let api = ErrorMiddleware<BasicRequestContext>.map(error)
            guard [.badRequest, .forbidden, .notFound, .conflict].contains(api.status) else { throw error }
            let prefix = api.field.flatMap { ConsoleRepairView.labels[$0] }.map { "\($0)：" } ?? ""
            let kept = ["appointment", "reason", "photos", "note"].reduce(into: [String: String]()) { $0[$1] = form[$1] }
            let failure = ConsoleRepairView.Failure(order: id, message: prefix + api.message, fields: kept)
            return try await render(request, now: now, done: nil, failure: failure, status: api.status)
        }
    }

    /// The form as RepairAPI's body: an empty field is a missing one; photos are separated by
    /// spaces or commas (the store requires at least one).
    static func body(_ form: FormFields) -> RepairAPI.ActBody {
        func field(_ name: String) -> String? {
            form[name].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        }
        let photos = PhotoReferences.parse(form["photos"])
        return RepairAPI.ActBody(at: nil, to: nil, appointment: field("appointment"), reason: form["reason"] ?? "", photos: photos,
                                 note: form["note"], rating: nil)
    }
}
