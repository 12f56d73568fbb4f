import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct RepairListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "按房屋列出报修单，新单在前。",
        discussion: """
            每页最多 \(RepairPage.maxLimit) 单，默认 \(RepairPage.defaultLimit) 单；没有显示完时，末行说明共多少单、\
            显示的是第几单到第几单，以及如何看下一页。--json 打印 {"orders": [...], "page": {"total", "truncated", \
            "limit", "offset", "next_offset"}}（与 GET /v1/repairs 相同）。
            示例：butler repair list --project YS01 --breached --json
            示例：butler repair list --project YS01 --limit 100 --offset 100
            """)
    @Option(help: "只看该项目（项目编码）。") var project: String?
    @Option(help: "只看该状态。") var status: RepairStatus?
    @Flag(help: "只看有超时的报修单。") var breached = false
    @Option(help: "每页单数（1 到 \(RepairPage.maxLimit)，默认 \(RepairPage.defaultLimit)）。") var limit = RepairPage.defaultLimit
    @Option(help: "跳过前面多少单（从 0 起，翻页用）。") var offset = 0
    @OptionGroup var output: OutputOptions

    func validate() throws {
        do {
            _ = try RepairPage(limit: limit, offset: offset)
        } catch let error as ButlerError {
            throw ValidationError(error.cliMessage)
        }
    }

    func run() throws {
        let list = try withDatabase { db in
            try RepairStore(db: db, now: Date(), technicianLateness: nil).list(
                RepairFilter(project: project, status: status, breached: breached),
                page: try RepairPage(limit: limit, offset: offset))
        }
        if output.json { return try printJSON(list) }
        guard !list.orders.isEmpty else {
            return print(list.page.total == 0 ? "没有符合条件的报修单。" : "共 \(list.page.total) 单，第 \(offset + 1) 单起没有了。")
        }
        var table = TextTable(["#", "房屋", "类别", "状态", "维修工", "开单", "完工截止", "超时"])
        for o in list.orders {
            table.append([String(o.id), o.house, RepairCategory(rawValue: o.category)?.label ?? o.category,
                          RepairStatus(rawValue: o.status)?.label ?? o.status, o.technician ?? "—", shortTime(o.opened_at),
                          shortTime(o.deadlines.complete),
                          o.breaches.map { RepairStage(rawValue: $0)?.label ?? $0 }.joined(separator: "、")])
        }
        print(table.render())
        if let footer = Self.footer(list.page) { print(footer) }
    }

    /// What a page leaves out: `共 120 单，显示第 51–100 单；下一页：--offset 100`.
    static func footer(_ page: Paging) -> String? {
        guard page.truncated else { return nil }
        let first = page.offset + 1, last = min(page.offset + page.limit, page.total)
        let more = page.next_offset.map { "；下一页：加 --offset \($0)（每页单数用 --limit，最多 \(RepairPage.maxLimit)）" } ?? ""
        return "共 \(page.total) 单，显示第 \(first)–\(last) 单" + more
    }
}
