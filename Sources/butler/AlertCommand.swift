import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct AlertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert", abstract: "恶劣天气预警：先查验委托代管房屋，再查验空置房屋。", subcommands: [Weather.self, Close.self])

    struct Weather: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "为项目发布台风/暴雨预警；查验须当天完成。",
            discussion: "委托代管房屋为优先级 1，空置精装房为 2，空置毛坯房为 3。\n示例：butler alert weather --project YS01 --note 台风")
        @Option(help: "项目编码。") var project: String
        @Option(help: ArgumentHelp("预警时间（默认为当前时间）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
        @Option(help: "备注。") var note = ""
        @Option(help: "操作人工号。") var by: String?
        @OptionGroup var output: OutputOptions
        func run() throws {
            let (id, tasks) = try withDatabase { db in try AlertStore(db: db).weather(project: project, at: at?.date ?? Date(), note: note, by: by) }
            if output.json { return try printJSON(["id": id, "tasks": tasks]) }
            print("已发布恶劣天气预警 #\(id)，生成查验任务 \(tasks) 项（先委托房，再空置精装房，后空置毛坯房）")
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "关闭预警。", discussion: "示例：butler alert close 4")
        @Argument(help: "预警编号。") var id: Int
        @Option(help: "操作人工号。") var by: String?
        func run() throws {
            try withDatabase { db in try AlertStore(db: db).close(id, by: by) }
            print("已关闭预警 #\(id)")
        }
    }
}
