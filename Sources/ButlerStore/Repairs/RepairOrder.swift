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

/// Which orders a list shows (`repair list`, `GET /v1/repairs`).
public struct RepairFilter: Sendable {
    public var project: String?
    public var status: RepairStatus?
    public var breached = false

    public init(project: String? = nil, status: RepairStatus? = nil, breached: Bool = false) {
        self.project = project
        self.status = status
        self.breached = breached
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
