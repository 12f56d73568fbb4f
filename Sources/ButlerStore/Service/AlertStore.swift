import ButlerCore
import Foundation
import Postgres

/// Severe-weather alerts (002 #13-15, #25): check entrusted houses first, then vacant furnished,
/// then vacant bare, all due the same day; an inspection completes each.
public struct AlertStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    public func weather(project: String, at: Date, note: String, by employee: String?) throws -> (id: Int, tasks: Int) {
        try db.transaction {
            let projectID = try RegistryLookup(db: db).projectID(project)
            let actor = try employee.map { try RegistryLookup(db: db).staff($0).id }
            try employee.map { try Scope(db: db, employee: $0).mayServe(projectID: projectID, "为 \(project) 发布预警") }
            let id: Int = try db.query("INSERT INTO alerts (project_id, kind, at, note) VALUES ($1, 'weather', $2, $3) RETURNING id",
                                       [projectID, at, note])[0].decode(0)
            let day = Day.from(at)
            let tasks = try db.query("""
                SELECT h.id, gh.grid_id,
                       CASE WHEN EXISTS (SELECT 1 FROM entrustments e WHERE e.house_id = h.id AND e.from_date <= $2::date
                                         AND (e.to_date IS NULL OR e.to_date >= $2::date)) THEN 1
                            WHEN h.occupancy = 'vacant_furnished' THEN 2 ELSE 3 END AS priority
                FROM houses h JOIN grid_houses gh ON gh.house_id = h.id
                WHERE h.project_id = $1 AND (h.occupancy IN ('vacant_furnished', 'vacant_bare') OR EXISTS (
                    SELECT 1 FROM entrustments e WHERE e.house_id = h.id AND e.from_date <= $2::date
                      AND (e.to_date IS NULL OR e.to_date >= $2::date)))
                """, [projectID, day.description]).map { r in
                PlannedTask(standard: .weatherCheck, subject: "h\(try r.decode(0, as: Int.self))", period: "alert\(id)",
                            projectID: projectID, gridID: try r.decode(1), houseID: try r.decode(0), windowStart: day, due: day,
                            reason: "恶劣天气预警 \(id)" + (note.isEmpty ? "" : "：\(note)"), priority: try r.decode(2))
            }
            let created = try TaskWriter.insert(tasks, into: db).values.reduce(0) { $0 + $1.count }
            try EventLog(db: db).record("alert", id, "declared", by: actor, projectID: projectID, at: at, detail: ["note": note])
            return (id, created)
        }
    }

    public func close(_ id: Int, by employee: String?) throws {
        try db.transaction {
            let actor = try employee.map { try RegistryLookup(db: db).staff($0).id }
            guard let row = try db.query("SELECT closed_at IS NOT NULL, project_id FROM alerts WHERE id = $1 FOR UPDATE", [id]).first else {
                throw ButlerError(.notFound, field: "alert", "预警 \(id) 不存在")
            }
            try employee.map { try Scope(db: db, employee: $0).mayServe(projectID: try row.decode(1), "关闭预警 \(id)") }
            if try row.decode(0, as: Bool.self) { throw ButlerError(.conflict, field: "alert", "预警 \(id) 已关闭") }
            try db.execute("UPDATE alerts SET closed_at = now() WHERE id = $1", [id])
            try EventLog(db: db).record("alert", id, "closed", by: actor, projectID: try row.decode(1))
        }
    }
}
