import ButlerCore
import ButlerStore
import Foundation

extension ConsoleView {
    /// The manager's month (`/project/report`): the monthly report's tables, as the CLI and the
    /// CSV show them (MonthlyReportCSV's cells), and the charts that draw them (BarChart).
    struct Month: ScreenPopView.Nonced {
        struct Cell {
            let text: String
            /// Under its target: drawn like an under-target bar.
            let under: Bool
        }
        struct Row {
            let cells: [Cell]
        }
        struct Table {
            let id: String
            let caption: String
            let header: [String]
            let rows: [Row]
            let note: String
            /// The charts that draw this table (the table is their text equivalent).
            var charts: [Chart] = []
        }
        struct Chart {
            let id: String
            let svg: String
            let legend: String
        }

        /// A grid's task completion rate should be 100 %: 002 states every standard as a duty to
        /// meet (确保), and no source names a lower tolerance.
        static let completionTarget = 1.0

        var nonce = ""
        let project: String
        let month: String
        let previous: String
        /// Nil for the current month: a month not yet begun has no report.
        let next: String?
        let csvLink: String
        let grids: Table?
        let repairs: Table?
        let arrears: Table?
        let empty: String?

        init(_ report: MonthlyReport, month: YearMonth, today: Day) {
            project = report.project
            self.month = report.month
            previous = month.previous.description
            next = month.next.first <= today ? month.next.description : nil
            csvLink = "/project/report.csv?month=\(report.month)"
            let fees = report.arrears.flatMap { $0.isEmpty ? nil : $0 }
            grids = report.rows.allSatisfy(\.isEmpty) ? nil : Self.gridTable(report.rows)
            repairs = report.repairs.flatMap { f in
                f.orders == 0 ? nil : Table(
                    id: "repairs", caption: "本月报修（全项目）", header: RepairFiguresCSV.header,
                    // Column 5 of RepairFiguresCSV.header: 满意率.
                    rows: [Row(cells: RepairFiguresCSV.cells(f).enumerated().map { Cell(text: $1, under: $0 == 5 && f.satisfaction_met == false) })],
                    note: RepairFiguresCSV.note(target: f.satisfaction_target),
                    charts: [Chart(id: "repair-chart", svg: Self.repairChart(f).svg, legend: "—：没有可计的环节。")])
            }
            arrears = fees.map { fees in
                Table(id: "arrears", caption: "物业费收缴", header: ["网格"] + ArrearsReportCSV.header,
                      rows: (fees.grids + [fees.project]).map { row in
                          // Column 3 here (after the grid): 收缴率.
                          Row(cells: ([row.grid ?? "项目合计"] + ArrearsReportCSV.cells(row)).enumerated().map { Cell(text: $1, under: $0 == 3 && row.below_target) })
                      },
                      note: ArrearsReportCSV.note(target: fees.target),
                      charts: [Chart(id: "collection-chart", svg: Self.collectionChart(fees).svg, legend: "红：低于目标。")])
            }
            empty = grids == nil && repairs == nil && arrears == nil
                ? (report.rows.isEmpty ? "该项目还没有网格，没有可统计的内容。" : "本月没有到期的任务，也没有走访、意见征询、订单、投诉、报修或收缴记录。")
                : nil
        }

        /// The grid table: the CLI's and the CSV's cells, a completion rate or a visit count under
        /// its target marked.
        static func gridTable(_ rows: [ReportRow]) -> Table {
            let complaints = rows.reduce(into: [0, 0, 0, 0]) { sums, row in
                sums[0] += row.complaints_level1
                sums[1] += row.complaints_level2
                sums[2] += row.complaints_level3
                sums[3] += row.complaints_open
            }
            var charts = [Chart(id: "completion-chart", svg: completionChart(rows).svg, legend: "蓝：达到目标；红：低于目标。—：本月没有到期的任务。"),
                          Chart(id: "quota-chart", svg: quotaChart(rows).svg,
                                legend: "每个网格上一条走访、下一条意见征询（数字依次为走访 · 意见征询）；红：未达每月定额。")]
            if complaints.contains(where: { $0 > 0 }) {
                charts.append(Chart(id: "complaint-chart", svg: complaintChart(complaints).svg, legend: "各网格合计。"))
            }
            return Table(id: "grids", caption: "网格月度统计", header: MonthlyReportCSV.header, rows: rows.map { row in
                // Columns of MonthlyReportCSV.header: 完成率 6, 走访 7, 意见征询 8.
                var under: Set<Int> = []
                if let rate = row.completion_rate, rate + 1e-9 < completionTarget { under.insert(6) }
                if row.visits < row.quota { under.insert(7) }
                if row.opinions < row.quota { under.insert(8) }
                return Row(cells: MonthlyReportCSV.cells(row).enumerated().map { Cell(text: $1, under: under.contains($0)) })
            }, note: "说明：完成率 = 按时 ÷ 应完成；回访及时率 = 按时回访 ÷ 应回访（订单回访、投诉回访、查验报告）；—：本月没有到期的项目；红色粗体：低于目标。"
                + (complaints.contains(where: { $0 > 0 }) ? "" : "本月没有投诉。"), charts: charts)
        }

        /// (1) Each grid's completion rate against 100 %.
        static func completionChart(_ rows: [ReportRow]) -> BarChart {
            BarChart(title: "各网格任务完成率（目标 100%）", scale: 1, target: completionTarget, targetLabel: "目标 100%",
                     rows: rows.map { BarChart.Row(label: $0.grid, values: [$0.completion_rate], text: percent($0.completion_rate)) })
        }

        /// (2) Each grid's visits and opinions against the monthly quota (002 #18).
        static func quotaChart(_ rows: [ReportRow]) -> BarChart {
            let quota = rows.first?.quota ?? 7
            let most = rows.map { max($0.visits, $0.opinions) }.max() ?? 0
            return BarChart(title: "各网格走访与意见征询（每月定额 \(quota)）", scale: Double(max(quota, most, 1)), target: Double(quota),
                            targetLabel: "定额 \(quota)",
                            rows: rows.map { BarChart.Row(label: $0.grid, values: [Double($0.visits), Double($0.opinions)],
                                                          text: "\($0.visits) · \($0.opinions)") })
        }

        /// (3) The month's complaints by level (000), and those still open.
        static func complaintChart(_ counts: [Int]) -> BarChart {
            let labels = ["一级投诉", "二级投诉", "三级投诉", "未结投诉"]
            return BarChart(title: "本月投诉（按级别）", scale: Double(max(counts.max() ?? 0, 1)),
                            rows: zip(labels, counts).map { BarChart.Row(label: $0, values: [Double($1)], text: String($1)) })
        }

        /// (4) The repair loop's time limits (000): sign, contact, completion and follow-up on time.
        static func repairChart(_ f: RepairFigures) -> BarChart {
            let rates = [("签收及时", f.sign_rate), ("联系及时", f.contact_rate), ("办结及时", f.complete_rate), ("两日内回访", f.followup_rate)]
            return BarChart(title: "报修时限（及时率）", scale: 1,
                            rows: rates.map { BarChart.Row(label: $0, values: [$1], text: percent($1)) })
        }

        /// (5) The collection rate per grid and for the project against 85 % (002 #21).
        static func collectionChart(_ fees: ArrearsReport) -> BarChart {
            BarChart(title: "物业费收缴率（目标 \(Int((fees.target * 100).rounded()))%）", scale: 1, target: fees.target,
                     targetLabel: "目标 \(Int((fees.target * 100).rounded()))%",
                     rows: (fees.grids + [fees.project]).map {
                         BarChart.Row(label: $0.grid ?? "项目合计", values: [$0.collection_rate], text: percent($0.collection_rate))
                     })
        }

        static func percent(_ value: Double?) -> String {
            value.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
        }
    }
}
