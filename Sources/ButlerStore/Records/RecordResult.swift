import ButlerCore
import Foundation
import Postgres

/// What a record did: its id, the tasks it completed, and a warning when the house is
/// outside the recording butler's grids (allowed, but flagged).
public struct RecordResult: Sendable, Encodable, Equatable {
    public let id: Int
    public let completedTasks: [Int]
    public let outsideOwnGrids: Bool
    /// The complaint a complaint touchpoint opened or raised.
    public var complaint: Int?

    enum CodingKeys: String, CodingKey {
        case id, completedTasks = "completed_tasks", outsideOwnGrids = "outside_own_grids", complaint
    }
}
