import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct StandardsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standards", abstract: "The frequency standards the planner follows.",
        subcommands: [List.self, Set.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the standards.", discussion: "Example: butler standards list --json")
        @OptionGroup var output: OutputOptions
        func run() throws {
            let all = try withDatabase { db in try StandardsStore(db: db).all() }
            if output.json { return try printJSON(all) }
            // The seed references (`source`) stay in --json: they mean nothing to a manager.
            var table = TextTable(["代码", "名称", "频次", "优先级", "启用"])
            for s in all { table.append([s.code, s.name, s.cadenceLabel, String(s.priority), s.enabled ? "是" : "否"]) }
            print(table.render())
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tune a standard.", discussion: "Example: butler standards set care_visit --interval-days 7")
        @Argument(help: "Standard code.") var code: String
        @Option(help: "How many per period.") var perPeriod: Int?
        @Option(help: "Working days allowed or of lead.") var workingDays: Int?
        @Option(help: "Days between repeats.") var intervalDays: Int?
        @Option(help: "Deadline in hours after the act.") var deadlineHours: Int?
        @Option(help: "Priority 1 (highest) to 5.") var priority: Int?
        @Option(help: "true or false.") var enabled: Bool?
        func run() throws {
            try withDatabase { db in
                try StandardsStore(db: db).set(code: code, perPeriod: perPeriod, workingDays: workingDays, intervalDays: intervalDays,
                                               deadlineHours: deadlineHours, priority: priority, enabled: enabled)
            }
            print("已更新标准 \(code)")
        }
    }
}
