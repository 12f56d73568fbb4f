import ButlerCore
import Foundation
import Postgres

/// One line of a butler's daily list (the `tasks --json` element of the contract).
public struct TaskItem: Sendable, Encodable, Equatable {
    public let id: String
    public let standard: String
    @EncodedAsNull public var house: String?
    @EncodedAsNull public var grid: String?
    public let butler: String
    public let window_start: Day
    /// `YYYY-MM-DD`, or RFC 3339 when the deadline has a time.
    public let due: String
    public let status: String
    public let priority: Int
    public let title: String
    public let reason: String
    /// Not planned yet: computed for a future day's list without saving (no id of its own).
    public var preview = false
}

/// A butler's list for one day: overdue first, then priority, then due, then house.
public struct DailyList: Sendable, Encodable {
    public let butler: String
    public let name: String
    public let date: Day
    public let tasks: [TaskItem]
    /// Whether the day was planned (by the daily job or `butler plan`). A past day that was not
    /// shows only what exists; a future day adds a preview.
    public let planned: Bool
    /// How far ahead a list may look (a preview).
    public static let previewDays = 31
}

public struct DailyListStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    /// The list of `employee` on `date` as planned. Reads never write: a day that was not planned
    /// shows what exists; a future day (up to ``DailyList/previewDays`` ahead) adds the tasks
    /// planning would create, computed without saving (`preview`). The butler of a grid task is
    /// whoever serves the grid on `date`.
    public func list(butler employee: String, on date: Day, now: Date = Date()) throws -> DailyList {
        try InputBounds.day(date, field: "date")
        let today = Day.from(now)
        let farthest = today.adding(days: DailyList.previewDays)
        guard date <= farthest else {
            throw ButlerError(.invalidInput, field: "date", "\(date) 超过 \(DailyList.previewDays) 天以后（最远可看到 \(farthest)）")
        }
        let staff = try RegistryLookup(db: db).staff(employee, field: "butler")
        if staff.role == .technician {
            return DailyList(butler: employee, name: staff.name, date: date,
                             tasks: try repairItems(staffID: staff.id, employee: employee, on: date, now: now), planned: true)
        }
        guard staff.role == .butler || staff.role == .manager else {
            throw ButlerError(.invalidInput, field: "butler", "\(employee)（\(staff.name)）是\(staff.role.label)，没有任务清单（任务清单属于管家、项目经理和维修工）")
        }
        let planner = Planner(db: db)
        let planned = try planner.isPlanned(date)
        // Deadlines with a time are overdue after that instant; on past/future lists, at the end of the day.
        let cutoff = date == Day.from(now) ? now : date.adding(days: 1).startOfDay()
        let standards = try StandardsStore(db: db).book()
        let rows = try db.query("""
            WITH my_grids AS (
                SELECT grid_id FROM grid_assignments
                WHERE staff_id = $1 AND from_date <= $2::date AND (to_date IS NULL OR to_date >= $2::date)
            ), mine AS (
                -- One branch per index (open/done by grid, by butler, by project) instead of an OR
                -- the planner can only answer with a scan of every task. `done_at` is compared with
                -- a timestamptz (midnight in the session's Asia/Shanghai): timestamptz >= date is
                -- not leakproof, so under row-level security it could not be an index condition
                -- and read every task ever done (ops/BENCHMARKS.md, web console).
                SELECT id FROM tasks WHERE grid_id IN (SELECT grid_id FROM my_grids) AND done_at IS NULL AND window_start <= $2::date
                UNION
                SELECT id FROM tasks WHERE grid_id IN (SELECT grid_id FROM my_grids) AND done_at >= $2::date::timestamptz AND window_start <= $2::date
                UNION
                SELECT id FROM tasks WHERE staff_id = $1 AND (done_at IS NULL OR done_at >= $2::date::timestamptz) AND window_start <= $2::date
                UNION
                -- 000, 002 #19: level 1 and 2 complaints are on the project manager's list too.
                SELECT id FROM tasks WHERE $4 AND project_id = $5 AND standard = 'complaint_followup' AND priority = 1
                  AND (done_at IS NULL OR done_at >= $2::date::timestamptz) AND window_start <= $2::date
                UNION
                -- An escalation raised while the project had no manager (nobody named): its manager's now.
                SELECT id FROM tasks WHERE $4 AND project_id = $5 AND grid_id IS NULL AND staff_id IS NULL
                  AND (done_at IS NULL OR done_at >= $2::date::timestamptz) AND window_start <= $2::date
            )
            SELECT t.id, t.standard, h.code, g.code, t.window_start::text, t.due_date::text,
                   to_char(t.due_at, 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00',
                   CASE WHEN t.done_at IS NOT NULL AND t.done_at < $2::date + 1 THEN 'done'
                        WHEN coalesce(t.due_at < $3, t.due_date < $2::date) THEN 'overdue'
                        ELSE 'open' END AS status,
                   t.priority, t.title, t.reason,
                   -- Quota progress: this month's visits / opinions by the butler.
                   CASE t.standard WHEN 'visit_quota' THEN (
                        SELECT count(*) FROM touchpoints tp WHERE tp.staff_id = $1 AND tp.kind = 'visit'
                          AND tp.at >= date_trunc('month', t.window_start) AND tp.at < $2::date + 1)
                   WHEN 'opinion_quota' THEN (
                        SELECT count(*) FROM touchpoints tp WHERE tp.staff_id = $1 AND tp.kind = 'opinion'
                          AND tp.at >= date_trunc('month', t.window_start) AND tp.at < $2::date + 1)
                   END
            FROM tasks t
            LEFT JOIN houses h ON h.id = t.house_id
            LEFT JOIN grids g ON g.id = t.grid_id
            WHERE t.id IN (SELECT id FROM mine)
            ORDER BY (CASE WHEN t.done_at IS NOT NULL AND t.done_at < $2::date + 1 THEN 2
                           WHEN coalesce(t.due_at < $3, t.due_date < $2::date) THEN 0 ELSE 1 END),
                     t.priority, coalesce(t.due_at, t.due_date + 1), h.code COLLATE house_natural, t.id
            """, [staff.id, date.description, cutoff, staff.role == .manager, staff.projectID])
        let suggestions = try suggestedHouses(staffID: staff.id, on: date)
        let items = try rows.map { r -> TaskItem in
            let standard: String = try r.decode(1)
            var title: String = try r.decode(9)
            var reason: String = try r.decode(10)
            if let count = try r.decode(11, as: Int?.self), let code = StandardCode(rawValue: standard) {
                let target = standards[code]?.perPeriod ?? 7
                title += " \(count)/\(target)"
                if !suggestions.isEmpty { reason = "建议: " + suggestions.joined(separator: " ") }
            }
            return TaskItem(
                id: String(try r.decode(0, as: Int.self)), standard: standard, house: try r.decode(2), grid: try r.decode(3),
                butler: employee, window_start: try db.day(r, 4),
                due: try r.decode(6, as: String?.self) ?? (try r.decode(5, as: String.self)),
                status: try r.decode(7), priority: try r.decode(8), title: title, reason: reason)
        }
        let preview = date > today && !planned ? try previewItems(staffID: staff.id, employee: employee, on: date) : []
        return DailyList(butler: employee, name: staff.name, date: date, tasks: items + preview, planned: planned)
    }

    /// A technician's list: the repair orders they hold that are not completed (as of `date`),
    /// by the deadline of the stage at hand (sign, contact, then completion); `standard` is
    /// `repair_order` and `id` `repair:<order id>` (they are orders, not planned tasks).
    private func repairItems(staffID: Int, employee: String, on date: Day, now: Date) throws -> [TaskItem] {
        let cutoff = date == Day.from(now) ? now : date.adding(days: 1).startOfDay()
        return try db.query("""
            SELECT o.id, h.code, g.code, o.counted_on::text, o.category, o.description, o.status, d.due,
                   -- Completion is late from its midnight on (exclusive), the other stages after their minute.
                   d.due < $3 OR (o.status IN ('contacted', 'reopened') AND d.due = $3) AS late, to_char(d.due, 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00'
            FROM repair_orders o
            JOIN houses h ON h.id = o.house_id
            LEFT JOIN grid_houses gh ON gh.house_id = o.house_id
            LEFT JOIN grids g ON g.id = gh.grid_id
            CROSS JOIN LATERAL (SELECT CASE o.status WHEN 'dispatched' THEN o.sign_due WHEN 'signed' THEN o.contact_due
                                                     ELSE o.complete_due END AS due) d
            WHERE o.technician_id = $1 AND o.status IN ('dispatched', 'signed', 'contacted', 'reopened')
              AND o.opened_at < $2::date + 1
            ORDER BY d.due, h.code COLLATE house_natural, o.id
            """, [staffID, date.description, cutoff]).map { r in
            let id: Int = try r.decode(0)
            let code: String = try r.decode(4)
            let category = RepairCategory(rawValue: code)?.label ?? code
            let status = RepairStatus(rawValue: try r.decode(6))
            let stage: RepairStage = status == .dispatched ? .sign : status == .signed ? .contact : .complete
            return TaskItem(
                id: "repair:\(id)", standard: "repair_order", house: try r.decode(1), grid: try r.decode(2), butler: employee,
                window_start: try db.day(r, 3), due: try r.decode(9), status: try r.decode(8, as: Bool.self) ? "overdue" : "open",
                priority: 1, title: "报修 #\(id)（\(category)）待\(stage.label)", reason: try r.decode(5))
        }
    }

    /// What planning `date` would add to this butler's list (their grids on that day, their own tasks).
    private func previewItems(staffID: Int, employee: String, on date: Day) throws -> [TaskItem] {
        let (tasks, standards) = try Planner(db: db).preview(date: date)
        let grids = Set(try db.query("""
            SELECT grid_id FROM grid_assignments
            WHERE staff_id = $1 AND from_date <= $2::date AND (to_date IS NULL OR to_date >= $2::date)
            """, [staffID, date.description]).map { try $0.decode(0, as: Int.self) })
        let mine = tasks.filter { task in task.staffID == staffID || (task.staffID == nil && task.gridID.map(grids.contains) == true) }
        guard !mine.isEmpty else { return [] }
        let houses = Dictionary(uniqueKeysWithValues: try db.query("SELECT id, code FROM houses WHERE id = ANY($1::bigint[])",
            [mine.compactMap(\.houseID)]).map { (try $0.decode(0, as: Int.self), try $0.decode(1, as: String.self)) })
        let gridCodes = Dictionary(uniqueKeysWithValues: try db.query("SELECT id, code FROM grids WHERE id = ANY($1::int[])",
            [mine.compactMap(\.gridID)]).map { (try $0.decode(0, as: Int.self), try $0.decode(1, as: String.self)) })
        return mine.map { task in
            let standard = standards[task.standard]
            let due = task.dueAt.map(Timestamp.rfc3339) ?? task.due.description
            return TaskItem(
                id: "preview:\(task.standard.rawValue):\(task.subject):\(task.period)", standard: task.standard.rawValue,
                house: task.houseID.flatMap { houses[$0] }, grid: task.gridID.flatMap { gridCodes[$0] }, butler: employee,
                window_start: task.windowStart, due: due, status: task.due < date ? "overdue" : "open",
                priority: task.priority ?? standard?.priority ?? 3, title: standard?.name ?? task.standard.rawValue,
                reason: task.reason, preview: true)
        }.sorted { a, b in
            // A date-only due is the end of its day, after any time that day (as in the SQL above).
            func end(_ due: String) -> String { due.count == 10 ? due + "T24" : due }
            let (x, y) = ((a.status == "overdue" ? 0 : 1, a.priority, end(a.due)), (b.status == "overdue" ? 0 : 1, b.priority, end(b.due)))
            return x != y ? x < y : HouseCode.naturalOrder(a.house ?? "", b.house ?? "")
        }
    }

    /// 002 #18: up to 5 households of the butler's grids contacted least recently.
    private func suggestedHouses(staffID: Int, on date: Day) throws -> [String] {
        try db.query("""
            SELECT h.code FROM grid_assignments ga
            JOIN grid_houses gh ON gh.grid_id = ga.grid_id
            JOIN houses h ON h.id = gh.house_id
            WHERE ga.staff_id = $1 AND ga.from_date <= $2::date AND (ga.to_date IS NULL OR ga.to_date >= $2::date)
              AND h.occupancy IN ('self', 'rented')
            ORDER BY (SELECT max(tp.at) FROM touchpoints tp WHERE tp.house_id = h.id) NULLS FIRST, h.code COLLATE house_natural
            LIMIT 5
            """, [staffID, date.description]).map { try $0.decode(0) }
    }
}
