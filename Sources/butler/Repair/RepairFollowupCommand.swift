import ArgumentParser
import ButlerStore
import Foundation

struct RepairFollowupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followup", abstract: "记录回访及业主评分 1-5（4-5 为满意）。",
        discussion: "示例：butler repair followup 12 --by E9001 --rating 5 --note 很满意")
    @Argument(help: "报修单编号。") var id: Int
    @Option(help: "回访的客服坐席工号（回访只由客服中心完成）。") var by: String
    @Option(help: "评分 1-5。") var rating: Int
    @Option(help: "备注。") var note = ""
    @Option(help: ArgumentHelp("发生时间（默认现在）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let order = try withDatabase { db in
            try RepairStore(db: db, now: Date(), technicianLateness: nil).followup(id, rating: rating, note: note, by: by, at: at?.date)
        }
        try printRepair(order, json: output.json, "报修单 #\(id) 已回访，评分 \(rating)（\(rating >= 4 ? "满意" : "不满意")）")
    }
}
