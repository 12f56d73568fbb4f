/// A neighbouring year's day that an imported file lends and that year's official schedule
/// (its own imported file, or the shipped one) disagrees with.
public struct CalendarConflict: Error, Hashable, Sendable, CustomStringConvertible {
    public let date: Day
    /// The official entry the calendar has for the date now.
    public let existing: OfficialDay
    /// The entry the file brings.
    public let incoming: OfficialDay
    /// The file's own year that lends the date.
    public let lender: Int

    /// In Chinese: the date, what the file says and what the date's own year says.
    public var description: String {
        "\(date)：\(lender) 年的安排记为\(incoming.kind.label)（\(incoming.holiday)），"
            + "而 \(date.year) 年的官方安排记为\(existing.kind.label)（\(existing.holiday)）；未导入任何内容"
    }
}

/// How an imported file's years join the stored ones (pure; `CalendarStore` saves the result).
///
/// Each of the file's own years is replaced: its own file is the authority for it, and wins
/// over days a neighbouring year's file lent it. The file's days in a neighbouring year are lent
/// to that year: added where that year has no entry for the date, replacing a day lent before
/// (a later file corrects it), kept as they are where that year's official entry (its own
/// imported file, or the shipped schedule) agrees, refused where it disagrees. Lent days stay
/// when their own year is imported again and its file does not list them, so importing Y-1, Y,
/// Y+1 in any order gives the same calendar.
public enum ScheduleMerge {
    public struct Result: Sendable, Hashable {
        /// Every stored entry after the import, by date.
        public let rows: [OfficialDay]
        /// The days whose entry the file lent to a neighbouring year (remembered with the import).
        public let lent: [Day]
        /// Days lent before that the file's own years now list themselves: no longer lent.
        public let claimed: [Day]
        /// Days whose entry was added, changed or removed.
        public let changed: Set<Day>
    }

    /// - Parameters:
    ///   - stored: the imported entries stored so far.
    ///   - borrowed: which of them hold a day a neighbouring year's file lent.
    ///   - shipped: the schedules compiled into the program (a lent day must agree with them too).
    public static func merge(
        _ file: YearSchedule, stored: [OfficialDay], borrowed: Set<Day>, shipped: WorkCalendar = .shipped
    ) throws(CalendarConflict) -> Result {
        var rows = Dictionary(stored.map { ($0.date, $0) }, uniquingKeysWith: { _, last in last })
        let before = rows
        let importedYears = Set(stored.filter { !borrowed.contains($0.date) }.map(\.date.year))
        let ownYears = Set(file.years)

        var lent: [Day] = []
        for day in file.neighbourDays {
            let year = day.date.year
            // Only a year's own schedule binds a lent day; what another file lent may be lent anew.
            let official = borrowed.contains(day.date) ? nil : rows[day.date]
            // A shipped year not imported since keeps its shipped entries; an imported one has only its rows.
            let shippedEntry = importedYears.contains(year) || !shipped.hasOfficialSchedule(year: year)
                ? nil : shipped.entry(for: day.date)
            if let existing = official ?? shippedEntry {
                guard existing.kind == day.kind else {
                    throw CalendarConflict(date: day.date, existing: existing, incoming: day,
                                           lender: file.lender(of: day.date) ?? file.years.first ?? year)
                }
                // Agreeing with an official entry: the year's own entry stays, nothing is lent.
                if official != nil { continue }
            }
            lent.append(day.date)
        }

        // The own years' previous entries go, but not what their neighbours lent them.
        rows = rows.filter { date, _ in !ownYears.contains(date.year) || borrowed.contains(date) }
        for day in file.ownDays { rows[day.date] = day }
        for day in file.neighbourDays where lent.contains(day.date) { rows[day.date] = day }
        let claimed = file.ownDays.map(\.date).filter(borrowed.contains)

        let changed = Set(before.keys).union(rows.keys).filter { before[$0] != rows[$0] }
        return Result(rows: rows.values.sorted { $0.date < $1.date }, lent: lent, claimed: claimed, changed: changed)
    }
}
