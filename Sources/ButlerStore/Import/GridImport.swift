import ButlerCore
import Postgres

/// `grid,project,name,phone,building,unit,butler,from`: one row per building (unit empty)
/// or unit a grid covers; name, phone, butler and from repeat on every row of a grid.
enum GridImport: TableImport {
    static let targetTables = ["grid_houses"]
    static let required = ["grid", "project", "name", "phone", "building", "unit", "butler", "from"]
    static let optional: [String] = []
    static let staging: SQL = """
        CREATE TEMP TABLE import_staging (
            line integer, grid text, project text, name text, phone text, building text, unit text,
            butler text, from_date date) ON COMMIT DROP
        """
    static let copy: SQL = "COPY import_staging (line, grid, project, name, phone, building, unit, butler, from_date) FROM STDIN"
    static let checks: [SQL] = [unknownProjectCheck, """
        SELECT s.line, 'butler', '未知管家 ''' || s.butler || ''''
            || CASE WHEN st.id IS NULL THEN '（请先导入 staff）' ELSE '（' || st.employee_no || ' 的角色是 ' || st.role || '）' END
        FROM import_staging s LEFT JOIN staff st ON st.employee_no = s.butler
        WHERE s.butler <> '' AND (st.id IS NULL OR st.role <> 'butler')
        """, """
        SELECT s.line, 'butler', s.butler || ' 是 ' || coalesce(p.code, '（无项目）') || ' 的管家，不是 ' || s.project
               || ' 的（网格只能由本项目的管家服务）'
        FROM import_staging s JOIN staff st ON st.employee_no = s.butler AND st.role = 'butler'
        LEFT JOIN projects p ON p.id = st.project_id
        WHERE p.code IS DISTINCT FROM s.project
        """, """
        SELECT s.line, 'building', s.project || ' 的 ' || s.building || ' 栋' || coalesce(' ' || s.unit || ' 单元', '') || '没有房屋'
        FROM import_staging s JOIN projects p ON p.code = s.project
        WHERE NOT EXISTS (SELECT 1 FROM houses h WHERE h.project_id = p.id AND h.building = s.building
                          AND (s.unit IS NULL OR h.unit = s.unit))
        """, """
        SELECT min(s.line), 'grid', '网格 ' || s.grid || ' 已属于项目 ' || p.code || '，不是 ' || min(s.project)
        FROM import_staging s JOIN grids g ON g.code = s.grid JOIN projects p ON p.id = g.project_id
        WHERE p.code <> s.project GROUP BY s.grid, p.code
        """, """
        SELECT min(s.line), 'building', s.building || ' 栋' || coalesce(' ' || s.unit || ' 单元', '') || '有 ' || count(*)
               || ' 户已在网格 ' || g.code || ' 中（要移过来请用 butler grid cover --move）'
        FROM import_staging s
        JOIN projects p ON p.code = s.project
        JOIN houses h ON h.project_id = p.id AND h.building = s.building AND (s.unit IS NULL OR h.unit = s.unit)
        JOIN grid_houses gh ON gh.house_id = h.id
        JOIN grids g ON g.id = gh.grid_id
        WHERE g.code <> s.grid
        GROUP BY s.grid, s.building, s.unit, g.code
        """, """
        SELECT min(line), 'grid', '网格 ' || grid || '：同一网格的每一行 project、name、phone、butler、from 必须相同'
        FROM import_staging GROUP BY grid HAVING count(DISTINCT (project, name, phone, butler, from_date)) > 1
        """, """
        SELECT b.line, 'building', b.building || ' 栋也被第 ' || a.line || ' 行覆盖'
        FROM import_staging a JOIN import_staging b ON a.project = b.project AND a.building = b.building
            AND a.line < b.line AND (a.unit IS NULL OR b.unit IS NULL OR a.unit = b.unit)
        """]

    static func stage(_ row: inout RowValidator) -> (values: [String?], key: String) {
        let grid = row.text("grid")
        if !grid.isEmpty, !grid.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            row.fail("grid", "'\(grid)' 只能含字母、数字和 '-'（例如 YS01-G03）")
        }
        let project = row.text("project")
        let name = row.text("name")
        let phone = row.phones("phone", required: true).first
        let building = row.text("building", pattern: "/-")
        let unit = row.text("unit", required: false, pattern: "/-")
        let butler = row.text("butler", required: false)
        let from = row.day("from", required: !butler.isEmpty)
        return ([grid, project, name, phone, building, unit.isEmpty ? nil : unit, butler, from?.description],
                "\(grid) \(building)-\(unit)")
    }

    static let hasFirstLoad = true

    static func upsert(_ db: Connection) throws -> UpsertCounts { try write(db, keyless: false) }

    /// grid_houses empty and keyless: the same writes without ON CONFLICT (the checks above
    /// already refuse a house covered twice by the file).
    static func firstLoad(_ db: Connection) throws -> UpsertCounts { try write(db, keyless: true) }

    private static func write(_ db: Connection, keyless: Bool) throws -> UpsertCounts {
        // Counted per grid: new grids are inserted; a grid whose name, phone, houses or butler changed is updated.
        var inserted: Set<String> = [], changed: Set<String> = []
        for row in try db.query("""
            INSERT INTO grids (project_id, code, name, phone)
            SELECT DISTINCT ON (s.grid) p.id, s.grid, s.name, s.phone
            FROM import_staging s JOIN projects p ON p.code = s.project ORDER BY s.grid, s.line
            ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, phone = EXCLUDED.phone
            WHERE (grids.name, grids.phone) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.phone)
            RETURNING code, xmax = 0
            """) {
            if try row.decode(1, as: Bool.self) { inserted.insert(try row.decode(0)) } else { changed.insert(try row.decode(0)) }
        }
        // Keyless (first load): no ON CONFLICT, there is no key to arbitrate on.
        let cover: SQL = """
            WITH covered AS (
                INSERT INTO grid_houses (house_id, grid_id, project_id)
                SELECT h.id, g.id, g.project_id
                FROM import_staging s
                JOIN grids g ON g.code = s.grid
                JOIN houses h ON h.project_id = g.project_id AND h.building = s.building AND (s.unit IS NULL OR h.unit = s.unit)

            """ + (keyless ? "" : "ON CONFLICT (house_id) DO NOTHING\n") + """
                RETURNING grid_id)
            SELECT DISTINCT g.code FROM covered c JOIN grids g ON g.id = c.grid_id
            """
        for row in try db.query(cover) {
            changed.insert(try row.decode(0))
        }
        // Grids never assigned before: one statement. Only grids with history go through
        // GridStore.assign's rules (close the previous assignment, refuse rewriting history).
        for row in try db.query("""
            INSERT INTO grid_assignments (grid_id, project_id, staff_id, from_date)
            SELECT DISTINCT g.id, g.project_id, st.id, s.from_date
            FROM import_staging s JOIN grids g ON g.code = s.grid JOIN staff st ON st.employee_no = s.butler
            WHERE s.butler <> '' AND NOT EXISTS (SELECT 1 FROM grid_assignments ga WHERE ga.grid_id = g.id)
            RETURNING (SELECT code FROM grids WHERE id = grid_id)
            """) {
            changed.insert(try row.decode(0))
        }
        let grids = GridStore(db: db)
        for row in try db.query("""
            SELECT DISTINCT s.grid, s.butler, s.from_date::text FROM import_staging s JOIN grids g ON g.code = s.grid
            WHERE s.butler <> '' AND NOT EXISTS (
                SELECT 1 FROM grid_assignments ga JOIN staff st ON st.id = ga.staff_id
                WHERE ga.grid_id = g.id AND st.employee_no = s.butler AND ga.from_date <= s.from_date AND ga.to_date IS NULL)
            ORDER BY s.grid
            """) {
            let code: String = try row.decode(0)
            guard let from = Day(try row.decode(2, as: String.self)) else { continue }
            if try grids.assign(grid: code, butler: try row.decode(1), from: from) != .unchanged { changed.insert(code) }
        }
        let total = try db.query("SELECT count(DISTINCT grid) FROM import_staging")[0].decode(0, as: Int.self)
        return UpsertCounts(inserted: inserted.count, updated: changed.subtracting(inserted).count, total: total)
    }
}
