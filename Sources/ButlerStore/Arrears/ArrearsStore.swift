import ButlerCore
import Foundation
import Postgres

/// One house in arrears now (the `arrears list --json` element of the contract).
public struct ArrearsHouse: Sendable, Encodable, Equatable {
    public let house: String
    @EncodedAsNull public var grid: String?
    /// The employee number of the grid's butler today.
    @EncodedAsNull public var butler: String?
    /// The months owed (`YYYY-MM`), oldest first.
    public let periods: [String]
    public let owed_fen: Int
    /// Collection calls, messages and letters at the house this month, up to now.
    public let attempts_this_month: Int
    /// Handed to the project head by this month's 28th escalation (002 #21).
    public let escalated: Bool
}

/// 002 #21: the houses in arrears now — owing for a month before this one (a month's bill is
/// overdue once the month is over) — with the months and amount owed, this month's attempts,
/// the butler and whether the 28th's escalation took them over. Amounts are the house's
/// butler's and the project's managers' only (``Scope/arrearsScope()``; schema 0019 again for
/// the server's role); the owner (the CLI without `--by`) sees every project.
public struct ArrearsStore {
    let db: Connection
    /// The caller's clock: which month is "this month", whose grid is whose today.
    let now: Date

    public init(db: Connection, now: Date = Date()) {
        self.db = db
        self.now = now
    }

    public func list(project: String? = nil, grid: String? = nil, as actor: Principal? = nil) throws -> [ArrearsHouse] {
        let lookup = RegistryLookup(db: db)
        var projectID: Int? = try project.map { try lookup.projectID($0) }
        var butlerID: Int?
        if let actor {
            let scope = try Scope(db: db, actor: actor).arrearsScope()
            // Another project is refused, not shown empty.
            if let asked = projectID, asked != scope.projectID {
                throw ButlerError(.forbidden, field: "project", "\(actor.employeeNo) 只能查看本项目的欠费")
            }
            projectID = scope.projectID
            butlerID = scope.butlerID
        }
        let today = Day.from(now)
        var gridID: Int?
        if let grid {
            guard let row = try db.query("SELECT id, project_id FROM grids WHERE code = $1", [grid]).first else {
                throw ButlerError(.notFound, field: "grid", "网格 \(grid) 不存在")
            }
            gridID = try row.decode(0)
            if let projectID, try row.decode(1, as: Int.self) != projectID {
                throw ButlerError(actor == nil ? .invalidInput : .forbidden, field: "grid", "网格 \(grid) 不在项目 \(project ?? "")内")
            }
            if let butlerID, try db.query("""
                SELECT 1 FROM grid_assignments WHERE grid_id = $1 AND staff_id = $2 AND from_date <= $3::date
                  AND (to_date IS NULL OR to_date >= $3::date)
                """, [gridID, butlerID, today.description]).isEmpty {
                throw ButlerError(.forbidden, field: "grid", "\(actor?.employeeNo ?? "") 今天不负责网格 \(grid)")
            }
        }
        // Two statements rather than `($2 IS NULL OR project_id = $2)`: a cached generic plan of
        // that form cannot use the project's index entries.
        let projectFilter: SQL = projectID == nil ? " AND $2::int IS NULL" : " AND a.project_id = $2"
        return try db.query("""
            WITH owing AS (
                SELECT a.house_id, array_agg(to_char(a.period, 'YYYY-MM') ORDER BY a.period) AS periods,
                       sum(a.amount_due_fen - a.amount_paid_fen)::bigint AS owed
                FROM arrears a
                WHERE a.owing AND a.period < $1::date
            """ + projectFilter + """

                GROUP BY a.house_id
            )
            SELECT h.code, g.code, st.employee_no, o.periods, o.owed,
                   (SELECT count(*) FROM touchpoints tp WHERE tp.house_id = h.id AND tp.kind = ANY($5::text[])
                      AND tp.at >= $1::date AND tp.at <= $6)::int,
                   EXISTS (SELECT 1 FROM arrears_escalations e WHERE e.house_id = h.id AND e.month = $1::date)
            FROM owing o
            JOIN houses h ON h.id = o.house_id
            LEFT JOIN grid_houses gh ON gh.house_id = h.id
            LEFT JOIN grids g ON g.id = gh.grid_id
            LEFT JOIN LATERAL (SELECT ga.staff_id FROM grid_assignments ga
                               WHERE ga.grid_id = g.id AND ga.from_date <= $7::date AND (ga.to_date IS NULL OR ga.to_date >= $7::date)
                               ORDER BY ga.from_date DESC LIMIT 1) b ON true
            LEFT JOIN staff st ON st.id = b.staff_id
            WHERE ($3::int IS NULL OR g.id = $3) AND ($4::int IS NULL OR b.staff_id = $4)
            ORDER BY h.code COLLATE house_natural
            """, [today.monthOfYear.first.description, projectID, gridID, butlerID,
                  TouchpointKind.collectionAttempts.map(\.rawValue), now, today.description]).map { r in
            ArrearsHouse(house: try r.decode(0), grid: try r.decode(1), butler: try r.decode(2), periods: try r.decode(3),
                         owed_fen: try r.decode(4), attempts_this_month: try r.decode(5), escalated: try r.decode(6))
        }
    }
}
