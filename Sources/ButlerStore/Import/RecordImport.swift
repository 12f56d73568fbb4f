import ButlerCore
import Postgres

/// What the touchpoint and inspection imports share: a house, a kind, who (`by`) and when
/// (`at`), then what was recorded (`payload`: a note, findings). Natural key: house, time
/// and kind. Records are append-only: an identical row is unchanged, another is refused.
protocol RecordImport: TableImport {
    /// The records table (`touchpoints`, `inspections`).
    static var records: SQL { get }
    /// The column after the common ones, with its type in the staging table (`note text`).
    static var payload: SQL { get }
    static var payloadType: SQL { get }
    /// The kinds a row may name.
    static var kinds: [String] { get }
    /// The staged payload of a row.
    static func stagedPayload(_ row: inout RowValidator) -> String?
    /// `(column, message)` for a row whose record exists with another payload or author
    /// (`r` is the stored record, `s` the staged row).
    static var changedRecord: SQL { get }
}

extension RecordImport {
    static var optional: [String] { [] }
    static var staging: SQL {
        "CREATE TEMP TABLE import_staging (line integer, house text, kind text, by_staff text, at timestamptz, "
            + payload + " " + payloadType + ") ON COMMIT DROP"
    }
    static var copy: SQL { "COPY import_staging (line, house, kind, by_staff, at, " + payload + ") FROM STDIN" }
    static var checks: [SQL] { [unknownHouseCheck, unknownStaffCheck, changedRecordCheck] }

    static func stage(_ row: inout RowValidator) -> (values: [String?], key: String) {
        let house = HouseReference(&row)
        let kind = row.choice("kind", kinds)
        let by = row.record["by"]
        let at = row.time("at")
        return ([house.code, kind, by.isEmpty ? nil : by, at, stagedPayload(&row)], "\(house.code) \(at ?? "") \(kind)")
    }

    static var changedRecordCheck: SQL {
        let stored: SQL = " JOIN " + records + " r ON r.house_id = h.id AND r.at = s.at AND r.kind = s.kind"
        let differs: SQL = " WHERE (r." + payload + ", r.staff_id) IS DISTINCT FROM (s." + payload + ", st.id)"
        return "SELECT s.line, " + changedRecord + " FROM import_staging s JOIN houses h ON h.code = s.house"
            + stored + " LEFT JOIN staff st ON st.employee_no = s.by_staff" + differs
    }

    static func upsert(_ db: Connection) throws -> UpsertCounts {
        let insert: SQL = "INSERT INTO " + records + " (house_id, project_id, kind, staff_id, at, " + payload + ")"
        let select: SQL = " SELECT h.id, h.project_id, s.kind, st.id, s.at, s." + payload
        return try db.upsertCounts("WITH up AS (" + insert + select + """

                FROM import_staging s JOIN houses h ON h.code = s.house
                LEFT JOIN staff st ON st.employee_no = s.by_staff
                ON CONFLICT (house_id, at, kind) DO NOTHING
                RETURNING true AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up
            """)
    }

    /// Imported records complete the open tasks of their houses, as records made one at a time do.
    static func afterUpsert(_ db: Connection) throws { try completeTasksOfStagedHouses(db) }
}
