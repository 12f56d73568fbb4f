import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order", abstract: "增值服务订单：桶装水、拎包入住、保洁、维修、托管。",
        discussion: "状态：created 已下单 → scheduled 已预约 → completed 已完成 → followed_up 已回访，\n或 cancelled 已取消。",
        subcommands: [Create.self, Schedule.self, Complete.self, Cancel.self, Followup.self, List.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "创建订单，业绩记在推荐的管家名下。",
            discussion: "产品：water 桶装水、move_in 拎包入住、cleaning 居家保洁、repair 居家维修、\nentrustment 房屋托管。\n示例：butler order create YS01/3-2-1502 --product water --by E1001 --qty 2")
        @Argument(help: "房屋编码。") var house: String
        @Option(help: "产品代码。") var product: String
        @Option(help: "推荐管家的工号。") var by: String
        @Option(help: "数量。") var qty = 1
        @Option(help: ArgumentHelp("预约日期（填写后订单直接为已预约状态）。", valueName: "YYYY-MM-DD")) var scheduled: Day?
        @Option(help: "备注。") var note = ""
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
        static let configuration = CommandConfiguration(abstract: "为订单预约服务日期。", discussion: "示例：butler order schedule 7 --date 2026-11-28")
        @Argument(help: "订单编号。") var id: Int
        @Option(help: ArgumentHelp("预约日期。", valueName: "YYYY-MM-DD")) var date: Day
        @Option(help: "操作人工号。") var by: String?
        func run() throws {
            try withDatabase { db in try OrderStore(db: db).schedule(id, on: date, by: by) }
            print("订单 #\(id) 已预约在 \(date)")
        }
    }

    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "完成订单；随后须回访（默认 8 小时内）。", discussion: "回访时限见标准 service_followup。\n示例：butler order complete 7 --at 2026-11-26T16:00")
        @Argument(help: "订单编号。") var id: Int
        @Option(help: ArgumentHelp("完成时间（默认为当前时间）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
        @Option(help: "操作人工号。") var by: String?
        func run() throws {
            try withDatabase { db in try OrderStore(db: db).complete(id, at: at?.date ?? Date(), by: by) }
            print("订单 #\(id) 已完成，待回访")
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "取消订单。", discussion: "示例：butler order cancel 7 --reason 业主取消")
        @Argument(help: "订单编号。") var id: Int
        @Option(help: "取消原因。") var reason: String
        @Option(help: "操作人工号。") var by: String?
        func run() throws {
            try withDatabase { db in try OrderStore(db: db).cancel(id, reason: reason, by: by) }
            print("订单 #\(id) 已取消")
        }
    }

    struct Followup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "登记回访电话及客户评分。", discussion: "示例：butler order followup 7 --rating 5 --note 满意")
        @Argument(help: "订单编号。") var id: Int
        @Option(help: ArgumentHelp("回访时间（默认为当前时间）。", valueName: "YYYY-MM-DDTHH:MM")) var at: RecordTime?
        @Option(help: "评分，1 到 5。") var rating: Int
        @Option(help: "备注。") var note = ""
        @Option(help: "操作人工号。") var by: String?
        func run() throws {
            try withDatabase { db in try OrderStore(db: db).followUp(id, at: at?.date ?? Date(), rating: rating, note: note, by: by) }
            print("订单 #\(id) 已回访")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出订单，最新的在前。", discussion: "示例：butler order list --butler E1001 --status completed")
        @Option(help: "只看该房屋的订单。") var house: String?
        @Option(help: "只看业绩记在该管家名下的订单。") var butler: String?
        @Option(help: "只看该状态的订单。") var status: OrderStatus?
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
