import ButlerCore
import ButlerStore
import Foundation

/// What `/me/repairs` shows (issue 16): the technician's open orders and the project's orders
/// to grab, as cards labelled in Chinese; each card carries only the forms its state allows.
/// The templates (ConsoleRepairTemplates.swift) only print.
struct ConsoleRepairView: ScreenPopView.Nonced {
    /// A form the store refused: its message goes above the order's card (or on top when the
    /// order is not on the page), and the card's form keeps what was typed.
    struct Failure: Sendable {
        let order: Int?
        let message: String
        let fields: [String: String]
    }

    struct Card {
        let id: Int
        let house: String
        let category: String
        let complex: Bool
        let description: String
        let status: String
        /// The stage whose deadline runs now (`签收`), its deadline and what is left of it.
        let stage: String
        let due: String
        let left: String
        let breached: Bool
        /// The stages done late so far (`签收、联系业主`).
        let breaches: String?
        let appointment: String?
        let delayReason: String?
        let error: String?
        let canGrab: Bool
        let canSign: Bool
        let canContact: Bool
        let canComplete: Bool
        let canDelay: Bool
        /// What the refused form held, back in its fields.
        let keptAppointment: String
        let keptReason: String
        let keptPhotos: String
        let keptNote: String
    }

    var nonce = ""
    let name: String
    let today: String
    let csrf: String
    let notice: String?
    /// A refusal about an order the page does not show (a colleague's, one grabbed meanwhile).
    let pageError: String?
    let mine: [Card]
    let hasMine: Bool
    /// `共 31 单，显示最急的 20 单` when the technician holds more than the page shows.
    let mineNote: String?
    let open: [Card]
    let hasOpen: Bool
    let openNote: String?
    let empty: Bool

    /// The orders a page shows at most in each list (a phone on a poor connection: < 50 KB).
    static let shownMine = 20
    static let shownOpen = 10

    init(name: String, now: Date, csrf: String, mine: [RepairOrder], mineTotal: Int, open: [RepairOrder],
         notice: String?, failure: Failure?) {
        self.name = name
        today = Day.from(now).description
        self.csrf = csrf
        self.notice = notice
        let cards = { (orders: [RepairOrder]) in orders.map { Self.card($0, now: now, failure: failure) } }
        self.mine = cards(Array(mine.prefix(Self.shownMine)))
        hasMine = !self.mine.isEmpty
        mineNote = mineTotal > self.mine.count ? "共 \(mineTotal) 单，显示时限最近的 \(self.mine.count) 单" : nil
        // The most urgent claim first: an order waits 15 minutes at most (000).
        let urgent = open.sorted { ($0.deadlines.claim, $0.id) < ($1.deadlines.claim, $1.id) }
        self.open = cards(Array(urgent.prefix(Self.shownOpen)))
        hasOpen = !self.open.isEmpty
        openNote = open.count > self.open.count ? "共 \(open.count) 单待抢，显示接单时限最近的 \(self.open.count) 单" : nil
        empty = !hasMine && !hasOpen
        let shown = Set((self.mine + self.open).map(\.id))
        pageError = failure.flatMap { failure in failure.order.map(shown.contains) == true ? nil : failure.message }
    }

    static func card(_ order: RepairOrder, now: Date, failure: Failure?) -> Card {
        let status = RepairStatus(rawValue: order.status) ?? .open
        let (stage, due) = currentStage(order, status)
        let clock = due.flatMap(Timestamp.parse).map { remaining(due: $0, now: now, stage: stage) }
        let failed = failure?.order == order.id ? failure : nil
        let kept = { (field: String) in failed?.fields[field] ?? "" }
        return Card(
            id: order.id, house: order.house, category: RepairCategory(rawValue: order.category)?.label ?? order.category,
            complex: order.complex, description: order.description, status: status.label, stage: stage.label,
            due: ScreenPopView.shortTime(due), left: clock?.text ?? "—", breached: clock?.breached ?? false,
            breaches: order.breaches.isEmpty ? nil : order.breaches.map { RepairStage(rawValue: $0)?.label ?? $0 }.joined(separator: "、"),
            appointment: order.appointment_at.map { ScreenPopView.shortTime($0) }, delayReason: order.delay_reason,
            error: failed?.message,
            canGrab: status == .open && order.technician == nil, canSign: status.next.contains(.signed),
            canContact: status.next.contains(.contacted), canComplete: status.isWithTechnician && status.next.contains(.completed),
            canDelay: status.isWithTechnician,
            keptAppointment: localDateTime(kept("appointment")), keptReason: kept("reason"), keptPhotos: kept("photos"),
            keptNote: kept("note"))
    }

    /// The stage whose clock runs in this state (000), and its deadline.
    static func currentStage(_ order: RepairOrder, _ status: RepairStatus) -> (RepairStage, String?) {
        switch status {
        case .open: (.claim, order.deadlines.claim)
        case .dispatched: (.sign, order.deadlines.sign)
        case .signed: (.contact, order.deadlines.contact)
        case .contacted, .reopened: (.complete, order.deadlines.complete)
        case .completed, .followedUp: (.followup, order.deadlines.followup)
        }
    }

    /// `剩 12 分钟` or `已超时 35 分钟`. 000: completion is due before its midnight (at the
    /// deadline it is late); the other stages are on time at their minute. Whole minutes, down.
    static func remaining(due: Date, now: Date, stage: RepairStage) -> (text: String, breached: Bool) {
        let breached = stage == .complete ? now >= due : now > due
        let minutes = Int(abs(due.timeIntervalSince(now)) / 60)
        return ((breached ? "已超时 " : "剩 ") + span(minutes: minutes), breached)
    }

    /// Minutes as people count them: `45 分钟`, `14 小时 50 分钟`, `3 天 2 小时`.
    static func span(minutes: Int) -> String {
        if minutes < 60 { return "\(minutes) 分钟" }
        let hours = minutes / 60
        if hours < 24 { return "\(hours) 小时 \(minutes % 60) 分钟" }
        return "\(hours / 24) 天 \(hours % 24) 小时"
    }

    /// A `datetime-local` field takes `2026-11-26T14:00` only: anything else is not kept.
    static func localDateTime(_ text: String) -> String {
        text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?/) == nil ? "" : text
    }

    /// The line after a form's redirect, as the CLI says it (`repair sign` ...).
    static func notice(_ act: String, _ order: RepairOrder) -> String? {
        let d = order.deadlines
        switch act {
        case "grab": return "抢单成功：报修单 #\(order.id) 归你，签收截止 \(ScreenPopView.shortTime(d.sign))"
        case "sign": return "报修单 #\(order.id) 已签收，联系业主截止 \(ScreenPopView.shortTime(d.contact))"
        case "contact":
            return "报修单 #\(order.id) 已联系业主，约定 \(ScreenPopView.shortTime(order.appointment_at))，完工截止 \(ScreenPopView.shortTime(d.complete))"
        case "delay": return "报修单 #\(order.id) 已登记延期原因（完工截止仍为 \(ScreenPopView.shortTime(d.complete))）"
        case "complete": return "报修单 #\(order.id) 已完工，回访截止 \(ScreenPopView.shortTime(d.followup))"
        default: return nil
        }
    }

    /// The forms' fields as the technician reads them, for an error's prefix.
    static let labels = ["appointment": "预约时间", "reason": "延期原因", "photos": "完工照片", "note": "备注", "at": "时间"]
}
