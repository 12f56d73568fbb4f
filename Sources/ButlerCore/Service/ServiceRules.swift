import Foundation

/// A value-added order's life (004): created → scheduled → completed → followed_up, or cancelled.
public enum OrderStatus: String, CaseIterable, Sendable, Codable {
    case created, scheduled, completed, followedUp = "followed_up", cancelled

    public var label: String {
        switch self {
        case .created: "已下单"
        case .scheduled: "已预约"
        case .completed: "已完成"
        case .followedUp: "已回访"
        case .cancelled: "已取消"
        }
    }

    /// The states an order may move to from this one.
    public var next: Set<OrderStatus> {
        switch self {
        case .created: [.scheduled, .completed, .cancelled]
        case .scheduled: [.scheduled, .completed, .cancelled]
        case .completed: [.followedUp]
        case .followedUp, .cancelled: []
        }
    }

    public func canMove(to target: OrderStatus) -> Bool { next.contains(target) }
}

/// What the house is, for an inspection report's deadline (002 #13, #14, #15, #25).
public enum InspectedHouse: Sendable, Equatable {
    case paidEntrustment, unpaidEntrustment, vacant, other

    /// Hours to report to the owner: paid 4 h, unpaid 8 h, vacant 24 h; nil = no report due.
    public var reportDeadlineHours: Int? {
        switch self {
        case .paidEntrustment: 4
        case .unpaidEntrustment: 8
        case .vacant: 24
        case .other: nil
        }
    }
}

/// 000: complaint levels.
public enum ComplaintLevel: Int, CaseIterable, Sendable, Codable, Comparable {
    /// Escalated to the mayor's hotline, a regulator or the media.
    case one = 1
    /// Escalated to the district/street office, or the same issue twice unresolved.
    case two = 2
    /// A service lapse.
    case three = 3

    /// Levels 1 and 2 are priority 1 and listed for the project's manager too.
    public var priority: Int { self == .three ? 2 : 1 }

    public static func < (a: ComplaintLevel, b: ComplaintLevel) -> Bool { a.rawValue < b.rawValue }

    /// 000 "同一问题两次投诉未解决": a repeat while one is open is at least level 2.
    public func raisedForRepeat() -> ComplaintLevel { self == .three ? .two : self }
}

/// The items of an inspection checklist (002 #13-15, #25).
public enum ChecklistItem: String, CaseIterable, Sendable, Codable {
    case furniture, appliances, gas, water, electricity, doorsWindows = "doors_windows", balconyRailing = "balcony_railing", leaks

    public var label: String {
        switch self {
        case .furniture: "家具"
        case .appliances: "家电"
        case .gas: "燃气"
        case .water: "水"
        case .electricity: "电"
        case .doorsWindows: "门窗"
        case .balconyRailing: "阳台栏杆"
        case .leaks: "渗漏"
        }
    }
}

/// One checked item: ok, or a problem with a note.
public struct ChecklistEntry: Sendable, Codable, Equatable {
    public let item: ChecklistItem
    public let ok: Bool
    public let note: String

    public init(item: ChecklistItem, ok: Bool, note: String = "") {
        self.item = item
        self.ok = ok
        self.note = note
    }

    /// Parses `gas=ok`, `leaks=problem:卫生间顶棚渗水`.
    public init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let item = ChecklistItem(rawValue: parts[0]) else { return nil }
        let value = parts[1].split(separator: ":", maxSplits: 1).map(String.init)
        switch value.first {
        case "ok": self.init(item: item, ok: true, note: value.count > 1 ? value[1] : "")
        case "problem": self.init(item: item, ok: false, note: value.count > 1 ? value[1] : "")
        default: return nil
        }
    }
}

/// The report a butler sends the owner after an inspection.
public struct InspectionReportText {
    public static func render(house: String, at: String, kind: String, butler: String, checklist: [ChecklistEntry],
                              findings: [String], photos: [String]) -> String {
        var lines = ["【房屋查验报告】\(house)", "查验时间：\(at)　查验人：\(butler)　类型：\(kind)"]
        if !checklist.isEmpty {
            lines.append("检查项：")
            for entry in checklist {
                lines.append("  \(entry.item.label)：\(entry.ok ? "正常" : "异常")\(entry.note.isEmpty ? "" : "（\(entry.note)）")")
            }
        }
        let problems = checklist.filter { !$0.ok }.count
        if !findings.isEmpty { lines.append("发现：" + findings.joined(separator: "；")) }
        if !photos.isEmpty { lines.append("照片：" + photos.joined(separator: " ")) }
        lines.append(problems == 0 ? "结论：房屋状况良好。" : "结论：发现\(problems)项异常，管家将跟进处理。")
        return lines.joined(separator: "\n")
    }
}
