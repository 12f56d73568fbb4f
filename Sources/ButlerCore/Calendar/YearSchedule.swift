/// One year's published schedule as a file brings it: the year it is for, and its days, which
/// may include a few in the neighbouring years (a New Year run that starts on December 31, an
/// adjusted working day in early January).
public struct YearSchedule: Sendable, Hashable {
    /// The file's own year: a holiday-cn file's `year` field, or the year most of a CSV's days fall in.
    public let year: Int
    /// Every entry of the file, its own year's and its neighbours'.
    public let days: [OfficialDay]

    public init(year: Int, days: [OfficialDay]) {
        self.year = year
        self.days = days
    }

    /// The entries of the file's own year.
    public var ownDays: [OfficialDay] { days.filter { $0.date.year == year } }

    /// The entries the file lists in a neighbouring year.
    public var neighbourDays: [OfficialDay] { days.filter { $0.date.year != year } }
}
