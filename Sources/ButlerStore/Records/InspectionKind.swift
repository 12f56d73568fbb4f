import ButlerCore
import Foundation
import Postgres

public enum InspectionKind: String, CaseIterable, Sendable, Codable {
    case check, ventilation, cleaning

    public var label: String {
        switch self {
        case .check: "查验"
        case .ventilation: "通风"
        case .cleaning: "保洁"
        }
    }
}
