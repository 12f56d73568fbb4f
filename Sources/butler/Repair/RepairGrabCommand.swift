import ArgumentParser
import ButlerStore
import Foundation

struct RepairGrabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grab", abstract: "抢单：本项目未派工的报修单，先到先得。",
        discussion: "须在开单后 15 分钟内签收。\n示例：butler repair grab 12 --by E3001")
    @Argument(help: "报修单编号。") var id: Int
    @Option(help: "维修工工号。") var by: String
    @Option(help: ArgumentHelp("发生时间（默认现在）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let order = try withDatabase { db in try RepairStore(db: db, now: Date(), technicianLateness: nil).grab(id, by: by, at: at?.date) }
        try printRepair(order, json: output.json, "抢单成功：报修单 #\(id) 归 \(by)，签收截止 \(shortTime(order.deadlines.sign))")
    }
}
