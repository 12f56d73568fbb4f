import ArgumentParser
import ButlerStore
import Foundation

struct RepairReopenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen", abstract: "返修：把已完工的报修单退回维修工（该单不再算合格）。",
        discussion: "重新计算完工截止时间，如同此刻开单。\n示例：butler repair reopen 12 --by E9001 --reason 仍然漏水")
    @Argument(help: "报修单编号。") var id: Int
    @Option(help: "工号。") var by: String
    @Option(help: "原因。") var reason: String
    @Option(help: ArgumentHelp("发生时间（默认现在）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let order = try withDatabase { db in try RepairStore(db: db, now: Date(), technicianLateness: nil).reopen(id, reason: reason, by: by, at: at?.date) }
        try printRepair(order, json: output.json, "报修单 #\(id) 已返修，退回 \(order.technician ?? "—")，"
                        + "新的完工截止 \(shortTime(order.deadlines.complete))")
    }
}
