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
    /// A repair order's stage past its deadline (000), on the project manager's list.
    case repairEscalation = "repair_escalation"
    /// 002 #21: a house in arrears, on its butler's list from the month's first working day to the 28th.
    case arrearsContact = "arrears_contact"
    /// 002 #21: on the 28th, the houses still unpaid handed to the project manager.
    case arrearsEscalation = "arrears_escalation"
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

extension FrequencyStandard {
    /// How often, in the words of the company's own standard, with the values as tuned now
    /// (the stored `cadence` is the English note of the defaults, kept for `--json`).
    public var cadenceLabel: String {
        let n = perPeriod.map(String.init) ?? "?"
        let hours = deadlineHours.map { "，\($0) 小时内报告业主" } ?? ""
        switch StandardCode(rawValue: code) {
        case .moveInVisit: return "入住后 \(workingDays ?? 3) 个工作日内走访一次"
        case .entrustedCheck, .paidCheck, .vacantFurnishedCheck: return "每月 \(n) 次\(hours)"
        case .paidCleaning, .keyInventory: return "每月 \(n) 次"
        case .paidVentilation: return "每月 \(n) 次（月中、月末）"
        case .vacantBareCheck: return "每两个月 \(n) 次\(hours)"
        case .weatherCheck: return "发布恶劣天气预警时立即查验"
        case .gridPatrol: return "每周 \(n) 次（周中和本周最后一个工作日）"
        case .visitQuota: return "每月走访不少于 \(n) 户"
        case .opinionQuota: return "每月意见征询不少于 \(n) 户"
        case .monthlySummary: return "次月 5 日前提交"
        case .holidayConciergeCall: return "每个法定节假日前 \(workingDays ?? 5) 个工作日内致电"
        case .holidayPrepare: return "确认到访的前一天"
        case .holidayArrivalVisit: return "到访后的第二天"
        case .serviceFollowup: return "完成后 \(deadlineHours ?? 8) 小时内"
        case .complaintFollowup: return "下一个工作日内"
        case .inspectionReport: return "有偿委托 4 小时、无偿委托 8 小时、空置房 24 小时内"
        case .careVisit: return "每 \(intervalDays ?? 14) 天"
        case .complaintEscalation: return "投诉回访超过期限时"
        case .reportEscalation: return "查验报告超过期限时"
        case .repairEscalation: return "报修单任一环节超过时限时"
        case .arrearsContact: return "每月第一个工作日列出欠费户，28 日（非工作日提前到前一个工作日）前催缴"
        case .arrearsEscalation: return "每月 28 日（非工作日提前到前一个工作日）将仍未缴费的住户上报项目负责人"
        case nil: return cadence
        }
    }
}
