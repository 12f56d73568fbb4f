import ButlerCore
import Foundation
import Postgres

/// One grid's (or the project's) fee collection in a month (002 #21).
public struct ArrearsReportRow: Sendable, Encodable, Equatable {
    /// Nil for the project's total row.
    @EncodedAsNull public var grid: String?
    /// Billed for the periods up to the month, and paid of it (the fee system's latest snapshot).
    public var due_fen = 0
    public var paid_fen = 0
    /// Paid ÷ due, 0...1; null when nothing was billed.
    @EncodedAsNull public var collection_rate: Double? = nil
    /// The rate is under the target (85 %).
    public var below_target = false
    /// Houses owing for a month before this one: the ones the month's cycle works on.
    public var houses_in_arrears = 0
    /// Collection calls, messages and letters in the month.
    public var attempts = 0
    /// Houses handed to the project head by the month's escalation.
    public var escalations = 0

    mutating func add(_ other: ArrearsReportRow) {
        due_fen += other.due_fen
        paid_fen += other.paid_fen
        houses_in_arrears += other.houses_in_arrears
        attempts += other.attempts
        escalations += other.escalations
    }

    mutating func rate(target: Double) {
        collection_rate = due_fen == 0 ? nil : Double(paid_fen) / Double(due_fen)
        below_target = collection_rate.map { $0 < target } ?? false
    }
}

/// The monthly report's fee-collection section: per grid and for the project.
public struct ArrearsReport: Sendable, Encodable, Equatable {
    /// 002 #21: a collection rate of at least 85 %.
    public static let target = 0.85
    public let target: Double
    public let grids: [ArrearsReportRow]
    public let project: ArrearsReportRow

    /// Nothing billed and nothing done: the report leaves the section out.
    public var isEmpty: Bool { project.due_fen == 0 && project.attempts == 0 && project.escalations == 0 }
}

/// 002 #21 in the manager's month: the collection rate (paid ÷ due for every period billed up to
/// the month, as the fee system reports them now), the houses the month's cycle worked on, its
/// attempts and escalations, per grid (the house's grid now) and for the project; a rate under
/// 85 % is marked. Houses without a grid count in the project's row only.
public struct ArrearsReportStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    public func report(projectID: Int, month: YearMonth) throws -> ArrearsReport {
        var grids: [ArrearsReportRow] = []
        var project = ArrearsReportRow(grid: nil)
        for r in try db.query("""
            WITH h AS (
                SELECT h.id, g.code FROM houses h
                LEFT JOIN grid_houses gh ON gh.house_id = h.id LEFT JOIN grids g ON g.id = gh.grid_id
                WHERE h.project_id = $1
            ), bills AS (
                SELECT a.house_id, sum(a.amount_due_fen) AS due, sum(a.amount_paid_fen) AS paid,
                       bool_or(a.owing AND a.period < $2::date) AS owing
                FROM arrears a WHERE a.project_id = $1 AND a.period <= $2::date GROUP BY a.house_id
            ), attempts AS (
                SELECT tp.house_id, count(*) AS n FROM touchpoints tp
                WHERE tp.project_id = $1 AND tp.kind = ANY($3::text[])
                  AND tp.at >= $2::date AND tp.at < $2::date + interval '1 month'
                GROUP BY tp.house_id
            ), escalated AS (
                SELECT house_id FROM arrears_escalations WHERE project_id = $1 AND month = $2::date
            )
            SELECT h.code, coalesce(sum(b.due), 0)::bigint, coalesce(sum(b.paid), 0)::bigint,
                   count(*) FILTER (WHERE b.owing)::int, coalesce(sum(a.n), 0)::int, count(e.house_id)::int
            FROM h LEFT JOIN bills b ON b.house_id = h.id LEFT JOIN attempts a ON a.house_id = h.id
            LEFT JOIN escalated e ON e.house_id = h.id
            GROUP BY h.code
            ORDER BY h.code
            """, [projectID, month.first.description, TouchpointKind.collectionAttempts.map(\.rawValue)]) {
            var row = ArrearsReportRow(grid: try r.decode(0), due_fen: try r.decode(1), paid_fen: try r.decode(2),
                                       houses_in_arrears: try r.decode(3), attempts: try r.decode(4), escalations: try r.decode(5))
            project.add(row)
            guard row.grid != nil else { continue }
            row.rate(target: ArrearsReport.target)
            grids.append(row)
        }
        project.rate(target: ArrearsReport.target)
        return ArrearsReport(target: ArrearsReport.target, grids: grids, project: project)
    }

    /// Every project's row of the month, by project code (the company ranking), in one statement:
    /// the same figures as ``report(projectID:month:)``'s project row.
    public func projects(month: YearMonth) throws -> [String: ArrearsReportRow] {
        var rows: [String: ArrearsReportRow] = [:]
        for r in try db.query("""
            WITH bills AS (
                SELECT a.project_id, sum(a.amount_due_fen) AS due, sum(a.amount_paid_fen) AS paid,
                       count(DISTINCT a.house_id) FILTER (WHERE a.owing AND a.period < $1::date) AS owing
                FROM arrears a WHERE a.period <= $1::date GROUP BY a.project_id
            ), attempts AS (
                SELECT tp.project_id, count(*) AS n FROM touchpoints tp
                WHERE tp.kind = ANY($2::text[]) AND tp.at >= $1::date AND tp.at < $1::date + interval '1 month'
                GROUP BY tp.project_id
            ), escalated AS (
                SELECT project_id, count(*) AS n FROM arrears_escalations WHERE month = $1::date GROUP BY project_id
            )
            SELECT p.code, coalesce(b.due, 0)::bigint, coalesce(b.paid, 0)::bigint, coalesce(b.owing, 0)::int,
                   coalesce(a.n, 0)::int, coalesce(e.n, 0)::int
            FROM projects p LEFT JOIN bills b ON b.project_id = p.id LEFT JOIN attempts a ON a.project_id = p.id
            LEFT JOIN escalated e ON e.project_id = p.id
            """, [month.first.description, TouchpointKind.collectionAttempts.map(\.rawValue)]) {
            var row = ArrearsReportRow(grid: nil, due_fen: try r.decode(1), paid_fen: try r.decode(2),
                                       houses_in_arrears: try r.decode(3), attempts: try r.decode(4), escalations: try r.decode(5))
            row.rate(target: ArrearsReport.target)
            rows[try r.decode(0)] = row
        }
        return rows
    }
}
