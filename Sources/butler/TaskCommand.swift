import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task", abstract: "处理单项任务。", subcommands: [Done.self])

    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "完成没有其他记录可完成的任务（如钥匙盘点、月度小结）。",
            discussion: "示例：butler task done 42 --by E1001 --note 钥匙 12 把齐全")
        @Argument(help: "任务编号。") var id: Int
        @Option(help: "完成人工号。") var by: String
        @Option(help: ArgumentHelp("完成时间（默认为当前时间）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
        @Option(help: "备注。") var note: String?
        func run() throws {
            try withDatabase { db in try Records(db: db).done(task: id, by: by, at: at?.date, note: note) }
            print("任务 #\(id) 已完成")
        }
    }
}
