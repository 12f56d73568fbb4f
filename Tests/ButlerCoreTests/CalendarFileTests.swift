import Foundation
import Testing
@testable import ButlerCore

@Suite struct CalendarFileTests {
    @Test func parsesCSVWithHeaderBOMAndCRLF() throws {
        let text = "\u{FEFF}date,kind,holiday\r\n2027-01-01,off,元旦\r\n\r\n2027-02-20,work,春节\r\n"
        let days = try CalendarFile.parseCSV(text, fileName: "2027.csv")
        #expect(days == [
            OfficialDay(date: day("2027-01-01"), kind: .off, holiday: "元旦"),
            OfficialDay(date: day("2027-02-20"), kind: .work, holiday: "春节"),
        ])
    }

    /// The schedule compiled into the program is exactly the shipped CSV file, row for row.
    @Test func shippedSeedCSVParsesToShippedSchedule() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seed/calendar/cn_holidays_2024_2026.csv")
        let days = try CalendarFile.parseCSV(try String(contentsOf: file, encoding: .utf8), fileName: file.lastPathComponent)
        #expect(days.count > 100)
        #expect(days.count == WorkCalendar.shipped.officialDays.count)
        #expect(Set(days) == Set(WorkCalendar.shipped.officialDays))
        #expect(days.allSatisfy { d in WorkCalendar.shipped.officialDays.contains(d) })
    }

    @Test func badKindInCSV_reportsLineCountingHeader() {
        let text = "date,kind,holiday\n2027-01-01,off,元旦\n2027-02-20,holiday,春节\n"
        #expect(throws: CalendarFileError(fileName: "2027.csv", line: 3, field: "kind", message: "'holiday' is not one of off, work")) {
            try CalendarFile.parseCSV(text, fileName: "2027.csv")
        }
        do {
            _ = try CalendarFile.parseCSV(text, fileName: "2027.csv")
        } catch {
            #expect(error.description == "2027.csv:3: kind: 'holiday' is not one of off, work")
        }
    }

    @Test func invalidDateInCSV_isRefusedWithItsLine() {
        let text = "date,kind,holiday\n\n2027-02-30,off,春节\n"
        #expect(throws: CalendarFileError(fileName: "f.csv", line: 3, field: "date", message: "'2027-02-30' is not a date (YYYY-MM-DD)")) {
            try CalendarFile.parseCSV(text, fileName: "f.csv")
        }
    }

    @Test func wrongHeaderFieldCountAndDuplicates_areRefused() {
        #expect(throws: CalendarFileError.self) { try CalendarFile.parseCSV("day,kind,name\n", fileName: "f.csv") }
        #expect(throws: CalendarFileError.self) { try CalendarFile.parseCSV("", fileName: "f.csv") }
        let fields = "date,kind,holiday\n2027-01-01,off\n"
        #expect(throws: CalendarFileError(fileName: "f.csv", line: 2, field: "line", message: "expected 3 fields (date,kind,holiday), found 2")) {
            try CalendarFile.parseCSV(fields, fileName: "f.csv")
        }
        let dup = "date,kind,holiday\n2027-01-01,off,元旦\n2027-01-01,off,元旦\n"
        #expect(throws: CalendarFileError(fileName: "f.csv", line: 3, field: "date", message: "2027-01-01 already appears on line 2")) {
            try CalendarFile.parseCSV(dup, fileName: "f.csv")
        }
    }

    @Test func parsesHolidayCNJSON() throws {
        let json = """
        {"year":2027,"papers":[],"days":[
          {"name":"元旦","date":"2027-01-01","isOffDay":true},
          {"name":"春节","date":"2027-02-20","isOffDay":false}
        ]}
        """
        let days = try CalendarFile.parseHolidayCNJSON(Data(json.utf8), fileName: "2027.json")
        #expect(days == [
            OfficialDay(date: day("2027-01-01"), kind: .off, holiday: "元旦"),
            OfficialDay(date: day("2027-02-20"), kind: .work, holiday: "春节"),
        ])
    }

    @Test func holidayCNJSONWithNumberForBoolean_reportsEntryLine() {
        let json = """
        {"year":2027,"days":[
          {"name":"元旦","date":"2027-01-01","isOffDay":true},
          {"name":"春节","date":"2027-02-11","isOffDay":1}
        ]}
        """
        #expect(throws: CalendarFileError(fileName: "2027.json", line: 3, field: "days[1].isOffDay", message: "missing or not true/false")) {
            try CalendarFile.parseHolidayCNJSON(Data(json.utf8), fileName: "2027.json")
        }
    }

    @Test func malformedJSON_isRefused() {
        #expect(throws: CalendarFileError(fileName: "x.json", line: 1, field: "json", message: "not valid JSON")) {
            try CalendarFile.parseHolidayCNJSON(Data("{\"days\": [".utf8), fileName: "x.json")
        }
        #expect(throws: CalendarFileError.self) {
            try CalendarFile.parseHolidayCNJSON(Data("{\"year\": 2027}".utf8), fileName: "x.json")
        }
        let badDate = "{\"days\":[{\"name\":\"元旦\",\"date\":\"2027-1-1\",\"isOffDay\":true}]}"
        #expect(throws: CalendarFileError(fileName: "x.json", line: 1, field: "days[0].date", message: "'2027-1-1' is not a date (YYYY-MM-DD)")) {
            try CalendarFile.parseHolidayCNJSON(Data(badDate.utf8), fileName: "x.json")
        }
    }

    /// A file's own year: holiday-cn's `year` field, a CSV's majority year.
    @Test func ownYear_isTheYearFieldOrTheCSVsMajorityYear() throws {
        let json = #"{"year":2023,"days":[{"name":"元旦","date":"2022-12-31","isOffDay":true},{"name":"元旦","date":"2023-01-01","isOffDay":true}]}"#
        let schedule = try CalendarFile.holidayCNSchedule(Data(json.utf8), fileName: "2023.json")
        #expect(schedule.year == 2023)
        #expect(schedule.neighbourDays.map(\.date) == [day("2022-12-31")])
        #expect(schedule.ownDays.map(\.date) == [day("2023-01-01")])
        let csv = "date,kind,holiday\n2022-12-31,off,元旦\n2023-01-01,off,元旦\n2023-01-02,off,元旦\n"
        #expect(try CalendarFile.csvSchedule(csv, fileName: "2023.csv").year == 2023)
    }

    @Test func ownYear_thatCannotBeToldOrIsIncomplete_isRefused() {
        let noYear = #"{"days":[{"name":"元旦","date":"2023-01-01","isOffDay":true}]}"#
        #expect(throws: CalendarFileError(fileName: "x.json", line: 1, field: "year", message: "missing or not a year (e.g. 2027)")) {
            try CalendarFile.holidayCNSchedule(Data(noYear.utf8), fileName: "x.json")
        }
        let tie = "date,kind,holiday\n2022-12-31,off,元旦\n2023-01-01,off,元旦\n"
        #expect(throws: CalendarFileError(fileName: "t.csv", line: 2, field: "date",
                                          message: "as many days in 2022 as in 2023: which year the file is for is unclear; split it by year")) {
            try CalendarFile.csvSchedule(tie, fileName: "t.csv")
        }
        let far = "date,kind,holiday\n2023-01-01,off,元旦\n2023-01-02,off,元旦\n2025-01-01,off,元旦\n"
        #expect(throws: CalendarFileError(fileName: "f.csv", line: 4, field: "date", message: "2025-01-01 is not in 2023 or a neighbouring year")) {
            try CalendarFile.csvSchedule(far, fileName: "f.csv")
        }
        let noNewYear = "date,kind,holiday\n2023-01-02,off,元旦\n2023-01-28,work,春节\n"
        #expect(throws: CalendarFileError(fileName: "n.csv", line: 2, field: "date",
                                          message: "2023-01-01 (元旦) is not listed as a day off; every official schedule lists it")) {
            try CalendarFile.csvSchedule(noNewYear, fileName: "n.csv")
        }
        let lendsJanuary1 = "date,kind,holiday\n2023-01-01,off,元旦\n2023-10-01,off,国庆节\n2024-01-01,off,元旦\n"
        #expect(throws: CalendarFileError(fileName: "l.csv", line: 4, field: "date",
                                          message: "2024-01-01 belongs to the 2024 schedule, not to this 2023 file")) {
            try CalendarFile.csvSchedule(lendsJanuary1, fileName: "l.csv")
        }
        let empty = #"{"year":2027,"papers":[],"days":[]}"#
        #expect(throws: CalendarFileError(fileName: "2027.json", line: 1, field: "days", message: "the file lists no day in its year 2027")) {
            try CalendarFile.holidayCNSchedule(Data(empty.utf8), fileName: "2027.json")
        }
    }
}
