import ButlerCore
import Foundation

/// Reads typed fields out of one CSV record, collecting `FILE:LINE: column: message` errors
/// instead of stopping at the first, so a user fixes a whole file in one go.
struct RowValidator {
    let file: String
    let record: CSVRecord
    var errors: [String] = []

    init(file: String, record: CSVRecord) {
        self.file = file
        self.record = record
    }

    mutating func fail(_ column: String, _ message: String) {
        errors.append("\(file):\(record.line): \(column): \(message)")
    }

    mutating func text(_ column: String, required: Bool = true, pattern forbidden: String? = nil) -> String {
        let value = record[column]
        if required && value.isEmpty { fail(column, "is required") }
        if let forbidden, value.contains(where: { forbidden.contains($0) }) {
            fail(column, "'\(value)' must not contain any of \(forbidden.map { "'\($0)'" }.joined(separator: " "))")
        }
        return value
    }

    mutating func choice(_ column: String, _ allowed: [String], default fallback: String? = nil) -> String {
        let value = record[column]
        if value.isEmpty, let fallback { return fallback }
        guard allowed.contains(value) else {
            fail(column, "'\(value)' is not one of \(allowed.joined(separator: ", "))")
            return value
        }
        return value
    }

    mutating func day(_ column: String, required: Bool = false) -> Day? {
        let value = record[column]
        if value.isEmpty {
            if required { fail(column, "is required (YYYY-MM-DD)") }
            return nil
        }
        guard let day = Day(value) else {
            fail(column, "'\(value)' is not a date (YYYY-MM-DD)")
            return nil
        }
        return day
    }

    /// A required time (`2026-11-26T09:30`, Asia/Shanghai unless an offset is given), as RFC 3339.
    mutating func time(_ column: String) -> String? {
        let text = self.text(column)
        guard !text.isEmpty else { return nil }
        guard let date = Timestamp.parse(text) else {
            fail(column, "'\(text)' is not a time (e.g. 2026-11-26T09:30)")
            return nil
        }
        return Timestamp.rfc3339(date)
    }

    mutating func integer(_ column: String, range: ClosedRange<Int>, required: Bool = false) -> Int? {
        let value = record[column]
        if value.isEmpty {
            if required { fail(column, "is required") }
            return nil
        }
        guard let number = Int(value), range.contains(number) else {
            fail(column, "'\(value)' is not a whole number in \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return number
    }

    mutating func decimal(_ column: String, range: ClosedRange<Double>) -> String? {
        let value = record[column]
        if value.isEmpty { return nil }
        guard let number = Double(value), range.contains(number) else {
            fail(column, "'\(value)' is not a number in \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func flag(_ column: String) -> Bool {
        switch record[column].lowercased() {
        case "", "no", "false", "0", "n", "否": return false
        case "yes", "true", "1", "y", "是": return true
        case let other:
            fail(column, "'\(other)' is not yes/no (also true/false, 1/0)")
            return false
        }
    }

    /// One or more phones separated by `;`, normalised to digits.
    mutating func phones(_ column: String, required: Bool) -> [String] {
        let value = record[column]
        if value.isEmpty {
            if required { fail(column, "is required") }
            return []
        }
        var result: [String] = []
        for part in value.split(separator: ";").map({ String($0).trimmedSpaces }) where !part.isEmpty {
            if let phone = PhoneNumber(part) {
                if !result.contains(phone.digits) { result.append(phone.digits) }
            } else {
                fail(column, "'\(part)' is not a phone number (mobile 1xxxxxxxxxx or landline with area code)")
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
            fail(column, "unknown tag '\(tag)' (known: \(allowed.joined(separator: ", ")))")
        }
        return parts
    }
}

extension Array where Element == String {
    /// A PostgreSQL array literal for COPY's text format.
    var postgresArray: String {
        var text = "{"
        for (i, element) in enumerated() {
            if i > 0 { text += "," }
            text += "\""
            if element.utf8.contains(where: { $0 == 34 || $0 == 92 }) {
                for scalar in element.unicodeScalars {
                    if scalar == "\"" || scalar == "\\" { text += "\\" }
                    text.unicodeScalars.append(scalar)
                }
            } else {
                text += element
            }
            text += "\""
        }
        return text + "}"
    }
}
