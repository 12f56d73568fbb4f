import ButlerCore
import Foundation

/// Reads typed fields out of one CSV record, collecting `FILE:LINE: column: message` errors
/// instead of stopping at the first, so a user fixes a whole file in one go.
struct RowValidator {
    let file: String
    let record: CSVRecord
    /// The importer's day (Asia/Shanghai), for checks against the caller's clock.
    let today: Day?
    var errors: [String] = []

    init(file: String, record: CSVRecord, today: Day? = nil) {
        self.file = file
        self.record = record
        self.today = today
    }

    mutating func fail(_ column: String, _ message: String) {
        errors.append("\(file):\(record.line): \(column): \(message)")
    }

    mutating func text(_ column: String, required: Bool = true, pattern forbidden: String? = nil) -> String {
        let value = record[column]
        if required && value.isEmpty { fail(column, "必填") }
        if let forbidden, value.contains(where: { forbidden.contains($0) }) {
            fail(column, "'\(value)' 不能含有 \(forbidden.map { "'\($0)'" }.joined(separator: " "))")
        }
        return value
    }

    mutating func choice(_ column: String, _ allowed: [String], default fallback: String? = nil) -> String {
        let value = record[column]
        if value.isEmpty, let fallback { return fallback }
        guard allowed.contains(value) else {
            fail(column, "'\(value)' 不是以下之一：\(allowed.joined(separator: ", "))")
            return value
        }
        return value
    }

    mutating func day(_ column: String, required: Bool = false) -> Day? {
        let value = record[column]
        if value.isEmpty {
            if required { fail(column, "必填（YYYY-MM-DD）") }
            return nil
        }
        guard let day = Day(value) else {
            fail(column, "'\(value)' 不是日期（YYYY-MM-DD）")
            return nil
        }
        return day
    }

    /// A required time (`2026-11-26T09:30`, Asia/Shanghai unless an offset is given), as RFC 3339.
    mutating func time(_ column: String) -> String? {
        let text = self.text(column)
        guard !text.isEmpty else { return nil }
        guard let date = Timestamp.parse(text) else {
            fail(column, "'\(text)' 不是时间（例如 2026-11-26T09:30）")
            return nil
        }
        return Timestamp.rfc3339(date)
    }

    mutating func integer(_ column: String, range: ClosedRange<Int>, required: Bool = false) -> Int? {
        let value = record[column]
        if value.isEmpty {
            if required { fail(column, "必填") }
            return nil
        }
        guard let number = Int(value), range.contains(number) else {
            fail(column, "'\(value)' 不是 \(range.lowerBound)...\(range.upperBound) 之间的整数")
            return nil
        }
        return number
    }

    mutating func decimal(_ column: String, range: ClosedRange<Double>) -> String? {
        let value = record[column]
        if value.isEmpty { return nil }
        guard let number = Double(value), range.contains(number) else {
            fail(column, "'\(value)' 不是 \(range.lowerBound)...\(range.upperBound) 之间的数")
            return nil
        }
        return value
    }

    mutating func flag(_ column: String) -> Bool {
        switch record[column].lowercased() {
        case "", "no", "false", "0", "n", "否": return false
        case "yes", "true", "1", "y", "是": return true
        case let other:
            fail(column, "'\(other)' 不是 是/否（也可写 yes/no、true/false、1/0）")
            return false
        }
    }

    /// One or more phones separated by `;`, normalised to digits.
    mutating func phones(_ column: String, required: Bool) -> [String] {
        let value = record[column]
        if value.isEmpty {
            if required { fail(column, "必填") }
            return []
        }
        var result: [String] = []
        for part in value.split(separator: ";").map({ String($0).trimmedSpaces }) where !part.isEmpty {
            if let phone = PhoneNumber(part) {
                if !result.contains(phone.digits) { result.append(phone.digits) }
            } else {
                fail(column, "'\(part)' 不是电话号码（手机 1xxxxxxxxxx，或带区号的固话）")
            }
        }
        return result
    }

    /// Values separated by `;`, trimmed, empty ones dropped.
    func list(_ column: String) -> [String] {
        record[column].split(separator: ";").map { String($0).trimmedSpaces }.filter { !$0.isEmpty }
    }

    mutating func tags(_ column: String, allowed: [String]) -> [String] {
        let parts = list(column)
        for tag in parts where !allowed.contains(tag) {
            fail(column, "未知标签 '\(tag)'（可用：\(allowed.joined(separator: ", "))）")
        }
        return parts
    }
}
