import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct RepairShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "查看一张报修单：各阶段截止时间、超时及经过（谁在何时做了什么）。",
        discussion: "示例：butler repair show 12 --json")
    @Argument(help: "报修单编号。") var id: Int
    @OptionGroup var output: OutputOptions

    func run() throws {
        let order = try withDatabase { db in try RepairStore(db: db, now: Date(), technicianLateness: nil).show(id) }
        if output.json { return try printJSON(order) }
        let category = RepairCategory(rawValue: order.category)?.label ?? order.category
        let status = RepairStatus(rawValue: order.status)?.label ?? order.status
        print("报修单 #\(order.id) \(order.house) \(category)\(order.complex ? "（复杂）" : "") \(status)"
              + "，维修工 \(order.technician ?? "—")\(order.round > 0 ? "，返修 \(order.round) 次" : "")")
        print("报修内容：\(order.description)")
        let d = order.deadlines
        print("截止：接单 \(shortTime(d.claim))，签收 \(shortTime(d.sign))，联系 \(shortTime(d.contact))，完工 \(shortTime(d.complete))，回访 \(shortTime(d.followup))")
        if !order.breaches.isEmpty {
            print("超时：" + order.breaches.map { RepairStage(rawValue: $0)?.label ?? $0 }.joined(separator: "、"))
        }
        if let reason = order.delay_reason { print("延期原因：\(reason)") }
        if let rating = order.rating { print("评分：\(rating)") }
        var table = TextTable(["时间", "经办", "事件", "说明"])
        for e in order.events ?? [] {
            table.append([shortTime(e.at), e.by, RepairEventKind(rawValue: e.kind)?.label ?? e.kind, Self.detail(e.detail)])
        }
        print(table.render())
    }

    /// An event's detail as people read it (the codes and keys stay in `--json`).
    static func detail(_ detail: [String: String]) -> String {
        detail.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.compactMap { key, value in
            switch key {
            case "category": "类别 " + (RepairCategory(rawValue: value)?.label ?? value)
            case "complex": value == "true" ? "复杂" : nil
            case "to": "派给 \(value)"
            case "appointment": "预约 " + shortTime(value)
            case "reason": "原因：\(value)"
            case "photos": "照片 \(value)"
            case "note": "备注：\(value)"
            case "rating": "评分 \(value)"
            case "imported": "导入单号 \(value)"
            default: "\(key)=\(value)"
            }
        }.joined(separator: "  ")
    }
}
