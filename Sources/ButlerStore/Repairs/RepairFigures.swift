import Foundation

/// A project-month's repair figures (000: 考核), for the repair section of the monthly report
/// and each line of the company ranking. The month's orders are those *counted* on one of its
/// days (`counted_on`: an order opened from the cutoff on counts on the next day, so 31 Oct
/// 18:30 is November's). Each stage is measured when it is decided: done, or its deadline
/// passed by the time the report is read (`now`); a stage still running on time is not counted
/// yet. Completion, follow-up and rating are per round (a reopened order is completed and
/// followed up again), as the sweep records their breaches: a round reopened before its
/// call-back was due needs none. A rate is part ÷ whole, 0...1, and
/// null when the whole is 0 (no rate rather than a false 100 %).
public struct RepairFigures: Sendable, Encodable, Equatable {
    public var project: String
    public var name: String
    public var households = 0
    public var orders = 0
    /// Orders dispatched (or grabbed) whose sign is decided; signed by the deadline.
    public var sign_due = 0
    public var sign_on_time = 0
    @EncodedAsNull public var sign_rate: Double? = nil
    public var contact_due = 0
    public var contact_on_time = 0
    @EncodedAsNull public var contact_rate: Double? = nil
    /// Rounds whose completion is decided; completed before the midnight that ends the due day.
    public var complete_due = 0
    public var complete_on_time = 0
    @EncodedAsNull public var complete_rate: Double? = nil
    /// Completed rounds whose follow-up is decided; followed up within 48 h.
    public var followup_due = 0
    public var followup_on_time = 0
    @EncodedAsNull public var followup_rate: Double? = nil
    /// Follow-ups with a rating, and those rated 4 or 5 (satisfied).
    public var rated = 0
    public var satisfied = 0
    @EncodedAsNull public var satisfaction_rate: Double? = nil
    /// The company's target (≥ 96 %, `assessment_weights`) and whether the rate meets it (null: no rate).
    public var satisfaction_target = 0.96
    @EncodedAsNull public var satisfaction_met: Bool? = nil
    /// Orders completed at least once; of them, never reopened (维修合格率).
    public var pass_due = 0
    public var passed = 0
    @EncodedAsNull public var pass_rate: Double? = nil
    /// Orders ÷ houses of the project (户均维修率).
    @EncodedAsNull public var repairs_per_household: Double? = nil
    /// Complaints opened in the month (Asia/Shanghai days), by level, and per 1,000 households.
    public var complaints_level1 = 0
    public var complaints_level2 = 0
    public var complaints_level3 = 0
    @EncodedAsNull public var complaints_per_1000_level1: Double? = nil
    @EncodedAsNull public var complaints_per_1000_level2: Double? = nil
    @EncodedAsNull public var complaints_per_1000_level3: Double? = nil
    /// All valid complaints per 1,000 households (000: 有效投诉率 ≤ 0.25‰).
    @EncodedAsNull public var complaints_per_1000: Double? = nil

    public init(project: String, name: String) {
        self.project = project
        self.name = name
    }

    public var complaints: Int { complaints_level1 + complaints_level2 + complaints_level3 }

    /// Fills every rate from the counts (and the satisfaction target).
    mutating func computeRates(satisfactionTarget: Double) {
        sign_rate = ReportRow.rate(sign_on_time, of: sign_due)
        contact_rate = ReportRow.rate(contact_on_time, of: contact_due)
        complete_rate = ReportRow.rate(complete_on_time, of: complete_due)
        followup_rate = ReportRow.rate(followup_on_time, of: followup_due)
        satisfaction_rate = ReportRow.rate(satisfied, of: rated)
        satisfaction_target = satisfactionTarget
        // Compared in whole counts, so 24 of 25 (exactly 96 %) meets a 0.96 target despite floating point.
        satisfaction_met = rated == 0 ? nil : Double(satisfied) + 1e-9 >= satisfactionTarget * Double(rated)
        pass_rate = ReportRow.rate(passed, of: pass_due)
        repairs_per_household = ReportRow.rate(orders, of: households)
        func perThousand(_ count: Int) -> Double? { households == 0 ? nil : Double(count) * 1000 / Double(households) }
        complaints_per_1000_level1 = perThousand(complaints_level1)
        complaints_per_1000_level2 = perThousand(complaints_level2)
        complaints_per_1000_level3 = perThousand(complaints_level3)
        complaints_per_1000 = perThousand(complaints)
    }
}
