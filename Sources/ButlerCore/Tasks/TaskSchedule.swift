import Foundation

/// When a task appears on a butler's list and when it becomes overdue.
public struct TaskWindow: Sendable, Hashable, Codable {
    public let start: Day
    public let due: Day

    public init(start: Day, due: Day) {
        self.start = start
        self.due = due
    }
}

/// One phone call before one or more holidays (002 #28).
public struct ConciergeCall: Sendable, Hashable, Codable {
    /// First of the 5 working days before the (earliest) holiday.
    public let windowStart: Day
    /// Last of those 5 working days.
    public let due: Day
    /// Names of the holidays the call covers, earliest first.
    public let holidays: [String]
    /// First day of the earliest covered holiday.
    public let firstHolidayDay: Day

    public init(windowStart: Day, due: Day, holidays: [String], firstHolidayDay: Day) {
        self.windowStart = windowStart
        self.due = due
        self.holidays = holidays
        self.firstHolidayDay = firstHolidayDay
    }
}

/// The date rules of the frequency standards, over one work calendar. Pure functions.
public struct TaskSchedule: Sendable {
    public let calendar: WorkCalendar

    public init(calendar: WorkCalendar = .shipped) {
        self.calendar = calendar
    }

    // MARK: Move-in

    /// 002 #18: a move-in on day M is visited by the 3rd working day after M.
    public func moveInVisitDue(movedIn: Day, workingDays: Int = 3) -> Day {
        calendar.addingWorkingDays(workingDays, to: movedIn)
    }

    // MARK: Monthly checks

    /// 002 #13, #14, #25: monthly checks (and cleaning, key inventory, quotas) are due on the month's last working day.
    public func monthlyDue(_ m: YearMonth) -> Day {
        calendar.lastWorkingDay(of: m)
    }

    /// 002 #13: unpaid entrusted house check, one per calendar month.
    public func monthlyCheckDue(_ m: YearMonth) -> Day {
        monthlyDue(m)
    }

    /// 002 #25: paid ventilation twice a month: mid-month (last working day on or before the 15th) and month end.
    public func ventilationDues(_ m: YearMonth) -> [Day] {
        let fifteenth = m.day(15) ?? m.first
        return [calendar.workingDay(onOrBefore: fifteenth), calendar.lastWorkingDay(of: m)]
    }

    /// 002 #15: a bare shell is due a check in `m` only when it had no check in the previous month.
    public func vacantBareCheckDue(_ m: YearMonth, checkedInPreviousMonth: Bool) -> Day? {
        checkedInPreviousMonth ? nil : monthlyDue(m)
    }

    /// 002 #18: the monthly visit/opinion quota shows from the first working day until met, due the last.
    public func monthlyQuotaWindow(_ m: YearMonth) -> TaskWindow {
        TaskWindow(start: calendar.firstWorkingDay(of: m), due: calendar.lastWorkingDay(of: m))
    }

    /// 002 #18: the summary of month `m` is due on the 5th of the next month, or the working day before it.
    public func monthlySummaryDue(for m: YearMonth) -> Day {
        let fifth = m.next.day(5) ?? m.next.first
        return calendar.workingDay(onOrBefore: fifth)
    }

    // MARK: Grid patrol

    /// 002 #16: two patrols per ISO week, due on the middle and the last working day; one if the week has one working day.
    public func gridPatrolDues(_ week: ISOWeek) -> [Day] {
        let w = calendar.workingDays(from: week.monday, through: week.sunday)
        switch w.count {
        case 0: return []
        case 1: return [w[0]]
        default: return [w[(w.count - 1) / 2], w[w.count - 1]]
        }
    }

    // MARK: Holiday concierge

    /// 002 #28: the 5 working days before a holiday's first day, in order.
    public func conciergeWindow(before holiday: Holiday, workingDays: Int = 5) -> [Day] {
        var days: [Day] = []
        var d = holiday.first
        while days.count < workingDays {
            d = d.adding(days: -1)
            if calendar.isWorkingDay(d) { days.append(d) }
        }
        return days.reversed()
    }

    /// 002 #28: concierge calls whose window intersects `from...through`.
    /// Overlapping windows make one call covering both holidays, with the earlier window and due.
    /// `workingDays`: the window's length (standards.working_days of holiday_concierge_call).
    public func conciergeCalls(from: Day, through: Day, workingDays: Int = 5) -> [ConciergeCall] {
        guard from <= through else { return [] }
        // A window ends before its holiday and spans at most a few weeks; look beyond the range on both
        // sides so that the grouping of overlapping windows does not depend on where the range starts.
        let holidays = calendar.holidays(from: from.adding(days: -45), through: through.adding(days: 45))
        var calls: [ConciergeCall] = []
        var groupEnd: Day?
        for holiday in holidays {
            let window = conciergeWindow(before: holiday, workingDays: workingDays)
            guard let start = window.first, let due = window.last else { continue }
            if let last = calls.last, let end = groupEnd, start <= end {
                calls[calls.count - 1] = ConciergeCall(
                    windowStart: last.windowStart, due: last.due,
                    holidays: last.holidays + [holiday.name], firstHolidayDay: last.firstHolidayDay)
                groupEnd = max(end, due)
            } else {
                calls.append(ConciergeCall(windowStart: start, due: due, holidays: [holiday.name], firstHolidayDay: holiday.first))
                groupEnd = due
            }
        }
        return calls.filter { $0.windowStart <= through && $0.due >= from }
    }

    // MARK: Care visits

    /// 001, 003: residents living alone or disabled are visited every `intervalDays` days; at once if never visited.
    public static func careVisitDue(lastVisit: Day?, today: Day, intervalDays: Int = 14) -> Day {
        guard let lastVisit else { return today }
        return lastVisit.adding(days: intervalDays)
    }
}
