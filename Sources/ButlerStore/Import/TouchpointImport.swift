import ButlerCore
import Postgres

/// `project,building,unit,room,kind,by,at,note`: a history of contacts (e.g. from an older
/// system).
enum TouchpointImport: RecordImport {
    static let targetTables = ["touchpoints"]
    static let required = ["project", "building", "unit", "room", "kind", "by", "at", "note"]
    static let records: SQL = "touchpoints"
    static let payload: SQL = "note"
    static let payloadType: SQL = "text"
    static let kinds = TouchpointKind.allCases.map(\.rawValue)

    static func stagedPayload(_ row: inout RowValidator) -> String? { row.record["note"] }

    /// A wrong note is corrected by a new record that points at the first.
    static let changedRecord: SQL = """
        'note', '接触记录 ' || r.id || ' 已记录这次 ' || s.kind || '，但备注或记录人不同；记录不会被覆盖：'
            || '请用 butler correct ' || r.id || '（或 POST /v1/touchpoints/' || r.id || '/corrections）更正'
        """
}
