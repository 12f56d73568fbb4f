import ButlerCore
import Foundation
import Postgres

/// How a project's place in the ranking is marked (000: 月度考核排前5名的奖励, 倒数三名的扣罚).
public enum RankMark: String, Sendable, Codable {
    case top, bottom

    public var label: String { self == .top ? "前五" : "后三" }

    /// The first five are `top`, the last three `bottom`; with fewer than eight ranked projects
    /// the two would overlap, and a place among the first five stays `top`.
    public static func of(rank: Int, among count: Int) -> RankMark? {
        if rank <= 5 { return .top }
        return rank > count - 3 ? .bottom : nil
    }
}

/// One project in the company ranking: its place, score and the figures behind them.
public struct CompanyReportRow: Sendable, Encodable {
    /// 1...n among the projects with a score; null for a project with no order in the month.
    @EncodedAsNull public var rank: Int?
    /// 0...100, two decimals (``AssessmentWeights/score(_:)``); null with no order in the month.
    @EncodedAsNull public var score: Double?
    @EncodedAsNull public var mark: RankMark?
    public var project: String
    public var name: String
    public var repairs: RepairFigures
    /// The project's fee collection in the month (002 #21), beside the score, not in it: 000's
    /// assessment weighs the repair loop.
    public var arrears: ArrearsReportRow
}

/// `butler report --company`: every project of the company ranked by its weighted score.
public struct CompanyReport: Sendable, Encodable {
    public let month: String
    /// The weights the scores were computed with (`assessment_weights`), by component.
    public let weights: [String: Int]
    public let rows: [CompanyReportRow]

    /// No project had a repair order in the month: nothing is ranked.
    public var isEmpty: Bool { rows.allSatisfy { $0.rank == nil } }
}

/// The company's monthly ranking (000: 按照过程质量考核占60%、结果质量考核占40%等权重，对项目部进行量化考核排序).
/// Projects with orders are ranked by score, highest first (equal scores by project code);
/// a project with no order in the month has nothing of its repair work to assess: it is listed
/// after them, unranked and unmarked (neither rewarded nor penalised for having no repairs).
public struct CompanyReportStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    public func report(month: YearMonth, now: Date) throws -> CompanyReport {
        let today = Day.from(now)
        guard month.first <= today else {
            throw ButlerError(.invalidInput, field: "month", "\(month) 还没有开始：月度报表只统计已经开始的月份（今天是 \(today)）")
        }
        let weights = try AssessmentWeights(db: db)
        let figures = try RepairAssessment(db: db).figures(month: month, now: now, satisfactionTarget: weights.satisfactionTarget)
        let arrears = try ArrearsReportStore(db: db).projects(month: month)
        return Self.ranked(figures, weights: weights, month: month.description, arrears: arrears)
    }

    /// Ranks the projects' figures by their score (pure: the tests rank hand-made figures too).
    public static func ranked(_ figures: [RepairFigures], weights: AssessmentWeights, month: String,
                              arrears: [String: ArrearsReportRow] = [:]) -> CompanyReport {
        // A project with nothing billed has an empty row (rate —).
        func collection(_ project: String) -> ArrearsReportRow { arrears[project] ?? ArrearsReportRow(grid: nil) }
        let scored = figures.map { (figures: $0, score: weights.score($0)) }
        let ranked = scored.filter { $0.score != nil }
            .sorted { ($0.score ?? 0, $1.figures.project) > ($1.score ?? 0, $0.figures.project) }
        let unranked = scored.filter { $0.score == nil }.sorted { $0.figures.project < $1.figures.project }
        var rows = ranked.enumerated().map { index, entry in
            CompanyReportRow(rank: index + 1, score: entry.score, mark: RankMark.of(rank: index + 1, among: ranked.count),
                             project: entry.figures.project, name: entry.figures.name, repairs: entry.figures,
                             arrears: collection(entry.figures.project))
        }
        rows += unranked.map {
            CompanyReportRow(rank: nil, score: nil, mark: nil, project: $0.figures.project, name: $0.figures.name, repairs: $0.figures,
                             arrears: collection($0.figures.project))
        }
        return CompanyReport(month: month, weights: Dictionary(uniqueKeysWithValues: weights.weights.map { ($0.key.rawValue, $0.value) }),
                             rows: rows)
    }
}
