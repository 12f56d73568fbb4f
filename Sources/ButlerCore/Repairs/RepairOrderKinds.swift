/// What broke (issue 14, CONTRACT "Repairs").
public enum RepairCategory: String, CaseIterable, Sendable, Codable {
    case water, drainage, electric, gas
    case doorsWindows = "doors_windows"
    case wallsFloors = "walls_floors"
    case appliance
    case publicArea = "public_area"
    case other

    public var label: String {
        switch self {
        case .water: "水路"
        case .drainage: "排水"
        case .electric: "电路"
        case .gas: "燃气"
        case .doorsWindows: "门窗"
        case .wallsFloors: "墙地面"
        case .appliance: "家电"
        case .publicArea: "公共区域"
        case .other: "其他"
        }
    }
}

/// How the owner reported it: the 440 hotline, the WeChat account or the app (000).
public enum RepairSource: String, CaseIterable, Sendable, Codable {
    case phone, wechat, app
}

/// The stages with a time limit (000); a late one is a breach. `claim`: an order waiting for
/// a technician (dispatch or grab) from its opening; `sign` counts from the dispatch.
public enum RepairStage: String, CaseIterable, Sendable, Codable {
    case claim, sign, contact, complete, followup

    public var label: String {
        switch self {
        case .claim: "接单"
        case .sign: "签收"
        case .contact: "联系业主"
        case .complete: "完工"
        case .followup: "回访"
        }
    }
}

/// A repair order's state. The loop: open → dispatched (dispatch or grab) → signed → contacted
/// → completed → followed_up; a completed or followed-up order may be reopened, which sends it
/// back to its technician to complete again.
public enum RepairStatus: String, CaseIterable, Sendable, Codable {
    case open, dispatched, signed, contacted, completed
    case followedUp = "followed_up"
    case reopened

    public var label: String {
        switch self {
        case .open: "待派工"
        case .dispatched: "已派工"
        case .signed: "已签收"
        case .contacted: "已联系"
        case .completed: "已完工"
        case .followedUp: "已回访"
        case .reopened: "已返修"
        }
    }

    /// The states an order in this state may move to.
    public var next: Set<RepairStatus> {
        switch self {
        case .open: [.dispatched]
        case .dispatched: [.signed]
        case .signed: [.contacted]
        case .contacted: [.completed]
        case .completed: [.followedUp, .reopened]
        case .followedUp: [.reopened]
        case .reopened: [.completed]
        }
    }

    /// Still with the technician: a delay reason may be put on record.
    public var isWithTechnician: Bool { [.dispatched, .signed, .contacted, .reopened].contains(self) }
}

/// What an event of an order's timeline (`repair_events.kind`) records; the code stays in `--json`.
public enum RepairEventKind: String, CaseIterable, Sendable, Codable {
    case opened, dispatched, grabbed, signed, contacted, delayed, completed
    case followedUp = "followed_up"
    case reopened

    public var label: String {
        switch self {
        case .opened: "开单"
        case .dispatched: "派工"
        case .grabbed: "抢单"
        case .signed: "签收"
        case .contacted: "联系业主"
        case .delayed: "延期"
        case .completed: "完工"
        case .followedUp: "回访"
        case .reopened: "返修"
        }
    }
}
