/// A neighbouring year's day that an imported file and the stored schedules disagree on.
public struct CalendarConflict: Error, Hashable, Sendable, CustomStringConvertible {
    public let date: Day
    /// The entry the calendar has for the date now.
    public let existing: OfficialDay
    /// The entry the file brings.
    public let incoming: OfficialDay
    /// The file's own year.
    public let fileYear: Int

    public var description: String {
        "\(date): the \(fileYear) file says \(incoming.kind.rawValue) (\(incoming.holiday)), "
            + "the calendar says \(existing.kind.rawValue) (\(existing.holiday)); nothing was imported"
    }
}

/// How an imported year's schedule joins the stored ones (pure; `CalendarStore` saves the result).
///
/// The file's own year is replaced. Its days in a neighbouring year are lent to that year: added
/// where that year has no entry for the date (or no official schedule at all), kept as they are
/// where the entries agree (same kind), refused where they disagree. Days a neighbour lent stay
/// when their own year is imported again (the neighbour's file is where they come from), so
/// importing Y-1, Y, Y+1 in any order gives the same calendar.
public enum ScheduleMerge {
    public struct Result: Sendable, Hashable {
        /// Every stored entry after the import, by date.
        public let rows: [OfficialDay]
        /// The days the file lent to neighbouring years (remembered with the import).
        public let lent: [Day]
        /// Days whose entry was added, changed or removed.
        public let changed: Set<Day>
    }

    /// - Parameters:
    ///   - stored: the imported entries stored so far.
    ///   - borrowed: which of them neighbouring years' files lent.
    ///   - shipped: the schedules compiled into the program (a lent day must agree with them too).
    public static func merge(
        _ file: YearSchedule, stored: [OfficialDay], borrowed: Set<Day>, shipped: WorkCalendar = .shipped
    ) throws(CalendarConflict) -> Result {
        var rows = Dictionary(stored.map { ($0.date, $0) }, uniquingKeysWith: { _, last in last })
        let before = rows
        let importedYears = Set(stored.filter { !borrowed.contains($0.date) }.map(\.date.year))

        for own in file.ownDays {
            if let lentHere = rows[own.date], borrowed.contains(own.date), lentHere.kind != own.kind {
                throw CalendarConflict(date: own.date, existing: lentHere, incoming: own, fileYear: file.year)
            }
        }
        for lent in file.neighbourDays {
            let year = lent.date.year
            // A shipped year not imported since keeps its shipped entries; an imported one has only its rows.
            let existing = rows[lent.date]
                ?? (importedYears.contains(year) || !shipped.hasOfficialSchedule(year: year) ? nil : shipped.entry(for: lent.date))
            if let existing, existing.kind != lent.kind {
                throw CalendarConflict(date: lent.date, existing: existing, incoming: lent, fileYear: file.year)
            }
        }

        // The own year's previous entries go, but not what its neighbours lent it.
        rows = rows.filter { date, _ in date.year != file.year || borrowed.contains(date) }
        for own in file.ownDays { rows[own.date] = own }
        for lent in file.neighbourDays where rows[lent.date] == nil { rows[lent.date] = lent }

        let changed = Set(before.keys).union(rows.keys).filter { before[$0] != rows[$0] }
        return Result(rows: rows.values.sorted { $0.date < $1.date }, lent: file.neighbourDays.map(\.date), changed: changed)
    }
}
