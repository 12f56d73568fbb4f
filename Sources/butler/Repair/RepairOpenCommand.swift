import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct RepairOpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "为房屋开报修单（客服；项目经理限本项目）。",
        discussion: """
            类别：\(RepairCategory.allCases.map(\.rawValue).joined(separator: ", "))。
            示例：butler repair open YS01/3-2-1502 --by E9001 --category water --description 厨房水管漏水 --caller 13900000001
            """)
    @Argument(help: "房屋编码。") var house: String
    @Option(help: "接电人工号。") var by: String
    @Option(help: "报修类别。") var category: RepairCategory
    @Option(help: "报修内容（业主所述）。") var description: String
    @Option(help: "来电号码。") var caller: String?
    @Option(help: "来源：phone、wechat 或 app（默认 phone）。") var source: RepairSource = .phone
    @Flag(help: "复杂问题：3 个工作日内完工，而非当日。") var complex = false
    @Option(help: ArgumentHelp("发生时间（默认现在）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let opening = RepairOpening(house: house, category: category, description: description, caller: caller, source: source,
                                    complex: complex)
        let order = try withDatabase { db in try RepairStore(db: db, now: Date(), technicianLateness: nil).open(opening, by: by, at: at?.date) }
        try printRepair(order, json: output.json, "已开单 #\(order.id)（维修：\(category.label)\(complex ? "，复杂问题" : "")），"
                        + "完工截止 \(shortTime(order.deadlines.complete))；待派工或抢单（接单截止 \(shortTime(order.deadlines.claim))）")
    }
}
