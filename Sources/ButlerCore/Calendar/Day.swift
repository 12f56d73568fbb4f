import Foundation

/// A civil date (business dates are Asia/Shanghai). Stored as year/month/day; arithmetic through a day number.
public struct Day: Hashable, Comparable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A validated date in the proleptic Gregorian calendar, years 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= Day.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01 (negative before).
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number (days since 1970-01-01).
    public init(dayNumber: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.init(unchecked: y, m, d)
    }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (ISO 4).
        let r = (dayNumber + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    /// Saturday or Sunday.
    public var isWeekend: Bool { weekday >= 6 }

    public func adding(days: Int) -> Day {
        days == 0 ? self : Day(dayNumber: dayNumber + days)
    }

    /// Signed number of days from `self` to `other` (positive when `other` is later).
    public func days(until other: Day) -> Int {
        other.dayNumber - dayNumber
    }

    public var monthOfYear: YearMonth {
        YearMonth(validYear: year, month: month)
    }

    /// The Monday-based ISO week containing this day.
    public var isoWeek: ISOWeek { ISOWeek(containing: self) }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeap(year) ? 29 : 28
        default: return 0
        }
    }
}

// MARK: - Time zone

extension Day {
    /// China Standard Time; business dates are civil dates here.
    public static let shanghai: TimeZone =
        TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt

    /// Today's date in Asia/Shanghai.
    public static func today(now: Date = Date()) -> Day {
        from(now)
    }

    /// The Shanghai civil date of an instant.
    public static func from(_ date: Date) -> Day {
        let offset = shanghai.secondsFromGMT(for: date)
        let seconds = Int((date.timeIntervalSince1970).rounded(.down)) + offset
        return Day(dayNumber: floorDiv(seconds, 86_400))
    }

    /// Midnight in Asia/Shanghai at the start of this day.
    public func startOfDay() -> Date {
        let utcMidnight = dayNumber * 86_400
        // The offset in force a few hours into the day (Shanghai has had no DST since 1991).
        let probe = Date(timeIntervalSince1970: TimeInterval(utcMidnight))
        let offset = Day.shanghai.secondsFromGMT(for: probe)
        return Date(timeIntervalSince1970: TimeInterval(utcMidnight - offset))
    }
}

private func floorDiv(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

// MARK: - Text

extension Day: CustomStringConvertible, LosslessStringConvertible {
    /// "2026-11-26".
    public var description: String {
        pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// Parses strict `YYYY-MM-DD` and validates the date.
    public init?(_ description: String) {
        let u = Array(description.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              let y = parseDigits(u[0..<4]), let m = parseDigits(u[5..<7]), let d = parseDigits(u[8..<10])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }
}

private func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

private func parseDigits(_ bytes: ArraySlice<UInt8>) -> Int? {
    var n = 0
    for b in bytes {
        guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
        n = n * 10 + Int(b - UInt8(ascii: "0"))
    }
    return bytes.isEmpty ? nil : n
}

extension Day: Codable {
    public init(from decoder: any Decoder) throws {
        self = try decodeText(from: decoder, expecting: "a date (YYYY-MM-DD)")
    }

    public func encode(to encoder: any Encoder) throws { try encodeText(self, to: encoder) }
}

/// Dates and months are JSON strings in their text form ("2026-11-26", "2026-11").
private func decodeText<T: LosslessStringConvertible>(from decoder: any Decoder, expecting format: String) throws -> T {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let value = T(text) else {
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not \(format)")
    }
    return value
}

private func encodeText<T: CustomStringConvertible>(_ value: T, to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(value.description)
}

// MARK: - YearMonth

/// A calendar month, e.g. "2026-11".
public struct YearMonth: Hashable, Comparable, Sendable {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    init(validYear year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    public var first: Day { Day(dayNumber: firstDayNumber) }

    public var last: Day { Day(dayNumber: firstDayNumber + dayCount - 1) }

    /// Number of days in the month.
    public var dayCount: Int { Day.daysInMonth(year: year, month: month) }

    /// Every day of the month, in order.
    public var days: [Day] {
        let start = firstDayNumber
        return (0..<dayCount).map { Day(dayNumber: start + $0) }
    }

    /// The given day of this month, if it exists.
    public func day(_ d: Int) -> Day? { Day(year: year, month: month, day: d) }

    public var next: YearMonth {
        month == 12 ? YearMonth(validYear: year + 1, month: 1) : YearMonth(validYear: year, month: month + 1)
    }

    public var previous: YearMonth {
        month == 1 ? YearMonth(validYear: year - 1, month: 12) : YearMonth(validYear: year, month: month - 1)
    }

    private var firstDayNumber: Int {
        // Day(year:month:day:) with day 1 always exists for a valid YearMonth.
        Day(year: year, month: month, day: 1)?.dayNumber ?? 0
    }

    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}

extension YearMonth: CustomStringConvertible, LosslessStringConvertible, Codable {
    /// "2026-11".
    public var description: String { pad(year, 4) + "-" + pad(month, 2) }

    /// Parses strict `YYYY-MM`.
    public init?(_ description: String) {
        let u = Array(description.utf8)
        guard u.count == 7, u[4] == UInt8(ascii: "-"),
              let y = parseDigits(u[0..<4]), let m = parseDigits(u[5..<7])
        else { return nil }
        self.init(year: y, month: m)
    }

    public init(from decoder: any Decoder) throws {
        self = try decodeText(from: decoder, expecting: "a month (YYYY-MM)")
    }

    public func encode(to encoder: any Encoder) throws { try encodeText(self, to: encoder) }
}

// MARK: - ISOWeek

/// An ISO 8601 week (Monday to Sunday), e.g. "2026-W48"; the natural period key of weekly tasks.
public struct ISOWeek: Hashable, Comparable, Sendable {
    /// The ISO week-numbering year (may differ from the calendar year near New Year).
    public let year: Int
    public let week: Int
    /// The Monday of the week.
    public let monday: Day

    public init(containing d: Day) {
        let monday = d.adding(days: 1 - d.weekday)
        // The ISO year is the year of the week's Thursday.
        let thursday = monday.adding(days: 3)
        let jan1 = Day(year: thursday.year, month: 1, day: 1) ?? thursday
        self.year = thursday.year
        self.week = jan1.days(until: thursday) / 7 + 1
        self.monday = monday
    }

    public init?(year: Int, week: Int) {
        // Week 1 contains January 4th.
        guard week >= 1, let jan4 = Day(year: year, month: 1, day: 4) else { return nil }
        let candidate = ISOWeek(containing: jan4.adding(days: (week - 1) * 7))
        guard candidate.year == year, candidate.week == week else { return nil }
        self = candidate
    }

    /// Monday through Sunday.
    public var days: [Day] { (0..<7).map { monday.adding(days: $0) } }

    public var sunday: Day { monday.adding(days: 6) }

    public var next: ISOWeek { ISOWeek(containing: monday.adding(days: 7)) }

    public var previous: ISOWeek { ISOWeek(containing: monday.adding(days: -7)) }

    public static func < (lhs: ISOWeek, rhs: ISOWeek) -> Bool { lhs.monday < rhs.monday }
}

extension ISOWeek: CustomStringConvertible {
    /// "2026-W48".
    public var description: String { pad(year, 4) + "-W" + pad(week, 2) }
}
