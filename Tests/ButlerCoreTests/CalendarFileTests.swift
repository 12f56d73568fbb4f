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
        #expect(throws: CalendarFileError(fileName: "2027.csv", line: 3, field: "kind", message: "'holiday' 不是 off（休息）或 work（上班）")) {
            try CalendarFile.parseCSV(text, fileName: "2027.csv")
        }
        do {
            _ = try CalendarFile.parseCSV(text, fileName: "2027.csv")
        } catch {
            #expect(error.description == "2027.csv:3: kind: 'holiday' 不是 off（休息）或 work（上班）")
        }
    }

    @Test func invalidDateInCSV_isRefusedWithItsLine() {
        let text = "date,kind,holiday\n\n2027-02-30,off,春节\n"
        #expect(throws: CalendarFileError(fileName: "f.csv", line: 3, field: "date", message: "'2027-02-30' 不是日期（应写作 YYYY-MM-DD）")) {
            try CalendarFile.parseCSV(text, fileName: "f.csv")
        }
    }

    @Test func wrongHeaderFieldCountAndDuplicates_areRefused() {
        #expect(throws: CalendarFileError.self) { try CalendarFile.parseCSV("day,kind,name\n", fileName: "f.csv") }
        #expect(throws: CalendarFileError.self) { try CalendarFile.parseCSV("", fileName: "f.csv") }
        let fields = "date,kind,holiday\n2027-01-01,off\n"
        #expect(throws: CalendarFileError(fileName: "f.csv", line: 2, field: "字段数", message: "应有 3 个字段（date,kind,holiday），实有 2 个")) {
            try CalendarFile.parseCSV(fields, fileName: "f.csv")
        }
        let dup = "date,kind,holiday\n2027-01-01,off,元旦\n2027-01-01,off,元旦\n"
        #expect(throws: CalendarFileError(fileName: "f.csv", line: 3, field: "date", message: "2027-01-01 已在第 2 行出现")) {
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
        #expect(throws: CalendarFileError(fileName: "2027.json", line: 3, field: "days[1].isOffDay", message: "缺少 isOffDay 或不是 true/false")) {
            try CalendarFile.parseHolidayCNJSON(Data(json.utf8), fileName: "2027.json")
        }
    }

    @Test func malformedJSON_isRefused() {
        #expect(throws: CalendarFileError(fileName: "x.json", line: 1, field: "json", message: "不是有效的 JSON")) {
            try CalendarFile.parseHolidayCNJSON(Data("{\"days\": [".utf8), fileName: "x.json")
        }
        #expect(throws: CalendarFileError.self) {
            try CalendarFile.parseHolidayCNJSON(Data("{\"year\": 2027}".utf8), fileName: "x.json")
        }
        let badDate = "{\"days\":[{\"name\":\"元旦\",\"date\":\"2027-1-1\",\"isOffDay\":true}]}"
        #expect(throws: CalendarFileError(fileName: "x.json", line: 1, field: "days[0].date", message: "'2027-1-1' 不是日期（应写作 YYYY-MM-DD）")) {
            try CalendarFile.parseHolidayCNJSON(Data(badDate.utf8), fileName: "x.json")
        }
    }

    /// A file's own year: holiday-cn's `year` field, a CSV's years whose January 1 it lists.
    @Test func ownYear_isTheYearFieldOrTheCSVsNewYearDays() throws {
        let json = #"{"year":2023,"days":[{"name":"元旦","date":"2022-12-31","isOffDay":true},{"name":"元旦","date":"2023-01-01","isOffDay":true}]}"#
        let schedule = try CalendarFile.holidayCNSchedule(Data(json.utf8), fileName: "2023.json")
        #expect(schedule.years == [2023])
        #expect(schedule.neighbourDays.map(\.date) == [day("2022-12-31")])
        #expect(schedule.ownDays.map(\.date) == [day("2023-01-01")])
        let csv = "date,kind,holiday\n2022-12-31,off,元旦\n2023-01-01,off,元旦\n2023-01-02,off,元旦\n"
        #expect(try CalendarFile.csvSchedule(csv, fileName: "2023.csv").years == [2023])
        // As many days in 2022 as in 2023 was refused as unclear; 2023's January 1 tells.
        let even = "date,kind,holiday\n2022-12-31,off,元旦\n2023-01-01,off,元旦\n"
        let evenSchedule = try CalendarFile.csvSchedule(even, fileName: "2023.csv")
        #expect(evenSchedule.years == [2023])
        #expect(evenSchedule.neighbourDays.map(\.date) == [day("2022-12-31")])
    }

    /// The shipped 2024-2026 file is three whole years (it was refused: "2024-01-01 is not in 2026
    /// or a neighbouring year").
    @Test func multiYearCSV_hasEveryYearWhoseNewYearItLists() throws {
        let schedule = try CalendarFile.csvSchedule(try Self.seedCSV(), fileName: "cn_holidays_2024_2026.csv")
        #expect(schedule.years == [2024, 2025, 2026])
        #expect(schedule.neighbourDays.isEmpty)
        #expect(Set(schedule.ownDays) == Set(WorkCalendar.shipped.officialDays))
        #expect(schedule.lines[day("2025-01-01")] == 38)
        // The first year lends December days back, the last January days forward.
        let lending = """
            date,kind,holiday
            2029-12-31,off,元旦
            2030-01-01,off,元旦
            2031-01-01,off,元旦
            2032-01-04,work,元旦
            """
        let lent = try CalendarFile.csvSchedule(lending, fileName: "l.csv")
        #expect(lent.years == [2030, 2031])
        #expect(lent.neighbourDays.map(\.date) == [day("2029-12-31"), day("2032-01-04")])
        #expect(lent.lender(of: day("2029-12-31")) == 2030)
        #expect(lent.lender(of: day("2032-01-04")) == 2031)
    }

    /// A year of a multi-year CSV without its January 1 is refused at its first line, not lent.
    @Test func multiYearCSV_aYearWithoutItsNewYear_isRefused() throws {
        let seed = try Self.seedCSV()
        let noNewYear2025 = seed.replacingOccurrences(of: "2025-01-01,off,元旦\n", with: "")
        #expect(noNewYear2025 != seed)
        #expect(throws: CalendarFileError(fileName: "c.csv", line: 38, field: "date", message: """
            2025-01-26 属于 2025 年，但文件没有列出 2025-01-01（元旦）；\
            每年的安排都须列出元旦，相邻年份只能借用元旦前后的日子（上一年 12 月、下一年 1 月）
            """)) {
            try CalendarFile.csvSchedule(noNewYear2025, fileName: "c.csv")
        }
        // The last year without its January 1 is not taken for days lent forward either.
        let lastYear = "date,kind,holiday\n2030-01-01,off,元旦\n2031-01-02,off,元旦\n2031-02-10,off,春节\n"
        #expect(throws: CalendarFileError.self) { try CalendarFile.csvSchedule(lastYear, fileName: "c.csv") }
        do {
            _ = try CalendarFile.csvSchedule(lastYear, fileName: "c.csv")
        } catch {
            #expect(error.line == 4)
            #expect(error.description.hasPrefix("c.csv:4: date: 2031-02-10 属于 2031 年，但文件没有列出 2031-01-01（元旦）"))
        }
    }

    static func seedCSV() throws -> String {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seed/calendar/cn_holidays_2024_2026.csv")
        return try String(contentsOf: file, encoding: .utf8)
    }

    @Test func ownYear_thatCannotBeToldOrIsIncomplete_isRefused() {
        let noYear = #"{"days":[{"name":"元旦","date":"2023-01-01","isOffDay":true}]}"#
        #expect(throws: CalendarFileError(fileName: "x.json", line: 1, field: "year", message: "缺少年份或不是年份（例如 2027）")) {
            try CalendarFile.holidayCNSchedule(Data(noYear.utf8), fileName: "x.json")
        }
        let far = "date,kind,holiday\n2023-01-01,off,元旦\n2023-01-02,off,元旦\n2025-03-01,off,元旦\n"
        #expect(throws: CalendarFileError(fileName: "f.csv", line: 4, field: "date", message: "2025-03-01 不在文件的年份（2023）或相邻的年份内")) {
            try CalendarFile.csvSchedule(far, fileName: "f.csv")
        }
        let noNewYear = "date,kind,holiday\n2023-01-02,off,元旦\n2023-01-28,work,春节\n"
        #expect(throws: CalendarFileError(fileName: "n.csv", line: 2, field: "date",
                                          message: "文件没有列出任何一年的 1 月 1 日（元旦）；每年的官方安排都列出元旦，文件的年份由此确定")) {
            try CalendarFile.csvSchedule(noNewYear, fileName: "n.csv")
        }
        let workingNewYear = "date,kind,holiday\n2023-01-01,work,元旦\n"
        #expect(throws: CalendarFileError(fileName: "w.csv", line: 2, field: "date",
                                          message: "2023-01-01（元旦）没有列为休息日；每年的官方安排都列出元旦")) {
            try CalendarFile.csvSchedule(workingNewYear, fileName: "w.csv")
        }
        // A holiday-cn file is one year: another year's 元旦 in it is a mistake.
        let lendsJanuary1 = #"{"year":2023,"days":[{"name":"元旦","date":"2023-01-01","isOffDay":true},{"name":"元旦","date":"2024-01-01","isOffDay":true}]}"#
        #expect(throws: CalendarFileError(fileName: "l.json", line: 1, field: "days[1].date",
                                          message: "2024-01-01 是 2024 年安排里的元旦，不属于这份 2023 年的文件")) {
            try CalendarFile.holidayCNSchedule(Data(lendsJanuary1.utf8), fileName: "l.json")
        }
        let empty = #"{"year":2027,"papers":[],"days":[]}"#
        #expect(throws: CalendarFileError(fileName: "2027.json", line: 1, field: "days", message: "文件没有列出它所属的 2027 年的任何日期")) {
            try CalendarFile.holidayCNSchedule(Data(empty.utf8), fileName: "2027.json")
        }
        let emptyCSV = "date,kind,holiday\n"
        #expect(throws: CalendarFileError(fileName: "e.csv", line: 2, field: "date", message: "文件没有列出任何日期")) {
            try CalendarFile.csvSchedule(emptyCSV, fileName: "e.csv")
        }
        #expect(throws: CalendarFileError(fileName: "e.csv", line: 1, field: "表头", message: "文件是空的（第 1 行应是表头 date,kind,holiday）")) {
            try CalendarFile.csvSchedule("", fileName: "e.csv")
        }
    }
}
