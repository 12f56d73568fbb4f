import Foundation

/// The repair figures as people read them, one project a row: the monthly report's repair
/// section (table and CSV) and the company ranking show the same cells.
public enum RepairFiguresCSV {
    public static let header = ["报修单", "签收及时率", "联系及时率", "办结及时率", "两日内回访率", "满意率", "一次合格率",
                                "户均报修", "一级投诉/千户", "二级投诉/千户", "三级投诉/千户"]

    /// A satisfaction rate under the target (000: ≥ 96 %) is marked 未达标, as a visit count
    /// shows its quota beside it.
    public static func cells(_ f: RepairFigures) -> [String] {
        let satisfaction = rate(f.satisfaction_rate) + (f.satisfaction_met == false ? " 未达标" : "")
        return [String(f.orders), rate(f.sign_rate), rate(f.contact_rate), rate(f.complete_rate), rate(f.followup_rate),
                satisfaction, rate(f.pass_rate), number(f.repairs_per_household, places: 3),
                number(f.complaints_per_1000_level1, places: 2), number(f.complaints_per_1000_level2, places: 2),
                number(f.complaints_per_1000_level3, places: 2)]
    }

    /// What the section's columns mean, printed under the table.
    public static func note(target: Double) -> String {
        "说明：及时率按已到期或已完成的环节计（办结、回访按轮次，返修后重新计）；满意率 = 评 4-5 分 ÷ 已评分，目标 ≥"
            + String(format: "%g", target * 100) + "%；一次合格率 = 未返修 ÷ 已完工；户均报修 = 报修单 ÷ 户数；—：没有可计的。"
    }

    /// A rate with nothing to measure is no rate at all (not 100 %).
    static func rate(_ value: Double?) -> String {
        value.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
    }

    static func number(_ value: Double?, places: Int) -> String {
        value.map { String(format: "%.\(places)f", $0) } ?? "—"
    }
}
