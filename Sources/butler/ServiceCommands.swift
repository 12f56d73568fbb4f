import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

extension OrderStatus: ExpressibleByArgument {}
extension YearMonth: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// Fen as yuan with two decimals, for people.
func yuan(_ fen: Int) -> String {
    let sign = fen < 0 ? "-" : ""
    let v = abs(fen)
    return "\(sign)\(v / 100).\(v % 100 < 10 ? "0" : "")\(v % 100)"
}

struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order", abstract: "Value-added orders: water, move-in package, cleaning, repair, entrustment.",
        discussion: "States: created → scheduled → completed → followed_up, or cancelled.",
        subcommands: [Create.self, Schedule.self, Complete.self, Cancel.self, Followup.self, List.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an order; the recommending butler is credited.",
            discussion: "Products: water, move_in, cleaning, repair, entrustment. Example: butler order create YS01/3-2-1502 --product water --by E1001 --qty 2")
        @Argument(help: "House code.") var house: String
        @Option(help: "Product code.") var product: String
        @Option(help: "Employee number of the recommending butler.") var by: String
        @Option(help: "Quantity.") var qty = 1
        @Option(help: "Scheduled day (the order starts as scheduled).") var scheduled: Day?
        @Option(help: "Note.") var note = ""
        @OptionGroup var output: OutputOptions
        func run() throws {
            let id = try withDatabase { db in
                try OrderStore(db: db).create(house: house, product: product, by: by, quantity: qty, scheduled: scheduled, note: note)
            }
            if output.json { return try printJSON(["id": id]) }
            print(id)
        }
    }

    struct Schedule: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Schedule an order for a day.", discussion: "Example: butler order schedule 7 --date 2026-11-28")
        @Argument(help: "Order id.") var id: Int
        @Option(help: "The day.") var date: Day
        @Option(help: "Employee number.") var by: String?
        func run() throws {
            try withDatabase { db in try OrderStore(db: db).schedule(id, on: date, by: by) }
            print("order \(id) scheduled for \(date)")
        }
    }

    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Complete an order; a follow-up is due 8 hours later (002 #26).", discussion: "Example: butler order complete 7 --at 2026-11-26T16:00")
        @Argument(help: "Order id.") var id: Int
        @Option(help: "When (default now).") var at: RecordTime?
        @Option(help: "Employee number.") var by: String?
        func run() throws {
            try withDatabase { db in try OrderStore(db: db).complete(id, at: at?.date ?? Date(), by: by) }
            print("order \(id) completed")
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel an order.", discussion: "Example: butler order cancel 7 --reason 业主取消")
        @Argument(help: "Order id.") var id: Int
        @Option(help: "Why.") var reason: String
        @Option(help: "Employee number.") var by: String?
        func run() throws {
            try withDatabase { db in try OrderStore(db: db).cancel(id, reason: reason, by: by) }
            print("order \(id) cancelled")
        }
    }

    struct Followup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the follow-up call with the customer's rating.", discussion: "Example: butler order followup 7 --rating 5 --note 满意")
        @Argument(help: "Order id.") var id: Int
        @Option(help: "When (default now).") var at: RecordTime?
        @Option(help: "Rating 1-5.") var rating: Int
        @Option(help: "Note.") var note = ""
        @Option(help: "Employee number.") var by: String?
        func run() throws {
            try withDatabase { db in try OrderStore(db: db).followUp(id, at: at?.date ?? Date(), rating: rating, note: note, by: by) }
            print("order \(id) followed up")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List orders, newest first.", discussion: "Example: butler order list --butler E1001 --status completed")
        @Option(help: "Only this house.") var house: String?
        @Option(help: "Only orders credited to this butler.") var butler: String?
        @Option(help: "Only this status.") var status: OrderStatus?
        @OptionGroup var output: OutputOptions
        func run() throws {
            let orders = try withDatabase { db in try OrderStore(db: db).list(house: house, butler: butler, status: status) }
            if output.json { return try printJSON(orders) }
            var table = TextTable(["#", "房屋", "产品", "数量", "金额(元)", "管家", "状态", "下单时间"])
            for o in orders {
                table.append([String(o.id), o.house, o.product_name, String(o.quantity), yuan(o.amount_fen), o.recommended_by,
                              OrderStatus(rawValue: o.status)?.label ?? o.status, String(o.created_at.prefix(16)).replacingOccurrences(of: "T", with: " ")])
            }
            print(table.render())
        }
    }
}

struct ComplaintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complaint", abstract: "Complaints (opened by `butler touch HOUSE --kind complaint --level N`).",
        subcommands: [Close.self])

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a complaint with its result.", discussion: "Example: butler complaint close 3 --result 已维修，业主满意")
        @Argument(help: "Complaint id.") var id: Int
        @Option(help: "How it was resolved.") var result: String
        @Option(help: "Employee number.") var by: String?
        func run() throws {
            try withDatabase { db in try ComplaintStore(db: db).close(id, result: result, by: by) }
            print("complaint \(id) closed")
        }
    }
}

struct AlertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert", abstract: "Severe-weather alerts: checks of entrusted, then vacant houses.", subcommands: [Weather.self, Close.self])

    struct Weather: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Declare a typhoon/rainstorm alert for a project; checks are due the same day.",
            discussion: "Entrusted houses are priority 1, vacant furnished 2, vacant bare 3. Example: butler alert weather --project YS01 --note 台风")
        @Option(help: "Project code.") var project: String
        @Option(help: "When (default now).") var at: RecordTime?
        @Option(help: "Note.") var note = ""
        @Option(help: "Employee number.") var by: String?
        @OptionGroup var output: OutputOptions
        func run() throws {
            let (id, tasks) = try withDatabase { db in try AlertStore(db: db).weather(project: project, at: at?.date ?? Date(), note: note, by: by) }
            if output.json { return try printJSON(["id": id, "tasks": tasks]) }
            print(id)
            printError("\(tasks) weather checks created")
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close an alert.", discussion: "Example: butler alert close 4")
        @Argument(help: "Alert id.") var id: Int
        @Option(help: "Employee number.") var by: String?
        func run() throws {
            try withDatabase { db in try AlertStore(db: db).close(id, by: by) }
            print("alert \(id) closed")
        }
    }
}

struct HolidayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "holiday", abstract: "Holiday concierge (002 #28).", subcommands: [Arrival.self])

    struct Arrival: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a confirmed arrival: prepare the home the day before, visit the day after.",
            discussion: "Example: butler holiday arrival YS01/3-2-1502 --arrive 2026-12-31 --by E1001")
        @Argument(help: "House code.") var house: String
        @Option(help: "Arrival day.") var arrive: Day
        @Option(help: "Employee number.") var by: String?
        @OptionGroup var output: OutputOptions
        func run() throws {
            let id = try withDatabase { db in try ArrivalStore(db: db).record(house: house, arrive: arrive, by: by) }
            if output.json { return try printJSON(["id": id]) }
            print(id)
        }
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "The manager's monthly view per grid and butler.",
        discussion: "Example: butler report --project YS01 --month 2026-11 --csv > 2026-11.csv")
    @Option(help: "Project code.") var project: String
    @Option(help: "Month (YYYY-MM).") var month: YearMonth
    @Flag(help: "Excel-friendly CSV (UTF-8 with BOM) on stdout.") var csv = false
    @OptionGroup var output: OutputOptions

    func run() throws {
        let report = try withDatabase { db in try MonthlyReportStore(db: db).report(project: project, month: month) }
        if output.json { return try printJSON(report) }
        let header = ["网格", "管家", "应完成", "按时", "逾期完成", "当前逾期", "完成率", "走访", "意见征询", "订单", "收入(元)",
                      "一级投诉", "二级投诉", "三级投诉", "未结投诉", "回访及时率"]
        let rows = report.rows.map { r in
            [r.grid, r.butler.map { "\($0) \(r.butler_name ?? "")" } ?? "未分配", String(r.tasks_due), String(r.done_on_time), String(r.done_late),
             String(r.overdue_now), percent(r.completion_rate), "\(r.visits)/\(r.quota)", "\(r.opinions)/\(r.quota)", String(r.orders),
             yuan(r.revenue_fen), String(r.complaints_level1), String(r.complaints_level2), String(r.complaints_level3),
             String(r.complaints_open), percent(r.followup_rate)]
        }
        if csv {
            func quote(_ s: String) -> String { s.contains(where: { ",\"\n".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
            var text = "\u{FEFF}" + header.map(quote).joined(separator: ",") + "\r\n"
            for row in rows { text += row.map(quote).joined(separator: ",") + "\r\n" }
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        print("\(report.project) \(report.month) 月度报表")
        var table = TextTable(header)
        rows.forEach { table.append($0) }
        print(table.render())
    }

    private func percent(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
}
