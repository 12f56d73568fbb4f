import ButlerCore
import Foundation
import Postgres

/// Work the clock does by itself (`butler jobs run`, or `butler serve` every minute).
///
/// Each job has slots: the scheduled instants it runs for (the day's 00:05, every minute). A job
/// is due at `now` when its latest slot at or before `now` has no successful run; running it is
/// idempotent, so a late or repeated run does no harm.
protocol Job: Sendable {
    /// The name in `job_runs` and `jobs status`; its advisory lock derives from it.
    var name: String { get }
    /// The latest slot at or before `now`.
    func slot(at now: Date) -> Date
    /// The first slot after `slot`.
    func slot(after slot: Date) -> Date
    /// Does the slot's work on `db` (inside the runner's transaction) and says what it touched.
    func run(_ db: Connection, now: Date) throws -> JobOutcome
}

/// What a run did: the rows it wrote and a few named counts (kept in `job_runs.detail`).
public struct JobOutcome: Sendable, Equatable {
    public var rows: Int
    public var detail: [String: Int]

    public init(rows: Int, detail: [String: Int] = [:]) {
        self.rows = rows
        self.detail = detail
    }
}

/// Slots in business time (Asia/Shanghai, UTC+08:00 all year).
enum Slots {
    /// `minuteOfDay` past midnight of the business day containing `now`, or of the day before
    /// when `now` is earlier than that.
    static func daily(at now: Date, minuteOfDay: Int) -> Date {
        let day = Day.from(now)
        let today = day.startOfDay().addingTimeInterval(TimeInterval(minuteOfDay * 60))
        return now >= today ? today : day.adding(days: -1).startOfDay().addingTimeInterval(TimeInterval(minuteOfDay * 60))
    }

    /// The start of the minute of `now`.
    static func minute(at now: Date) -> Date {
        Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 60).rounded(.down) * 60)
    }
}
