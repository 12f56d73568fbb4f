import Foundation

/// Statutory days off (《全国年节及纪念日放假办法》) for a year with no published schedule.
///
/// New Year Jan 1; Spring Festival eve to day 3 of the lunar year (4 days); Qingming;
/// Labour Day May 1-2; Dragon Boat (lunar 5/5); Mid-Autumn (lunar 8/15); National Day Oct 1-3.
/// No adjusted working days: those exist only in a published schedule.
public enum StatutoryHolidays {
    public static func offDays(year: Int) -> [OfficialDay] {
        offDayIndex(year: year).values.sorted { $0.date < $1.date }
    }

    /// The statutory days off of `year` by date; computed once per year and cached.
    static func offDayIndex(year: Int) -> [Day: OfficialDay] {
        if let cached = cache.value(year) { return cached }
        let computed = compute(year: year)
        cache.store(year, computed)
        return computed
    }

    /// The Gregorian date of Qingming (the solar term 清明) in April.
    public static func qingming(year: Int) -> Day? {
        // Solar-term approximation: 21st-century constant 4.81, 20th-century 5.59.
        let y = year % 100
        let c = year >= 2001 ? 4.81 : 5.59
        let day = Int((Double(y) * 0.2422 + c).rounded(.down)) - y / 4
        return Day(year: year, month: 4, day: day)
    }

    /// The Gregorian date of lunar `month`/`day` (not a leap month) that falls in Gregorian `year`,
    /// searched in `window` (a range of Gregorian days of `year`).
    static func lunarDate(month: Int, day: Int, in window: ClosedRange<Day>) -> Day? {
        var calendar = Calendar(identifier: .chinese)
        calendar.timeZone = Day.shanghai
        var d = window.lowerBound
        while d <= window.upperBound {
            // Noon keeps the instant safely inside the civil day.
            let instant = d.startOfDay().addingTimeInterval(12 * 3600)
            let c = calendar.dateComponents([.month, .day], from: instant)
            if c.month == month, c.day == day, c.isLeapMonth != true { return d }
            d = d.adding(days: 1)
        }
        return nil
    }

    /// Lunar New Year's Day (正月初一) in Gregorian `year`.
    public static func lunarNewYear(year: Int) -> Day? {
        guard let from = Day(year: year, month: 1, day: 19), let to = Day(year: year, month: 2, day: 22) else { return nil }
        return lunarDate(month: 1, day: 1, in: from...to)
    }

    private static func compute(year: Int) -> [Day: OfficialDay] {
        var days: [Day: OfficialDay] = [:]
        func add(_ d: Day?, _ name: String) {
            guard let d else { return }
            if let existing = days[d], existing.holiday != name {
                // Mid-Autumn can fall inside National Day.
                days[d] = OfficialDay(date: d, kind: .off, holiday: existing.holiday + "、" + name)
            } else {
                days[d] = OfficialDay(date: d, kind: .off, holiday: name)
            }
        }
        func date(_ m: Int, _ d: Int) -> Day? { Day(year: year, month: m, day: d) }

        add(date(1, 1), "元旦")
        // Eve is the day before lunar 1/1 (lunar month 12 has 29 or 30 days).
        if let newYear = lunarNewYear(year: year) {
            for offset in -1...2 { add(newYear.adding(days: offset), "春节") }
        }
        add(qingming(year: year), "清明节")
        add(date(5, 1), "劳动节")
        add(date(5, 2), "劳动节")
        if let from = date(5, 25), let to = date(6, 25) {
            add(lunarDate(month: 5, day: 5, in: from...to), "端午节")
        }
        for d in 1...3 { add(date(10, d), "国庆节") }
        if let from = date(9, 5), let to = date(10, 10) {
            add(lunarDate(month: 8, day: 15, in: from...to), "中秋节")
        }
        return days
    }

    private static let cache = YearCache()
}

/// A small lock-protected memo; the statutory computation is deterministic per year.
private final class YearCache: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Int: [Day: OfficialDay]] = [:]

    func value(_ year: Int) -> [Day: OfficialDay]? {
        lock.lock()
        defer { lock.unlock() }
        return storage[year]
    }

    func store(_ year: Int, _ value: [Day: OfficialDay]) {
        lock.lock()
        defer { lock.unlock() }
        storage[year] = value
    }
}
