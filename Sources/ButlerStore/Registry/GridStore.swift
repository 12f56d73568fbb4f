import ButlerCore
import Foundation
import Postgres

public struct GridSummary: Sendable, Encodable, Equatable {
    public let grid: String
    public let project: String
    public let name: String
    public let phone: String
    /// Employee number of the butler on duty today, null when nobody is assigned.
    @EncodedAsNull public var butler: String?
    public let butlerName: String?
    public let houses: Int

    enum CodingKeys: String, CodingKey { case grid, project, name, phone, butler, houses }
}

public struct GridAssignment: Sendable, Encodable, Equatable {
    public let butler: String
    public let butlerName: String
    public let from: Day
    /// Inclusive last day; null while the assignment is open.
    @EncodedAsNull public var to: Day?
    /// When the assignment was entered (a correction keeps it); not part of the CLI's JSON.
    public var recordedAt: Date?

    enum CodingKeys: String, CodingKey { case butler, from, to }
}

public enum AssignmentResult: String, Sendable {
    /// A new assignment was recorded (the previous one closed the day before).
    case assigned
    /// The same butler already serves the grid from that date or earlier.
    case unchanged
    /// Same start date, different butler: the assignment was corrected.
    case corrected
}

public struct CoverResult: Sendable, Equatable {
    public let added: Int
    public let moved: Int
    public let alreadyInGrid: Int
}

/// Grids: drawing them over buildings, and who serves them on which dates.
public struct GridStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    public func create(code: String, project: String, name: String, phone: String) throws -> Int {
        guard code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }), !code.isEmpty else {
            throw ButlerError(.invalidInput, field: "code", "网格编码“\(code)”只能由字母、数字和“-”组成（例如 YS01-G03）")
        }
        guard let phone = PhoneNumber(phone) else {
            throw ButlerError(.invalidInput, field: "phone", "“\(phone)”不是有效的电话号码")
        }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ButlerError(.invalidInput, field: "name", "网格名称不能为空")
        }
        let projectID = try RegistryLookup(db: db).projectID(project)
        do {
            return try db.query(
                "INSERT INTO grids (project_id, code, name, phone) VALUES ($1, $2, $3, $4) RETURNING id",
                [projectID, code, name, phone.digits])[0].decode(0)
        } catch {
            if error.isUniqueViolation { throw ButlerError(.conflict, field: "code", "网格 \(code) 已存在") }
            throw error
        }
    }

    /// Adds the houses of a building (or one unit) to a grid. Houses in another grid are
    /// refused unless `move` is set.
    public func cover(grid code: String, building: String, unit: String?, move: Bool) throws -> CoverResult {
        try db.transaction {
            let grid = try gridRow(code, lock: true)
            let houses = try db.query("""
                SELECT h.id, g.code FROM houses h
                LEFT JOIN grid_houses gh ON gh.house_id = h.id
                LEFT JOIN grids g ON g.id = gh.grid_id
                WHERE h.project_id = $1 AND h.building = $2 AND ($3::text IS NULL OR h.unit = $3)
                """, [grid.projectID, building, unit])
            guard !houses.isEmpty else {
                throw ButlerError(.notFound, field: "building", "网格所在项目中没有 \(building) 号楼\(unit.map { " \($0) 单元" } ?? "")的房屋")
            }
            var elsewhere: [String: Int] = [:]
            var here = 0
            for row in houses {
                if let other: String = try row.decode(1, as: String?.self) {
                    if other == code { here += 1 } else { elsewhere[other, default: 0] += 1 }
                }
            }
            if !elsewhere.isEmpty && !move {
                let list = elsewhere.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value) 户" }.joined(separator: "、")
                throw ButlerError(.conflict, field: "move", "这些房屋已属于其他网格（\(list)）；确认要移入 \(code) 请加上移动选项")
            }
            let moved = try db.execute("""
                UPDATE grid_houses gh SET grid_id = $1
                FROM houses h WHERE gh.house_id = h.id AND gh.grid_id <> $1
                  AND h.project_id = $2 AND h.building = $3 AND ($4::text IS NULL OR h.unit = $4)
                """, [grid.id, grid.projectID, building, unit])
            // Open tasks go with their house to its new grid (and so to its butler); done ones
            // stay where they were done.
            try db.execute("""
                UPDATE tasks t SET grid_id = $1
                FROM houses h WHERE t.house_id = h.id AND t.done_at IS NULL AND t.grid_id IS DISTINCT FROM $1
                  AND h.project_id = $2 AND h.building = $3 AND ($4::text IS NULL OR h.unit = $4)
                """, [grid.id, grid.projectID, building, unit])
            let added = try db.execute("""
                INSERT INTO grid_houses (house_id, grid_id, project_id)
                SELECT h.id, $1, h.project_id FROM houses h
                WHERE h.project_id = $2 AND h.building = $3 AND ($4::text IS NULL OR h.unit = $4)
                ON CONFLICT (house_id) DO NOTHING
                """, [grid.id, grid.projectID, building, unit])
            return CoverResult(added: added, moved: moved, alreadyInGrid: here)
        }
    }

    /// Assigns `butler` to the grid from `from` on, closing the open assignment the day before.
    ///
    /// Rule: `from` may be in the past, but must be after the start of the grid's latest
    /// assignment (history is never rewritten); the same start date replaces the butler (a
    /// correction). `from` is at most a year after `today` (a far-future start would block the
    /// grid's every later assignment), and the butler belongs to the grid's project. The
    /// database's exclusion constraint and row-level security (schema/0011) are the final guards.
    @discardableResult
    public func assign(grid code: String, butler: String, from: Day, today: Day = Day.today()) throws -> AssignmentResult {
        try InputBounds.day(from, field: "from")
        let latestStart = today.adding(days: 366)
        guard from <= latestStart else {
            throw ButlerError(.invalidInput, field: "from", "\(from) 超过一年以后（最晚 \(latestStart)）")
        }
        return try db.transaction {
            let grid = try gridRow(code, lock: true)
            let staff = try RegistryLookup(db: db).staff(butler, field: "butler")
            guard staff.role == .butler else {
                throw ButlerError(.invalidInput, field: "butler", "\(butler) 是\(staff.role.label)，不是管家")
            }
            guard staff.projectID == grid.projectID else {
                throw ButlerError(.invalidInput, field: "butler", "\(butler) 不是网格 \(code) 所在项目的管家；请指派本项目的管家")
            }
            let latest = try db.query("""
                SELECT id, staff_id, from_date::text, to_date::text FROM grid_assignments
                WHERE grid_id = $1 ORDER BY from_date DESC LIMIT 1
                """, [grid.id]).first
            guard let latest else {
                try insertAssignment(grid: grid, staffID: staff.id, from: from)
                return .assigned
            }
            let id: Int = try latest.decode(0)
            let currentStaff: Int = try latest.decode(1)
            let start = Day(try latest.decode(2, as: String.self)) ?? from
            let end = try latest.decode(3, as: String?.self).flatMap(Day.init)
            if currentStaff == staff.id && start <= from && (end == nil || from <= end!) { return .unchanged }
            if from < start {
                throw ButlerError(.conflict, field: "from", "网格 \(code) 已有自 \(start) 起的指派；开始日期须晚于 \(start)（历史不会被改写）")
            }
            if from == start {
                try db.execute("UPDATE grid_assignments SET staff_id = $1 WHERE id = $2", [staff.id, id])
                return .corrected
            }
            if let end, from <= end {
                throw ButlerError(.conflict, field: "from", "网格 \(code) 在 \(start) 至 \(end) 已有指派；请选择 \(end) 之后的日期")
            }
            if end == nil {
                try db.execute("UPDATE grid_assignments SET to_date = $1::date WHERE id = $2", [from.adding(days: -1).description, id])
            }
            try insertAssignment(grid: grid, staffID: staff.id, from: from)
            return .assigned
        }
    }

    private func insertAssignment(grid: GridRow, staffID: Int, from: Day) throws {
        try db.execute("""
            INSERT INTO grid_assignments (grid_id, project_id, staff_id, from_date) VALUES ($1, $2, $3, $4::date)
            """, [grid.id, grid.projectID, staffID, from.description])
    }

    /// Every grid (of one project), with the butler on duty on `day` and its number of houses.
    public func list(project: String? = nil, on day: Day = Day.today()) throws -> [GridSummary] {
        if let project { _ = try RegistryLookup(db: db).projectID(project) }
        return try db.query("""
            SELECT g.code, p.code, g.name, g.phone, st.employee_no, st.name,
                   (SELECT count(*) FROM grid_houses gh WHERE gh.grid_id = g.id)
            FROM grids g
            JOIN projects p ON p.id = g.project_id
            LEFT JOIN grid_assignments ga ON ga.grid_id = g.id
                 AND ga.from_date <= $2::date AND (ga.to_date IS NULL OR ga.to_date >= $2::date)
            LEFT JOIN staff st ON st.id = ga.staff_id
            WHERE $1::text IS NULL OR p.code = $1
            ORDER BY p.code, g.code
            """, [project, day.description]).map { row in
            GridSummary(
                grid: try row.decode(0), project: try row.decode(1), name: try row.decode(2), phone: try row.decode(3),
                butler: try row.decode(4), butlerName: try row.decode(5), houses: try row.decode(6))
        }
    }

    /// Who served the grid, oldest first.
    public func history(grid code: String) throws -> [GridAssignment] {
        let grid = try gridRow(code, lock: false)
        return try db.query("""
            SELECT st.employee_no, st.name, ga.from_date::text, ga.to_date::text, ga.created_at
            FROM grid_assignments ga JOIN staff st ON st.id = ga.staff_id
            WHERE ga.grid_id = $1 ORDER BY ga.from_date
            """, [grid.id]).map { row in
            GridAssignment(
                butler: try row.decode(0), butlerName: try row.decode(1),
                from: try Day.decodeText(try row.decode(2)), to: try row.decode(3, as: String?.self).flatMap(Day.init),
                recordedAt: try row.decode(4, as: Date.self))
        }
    }

    struct GridRow {
        let id: Int
        let projectID: Int
    }

    private func gridRow(_ code: String, lock: Bool) throws -> GridRow {
        let rows = lock
            ? try db.query("SELECT id, project_id FROM grids WHERE code = $1 FOR UPDATE", [code])
            : try db.query("SELECT id, project_id FROM grids WHERE code = $1", [code])
        guard let row = rows.first else { throw ButlerError(.notFound, field: "grid", "网格 \(code) 不存在") }
        return GridRow(id: try row.decode(0), projectID: try row.decode(1))
    }
}

extension Day {
    /// A `date` column read as text; the server always sends YYYY-MM-DD.
    static func decodeText(_ text: String) throws -> Day {
        guard let day = Day(text) else { throw PostgresError(kind: .decoding, message: "cannot read '\(text)' as a date") }
        return day
    }
}
