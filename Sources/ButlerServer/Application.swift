import ButlerCore
import ButlerStore
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Postgres
import ServiceLifecycle

/// What the server needs to start.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var database: DatabaseConfig
    /// Threads and database connections for request work.
    public var poolSize: Int
    /// Mark the screen-pop cookies `Secure` on every response (the server is reached over HTTPS
    /// only). Without it they are `Secure` when a TLS-terminating proxy sends
    /// `X-Forwarded-Proto: https`. Also set by `BUTLER_SECURE_COOKIES=1`.
    public var secureCookies: Bool
    /// Where the server's clock runs the jobs (daily planning, the deadline sweep): a role that
    /// may plan, normally the owner's. Nil: this server runs no jobs (a timer runs `butler jobs run`).
    public var jobsDatabase: DatabaseConfig?
    /// The requests' clock (a repair act may not be in the future, nor a technician's an hour
    /// late); tests set a fixed one.
    public var now: @Sendable () -> Date = { Date() }

    public init(host: String = "127.0.0.1", port: Int = 8080, database: DatabaseConfig, poolSize: Int = 8,
                secureCookies: Bool = ProcessInfo.processInfo.environment["BUTLER_SECURE_COOKIES"] == "1",
                jobsDatabase: DatabaseConfig? = nil) {
        self.host = host
        self.port = port
        self.database = database
        self.poolSize = poolSize
        self.secureCookies = secureCookies
        self.jobsDatabase = jobsDatabase
    }
}

/// Builds the application: routes, middleware, database pool. Tests call it directly.
public func buildApplication(_ configuration: ServerConfiguration, logger: Logger? = nil) -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "butler.server")
    if logger.logLevel > .info { logger.logLevel = .info }
    let pool = DatabasePool(config: configuration.database, size: configuration.poolSize)
    let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
    let routes = RouteTable()
    router.add(middleware: AccessLogMiddleware())
    _ = ServerMetrics.registry  // swift-metrics' backend, before the first metric is made
    router.add(middleware: MetricsMiddleware())
    // Outside ErrorMiddleware, so error responses get the browser headers too.
    router.add(middleware: SecurityHeaders())
    router.add(middleware: ErrorMiddleware(routes: routes))
    // Inside ErrorMiddleware: its refusals (413, 414, 415) are JSON errors.
    router.add(middleware: RequestLimits())
    registerRoutes(on: router, routes: routes, pool: pool, secureCookies: configuration.secureCookies, now: configuration.now)
    // The HTTP/1 parser's limits, and its errors answered as JSON (RequestLimits.swift).
    let http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: [ParserErrorResponder()], httpDecoderConfiguration: HTTPLimits.decoder)
    var app = Application(
        router: router,
        server: .http1(configuration: http1),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "butler"),
        logger: logger)
    app.addServices(PoolService(pool: pool))
    if let jobs = configuration.jobsDatabase {
        app.addServices(JobClock(database: jobs, logger: logger))
    }
    return app
}

/// Every route the server answers, in one place: the application and the test that holds the
/// routes to /openapi.json (`OpenAPIContractTests`) register the same table.
func registerRoutes(on router: Router<BasicRequestContext>, routes: RouteTable, pool: DatabasePool, secureCookies: Bool,
                    now: @escaping @Sendable () -> Date = { Date() }) {
    API(pool: pool, now: now).register(on: router, routes: routes)
    RepairAPI(pool: pool, now: now).register(on: router, routes: routes)
    ArrearsAPI(pool: pool, now: now).register(on: router, routes: routes)
    ServerMetrics.register(on: router, routes: routes, pool: pool)
    ScreenPop(pool: pool, secureCookies: secureCookies, now: now).register(on: router, routes: routes)
    let session = ConsoleSession(secureCookies: secureCookies)
    Console(pool: pool, session: session, now: now).register(on: router, routes: routes)
    ConsoleRepairs(pool: pool, session: session, now: now).register(on: router, routes: routes)
    ConsoleGrids(pool: pool, session: session, now: now).register(on: router, routes: routes)
    ConsoleMonth(pool: pool, session: session, now: now).register(on: router, routes: routes)
}

/// Shuts the database pool down with the server (graceful shutdown drains requests first).
struct PoolService: Service {
    let pool: DatabasePool

    func run() async throws {
        try? await gracefulShutdown()
        try await pool.shutdown()
    }
}

/// The bearer token of a request: `Authorization: Bearer …` or the `butler_token` cookie
/// (the screen-pop page, opened by the telephony system in a browser).
func bearerToken(_ request: Request) -> String? {
    if let token = bearerHeaderToken(request) { return token }
    for cookie in request.headers[values: .cookie].flatMap({ $0.split(separator: ";") }) {
        let pair = cookie.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        if pair.count == 2, pair[0] == "butler_token" { return pair[1] }
    }
    return nil
}

/// The token of an `Authorization: Bearer …` header only: the API's one way in (a browser adds
/// the screen-pop cookie by itself, cross-site too, never this header).
func bearerHeaderToken(_ request: Request) -> String? {
    guard let header = request.headers[.authorization] else { return nil }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
    return String(parts[1]).trimmingCharacters(in: .whitespaces)
}

/// Authenticates inside a database call: the token check and the work share one round trip to the pool.
func authenticate(_ db: Connection, _ token: String?) throws -> Principal {
    guard let token else { throw APIError.unauthorized }
    guard let principal = try TokenStore(db: db).authenticate(token) else { throw APIError.invalidToken }
    return principal
}

/// JSON with snake_case keys as the types declare them, sorted for stable output.
func jsonResponse<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
    jsonResponse(bytes: ByteBuffer(bytes: try JSONEncoder.api.encode(value)), status: status)
}

/// A response whose body is JSON already.
func jsonResponse(bytes: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json; charset=utf-8"
    return Response(status: status, headers: headers, body: .init(byteBuffer: bytes))
}

extension JSONEncoder {
    /// How the API writes JSON: sorted keys (stable output), slashes as they are (house codes).
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
