import ButlerStore
import Foundation
import Postgres
import Testing

/// `BUTLER_DATABASE_URL`, `BUTLER_CONNECT_TIMEOUT` and `BUTLER_STATEMENT_TIMEOUT`.
@Suite struct DatabaseConfigTests {
    @Test func timeouts_haveDefaults_andComeFromTheEnvironment() {
        let plain = DatabaseConfig.fromEnvironment(["BUTLER_DATABASE_URL": "postgresql:///x"])
        #expect(plain.connectTimeout == .seconds(10))
        #expect(plain.statementTimeout == .seconds(30))
        #expect(plain.unlimitedStatements.statementTimeout == nil)
        let set = DatabaseConfig.fromEnvironment(["BUTLER_CONNECT_TIMEOUT": "3", "BUTLER_STATEMENT_TIMEOUT": "0.25"])
        #expect(set.connectTimeout == .seconds(3))
        #expect(set.statementTimeout == .milliseconds(250))
        #expect(DatabaseConfig.fromEnvironment(["BUTLER_STATEMENT_TIMEOUT": "0"]).statementTimeout == nil)
    }

    @Test func aMalformedTimeout_isAConfigurationError_namingItsVariable() {
        let config = DatabaseConfig.fromEnvironment(["BUTLER_STATEMENT_TIMEOUT": "30s"])
        let error = #expect(throws: PostgresError.self) { _ = try config.connect() }
        #expect(error?.kind == .configuration)
        #expect(error?.message.contains("BUTLER_STATEMENT_TIMEOUT") == true, "\(String(describing: error))")
    }

    @Test func aMalformedURL_isAConfigurationError_namingItsVariable() {
        let config = DatabaseConfig.fromEnvironment(["BUTLER_DATABASE_URL": "not a url"])
        let error = #expect(throws: PostgresError.self) { _ = try config.connect() }
        #expect(error?.kind == .configuration)
        #expect(error?.message.contains("BUTLER_DATABASE_URL") == true, "\(String(describing: error))")
    }

    /// The session gets the statement timeout (the test database is ops/test's).
    @Test func theSession_hasTheStatementTimeout() throws {
        var config = DatabaseConfig.fromEnvironment()
        config.statementTimeout = .milliseconds(1500)
        #expect(try config.connect().query("SELECT current_setting('statement_timeout')")[0].decode(0, as: String.self) == "1500ms")
        #expect(try config.unlimitedStatements.connect().query("SELECT current_setting('statement_timeout')")[0]
            .decode(0, as: String.self) == "0")
    }

    /// The CLI says the URL is invalid (exit 1, in Chinese, naming the variable) instead of
    /// trying the default socket.
    @Test func theCLI_refusesAMalformedURL() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = root.appendingPathComponent(".build/debug/butler")
        process.arguments = ["db", "status"]
        var environment = ProcessInfo.processInfo.environment
        environment["BUTLER_DATABASE_URL"] = "not a url"
        process.environment = environment
        let err = Pipe()
        process.standardOutput = Pipe()
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1, "\(stderr)")
        #expect(stderr.contains("BUTLER_DATABASE_URL"), "\(stderr)")
        #expect(stderr.contains("数据库配置无效"), "\(stderr)")
    }
}
