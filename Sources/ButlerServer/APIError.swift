import ButlerStore
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import Postgres

/// The API's error body: `{"error": {"code", "field", "message"}}` (`field`: the request field at
/// fault, when there is one).
struct ErrorBody: Codable {
    struct Detail: Codable {
        let code: String
        let field: String?
        let message: String

        /// `field` is always there (null when no single field is at fault), as the README says.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(code, forKey: .code)
            try c.encode(field, forKey: .field)
            try c.encode(message, forKey: .message)
        }
    }
    let error: Detail
}

/// An error with the status code and message the client gets.
struct APIError: Error {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    var field: String? = nil

    static func badRequest(field: String? = nil, _ message: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_input", message: message, field: field)
    }
    static let unauthorized = APIError(status: .unauthorized, code: "unauthorized", message: "需要 Bearer 令牌（由管理员用 butler token create --staff 员工编号 生成）")
}

/// Turns every failure into the JSON error body with the right status; server details
/// (SQL, stack) stay in the log, never in the response.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The server's routes, for telling 405 from 404.
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // The router's "nothing matched": a known path with another method is a 405.
            let allowed = routes.allowedMethods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { return Self.response(Self.map(error)) }
            var response = Self.response(APIError(
                status: .methodNotAllowed, code: "method_not_allowed",
                message: "此地址不接受 \(request.method.rawValue)；可用：\(allowed.joined(separator: ", "))"))
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        } catch {
            let api = Self.map(error)
            if api.status.code >= 500 {
                context.logger.error("request failed", metadata: ["code": "\(api.code)", "error": "\(String(reflecting: error))"])
            }
            return Self.response(api)
        }
    }

    static func response(_ api: APIError) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if api.status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: api.status, headers: headers, body: .init(byteBuffer: body(api)))
    }

    /// The JSON error body.
    static func body(_ api: APIError) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(ErrorBody(error: .init(code: api.code, field: api.field, message: api.message)))) ?? Data()
        return ByteBuffer(bytes: data)
    }

    static func map(_ error: any Error) -> APIError {
        switch error {
        case let api as APIError:
            return api
        case let butler as ButlerError:
            let message = butler.description
            switch butler.kind {
            case .invalidInput: return APIError(status: .badRequest, code: "invalid_input", message: message, field: butler.field)
            case .notFound: return APIError(status: .notFound, code: "not_found", message: message, field: butler.field)
            case .conflict: return APIError(status: .conflict, code: "conflict", message: message, field: butler.field)
            case .forbidden: return APIError(status: .forbidden, code: "forbidden", message: message, field: butler.field)
            }
        // Row-level security refused what the scope model let through: a 403, never a 500.
        case let pg as PostgresError where pg.sqlState == "42501":
            return APIError(status: .forbidden, code: "forbidden", message: "超出你的权限范围")
        case let pg as PostgresError where pg.sqlState == "BU409":
            // A record the database refuses to change (schema/0011); the application checks first.
            return APIError(status: .conflict, code: "conflict", message: pg.message)
        case let pg as PostgresError where pg.isConnectionFailure || pg.sqlState?.hasPrefix("57") == true:
            return APIError(status: .serviceUnavailable, code: "unavailable", message: "数据库暂时不可用，请稍后再试")
        // The safety net under the store's own validation: a value the database refuses is the
        // client's mistake, not a 500. The message is generic: SQL and constraint names stay in the log.
        case let pg as PostgresError where pg.sqlState?.hasPrefix("22") == true:
            return APIError(status: .badRequest, code: "invalid_input", message: "请求中的某个值超出范围或格式不对")
        case let pg as PostgresError where pg.isUniqueViolation || pg.isExclusionViolation:
            return APIError(status: .conflict, code: "conflict", message: "请求与已有记录冲突")
        case let pg as PostgresError where pg.sqlState?.hasPrefix("23") == true:
            return APIError(status: .badRequest, code: "invalid_input", message: "请求引用了不存在的记录，或违反了已有记录的规则")
        // `collect(upTo:)` past its limit (a body streamed without Content-Length, or longer than it said).
        case let tooLarge as NIOTooManyBytesError:
            let limit = tooLarge.maxBytes.map { "（上限 \(HTTPLimits.describe(bytes: $0))）" } ?? ""
            return APIError(status: .contentTooLarge, code: "payload_too_large", message: "请求体过大\(limit)")
        // A body that broke HTTP framing mid-request (the parser's errors between requests are
        // answered by ParserErrorResponder, below the router).
        case is HTTPParserError:
            return APIError(status: .badRequest, code: "bad_request", message: "HTTP 请求格式错误")
        case let http as HTTPError:
            return APIError(status: http.status, code: http.status == .notFound ? "not_found" : "http_error",
                            message: http.body ?? http.status.reasonPhrase)
        case let http as any HTTPResponseError:
            return APIError(status: http.status, code: http.status.code >= 500 ? "internal" : "http_error", message: http.status.reasonPhrase)
        case is DecodingError:
            let problem = describe(error)
            return APIError.badRequest(field: problem.field, "请求体不是本接口要求的 JSON：\(problem.message)")
        default:
            return APIError(status: .internalServerError, code: "internal", message: "服务器内部错误")
        }
    }

    /// The field a JSON body got wrong (`a.b` for a nested one), and what is wrong with it.
    static func describe(_ error: any Error) -> (field: String?, message: String) {
        guard let decoding = error as? DecodingError else { return (nil, "\(error)") }
        func path(_ context: DecodingError.Context) -> String? {
            context.codingPath.isEmpty ? nil : context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch decoding {
        case .keyNotFound(let key, let c):
            let field = (c.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            return (field, "缺少字段 \(field)")
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            guard let field = path(c) else { return (nil, "JSON 格式错误") }
            return (field, "字段 \(field) 的值不对（\(c.debugDescription)）")
        @unknown default: return (nil, "\(error)")
        }
    }
}

/// Logs one line per request: method, route pattern (no query string: it can hold phone
/// numbers), status and duration; the request id is in the logger's metadata.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        context.logger.info("request", metadata: [
            "method": "\(request.method.rawValue)",
            "route": "\(context.endpointPath ?? "-")",
            "status": "\(response.status.code)",
            "ms": "\(elapsed.components.attoseconds / 1_000_000_000_000_000 + elapsed.components.seconds * 1000)",
        ])
        return response
    }
}
