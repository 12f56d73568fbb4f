import ButlerCore
import Foundation
import Postgres

/// The frequency standards table.
public struct StandardsStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    public func all() throws -> [FrequencyStandard] {
        try db.query("""
            SELECT code, name, cadence, per_period, working_days, interval_days, deadline_hours, priority, enabled, source
            FROM standards ORDER BY priority, code
            """).map { r in
            FrequencyStandard(
                code: try r.decode(0), name: try r.decode(1), cadence: try r.decode(2), perPeriod: try r.decode(3),
                workingDays: try r.decode(4), intervalDays: try r.decode(5), deadlineHours: try r.decode(6),
                priority: try r.decode(7), enabled: try r.decode(8), source: try r.decode(9))
        }
    }

    public func book() throws -> StandardBook { StandardBook(try all()) }

    /// Tunes one standard; `nil` leaves a value as it is.
    public func set(code: String, perPeriod: Int?, workingDays: Int?, intervalDays: Int?, deadlineHours: Int?, priority: Int?, enabled: Bool?) throws {
        if let priority, !(1...5).contains(priority) { throw ButlerError(.invalidInput, field: "priority", "优先级须在 1（最高）到 5 之间") }
        let values: [(TunableColumn, Int?)] = [(.perPeriod, perPeriod), (.workingDays, workingDays), (.intervalDays, intervalDays),
                                               (.deadlineHours, deadlineHours)]
        for (column, value) in values {
            guard let value else { continue }
            if value < (column == .workingDays ? 0 : 1) { throw ButlerError(.invalidInput, field: column.field, "须为正数") }
            // A value nothing reads would be accepted and change nothing: refused, saying who reads it.
            let readers = TaskRules.readers(of: column)
            if let standard = StandardCode(rawValue: code), !readers.contains(standard) {
                throw ButlerError(.invalidInput, field: column.field, "标准 \(code) 不使用此项（使用它的标准：\(readers.map(\.rawValue).joined(separator: "、"))）")
            }
        }
        let changed = try db.execute("""
            UPDATE standards SET per_period = coalesce($2, per_period), working_days = coalesce($3, working_days),
                interval_days = coalesce($4, interval_days), deadline_hours = coalesce($5, deadline_hours),
                priority = coalesce($6, priority), enabled = coalesce($7, enabled)
            WHERE code = $1
            """, [code, perPeriod, workingDays, intervalDays, deadlineHours, priority, enabled])
        if changed == 0 {
            throw ButlerError(.notFound, field: "code", "没有代码为 \(code) 的标准")
        }
    }
}
