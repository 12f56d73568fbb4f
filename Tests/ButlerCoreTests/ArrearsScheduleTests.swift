import Testing
@testable import ButlerCore

/// 002 #21: the arrears cycle's dates on the official calendar, and yuan read as fen.
@Suite struct ArrearsScheduleTests {
    let schedule = TaskSchedule(calendar: .shipped)

    @Test func monthStartingOnNationalDay_listsOnTheEighth() {
        #expect(schedule.arrearsListingDay(month("2026-10")) == day("2026-10-08"))
        #expect(schedule.arrearsListingDay(month("2026-06")) == day("2026-06-01"))
    }

    @Test func twentyEighthOnSunday_escalatesOnFriday() {
        #expect(day("2026-06-28").weekday == 7)
        #expect(schedule.arrearsEscalationDay(month("2026-06")) == day("2026-06-26"))
    }

    @Test func twentyEighthOnAWorkingDay_isTheDay() {
        #expect(schedule.arrearsEscalationDay(month("2026-10")) == day("2026-10-28"))
        // An adjusted working Saturday (Spring Festival 2026) is a working day.
        #expect(schedule.arrearsEscalationDay(month("2026-02")) == day("2026-02-28"))
    }

    @Test func yuan_areReadExactlyAsFen() {
        #expect(Fen.parse(yuan: "356.40") == .success(35640))
        #expect(Fen.parse(yuan: "0.1") == .success(10))
        #expect(Fen.parse(yuan: "300") == .success(30000))
        #expect(Fen.parse(yuan: "0") == .success(0))
        #expect(Fen.parse(yuan: "-5.00") == .failure(.negative))
        #expect(Fen.parse(yuan: "1.005") == .failure(.tooManyDecimals))
        #expect(Fen.parse(yuan: "1,000") == .failure(.notANumber))
        #expect(Fen.parse(yuan: "1e3") == .failure(.notANumber))
        #expect(Fen.parse(yuan: "12.") == .failure(.notANumber))
        #expect(Fen.parse(yuan: ".5") == .failure(.notANumber))
        #expect(Fen.parse(yuan: "1234567890123") == .failure(.tooLarge))
    }
}
