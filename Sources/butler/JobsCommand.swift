import ArgumentParser
import ButlerStore
import Foundation

/// The clock from a terminal or a timer: `butler jobs run` every minute does what `butler
/// serve` does on its own.
struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "Jobs the clock runs: daily planning at 00:05, the deadline sweep every minute.",
        discussion: """
            butler serve runs them itself; without a server, run `butler jobs run` every minute from cron or a \
            systemd timer (e.g. `* * * * * butler jobs run`). Several processes may run them: each job's slot is done once.
            """,
        subcommands: [Run.self, Status.self])

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every job due now (or at --now), then exit. Safe to repeat.",
            discussion: "Example: butler jobs run --now 2026-12-01T00:05 --json")
        @Option(help: ArgumentHelp("The time to run at (default now; ISO 8601, Asia/Shanghai without an offset).", valueName: "YYYY-MM-DDTHH:MM")) var now: RecordTime?
        @Option(help: "Only this job (daily_planning, deadline_sweep).") var job: [String] = []
        @Flag(help: "Allow a --now after the wall clock: for simulations on a copy of the data only (it marks tasks overdue and escalates early).")
        var allowFuture = false
        @OptionGroup var output: OutputOptions

        func validate() throws {
            for name in job where !JobRunner.names.contains(name) {
                throw ValidationError("--job: '\(name)' is not one of \(JobRunner.names.joined(separator: ", "))")
            }
        }

        func run() throws {
            let at = now?.date ?? Date()
            let reports = try withDatabase(unlimitedStatements: true) { db in
                try JobRunner(db: db).runDue(now: at, only: job.isEmpty ? nil : Set(job), allowFuture: allowFuture)
            }
            if output.json { return try printJSON(reports) }
            let labels = ["ok": "完成", "failed": "失败", "done": "本时段已完成", "busy": "另一进程运行中"]
            var table = TextTable(["任务", "时段", "结果", "行数", "明细"])
            for r in reports {
                let detail = r.detail.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                table.append([r.job, String(r.slot.prefix(16)).replacingOccurrences(of: "T", with: " "), labels[r.outcome] ?? r.outcome,
                              String(r.rows), r.error ?? detail])
            }
            print(table.render())
            if reports.contains(where: { $0.outcome == "failed" }) { throw ExitCode(1) }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each job: last run, last success, rows touched, next due, last error.",
            discussion: "Example: butler jobs status --json")
        @OptionGroup var output: OutputOptions

        func run() throws {
            let statuses = try withDatabase { db in try JobRunner(db: db).status(now: Date()) }
            if output.json { return try printJSON(statuses) }
            var table = TextTable(["任务", "上次运行", "结果", "上次成功", "行数", "下次", "最近错误"])
            func short(_ text: String?) -> String { text.map { String($0.prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? "—" }
            for s in statuses {
                table.append([s.job, short(s.last_run), s.last_outcome ?? "—", short(s.last_success), String(s.rows),
                              short(s.next_due), s.last_error ?? ""])
            }
            print(table.render())
        }
    }
}
