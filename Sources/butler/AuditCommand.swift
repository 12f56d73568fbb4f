import ArgumentParser
import ButlerCore
import ButlerStore

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "列出客服中心的查询记录，最新的在前。",
        discussion: """
            加 --refused 则列出被拒绝的查询（工号未登记，或该角色无权查询住户）。
            示例：butler audit --since 2026-11-01 --agent E9001
            """)
    @Option(help: ArgumentHelp("只列此日期及以后的查询。", valueName: "YYYY-MM-DD")) var since: Day?
    @Option(help: "只列此坐席的查询。") var agent: String?
    @Option(help: "最多列出多少条。") var limit = 1000
    @Flag(help: "列出被拒绝的查询。") var refused = false
    @OptionGroup var output: OutputOptions

    func run() throws {
        if refused { return try runRefused() }
        let entries = try withDatabase { db in try CallCentre(db: db).audit(since: since, agent: agent, limit: limit) }
        if output.json { return try printJSON(entries) }
        var table = TextTable(["时间", "坐席", "查询", "房屋"])
        for e in entries {
            let shown = e.houses.prefix(3).joined(separator: " ") + (e.houses.count > 3 ? " …(+\(e.houses.count - 3))" : "")
            table.append([String(e.at.prefix(19)).replacingOccurrences(of: "T", with: " "), e.agent, Self.query(e.query), shown])
        }
        print(table.render())
    }

    private func runRefused() throws {
        let entries = try withDatabase { db in try CallCentre(db: db).refusals(since: since, agent: agent, limit: limit) }
        if output.json { return try printJSON(entries) }
        var table = TextTable(["时间", "工号", "查询", "原因"])
        for e in entries {
            table.append([String(e.at.prefix(19)).replacingOccurrences(of: "T", with: " "), e.agent, Self.query(e.query), e.reasonLabel])
        }
        print(table.render())
    }

    /// `phone:13812345678` as `电话 13812345678` (the code stays in --json).
    static func query(_ stored: String) -> String {
        guard let colon = stored.firstIndex(of: ":") else { return stored }
        return LookupQuery.label(kind: String(stored[..<colon])) + " " + stored[stored.index(after: colon)...]
    }
}
