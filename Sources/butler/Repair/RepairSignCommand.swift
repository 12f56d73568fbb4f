import ArgumentParser
import ButlerStore
import Foundation

struct RepairSignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "签收派给自己的报修单（该单维修工）。",
        discussion: "签收后 10 分钟内电话联系业主。\n示例：butler repair sign 12 --by E3001")
    @Argument(help: "报修单编号。") var id: Int
    @Option(help: "维修工工号。") var by: String
    @Option(help: ArgumentHelp("发生时间（默认现在）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let order = try withDatabase { db in try RepairStore(db: db, now: Date(), technicianLateness: nil).sign(id, by: by, at: at?.date) }
        try printRepair(order, json: output.json, "报修单 #\(id) 已签收，联系业主截止 \(shortTime(order.deadlines.contact))")
    }
}
