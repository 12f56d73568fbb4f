import ButlerCore
import Foundation

/// The bounds every input is checked against before anything is written (README "Input
/// bounds"): dates of lists, plans and assignments and times of records lie in
/// 2000-01-01...2100-12-31; registry dates (a move-in) may go back to 1950; text holds no
/// control characters. The messages name the field as the caller calls it.
public enum InputBounds {
    public static let businessDays = Day(year: 2000, month: 1, day: 1)!...Day(year: 2100, month: 12, day: 31)!
    public static let registryDays = Day(year: 1950, month: 1, day: 1)!...Day(year: 2100, month: 12, day: 31)!

    public static func day(_ day: Day, field: String, in range: ClosedRange<Day> = businessDays) throws {
        guard range.contains(day) else {
            throw ButlerError(.invalidInput, field: field, "\(day) 超出可接受的范围 \(range.lowerBound) 至 \(range.upperBound)")
        }
    }

    /// A record's time: within the business range and not in the future (a minute of grace for
    /// clocks that disagree); `now` is the caller's clock.
    public static func recordTime(_ at: Date, field: String = "at", now: Date) throws {
        try day(Day.from(at), field: field)
        if at > now.addingTimeInterval(60) {
            throw ButlerError(.invalidInput, field: field, "\(Timestamp.rfc3339(at)) 在将来；只能记录已经发生的事")
        }
    }

    public static func text(_ text: String, field: String, multiline: Bool = false) throws {
        if let problem = InputText.problem(in: text, multiline: multiline) {
            throw ButlerError(.invalidInput, field: field, problem)
        }
    }

    public static func texts(_ texts: [String], field: String) throws {
        for (i, text) in texts.enumerated() { try Self.text(text, field: "\(field)[\(i + 1)]", multiline: true) }
    }
}
