import ArgumentParser
import ButlerStore
import Foundation

struct RepairDelayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delay", abstract: "登记不能按时完工的原因（该单维修工）。",
        discussion: "截止时间不变。\n示例：butler repair delay 12 --by E3001 --reason 等待配件")
    @Argument(help: "报修单编号。") var id: Int
    @Option(help: "维修工工号。") var by: String
    @Option(help: "原因。") var reason: String
    @Option(help: ArgumentHelp("发生时间（默认现在）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let order = try withDatabase { db in try RepairStore(db: db, now: Date(), technicianLateness: nil).delay(id, reason: reason, by: by, at: at?.date) }
        try printRepair(order, json: output.json, "报修单 #\(id) 已登记延期原因（完工截止仍为 \(shortTime(order.deadlines.complete))）")
    }
}
