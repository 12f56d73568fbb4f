import ButlerCore
import Foundation
import Postgres

/// `project,building,unit,room,kind,by,at,finding`: past inspections (check, ventilation,
/// cleaning). Natural key: house, time and kind. Findings separated by `;`.
enum InspectionImport: TableImport {
    static let targetTables = ["inspections"]
    static let required = ["project", "building", "unit", "room", "kind", "by", "at", "finding"]
    static let optional: [String] = []
    static let staging: SQL = """
        CREATE TEMP TABLE import_staging (
            line integer, house text, kind text, by_staff text, at timestamptz, findings text[]) ON COMMIT DROP
        """
    static let copy: SQL = "COPY import_staging (line, house, kind, by_staff, at, findings) FROM STDIN"
    static let checks: [SQL] = [unknownHouseCheck, unknownStaffCheck, changedRecordCheck]

    static func stage(_ row: inout RowValidator) -> (values: [String?], key: String) {
        let house = HouseReference(&row)
        let kind = row.choice("kind", InspectionKind.allCases.map(\.rawValue))
        let by = row.record["by"]
        let at = row.time("at")
        let findings = row.list("finding")
        return ([house.code, kind, by.isEmpty ? nil : by, at, findings.postgresArray], "\(house.code) \(at ?? "") \(kind)")
    }

    static func afterUpsert(_ db: Connection) throws { try completeTasksOfStagedHouses(db) }

    /// Records are append-only: a row whose inspection exists with other findings or another
    /// inspector is refused (an identical row is unchanged).
    static let changedRecordCheck: SQL = """
        SELECT s.line, 'finding', 'inspection ' || r.id || ' already records this ' || s.kind
               || ' with other findings or another inspector; records are not overwritten'
        FROM import_staging s JOIN houses h ON h.code = s.house
        JOIN inspections r ON r.house_id = h.id AND r.at = s.at AND r.kind = s.kind
        LEFT JOIN staff st ON st.employee_no = s.by_staff
        WHERE (r.findings, r.staff_id) IS DISTINCT FROM (s.findings, st.id)
        """

    static func upsert(_ db: Connection) throws -> UpsertCounts {
        try db.upsertCounts("""
            WITH up AS (
                INSERT INTO inspections (house_id, project_id, kind, staff_id, at, findings)
                SELECT h.id, h.project_id, s.kind, st.id, s.at, s.findings
                FROM import_staging s JOIN houses h ON h.code = s.house
                LEFT JOIN staff st ON st.employee_no = s.by_staff
                ON CONFLICT (house_id, at, kind) DO NOTHING
                RETURNING true AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up
            """)
    }
}
