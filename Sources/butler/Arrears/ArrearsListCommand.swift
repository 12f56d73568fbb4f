import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct ArrearsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "列出现在欠费的住户（本月以前的月份未缴清），按楼栋、单元、房号排序。",
        discussion: """
            金额只有房屋所在网格的管家和本项目经理可以看：指定查看人（经办人工号）时按其权限筛选，\
            客服坐席和维修工无权查看。本月催缴次数统计本月的催缴电话、催缴信息和催缴函。
            示例：butler arrears list --project YS01 --grid YS01-G03
            """)
    @Option(help: "只看该项目（项目编码）。") var project: String?
    @Option(help: "只看该网格（网格编码）。") var grid: String?
    @Option(help: "查看人工号：按其权限筛选（管家只看今天负责的网格，经理只看本项目）。") var by: String?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let houses = try withDatabase { db in
            try ArrearsStore(db: db, now: Date()).list(project: project, grid: grid,
                                                       as: try by.map { try Scope(db: db, employee: $0).actor })
        }
        if output.json { return try printJSON(houses) }
        guard !houses.isEmpty else { return print("没有欠费的住户。") }
        var table = TextTable(["房屋", "网格", "管家", "欠费月份", "欠费(元)", "本月催缴", "已上报"])
        for h in houses {
            table.append([h.house, h.grid ?? "—", h.butler ?? "未分配", Self.months(h.periods), Fen.yuan(h.owed_fen),
                          String(h.attempts_this_month), h.escalated ? "是" : "否"])
        }
        print(table.render())
        print("共 \(houses.count) 户，欠费合计 \(Fen.yuan(houses.reduce(0) { $0 + $1.owed_fen })) 元")
    }

    /// A few months are listed; a long run is its first and last month and how many (`--json`
    /// lists every one), so one long debtor does not widen the table for every row.
    static func months(_ periods: [String]) -> String {
        guard periods.count > 3, let first = periods.first, let last = periods.last else { return periods.joined(separator: " ") }
        return "\(first) 至 \(last)（共 \(periods.count) 个月）"
    }
}
