import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

extension TouchpointKind: ExpressibleByArgument {}
extension InspectionKind: ExpressibleByArgument {}

/// `--at` times: ISO 8601, Asia/Shanghai when no offset is given.
struct RecordTime: ExpressibleByArgument {
    let date: Date
    init?(argument: String) {
        guard let date = Timestamp.parse(argument) else { return nil }
        self.date = date
    }
}

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "China's official work calendar: holidays and adjusted working days.",
        subcommands: [Import.self, Show.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a year's official schedule (CSV date,kind,holiday or holiday-cn JSON).",
            discussion: "Replaces the years the file holds. Example: butler calendar import 2027.json")
        @Argument(help: "The file.") var file: String
        func run() throws {
            let years = try withDatabase { db in try CalendarStore(db: db).importFile(path: file) }
            print("loaded \(years.map(String.init).joined(separator: ", "))")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a year's holidays and adjusted working days.", discussion: "Example: butler calendar show 2026")
        @Argument(help: "The year.") var year: Int
        @OptionGroup var output: OutputOptions

        struct Shown: Encodable {
            let year: Int
            let official: Bool
            let holidays: [Holiday]
            let adjusted_working_days: [Day]
            let working_days: Int
        }

        func run() throws {
            let calendar = try withDatabase { db in try CalendarStore(db: db).load() }
            let official = calendar.hasOfficialSchedule(year: year)
            if !official {
                printError("warning: no official schedule for \(year); showing the statutory holidays without adjusted working days (load one with butler calendar import)")
            }
            let days = (1...12).compactMap { YearMonth(year: year, month: $0) }.reduce(0) { $0 + calendar.workingDays(in: $1).count }
            let shown = Shown(year: year, official: official, holidays: calendar.holidays(in: year),
                              adjusted_working_days: calendar.adjustedWorkingDays(in: year), working_days: days)
            if output.json { return try printJSON(shown) }
            var table = TextTable(["节假日", "自", "至", "天数"])
            for h in shown.holidays { table.append([h.name, h.first.description, h.last.description, String(h.days.count)]) }
            print(table.render())
            print("调休上班: " + (shown.adjusted_working_days.isEmpty ? "无" : shown.adjusted_working_days.map(\.description).joined(separator: " ")))
            print("\(year) working days: \(days)\(official ? "" : " (statutory fallback)")")
        }
    }
}

struct StandardsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standards", abstract: "The frequency standards the planner follows.",
        subcommands: [List.self, Set.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the standards.", discussion: "Example: butler standards list --json")
        @OptionGroup var output: OutputOptions
        func run() throws {
            let all = try withDatabase { db in try StandardsStore(db: db).all() }
            if output.json { return try printJSON(all) }
            var table = TextTable(["代码", "名称", "频次", "优先级", "启用", "来源"])
            for s in all { table.append([s.code, s.name, s.cadence, String(s.priority), s.enabled ? "是" : "否", s.source]) }
            print(table.render())
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tune a standard.", discussion: "Example: butler standards set care_visit --interval-days 7")
        @Argument(help: "Standard code.") var code: String
        @Option(help: "How many per period.") var perPeriod: Int?
        @Option(help: "Working days allowed or of lead.") var workingDays: Int?
        @Option(help: "Days between repeats.") var intervalDays: Int?
        @Option(help: "Deadline in hours after the act.") var deadlineHours: Int?
        @Option(help: "Priority 1 (highest) to 5.") var priority: Int?
        @Option(help: "true or false.") var enabled: Bool?
        func run() throws {
            try withDatabase { db in
                try StandardsStore(db: db).set(code: code, perPeriod: perPeriod, workingDays: workingDays, intervalDays: intervalDays,
                                               deadlineHours: deadlineHours, priority: priority, enabled: enabled)
            }
            print("updated \(code)")
        }
    }
}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Materialize tasks for every grid for a day; safe to run again.",
        discussion: "Example: butler plan --date 2026-12-01")
    @Option(help: "The day (default: today in Asia/Shanghai).") var date: Day?
    @OptionGroup var output: OutputOptions
    func run() throws {
        let report = try withDatabase { db in try Planner(db: db).plan(date: date ?? Day.today()) }
        if output.json { return try printJSON(report) }
        print("planned \(report.date): \(report.created) tasks created, \(report.completed) completed by records")
        for (code, n) in report.byStandard.sorted(by: { $0.key < $1.key }) { print("  \(code): \(n)") }
    }
}

struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks", abstract: "A butler's daily task list, as planned (reading it writes nothing).",
        discussion: """
            Overdue first, then priority, due and house. Days are planned by the daily job (butler jobs run, \
            or butler serve) or by butler plan --date D. A past day that was not planned shows what exists; \
            a future day (up to \(DailyList.previewDays) days ahead) adds a preview of what planning would \
            create ("preview": true in --json).
            Example: butler tasks --butler E1001 --date 2026-11-26 --json
            """)
    @Option(help: "Employee number of the butler.") var butler: String
    @Option(help: "The day (default: today).") var date: Day?
    @OptionGroup var output: OutputOptions
    func run() throws {
        let list = try withDatabase { db in try DailyListStore(db: db).list(butler: butler, on: date ?? Day.today()) }
        if output.json { return try printJSON(list.tasks) }
        print("\(list.name)（\(list.butler)）\(list.date) 待办")
        if list.tasks.contains(where: \.preview) {
            print("注：标 * 的任务为预览（该日尚未生成计划，按标准推算，未保存）")
        } else if !list.planned {
            print("注：该日未生成计划，仅显示已有任务（补生成：butler plan --date \(list.date)）")
        }
        var table = TextTable(["#", "状态", "任务", "房屋", "截止", "说明"])
        let labels = ["overdue": "逾期", "open": "待办", "done": "已完成"]
        for t in list.tasks {
            table.append([t.preview ? "*" : t.id, labels[t.status] ?? t.status, t.title, t.house ?? t.grid ?? "—",
                          String(t.due.prefix(16)).replacingOccurrences(of: "T", with: " "), t.reason])
        }
        print(table.render())
        let counts = Dictionary(grouping: list.tasks, by: \.standard).map { "\($0.key) \($0.value.count)" }.sorted()
        let overdue = list.tasks.filter { $0.status == "overdue" }.count
        print("\(list.tasks.count) tasks, \(overdue) overdue: \(counts.joined(separator: ", "))")
    }
}

private func printRecord(_ result: RecordResult, json: Bool, what: String) throws {
    if json { return try printJSON(result) }
    print(result.id)
    if !result.completedTasks.isEmpty { printError("completed task(s) \(result.completedTasks.map(String.init).joined(separator: ", "))") }
    if result.outsideOwnGrids { printError("note: \(what) is outside your grids on that date (recorded anyway)") }
}

struct TouchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "touch", abstract: "Record a touchpoint with a household (call, visit, complaint, opinion...).",
        discussion: "Kinds: \(TouchpointKind.allCases.map(\.rawValue).joined(separator: ", ")). Example: butler touch YS01/3-2-1502 --kind visit --by E1001 --note 入住走访")
    @Argument(help: "House code.") var house: String
    @Option(help: "Kind of contact.") var kind: TouchpointKind
    @Option(help: "Employee number of who made it.") var by: String
    @Option(help: "When (default now).") var at: RecordTime?
    @Option(help: "What was said or done.") var note = ""
    @Option(help: "Complaint level: 1 mayor's hotline/regulator/media, 2 district or repeated, 3 service lapse (default 3).")
    var level: Int?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let level, ComplaintLevel(rawValue: level) == nil { throw ValidationError("--level must be 1, 2 or 3.") }
    }

    func run() throws {
        let result = try withDatabase { db in
            try Records(db: db).touch(house: house, kind: kind, by: by, at: at?.date, note: note,
                                      level: level.flatMap(ComplaintLevel.init(rawValue:)))
        }
        try printRecord(result, json: output.json, what: house)
        if let complaint = result.complaint, !output.json { printError("complaint \(complaint) open (close with: butler complaint close \(complaint) --result ...)") }
    }
}

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Record inspections of entrusted or vacant houses, and their reports to owners.",
        subcommands: [Record.self, Report.self, Show.self], defaultSubcommand: Record.self)

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an inspection (check, ventilation, cleaning) with checklist, findings and photos.",
            discussion: """
                Checklist items: \(ChecklistItem.allCases.map(\.rawValue).joined(separator: ", ")), each ok or problem:NOTE.
                Entrusted and vacant houses get a report task: 4 h (paid), 8 h (unpaid), 24 h (vacant).
                Example: butler inspect YS01/3-2-1502 --by E1001 --check gas=ok --check leaks=problem:卫生间渗水 --photo /photos/1.jpg
                """)
        @Argument(help: "House code.") var house: String
        @Option(help: "Employee number.") var by: String
        @Option(help: "When (default now).") var at: RecordTime?
        @Option(help: "check, ventilation or cleaning.") var kind: InspectionKind = .check
        @Option(help: "A finding (repeat for several).") var finding: [String] = []
        @Option(name: .customLong("check"), help: "A checklist item: ITEM=ok or ITEM=problem:NOTE (repeat).") var checks: [String] = []
        @Option(help: "A photo file path or URL (repeat).") var photo: [String] = []
        @OptionGroup var output: OutputOptions

        func validate() throws {
            for item in checks where ChecklistEntry(argument: item) == nil {
                throw ValidationError("--check '\(item)': use ITEM=ok or ITEM=problem:NOTE with ITEM one of \(ChecklistItem.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        }

        func run() throws {
            let checklist = checks.compactMap(ChecklistEntry.init(argument:))
            let result = try withDatabase { db in
                try Records(db: db).inspect(house: house, kind: kind, by: by, at: at?.date, findings: finding, checklist: checklist, photos: photo)
            }
            try printRecord(result, json: output.json, what: house)
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that the inspection report reached the owner.",
            discussion: "Example: butler inspect report 12 --channel wechat --by E1001")
        @Argument(help: "Inspection id.") var id: Int
        @Option(help: "When (default now).") var at: RecordTime?
        @Option(help: "phone, wechat or sms.") var channel: String
        @Option(help: "Employee number.") var by: String?
        func run() throws {
            try withDatabase { db in try InspectionReports(db: db).report(id, at: at?.date ?? Date(), channel: channel, by: by) }
            print("inspection \(id) reported by \(channel)")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the report text a butler sends the owner.", discussion: "Example: butler inspect show 12")
        @Argument(help: "Inspection id.") var id: Int
        @OptionGroup var output: OutputOptions
        func run() throws {
            let report = try withDatabase { db in try InspectionReports(db: db).show(id) }
            if output.json { return try printJSON(report) }
            print(report.text)
            print(report.reported_at.map { "已于 \($0) 通过 \(report.channel ?? "") 报告业主" } ?? "尚未报告业主")
        }
    }
}

struct PatrolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrol", abstract: "Record a grid patrol; completes the grid's oldest open patrol task.",
        discussion: "Example: butler patrol YS01-G01 --by E1001 --note 消防通道畅通")
    @Argument(help: "Grid code.") var grid: String
    @Option(help: "Employee number.") var by: String
    @Option(help: "When (default now).") var at: RecordTime?
    @Option(help: "Problems seen.") var note = ""
    @OptionGroup var output: OutputOptions
    func run() throws {
        let result = try withDatabase { db in try Records(db: db).patrol(grid: grid, by: by, at: at?.date, note: note) }
        try printRecord(result, json: output.json, what: grid)
    }
}

struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task", abstract: "Act on one task.", subcommands: [Done.self])

    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a task done that no other record completes (key inventory, monthly summary...).",
            discussion: "Example: butler task done 42 --by E1001 --note 钥匙 12 把齐全")
        @Argument(help: "Task id.") var id: Int
        @Option(help: "Employee number.") var by: String
        @Option(help: "When (default now).") var at: RecordTime?
        @Option(help: "Note.") var note: String?
        func run() throws {
            try withDatabase { db in try Records(db: db).done(task: id, by: by, at: at?.date, note: note) }
            print("task \(id) done")
        }
    }
}
