import Foundation
import Testing
@testable import ButlerCore

/// Importing a year keeps its neighbours whole (issue 13 #2): a file's own year is replaced, its
/// days in the year before or after are merged where they agree, and a disagreement is refused.
@Suite struct ScheduleMergeTests {
    /// What `CalendarStore` keeps between imports: the rows and the days neighbours lent.
    struct Stored: Equatable {
        var rows: [OfficialDay] = []
        var borrowed: Set<Day> = []

        mutating func importing(_ file: YearSchedule) throws {
            let result = try ScheduleMerge.merge(file, stored: rows, borrowed: borrowed)
            rows = result.rows
            borrowed.formUnion(result.lent)
            borrowed.subtract(result.claimed)
        }

        var calendar: WorkCalendar { WorkCalendar.shipped.merging(stored: rows) }
    }

    static func off(_ d: String, _ name: String) -> OfficialDay { OfficialDay(date: day(d), kind: .off, holiday: name) }
    static func work(_ d: String, _ name: String) -> OfficialDay { OfficialDay(date: day(d), kind: .work, holiday: name) }

    // Hand-built years (none is shipped): each file lends a day to the year before and after.
    static let y2030 = YearSchedule(year: 2030, days: [
        off("2030-01-01", "元旦"), off("2030-10-01", "国庆节"), off("2030-10-02", "国庆节"),
        work("2031-01-04", "元旦"),  // a Saturday made a working day in the next year's January
    ])
    static let y2031 = YearSchedule(year: 2031, days: [
        off("2030-12-31", "元旦"),  // the New Year run starts on Tuesday 2030-12-31
        off("2031-01-01", "元旦"), off("2031-01-22", "春节"), off("2031-01-23", "春节"), work("2031-01-26", "春节"),
    ])
    static let y2032 = YearSchedule(year: 2032, days: [
        off("2031-12-31", "元旦"), off("2032-01-01", "元旦"), off("2032-01-02", "元旦"), work("2032-01-04", "元旦"),
    ])

    @Test func neighbouringYears_stayWhole_inEitherOrder() throws {
        var forward = Stored(), backward = Stored(), middleFirst = Stored()
        for file in [Self.y2030, Self.y2031, Self.y2032] { try forward.importing(file) }
        for file in [Self.y2032, Self.y2031, Self.y2030] { try backward.importing(file) }
        for file in [Self.y2031, Self.y2030, Self.y2032] { try middleFirst.importing(file) }
        #expect(forward.rows == backward.rows)
        #expect(forward.rows == middleFirst.rows)

        let calendar = forward.calendar
        // 2030 kept its own schedule and got 2031's New Year Eve.
        #expect(calendar.hasOfficialSchedule(year: 2030))
        #expect(!calendar.isWorkingDay(day("2030-10-01")))
        #expect(!calendar.isWorkingDay(day("2030-12-31")))
        // 2031 kept what 2030 and 2032 lent it, and its own days.
        #expect(calendar.isWorkingDay(day("2031-01-04")))
        #expect(!calendar.isWorkingDay(day("2031-01-22")))
        #expect(!calendar.isWorkingDay(day("2031-12-31")))
        #expect(calendar.adjustedWorkingDays(in: 2031) == days("2031-01-04", "2031-01-26"))
        for year in 2030...2032 {
            let count = calendar.workingDays(from: day("\(year)-01-01"), through: day("\(year)-12-31")).count
            #expect(count == backward.calendar.workingDays(from: day("\(year)-01-01"), through: day("\(year)-12-31")).count)
        }
    }

    /// The real files: 2023's lists 2022-12-31. Before, importing 2023 replaced 2022 with that one
    /// day (2022: 260 working days instead of 249).
    @Test(arguments: [[2022, 2023], [2023, 2022]])
    func realFiles_2022Keeps249WorkingDays(order: [Int]) throws {
        var stored = Stored()
        for year in order { try stored.importing(try Self.holidayCN(year)) }
        let calendar = stored.calendar
        #expect(calendar.workingDays(from: day("2022-01-01"), through: day("2022-12-31")).count == 249)
        #expect(calendar.hasOfficialSchedule(year: 2022))
        #expect(calendar.holiday(containing: day("2023-01-01")) == Holiday(name: "元旦", first: day("2022-12-31"), last: day("2023-01-02")))
    }

    /// 2019's file lends 2018 a working Saturday (12-29) and two days off: 2018 has 250 working days.
    @Test(arguments: [[2018, 2019], [2019, 2018]])
    func realFiles_2019LendsAWorkingSaturdayTo2018(order: [Int]) throws {
        var stored = Stored()
        for year in order { try stored.importing(try Self.holidayCN(year)) }
        let calendar = stored.calendar
        #expect(calendar.isWorkingDay(day("2018-12-29")))
        #expect(!calendar.isWorkingDay(day("2018-12-31")))
        #expect(calendar.workingDays(from: day("2018-01-01"), through: day("2018-12-31")).count == 250)
    }

    /// A year with no official schedule takes the lent days over its statutory fallback and stays
    /// a fallback year (its Spring Festival and the rest are still there).
    @Test func lentDays_overrideAFallbackYear_withoutMakingItOfficial() throws {
        var stored = Stored()
        try stored.importing(Self.y2031)
        let calendar = stored.calendar
        #expect(!calendar.hasOfficialSchedule(year: 2030))
        #expect(!calendar.isWorkingDay(day("2030-12-31")))
        #expect(!calendar.isWorkingDay(day("2030-10-01")))  // statutory National Day
        #expect(calendar.workingDays(from: day("2030-01-01"), through: day("2030-12-31")).count
            == WorkCalendar.shipped.workingDays(from: day("2030-01-01"), through: day("2030-12-31")).count - 1)
    }

    // 2031's own file calls Saturday 2031-01-04 a day off; 2030's lends it as a working day.
    static let own2031 = YearSchedule(year: 2031, days: [off("2031-01-01", "元旦"), off("2031-01-04", "元旦")])

    /// A neighbour's file that disagrees with a year's own entry is refused, naming the date.
    @Test func aNeighbourDisagreeingWithAYearsOwnEntry_isRefusedNamingTheDate() throws {
        var first = Stored()
        try first.importing(Self.own2031)
        let before = first
        let error = try #require(throws: CalendarConflict.self) { try first.importing(Self.y2030) }
        #expect(error.date == day("2031-01-04"))
        #expect(error.lender == 2030)
        #expect(error.description == "2031-01-04：2030 年的安排记为上班（元旦），而 2031 年的官方安排记为休息（元旦）；未导入任何内容")
        #expect(first == before)
    }

    /// The other order: the year's own file is the authority for its year and wins over the day
    /// its neighbour lent (this was refused, and stayed refused for good). The neighbour's file
    /// is then refused until it agrees.
    @Test func aYearsOwnFile_winsOverADayItsNeighbourLent() throws {
        var stored = Stored()
        try stored.importing(Self.y2030)
        #expect(stored.calendar.isWorkingDay(day("2031-01-04")))
        try stored.importing(Self.own2031)
        #expect(!stored.calendar.isWorkingDay(day("2031-01-04")))
        #expect(stored.rows.contains(Self.off("2031-01-04", "元旦")))
        #expect(!stored.borrowed.contains(day("2031-01-04")))
        // 2030's other lent days and own days are untouched.
        #expect(!stored.calendar.isWorkingDay(day("2030-10-01")))
        let again = try #require(throws: CalendarConflict.self) { try stored.importing(Self.y2030) }
        #expect(again.date == day("2031-01-04"))
        // Both orders end in the same calendar once the neighbour agrees.
        let agreeing2030 = YearSchedule(year: 2030, days: [Self.off("2030-01-01", "元旦"), Self.off("2030-10-01", "国庆节"),
                                                           Self.off("2030-10-02", "国庆节"), Self.off("2031-01-04", "元旦")])
        try stored.importing(agreeing2030)
        var reverse = Stored()
        try reverse.importing(Self.own2031)
        try reverse.importing(agreeing2030)
        #expect(stored == reverse)
    }

    /// A day the year's own file took over is its own: a corrected own file that no longer lists
    /// it leaves the day to the weekday rule (the overruled lent entry is gone).
    @Test func aClaimedDay_goesWithTheOwnYearsNextFile() throws {
        var stored = Stored()
        try stored.importing(Self.y2030)
        try stored.importing(Self.own2031)
        try stored.importing(YearSchedule(year: 2031, days: [Self.off("2031-01-01", "元旦")]))
        #expect(!stored.rows.contains { $0.date == day("2031-01-04") })
        #expect(!stored.calendar.isWorkingDay(day("2031-01-04")))  // a Saturday
    }

    /// A lent day is not official: the lender's corrected file corrects it (it was refused).
    @Test func aLentDay_isCorrectedByTheLendersNextFile() throws {
        var stored = Stored()
        try stored.importing(Self.y2030)
        #expect(stored.calendar.isWorkingDay(day("2031-01-04")))
        let corrected = YearSchedule(year: 2030, days: [Self.off("2030-01-01", "元旦"), Self.off("2031-01-04", "元旦")])
        try stored.importing(corrected)
        #expect(!stored.calendar.isWorkingDay(day("2031-01-04")))
        #expect(stored.rows.contains(Self.off("2031-01-04", "元旦")))
        #expect(stored.borrowed.contains(day("2031-01-04")))
        #expect(!stored.calendar.hasOfficialSchedule(year: 2031))
    }

    /// A multi-year file replaces each of its years, as importing them one by one would.
    @Test func aMultiYearFile_replacesEachOfItsYears() throws {
        var together = Stored(), apart = Stored()
        let both = YearSchedule(years: [2030, 2031], days: Self.y2030.days.filter { $0.date.year == 2030 } + Self.y2031.days)
        try together.importing(Self.y2032)
        try together.importing(both)
        for file in [Self.y2032, Self.y2031, Self.y2030] { try apart.importing(file) }
        // 2030's file lent 2031-01-04 when imported alone; the two-year file lists only its own 2031.
        #expect(together.rows == apart.rows.filter { $0.date != day("2031-01-04") })
        #expect(together.calendar.hasOfficialSchedule(year: 2030))
        #expect(together.calendar.hasOfficialSchedule(year: 2031))
        #expect(!together.calendar.isWorkingDay(day("2031-12-31")))
    }

    /// A shipped year not imported since: a lent day must agree with the shipped schedule.
    @Test func aLentDay_mustAgreeWithTheShippedSchedule() throws {
        let file = YearSchedule(year: 2027, days: [Self.off("2027-01-01", "元旦"), Self.work("2026-10-07", "国庆节")])
        #expect(throws: CalendarConflict.self) { try ScheduleMerge.merge(file, stored: [], borrowed: []) }
        let agreeing = YearSchedule(year: 2027, days: [Self.off("2026-12-31", "元旦"), Self.off("2027-01-01", "元旦")])
        var stored = Stored()
        try stored.importing(agreeing)
        // 2026 keeps its shipped schedule and gains the lent day.
        #expect(stored.calendar.hasOfficialSchedule(year: 2026))
        #expect(!stored.calendar.isWorkingDay(day("2026-10-07")))
        #expect(!stored.calendar.isWorkingDay(day("2026-12-31")))
    }

    /// Importing a year again replaces it (a corrected file), keeping what neighbours lent.
    @Test func reimportingAYear_replacesItsOwnDaysOnly() throws {
        var stored = Stored()
        try stored.importing(Self.y2031)
        try stored.importing(Self.y2030)
        let corrected = YearSchedule(year: 2030, days: [Self.off("2030-01-01", "元旦"), Self.off("2030-05-01", "劳动节")])
        try stored.importing(corrected)
        let calendar = stored.calendar
        #expect(calendar.isWorkingDay(day("2030-10-01")))  // gone with the old 2030 file
        #expect(!calendar.isWorkingDay(day("2030-05-01")))
        #expect(!calendar.isWorkingDay(day("2030-12-31")))  // still lent by 2031
    }

    static func holidayCN(_ year: Int) throws -> YearSchedule {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/holiday-cn/\(year).json")
        return try CalendarFile.holidayCNSchedule(try Data(contentsOf: url), fileName: "\(year).json")
    }
}
