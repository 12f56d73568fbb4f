import ButlerCore
import Postgres

/// 002 #13-15, #25: a severe-weather alert (`butler alert weather`) creates a check of every
/// entrusted and vacant house at once (AlertStore); a check inspection after the alert completes it.
struct WeatherCheckRule: TaskRule {
    let standards: [StandardCode] = [.weatherCheck]

    func complete(_ db: Connection, _ scope: CompletionScope, on date: Day, standards: StandardBook) throws -> Int {
        try RecordCompletion.inspection(db, scope, kind: .check, standards: self.standards, fromWindowStart: true)
    }
}
