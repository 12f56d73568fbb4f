import Foundation
import Postgres

/// The parts of a project's monthly score (`assessment_weights`, schema/0017): 000's process
/// part (过程质量, 60 %: ticket handling) and result part (结果质量, 40 %).
public enum AssessmentComponent: String, CaseIterable, Sendable, Encodable {
    case sign, contact, complete, followup, satisfaction, pass, complaints

    public var label: String {
        switch self {
        case .sign: "签收"
        case .contact: "联系"
        case .complete: "办结"
        case .followup: "回访"
        case .satisfaction: "满意率"
        case .pass: "一次合格率"
        case .complaints: "有效投诉"
        }
    }
}

/// The weights of the ranking and the targets, as the company has set them. Pure scoring.
public struct AssessmentWeights: Sendable, Equatable {
    public var weights: [AssessmentComponent: Int]
    /// Lowest satisfaction that meets the target (000: ≥ 96 %).
    public var satisfactionTarget: Double
    /// Most valid complaints per 1,000 households that meet the target (000: ≤ 0.25‰).
    public var complaintsTarget: Double

    /// 0017's defaults: process 60 (sign 15, contact 10, completion 30, follow-up 5), result 40
    /// (satisfaction 20, pass 10, complaints 10).
    public static let standard = AssessmentWeights(
        weights: [.sign: 15, .contact: 10, .complete: 30, .followup: 5, .satisfaction: 20, .pass: 10, .complaints: 10],
        satisfactionTarget: 0.96, complaintsTarget: 0.25)

    public init(weights: [AssessmentComponent: Int], satisfactionTarget: Double, complaintsTarget: Double) {
        self.weights = weights
        self.satisfactionTarget = satisfactionTarget
        self.complaintsTarget = complaintsTarget
    }

    /// The weights as stored (a component with no row weighs nothing).
    public init(db: Connection) throws {
        var weights: [AssessmentComponent: Int] = [:]
        var satisfaction = Self.standard.satisfactionTarget, complaints = Self.standard.complaintsTarget
        for r in try db.query("SELECT component, weight, target::float8 FROM assessment_weights") {
            guard let component = AssessmentComponent(rawValue: try r.decode(0)) else { continue }
            weights[component] = try r.decode(1)
            let target: Double? = try r.decode(2)
            if component == .satisfaction, let target { satisfaction = target }
            if component == .complaints, let target { complaints = target }
        }
        self.init(weights: weights, satisfactionTarget: satisfaction, complaintsTarget: complaints)
    }

    /// Each component's score, 0...100, or nil when the project has no figure for it. A rate
    /// scores its percentage; complaints score 100 at or under the target, target ÷ rate above it.
    public func components(_ f: RepairFigures) -> [AssessmentComponent: Double] {
        var scores: [AssessmentComponent: Double] = [:]
        scores[.sign] = f.sign_rate.map { $0 * 100 }
        scores[.contact] = f.contact_rate.map { $0 * 100 }
        scores[.complete] = f.complete_rate.map { $0 * 100 }
        scores[.followup] = f.followup_rate.map { $0 * 100 }
        scores[.satisfaction] = f.satisfaction_rate.map { $0 * 100 }
        scores[.pass] = f.pass_rate.map { $0 * 100 }
        scores[.complaints] = f.complaints_per_1000.map { $0 <= complaintsTarget ? 100 : 100 * complaintsTarget / $0 }
        return scores
    }

    /// Σ weight × component ÷ Σ weight over the components measured, to two decimals; nil for a
    /// project with no order in the month (nothing of its repair work to assess) or nothing weighed.
    public func score(_ f: RepairFigures) -> Double? {
        guard f.orders > 0 else { return nil }
        var total = 0.0, weight = 0
        for (component, value) in components(f) {
            let w = weights[component] ?? 0
            total += Double(w) * value
            weight += w
        }
        guard weight > 0 else { return nil }
        return (total / Double(weight) * 100).rounded() / 100
    }
}
