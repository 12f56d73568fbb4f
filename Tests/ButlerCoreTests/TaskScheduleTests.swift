import Foundation
import Testing
@testable import ButlerCore

@Suite struct TaskScheduleTests {
    let schedule = TaskSchedule(calendar: .shipped)

    @Test func moveInOnFriday_isDueThirdWorkingDay() {
        #expect(schedule.moveInVisitDue(movedIn: day("2026-11-20")) == day("2026-11-25"))
    }

    @Test func moveInOnSaturday_isDueWednesday() {
        #expect(schedule.moveInVisitDue(movedIn: day("2026-11-21")) == day("2026-11-25"))
    }

    @Test func moveInBeforeNationalDay_isDueOnAdjustedSaturday() {
        #expect(schedule.moveInVisitDue(movedIn: day("2026-09-30")) == day("2026-10-10"))
        #expect(day("2026-10-10").weekday == 6)
    }

    @Test func monthlyCheck_isDueLastWorkingDay() {
        #expect(schedule.monthlyCheckDue(month("2026-11")) == day("2026-11-30"))
        #expect(schedule.monthlyCheckDue(month("2026-10")) == day("2026-10-30"))
        #expect(schedule.monthlyCheckDue(month("2026-02")) == day("2026-02-28"))  // adjusted Saturday
    }

    @Test func paidVentilation_isDueMidMonthAndMonthEnd() {
        #expect(schedule.ventilationDues(month("2026-11")) == days("2026-11-13", "2026-11-30"))  // 15th is a Sunday
        #expect(schedule.ventilationDues(month("2026-12")) == days("2026-12-15", "2026-12-31"))
        #expect(schedule.ventilationDues(month("2026-02")) == days("2026-02-14", "2026-02-28"))  // 14th: adjusted Saturday
    }

    @Test func monthlySummary_isDueFifthOrWorkingDayBefore() {
        #expect(schedule.monthlySummaryDue(for: month("2026-10")) == day("2026-11-05"))
        #expect(schedule.monthlySummaryDue(for: month("2026-04")) == day("2026-04-30"))  // May 1-5 off
        #expect(schedule.monthlySummaryDue(for: month("2026-06")) == day("2026-07-03"))  // Sunday the 5th
    }

    @Test func bareShell_isDueOnlyAfterAMonthWithoutCheck() {
        #expect(schedule.vacantBareCheckDue(month("2026-11"), checkedInPreviousMonth: true) == nil)
        #expect(schedule.vacantBareCheckDue(month("2026-11"), checkedInPreviousMonth: false) == day("2026-11-30"))
    }

    @Test func monthlyQuota_windowsFromFirstToLastWorkingDay() {
        #expect(schedule.monthlyQuotaWindow(month("2026-10")) == TaskWindow(start: day("2026-10-08"), due: day("2026-10-30")))
    }

    @Test func gridPatrol_middleAndLastWorkingDayOfWeek() throws {
        let ordinary = try #require(ISOWeek(year: 2026, week: 48))
        #expect(schedule.gridPatrolDues(ordinary) == days("2026-11-25", "2026-11-27"))
        // Week of Oct 5 2026: Thu 8, Fri 9, Sat 10 (adjusted) are working.
        #expect(schedule.gridPatrolDues(day("2026-10-05").isoWeek) == days("2026-10-09", "2026-10-10"))
        // Week of Sep 28 2026: Mon-Wed working, Oct 1-4 off.
        #expect(schedule.gridPatrolDues(day("2026-09-28").isoWeek) == days("2026-09-29", "2026-09-30"))
        // Spring Festival 2026: Feb 16-22 all off.
        #expect(schedule.gridPatrolDues(day("2026-02-16").isoWeek) == [])
        // Week of Feb 23 2026: Mon 23 off, Tue-Fri and Sat 28 (adjusted) working: 5 days, middle is the 3rd.
        #expect(schedule.gridPatrolDues(day("2026-02-23").isoWeek) == days("2026-02-26", "2026-02-28"))
    }

    @Test func gridPatrol_weekWithOneWorkingDay_getsOne() {
        let calendar = WorkCalendar(official: (16...19).compactMap { Day(year: 2026, month: 11, day: $0) }
            .map { OfficialDay(date: $0, kind: .off, holiday: "测试") })
        let schedule = TaskSchedule(calendar: calendar)
        #expect(schedule.gridPatrolDues(day("2026-11-16").isoWeek) == [day("2026-11-20")])
    }

    @Test func conciergeBeforeLabourDay2026_isFiveWorkingDays() throws {
        let labour = try #require(schedule.calendar.holidays(in: 2026).first { $0.name == "劳动节" })
        #expect(schedule.conciergeWindow(before: labour) == days("2026-04-24", "2026-04-27", "2026-04-28", "2026-04-29", "2026-04-30"))
        let calls = schedule.conciergeCalls(from: day("2026-04-01"), through: day("2026-04-30"))
        #expect(calls.contains(ConciergeCall(windowStart: day("2026-04-24"), due: day("2026-04-30"), holidays: ["劳动节"], firstHolidayDay: day("2026-05-01"))))
    }

    @Test func conciergeWindows_midAutumnIncludesAdjustedSunday_nationalDaySkipsHoliday() throws {
        let holidays = schedule.calendar.holidays(in: 2026)
        let midAutumn = try #require(holidays.first { $0.name == "中秋节" })
        let national = try #require(holidays.first { $0.name == "国庆节" })
        #expect(schedule.conciergeWindow(before: midAutumn) == days("2026-09-20", "2026-09-21", "2026-09-22", "2026-09-23", "2026-09-24"))
        #expect(schedule.conciergeWindow(before: national) == days("2026-09-23", "2026-09-24", "2026-09-28", "2026-09-29", "2026-09-30"))
    }

    @Test func overlappingConciergeWindows_becomeOneCall() {
        let expected = ConciergeCall(windowStart: day("2026-09-20"), due: day("2026-09-24"), holidays: ["中秋节", "国庆节"], firstHolidayDay: day("2026-09-25"))
        #expect(schedule.conciergeCalls(from: day("2026-09-01"), through: day("2026-09-30")) == [expected])
        // The grouping does not depend on where the range starts.
        #expect(schedule.conciergeCalls(from: day("2026-09-24"), through: day("2026-09-24")) == [expected])
        #expect(schedule.conciergeCalls(from: day("2026-09-28"), through: day("2026-09-30")) == [])
    }

    @Test func conciergeBeforeNewYear2027_usesStatutoryFallback() {
        let calls = schedule.conciergeCalls(from: day("2026-12-01"), through: day("2026-12-31"))
        #expect(calls == [ConciergeCall(windowStart: day("2026-12-25"), due: day("2026-12-31"), holidays: ["元旦"], firstHolidayDay: day("2027-01-01"))])
    }

    @Test func careVisit_every14DaysOrAtOnce() {
        #expect(TaskSchedule.careVisitDue(lastVisit: nil, today: day("2026-11-26")) == day("2026-11-26"))
        #expect(TaskSchedule.careVisitDue(lastVisit: day("2026-11-20"), today: day("2026-11-26")) == day("2026-12-04"))
        #expect(TaskSchedule.careVisitDue(lastVisit: day("2026-11-20"), today: day("2026-11-26"), intervalDays: 7) == day("2026-11-27"))
    }
}
