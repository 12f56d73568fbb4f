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

    /// A CSV file as one year's schedule: its own year is the year most of its days fall in
    /// (a tie is refused: the file should be split by year).
    public static func csvSchedule(_ text: String, fileName: String) throws(CalendarFileError) -> YearSchedule {
        let entries = try csvEntries(text, fileName: fileName)
        let counts = Dictionary(entries.map { ($0.day.date.year, 1) }, uniquingKeysWith: +)
        guard let most = counts.values.max() else {
            throw CalendarFileError(fileName: fileName, line: 2, field: "date", message: "the file lists no days")
        }
        let leaders = counts.filter { $0.value == most }.keys.sorted()
        guard leaders.count == 1, let year = leaders.first else {
            throw CalendarFileError(fileName: fileName, line: 2, field: "date",
                                    message: "as many days in \(leaders.map(String.init).joined(separator: " as in ")): which year the file is for is unclear; split it by year")
        }
        return try schedule(year: year, entries: entries, fileName: fileName) { _ in "date" }
    }

    private static func csvEntries(_ text: String, fileName: String) throws(CalendarFileError) -> [LocatedDay] {
        // "\r\n" is a single Character, so this splits LF and CRLF files alike.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map(String.init)
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = String(first.dropFirst()) }

        guard let header = lines.first, !header.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CalendarFileError(fileName: fileName, line: 1, field: "header", message: "the file is empty; expected the header date,kind,holiday")
        }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard columns == ["date", "kind", "holiday"] else {
            throw CalendarFileError(fileName: fileName, line: 1, field: "header",
                                    message: "'\(header)' is not the header date,kind,holiday")
        }

        var result: [LocatedDay] = []
        var seen: [Day: Int] = [:]
        for (index, raw) in lines.enumerated().dropFirst() {
            let lineNumber = index + 1
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = raw.split(separator: ",", omittingEmptySubsequences: false)
                .map { unquote($0.trimmingCharacters(in: .whitespaces)) }
            guard fields.count == 3 else {
                throw CalendarFileError(fileName: fileName, line: lineNumber, field: "line",
                                        message: "expected 3 fields (date,kind,holiday), found \(fields.count)")
            }
            let entry = try entry(date: fields[0], kind: fields[1], holiday: fields[2],
                                  fileName: fileName, line: lineNumber, kindField: "kind")
            if let firstLine = seen[entry.date] {
                throw CalendarFileError(fileName: fileName, line: lineNumber, field: "date",
                                        message: "\(entry.date) already appears on line \(firstLine)")
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
            throw CalendarFileError(fileName: fileName, line: yearLine, field: "year", message: "missing or not a year (e.g. 2027)")
        }
        return try schedule(year: year, entries: entries, fileName: fileName) { "days[\($0.index)].date" }
    }

    private static func holidayCNEntries(
        _ data: Data, fileName: String
    ) throws(CalendarFileError) -> (entries: [LocatedDay], year: Int?, yearLine: Int) {
        let text = String(decoding: data, as: UTF8.self)
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw CalendarFileError(fileName: fileName, line: 1, field: "json", message: "not valid JSON")
        }
        guard case .object(let object) = root else {
            throw CalendarFileError(fileName: fileName, line: 1, field: "json",
                                    message: "expected an object with \"year\" and \"days\"")
        }
        let daysLine = line(of: "\"days\"", in: text)
        guard case .array(let days)? = object["days"] else {
            throw CalendarFileError(fileName: fileName, line: daysLine, field: "days", message: "missing or not an array")
        }
        var result: [LocatedDay] = []
        var seen: Set<Day> = []
        for (index, item) in days.enumerated() {
            let label = "days[\(index)]"
            guard case .object(let day) = item else {
                throw CalendarFileError(fileName: fileName, line: daysLine, field: label,
                                        message: "expected an object with name, date, isOffDay")
            }
            guard case .string(let date)? = day["date"] else {
                throw CalendarFileError(fileName: fileName, line: daysLine, field: "\(label).date", message: "missing or not a string")
            }
            // The first occurrence of the entry's date string is its line in the usual one-entry-per-line layout.
            let at = line(of: "\"\(date)\"", in: text)
            guard case .string(let name)? = day["name"] else {
                throw CalendarFileError(fileName: fileName, line: at, field: "\(label).name", message: "missing or not a string")
            }
            guard case .bool(let isOff)? = day["isOffDay"] else {
                throw CalendarFileError(fileName: fileName, line: at, field: "\(label).isOffDay", message: "missing or not true/false")
            }
            let entry = try entry(date: date, kind: isOff ? "off" : "work", holiday: name,
                                  fileName: fileName, line: at, kindField: "\(label).isOffDay",
                                  dateField: "\(label).date", holidayField: "\(label).name")
            guard seen.insert(entry.date).inserted else {
                throw CalendarFileError(fileName: fileName, line: at, field: "\(label).date", message: "\(entry.date) appears twice")
            }
            result.append(LocatedDay(day: entry, line: at, index: index))
        }
        var year: Int?
        if case .number(let n)? = object["year"], n == n.rounded(), (1...9999).contains(n) { year = Int(n) }
        return (result.sorted { $0.day.date < $1.day.date }, year, line(of: "\"year\"", in: text))
    }

    /// The file's own year and its days; a day more than a year away from it is a mistake.
    private static func schedule(
        year: Int, entries: [LocatedDay], fileName: String, field: (LocatedDay) -> String
    ) throws(CalendarFileError) -> YearSchedule {
        guard entries.contains(where: { $0.day.date.year == year }) else {
            throw CalendarFileError(fileName: fileName, line: entries.first?.line ?? 1, field: entries.first.map(field) ?? "days",
                                    message: "the file lists no day in its year \(year)")
        }
        // Neighbouring years appear for runs crossing New Year (2023's file lists 2022-12-31).
        if let far = entries.first(where: { abs($0.day.date.year - year) > 1 }) {
            throw CalendarFileError(fileName: fileName, line: far.line, field: field(far),
                                    message: "\(far.day.date) is not in \(year) or a neighbouring year")
        }
        // Every official schedule lists 元旦 on its own January 1, and only there: the stored
        // calendar knows a year's own schedule by it (WorkCalendar.merging(stored:)).
        if let other = entries.first(where: { $0.day.date.year != year && $0.day.date.month == 1 && $0.day.date.day == 1 }) {
            throw CalendarFileError(fileName: fileName, line: other.line, field: field(other),
                                    message: "\(other.day.date) belongs to the \(other.day.date.year) schedule, not to this \(year) file")
        }
        guard entries.contains(where: { $0.day.date == Day(year: year, month: 1, day: 1) && $0.day.kind == .off }) else {
            throw CalendarFileError(fileName: fileName, line: entries.first?.line ?? 1, field: entries.first.map(field) ?? "days",
                                    message: "\(year)-01-01 (元旦) is not listed as a day off; every official schedule lists it")
        }
        return YearSchedule(year: year, days: entries.map(\.day))
    }

    private static func entry(
        date: String, kind: String, holiday: String, fileName: String, line: Int,
        kindField: String, dateField: String = "date", holidayField: String = "holiday"
    ) throws(CalendarFileError) -> OfficialDay {
        guard let day = Day(date) else {
            throw CalendarFileError(fileName: fileName, line: line, field: dateField,
                                    message: "'\(date)' is not a date (YYYY-MM-DD)")
        }
        guard let kindValue = CalendarDayKind(rawValue: kind.lowercased()) else {
            throw CalendarFileError(fileName: fileName, line: line, field: kindField,
                                    message: "'\(kind)' is not one of off, work")
        }
        let name = holiday.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else {
            throw CalendarFileError(fileName: fileName, line: line, field: holidayField, message: "the holiday name is empty")
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
