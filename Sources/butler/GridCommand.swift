import ArgumentParser
import ButlerCore
import ButlerStore

extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

struct GridCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid",
        abstract: "划分网格、指派管家、查看网格及其历任管家。",
        subcommands: [Create.self, Cover.self, Assign.self, List.self, History.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "创建网格及其服务电话（更换管家时电话不变）。",
            discussion: "示例：butler grid create YS01-G03 --project YS01 --name 3号片区 --phone 0571-88886666")
        @Argument(help: "网格编码，全公司唯一（如 YS01-G03）。") var code: String
        @Option(help: "项目编码。") var project: String
        @Option(help: "网格显示名称。") var name: String
        @Option(help: "网格服务电话。") var phone: String

        func run() throws {
            let id = try withDatabase { db in try GridStore(db: db).create(code: code, project: project, name: name, phone: phone) }
            print("已创建网格 \(code)（#\(id)）")
        }
    }

    struct Cover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "把一栋楼（或其中一个单元）的房屋划入网格。",
            discussion: "已属于其他网格的房屋会被拒绝，除非加 --move。\n示例：butler grid cover YS01-G03 --building 3 --unit 2")
        @Argument(help: "网格编码。") var code: String
        @Option(help: "楼栋。") var building: String
        @Option(help: "只划入该楼栋的这个单元。") var unit: String?
        @Flag(help: "把已属于其他网格的房屋移入本网格。") var move = false

        func run() throws {
            let result = try withDatabase { db in try GridStore(db: db).cover(grid: code, building: building, unit: unit, move: move) }
            print("\(code)：新增 \(result.added) 户，从其他网格移入 \(result.moved) 户，原已在本网格 \(result.alreadyInGrid) 户")
        }
    }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "自某日起指派管家负责网格；上一次指派于前一天结束。",
            discussion: """
                --from 可以是过去的日期，但须晚于该网格最近一次指派的起始日
                （历史不会被改写）；与最近一次指派的起始日相同，则更正那次指派的管家。
                示例：butler grid assign YS01-G03 --butler E1002 --from 2026-12-01
                """)
        @Argument(help: "网格编码。") var code: String
        @Option(help: "管家工号。") var butler: String
        @Option(help: ArgumentHelp("指派的起始日期（YYYY-MM-DD）。", valueName: "YYYY-MM-DD")) var from: Day

        func run() throws {
            let result = try withDatabase { db in try GridStore(db: db).assign(grid: code, butler: butler, from: from) }
            switch result {
            case .assigned: print("\(code)：自 \(from) 起由 \(butler) 负责")
            case .unchanged: print("\(code)：\(butler) 自 \(from) 或更早已在负责，未作改动")
            case .corrected: print("\(code)：自 \(from) 起的指派已更正为 \(butler)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "列出网格及其今天的管家、服务电话和户数。",
            discussion: "示例：butler grid list --project YS01 --json")
        @Option(help: "只列出该项目的网格。") var project: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let grids = try withDatabase { db in try GridStore(db: db).list(project: project) }
            if output.json { return try printJSON(grids) }
            var table = TextTable(["网格", "项目", "名称", "电话", "管家", "户数"])
            for g in grids {
                table.append([g.grid, g.project, g.name, g.phone, g.butler.map { "\($0) \(g.butlerName ?? "")" } ?? "（未分配）", String(g.houses)])
            }
            print(table.render())
            print(grids.isEmpty ? "没有网格（创建：butler grid create）" : "共 \(grids.count) 个网格，\(grids.reduce(0) { $0 + $1.houses }) 户")
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "网格的历任管家，按时间先后排列。",
            discussion: "示例：butler grid history YS01-G03")
        @Argument(help: "网格编码。") var code: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let history = try withDatabase { db in try GridStore(db: db).history(grid: code) }
            if output.json { return try printJSON(history) }
            var table = TextTable(["管家", "姓名", "自", "至"])
            for a in history { table.append([a.butler, a.butlerName, a.from.description, a.to?.description ?? "至今"]) }
            print(table.render())
        }
    }
}
