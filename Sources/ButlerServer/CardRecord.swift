import ButlerCore
import ButlerStore

/// What a butler records from a task card on `/me` (issue 16): a touchpoint (visit, call,
/// opinion, collection call) or an inspection (check, ventilation, cleaning) of the house. The
/// card preselects the record that completes its task, so one tap does the usual thing.
enum CardRecord: String, CaseIterable, Sendable {
    case visit, callOut = "call_out", opinion, check, ventilation, cleaning, collectionCall = "collection_call"

    var label: String {
        switch self {
        case .visit, .callOut, .opinion, .collectionCall: touchpoint?.label ?? rawValue
        case .check: "查验"
        case .ventilation: "通风"
        case .cleaning: "保洁"
        }
    }

    /// A touchpoint's kind, or nil for an inspection.
    var touchpoint: TouchpointKind? {
        switch self {
        case .visit: .visit
        case .callOut: .callOut
        case .opinion: .opinion
        case .collectionCall: .collectionCall
        case .check, .ventilation, .cleaning: nil
        }
    }

    var inspection: InspectionKind? {
        switch self {
        case .check: .check
        case .ventilation: .ventilation
        case .cleaning: .cleaning
        case .visit, .callOut, .opinion, .collectionCall: nil
        }
    }

    /// Always on the card's menu (003: the walk, the call, the opinion, the inspection).
    static let common: [CardRecord] = [.visit, .callOut, .opinion, .check]

    /// The record that completes a task of `standard` (the rules in ButlerStore/Tasks/Rules).
    static func suggested(for standard: String) -> CardRecord {
        switch StandardCode(rawValue: standard) {
        case .entrustedCheck, .paidCheck, .vacantFurnishedCheck, .vacantBareCheck, .weatherCheck: .check // 002 #13-#15, #25
        case .paidVentilation: .ventilation
        case .paidCleaning: .cleaning
        case .holidayConciergeCall: .callOut
        case .arrearsContact: .collectionCall // 002 #21
        default: .visit
        }
    }

    /// The card's menu: the common records, and the suggested one when it is another.
    static func menu(for standard: String) -> [(record: CardRecord, selected: Bool)] {
        let suggested = suggested(for: standard)
        let records = common.contains(suggested) ? common : common + [suggested]
        return records.map { ($0, $0 == suggested) }
    }
}
