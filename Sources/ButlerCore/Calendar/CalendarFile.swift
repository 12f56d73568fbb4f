import Foundation

/// A problem in an imported calendar file, located so a person can fix it.
public struct CalendarFileError: Error, CustomStringConvertible, Sendable, Hashable {
    public let fileName: String
    /// 1-based; the CSV header is line 1.
    public let line: Int
    public let field: String
    public let message: String

    public init(fileName: String, line: Int, field: String, message: String) {
        self.fileName = fileName
        self.line = line
        self.field = field
        self.message = message
    }

    /// "FILE:LINE: field: message".
    public var description: String { "\(fileName):\(line): \(field): \(message)" }
}

/// Parsers for official schedules published after the product shipped (pure: text in, days out).
public enum CalendarFile {
    /// CSV with the header `date,kind,holiday`; kind is `off` or `work`.
    public static func parseCSV(_ text: String, fileName: String) throws(CalendarFileError) -> [OfficialDay] {
        try csvEntries(text, fileName: fileName).map(\.day)
    }

    /// A CSV file as the schedule of one or more whole years: its own years are those whose
    /// January 1 (元旦) it lists, since every official schedule lists it (the shipped
    /// 2024-2026 file holds three). Its other days are lent across New Year: December days of
    /// the year before the first, January days of the year after the last.
    public static func csvSchedule(_ text: String, fileName: String) throws(CalendarFileError) -> YearSchedule {
        let entries = try csvEntries(text, fileName: fileName)
        guard let first = entries.first else {
            throw CalendarFileError(fileName: fileName, line: 2, field: "date", message: "文件没有列出任何日期")
        }
        let years = Set(entries.map(\.day.date).filter(isNewYear).map(\.year)).sorted()
        guard let firstYear = years.first, let lastYear = years.last else {
            throw CalendarFileError(fileName: fileName, line: first.line, field: "date",
                                    message: "文件没有列出任何一年的 1 月 1 日（元旦）；每年的官方安排都列出元旦，文件的年份由此确定")
        }
        for entry in entries where !years.contains(entry.day.date.year) {
            let date = entry.day.date
            let lentBack = date.year == firstYear - 1 && date.month == 12
            let lentForward = date.year == lastYear + 1 && date.month == 1
            if lentBack || lentForward { continue }
            // A year among or next to the file's years, beyond the New Year days: a whole year without its 元旦.
            if (firstYear - 1...lastYear + 1).contains(date.year) {
                throw CalendarFileError(fileName: fileName, line: entry.line, field: "date",
                                        message: "\(date) 属于 \(date.year) 年，但文件没有列出 \(date.year)-01-01（元旦）；"
                                            + "每年的安排都须列出元旦，相邻年份只能借用元旦前后的日子（上一年 12 月、下一年 1 月）")
            }
            throw CalendarFileError(fileName: fileName, line: entry.line, field: "date",
                                    message: "\(date) 不在文件的年份（\(yearList(years))）或相邻的年份内")
        }
        return try schedule(years: years, entries: entries, fileName: fileName) { _ in "date" }
    }

    private static func csvEntries(_ text: String, fileName: String) throws(CalendarFileError) -> [LocatedDay] {
        // "\r\n" is a single Character, so this splits LF and CRLF files alike.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map(String.init)
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = String(first.dropFirst()) }

        guard let header = lines.first, !header.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CalendarFileError(fileName: fileName, line: 1, field: "表头", message: "文件是空的（第 1 行应是表头 date,kind,holiday）")
        }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard columns == ["date", "kind", "holiday"] else {
            throw CalendarFileError(fileName: fileName, line: 1, field: "表头",
                                    message: "'\(header)' 不是表头 date,kind,holiday")
        }

        var result: [LocatedDay] = []
        var seen: [Day: Int] = [:]
        for (index, raw) in lines.enumerated().dropFirst() {
            let lineNumber = index + 1
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = raw.split(separator: ",", omittingEmptySubsequences: false)
                .map { unquote($0.trimmingCharacters(in: .whitespaces)) }
            guard fields.count == 3 else {
                throw CalendarFileError(fileName: fileName, line: lineNumber, field: "字段数",
                                        message: "应有 3 个字段（date,kind,holiday），实有 \(fields.count) 个")
            }
            let entry = try entry(date: fields[0], kind: fields[1], holiday: fields[2],
                                  fileName: fileName, line: lineNumber, kindField: "kind")
            if let firstLine = seen[entry.date] {
                throw CalendarFileError(fileName: fileName, line: lineNumber, field: "date",
                                        message: "\(entry.date) 已在第 \(firstLine) 行出现")
            }
            seen[entry.date] = lineNumber
            result.append(LocatedDay(day: entry, line: lineNumber, index: result.count))
        }
        return result
    }

    /// The holiday-cn JSON shape: `{"year":2027,"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}`.
    public static func parseHolidayCNJSON(_ data: Data, fileName: String) throws(CalendarFileError) -> [OfficialDay] {
        try holidayCNEntries(data, fileName: fileName).entries.map(\.day)
    }

    /// A holiday-cn file as one year's schedule: its own year is its `year` field.
    public static func holidayCNSchedule(_ data: Data, fileName: String) throws(CalendarFileError) -> YearSchedule {
        let (entries, year, yearLine) = try holidayCNEntries(data, fileName: fileName)
        guard let year else {
            throw CalendarFileError(fileName: fileName, line: yearLine, field: "year", message: "缺少年份或不是年份（例如 2027）")
        }
        return try schedule(years: [year], entries: entries, fileName: fileName) { "days[\($0.index)].date" }
    }

    private static func holidayCNEntries(
        _ data: Data, fileName: String
    ) throws(CalendarFileError) -> (entries: [LocatedDay], year: Int?, yearLine: Int) {
        let text = String(decoding: data, as: UTF8.self)
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw CalendarFileError(fileName: fileName, line: 1, field: "json", message: "不是有效的 JSON")
        }
        guard case .object(let object) = root else {
            throw CalendarFileError(fileName: fileName, line: 1, field: "json",
                                    message: "应是含 \"year\" 和 \"days\" 的对象")
        }
        let daysLine = line(of: "\"days\"", in: text)
        guard case .array(let days)? = object["days"] else {
            throw CalendarFileError(fileName: fileName, line: daysLine, field: "days", message: "缺少 days 或不是数组")
        }
        var result: [LocatedDay] = []
        var seen: Set<Day> = []
        for (index, item) in days.enumerated() {
            let label = "days[\(index)]"
            guard case .object(let day) = item else {
                throw CalendarFileError(fileName: fileName, line: daysLine, field: label,
                                        message: "应是含 name、date、isOffDay 的对象")
            }
            guard case .string(let date)? = day["date"] else {
                throw CalendarFileError(fileName: fileName, line: daysLine, field: "\(label).date", message: "缺少日期或不是字符串")
            }
            // The first occurrence of the entry's date string is its line in the usual one-entry-per-line layout.
            let at = line(of: "\"\(date)\"", in: text)
            guard case .string(let name)? = day["name"] else {
                throw CalendarFileError(fileName: fileName, line: at, field: "\(label).name", message: "缺少节日名称或不是字符串")
            }
            guard case .bool(let isOff)? = day["isOffDay"] else {
                throw CalendarFileError(fileName: fileName, line: at, field: "\(label).isOffDay", message: "缺少 isOffDay 或不是 true/false")
            }
            let entry = try entry(date: date, kind: isOff ? "off" : "work", holiday: name,
                                  fileName: fileName, line: at, kindField: "\(label).isOffDay",
                                  dateField: "\(label).date", holidayField: "\(label).name")
            guard seen.insert(entry.date).inserted else {
                throw CalendarFileError(fileName: fileName, line: at, field: "\(label).date", message: "\(entry.date) 出现了两次")
            }
            result.append(LocatedDay(day: entry, line: at, index: index))
        }
        var year: Int?
        if case .number(let n)? = object["year"], n == n.rounded(), (1...9999).contains(n) { year = Int(n) }
        return (result.sorted { $0.day.date < $1.day.date }, year, line(of: "\"year\"", in: text))
    }

    /// The file's own years and its days; a day more than a year away from them is a mistake.
    private static func schedule(
        years: [Int], entries: [LocatedDay], fileName: String, field: (LocatedDay) -> String
    ) throws(CalendarFileError) -> YearSchedule {
        // Where a problem of the whole file is reported: its first entry.
        let opening = (line: entries.first?.line ?? 1, field: entries.first.map(field) ?? "days")
        for year in years where !entries.contains(where: { $0.day.date.year == year }) {
            throw CalendarFileError(fileName: fileName, line: opening.line, field: opening.field,
                                    message: "文件没有列出它所属的 \(year) 年的任何日期")
        }
        // Neighbouring years appear for runs crossing New Year (2023's file lists 2022-12-31).
        if let far = entries.first(where: { entry in !years.contains { abs(entry.day.date.year - $0) <= 1 } }) {
            throw CalendarFileError(fileName: fileName, line: far.line, field: field(far),
                                    message: "\(far.day.date) 不在文件的年份（\(yearList(years))）或相邻的年份内")
        }
        // Every official schedule lists 元旦 on its own January 1, and only there: the stored
        // calendar knows a year's own schedule by it (WorkCalendar.merging(stored:)).
        if let other = entries.first(where: { !years.contains($0.day.date.year) && isNewYear($0.day.date) }) {
            throw CalendarFileError(fileName: fileName, line: other.line, field: field(other),
                                    message: "\(other.day.date) 是 \(other.day.date.year) 年安排里的元旦，不属于这份 \(yearList(years)) 年的文件")
        }
        for year in years {
            let newYear = entries.first { $0.day.date.year == year && isNewYear($0.day.date) }
            guard let newYear, newYear.day.kind == .off else {
                let at = newYear.map { (line: $0.line, field: field($0)) } ?? opening
                throw CalendarFileError(fileName: fileName, line: at.line, field: at.field,
                                        message: "\(year)-01-01（元旦）没有列为休息日；每年的官方安排都列出元旦")
            }
        }
        let lines = Dictionary(entries.map { ($0.day.date, $0.line) }, uniquingKeysWith: { first, _ in first })
        return YearSchedule(years: years, days: entries.map(\.day), lines: lines)
    }

    private static func isNewYear(_ date: Day) -> Bool { date.month == 1 && date.day == 1 }

    /// "2024、2025、2026".
    private static func yearList(_ years: [Int]) -> String { years.map(String.init).joined(separator: "、") }

    private static func entry(
        date: String, kind: String, holiday: String, fileName: String, line: Int,
        kindField: String, dateField: String = "date", holidayField: String = "holiday"
    ) throws(CalendarFileError) -> OfficialDay {
        guard let day = Day(date) else {
            throw CalendarFileError(fileName: fileName, line: line, field: dateField,
                                    message: "'\(date)' 不是日期（应写作 YYYY-MM-DD）")
        }
        guard let kindValue = CalendarDayKind(rawValue: kind.lowercased()) else {
            throw CalendarFileError(fileName: fileName, line: line, field: kindField,
                                    message: "'\(kind)' 不是 off（休息）或 work（上班）")
        }
        let name = holiday.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else {
            throw CalendarFileError(fileName: fileName, line: line, field: holidayField, message: "节日名称为空")
        }
        return OfficialDay(date: day, kind: kindValue, holiday: name)
    }

    private static func unquote(_ s: String) -> String {
        guard s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") else { return s }
        return String(s.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }

    /// The 1-based line of the first occurrence of `needle`, or 1.
    private static func line(of needle: String, in text: String) -> Int {
        guard let range = text.range(of: needle) else { return 1 }
        return text[..<range.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }
}

/// A parsed entry with where it was in the file.
private struct LocatedDay {
    let day: OfficialDay
    let line: Int
    /// Position in the file (the JSON array index).
    let index: Int
}

/// Just enough JSON to tell booleans from numbers and report precise fields.
private enum JSONValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }
}
