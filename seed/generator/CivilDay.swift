import Foundation

/// A calendar day as a count of days since 1970-01-01 (proleptic Gregorian).
///
/// Arithmetic is done on integers (Howard Hinnant's civil-from-days algorithms) so that
/// output never depends on the machine's time zone or Foundation's calendar tables.
struct CivilDay: Comparable, Hashable {
    var days: Int

    init(days: Int) { self.days = days }

    init(year: Int, month: Int, day: Int) {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        days = era * 146_097 + doe - 719_468
    }

    var ymd: (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// 0 = Sunday ... 6 = Saturday.
    var weekday: Int { ((days % 7) + 7 + 4) % 7 }

    var isWeekend: Bool { weekday == 0 || weekday == 6 }

    static func + (lhs: CivilDay, rhs: Int) -> CivilDay { CivilDay(days: lhs.days + rhs) }
    static func - (lhs: CivilDay, rhs: Int) -> CivilDay { CivilDay(days: lhs.days - rhs) }
    static func < (lhs: CivilDay, rhs: CivilDay) -> Bool { lhs.days < rhs.days }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
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
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == 45, b[7] == 45 else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10),
              y >= 1900, (1...12).contains(m), d >= 1, d <= CivilDay.daysInMonth(year: y, month: m)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Today in Asia/Shanghai (UTC+8 all year: China has no daylight saving time).
    static func todayInShanghai() -> CivilDay {
        let seconds = Int(Date().timeIntervalSince1970.rounded(.down)) + 8 * 3600
        let d = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return CivilDay(days: d)
    }

    var iso: String {
        var buf = CSVBuffer()
        buf.appendDate(self)
        return String(decoding: buf.bytes, as: UTF8.self)
    }
}
