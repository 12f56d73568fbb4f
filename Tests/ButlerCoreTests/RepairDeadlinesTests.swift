import ButlerCore
import Foundation
import Testing

/// 000's time limits (issue 14) on the shipped official calendar, with fixed instants.
@Suite struct RepairDeadlinesTests {
    let rules = RepairDeadlines(limits: RepairLimits(), calendar: .shipped)

    /// `d` at `hh:mm` Asia/Shanghai.
    func at(_ d: String, _ hour: Int, _ minute: Int) -> Date {
        day(d).startOfDay().addingTimeInterval(TimeInterval(hour * 3600 + minute * 60))
    }

    /// The last second of `d`.
    func endOf(_ d: String) -> Date { day(d).adding(days: 1).startOfDay() }

    @Test func openedFriday17h_isDueThatFriday() {
        #expect(day("2026-11-27").weekday == 5)
        #expect(rules.countedDay(openedAt: at("2026-11-27", 17, 0)) == day("2026-11-27"))
        #expect(rules.complete(openedAt: at("2026-11-27", 17, 0), complex: false) == endOf("2026-11-27"))
    }

    /// After the cutoff the order counts as opened the next calendar day: due Saturday.
    @Test func openedFriday1830_afterTheCutoff_isDueSaturday() {
        #expect(rules.countedDay(openedAt: at("2026-11-27", 18, 30)) == day("2026-11-28"))
        #expect(rules.complete(openedAt: at("2026-11-27", 18, 30), complex: false) == endOf("2026-11-28"))
        // From 18:00 on; 17:59 is still the same day.
        #expect(rules.countedDay(openedAt: at("2026-11-27", 18, 0)) == day("2026-11-28"))
        #expect(rules.countedDay(openedAt: at("2026-11-27", 17, 59)) == day("2026-11-27"))
        // A complex one counts its 3 working days from Saturday: Mon, Tue, Wed.
        #expect(rules.complete(openedAt: at("2026-11-27", 18, 30), complex: true) == endOf("2026-12-02"))
    }

    /// 2026-09-30 is the last working day before National Day (10-01...10-07 off); the working
    /// days after it are 10-08, 10-09 and the adjusted working Saturday 10-10.
    @Test func complexOrderBeforeNationalDay2026_isDueOnTheThirdWorkingDayAfter_anAdjustedSaturday() {
        #expect(day("2026-10-10").weekday == 6)
        #expect(rules.complete(openedAt: at("2026-09-30", 10, 0), complex: true) == endOf("2026-10-10"))
        #expect(rules.complete(openedAt: at("2026-09-30", 10, 0), complex: false) == endOf("2026-09-30"))
    }

    @Test func signContactFollowup_limits() {
        let t = at("2026-11-26", 9, 30)
        #expect(rules.sign(from: t) == at("2026-11-26", 9, 45))
        #expect(rules.contact(signedAt: t) == at("2026-11-26", 9, 40))
        #expect(rules.followup(completedAt: t) == at("2026-11-28", 9, 30))
    }

    @Test func aTunedCutoff_movesTheDay() {
        var limits = RepairLimits()
        limits.cutoffMinute = 17 * 60
        let tuned = RepairDeadlines(limits: limits, calendar: .shipped)
        #expect(tuned.countedDay(openedAt: at("2026-11-27", 17, 0)) == day("2026-11-28"))
    }

    @Test func theStateMachine_allowsOnlyTheLoop() {
        #expect(RepairStatus.open.next == [.dispatched])
        #expect(!RepairStatus.dispatched.next.contains(.completed))
        #expect(RepairStatus.completed.next == [.followedUp, .reopened])
        #expect(RepairStatus.reopened.next == [.completed])
    }
}
