import ButlerCore
import Foundation
import Postgres

public enum InspectionKind: String, CaseIterable, Sendable, Codable {
    case check, ventilation, cleaning
}
