import ButlerCore
import Foundation

/// A calendar day as a count of days since 1970-01-01, for cheap arithmetic in the
/// generator's hot loops; the calendar algorithms themselves are ButlerCore's `Day`.
struct CivilDay: Comparable, Hashable {
    var days: Int

    init(days: Int) { self.days = days }

    /// `day` is clamped to the month, so callers can pass "the 31st" for any month.
    init(year: Int, month: Int, day: Int) {
        let first = Day(year: year, month: month, day: 1)?.dayNumber ?? 0
        days = first + min(max(day, 1), CivilDay.daysInMonth(year: year, month: month)) - 1
    }

    var ymd: (year: Int, month: Int, day: Int) {
        let day = Day(dayNumber: days)
        return (day.year, day.month, day.day)
    }

    /// 0 = Sunday ... 6 = Saturday.
    var weekday: Int { Day(dayNumber: days).weekday % 7 }

    var isWeekend: Bool { Day(dayNumber: days).isWeekend }

    static func + (lhs: CivilDay, rhs: Int) -> CivilDay { CivilDay(days: lhs.days + rhs) }
    static func - (lhs: CivilDay, rhs: Int) -> CivilDay { CivilDay(days: lhs.days - rhs) }
    static func < (lhs: CivilDay, rhs: CivilDay) -> Bool { lhs.days < rhs.days }

    static func daysInMonth(year: Int, month: Int) -> Int {
        YearMonth(year: year, month: month)?.dayCount ?? 31
    }

    /// The same day of month `n` months later (or earlier), clamped to the month's end.
    func addingMonths(_ n: Int) -> CivilDay {
        let (y, m, d) = ymd
        let index = y * 12 + (m - 1) + n
        let ny = index >= 0 ? index / 12 : (index - 11) / 12
        let nm = index - ny * 12 + 1
        return CivilDay(year: ny, month: nm, day: min(d, CivilDay.daysInMonth(year: ny, month: nm)))
    }

    var firstOfMonth: CivilDay {
        let (y, m, _) = ymd
        return CivilDay(year: y, month: m, day: 1)
    }

    /// Strict `YYYY-MM-DD`.
    init?(iso text: String) {
        guard let day = Day(text), day.year >= 1900 else { return nil }
        self.init(days: day.dayNumber)
    }

    /// Today in Asia/Shanghai.
    static func todayInShanghai() -> CivilDay { CivilDay(days: Day.today().dayNumber) }

    var iso: String {
        var buf = CSVBuffer()
        buf.appendDate(self)
        return String(decoding: buf.bytes, as: UTF8.self)
    }
}
