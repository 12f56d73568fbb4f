import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct TouchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "touch", abstract: "登记与住户的一次触点（来电、走访、投诉、意见征询等）。",
        discussion: "类型：\(TouchpointKind.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: " "))\n示例：butler touch YS01/3-2-1502 --kind visit --by E1001 --note 入住走访 --photo /photos/1502-door.jpg")
    @Argument(help: "房屋编码。") var house: String
    @Option(help: "触点类型。") var kind: TouchpointKind
    @Option(help: "经办人工号。") var by: String
    @Option(help: ArgumentHelp("发生时间（默认为当前时间）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @Option(help: "沟通的内容或所做的事。") var note = ""
    @Option(help: "投诉等级：1 市长热线、主管部门或媒体；2 区或街道、重复投诉；3 服务疏漏（默认 3）。")
    var level: ComplaintLevel?
    @Option(help: "照片文件名或 URL（可重复）。") var photo: [String] = []
    @OptionGroup var output: OutputOptions

    func run() throws {
        let result = try withDatabase { db in
            try Records(db: db).touch(house: house, kind: kind, by: by, at: at?.date, note: note,
                                      level: level, photos: photo)
        }
        try printRecord(result, json: output.json, what: house, label: kind.label)
    }
}
