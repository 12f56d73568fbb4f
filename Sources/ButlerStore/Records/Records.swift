import ButlerCore
import Foundation
import Postgres

/// Touchpoints, inspections, patrols and explicit completions: the records that close tasks.
///
/// Every act goes through the scope model (``Scope``) as the named staff member; records are
/// append-only: a second record with the same natural key is a conflict naming the first, and a
/// correction is a new record pointing at the one it corrects.
public struct Records {
    let db: Connection
    /// The caller's clock: records may not be in the future.
    let now: Date

    /// At most this many photo references on one touchpoint (0020's check holds it again).
    public static let maxPhotos = 20

    public init(db: Connection, now: Date = Date()) {
        self.db = db
        self.now = now
    }

    /// A complaint (`kind == .complaint`) also opens a complaint of `level` (default 3), or raises
    /// the house's open one; its id is `RecordResult.complaint`.
    /// `photos`: references (file names or URLs) of photos taken with it, kept with the record.
    public func touch(house: String, kind: TouchpointKind, by employee: String, at: Date?, note: String,
                      level: ComplaintLevel? = nil, photos: [String] = []) throws -> RecordResult {
        if level != nil && kind != .complaint { throw ButlerError(.invalidInput, field: "level", "只有投诉才有投诉等级") }
        try InputBounds.text(note, field: "note", multiline: true)
        try InputBounds.texts(photos, field: "photos")
        if photos.count > Self.maxPhotos { throw ButlerError(.invalidInput, field: "photos", "一条记录最多 \(Self.maxPhotos) 张照片") }
        var complaint: Int?
        var result = try record("touchpoint", house: house, by: employee, at: at, check: { scope, target in
            try scope.mayRecord(kind, house: target.code, projectID: target.projectID)
        }) { target, staffID, at in
            guard let id: Int = try db.query("""
                INSERT INTO touchpoints (house_id, project_id, kind, staff_id, at, note, photos) VALUES ($1, $2, $3, $4, $5, $6, $7::text[])
                ON CONFLICT (house_id, at, kind) DO NOTHING RETURNING id
                """, [target.id, target.projectID, kind.rawValue, staffID, at, note, photos]).first?.decode(0) else {
                throw try existing("touchpoints", "接触记录", target, kind.rawValue, at)
            }
            if kind == .complaint {
                complaint = try ComplaintStore(db: db).open(touchpoint: id, house: target, level: level ?? .three, at: at, staffID: staffID)
            }
            return id
        }
        result.complaint = complaint
        return result
    }

    /// Corrects a touchpoint's note: a new record pointing at it; the original stays as it was.
    public func correct(touchpoint id: Int, note: String, reason: String, by employee: String) throws -> Int {
        try InputBounds.text(note, field: "note", multiline: true)
        try InputBounds.text(reason, field: "reason", multiline: true)
        return try db.transaction {
            let scope = try Scope(db: db, employee: employee)
            guard let row = try db.query("""
                SELECT h.code, t.project_id, t.kind FROM touchpoints t JOIN houses h ON h.id = t.house_id WHERE t.id = $1
                """, [id]).first else { throw ButlerError(.notFound, field: "touchpoint", "接触记录 \(id) 不存在") }
            let kind = TouchpointKind(rawValue: try row.decode(2)) ?? .callIn
            try scope.mayRecord(kind, house: try row.decode(0), projectID: try row.decode(1))
            return try db.query("""
                INSERT INTO touchpoint_corrections (touchpoint_id, project_id, staff_id, at, note, reason)
                VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
                """, [id, try row.decode(1, as: Int.self), scope.actor.staffID, now, note, reason])[0].decode(0)
        }
    }

    /// The conflict a repeated natural key gets: the record that exists, and how to correct it.
    /// `table` is a literal (`"touchpoints"`, `"inspections"`): the statement stays literals joined.
    private func existing(_ table: SQL, _ noun: String, _ target: RegistryLookup.HouseRow, _ kind: String, _ at: Date) throws -> ButlerError {
        let row = try db.query("SELECT r.id, coalesce(st.employee_no, '') FROM " + table + """
             r LEFT JOIN staff st ON st.id = r.staff_id
            WHERE r.house_id = $1 AND r.at = $2 AND r.kind = $3
            """, [target.id, at, kind]).first
        let id: Int = try row?.decode(0) ?? 0
        let by: String = try row?.decode(1) ?? ""
        let what = TouchpointKind(rawValue: kind)?.label ?? InspectionKind(rawValue: kind)?.label ?? kind
        return ButlerError(.conflict, field: "at", "\(noun) \(id) 已记录 \(target.code) 在 \(Timestamp.rfc3339(at)) 的\(what)"
            + (by.isEmpty ? "" : "（\(by)）") + "；记录不会被覆盖，如需更正请对\(noun) \(id) 做更正记录")
    }

    public func inspect(house: String, kind: InspectionKind, by employee: String, at: Date?, findings: [String],
                        checklist: [ChecklistEntry] = [], photos: [String] = []) throws -> RecordResult {
        try InputBounds.texts(findings, field: "findings")
        try InputBounds.texts(photos, field: "photos")
        try InputBounds.texts(checklist.map(\.note), field: "checklist")
        return try record("inspection", house: house, by: employee, at: at, check: { scope, target in
            try scope.mayInspect(projectID: target.projectID, " \(target.code) 的查验")
        }) { target, staffID, at in
            let checklistJSON = String(decoding: try JSONEncoder().encode(checklist), as: UTF8.self)
            guard let id: Int = try db.query("""
                INSERT INTO inspections (house_id, project_id, kind, staff_id, at, findings, checklist, photos)
                VALUES ($1, $2, $3, $4, $5, $6::text[], $7::jsonb, $8::text[])
                ON CONFLICT (house_id, at, kind) DO NOTHING RETURNING id
                """, [target.id, target.projectID, kind.rawValue, staffID, at, findings, checklistJSON, photos]).first?.decode(0) else {
                throw try existing("inspections", "查验记录", target, kind.rawValue, at)
            }
            try InspectionReports(db: db).open(inspection: id, house: target, at: at, staffID: staffID)
            // A ventilation completes its task through TaskCompletion, as an imported one does (002 #25).
            return id
        }
    }

    /// 002 #16: each patrol completes the oldest open patrol task of the grid.
    public func patrol(grid code: String, by employee: String, at: Date?, note: String) throws -> RecordResult {
        let at = try checkedTime(at)
        try InputBounds.text(note, field: "note", multiline: true)
        return try db.transaction {
            let scope = try Scope(db: db, employee: employee)
            let staffID = scope.actor.staffID
            guard let grid = try db.query("SELECT id, project_id FROM grids WHERE code = $1", [code]).first else {
                throw ButlerError(.notFound, field: "grid", "网格 \(code) 不存在")
            }
            try scope.mayInspect(projectID: try grid.decode(1), "网格 \(code) 的巡查")
            let gridID: Int = try grid.decode(0)
            let id: Int = try db.query(
                "INSERT INTO patrols (grid_id, project_id, staff_id, at, note) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                [gridID, try grid.decode(1, as: Int.self), staffID, at, note])[0].decode(0)
            let done = try TaskCompletion(db: db).completeOldest(standard: .gridPatrol, gridID: gridID, at: at, by: staffID, note: "patrol \(id)")
            let own = try db.query("""
                SELECT 1 FROM grid_assignments WHERE grid_id = $1 AND staff_id = $2 AND from_date <= $3::timestamptz::date
                  AND (to_date IS NULL OR to_date >= $3::timestamptz::date)
                """, [gridID, staffID, at])
            return try RecordResult(record: "patrol", id: id, completedTaskIDs: done.map { [$0] } ?? [], outsideOwnGrids: own.isEmpty, db: db)
        }
    }

    /// Marks a task done that no other record completes (key inventory, monthly summary...).
    public func done(task id: Int, by employee: String, at: Date?, note: String?) throws {
        let at = try checkedTime(at)
        try InputBounds.text(note ?? "", field: "note", multiline: true)
        try db.transaction {
            let scope = try Scope(db: db, employee: employee)
            // The scope of the day of the act (now), not of a back-dated `at`.
            try scope.mayComplete(task: id, on: Day.from(now))
            let rows = try db.query("SELECT done_at IS NOT NULL FROM tasks WHERE id = $1 FOR UPDATE", [id])
            guard let row = rows.first else { throw ButlerError(.notFound, field: "task", "任务 \(id) 不存在") }
            if try row.decode(0, as: Bool.self) { throw ButlerError(.conflict, field: "task", "任务 \(id) 已完成") }
            try db.execute("UPDATE tasks SET done_at = $2, done_by = $3, done_note = $4 WHERE id = $1", [id, at, scope.actor.staffID, note])
        }
    }

    private func checkedTime(_ at: Date?) throws -> Date {
        let at = at ?? now
        try InputBounds.recordTime(at, now: now)
        return at
    }

    private func record(
        _ record: String, house: String, by employee: String, at: Date?,
        check: (Scope, RegistryLookup.HouseRow) throws -> Void,
        insert: (RegistryLookup.HouseRow, _ staffID: Int, Date) throws -> Int
    ) throws -> RecordResult {
        let at = try checkedTime(at)
        return try db.transaction {
            let target = try RegistryLookup(db: db).house(house)
            let scope = try Scope(db: db, employee: employee)
            try check(scope, target)
            let before = Set(try openTaskIDs(house: target.id))
            let id = try insert(target, scope.actor.staffID, at)
            _ = try TaskCompletion(db: db).apply(.houses([target.id]), on: Day.from(at), standards: try StandardsStore(db: db).book())
            let after = Set(try openTaskIDs(house: target.id))
            let own = try db.query("""
                SELECT 1 FROM grid_houses gh JOIN grid_assignments ga ON ga.grid_id = gh.grid_id
                WHERE gh.house_id = $1 AND ga.staff_id = $2 AND ga.from_date <= $3::timestamptz::date
                  AND (ga.to_date IS NULL OR ga.to_date >= $3::timestamptz::date)
                """, [target.id, scope.actor.staffID, at])
            return try RecordResult(record: record, id: id, completedTaskIDs: before.subtracting(after).sorted(), outsideOwnGrids: own.isEmpty, db: db)
        }
    }

    private func openTaskIDs(house: Int) throws -> [Int] {
        try db.query("SELECT id FROM tasks WHERE house_id = $1 AND done_at IS NULL", [house]).map { try $0.decode(0) }
    }
}
