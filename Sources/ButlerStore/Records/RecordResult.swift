import ButlerCore
import Foundation
import Postgres

/// What a record did: the record, the tasks it completed, the complaint it opened, and a
/// warning when the house is outside the recording butler's grids (allowed, but flagged).
public struct RecordResult: Sendable, Encodable, Equatable {
    /// Which table the record is in: `touchpoint`, `inspection` or `patrol`.
    public let record: String
    public let id: Int
    public let completed: [CompletedTask]
    public let outsideOwnGrids: Bool
    /// The complaint a complaint touchpoint opened or raised.
    public var complaint: Int?

    /// A task the record completed, as the butler knows it.
    public struct CompletedTask: Sendable, Encodable, Equatable {
        public let id: Int
        public let standard: String
        /// The standard's name (新入住走访).
        public let name: String
    }

    public var completedTasks: [Int] { completed.map(\.id) }

    enum CodingKeys: String, CodingKey {
        case record, id, completed, outsideOwnGrids = "outside_own_grids", complaint, completedTasks = "completed_tasks"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(record, forKey: .record)
        try c.encode(id, forKey: .id)
        try c.encode(completed, forKey: .completed)
        try c.encode(completedTasks, forKey: .completedTasks)
        try c.encode(outsideOwnGrids, forKey: .outsideOwnGrids)
        try c.encode(complaint, forKey: .complaint)
    }

    init(record: String, id: Int, completedTaskIDs: [Int], outsideOwnGrids: Bool, db: Connection) throws {
        self.record = record
        self.id = id
        self.outsideOwnGrids = outsideOwnGrids
        completed = completedTaskIDs.isEmpty ? [] : try db.query("""
            SELECT t.id, t.standard, s.name FROM tasks t JOIN standards s ON s.code = t.standard
            WHERE t.id = ANY($1) ORDER BY t.id
            """, [completedTaskIDs]).map { CompletedTask(id: try $0.decode(0), standard: try $0.decode(1), name: try $0.decode(2)) }
    }
}
