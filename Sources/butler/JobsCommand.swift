import ArgumentParser
import ButlerStore
import Foundation

/// The clock from a terminal or a timer: `butler jobs run` every minute does what `butler
/// serve` does on its own.
struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "定时作业：每天 00:05 生成计划，每分钟检查逾期。",
        discussion: """
            daily_planning：每天 00:05 生成当天的任务计划；
            deadline_sweep：每分钟把到时未完成的任务标为逾期，并升级超时的投诉回访和查验报告。
            butler serve 会自行运行这些作业；不运行服务时，请用 cron 或 systemd 定时器
            每分钟执行一次 `butler jobs run`（如 `* * * * * butler jobs run`）。
            可以有多个进程同时运行：每个作业的每个时段只执行一次。
            """,
        subcommands: [Run.self, Status.self])

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "运行此刻（或 --now）到期的作业后退出；可重复运行。",
            discussion: "示例：butler jobs run --now 2026-12-01T00:05 --json")
        @Option(help: ArgumentHelp("按此时刻运行（默认为当前时间；不带时区偏移时按上海时间）。", valueName: "YYYY-MM-DDTHH:MM")) var now: RecordTime?
        @Option(help: "只运行该作业（daily_planning 或 deadline_sweep，可重复）。") var job: [String] = []
        @Flag(help: "允许 --now 晚于实际时间：仅用于在数据副本上模拟（会提前标记逾期、提前升级）。")
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
            abstract: "各作业的上次运行、上次成功、行数、下次运行和最近错误。",
            discussion: "示例：butler jobs status --json")
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
            for s in statuses {
                for u in s.unassigned_escalations {
                    print("注意：项目 \(u.project) 没有项目经理，\(u.open) 条超时升级无人接收（任命项目经理后出现在其任务清单上）")
                }
            }
        }
    }
}
