import ButlerCore
import Foundation
import Postgres

/// The work calendar: the official 2024-2026 schedules shipped in ButlerCore plus years
/// imported with `butler calendar import`.
public struct CalendarStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    public func load() throws -> WorkCalendar {
        let imported = try storedDays()
        return imported.isEmpty ? .shipped : WorkCalendar.shipped.merging(stored: imported)
    }

    /// Loads a CSV (`date,kind,holiday`, one or more whole years) or holiday-cn JSON file (one
    /// year): replaces the file's own years and merges its days in the neighbouring years
    /// (`ScheduleMerge`). Returns the own years, ascending.
    public func importFile(path: String, now: Date) throws -> [Int] {
        let fileName = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ButlerError(.invalidInput, "\(path): 无法读取文件（文件是否存在？）")
        }
        let schedule: YearSchedule
        do {
            if path.lowercased().hasSuffix(".json") || data.first == UInt8(ascii: "{") {
                schedule = try CalendarFile.holidayCNSchedule(data, fileName: fileName)
            } else {
                let (text, _) = try CSVTable.decode(data, fileName: fileName, forced: nil)
                schedule = try CalendarFile.csvSchedule(text, fileName: fileName)
            }
        } catch let error as CalendarFileError {
            throw ButlerError(.invalidInput, error.description)
        }
        try db.transaction {
            // One import at a time: the merge reads what it replaces.
            try db.execute("LOCK TABLE calendar_days IN SHARE ROW EXCLUSIVE MODE")
            let (stored, borrowed) = (try storedDays(), try lentDays())
            let merged: ScheduleMerge.Result
            do {
                merged = try ScheduleMerge.merge(schedule, stored: stored, borrowed: borrowed)
            } catch let conflict as CalendarConflict {
                let line = schedule.lines[conflict.date].map { ":\($0)" } ?? ""
                throw ButlerError(.invalidInput, "\(fileName)\(line): \(conflict.description)")
            }
            let changed = merged.changed.map(\.description)
            let rows = merged.rows.filter { merged.changed.contains($0.date) }
            try db.execute("DELETE FROM calendar_days WHERE day = ANY($1::date[])", [changed])
            try db.execute("""
                INSERT INTO calendar_days (day, kind, holiday, imported_at)
                SELECT d::date, k, h, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS x(d, k, h)
                """, [rows.map(\.date.description), rows.map(\.kind.rawValue), rows.map(\.holiday), now])
            // One event per own year, with the days it lent its neighbours (they stay when those
            // years are imported again) and the lent days it now lists itself (no longer lent).
            for year in schedule.years {
                let lent = merged.lent.filter { schedule.lender(of: $0) == year }
                let claimed = merged.claimed.filter { $0.year == year }
                try EventLog(db: db).record("calendar_year", year, "import", by: nil, projectID: nil, at: now, detail: [
                    "file": fileName,
                    "lent": lent.map(\.description).joined(separator: ","),
                    "claimed": claimed.map(\.description).joined(separator: ","),
                ])
                // Tasks planned on the old calendar: replan the own year and every changed day.
                try db.execute("""
                    DELETE FROM plan_runs WHERE extract(year FROM day)::int = $1 OR day = ANY($2::date[])
                    """, [year, changed])
            }
        }
        return schedule.years
    }

    private func storedDays() throws -> [OfficialDay] {
        let rows = try db.query("SELECT day::text, kind, holiday FROM calendar_days ORDER BY day")
        return try rows.compactMap { row -> OfficialDay? in
            guard let day = Day(try row.decode(0, as: String.self)),
                  let kind = CalendarDayKind(rawValue: try row.decode(1)) else { return nil }
            return OfficialDay(date: day, kind: kind, holiday: try row.decode(2))
        }
    }

    /// The days that hold what a neighbouring year's file lent: every import's lent days in
    /// order, less those a year's own file listed since (the event log is the record).
    private func lentDays() throws -> Set<Day> {
        let rows = try db.query("""
            SELECT coalesce(detail->>'lent', ''), coalesce(detail->>'claimed', '')
            FROM events WHERE entity = 'calendar_year' AND action = 'import' ORDER BY id
            """)
        var lent: Set<Day> = []
        for row in rows {
            lent.formUnion(Self.days(try row.decode(0, as: String.self)))
            lent.subtract(Self.days(try row.decode(1, as: String.self)))
        }
        return lent
    }

    /// "2024-01-01,2024-01-02" as days.
    private static func days(_ list: String) -> [Day] {
        list.split(separator: ",").compactMap { Day(String($0)) }
    }
}
