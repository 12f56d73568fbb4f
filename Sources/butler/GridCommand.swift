import ArgumentParser
import ButlerCore
import ButlerStore

extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

struct GridCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid",
        abstract: "Draw grids, assign butlers, list grids and their history.",
        subcommands: [Create.self, Cover.self, Assign.self, List.self, History.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a grid with its service phone (the phone stays when the butler changes).",
            discussion: "Example: butler grid create YS01-G03 --project YS01 --name 3号片区 --phone 0571-88886666")
        @Argument(help: "Grid code, unique in the company (e.g. YS01-G03).") var code: String
        @Option(help: "Project code.") var project: String
        @Option(help: "Grid name shown to people.") var name: String
        @Option(help: "The grid's service phone.") var phone: String

        func run() throws {
            let id = try withDatabase { db in try GridStore(db: db).create(code: code, project: project, name: name, phone: phone) }
            print("已创建网格 \(code)（#\(id)）")
        }
    }

    struct Cover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add the houses of a building (or one unit) to a grid.",
            discussion: "Houses already in another grid are refused unless --move. Example: butler grid cover YS01-G03 --building 3 --unit 2")
        @Argument(help: "Grid code.") var code: String
        @Option(help: "Building.") var building: String
        @Option(help: "Only this unit of the building.") var unit: String?
        @Flag(help: "Move houses that are in another grid into this one.") var move = false

        func run() throws {
            let result = try withDatabase { db in try GridStore(db: db).cover(grid: code, building: building, unit: unit, move: move) }
            print("\(code)：新增 \(result.added) 户，从其他网格移入 \(result.moved) 户，原已在本网格 \(result.alreadyInGrid) 户")
        }
    }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign a butler to a grid from a date; the previous assignment ends the day before.",
            discussion: """
                --from may be in the past, but must come after the start of the grid's latest assignment \
                (history is not rewritten); the same start date corrects the butler of that assignment.
                Example: butler grid assign YS01-G03 --butler E1002 --from 2026-12-01
                """)
        @Argument(help: "Grid code.") var code: String
        @Option(help: "Employee number of the butler.") var butler: String
        @Option(help: ArgumentHelp("First day of the assignment (YYYY-MM-DD).", valueName: "YYYY-MM-DD")) var from: Day

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
            abstract: "List grids with today's butler, phone and number of houses.",
            discussion: "Example: butler grid list --project YS01 --json")
        @Option(help: "Only this project.") var project: String?
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
            abstract: "Who served a grid, oldest first.",
            discussion: "Example: butler grid history YS01-G03")
        @Argument(help: "Grid code.") var code: String
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
