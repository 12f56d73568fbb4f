import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct PatrolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrol", abstract: "登记网格巡查；完成该网格最早的一项未完成巡查任务。",
        discussion: "示例：butler patrol YS01-G01 --by E1001 --note 消防通道畅通")
    @Argument(help: "网格编码。") var grid: String
    @Option(help: "巡查人工号。") var by: String
    @Option(help: ArgumentHelp("巡查时间（默认为当前时间）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @Option(help: "发现的问题。") var note = ""
    @OptionGroup var output: OutputOptions
    func run() throws {
        let result = try withDatabase { db in try Records(db: db).patrol(grid: grid, by: by, at: at?.date, note: note) }
        try printRecord(result, json: output.json, what: grid, label: "巡查")
    }
}
