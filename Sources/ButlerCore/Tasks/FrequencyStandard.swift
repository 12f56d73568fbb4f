/// The codes of the frequency standards (CONTRACT.md); each is one row of the `standards` table.
public enum StandardCode: String, CaseIterable, Sendable, Codable {
    case moveInVisit = "move_in_visit"
    case entrustedCheck = "entrusted_check"
    case paidVentilation = "paid_ventilation"
    case paidCleaning = "paid_cleaning"
    case paidCheck = "paid_check"
    case vacantFurnishedCheck = "vacant_furnished_check"
    case vacantBareCheck = "vacant_bare_check"
    case weatherCheck = "weather_check"
    case gridPatrol = "grid_patrol"
    case visitQuota = "visit_quota"
    case opinionQuota = "opinion_quota"
    case monthlySummary = "monthly_summary"
    case holidayConciergeCall = "holiday_concierge_call"
    case holidayPrepare = "holiday_prepare"
    case holidayArrivalVisit = "holiday_arrival_visit"
    case serviceFollowup = "service_followup"
    case complaintFollowup = "complaint_followup"
    case inspectionReport = "inspection_report"
    case keyInventory = "key_inventory"
    case careVisit = "care_visit"
    /// Raised by the deadline sweep on the project manager's list (002 #19, 000; 002 #13-15, #25).
    case complaintEscalation = "complaint_escalation"
    case reportEscalation = "report_escalation"
}

/// One frequency standard as the company has tuned it (a row of `standards`).
public struct FrequencyStandard: Sendable, Codable, Equatable {
    public let code: String
    public let name: String
    public let cadence: String
    /// How many per period (patrols per week, ventilations per month, quota per month).
    public let perPeriod: Int?
    /// Working days allowed or of lead (move-in visit 3, concierge 5).
    public let workingDays: Int?
    /// Calendar days between repeats (care visits).
    public let intervalDays: Int?
    /// Hours after the act (reports, follow-ups).
    public let deadlineHours: Int?
    public let priority: Int
    public let enabled: Bool
    public let source: String

    public init(
        code: String, name: String, cadence: String, perPeriod: Int?, workingDays: Int?, intervalDays: Int?,
        deadlineHours: Int?, priority: Int, enabled: Bool, source: String
    ) {
        self.code = code
        self.name = name
        self.cadence = cadence
        self.perPeriod = perPeriod
        self.workingDays = workingDays
        self.intervalDays = intervalDays
        self.deadlineHours = deadlineHours
        self.priority = priority
        self.enabled = enabled
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case code, name, cadence, priority, enabled, source
        case perPeriod = "per_period", workingDays = "working_days", intervalDays = "interval_days"
        case deadlineHours = "deadline_hours"
    }
}

/// Standards by code, as the planner reads them.
public struct StandardBook: Sendable {
    public let standards: [String: FrequencyStandard]

    public init(_ list: [FrequencyStandard]) {
        standards = Dictionary(list.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public subscript(code: StandardCode) -> FrequencyStandard? { standards[code.rawValue] }

    public func isEnabled(_ code: StandardCode) -> Bool { standards[code.rawValue]?.enabled ?? false }
}
