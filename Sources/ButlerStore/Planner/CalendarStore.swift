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
