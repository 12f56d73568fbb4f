import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

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
        @Option(help: ArgumentHelp("Scheduled day (the order starts as scheduled).", valueName: "YYYY-MM-DD")) var scheduled: Day?
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
        @Option(help: ArgumentHelp("The day.", valueName: "YYYY-MM-DD")) var date: Day
        @Option(help: "Employee number.") var by: String?
        func run() throws {
            try withDatabase { db in try OrderStore(db: db).schedule(id, on: date, by: by) }
            print("订单 #\(id) 已预约在 \(date)")
        }
    }

    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Complete an order; a follow-up is due 8 hours later.", discussion: "Example: butler order complete 7 --at 2026-11-26T16:00")
        @Argument(help: "Order id.") var id: Int
        @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
        @Option(help: "Employee number.") var by: String?
        func run() throws {
            try withDatabase { db in try OrderStore(db: db).complete(id, at: at?.date ?? Date(), by: by) }
            print("订单 #\(id) 已完成，待回访")
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel an order.", discussion: "Example: butler order cancel 7 --reason 业主取消")
        @Argument(help: "Order id.") var id: Int
        @Option(help: "Why.") var reason: String
        @Option(help: "Employee number.") var by: String?
        func run() throws {
            try withDatabase { db in try OrderStore(db: db).cancel(id, reason: reason, by: by) }
            print("订单 #\(id) 已取消")
        }
    }

    struct Followup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the follow-up call with the customer's rating.", discussion: "Example: butler order followup 7 --rating 5 --note 满意")
        @Argument(help: "Order id.") var id: Int
        @Option(help: ArgumentHelp("When (default now).", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
        @Option(help: "Rating 1-5.") var rating: Int
        @Option(help: "Note.") var note = ""
        @Option(help: "Employee number.") var by: String?
        func run() throws {
            try withDatabase { db in try OrderStore(db: db).followUp(id, at: at?.date ?? Date(), rating: rating, note: note, by: by) }
            print("订单 #\(id) 已回访")
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
                table.append([String(o.id), o.house, o.product_name, String(o.quantity), Fen.yuan(o.amount_fen), o.recommended_by,
                              OrderStatus(rawValue: o.status)?.label ?? o.status, String(o.created_at.prefix(16)).replacingOccurrences(of: "T", with: " ")])
            }
            print(table.render())
        }
    }
}
