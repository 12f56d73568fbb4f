import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct ComplaintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complaint", abstract: "投诉（用 `butler touch HOUSE --kind complaint --level N` 登记）。",
        subcommands: [Close.self])

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "填写处理结果，关闭投诉。", discussion: "示例：butler complaint close 3 --result 已维修，业主满意")
        @Argument(help: "投诉编号。") var id: Int
        @Option(help: "处理结果。") var result: String
        @Option(help: "操作人工号。") var by: String?
        @Option(help: ArgumentHelp("关闭时间（默认为当前时间；补录时填写实际时间）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
        func run() throws {
            try withDatabase { db in try ComplaintStore(db: db).close(id, result: result, by: by, at: at?.date) }
            print("已关闭投诉 #\(id)")
        }
    }
}
