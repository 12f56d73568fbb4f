import ArgumentParser
import ButlerServer
import ButlerStore
import Foundation
import Hummingbird
import Logging
import Postgres

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "运行 HTTP API 和客服中心来电弹屏页面。",
        discussion: """
            JSON API 在 /v1 下（OpenAPI 见 /openapi.json），
            来电弹屏页为 /screen-pop?phone=…，健康检查为 /healthz。
            服务同时运行定时作业（每天 00:05 生成计划，每分钟检查逾期），
            使用数据库属主角色的连接：BUTLER_JOBS_DATABASE_URL
            （服务本身以属主角色运行时，用它自己的 URL）。
            没有这样的连接时，请用定时器运行 `butler jobs run`。
            收到 SIGTERM/SIGINT 时平稳停止。
            示例：butler serve --port 8080
            """)
    @Option(help: "监听地址。") var host = "127.0.0.1"
    @Option(help: "端口。") var port = 8080
    @Option(help: "工作线程数和数据库连接数。") var pool = 8

    func run() async throws {
        var logger = Logger(label: "butler.server")
        logger.logLevel = .info
        // Least privilege: say so when the server could alter the schema (README, "Database roles").
        // A malformed URL or timeout is refused here, as by every command; an unreachable database
        // is not (the pool connects when requests come).
        let asOwner: Bool
        do {
            asOwner = try ServerRole(db: DatabaseConfig.fromEnvironment().connect()).connectedAsOwner()
        } catch let error as PostgresError where error.kind == .configuration {
            printError(configurationMessage(error))
            throw ExitCode(1)
        } catch {
            asOwner = false
        }
        if asOwner {
            logger.warning("connected as the schema owner; run butler serve as the server role (butler db grant butler_web, then user=butler_web in BUTLER_DATABASE_URL)")
        }
        let environment = ProcessInfo.processInfo.environment
        // Planning a day may run longer than a request's statement timeout.
        let jobs = (environment["BUTLER_JOBS_DATABASE_URL"].flatMap { $0.isEmpty ? nil : DatabaseConfig(url: $0) }
            ?? (asOwner ? DatabaseConfig.fromEnvironment() : nil))?.unlimitedStatements
        if jobs == nil {
            logger.warning("this server runs no jobs: set BUTLER_JOBS_DATABASE_URL (the owner's URL), or run `butler jobs run` every minute from a timer")
        }
        let app = buildApplication(
            ServerConfiguration(host: host, port: port, database: DatabaseConfig.fromEnvironment(), poolSize: pool, jobsDatabase: jobs),
            logger: logger)
        try await app.runService()
    }
}
