import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "委托代管房和空置房的查验，及给业主的查验报告。",
        subcommands: [Record.self, Report.self, Show.self], defaultSubcommand: Record.self)

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "登记一次查验（查验、通风或保洁），含检查项、发现的问题和照片。",
            discussion: """
                检查项：\(ChecklistItem.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: " "))
                每项写 ok 或 problem:说明。
                委托代管房屋和空置房屋会生成报告业主的任务，时限：
                有偿委托 4 小时，无偿委托 8 小时，空置房 24 小时。
                示例：butler inspect YS01/3-2-1502 --by E1001 --check gas=ok --check leaks=problem:卫生间渗水 --photo /photos/1.jpg
                """)
        @Argument(help: "房屋编码。") var house: String
        @Option(help: "查验人工号。") var by: String
        @Option(help: ArgumentHelp("查验时间（默认为当前时间）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
        @Option(help: "check（查验）、ventilation（通风）或 cleaning（保洁）。") var kind: InspectionKind = .check
        @Option(help: "发现的问题（多条可重复填写）。") var finding: [String] = []
        @Option(name: .customLong("check"), help: "检查项：ITEM=ok 或 ITEM=problem:说明（ITEM 为检查项代码，可重复）。") var checks: [String] = []
        @Option(help: "照片文件路径或 URL（可重复）。") var photo: [String] = []
        @OptionGroup var output: OutputOptions

        func validate() throws {
            for item in checks where ChecklistEntry(argument: item) == nil {
                throw ValidationError("--check '\(item)': use ITEM=ok or ITEM=problem:NOTE with ITEM one of \(ChecklistItem.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        }

        func run() throws {
            let checklist = checks.compactMap(ChecklistEntry.init(argument:))
            let result = try withDatabase { db in
                try Records(db: db).inspect(house: house, kind: kind, by: by, at: at?.date, findings: finding, checklist: checklist, photos: photo)
            }
            try printRecord(result, json: output.json, what: house, label: kind.label)
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "登记查验报告已告知业主。",
            discussion: "示例：butler inspect report 12 --channel wechat --by E1001")
        @Argument(help: "查验编号。") var id: Int
        @Option(help: ArgumentHelp("告知时间（默认为当前时间）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
        @Option(help: "告知方式：phone（电话）、wechat（微信）或 sms（短信）。") var channel: String
        @Option(help: "操作人工号。") var by: String?
        func run() throws {
            try withDatabase { db in try InspectionReports(db: db).report(id, at: at?.date ?? Date(), channel: channel, by: by) }
            print("查验 #\(id) 的报告已告知业主（\(InspectionReport.channelLabel(channel))）")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "打印管家发给业主的查验报告文本。", discussion: "示例：butler inspect show 12")
        @Argument(help: "查验编号。") var id: Int
        @OptionGroup var output: OutputOptions
        func run() throws {
            let report = try withDatabase { db in try InspectionReports(db: db).show(id) }
            if output.json { return try printJSON(report) }
            print(report.text)
            print(report.reported_at.map { "已于 \($0) 通过\(InspectionReport.channelLabel(report.channel ?? ""))报告业主" } ?? "尚未报告业主")
        }
    }
}
