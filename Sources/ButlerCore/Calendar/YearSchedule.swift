/// The published schedule of one or more whole years as a file brings it: the years it is for,
/// and its days, which may include a few in the neighbouring years (a New Year run that starts
/// on December 31, an adjusted working day in early January).
public struct YearSchedule: Sendable, Hashable {
    /// The file's own years, ascending: a holiday-cn file's `year` field, or every year whose
    /// January 1 (元旦) a CSV lists.
    public let years: [Int]
    /// Every entry of the file, its own years' and its neighbours'.
    public let days: [OfficialDay]
    /// The line each day is on in the file, for messages (empty for a schedule built in code).
    public let lines: [Day: Int]

    public init(years: [Int], days: [OfficialDay], lines: [Day: Int] = [:]) {
        self.years = years.sorted()
        self.days = days
        self.lines = lines
    }

    public init(year: Int, days: [OfficialDay], lines: [Day: Int] = [:]) {
        self.init(years: [year], days: days, lines: lines)
    }

    /// The entries of the file's own years.
    public var ownDays: [OfficialDay] { days.filter { years.contains($0.date.year) } }

    /// The entries the file lists in a neighbouring year.
    public var neighbourDays: [OfficialDay] { days.filter { !years.contains($0.date.year) } }

    /// The own year whose schedule lends `day` (the one next to the day's year).
    public func lender(of day: Day) -> Int? {
        years.first { abs($0 - day.year) == 1 }
    }
}
