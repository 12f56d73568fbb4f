import Foundation

/// How a house is used; drives which checks the planner schedules.
public enum Occupancy: String, CaseIterable, Sendable, Codable {
    case selfOccupied = "self"
    case rented
    /// 空置精装房: checked monthly (002 #14).
    case vacantFurnished = "vacant_furnished"
    /// 空置毛坯房: checked every two months (002 #15).
    case vacantBare = "vacant_bare"

    public var label: String {
        switch self {
        case .selfOccupied: "自住"
        case .rented: "出租"
        case .vacantFurnished: "空置精装"
        case .vacantBare: "空置毛坯"
        }
    }
}

/// Tags on a resident that call for care visits or special handling.
public enum ResidentTag: String, CaseIterable, Sendable, Codable {
    case elderlyAlone = "elderly_alone"
    case disabled
    case vip

    public var label: String {
        switch self {
        case .elderlyAlone: "独居老人"
        case .disabled: "残障"
        case .vip: "VIP"
        }
    }
}

public enum ResidentRole: String, CaseIterable, Sendable, Codable {
    case owner, family, tenant

    public var label: String {
        switch self {
        case .owner: "业主"
        case .family: "家属"
        case .tenant: "租户"
        }
    }
}

public enum StaffRole: String, CaseIterable, Sendable, Codable {
    case butler, manager, agent
    /// 维修工: belongs to a project; receives (or grabs) its repair orders (000).
    case technician

    public var label: String {
        switch self {
        case .butler: "管家"
        case .manager: "项目经理"
        case .agent: "客服坐席"
        case .technician: "维修工"
        }
    }
}

public enum EntrustmentKind: String, CaseIterable, Sendable, Codable {
    /// 委托代管 (unpaid): monthly check, report within 8 h (002 #13).
    case unpaid
    /// 特约委托代管 (paid): ventilation, cleaning and checks, report within 4 h (002 #25).
    case paid
}

public enum TouchpointKind: String, CaseIterable, Sendable, Codable {
    case callIn = "call_in", callOut = "call_out", visit, meeting, message, complaint, compliment, opinion
    /// 002 #21: fee collection attempts by phone, message and reminder letter.
    case collectionCall = "collection_call", collectionMessage = "collection_message", collectionLetter = "collection_letter"

    /// The collection attempts (002 #21): counted per house and month, they complete the month's arrears contact.
    public static let collectionAttempts: [TouchpointKind] = [.collectionCall, .collectionMessage, .collectionLetter]

    public var label: String {
        switch self {
        case .callIn: "来电"
        case .callOut: "去电"
        case .visit: "走访"
        case .meeting: "面谈"
        case .message: "消息"
        case .complaint: "投诉"
        case .compliment: "表扬"
        case .opinion: "意见征询"
        case .collectionCall: "催缴电话"
        case .collectionMessage: "催缴信息"
        case .collectionLetter: "催缴函"
        }
    }
}

/// `PROJECT/BUILDING-UNIT-ROOM`, e.g. `YS01/3-2-1502`.
public struct HouseCode: Hashable, Sendable, CustomStringConvertible {
    public let project: String, building: String, unit: String, room: String

    public init?(_ text: String) {
        let halves = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2, !halves[0].isEmpty else { return nil }
        let parts = halves[1].split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        project = String(halves[0])
        building = String(parts[0])
        unit = String(parts[1])
        room = String(parts[2])
    }

    public var description: String { "\(project)/\(building)-\(unit)-\(room)" }

    /// The order people count houses in: digit runs compare as numbers (YS01/1-3-503 before
    /// YS01/1-3-2703, building 2 before 10), as the database's `house_natural` collation does.
    public static func naturalOrder(_ a: String, _ b: String) -> Bool {
        a.compare(b, options: [.numeric, .caseInsensitive]) == .orderedAscending
    }
}
