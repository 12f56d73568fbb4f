import ButlerCore
import Foundation
import Postgres

/// The work calendar: the official 2024-2026 schedules shipped in ButlerCore plus years
/// imported with `butler calendar import`.
public struct CalendarStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    public func load() throws -> WorkCalendar {
        let rows = try db.query("SELECT day::text, kind, holiday FROM calendar_days ORDER BY day")
        let imported = try rows.compactMap { row -> OfficialDay? in
            guard let day = Day(try row.decode(0, as: String.self)),
                  let kind = CalendarDayKind(rawValue: try row.decode(1)) else { return nil }
            return OfficialDay(date: day, kind: kind, holiday: try row.decode(2))
        }
        return imported.isEmpty ? .shipped : WorkCalendar.shipped.merging(imported)
    }

    /// Loads a CSV (`date,kind,holiday`) or holiday-cn JSON file; replaces the years it holds.
    /// Returns the years loaded.
    public func importFile(path: String) throws -> [Int] {
        let fileName = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ButlerError(.invalidInput, "\(path): cannot read the file (does it exist?)")
        }
        let days: [OfficialDay]
        do {
            if path.lowercased().hasSuffix(".json") || data.first == UInt8(ascii: "{") {
                days = try CalendarFile.parseHolidayCNJSON(data, fileName: fileName)
            } else {
                let (text, _) = try CSVTable.decode(data, fileName: fileName, forced: nil)
                days = try CalendarFile.parseCSV(text, fileName: fileName)
            }
        } catch let error as CalendarFileError {
            throw ButlerError(.invalidInput, error.description)
        }
        let years = Array(Set(days.map(\.date.year))).sorted()
        try db.transaction {
            try db.execute("DELETE FROM calendar_days WHERE extract(year FROM day)::int = ANY($1::int[])", [years])
            try db.execute("""
                INSERT INTO calendar_days (day, kind, holiday)
                SELECT d::date, k, h FROM unnest($1::text[], $2::text[], $3::text[]) AS x(d, k, h)
                """, [days.map(\.date.description), days.map(\.kind.rawValue), days.map(\.holiday)])
            // Tasks planned for those years used the old calendar: replan from today.
            try db.execute("DELETE FROM plan_runs WHERE extract(year FROM day)::int = ANY($1::int[])", [years])
        }
        return years
    }
}

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
        if let priority, !(1...5).contains(priority) { throw ButlerError(.invalidInput, "--priority must be 1...5") }
        let values: [(TunableColumn, Int?)] = [(.perPeriod, perPeriod), (.workingDays, workingDays), (.intervalDays, intervalDays),
                                               (.deadlineHours, deadlineHours)]
        for (column, value) in values {
            guard let value else { continue }
            if value < (column == .workingDays ? 0 : 1) { throw ButlerError(.invalidInput, "--\(column.rawValue) must be positive") }
            // A value nothing reads would be accepted and change nothing: refused, saying who reads it.
            let readers = TaskRules.readers(of: column)
            if let standard = StandardCode(rawValue: code), !readers.contains(standard) {
                throw ButlerError(.invalidInput, "--\(column.rawValue): \(code) does not use it (used by \(readers.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        let changed = try db.execute("""
            UPDATE standards SET per_period = coalesce($2, per_period), working_days = coalesce($3, working_days),
                interval_days = coalesce($4, interval_days), deadline_hours = coalesce($5, deadline_hours),
                priority = coalesce($6, priority), enabled = coalesce($7, enabled)
            WHERE code = $1
            """, [code, perPeriod, workingDays, intervalDays, deadlineHours, priority, enabled])
        if changed == 0 {
            throw ButlerError(.notFound, "unknown standard \(code) (see butler standards list)")
        }
    }
}
