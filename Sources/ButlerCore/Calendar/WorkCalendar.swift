import Foundation

/// Whether an official calendar entry is a day off or an adjusted working day (调休).
public enum CalendarDayKind: String, Sendable, Hashable, Codable, CaseIterable {
    case off, work

    /// The kind as a person reads it: 休息 or 上班.
    public var label: String {
        switch self {
        case .off: "休息"
        case .work: "上班"
        }
    }
}

/// One entry of a published schedule: a day off, or a weekend day made a working day.
public struct OfficialDay: Sendable, Hashable, Codable {
    public let date: Day
    public let kind: CalendarDayKind
    /// The holiday the entry belongs to, e.g. "国庆节".
    public let holiday: String

    public init(date: Day, kind: CalendarDayKind, holiday: String) {
        self.date = date
        self.kind = kind
        self.holiday = holiday
    }
}

/// A maximal run of consecutive non-working days containing at least one day off.
public struct Holiday: Sendable, Hashable, Codable {
    public let name: String
    public let first: Day
    public let last: Day

    public init(name: String, first: Day, last: Day) {
        self.name = name
        self.first = first
        self.last = last
    }

    public var days: [Day] {
        (0...max(0, first.days(until: last))).map { first.adding(days: $0) }
    }
}

/// China's working-day calendar: official schedules where published, statutory holidays otherwise.
public struct WorkCalendar: Sendable {
    /// Official entries by calendar year of their date.
    private let official: [Int: [Day: OfficialDay]]
    /// Days a neighbouring year's schedule lent to a year that has no official schedule of its
    /// own (2023's lists 2022-12-31): they override that year's statutory fallback, which stays
    /// a fallback.
    private let lent: [Day: OfficialDay]

    /// Official schedules for some years; other years fall back to `StatutoryHolidays`.
    public init(official: [OfficialDay]) {
        var byYear: [Int: [Day: OfficialDay]] = [:]
        for entry in official {
            byYear[entry.date.year, default: [:]][entry.date] = entry
        }
        self.official = byYear
        self.lent = [:]
    }

    private init(byYear: [Int: [Day: OfficialDay]], lent: [Day: OfficialDay]) {
        self.official = byYear
        self.lent = lent
    }

    /// The schedules published for 2024-2026 (generated from seed/calendar/cn_holidays_2024_2026.csv).
    public static let shipped = WorkCalendar(official: OfficialSchedule.days)

    /// Adds schedules imported later: every year with an entry of its own in `more` replaces
    /// that whole year. The `borrowed` days (lent by a neighbouring year's file) join their
    /// year's schedule, or override its statutory fallback when it has none.
    public func merging(_ more: [OfficialDay], borrowed: Set<Day> = []) -> WorkCalendar {
        let ownYears = Set(more.filter { !borrowed.contains($0.date) }.map(\.date.year))
        var byYear = official
        var lent = self.lent
        for year in ownYears { byYear[year] = [:] }
        for entry in more {
            if byYear[entry.date.year] != nil {
                byYear[entry.date.year]?[entry.date] = entry
            } else {
                lent[entry.date] = entry
            }
        }
        return WorkCalendar(byYear: byYear, lent: lent)
    }

    /// Adds the imported days as `CalendarStore` keeps them: a year whose January 1 is stored
    /// had its own file imported (every official schedule lists 元旦, and no file lends a
    /// neighbour's January 1); the other stored days were lent by a neighbouring year's file.
    public func merging(stored: [OfficialDay]) -> WorkCalendar {
        let ownYears = Set(stored.filter { $0.date.month == 1 && $0.date.day == 1 }.map(\.date.year))
        return merging(stored, borrowed: Set(stored.map(\.date).filter { !ownYears.contains($0.year) }))
    }

    public func hasOfficialSchedule(year: Int) -> Bool {
        official[year] != nil
    }

    /// Years with an official schedule, ascending.
    public var officialYears: [Int] { official.keys.sorted() }

    /// Every official entry, by date.
    public var officialDays: [OfficialDay] {
        official.values.flatMap(\.values).sorted { $0.date < $1.date }
    }

    /// The official entry of a day, or the statutory day off for years without a schedule.
    public func entry(for d: Day) -> OfficialDay? {
        if let year = official[d.year] { return year[d] }
        return lent[d] ?? StatutoryHolidays.offDayIndex(year: d.year)[d]
    }

    /// Mon-Fri and not a day off, or an adjusted working day (调休).
    public func isWorkingDay(_ d: Day) -> Bool {
        switch entry(for: d)?.kind {
        case .work?: return true
        case .off?: return false
        case nil: return !d.isWeekend
        }
    }

    public func workingDays(in m: YearMonth) -> [Day] {
        workingDays(from: m.first, through: m.last)
    }

    public func workingDays(from: Day, through: Day) -> [Day] {
        guard from <= through else { return [] }
        return (0...from.days(until: through)).lazy.map { from.adding(days: $0) }.filter(isWorkingDay)
    }

    /// The n-th working day strictly after `d` (n >= 1); `d` itself when n <= 0.
    public func addingWorkingDays(_ n: Int, to d: Day) -> Day {
        var remaining = n
        var current = d
        while remaining > 0 {
            current = current.adding(days: 1)
            if isWorkingDay(current) { remaining -= 1 }
        }
        return current
    }

    /// The n-th working day strictly before `d` (n >= 1); `d` itself when n <= 0.
    public func subtractingWorkingDays(_ n: Int, from d: Day) -> Day {
        var remaining = n
        var current = d
        while remaining > 0 {
            current = current.adding(days: -1)
            if isWorkingDay(current) { remaining -= 1 }
        }
        return current
    }

    /// The month's last working day (the month's last day in the impossible case of none).
    public func lastWorkingDay(of m: YearMonth) -> Day {
        m.days.last(where: isWorkingDay) ?? m.last
    }

    /// The month's first working day (the month's first day in the impossible case of none).
    public func firstWorkingDay(of m: YearMonth) -> Day {
        m.days.first(where: isWorkingDay) ?? m.first
    }

    /// `d` when it is a working day, else the closest working day before it.
    public func workingDay(onOrBefore d: Day) -> Day {
        var current = d
        while !isWorkingDay(current) { current = current.adding(days: -1) }
        return current
    }

    /// `d` when it is a working day, else the closest working day after it.
    public func workingDay(onOrAfter d: Day) -> Day {
        var current = d
        while !isWorkingDay(current) { current = current.adding(days: 1) }
        return current
    }

    /// Holidays with at least one day in `year`: a run crossing New Year is in both years' lists
    /// (New Year 2024 ran 2023-12-30...2024-01-01).
    public func holidays(in year: Int) -> [Holiday] {
        guard let jan1 = Day(year: year, month: 1, day: 1), let dec31 = Day(year: year, month: 12, day: 31)
        else { return [] }
        return holidays(from: jan1, through: dec31)
    }

    /// Holidays with at least one day in `from...through`, with their full bounds.
    public func holidays(from: Day, through: Day) -> [Holiday] {
        guard from <= through else { return [] }
        var d = from
        // Back up to the start of a run already in progress at `from`.
        while !isWorkingDay(d), !isWorkingDay(d.adding(days: -1)) { d = d.adding(days: -1) }
        var result: [Holiday] = []
        while d <= through {
            guard !isWorkingDay(d) else {
                d = d.adding(days: 1)
                continue
            }
            var end = d
            while !isWorkingDay(end.adding(days: 1)) { end = end.adding(days: 1) }
            if let holiday = holiday(first: d, last: end) { result.append(holiday) }
            d = end.adding(days: 1)
        }
        return result
    }

    /// The holiday containing `d`, if `d` is part of one.
    public func holiday(containing d: Day) -> Holiday? {
        holidays(from: d, through: d).first
    }

    private func holiday(first: Day, last: Day) -> Holiday? {
        var names: [String] = []
        var current = first
        while current <= last {
            // An entry may name several holidays already ("国庆节、中秋节"): each name once.
            if let e = entry(for: current), e.kind == .off {
                for name in e.holiday.split(separator: "、").map(String.init) where !names.contains(name) {
                    names.append(name)
                }
            }
            current = current.adding(days: 1)
        }
        // A plain weekend is not a holiday.
        guard !names.isEmpty else { return nil }
        return Holiday(name: names.joined(separator: "、"), first: first, last: last)
    }

    /// The adjusted working days (调休) of an official schedule; for a statutory-only year, only
    /// those a neighbouring year's schedule lent it.
    public func adjustedWorkingDays(in year: Int) -> [Day] {
        adjustedWorkingEntries(in: year).map(\.date)
    }

    /// The adjusted working days with the holiday each belongs to.
    public func adjustedWorkingEntries(in year: Int) -> [OfficialDay] {
        let entries = official[year].map { Array($0.values) } ?? lent.values.filter { $0.date.year == year }
        return entries.filter { $0.kind == .work }.sorted { $0.date < $1.date }
    }
}
