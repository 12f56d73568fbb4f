import Foundation
import Testing
@testable import ButlerCore

@Suite struct DayTests {
    @Test func parsesStrictISODates() {
        #expect(Day("2026-11-26")?.description == "2026-11-26")
        #expect(Day("2024-02-29") != nil)
        #expect(Day("2025-02-29") == nil)
        #expect(Day("2026-13-01") == nil)
        #expect(Day("2026-1-01") == nil)
        #expect(Day("2026-11-26 ") == nil)
        #expect(Day("2026/11/26") == nil)
        #expect(Day("+026-11-26") == nil)
    }

    @Test func weekdayIsISO() {
        #expect(day("2026-11-23").weekday == 1)  // Monday
        #expect(day("2026-11-29").weekday == 7)  // Sunday
        #expect(day("1970-01-01").weekday == 4)
        #expect(day("1969-12-31").weekday == 3)
    }

    @Test func arithmeticCrossesMonthsAndYears() {
        #expect(day("2026-12-31").adding(days: 1) == day("2027-01-01"))
        #expect(day("2024-03-01").adding(days: -1) == day("2024-02-29"))
        #expect(day("2026-01-01").days(until: day("2027-01-01")) == 365)
        #expect(day("2024-01-01").days(until: day("2025-01-01")) == 366)
        for n in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(Day(dayNumber: n).dayNumber == n)
        }
    }

    @Test func codableAsString() throws {
        let data = try JSONEncoder().encode([day("2026-11-26")])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2026-11-26\"]")
        #expect(try JSONDecoder().decode([Day].self, from: data) == [day("2026-11-26")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Day].self, from: Data("[\"2026-02-30\"]".utf8)) }
    }

    /// Dates and months share one text codec; the error says which format was expected.
    @Test func yearMonthCodableAsString_andErrorsNameTheFormat() throws {
        let months = [month("2026-11"), month("0999-01")]
        let data = try JSONEncoder().encode(months)
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-11","0999-01"]"#)
        #expect(try JSONDecoder().decode([YearMonth].self, from: data) == months)
        func message<T: Decodable>(_ type: T.Type, _ json: String) -> String? {
            do {
                _ = try JSONDecoder().decode(type, from: Data(json.utf8))
                return nil
            } catch DecodingError.dataCorrupted(let context) {
                return context.debugDescription
            } catch {
                return "\(error)"
            }
        }
        #expect(message([YearMonth].self, #"["2026-13"]"#) == "'2026-13' is not a month (YYYY-MM)")
        #expect(message([Day].self, #"["2026-02-30"]"#) == "'2026-02-30' is not a date (YYYY-MM-DD)")
    }

    @Test func shanghaiCivilDateOfAnInstant() {
        // 2026-11-25T16:30:00Z is 00:30 on the 26th in Shanghai.
        let instant = Date(timeIntervalSince1970: TimeInterval(day("2026-11-25").dayNumber * 86_400 + 16 * 3600 + 1800))
        #expect(Day.from(instant) == day("2026-11-26"))
        #expect(Day.today(now: instant) == day("2026-11-26"))
        let midnight = day("2026-11-26").startOfDay()
        #expect(midnight.timeIntervalSince1970 == TimeInterval(day("2026-11-26").dayNumber * 86_400 - 8 * 3600))
        #expect(Day.from(midnight) == day("2026-11-26"))
        #expect(Day.from(midnight.addingTimeInterval(-1)) == day("2026-11-25"))
    }

    @Test func yearMonthBoundsAndText() {
        let m = month("2024-02")
        #expect(m.first == day("2024-02-01"))
        #expect(m.last == day("2024-02-29"))
        #expect(m.days.count == 29)
        #expect(month("2026-12").next == month("2027-01"))
        #expect(month("2027-01").previous == month("2026-12"))
        #expect(day("2026-11-26").monthOfYear.description == "2026-11")
        #expect(YearMonth("2026-13") == nil)
        #expect(YearMonth("2026-1") == nil)
    }

    @Test func isoWeeksNearNewYear() {
        #expect(day("2026-11-26").isoWeek.description == "2026-W48")
        #expect(day("2027-01-01").isoWeek.description == "2026-W53")
        #expect(day("2024-12-30").isoWeek.description == "2025-W01")
        #expect(ISOWeek(year: 2026, week: 48)?.monday == day("2026-11-23"))
        #expect(ISOWeek(year: 2025, week: 53) == nil)
    }
}

@Suite struct PhoneNumberTests {
    @Test func formattedNumbers_normaliseToDigits() {
        #expect(PhoneNumber("+86 138-1234-5678")?.digits == "13812345678")
        #expect(PhoneNumber("0086 13812345678")?.digits == "13812345678")
        #expect(PhoneNumber("（0571）8888 6666")?.digits == "057188886666")
        #expect(PhoneNumber("0571-88886666")?.masked == "057****6666")
        #expect(PhoneNumber("138 1234 5678")?.masked == "138****5678")
        #expect(PhoneNumber("4008123123")?.digits == "4008123123")
    }

    @Test func nonPhones_areRefused() {
        for text in ["", "123", "12812345678", "+1 650 555 0100", "138-1234-567x", "+8613812345678+", "1381234567８"] {
            #expect(PhoneNumber(text) == nil, "\(text)")
        }
    }
}
