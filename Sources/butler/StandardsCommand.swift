import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct StandardsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standards", abstract: "生成计划所依据的频次标准。",
        subcommands: [List.self, Set.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出频次标准。", discussion: "示例：butler standards list --json")
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
            abstract: "调整一项频次标准。", discussion: "示例：butler standards set care_visit --interval-days 7")
        @Argument(help: "标准代码（见 butler standards list）。") var code: String
        @Option(help: "每个周期的次数（如每周巡查、每月通风的次数）。") var perPeriod: Int?
        @Option(help: "时限或提前量，单位为工作日（如入住走访、节前致电）。") var workingDays: Int?
        @Option(help: "两次之间间隔的天数（如关怀走访）。") var intervalDays: Int?
        @Option(help: "时限：事后多少小时内须完成（如查验报告、服务回访）。") var deadlineHours: Int?
        @Option(help: "优先级，1（最高）到 5。") var priority: Int?
        @Option(help: "是否启用：true 或 false。") var enabled: Bool?
        func run() throws {
            try withDatabase { db in
                try StandardsStore(db: db).set(code: code, perPeriod: perPeriod, workingDays: workingDays, intervalDays: intervalDays,
                                               deadlineHours: deadlineHours, priority: priority, enabled: enabled)
            }
            print("已更新标准 \(code)")
        }
    }
}
