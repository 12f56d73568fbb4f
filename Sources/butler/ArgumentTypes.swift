import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

extension TouchpointKind: ExpressibleByArgument {}

extension InspectionKind: ExpressibleByArgument {}

/// 1, 2 or 3: the parser refuses anything else and lists the values.
extension ComplaintLevel: ExpressibleByArgument {}

/// `--at` times: ISO 8601, Asia/Shanghai when no offset is given.
struct RecordTime: ExpressibleByArgument {
    let date: Date
    init?(argument: String) {
        guard let date = Timestamp.parse(argument) else { return nil }
        self.date = date
    }
}

extension OrderStatus: ExpressibleByArgument {}

extension YearMonth: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension EntrustmentKind: ExpressibleByArgument {}
