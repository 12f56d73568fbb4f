import ButlerCore
import Foundation
import Postgres

/// One standard's rule, in one file: which subjects it applies to and when (`plan`: set-based
/// SQL for the subjects, ButlerCore's `TaskSchedule` for windows and dues), and which records
/// complete it (`complete`: set-based, the same for live records, imported history and newly
/// planned tasks). Adding a standard = one rule file, one entry in ``TaskRules/all`` and one
/// `standards` row; a test holds the three in step (`StandardsColumnTests`).
protocol TaskRule: Sendable {
    /// The standards this rule owns.
    var standards: [StandardCode] { get }
    /// Tasks that should exist on the context's date and do not yet. Standards created by events
    /// (a complaint, an alert, an inspection) plan nothing here.
    func plan(_ c: PlanContext) throws -> [PlannedTask]
    /// Completes open tasks of this rule's standards from records, among `scope`; returns how many.
    func complete(_ db: Connection, _ scope: CompletionScope, on date: Day, standards: StandardBook) throws -> Int
    /// The tunable columns of `standards` this rule reads, per standard (priority and enabled
    /// apply to every standard). `standards set` refuses a value no rule reads.
    var tunables: [StandardCode: Set<TunableColumn>] { get }
    /// What a rule records beside the tasks the planner just created (ids by standard), in the
    /// same transaction: the houses an arrears escalation hands over (002 #21).
    func created(_ db: Connection, _ ids: [String: [Int]]) throws
}

/// The columns of `standards` a company tunes for a standard's rule.
enum TunableColumn: String, CaseIterable, Sendable {
    case perPeriod = "per-period", workingDays = "working-days", intervalDays = "interval-days", deadlineHours = "deadline-hours"

    /// The request's name for the column (`per_period`).
    var field: String { rawValue.replacingOccurrences(of: "-", with: "_") }
}

extension TaskRule {
    func plan(_ c: PlanContext) throws -> [PlannedTask] { [] }
    /// Completed by an explicit act only (`task done`, closing a complaint, reporting an inspection).
    func complete(_ db: Connection, _ scope: CompletionScope, on date: Day, standards: StandardBook) throws -> Int { 0 }
    var codes: [String] { standards.map(\.rawValue) }
    var tunables: [StandardCode: Set<TunableColumn>] { [:] }
    func created(_ db: Connection, _ ids: [String: [Int]]) throws {}
}

/// Which open tasks a completion looks at.
enum CompletionScope {
    /// Tasks of these houses (after new records of them).
    case houses([Int])
    /// These tasks (just created: records may predate them).
    case tasks([Int])

    /// `$1`/`$2` of every completion statement: the house filter and the task filter (NULL: none).
    var filters: [any PostgresBindable] {
        switch self {
        case .houses(let ids): [ids as [Int]?, nil as [Int]?]
        case .tasks(let ids): [nil as [Int]?, ids as [Int]?]
        }
    }
}

/// Every standard's rule. The planner plans with them in this order; completion applies them all.
enum TaskRules {
    static let all: [any TaskRule] = [
        MoveInVisitRule(), MonthlyInspectionRule(), GridPatrolRule(), MonthlyQuotaRule(), MonthlySummaryRule(),
        KeyInventoryRule(), HolidayConciergeRule(), CareVisitRule(),
        WeatherCheckRule(), HolidayArrivalRule(), ServiceFollowupRule(), ComplaintFollowupRule(), InspectionReportRule(),
        EscalationRule(), ArrearsRule(),
    ]

    /// The standards that have a rule (each exactly once).
    static var covered: [StandardCode] { all.flatMap(\.standards) }

    /// Which standards read a tunable column.
    static func readers(of column: TunableColumn) -> [StandardCode] {
        all.flatMap { rule in rule.tunables.filter { $0.value.contains(column) }.map(\.key) }
            .sorted { $0.rawValue < $1.rawValue }
    }
}
