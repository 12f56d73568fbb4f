import ButlerCore
import Foundation

/// One repair order as `repair show --json` and the API print it (CONTRACT "Repairs"); a list
/// leaves `events` out.
public struct RepairOrder: Sendable, Encodable, Equatable {
    public let id: Int
    public let house: String
    public let project: String
    public let category: String
    public let description: String
    public let source: String
    public let complex: Bool
    public let status: String
    /// The technician's employee number, or null while nobody has it.
    @EncodedAsNull public var technician: String?
    public let opened_at: String
    public let opened_by: String
    /// The day it counts as opened on (the next day after the cutoff).
    public let counted_on: String
    public let deadlines: RepairOrderDeadlines
    @EncodedAsNull public var appointment_at: String?
    /// The stage of each breach, in the order they fell due (a stage again after a reopen).
    public let breaches: [String]
    @EncodedAsNull public var rating: Int?
    /// Times reopened: an order reopened at least once does not pass.
    public let round: Int
    @EncodedAsNull public var delay_reason: String?
    public let photos: [String]
    public var events: [RepairEvent]?
}

/// Every stage's deadline, RFC 3339, or null until the stage starts (`claim`: dispatched or
/// grabbed, from the opening; `sign` from the dispatch, or the opening for a grab).
public struct RepairOrderDeadlines: Sendable, Encodable, Equatable {
    public let claim: String
    @EncodedAsNull public var sign: String?
    @EncodedAsNull public var contact: String?
    @EncodedAsNull public var complete: String?
    @EncodedAsNull public var followup: String?
}

/// One step of the timeline: who did what, when (`detail`: reason, rating, photos...).
public struct RepairEvent: Sendable, Encodable, Equatable {
    public let at: String
    public let kind: String
    public let by: String
    public let detail: [String: String]
}

/// Which orders a list shows (`repair list`, `GET /v1/repairs`, a house's orders on the screen-pop).
public struct RepairFilter: Sendable {
    public var project: String?
    public var status: RepairStatus?
    public var breached = false
    /// One house's orders (house code).
    public var house: String?

    public init(project: String? = nil, status: RepairStatus? = nil, breached: Bool = false, house: String? = nil) {
        self.project = project
        self.status = status
        self.breached = breached
        self.house = house
    }
}

/// Which orders of a list are shown: `limit` from the `offset`-th, in the list's order.
public struct RepairPage: PageWindow, Sendable, Equatable {
    /// Orders per page unless asked otherwise.
    public static let defaultLimit = 50
    /// The most a page may hold.
    public static let maxLimit = 1000

    public let limit: Int
    public let offset: Int

    public init(limit: Int = RepairPage.defaultLimit, offset: Int = 0) throws {
        guard (1...Self.maxLimit).contains(limit) else {
            throw ButlerError(.invalidInput, field: "limit", "每页单数须在 1 到 \(Self.maxLimit) 之间，收到 \(limit)")
        }
        guard offset >= 0 else { throw ButlerError(.invalidInput, field: "offset", "起始位置不能为负数，收到 \(offset)") }
        self.limit = limit
        self.offset = offset
    }

    /// From request text (`?limit=&offset=`); absent means the default.
    public init(limitText: String?, offsetText: String?) throws {
        func number(_ text: String?, field: String, default value: Int) throws -> Int {
            guard let text else { return value }
            guard let number = Int(text) else { throw ButlerError(.invalidInput, field: field, "不是整数：\(text.prefix(40))") }
            return number
        }
        try self.init(limit: number(limitText, field: "limit", default: Self.defaultLimit),
                      offset: number(offsetText, field: "offset", default: 0))
    }
}

/// One page of a list and how many orders match in all (`repair list --json`, `GET /v1/repairs`):
/// `{"orders": [...], "page": {"total", "truncated", "limit", "offset", "next_offset"}}`, the
/// `page` of a lookup.
public struct RepairList: Sendable, Encodable, Equatable {
    public let orders: [RepairOrder]
    public let page: Paging

    public init(orders: [RepairOrder], page: Paging) {
        self.orders = orders
        self.page = page
    }
}

/// What opening an order says: its id, and the deadlines that start at once.
public struct RepairOpening: Sendable {
    public var house: String
    public var category: RepairCategory
    public var description: String
    public var caller: String?
    public var source: RepairSource
    public var complex: Bool

    public init(house: String, category: RepairCategory, description: String, caller: String? = nil,
                source: RepairSource = .phone, complex: Bool = false) {
        self.house = house
        self.category = category
        self.description = description
        self.caller = caller
        self.source = source
        self.complex = complex
    }
}
