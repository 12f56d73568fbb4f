import ArgumentParser
import ButlerStore
import Foundation

extension ImportKind: ExpressibleByArgument {}
extension FileEncoding: ExpressibleByArgument {}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "从 CSV 导入项目、员工、房屋、住户、网格、委托、接触记录、查验记录、欠费快照或报修历史。",
        discussion: """
            文件编码为 UTF-8（有无 BOM 均可）或 GB18030，第 1 行为表头。先检查每一行；\
            只要有错，什么都不导入，并一次列出全部问题（文件:行: 列: 说明）。\
            同一文件重复导入不会改变任何数据（按自然键更新）。
            各类文件的列：
            \(columnList)
            报修历史（repairs）：每行一张报修单，按其最终状态写入，连同时间线、各轮次和超时记录\
            （按工单时限和官方日历，在截止那一分钟记下，与每分钟的截止巡检相同），但不生成升级任务；\
            尚未到期的环节留给截止巡检。number 为原系统单号：重复导入不新增；\
            单号已导入但内容不同的行被拒绝（历史不会被覆盖）。维修工须为房屋所在项目的维修工；\
            开单人、回访人须为客服坐席或该项目经理（派工、回访、返修记在 followed_up_by 名下，\
            未填则记在 opened_by 名下）。时间依次不早于前一步，且不晚于导入时刻。\
            reopens 列出最后一轮之前的各轮，以 ; 分隔，每轮为 \
            completed_at|followed_up_at|rating|reopened_at（回访时间与评分可同时留空）。
            示例：butler import houses houses.csv
            示例：butler import repairs repairs.csv
            """
    )

    /// One line per kind, from `ImportKind.columns` (optional columns in brackets).
    static var columnList: String {
        let notes: [ImportKind: String] = [.grids: "(one row per building or unit)", .inspections: "(findings separated by ;)",
                                       .arrears: "(period YYYY-MM; amounts in yuan, at most 2 decimals)",
                                           .repairs: "(one row per order; photos separated by ;)"]
        let width = ImportKind.allCases.map(\.rawValue.count).max() ?? 0
        return ImportKind.allCases.map { kind in
            let required = kind.columns.filter { !kind.optionalColumns.contains($0) }.joined(separator: ",")
            let optional = kind.optionalColumns.map { "[,\($0)]" }.joined()
            let name = kind.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            return ["  \(name)  \(required)\(optional)", notes[kind]].compactMap { $0 }.joined(separator: "   ")
        }.joined(separator: "\n")
    }

    @Argument(help: "文件内容的类型：\(ImportKind.allCases.map(\.rawValue).joined(separator: ", "))。")
    var kind: ImportKind

    @Argument(help: "CSV 文件。")
    var file: String

    @Option(help: "指定文件编码（utf8 或 gb18030），不自动识别。")
    var encoding: FileEncoding?

    @OptionGroup var output: OutputOptions

    func run() throws {
        let report = try withDatabase(unlimitedStatements: true) { db in
            let table = try CSVTable.read(path: file, encoding: encoding)
            return try Importer(db: db, now: Date(), progress: printError).run(kind, table: table)
        }
        if output.json { return try printJSON(report) }
        let unit = kind == .grids ? "个网格" : "行"
        print("\(report.file)：\(report.rows) \(unit)（\(report.encoding)）：新增 \(report.inserted)，更新 \(report.updated)，未变 \(report.unchanged)")
    }
}
