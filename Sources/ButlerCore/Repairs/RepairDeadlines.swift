import Foundation

/// The time limits of 000 as the company has tuned them (`repair_settings`).
public struct RepairLimits: Sendable, Equatable {
    public var signMinutes = 15
    public var contactMinutes = 10
    public var complexWorkingDays = 3
    public var followupHours = 48
    /// Minutes past midnight (Asia/Shanghai) from which an order counts as opened the next day.
    public var cutoffMinute = 18 * 60

    public init() {}

    public init(signMinutes: Int, contactMinutes: Int, complexWorkingDays: Int, followupHours: Int, cutoffMinute: Int) {
        self.signMinutes = signMinutes
        self.contactMinutes = contactMinutes
        self.complexWorkingDays = complexWorkingDays
        self.followupHours = followupHours
        self.cutoffMinute = cutoffMinute
    }
}

/// Each stage's deadline, from the limits and the official work calendar. Pure: the instants
/// come from the caller.
public struct RepairDeadlines: Sendable {
    public let limits: RepairLimits
    public let calendar: WorkCalendar

    public init(limits: RepairLimits, calendar: WorkCalendar) {
        self.limits = limits
        self.calendar = calendar
    }

    /// The day an order counts as opened on. From the cutoff on (default 18:00) it is the next
    /// *calendar* day: 000 says 当日内办结 of every order, and the working-day rule belongs to
    /// complex ones only; an ordinary order opened Friday 18:30 is due Saturday (issue 14), since
    /// technicians answer the 24-hour hotline's orders every day.
    public func countedDay(openedAt: Date) -> Day {
        let day = Day.from(openedAt)
        let minute = Int(openedAt.timeIntervalSince(day.startOfDay()) / 60)
        return minute >= limits.cutoffMinute ? day.adding(days: 1) : day
    }

    /// Sign within 15 minutes of the dispatch (of opening, for an order left to be grabbed).
    public func sign(from start: Date) -> Date {
        start.addingTimeInterval(TimeInterval(limits.signMinutes * 60))
    }

    /// Phone the owner within 10 minutes of signing.
    public func contact(signedAt: Date) -> Date {
        signedAt.addingTimeInterval(TimeInterval(limits.contactMinutes * 60))
    }

    /// The midnight that ends the day the order counts as opened on (a complex order's: the
    /// third working day after it, official calendar, adjusted working days included). Unlike
    /// the other stages' this deadline is exclusive: done before it is on time, so a completion
    /// at 23:59:59.9 is, and one at midnight is not (RepairStage.completeIsExclusive).
    public func complete(openedAt: Date, complex: Bool) -> Date {
        let counted = countedDay(openedAt: openedAt)
        let day = complex ? calendar.addingWorkingDays(limits.complexWorkingDays, to: counted) : counted
        return day.adding(days: 1).startOfDay()
    }

    /// The call centre calls back within 48 hours of completion.
    public func followup(completedAt: Date) -> Date {
        completedAt.addingTimeInterval(TimeInterval(limits.followupHours * 3600))
    }
}
