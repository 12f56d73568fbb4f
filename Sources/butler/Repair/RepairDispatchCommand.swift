import ArgumentParser
import ButlerStore
import Foundation

struct RepairDispatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch", abstract: "把待派工的报修单派给本项目的维修工。",
        discussion: "维修工须在派工后 15 分钟内签收。\n示例：butler repair dispatch 12 --to E3001 --by E9001")
    @Argument(help: "报修单编号。") var id: Int
    @Option(help: "维修工工号。") var to: String
    @Option(help: "派工人工号。") var by: String
    @Option(help: ArgumentHelp("发生时间（默认现在）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let order = try withDatabase { db in try RepairStore(db: db, now: Date(), technicianLateness: nil).dispatch(id, to: to, by: by, at: at?.date) }
        try printRepair(order, json: output.json, "报修单 #\(id) 已派给 \(to)，签收截止 \(shortTime(order.deadlines.sign))")
    }
}
