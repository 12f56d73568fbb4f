import Foundation
import Testing
@testable import ButlerCore

@Suite struct LevellingTests {
    let calendar = WorkCalendar.shipped

    @Test func levelling_fillsDaysInBuildingOrder() {
        let items = [
            LevelItem(id: "c", building: "10栋", unit: "1", room: "101"),
            LevelItem(id: "a", building: "2栋", unit: "1", room: "1101"),
            LevelItem(id: "b", building: "2栋", unit: "1", room: "201"),
            LevelItem(id: "d", building: "10栋", unit: "2", room: "101"),
            LevelItem(id: "e", building: "10栋", unit: "2", room: "102"),
        ]
        let plan = TaskSchedule.level(items, over: days("2026-11-23", "2026-11-24", "2026-11-25"))
        // ceil(5 / 3) = 2 per day: 2栋 201, 1101 | 10栋 1-101, 2-101 | 10栋 2-102.
        #expect(plan == [
            "b": day("2026-11-23"), "a": day("2026-11-23"),
            "c": day("2026-11-24"), "d": day("2026-11-24"),
            "e": day("2026-11-25"),
        ])
    }

    @Test func levelling_emptyInputs() {
        #expect(TaskSchedule.level([], over: days("2026-11-23")).isEmpty)
        #expect(TaskSchedule.level([LevelItem(id: "a", building: "1", unit: "1", room: "1")], over: []).isEmpty)
    }

    @Test func levelling_isDeterministicUnderInputOrder() {
        var rng = SplitMix64(seed: 7)
        let items = (0..<60).map { i in
            LevelItem(id: "h\(i)", building: "\(Int.random(in: 1...4, using: &rng))栋", unit: "\(Int.random(in: 1...3, using: &rng))", room: "\(Int.random(in: 1...30, using: &rng))01")
        }
        let workingDays = calendar.workingDays(in: month("2026-11"))
        #expect(TaskSchedule.level(items, over: workingDays) == TaskSchedule.level(items.shuffled(using: &rng), over: workingDays))
    }

    @Test func levellingProperty_neverExceedsBound_assignsEveryItemOnce() {
        var rng = SplitMix64(seed: 0x5EED_2026)
        let months = (2024...2027).flatMap { y in (1...12).compactMap { YearMonth(year: y, month: $0) } }
        let workingDaysByMonth = months.map { calendar.workingDays(in: $0) }
        for iteration in 0..<800 {
            let workingDays = workingDaysByMonth[Int.random(in: 0..<workingDaysByMonth.count, using: &rng)]
            let n = Int.random(in: 0...(iteration % 20 == 0 ? 600 : 90), using: &rng)
            let items = (0..<n).map { i in
                LevelItem(
                    id: "item-\(i)",
                    building: "\(Int.random(in: 1...6, using: &rng))",
                    unit: "\(Int.random(in: 1...4, using: &rng))",
                    room: "\(Int.random(in: 1...33, using: &rng))0\(Int.random(in: 1...4, using: &rng))")
            }
            let plan = TaskSchedule.level(items, over: workingDays)
            #expect(plan.count == n)
            let allowed = Set(workingDays)
            #expect(plan.values.allSatisfy(allowed.contains))
            let bound = (n + workingDays.count - 1) / workingDays.count + 1
            var load: [Day: Int] = [:]
            for d in plan.values { load[d, default: 0] += 1 }
            #expect((load.values.max() ?? 0) <= bound, "n=\(n) days=\(workingDays.count)")
        }
    }
}

@Suite struct MonthlyDuePropertyTests {
    let schedule = TaskSchedule(calendar: .shipped)
    let months = (2024...2027).flatMap { y in (1...12).compactMap { YearMonth(year: y, month: $0) } }

    @Test func everyMonthlyDue2024to2027_isAWorkingDay() {
        let calendar = schedule.calendar
        for m in months {
            var dues = [schedule.monthlyCheckDue(m), schedule.monthlySummaryDue(for: m)]
            dues += schedule.ventilationDues(m)
            let quota = schedule.monthlyQuotaWindow(m)
            dues += [quota.start, quota.due]
            for d in dues { #expect(calendar.isWorkingDay(d), "\(m): \(d)") }
            #expect(schedule.monthlyCheckDue(m).monthOfYear == m)
            #expect(schedule.ventilationDues(m).allSatisfy { $0.monthOfYear == m })
            #expect(quota.start <= quota.due)
        }
    }

    @Test func everyPatrolAndConciergeDue2024to2027_isAWorkingDay() throws {
        let calendar = schedule.calendar
        var week = day("2024-01-01").isoWeek
        while week.monday.year <= 2027 {
            let dues = schedule.gridPatrolDues(week)
            #expect(dues.count <= 2)
            for d in dues { #expect(calendar.isWorkingDay(d) && d.isoWeek == week, "\(week): \(d)") }
            week = week.next
        }
        let calls = schedule.conciergeCalls(from: day("2024-01-01"), through: day("2027-12-31"))
        #expect(calls.count >= 24)
        for call in calls {
            #expect(calendar.isWorkingDay(call.due) && calendar.isWorkingDay(call.windowStart))
            #expect(calendar.workingDays(from: call.windowStart, through: call.due).count == 5)
            #expect(call.due < call.firstHolidayDay)
        }
    }
}
