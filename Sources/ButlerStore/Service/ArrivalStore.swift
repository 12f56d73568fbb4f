import ButlerCore
import Foundation
import Postgres

/// Holiday arrivals (002 #28): a confirmed arrival means the home is prepared the day before
/// and visited the day after (calendar days: someone is on duty over holidays).
public struct ArrivalStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    public func record(house: String, arrive: Day, by employee: String?, today: Day = Day.today()) throws -> Int {
        guard arrive >= today else { throw ButlerError(.invalidInput, field: "arrive", "到访日期 \(arrive) 已过") }
        return try db.transaction {
            let registry = RegistryLookup(db: db)
            let target = try registry.house(house)
            let actor = try employee.map { try registry.staff($0).id }
            try employee.map { try Scope(db: db, employee: $0).mayServe(projectID: target.projectID, "登记 \(target.code) 的到访", agents: true) }
            let grid = try registry.gridID(house: target.id)
            guard grid != nil || actor != nil else {
                throw ButlerError(.invalidInput, field: "by", "房屋 \(target.code) 不属于任何网格：请指明由谁负责（登记人）")
            }
            let rows = try db.query("""
                INSERT INTO holiday_arrivals (house_id, project_id, arrive_on, recorded_by) VALUES ($1, $2, $3::date, $4)
                ON CONFLICT (house_id, arrive_on) DO NOTHING RETURNING id
                """, [target.id, target.projectID, arrive.description, actor])
            guard let id: Int = try rows.first?.decode(0) else {
                throw ButlerError(.conflict, field: "arrive", "\(target.code) 在 \(arrive) 的到访已登记")
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
