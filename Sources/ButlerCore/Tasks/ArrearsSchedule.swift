extension TaskSchedule {
    /// 002 #21: the month's arrears are listed on its first working day (official calendar)...
    public func arrearsListingDay(_ m: YearMonth) -> Day {
        calendar.firstWorkingDay(of: m)
    }

    /// ...collected until the 28th, and the still unpaid handed to the project head that day; when
    /// the 28th is not a working day, on the working day before it.
    public func arrearsEscalationDay(_ m: YearMonth) -> Day {
        calendar.workingDay(onOrBefore: m.day(28) ?? m.last)
    }
}
