import Foundation
import Testing
@testable import ButlerCore

@Suite struct WorkCalendarTests {
    let calendar = WorkCalendar.shipped

    @Test(arguments: [(2024, 251), (2025, 248), (2026, 248)])
    func workingDaysPerYear_matchShippedSchedule(year: Int, expected: Int) throws {
        let first = try #require(Day(year: year, month: 1, day: 1))
        let last = try #require(Day(year: year, month: 12, day: 31))
        #expect(calendar.workingDays(from: first, through: last).count == expected)
        #expect(calendar.hasOfficialSchedule(year: year))
    }

    @Test func shippedScheduleMatchesSeedRows() {
        #expect(calendar.officialDays.count == 108)
        #expect(calendar.officialYears == [2024, 2025, 2026])
        #expect(!calendar.hasOfficialSchedule(year: 2027))
    }

    @Test func adjustedSundayIsWorkingDay_andWeekdayHolidayIsNot() {
        #expect(calendar.isWorkingDay(day("2026-09-20")))  // Sunday, 调休
        #expect(calendar.isWorkingDay(day("2026-10-10")))  // Saturday, 调休
        #expect(!calendar.isWorkingDay(day("2026-10-01")))
        #expect(!calendar.isWorkingDay(day("2026-11-21")))  // plain Saturday
        #expect(calendar.isWorkingDay(day("2026-11-20")))
    }

    @Test func addingWorkingDays_countsStrictlyAfter() {
        #expect(calendar.addingWorkingDays(1, to: day("2026-11-20")) == day("2026-11-23"))
        #expect(calendar.addingWorkingDays(0, to: day("2026-11-21")) == day("2026-11-21"))
        #expect(calendar.addingWorkingDays(-2, to: day("2026-11-21")) == day("2026-11-21"))
    }

    @Test func workingDayBoundsOfMonths() {
        #expect(calendar.firstWorkingDay(of: month("2026-10")) == day("2026-10-08"))
        #expect(calendar.lastWorkingDay(of: month("2026-01")) == day("2026-01-30"))
        #expect(calendar.lastWorkingDay(of: month("2026-02")) == day("2026-02-28"))  // Saturday, 调休
        #expect(calendar.workingDay(onOrBefore: day("2026-10-05")) == day("2026-09-30"))
        #expect(calendar.workingDays(in: month("2026-10")).first == day("2026-10-08"))
    }

    @Test func holidaysIn2026_haveRunBounds() {
        let holidays = calendar.holidays(in: 2026)
        let byName = Dictionary(holidays.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byName["劳动节"] == Holiday(name: "劳动节", first: day("2026-05-01"), last: day("2026-05-05")))
        #expect(byName["国庆节"] == Holiday(name: "国庆节", first: day("2026-10-01"), last: day("2026-10-07")))
        #expect(byName["中秋节"] == Holiday(name: "中秋节", first: day("2026-09-25"), last: day("2026-09-27")))
        #expect(byName["春节"] == Holiday(name: "春节", first: day("2026-02-15"), last: day("2026-02-23")))
        #expect(byName["元旦"] == Holiday(name: "元旦", first: day("2026-01-01"), last: day("2026-01-03")))
        #expect(byName["清明节"] == Holiday(name: "清明节", first: day("2026-04-04"), last: day("2026-04-06")))
        #expect(byName["端午节"] == Holiday(name: "端午节", first: day("2026-06-19"), last: day("2026-06-21")))
        #expect(holidays.count == 7)
        #expect(byName["劳动节"]?.days.count == 5)
    }

    /// A run crossing New Year is listed in both years (issue 13 #3: 2024's list missed it).
    @Test func holidayCrossingNewYear_isListedInBothYears() {
        // 2024-01-01 is a Monday: the run starts on Saturday 2023-12-30.
        let newYear2024 = Holiday(name: "元旦", first: day("2023-12-30"), last: day("2024-01-01"))
        #expect(calendar.holiday(containing: day("2024-01-01")) == newYear2024)
        #expect(calendar.holidays(in: 2024).first == newYear2024)
        #expect(calendar.holidays(in: 2023).last == newYear2024)
        #expect(calendar.holidays(from: day("2024-01-01"), through: day("2024-01-01")).count == 1)
    }

    /// Merged holidays name each holiday once (2028 showed 国庆节、国庆节、中秋节).
    @Test func mergedHolidayNames_haveNoRepeats() {
        let national = calendar.holidays(in: 2028).first { $0.first == day("2028-09-30") || $0.first == day("2028-10-01") }
        #expect(national?.name == "国庆节、中秋节")
        #expect(calendar.holidays(in: 2028).allSatisfy { Set($0.name.split(separator: "、")).count == $0.name.split(separator: "、").count })
    }

    @Test func plainWeekendIsNotAHoliday() {
        #expect(calendar.holiday(containing: day("2026-11-21")) == nil)
        #expect(calendar.holidays(from: day("2026-11-01"), through: day("2026-11-30")).isEmpty)
    }

    @Test func adjustedWorkingDaysOf2026() {
        #expect(calendar.adjustedWorkingDays(in: 2026) == days(
            "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"))
        #expect(calendar.adjustedWorkingDays(in: 2027).isEmpty)
    }

    @Test func mergingReplacesWholeYears() {
        let imported = [
            OfficialDay(date: day("2026-11-26"), kind: .off, holiday: "测试节"),
            OfficialDay(date: day("2027-01-01"), kind: .off, holiday: "元旦"),
            OfficialDay(date: day("2027-01-02"), kind: .off, holiday: "元旦"),
            OfficialDay(date: day("2027-01-03"), kind: .off, holiday: "元旦"),
            OfficialDay(date: day("2027-01-04"), kind: .off, holiday: "元旦"),
        ]
        let merged = calendar.merging(imported)
        #expect(merged.hasOfficialSchedule(year: 2027))
        #expect(!merged.isWorkingDay(day("2027-01-04")))
        // 2026 was replaced entirely: National Day of the shipped data is gone.
        #expect(merged.isWorkingDay(day("2026-10-08")))
        #expect(merged.isWorkingDay(day("2026-10-01")))
        #expect(!merged.isWorkingDay(day("2026-11-26")))
        // 2027 no longer uses the statutory fallback: Spring Festival is not in the import.
        #expect(merged.isWorkingDay(day("2027-02-08")))
        #expect(merged.isWorkingDay(day("2025-10-08")) == false)  // untouched year
    }
}

@Suite struct StatutoryHolidaysTests {
    let calendar = WorkCalendar.shipped

    @Test func newYear2027_isFridayJan1_runThroughSunday() {
        #expect(day("2027-01-01").weekday == 5)
        #expect(!calendar.isWorkingDay(day("2027-01-01")))
        #expect(calendar.holiday(containing: day("2027-01-01")) == Holiday(name: "元旦", first: day("2027-01-01"), last: day("2027-01-03")))
    }

    @Test func springFestival2027_eveThroughDay3() {
        #expect(StatutoryHolidays.lunarNewYear(year: 2027) == day("2027-02-06"))
        for d in days("2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08") {
            #expect(!calendar.isWorkingDay(d), "\(d)")
        }
        #expect(calendar.isWorkingDay(day("2027-02-04")))
        // Statutory fallback: eve + lunar days 1-3, no 补休 and no 调休, so Tuesday the 9th is a working day.
        #expect(calendar.isWorkingDay(day("2027-02-09")))
        #expect(calendar.holiday(containing: day("2027-02-06")) == Holiday(name: "春节", first: day("2027-02-05"), last: day("2027-02-08")))
    }

    @Test func lunarAndSolarHolidays2027() {
        let off = StatutoryHolidays.offDays(year: 2027)
        func name(_ s: String) -> String? { off.first { $0.date == day(s) }?.holiday }
        #expect(name("2027-04-05") == "清明节")
        #expect(name("2027-06-09") == "端午节")
        #expect(name("2027-09-15") == "中秋节")
        #expect(name("2027-05-01") == "劳动节")
        #expect(name("2027-05-02") == "劳动节")
        #expect(name("2027-10-03") == "国庆节")
        #expect(off.count == 1 + 4 + 1 + 2 + 1 + 1 + 3)
        #expect(off.allSatisfy { $0.kind == .off })
        #expect(calendar.adjustedWorkingDays(in: 2027).isEmpty)
    }

    @Test func statutoryDatesAgreeWithOfficialSchedules() {
        // The official schedules put each lunar/solar holiday on its statutory date.
        #expect(StatutoryHolidays.lunarNewYear(year: 2024) == day("2024-02-10"))
        #expect(StatutoryHolidays.lunarNewYear(year: 2025) == day("2025-01-29"))
        #expect(StatutoryHolidays.lunarNewYear(year: 2026) == day("2026-02-17"))
        #expect(StatutoryHolidays.qingming(year: 2024) == day("2024-04-04"))
        #expect(StatutoryHolidays.qingming(year: 2025) == day("2025-04-04"))
        #expect(StatutoryHolidays.qingming(year: 2026) == day("2026-04-05"))
        let off2024 = StatutoryHolidays.offDays(year: 2024)
        #expect(off2024.contains { $0.date == day("2024-06-10") && $0.holiday == "端午节" })
        #expect(off2024.contains { $0.date == day("2024-09-17") && $0.holiday == "中秋节" })
    }

    @Test func midAutumnInsideNationalDay_isOneDayWithBothNames() {
        // 2028: Mid-Autumn is lunar 8/15 = 2028-10-03.
        let off = StatutoryHolidays.offDays(year: 2028)
        #expect(off.first { $0.date == day("2028-10-03") }?.holiday == "国庆节、中秋节")
        #expect(Set(off.map(\.date)).count == off.count)
    }
}
