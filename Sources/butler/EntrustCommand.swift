import ArgumentParser
import ButlerCore
import ButlerStore

struct EntrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entrust",
        abstract: "登记委托代管：业主把房屋委托给管家代管。",
        discussion: "同一房屋的委托期不能重叠，重叠的会被拒绝。\n示例：butler entrust YS01/3-2-1502 --kind paid --from 2026-12-01 --keys 2")
    @Argument(help: "房屋编码（项目/楼栋-单元-房号，如 YS01/3-2-1502）。") var house: String
    @Option(help: "unpaid 无偿委托（每月查验）或 paid 有偿委托（通风、保洁、查验）。") var kind: EntrustmentKind
    @Option(help: ArgumentHelp("起始日期。", valueName: "YYYY-MM-DD")) var from: Day
    @Option(help: ArgumentHelp("结束日期（不填则不设结束日期）。", valueName: "YYYY-MM-DD")) var to: Day?
    @Option(help: "代管的钥匙数量。") var keys = 0
    @OptionGroup var output: OutputOptions

    func run() throws {
        let id = try withDatabase { db in try EntrustmentStore(db: db).entrust(house: house, kind: kind, from: from, to: to, keys: keys) }
        if output.json { return try printJSON(["id": id]) }
        print(id)
    }
}
