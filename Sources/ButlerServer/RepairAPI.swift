import ButlerCore
import ButlerStore
import Foundation
import HTTPTypes
import Hummingbird
import Postgres

/// The repair loop over HTTP (issue 14): `POST /v1/repairs`, one POST per act, `GET` one order
/// or a list. Each request acts as its token's holder: the scope model checks in Swift, and the
/// database checks again (row-level security of schema 0016). Answers are `repair show --json`.
struct RepairAPI: Sendable {
    let pool: DatabasePool
    /// The server's clock, read once per request.
    let now: @Sendable () -> Date

    struct OpenBody: Decodable, Sendable {
        let house: String
        let category: RepairCategory
        let description: String
        let caller: String?
        let source: RepairSource?
        let complex: Bool?
        let at: String?
    }

    /// Every act's body: `at`, and the fields of the acts that take them.
    struct ActBody: Decodable, Sendable {
        let at: String?
        let to: String?
        let appointment: String?
        let reason: String?
        let photos: [String]?
        let note: String?
        let rating: Int?
    }

    typealias Act = @Sendable (RepairStore, Int, ActBody, String, Date?) throws -> RepairOrder

    static let acts: [(name: String, act: Act)] = [
        ("dispatch", { store, id, body, by, at in try store.dispatch(id, to: try need(body.to, "to"), by: by, at: at) }),
        ("grab", { store, id, _, by, at in try store.grab(id, by: by, at: at) }),
        ("sign", { store, id, _, by, at in try store.sign(id, by: by, at: at) }),
        ("contact", { store, id, body, by, at in
            let text = try need(body.appointment, "appointment")
            guard let appointment = Timestamp.parse(text) else {
                throw APIError.badRequest(field: "appointment", "“\(text)”不是时间（例如 2026-11-26T14:00，上海时间）")
            }
            return try store.contact(id, appointment: appointment, by: by, at: at)
        }),
        ("delay", { store, id, body, by, at in try store.delay(id, reason: try need(body.reason, "reason"), by: by, at: at) }),
        ("complete", { store, id, body, by, at in
            try store.complete(id, photos: body.photos ?? [], note: body.note ?? "", by: by, at: at)
        }),
        ("followup", { store, id, body, by, at in
            try store.followup(id, rating: try need(body.rating, "rating"), note: body.note ?? "", by: by, at: at)
        }),
        ("reopen", { store, id, body, by, at in try store.reopen(id, reason: try need(body.reason, "reason"), by: by, at: at) }),
    ]

    func register(on router: Router<BasicRequestContext>, routes: RouteTable) {
        // GET first: a 405's Allow lists GET, HEAD, POST in that order.
        routes.get("/v1/repairs", .api(query: ["project", "status", "breached", "limit", "offset"], answers: [200, 400, 401, 403, 404, 503]),
                   on: router) { request, _ -> Response in
            let parameters = request.uri.queryParameters
            let list = try await pool.asActor(token: bearerHeaderToken(request)) { db, principal in
                // Who may list first: a bad page from someone who may not is a 403, not a 400.
                _ = try Scope(db: db, actor: principal).repairListScope()
                var filter = RepairFilter(project: parameters["project"].map(String.init),
                                          breached: try flag(parameters["breached"], name: "breached"))
                if let text = parameters["status"] {
                    guard let status = RepairStatus(rawValue: String(text)) else {
                        throw APIError.badRequest(field: "status", "“\(text)”不是报修单状态（\(RepairStatus.allCases.map(\.rawValue).joined(separator: ", "))）")
                    }
                    filter.status = status
                }
                let page = try RepairPage(limitText: parameters["limit"].map(String.init), offsetText: parameters["offset"].map(String.init))
                return try RepairStore(db: db, now: now()).list(filter, as: principal, page: page)
            }
            return try jsonResponse(list)
        }
        routes.post("/v1/repairs", .api(answers: [201, 400, 401, 403, 404, 413, 415, 503]), on: router) { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let order = try await pool.asActor(token: bearerHeaderToken(request)) { db, principal in
                let body = try decodeBody(OpenBody.self, bytes)
                let opening = RepairOpening(house: body.house, category: body.category, description: body.description,
                                            caller: body.caller, source: body.source ?? .phone, complex: body.complex ?? false)
                return try RepairStore(db: db, now: now()).open(opening, by: principal.employeeNo, at: try time(body.at))
            }
            return try jsonResponse(order, status: .created)
        }
        for (name, act) in Self.acts {
            routes.post("/v1/repairs/{id}/\(name)", .api(answers: [200, 400, 401, 403, 404, 409, 413, 415, 503]), on: router) { request, context -> Response in
                let idText = try context.parameters.require("id")
                let bytes = try await request.body.collect(upTo: 1 << 20)
                let order = try await pool.asActor(token: bearerHeaderToken(request)) { db, principal in
                    let id = try orderID(idText)
                    let body = bytes.readableBytes == 0 ? ActBody.empty : try decodeBody(ActBody.self, bytes)
                    return try act(RepairStore(db: db, now: now()), id, body, principal.employeeNo, try time(body.at))
                }
                return try jsonResponse(order)
            }
        }
        routes.get("/v1/repairs/{id}", .api(answers: [200, 400, 401, 403, 404, 503]), on: router) { request, context -> Response in
            let idText = try context.parameters.require("id")
            let order = try await pool.asActor(token: bearerHeaderToken(request)) { db, principal in
                try RepairStore(db: db, now: now()).show(try orderID(idText), as: principal)
            }
            return try jsonResponse(order)
        }
    }
}

extension RepairAPI.ActBody {
    static let empty = RepairAPI.ActBody(at: nil, to: nil, appointment: nil, reason: nil, photos: nil, note: nil, rating: nil)
}

private func orderID(_ text: String) throws -> Int {
    guard let id = Int(text), id > 0 else { throw APIError.badRequest(field: "id", "“\(text)”不是报修单编号") }
    return id
}

private func need<T>(_ value: T?, _ field: String) throws -> T {
    guard let value else { throw APIError.badRequest(field: field, "缺少必填项") }
    return value
}
