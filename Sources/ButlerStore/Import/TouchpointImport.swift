import ButlerCore
import Foundation
import Postgres

/// `project,building,unit,room,kind,by,at,note`: a history of contacts (e.g. from an older
/// system). Natural key: house, time and kind.
enum TouchpointImport: TableImport {
    static let targetTables = ["touchpoints"]
    static let required = ["project", "building", "unit", "room", "kind", "by", "at", "note"]
    static let optional: [String] = []
    static let staging: SQL = """
        CREATE TEMP TABLE import_staging (
            line integer, house text, kind text, by_staff text, at timestamptz, note text) ON COMMIT DROP
        """
    static let copy: SQL = "COPY import_staging (line, house, kind, by_staff, at, note) FROM STDIN"
    static let checks: [SQL] = [unknownHouseCheck, unknownStaffCheck]

    static func stage(_ row: inout RowValidator) -> (values: [String?], key: String) {
        let house = HouseReference(&row)
        let kind = row.choice("kind", TouchpointKind.allCases.map(\.rawValue))
        let by = row.record["by"]
        let at = row.time("at")
        return ([house.code, kind, by.isEmpty ? nil : by, at, row.record["note"]], "\(house.code) \(at ?? "") \(kind)")
    }

    static func afterUpsert(_ db: Connection) throws { try completeTasksOfStagedHouses(db) }

    static func upsert(_ db: Connection) throws -> UpsertCounts {
        try db.upsertCounts("""
            WITH up AS (
                INSERT INTO touchpoints (house_id, project_id, kind, staff_id, at, note)
                SELECT h.id, h.project_id, s.kind, st.id, s.at, s.note
                FROM import_staging s JOIN houses h ON h.code = s.house
                LEFT JOIN staff st ON st.employee_no = s.by_staff
                ON CONFLICT (house_id, at, kind) DO UPDATE SET note = EXCLUDED.note, staff_id = EXCLUDED.staff_id
                WHERE (touchpoints.note, touchpoints.staff_id) IS DISTINCT FROM (EXCLUDED.note, EXCLUDED.staff_id)
                RETURNING xmax = 0 AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up
            """)
    }
}
