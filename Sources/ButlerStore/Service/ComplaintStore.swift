import ButlerCore
import Foundation
import Postgres

/// Complaints (000, 001, 002 #19): each opens a follow-up due the next working day; a repeat
/// while one is open raises it to level 2; it stays open until closed with a result.
public struct ComplaintStore {
    let db: Connection
    /// The caller's clock: a complaint is closed now unless told when (never in the future).
    let now: Date

    public init(db: Connection, now: Date = Date()) {
        self.db = db
        self.now = now
    }

    /// Opens (or, for a repeat, raises) the complaint of a complaint touchpoint. Returns its id.
    func open(touchpoint: Int, house: RegistryLookup.HouseRow, level: ComplaintLevel, at: Date, staffID: Int) throws -> Int {
        let calendar = try CalendarStore(db: db).load()
        if let existing = try db.query("""
            SELECT id, level FROM complaints WHERE house_id = $1 AND closed_at IS NULL ORDER BY opened_at LIMIT 1 FOR UPDATE
            """, [house.id]).first {
            let id: Int = try existing.decode(0)
            let current = ComplaintLevel(rawValue: try existing.decode(1)) ?? .three
            let raised = min(current.raisedForRepeat(), level)
            if raised != current {
                try db.execute("UPDATE complaints SET level = $2 WHERE id = $1", [id, raised.rawValue])
                try db.execute("UPDATE tasks SET priority = $2 WHERE standard = 'complaint_followup' AND subject = $1 AND done_at IS NULL",
                               ["c\(id)", raised.priority])
            }
            try EventLog(db: db).record("complaint", id, "repeated", by: staffID, projectID: house.projectID, at: at,
                                        detail: ["touchpoint": String(touchpoint), "level": String(raised.rawValue)])
            return id
        }
        let id: Int = try db.query("""
            INSERT INTO complaints (touchpoint_id, house_id, project_id, level, opened_at) VALUES ($1, $2, $3, $4, $5) RETURNING id
            """, [touchpoint, house.id, house.projectID, level.rawValue, at])[0].decode(0)
        let day = Day.from(at)
        let due = calendar.addingWorkingDays(try StandardsStore(db: db).book()[.complaintFollowup]?.workingDays ?? 1, to: day)
        try TaskWriter.insert([PlannedTask(
            standard: .complaintFollowup, subject: "c\(id)", period: "complaint", projectID: house.projectID,
            gridID: try RegistryLookup(db: db).gridID(house: house.id), houseID: house.id,
            staffID: try RegistryLookup(db: db).gridID(house: house.id) == nil ? staffID : nil,
            windowStart: day, due: due, reason: "\(level.rawValue)级投诉 \(id)", priority: level.priority)], into: db)
        try EventLog(db: db).record("complaint", id, "opened", by: staffID, projectID: house.projectID, at: at,
                                    detail: ["level": String(level.rawValue)])
        return id
    }

    /// Closes a complaint with its result; the follow-up task is done with it.
    public func close(_ id: Int, result: String, by employee: String?, at: Date? = nil) throws {
        guard !result.trimmingCharacters(in: .whitespaces).isEmpty else { throw ButlerError(.invalidInput, field: "result", "请填写处理结果") }
        let at = at ?? now
        try InputBounds.recordTime(at, now: now)
        try db.transaction {
            let actor = try employee.map { try RegistryLookup(db: db).staff($0).id }
            guard let row = try db.query("SELECT closed_at IS NOT NULL, project_id FROM complaints WHERE id = $1 FOR UPDATE", [id]).first else {
                throw ButlerError(.notFound, field: "complaint", "投诉 \(id) 不存在")
            }
            try employee.map { try Scope(db: db, employee: $0).mayServe(projectID: try row.decode(1), "关闭投诉 \(id)", agents: true) }
            if try row.decode(0, as: Bool.self) { throw ButlerError(.conflict, field: "complaint", "投诉 \(id) 已关闭") }
            try db.execute("UPDATE complaints SET closed_at = $2, result = $3 WHERE id = $1", [id, at, result])
            try db.execute("""
                UPDATE tasks SET done_at = $2, done_by = $3, done_note = $4
                WHERE standard = 'complaint_followup' AND subject = $1 AND done_at IS NULL
                """, ["c\(id)", at, actor, result])
            try EventLog(db: db).record("complaint", id, "closed", by: actor, projectID: try row.decode(1), at: at, detail: ["result": result])
        }
    }
}
