import ButlerCore
import Foundation
import Postgres

/// Complaints (000, 001, 002 #19): each opens a follow-up due the next working day; a repeat
/// while one is open raises it to level 2; it stays open until closed with a result.
public struct ComplaintStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

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
    public func close(_ id: Int, result: String, by employee: String?, at: Date = Date()) throws {
        guard !result.trimmingCharacters(in: .whitespaces).isEmpty else { throw ButlerError(.invalidInput, "--result is required") }
        try db.transaction {
            let actor = try employee.map { try RegistryLookup(db: db).staff($0).id }
            guard let row = try db.query("SELECT closed_at IS NOT NULL, project_id FROM complaints WHERE id = $1 FOR UPDATE", [id]).first else {
                throw ButlerError(.notFound, "complaint \(id) does not exist")
            }
            try employee.map { try Scope(db: db, employee: $0).mayServe(projectID: try row.decode(1), "close complaint \(id)", agents: true) }
            if try row.decode(0, as: Bool.self) { throw ButlerError(.conflict, "complaint \(id) is already closed") }
            try db.execute("UPDATE complaints SET closed_at = $2, result = $3 WHERE id = $1", [id, at, result])
            try db.execute("""
                UPDATE tasks SET done_at = $2, done_by = $3, done_note = $4
                WHERE standard = 'complaint_followup' AND subject = $1 AND done_at IS NULL
                """, ["c\(id)", at, actor, result])
            try EventLog(db: db).record("complaint", id, "closed", by: actor, projectID: try row.decode(1), at: at, detail: ["result": result])
        }
    }
}

/// Severe-weather alerts (002 #13-15, #25): check entrusted houses first, then vacant furnished,
/// then vacant bare, all due the same day; an inspection completes each.
public struct AlertStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    public func weather(project: String, at: Date, note: String, by employee: String?) throws -> (id: Int, tasks: Int) {
        try db.transaction {
            let projectID = try RegistryLookup(db: db).projectID(project)
            let actor = try employee.map { try RegistryLookup(db: db).staff($0).id }
            try employee.map { try Scope(db: db, employee: $0).mayServe(projectID: projectID, "raise an alert for \(project)") }
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
                throw ButlerError(.notFound, "alert \(id) does not exist")
            }
            try employee.map { try Scope(db: db, employee: $0).mayServe(projectID: try row.decode(1), "close alert \(id)") }
            if try row.decode(0, as: Bool.self) { throw ButlerError(.conflict, "alert \(id) is already closed") }
            try db.execute("UPDATE alerts SET closed_at = now() WHERE id = $1", [id])
            try EventLog(db: db).record("alert", id, "closed", by: actor, projectID: try row.decode(1))
        }
    }
}

/// Holiday arrivals (002 #28): a confirmed arrival means the home is prepared the day before
/// and visited the day after (calendar days: someone is on duty over holidays).
public struct ArrivalStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    public func record(house: String, arrive: Day, by employee: String?, today: Day = Day.today()) throws -> Int {
        guard arrive >= today else { throw ButlerError(.invalidInput, "--arrive \(arrive) is in the past") }
        return try db.transaction {
            let registry = RegistryLookup(db: db)
            let target = try registry.house(house)
            let actor = try employee.map { try registry.staff($0).id }
            try employee.map { try Scope(db: db, employee: $0).mayServe(projectID: target.projectID, "record an arrival at \(target.code)", agents: true) }
            let grid = try registry.gridID(house: target.id)
            guard grid != nil || actor != nil else {
                throw ButlerError(.invalidInput, "house \(target.code) is in no grid: give --by so someone owns the tasks")
            }
            let rows = try db.query("""
                INSERT INTO holiday_arrivals (house_id, project_id, arrive_on, recorded_by) VALUES ($1, $2, $3::date, $4)
                ON CONFLICT (house_id, arrive_on) DO NOTHING RETURNING id
                """, [target.id, target.projectID, arrive.description, actor])
            guard let id: Int = try rows.first?.decode(0) else {
                throw ButlerError(.conflict, "an arrival at \(target.code) on \(arrive) is already recorded")
            }
            let staff = grid == nil ? actor : nil
            try TaskWriter.insert([
                PlannedTask(standard: .holidayPrepare, subject: "h\(target.id)", period: arrive.description, projectID: target.projectID,
                            gridID: grid, houseID: target.id, staffID: staff, windowStart: min(today, arrive.adding(days: -1)),
                            due: arrive.adding(days: -1), reason: "\(arrive) 到访：保洁、通水通电"),
                PlannedTask(standard: .holidayArrivalVisit, subject: "h\(target.id)", period: arrive.description, projectID: target.projectID,
                            gridID: grid, houseID: target.id, staffID: staff, windowStart: arrive,
                            due: arrive.adding(days: 1), reason: "\(arrive) 到访后走访"),
            ], into: db)
            try EventLog(db: db).record("holiday_arrival", id, "recorded", by: actor, projectID: target.projectID,
                                        detail: ["arrive_on": arrive.description])
            return id
        }
    }
}
