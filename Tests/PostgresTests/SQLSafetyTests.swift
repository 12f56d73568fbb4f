import Foundation
import Testing

/// That runtime text cannot become `SQL` is a property of the compiler, not of a running
/// program: these tests type-check small snippets against the `Postgres` module just built
/// (`swiftc -typecheck`), with a literal snippet as the control that the setup itself works.
@Suite struct SQLSafetyTests {
    @Test func aLiteral_compiles() throws {
        let result = try typecheck("""
            let q: SQL = "SELECT 1"
            let r: SQL = "SELECT 1 " + "FROM pg_class"
            _ = (q, r)
            """)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func runtimeText_doesNotCompileAsSQL() throws {
        let snippets = [
            // What compiled before SQL took StaticString.
            "let text = CommandLine.arguments[0]\n_ = SQL(stringLiteral: text)",
            "let text = CommandLine.arguments[0]\nlet q: SQL = .init(stringLiteral: text)\n_ = q",
            "let n = CommandLine.arguments.count\nlet q: SQL = \"SELECT \\(n)\"\n_ = q",
            // The escape hatch is invisible without the SPI import.
            "_ = SQL(unsafeRaw: CommandLine.arguments[0])",
        ]
        for snippet in snippets {
            let result = try typecheck(snippet)
            #expect(result.status != 0, "compiled, but must not:\n\(snippet)")
            #expect(result.output.contains("error:"), "\(result.output)")
        }
    }

    @Test func theEscapeHatch_isImportedOnlyWhereAllowed() throws {
        // Bulk loads re-create the catalog's own DDL; migrations run shipped files. Tests may too.
        let allowed: Set = ["Sources/ButlerStore/Import/BulkLoad.swift", "Sources/ButlerStore/Migrations.swift"]
        let sources = repositoryRoot.appendingPathComponent("Sources")
        var users: Set<String> = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift", !file.path.contains("/Sources/Postgres/") else { continue }
            if try String(contentsOf: file, encoding: .utf8).contains("@_spi(RawSQL)") {
                users.insert(String(file.path.dropFirst(repositoryRoot.path.count + 1)))
            }
        }
        #expect(users.isSubset(of: allowed), "\(users.subtracting(allowed).sorted())")
    }
}

private let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private struct Typecheck {
    let status: Int32
    let output: String
}

/// `swiftc -typecheck` of `import Postgres` + `body`, against the modules of this test build.
private func typecheck(_ body: String) throws -> Typecheck {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sql-safety-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("snippet.swift")
    try ("import Postgres\n" + body + "\n").write(to: file, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["swiftc", "-typecheck", "-swift-version", "6"]
        + moduleDirectories().flatMap { ["-I", $0] }
        + ["-I", repositoryRoot.appendingPathComponent("Sources/CLibPQ").path, "-Xcc", "-I/usr/include/postgresql", file.path]
    var environment = ProcessInfo.processInfo.environment
    environment["PATH"] = "/opt/swift/usr/bin:" + (environment["PATH"] ?? "/usr/bin:/bin")
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Typecheck(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
}

/// Where this build put `Postgres.swiftmodule`: beside the test bundle, or in its `Modules/`.
private func moduleDirectories() -> [String] {
    var directory = Bundle.main.bundleURL
    if directory.pathExtension != "xctest", let executable = Bundle.main.executableURL { directory = executable }
    let build = directory.deletingLastPathComponent()
    return [build.appendingPathComponent("Modules").path, build.path]
}
