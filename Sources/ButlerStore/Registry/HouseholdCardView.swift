import ButlerCore

/// A household card as people read it, in Chinese: codes become labels, phones stay as the
/// database masked them, times are `2026-11-26 09:30`. One view model, two renderers: the
/// CLI's text (`butler lookup`) and the screen-pop page's template.
public struct HouseholdCardView: Sendable, Equatable {
    public struct Entrustment: Sendable, Equatable {
        /// 有偿 / 无偿.
        public let kind: String
        /// `2020-01-01 起` or `2020-01-01 至 2026-12-31`.
        public let period: String
        public let keys: Int
    }

    public struct Resident: Sendable, Equatable {
        public let name: String
        /// 业主 / 家属 / 租户.
        public let role: String
        public let phone: String
        /// `独居老人、残障`; empty without tags.
        public let tags: String
    }

    public struct Contact: Sendable, Equatable {
        public let at: String
        public let kind: String
        public let note: String
    }

    public let house: String
    public let project: String
    public let occupancy: String
    public let grid: String
    public let gridPhone: String
    /// `王管家（E1001）`, or 未分配.
    public let butler: String
    public let openTasks: Int
    /// 欠费 是 / 否: a flag only, never the amount.
    public let inArrears: String
    public let entrustment: Entrustment?
    public let residents: [Resident]
    /// Newest first.
    public let recent: [Contact]

    public init(_ card: HouseholdCard) {
        house = card.house
        project = card.project
        occupancy = Occupancy(rawValue: card.occupancy)?.label ?? card.occupancy
        grid = card.grid ?? "—"
        gridPhone = card.grid_phone ?? "—"
        butler = card.butler.map { "\($0.name)（\($0.employee_no)）" } ?? "未分配"
        openTasks = card.open_tasks
        inArrears = card.in_arrears ? "是" : "否"
        entrustment = card.entrustment.map { e in
            Entrustment(kind: Self.entrustmentLabel(e.kind), period: e.to.map { "\(e.from) 至 \($0)" } ?? "\(e.from) 起", keys: e.keys)
        }
        residents = card.residents.map {
            Resident(name: $0.name, role: ResidentRole(rawValue: $0.role)?.label ?? $0.role, phone: $0.phone,
                     tags: $0.tags.map { ResidentTag(rawValue: $0)?.label ?? $0 }.joined(separator: "、"))
        }
        recent = card.recent.map {
            // `2026-11-26T09:30:00+08:00` → `2026-11-26 09:30` (the database writes Beijing time).
            Contact(at: String($0.at.prefix(16)).replacingOccurrences(of: "T", with: " "),
                    kind: TouchpointKind(rawValue: $0.kind)?.label ?? $0.kind, note: $0.note)
        }
    }

    static func entrustmentLabel(_ kind: String) -> String {
        switch EntrustmentKind(rawValue: kind) {
        case .paid: "有偿"
        case .unpaid: "无偿"
        case nil: kind
        }
    }
}

extension LookupResult {
    /// When the page does not show every match: how many matched, which are shown and how to
    /// narrow the search; nil when every match is shown.
    public var truncationNote: String? {
        guard truncated else { return nil }
        let offset = page.offset
        let shown = houses.isEmpty ? "本页没有住户"
            : offset == 0 ? "显示前 \(houses.count) 户" : "显示第 \(offset + 1)–\(offset + houses.count) 户"
        let narrow = query.kind == "name" ? "请输入更完整的姓名或按电话、房号查询" : "请按房号查询"
        return "共 \(total) 户匹配，\(shown)；\(narrow)"
    }
}
