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
    static let checks: [SQL] = [unknownHouseCheck, unknownStaffCheck, changedRecordCheck]

    static func stage(_ row: inout RowValidator) -> (values: [String?], key: String) {
        let house = HouseReference(&row)
        let kind = row.choice("kind", TouchpointKind.allCases.map(\.rawValue))
        let by = row.record["by"]
        let at = row.time("at")
        return ([house.code, kind, by.isEmpty ? nil : by, at, row.record["note"]], "\(house.code) \(at ?? "") \(kind)")
    }

    static func afterUpsert(_ db: Connection) throws { try completeTasksOfStagedHouses(db) }

    /// Records are append-only: a row whose record exists with another note or author is refused
    /// (an identical row is unchanged, so re-importing a file is a no-op).
    static let changedRecordCheck: SQL = """
        SELECT s.line, 'note', 'touchpoint ' || t.id || ' already records this ' || s.kind
               || ' with another note or author; records are not overwritten: correct it with POST /v1/touchpoints/'
               || t.id || '/corrections'
        FROM import_staging s JOIN houses h ON h.code = s.house
        JOIN touchpoints t ON t.house_id = h.id AND t.at = s.at AND t.kind = s.kind
        LEFT JOIN staff st ON st.employee_no = s.by_staff
        WHERE (t.note, t.staff_id) IS DISTINCT FROM (s.note, st.id)
        """

    static func upsert(_ db: Connection) throws -> UpsertCounts {
        try db.upsertCounts("""
            WITH up AS (
                INSERT INTO touchpoints (house_id, project_id, kind, staff_id, at, note)
                SELECT h.id, h.project_id, s.kind, st.id, s.at, s.note
                FROM import_staging s JOIN houses h ON h.code = s.house
                LEFT JOIN staff st ON st.employee_no = s.by_staff
                ON CONFLICT (house_id, at, kind) DO NOTHING
                RETURNING true AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up
            """)
    }
}
