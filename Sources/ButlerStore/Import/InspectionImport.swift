import ButlerCore
import Postgres

/// `project,building,unit,room,kind,by,at,finding`: past inspections (check, ventilation,
/// cleaning). Findings separated by `;`.
enum InspectionImport: RecordImport {
    static let targetTables = ["inspections"]
    static let required = ["project", "building", "unit", "room", "kind", "by", "at", "finding"]
    static let records: SQL = "inspections"
    static let payload: SQL = "findings"
    static let payloadType: SQL = "text[]"
    static let kinds = InspectionKind.allCases.map(\.rawValue)

    static func stagedPayload(_ row: inout RowValidator) -> String? { row.list("finding").postgresText }

    static let changedRecord: SQL = """
        'finding', '检查记录 ' || r.id || ' 已记录这次 ' || s.kind || '，但发现或检查人不同；记录不会被覆盖'
        """
}
