import ButlerStore
import ButlerTestSupport
import Foundation
@_spi(RawSQL) import Postgres
import Testing

/// The `butler` executable itself (built by `swift test` with every target), on a database of
/// its own: exit statuses, the scope model on the command line, and what reaches a terminal.
///
/// `ops/test` gives these tests a database of their own (`BUTLER_CLI_DATABASE_URL`): the
/// executable takes only a URL, so the schema is chosen by the database's default search path.
/// The suite is serialized; each test starts from a freshly migrated schema `cli`.
@Suite(.serialized) struct CLITests {
    let url: String

    init() throws {
        guard let url = ProcessInfo.processInfo.environment["BUTLER_CLI_DATABASE_URL"], !url.isEmpty else {
            throw TestDatabaseUnavailable(url: "BUTLER_CLI_DATABASE_URL (unset)", underlying: "the CLI tests need their own database")
        }
        self.url = url
        let admin = try DatabaseConfig(url: url).connect()
        try admin.runScript("""
            DROP SCHEMA IF EXISTS cli CASCADE;
            CREATE SCHEMA cli;
            DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET search_path = cli, public', current_database()); END $$;
            """)
        let db = try DatabaseConfig(url: url).connect()
        try Migrator.load().migrate(db)
        try seedRegistry(db)
    }

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    func butler(_ arguments: String...) throws -> Run { try butler(arguments) }

    func butler(_ arguments: [String]) throws -> Run {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let binary = root.appendingPathComponent(".build/debug/butler")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            Issue.record("no butler executable at \(binary.path): run the tests with ops/test (swift test builds it)")
            return Run(status: -1, stdout: "", stderr: "")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["BUTLER_DATABASE_URL"] = url
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func everyInputError_exits1_andABadArgumentToo() throws {
        // ArgumentParser's own validation (a malformed date) used to exit 64.
        #expect(try butler("tasks", "--butler", "E1001", "--date", "11/23").status == 1)
        #expect(try butler("plan", "--date", "2026-13-01").status == 1)
        // Out of range: refused by the store, naming the field.
        let past = try butler("tasks", "--butler", "E1001", "--date", "0001-01-01")
        #expect(past.status == 1)
        #expect(past.stderr.contains("butler: --date：0001-01-01 超出可接受的范围"), "the CLI names the option, the store the problem")
        #expect(try butler("grid", "assign", "YS01-G01", "--butler", "E1002", "--from", "9999-12-31").status == 1)
        // A control character in a note: refused, nothing stored.
        let escape = try butler("touch", "YS01/1-1-101", "--kind", "visit", "--by", "E1001", "--note", "x\u{1B}[2K")
        #expect(escape.status == 1)
        #expect(escape.stderr.contains("--note：第 2 个字符是控制字符 U+001B"))
        // A butler may not look households up from the CLI either; the refusal is on record.
        let lookup = try butler("lookup", "--phone", "13900000001", "--agent", "E1001")
        #expect(lookup.status == 1)
        #expect(!lookup.stdout.contains("王伟"))
        let refusals = try butler("audit", "--refused", "--json")
        #expect(refusals.stdout.contains("\"E1001\"") && refusals.stdout.contains("role butler"), "\(refusals.stdout)")
        // A run for a future instant would escalate before time: refused.
        #expect(try butler("jobs", "run", "--now", "2099-01-01T00:06").status == 1)
        #expect(try butler("lookup", "--phone", "13900000001", "--agent", "E9001").status == 0)
        // And help still exits 0.
        #expect(try butler("tasks", "--help").status == 0)
    }

    @Test func textFromTheDatabase_reachesTheTerminalEscaped() throws {
        let db = try DatabaseConfig(url: url).connect()
        // What older versions stored, or what arrives through an import: printed escaped.
        try db.execute("INSERT INTO lookup_refusals (agent, query_kind, query, reason) VALUES ('E1001', 'name', $1, 'role butler')",
                       ["x\u{1B}[1A\u{1B}[2K"])
        try db.execute("UPDATE residents SET name = $1", ["王\u{1B}[31m伟"])
        let audit = try butler("audit", "--refused")
        #expect(audit.status == 0)
        #expect(!audit.stdout.contains("\u{1B}"))
        #expect(audit.stdout.contains(#"x\u{1B}[1A\u{1B}[2K"#))
        let lookup = try butler("lookup", "--house", "YS01/1-1-101", "--agent", "E9001")
        #expect(lookup.status == 0)
        #expect(!lookup.stdout.contains("\u{1B}"))
        #expect(lookup.stdout.contains(#"王\u{1B}[31m伟"#))
    }

    /// Two processes running the jobs at once: each job's slot is done by exactly one of them.
    @Test func twoProcessesRunningTheJobs_doEachSlotOnce() async throws {
        let arguments = ["jobs", "run", "--now", "2026-11-10T00:06", "--json"]
        async let first = Task.detached { try butler(arguments) }.value
        async let second = Task.detached { try butler(arguments) }.value
        let runs = try await [first, second]
        #expect(runs.map(\.status) == [0, 0], "\(runs.map(\.stderr))")
        let outcomes = try runs.flatMap { run in
            try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]]).map {
                "\($0["job"] ?? "") \($0["outcome"] ?? "")"
            }
        }
        #expect(outcomes.filter { $0.hasSuffix(" ok") }.sorted() == ["daily_planning ok", "deadline_sweep ok"], "\(outcomes)")
        let db = try DatabaseConfig(url: url).connect()
        #expect(try db.query("SELECT count(*) FROM job_runs WHERE outcome = 'ok'")[0].decode(0, as: Int.self) == 2)
        let status = try butler("jobs", "status")
        #expect(status.status == 0)
        #expect(status.stdout.contains("daily_planning"))
    }

    /// `butler serve` with its job clock stops on SIGTERM (a clock that ignored graceful shutdown
    /// kept the process, and the scripts waiting on it, alive).
    @Test func serveWithItsClock_stopsOnSIGTERM() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = root.appendingPathComponent(".build/debug/butler")
        process.arguments = ["serve", "--port", "0"]
        var environment = ProcessInfo.processInfo.environment
        environment["BUTLER_DATABASE_URL"] = url
        environment["BUTLER_JOBS_DATABASE_URL"] = url
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Read the log until the server says it listens (no sleeping, no polling).
        var log = ""
        while !log.contains("Server started") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            log += String(decoding: chunk, as: UTF8.self)
        }
        #expect(log.contains("Server started"), "\(log)")
        #expect(!log.contains("runs no jobs"), "the clock runs in this server")
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        process.terminate()
        let stopped = exited.wait(timeout: .now() + 20) == .success
        if !stopped { kill(process.processIdentifier, SIGKILL) }
        #expect(stopped, "butler serve did not stop within 20 s of SIGTERM")
    }

    /// Issue 14: the repair loop from a terminal; human output in Chinese, `--json` per the contract.
    @Test func repairLoop_fromTheCommandLine() throws {
        _ = try Importer(db: try DatabaseConfig(url: url).connect()).run(.staff, table: try CSVTable.parse(
            "employee_no,name,phone,role,project\nE3001,王师傅,13800000031,technician,YS01\n", fileName: "staff.csv"))
        let open = try butler("repair", "open", "YS01/1-1-101", "--by", "E9001", "--category", "water", "--description", "厨房漏水",
                              "--at", "2026-11-27T17:00")
        #expect(open.status == 0, "\(open.stderr)")
        #expect(open.stdout.contains("已开单 #1（维修：水路），完工截止 2026-11-27 24:00"), "\(open.stdout)")
        #expect(try butler("repair", "open", "YS01/1-1-101", "--by", "E9001", "--category", "roof", "--description", "x").status == 1)
        #expect(try butler("repair", "dispatch", "1", "--to", "E3001", "--by", "E9001", "--at", "2026-11-27T17:05").stdout
                .contains("报修单 #1 已派给 E3001，签收截止 2026-11-27 17:20"))
        let early = try butler("repair", "complete", "1", "--by", "E3001", "--photo", "p.jpg", "--at", "2026-11-27T17:06")
        #expect(early.status == 1)
        #expect(early.stderr.contains("「已派工」") && early.stderr.contains("「已完工」"), "\(early.stderr)")
        #expect(try butler("repair", "sign", "1", "--by", "E3001", "--at", "2026-11-27T17:06").status == 0)
        #expect(try butler("repair", "contact", "1", "--by", "E3001", "--appointment", "2026-11-27T18:00", "--at", "2026-11-27T17:08").status == 0)
        let noPhoto = try butler("repair", "complete", "1", "--by", "E3001", "--at", "2026-11-27T19:00")
        #expect(noPhoto.status == 1)
        #expect(noPhoto.stderr.contains("--photo"), "\(noPhoto.stderr)")
        let show = try butler("repair", "show", "1", "--json")
        #expect(show.status == 0)
        let order = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect(order["status"] as? String == "contacted")
        #expect(order["technician"] as? String == "E3001")
        #expect((order["deadlines"] as? [String: Any])?["complete"] as? String == "2026-11-28T00:00:00+08:00")
        #expect((order["events"] as? [[String: Any]])?.count == 4)
        let list = try butler("repair", "list", "--project", "YS01", "--json")
        #expect(((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])?["orders"] as? [Any])?.count == 1)
        let shown = try butler("repair", "show", "1").stdout
        #expect(shown.contains("报修单 #1 YS01/1-1-101 水路 已联系"))
        // The timeline in Chinese: the event codes and detail keys stay in --json.
        #expect(shown.contains("开单") && shown.contains("类别 水路") && shown.contains("派给 E3001")
                && shown.contains("联系业主") && shown.contains("预约 2026-11-27 18:00"), "\(shown)")
        #expect(!shown.contains("opened") && !shown.contains("category="), "\(shown)")
    }

    /// `repair list` pages (issue 14): a Chinese footer says how many and how to see more;
    /// `--json` carries the page; a bad page names its option.
    @Test func repairList_pagesWithATotal() throws {
        for minute in 0..<3 {
            #expect(try butler("repair", "open", "YS01/1-1-101", "--by", "E9001", "--category", "water", "--description", "漏水",
                               "--at", "2026-11-26T09:0\(minute)").status == 0)
        }
        let first = try butler("repair", "list", "--limit", "2")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasSuffix("共 3 单，显示第 1–2 单；下一页：加 --offset 2（每页单数用 --limit，最多 1000）\n"), "\(first.stdout)")
        let last = try butler("repair", "list", "--limit", "2", "--offset", "2", "--json")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(last.stdout.utf8)) as? [String: Any])
        #expect((body["orders"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [1], "newest first: #1 is the third")
        let page = try #require(body["page"] as? [String: Any])
        #expect(page["total"] as? Int == 3 && page["truncated"] as? Bool == true && page["limit"] as? Int == 2 && page["offset"] as? Int == 2)
        #expect(page["next_offset"] is NSNull)
        #expect(try butler("repair", "list").stdout.contains("共 ") == false, "all shown: no footer")
        let bad = try butler("repair", "list", "--limit", "0")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("--limit：每页单数须在 1 到 1000 之间，收到 0"), "\(bad.stderr)")
    }
}
