import ButlerStore
import Foundation
import Testing

/// Times as people type them, read through Foundation's ISO 8601 styles (13 #23).
@Suite struct TimestampTests {
    private func utc(_ text: String) -> Date? { try? Date.ISO8601FormatStyle().parse(text) }

    @Test func shanghaiTimeIsTheDefault_andTheOtherFormsAgree() {
        let expected = utc("2026-11-26T01:30:00Z")
        for text in ["2026-11-26T09:30", "2026-11-26T09:30:00", "2026-11-26 09:30", " 2026-11-26t09:30 ",
                     "2026-11-26T09:30+08:00", "2026-11-26T09:30:00+0800", "2026-11-26T01:30Z", "2026-11-25T20:30:00-05:00"] {
            #expect(Timestamp.parse(text) == expected, "\(text)")
        }
        #expect(Timestamp.parse("2026-11-26T09:30:15.5") == expected?.addingTimeInterval(15.5))
    }

    @Test func aBareDateIsItsMidnightInShanghai() {
        #expect(Timestamp.parse("2026-11-26") == utc("2026-11-25T16:00:00Z"))
    }

    @Test func malformedTimesAreRefused() {
        for text in ["", "2026-11-26T", "2026-11-26T9:30", "2026-11-26T25:00", "2026-11-26T09:60", "2026-11-26X09:30",
                     "2026-13-01T09:30", "2026-11-26T09:30+8", "２０２６-11-26T09:30", "yesterday"] {
            #expect(Timestamp.parse(text) == nil, "\(text)")
        }
    }

    @Test func printsRFC3339InShanghaiTime_andReadsItBack() throws {
        let date = try #require(utc("2026-11-26T01:30:05Z"))
        #expect(Timestamp.rfc3339(date) == "2026-11-26T09:30:05+08:00")
        #expect(Timestamp.parse(Timestamp.rfc3339(date)) == date)
        #expect(Timestamp.rfc3339(try #require(utc("2026-12-31T16:00:00Z"))) == "2027-01-01T00:00:00+08:00")
    }
}
