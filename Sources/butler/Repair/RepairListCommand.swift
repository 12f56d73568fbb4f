import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct RepairListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "按房屋列出报修单，新单在前。",
        discussion: "示例：butler repair list --project YS01 --breached --json")
    @Option(help: "只看该项目（项目编码）。") var project: String?
    @Option(help: "只看该状态。") var status: RepairStatus?
    @Flag(help: "只看有超时的报修单。") var breached = false
    @OptionGroup var output: OutputOptions

    func run() throws {
        let orders = try withDatabase { db in
            try RepairStore(db: db, now: Date(), technicianLateness: nil).list(RepairFilter(project: project, status: status, breached: breached))
        }
        if output.json { return try printJSON(orders) }
        guard !orders.isEmpty else { return print("没有符合条件的报修单。") }
        var table = TextTable(["#", "房屋", "类别", "状态", "维修工", "开单", "完工截止", "超时"])
        for o in orders {
            table.append([String(o.id), o.house, RepairCategory(rawValue: o.category)?.label ?? o.category,
                          RepairStatus(rawValue: o.status)?.label ?? o.status, o.technician ?? "—", shortTime(o.opened_at),
                          shortTime(o.deadlines.complete),
                          o.breaches.map { RepairStage(rawValue: $0)?.label ?? $0 }.joined(separator: "、")])
        }
        print(table.render())
    }
}
