import ArgumentParser
import ButlerCore
import ButlerStore

struct LookupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "客服中心查询：按电话、房号或姓名查住户。",
        discussion: """
            电话可带 +86、空格和连字符；姓名按全名或开头匹配。除非加 --reveal，电话均打码显示。\
            最多显示前 \(LookupPage.defaultLimit) 户，并说明共匹配多少户。每次查询都记入审计日志（butler audit）。
            示例：butler lookup --phone "+86 138-1234-5678" --agent E9001
            """)
    @Option(help: "来电号码。") var phone: String?
    @Option(help: "房号（例如 YS01/3-2-1502）。") var house: String?
    @Option(help: "住户姓名或姓名开头。") var name: String?
    @Option(help: "查询坐席的工号（记入审计日志）。") var agent: String
    @Flag(help: "显示完整电话号码（同样审计）。") var reveal = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        do {
            _ = try LookupQuery(phone: phone, house: house, name: name)
        } catch let error as ButlerError {
            throw ValidationError(error.cliMessage)
        }
    }

    func run() throws {
        let result = try withDatabase { db in
            try CallCentre(db: db).lookup(try LookupQuery(phone: phone, house: house, name: name), agent: agent, reveal: reveal)
        }
        if output.json { return try printJSON(result) }
        print(Self.render(result))
    }

    /// The lookup as text: one block per household, then what was left out.
    static func render(_ result: LookupResult) -> String {
        guard !result.houses.isEmpty else {
            let searched = "\(LookupQuery.label(kind: result.query.kind)) \(result.query.value)"
            return result.total == 0 ? "未找到\(searched) 对应的住户" : (result.truncationNote ?? "")
        }
        var blocks = result.houses.map { render(HouseholdCardView($0)) }
        if let note = result.truncationNote { blocks.append(note) }
        return blocks.joined(separator: "\n\n")
    }

    /// One household card as text (the screen-pop page renders the same view model as HTML).
    static func render(_ card: HouseholdCardView) -> String {
        var lines = ["\(card.house)  \(card.project)  \(card.occupancy)",
                     "  网格 \(card.grid)  网格电话 \(card.gridPhone)  管家 \(card.butler)  待办 \(card.openTasks)  欠费 \(card.inArrears)"]
        if let e = card.entrustment {
            lines.append("  委托代管 \(e.kind) \(e.period) 钥匙 \(e.keys) 把")
        }
        var residents = TextTable(["住户", "身份", "电话", "标签"])
        for r in card.residents {
            residents.append([r.name, r.role, r.phone, r.tags])
        }
        lines += residents.render().split(separator: "\n").map { "  " + $0 }
        // A terminal shows the five newest contacts; the page shows all the card carries.
        lines += card.recent.prefix(5).map { "  \($0.at)  \($0.kind)  \($0.note)" }
        return lines.joined(separator: "\n")
    }
}
