import ButlerCore
import Postgres

/// 002 #28: a confirmed holiday arrival (`butler holiday arrival`, ArrivalStore) creates the
/// home's preparation the day before (done with `task done`) and a visit the day after, which a
/// visit at the house completes.
struct HolidayArrivalRule: TaskRule {
    let standards: [StandardCode] = [.holidayPrepare, .holidayArrivalVisit]

    func complete(_ db: Connection, _ scope: CompletionScope, on date: Day, standards: StandardBook) throws -> Int {
        try RecordCompletion.firstTouchpoint(db, scope, kind: .visit, standards: [.holidayArrivalVisit])
    }
}
