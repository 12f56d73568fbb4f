import ButlerCore
import ButlerStore
import Foundation
import HTTPTypes
import Hummingbird
import Postgres

/// The JSON API (`/v1/...`): the same shapes as the CLI's `--json`.
struct API: Sendable {
    let pool: DatabasePool
    /// The server's clock: which day is today, when a record without `at` happened.
    var now: @Sendable () -> Date = { Date() }

    struct TouchpointBody: Decodable, Sendable {
        let house: String
        let kind: TouchpointKind
        let at: String?
        let note: String?
        /// 1, 2 or 3: decoding refuses anything else, naming the field.
        let level: ComplaintLevel?
        /// Photo references (file names or URLs) taken with it.
        let photos: [String]?
    }

    struct CorrectionBody: Decodable, Sendable {
        let note: String
        let reason: String?
    }

    struct InspectionBody: Decodable, Sendable {
        let house: String
        let kind: InspectionKind?
        let at: String?
        let findings: [String]?
        let checklist: [ChecklistEntry]?
        let photos: [String]?
    }

    struct DoneBody: Decodable, Sendable {
        let at: String?
        let note: String?
    }

    struct AssignmentBody: Decodable, Sendable {
        let butler: String
        let from: String
    }

    struct Created: Encodable, Sendable {
        let id: Int
        let completed_tasks: [Int]
        let outside_own_grids: Bool
        let complaint: Int?
    }

    func register(on router: Router<BasicRequestContext>, routes: RouteTable) {
        routes.get("/healthz", .api(answers: [200, 503]), on: router) { _, _ -> Response in
            let ok = try await pool.withConnection { db in try db.query("SELECT 1").count == 1 }
            return try jsonResponse(["status": ok ? "ok" : "degraded"])
        }
        routes.get("/openapi.json", on: router) { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        routes.get("/v1/lookup", .api(query: ["phone", "house", "name", "reveal", "limit", "offset"], answers: [200, 400, 401, 403, 503]), on: router) { request, _ -> Response in
            guard let token = bearerHeaderToken(request) else { throw APIError.unauthorized }
            // One round trip: the database verifies the token, checks the right and scope,
            // audits in the token holder's name and builds the cards (schema/0011). A malformed
            // query is still checked for the right first (403 before 400).
            let query = Result { try lookupQuery(request) }
            let page = Result { try lookupPage(request) }
            let reveal = try flag(request.uri.queryParameters["reveal"], name: "reveal")
            let result = try await APIError.invalidTokenOn401 {
                try await pool.withConnection { db in
                    try CallCentre(db: db).lookupJSON(try query.get(), as: .token(token), reveal: reveal, page: page)
                }
            }
            ServerMetrics.lookups.increment()
            // The cards go out as the database built them; only the small rest (query, total,
            // page) is encoded here, as an object whose opening brace the houses take.
            var body = ByteBuffer(string: #"{"houses":["#)
            for (i, card) in result.cards.enumerated() {
                if i > 0 { body.writeString(",") }
                body.writeString(card)
            }
            body.writeString("],")
            body.writeBytes(try JSONEncoder.api.encode(result.summary).dropFirst())
            return jsonResponse(bytes: body)
        }
        routes.get("/v1/butlers/{emp}/tasks", .api(query: ["date"], answers: [200, 400, 401, 403, 404, 503]), on: router) { request, context -> Response in
            let employee = try context.parameters.require("emp")
            let list = try await authorized(request) { db, principal in
                let date = try day(request.uri.queryParameters["date"], name: "date") ?? Day.from(now())
                try Scope(db: db, actor: principal).mayReadTasks(of: employee, on: date)
                return try DailyListStore(db: db).list(butler: employee, on: date, now: now())
            }
            // The array is the contract's shape; whether the day was planned goes in a header.
            var response = try jsonResponse(list.tasks)
            response.headers[HTTPField.Name("X-Butler-Day-Planned")!] = list.planned ? "true" : "false"
            return response
        }
        routes.post("/v1/touchpoints", .api(answers: [201, 400, 401, 403, 404, 409, 413, 415, 503]), on: router) { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let result = try await authorized(request) { db, principal in
                let body = try decodeBody(TouchpointBody.self, bytes)
                return try Records(db: db, now: now()).touch(house: body.house, kind: body.kind, by: principal.employeeNo, at: try time(body.at),
                                                 note: body.note ?? "", level: body.level, photos: body.photos ?? [])
            }
            return try jsonResponse(Created(id: result.id, completed_tasks: result.completedTasks,
                                            outside_own_grids: result.outsideOwnGrids, complaint: result.complaint), status: .created)
        }
        // A correction of a touchpoint's note: a new record; the original stays readable.
        routes.post("/v1/touchpoints/{id}/corrections", .api(answers: [201, 400, 401, 403, 404, 413, 415, 503]), on: router) { request, context -> Response in
            let idText = try context.parameters.require("id")
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let id = try await authorized(request) { db, principal -> Int in
                guard let id = Int(idText), id > 0 else { throw APIError.badRequest(field: "id", "“\(idText)”不是接触记录编号") }
                let body = try decodeBody(CorrectionBody.self, bytes)
                return try Records(db: db, now: now()).correct(touchpoint: id, note: body.note, reason: body.reason ?? "", by: principal.employeeNo)
            }
            return try jsonResponse(["id": id, "corrects": Int(idText) ?? 0], status: .created)
        }
        routes.post("/v1/inspections", .api(answers: [201, 400, 401, 403, 404, 409, 413, 415, 503]), on: router) { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let result = try await authorized(request) { db, principal in
                let body = try decodeBody(InspectionBody.self, bytes)
                return try Records(db: db, now: now()).inspect(house: body.house, kind: body.kind ?? .check, by: principal.employeeNo,
                                                   at: try time(body.at), findings: body.findings ?? [],
                                                   checklist: body.checklist ?? [], photos: body.photos ?? [])
            }
            return try jsonResponse(Created(id: result.id, completed_tasks: result.completedTasks,
                                            outside_own_grids: result.outsideOwnGrids, complaint: nil), status: .created)
        }
        routes.post("/v1/tasks/{id}/done", .api(answers: [200, 400, 401, 403, 404, 409, 413, 415, 503]), on: router) { request, context -> Response in
            let idText = try context.parameters.require("id")
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let id = try await authorized(request) { db, principal -> Int in
                guard let id = Int(idText), id > 0 else { throw APIError.badRequest(field: "id", "“\(idText)”不是任务编号") }
                let body = bytes.readableBytes == 0 ? nil : try decodeBody(DoneBody.self, bytes)
                try Records(db: db, now: now()).done(task: id, by: principal.employeeNo, at: try time(body?.at), note: body?.note)
                return id
            }
            return try jsonResponse(["id": id])
        }
        routes.get("/v1/grids", .api(answers: [200, 401, 403, 503]), on: router) { request, _ -> Response in
            let grids = try await authorized(request) { db, principal in
                try GridStore(db: db).list(project: try Scope(db: db, actor: principal).gridListProject(), on: Day.from(now()))
            }
            return try jsonResponse(grids)
        }
        routes.post("/v1/grids/{code}/assignments", .api(answers: [200, 201, 400, 401, 403, 404, 409, 413, 415, 503]), on: router) { request, context -> Response in
            let code = try context.parameters.require("code")
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let (body, from, result) = try await authorized(request) { db, principal in
                try Scope(db: db, actor: principal).mayManage(grid: code)
                let body = try decodeBody(AssignmentBody.self, bytes)
                guard let from = Day(body.from) else { throw APIError.badRequest(field: "from", "“\(body.from)”不是日期（YYYY-MM-DD）") }
                try InputBounds.text(body.butler, field: "butler")
                return (body, from, try GridStore(db: db).assign(grid: code, butler: body.butler, from: from, today: Day.from(now())))
            }
            return try jsonResponse(["grid": code, "butler": body.butler, "from": from.description, "result": result.rawValue],
                                    status: result == .unchanged ? .ok : .created)
        }
        // House codes contain a slash: /v1/houses/YS01/3-2-1502 (or %2F-encoded in one segment).
        routes.get("/v1/houses/{project}/{house}", .api(answers: [200, 400, 401, 403, 404, 503]), on: router) { request, context -> Response in
            try await house(request, code: "\(try context.parameters.require("project"))/\(try context.parameters.require("house"))")
        }
        routes.get("/v1/houses/{project}", .api(answers: [200, 400, 401, 403, 404, 503]), on: router) { request, context -> Response in
            // One segment: the whole code, %2F-encoded.
            let raw = try context.parameters.require("project")
            return try await house(request, code: raw.removingPercentEncoding ?? raw)
        }
    }

    private func house(_ request: Request, code: String) async throws -> Response {
        guard let token = bearerHeaderToken(request) else { throw APIError.unauthorized }
        // The database checks the scope (a butler: the grids they serve today) and records a refusal.
        let card = try await APIError.invalidTokenOn401 {
            try await pool.withConnection { db in try CallCentre(db: db).houseCard(code, as: .token(token)) }
        }
        guard let card else { throw ButlerError(.notFound, field: "house", "房号 \(code) 不存在") }
        return jsonResponse(bytes: ByteBuffer(string: card))
    }

    /// Authenticates first (no token → 401 before any 400), then authorizes, validates and
    /// acts, all in one transaction on a pool thread, as the token's holder (`asActor`).
    private func authorized<T: Sendable>(
        _ request: Request, _ work: @escaping @Sendable (Connection, Principal) throws -> T
    ) async throws -> T {
        try await pool.asActor(token: bearerHeaderToken(request), work)
    }
}

/// Exactly one of phone, house or name (LookupQuery says which is missing or too many).
func lookupQuery(_ request: Request) throws -> LookupQuery {
    let parameters = request.uri.queryParameters
    func text(_ name: Substring) -> String? { parameters[name].map { String($0).removingPercentEncoding ?? String($0) } }
    return try LookupQuery(phone: text("phone"), house: text("house"), name: text("name"))
}

/// `limit` (default 50, at most 100) and `offset` (default 0) of a lookup.
func lookupPage(_ request: Request) throws -> LookupPage {
    let parameters = request.uri.queryParameters
    return try LookupPage(limitText: parameters["limit"].map(String.init), offsetText: parameters["offset"].map(String.init))
}

/// A boolean query parameter: true/false (also 1/0); absent is false; anything else is a 400.
func flag(_ text: Substring?, name: String) throws -> Bool {
    switch text {
    case nil, "false", "0": return false
    case "true", "1": return true
    case let other?: throw APIError.badRequest(field: name, "“\(other)”不是 true 或 false")
    }
}

func day(_ text: Substring?, name: String) throws -> Day? {
    guard let text else { return nil }
    guard let day = Day(String(text)) else { throw APIError.badRequest(field: name, "“\(text)”不是日期（YYYY-MM-DD）") }
    try InputBounds.day(day, field: name)
    return day
}

func time(_ text: String?) throws -> Date? {
    guard let text else { return nil }
    guard let date = Timestamp.parse(text) else { throw APIError.badRequest(field: "at", "“\(text)”不是时间（例如 2026-11-26T09:30，上海时间）") }
    try InputBounds.day(Day.from(date), field: "at")
    return date
}

/// Decodes a JSON body, naming the field that is wrong.
func decodeBody<T: Decodable>(_ type: T.Type, _ buffer: ByteBuffer) throws -> T {
    guard buffer.readableBytes > 0 else { throw APIError.badRequest("需要 JSON 请求体") }
    do {
        return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    } catch {
        let problem = ErrorMiddleware<BasicRequestContext>.describe(error)
        throw APIError.badRequest(field: problem.field, "请求体不是本接口要求的 JSON：\(problem.message)")
    }
}

extension APIError {
    static let invalidToken = APIError(status: .unauthorized, code: "unauthorized", message: "令牌无效（已吊销或输错）")

    /// The store's `Unauthenticated` (the database found no valid token) as a 401.
    static func invalidTokenOn401<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch is Unauthenticated {
            throw invalidToken
        }
    }
}
