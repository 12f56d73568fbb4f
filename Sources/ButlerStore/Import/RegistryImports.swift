import ButlerCore
import Postgres

enum ProjectImport: TableImport {
    static let targetTables = ["projects"]
    static let required = ["code", "name"]
    static let optional: [String] = []
    static let staging: SQL = "CREATE TEMP TABLE import_staging (line integer, code text, name text) ON COMMIT DROP"
    static let copy: SQL = "COPY import_staging (line, code, name) FROM STDIN"
    static let checks: [SQL] = []

    static func stage(_ row: inout RowValidator) -> (values: [String?], key: String) {
        let code = row.text("code")
        if !code.isEmpty, !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            row.fail("code", "'\(code)' 只能含字母和数字（例如 YS01）")
        }
        return ([code, row.text("name")], code)
    }

    static func upsert(_ db: Connection) throws -> UpsertCounts {
        try db.upsertCounts("""
            WITH up AS (
                INSERT INTO projects (code, name) SELECT code, name FROM import_staging ORDER BY line
                ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name
                WHERE projects.name IS DISTINCT FROM EXCLUDED.name
                RETURNING xmax = 0 AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up
            """)
    }
}

enum StaffImport: TableImport {
    static let targetTables = ["staff"]
    static let required = ["employee_no", "name", "phone", "role"]
    static let optional = ["project"]
    static let staging: SQL = "CREATE TEMP TABLE import_staging (line integer, employee_no text, name text, phone text, role text, project text) ON COMMIT DROP"
    static let copy: SQL = "COPY import_staging (line, employee_no, name, phone, role, project) FROM STDIN"
    static let checks: [SQL] = ["""
        SELECT s.line, 'project', '未知项目 ''' || s.project || '''（请先导入 projects）'
        FROM import_staging s LEFT JOIN projects p ON p.code = s.project
        WHERE s.project IS NOT NULL AND p.id IS NULL
        """]

    static func stage(_ row: inout RowValidator) -> (values: [String?], key: String) {
        let number = row.text("employee_no")
        if !number.isEmpty, !number.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            row.fail("employee_no", "'\(number)' 只能含字母和数字（例如 E1001）")
        }
        let name = row.text("name")
        let phone = row.phones("phone", required: false).first
        let role = row.choice("role", StaffRole.allCases.map(\.rawValue))
        let project = row.record["project"]
        return ([number, name, phone, role, project.isEmpty ? nil : project], number)
    }

    static func upsert(_ db: Connection) throws -> UpsertCounts {
        try db.upsertCounts("""
            WITH up AS (
                INSERT INTO staff (employee_no, name, phone, role, project_id)
                SELECT s.employee_no, s.name, s.phone, s.role, p.id
                FROM import_staging s LEFT JOIN projects p ON p.code = s.project ORDER BY s.line
                ON CONFLICT (employee_no) DO UPDATE
                SET name = EXCLUDED.name, phone = EXCLUDED.phone, role = EXCLUDED.role, project_id = EXCLUDED.project_id
                WHERE (staff.name, staff.phone, staff.role, staff.project_id)
                    IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.phone, EXCLUDED.role, EXCLUDED.project_id)
                RETURNING xmax = 0 AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up
            """)
    }
}

enum HouseImport: TableImport {
    static let targetTables = ["houses"]
    static let required = ["project", "building", "unit", "room", "floor", "area_m2", "occupancy", "move_in_date", "holiday_home"]
    static let optional: [String] = []
    static let staging: SQL = """
        CREATE TEMP TABLE import_staging (
            line integer, project text, building text, unit text, room text, floor smallint,
            area_m2 numeric(8, 2), occupancy text, move_in_date date, holiday_home boolean) ON COMMIT DROP
        """
    static let copy: SQL = "COPY import_staging (line, project, building, unit, room, floor, area_m2, occupancy, move_in_date, holiday_home) FROM STDIN"
    static let checks: [SQL] = [unknownProjectCheck]

    static func stage(_ row: inout RowValidator) -> (values: [String?], key: String) {
        let house = HouseReference(&row)
        let floor = row.integer("floor", range: -5...200)
        let area = row.decimal("area_m2", range: 1...100_000)
        let occupancy = row.choice("occupancy", Occupancy.allCases.map(\.rawValue))
        let moveIn = row.day("move_in_date")
        let holidayHome = row.flag("holiday_home")
        return ([house.project, house.building, house.unit, house.room, floor.map(String.init), area,
                 occupancy, moveIn?.description, holidayHome ? "t" : "f"], house.code)
    }

    static func upsert(_ db: Connection) throws -> UpsertCounts {
        try db.upsertCounts("""
            WITH up AS (
                INSERT INTO houses (project_id, building, unit, room, code, floor, area_m2, occupancy, move_in_date, holiday_home)
                SELECT p.id, s.building, s.unit, s.room, p.code || '/' || s.building || '-' || s.unit || '-' || s.room,
                       s.floor, s.area_m2, s.occupancy, s.move_in_date, s.holiday_home
                FROM import_staging s JOIN projects p ON p.code = s.project ORDER BY s.line
                ON CONFLICT (project_id, building, unit, room) DO UPDATE
                SET floor = EXCLUDED.floor, area_m2 = EXCLUDED.area_m2, occupancy = EXCLUDED.occupancy,
                    move_in_date = EXCLUDED.move_in_date, holiday_home = EXCLUDED.holiday_home
                WHERE (houses.floor, houses.area_m2, houses.occupancy, houses.move_in_date, houses.holiday_home)
                    IS DISTINCT FROM (EXCLUDED.floor, EXCLUDED.area_m2, EXCLUDED.occupancy, EXCLUDED.move_in_date, EXCLUDED.holiday_home)
                RETURNING xmax = 0 AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up
            """)
    }

    static let hasFirstLoad = true

    static func firstLoad(_ db: Connection) throws -> UpsertCounts {
        let inserted = try db.execute("""
            INSERT INTO houses (project_id, building, unit, room, code, floor, area_m2, occupancy, move_in_date, holiday_home)
            SELECT p.id, s.building, s.unit, s.room, p.code || '/' || s.building || '-' || s.unit || '-' || s.room,
                   s.floor, s.area_m2, s.occupancy, s.move_in_date, s.holiday_home
            FROM import_staging s JOIN projects p ON p.code = s.project ORDER BY s.line
            """)
        return UpsertCounts(inserted: inserted, updated: 0)
    }
}

enum ResidentImport: TableImport {
    static let targetTables = ["residents", "resident_phones", "house_residents"]
    static let required = ["project", "building", "unit", "room", "name", "phone", "role", "move_in_date", "tags"]
    static let optional: [String] = []
    static let staging: SQL = """
        CREATE TEMP TABLE import_staging (
            line integer, house text, name text, phones text[], role text, move_in_date date, tags text[]) ON COMMIT DROP
        """
    static let copy: SQL = "COPY import_staging (line, house, name, phones, role, move_in_date, tags) FROM STDIN"
    static let checks: [SQL] = [unknownHouseCheck]

    static func stage(_ row: inout RowValidator) -> (values: [String?], key: String) {
        let house = HouseReference(&row)
        let name = row.text("name")
        let phones = row.phones("phone", required: true)
        let role = row.choice("role", ["owner", "family", "tenant"])
        let moveIn = row.day("move_in_date")
        let tags = row.tags("tags", allowed: ResidentTag.allCases.map(\.rawValue))
        return ([house.code, name, phones.postgresText, role, moveIn?.description, tags.postgresText],
                "\(house.code) \(name) \(phones.first ?? "")")
    }

    static let hasFirstLoad = true

    static func upsert(_ db: Connection) throws -> UpsertCounts {
        // A person is identified by name and first phone; several phones are all searchable.
        // Anti-joins first: on a re-import nothing reaches the (expensive) unique indexes.
        try db.execute("""
            INSERT INTO residents (name, phone)
            SELECT DISTINCT s.name, s.phones[1] FROM import_staging s
            WHERE NOT EXISTS (SELECT 1 FROM residents r WHERE r.name = s.name AND r.phone = s.phones[1])
            ON CONFLICT (name, phone) DO NOTHING
            """)
        try resolve(db)
        try db.execute("""
            INSERT INTO resident_phones (resident_id, phone)
            SELECT DISTINCT x.resident_id, ph.phone
            FROM import_resolved x CROSS JOIN unnest(x.phones) AS ph(phone)
            WHERE NOT EXISTS (SELECT 1 FROM resident_phones rp WHERE rp.resident_id = x.resident_id AND rp.phone = ph.phone)
            ON CONFLICT DO NOTHING
            """)
        let updated = try db.execute("""
            UPDATE house_residents hr SET role = x.role, move_in_date = x.move_in_date, tags = x.tags
            FROM import_resolved x
            WHERE hr.house_id = x.house_id AND hr.resident_id = x.resident_id
              AND (hr.role, hr.move_in_date, hr.tags) IS DISTINCT FROM (x.role, x.move_in_date, x.tags)
            """)
        let inserted = try db.execute("""
            INSERT INTO house_residents (house_id, resident_id, project_id, role, move_in_date, tags)
            SELECT x.house_id, x.resident_id, x.project_id, x.role, x.move_in_date, x.tags
            FROM import_resolved x
            WHERE NOT EXISTS (SELECT 1 FROM house_residents hr WHERE hr.house_id = x.house_id AND hr.resident_id = x.resident_id)
            ON CONFLICT (house_id, resident_id) DO NOTHING
            """)
        return UpsertCounts(inserted: inserted, updated: updated)
    }

    /// The same rows as `upsert`, into empty tables without keys: nothing to skip or update.
    /// (The file has no duplicate rows: the validator refuses them, the re-added keys check.)
    static func firstLoad(_ db: Connection) throws -> UpsertCounts {
        try db.execute("INSERT INTO residents (name, phone) SELECT DISTINCT s.name, s.phones[1] FROM import_staging s")
        try db.execute("ANALYZE residents")
        try resolve(db)
        // Every person's first phone is on their residents row; only further phones need the
        // unnest and DISTINCT (a row's phones are distinct, and every row of one person starts
        // with the same phone, so the two sets cannot overlap).
        try db.execute("INSERT INTO resident_phones (resident_id, phone) SELECT id, phone FROM residents")
        try db.execute("""
            INSERT INTO resident_phones (resident_id, phone)
            SELECT DISTINCT x.resident_id, ph.phone FROM import_resolved x CROSS JOIN unnest(x.phones[2:]) AS ph(phone)
            WHERE cardinality(x.phones) > 1
            """)
        let inserted = try db.execute("""
            INSERT INTO house_residents (house_id, resident_id, project_id, role, move_in_date, tags)
            SELECT x.house_id, x.resident_id, x.project_id, x.role, x.move_in_date, x.tags FROM import_resolved x
            """)
        return UpsertCounts(inserted: inserted, updated: 0)
    }

    /// Each staged row with its house and person ids.
    private static func resolve(_ db: Connection) throws {
        try db.execute("""
            CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
            SELECT s.line, h.id AS house_id, h.project_id, r.id AS resident_id, s.phones, s.role, s.move_in_date, s.tags
            FROM import_staging s
            JOIN houses h ON h.code = s.house
            JOIN residents r ON r.name = s.name AND r.phone = s.phones[1]
            """)
        try db.execute("ANALYZE import_resolved")
    }
}

enum EntrustmentImport: TableImport {
    static let targetTables = ["entrustments"]
    static let required = ["project", "building", "unit", "room", "kind", "from", "to", "keys"]
    static let optional: [String] = []
    static let staging: SQL = """
        CREATE TEMP TABLE import_staging (
            line integer, house text, kind text, from_date date, to_date date, keys smallint) ON COMMIT DROP
        """
    static let copy: SQL = "COPY import_staging (line, house, kind, from_date, to_date, keys) FROM STDIN"
    static let checks: [SQL] = [unknownHouseCheck, """
        SELECT s.line, 'from', '与房屋 ' || s.house || ' 已有的委托 ' || e.from_date || '..' || coalesce(e.to_date::text, '（未结束）')
               || ' 重叠'
        FROM import_staging s
        JOIN houses h ON h.code = s.house
        JOIN entrustments e ON e.house_id = h.id AND e.from_date <> s.from_date
            AND daterange(e.from_date, e.to_date, '[]') && daterange(s.from_date, s.to_date, '[]')
        """, """
        SELECT b.line, 'from', '与第 ' || a.line || ' 行同一房屋的委托重叠'
        FROM import_staging a JOIN import_staging b ON a.house = b.house AND a.line < b.line
            AND daterange(a.from_date, a.to_date, '[]') && daterange(b.from_date, b.to_date, '[]')
        """]

    static func stage(_ row: inout RowValidator) -> (values: [String?], key: String) {
        let house = HouseReference(&row)
        let kind = row.choice("kind", ["unpaid", "paid"])
        let from = row.day("from", required: true)
        let to = row.day("to")
        if let from, let to, to < from { row.fail("to", "\(to) 早于开始日期 from \(from)") }
        let keys = row.integer("keys", range: 0...99) ?? 0
        return ([house.code, kind, from?.description, to?.description, String(keys)], "\(house.code) \(from?.description ?? "")")
    }

    static func upsert(_ db: Connection) throws -> UpsertCounts {
        // Natural key: the house and the start date.
        let updated = try db.execute("""
            UPDATE entrustments e SET kind = s.kind, to_date = s.to_date, keys = s.keys
            FROM import_staging s JOIN houses h ON h.code = s.house
            WHERE e.house_id = h.id AND e.from_date = s.from_date
              AND (e.kind, e.to_date, e.keys) IS DISTINCT FROM (s.kind, s.to_date, s.keys)
            """)
        let inserted = try db.execute("""
            INSERT INTO entrustments (house_id, project_id, kind, from_date, to_date, keys)
            SELECT h.id, h.project_id, s.kind, s.from_date, s.to_date, s.keys
            FROM import_staging s JOIN houses h ON h.code = s.house
            WHERE NOT EXISTS (SELECT 1 FROM entrustments e WHERE e.house_id = h.id AND e.from_date = s.from_date)
            ORDER BY s.line
            """)
        return UpsertCounts(inserted: inserted, updated: updated)
    }
}
