import ButlerCore
import Foundation
import Postgres

/// Who may do what, written once (README "Who may do what"). Every API route and every CLI
/// command that acts as someone (`--by`, `--agent`) asks this model; the database enforces the
/// same rules again for the server's role (schema/0011: row-level security keyed on the
/// request's token, and the lookup function that verifies the token itself).
///
/// - agent: the whole company for lookups and the call centre's contacts; no task lists.
/// - manager: their project (houses, records, task lists, grids and assignments).
/// - butler: the grids they serve on the day of the act (task list, house cards); records for
///   any house of their own project (outside their grids: allowed and flagged).
/// - technician: the repair orders dispatched to them (and, to grab one, the undispatched
///   orders of their project); their own list of open orders.
public struct Scope {
    let db: Connection
    public let actor: Principal

    /// Kinds of contact the call centre records; a visit or an opinion is a butler's.
    public static let agentTouchpointKinds: Set<TouchpointKind> = [.callIn, .callOut, .message, .complaint, .compliment]

    public init(db: Connection, actor: Principal) {
        self.db = db
        self.actor = actor
    }

    /// The acting person named on the command line (`--by`, `--agent`).
    public init(db: Connection, employee: String) throws {
        let staff = try RegistryLookup(db: db).staff(employee)
        self.init(db: db, actor: Principal(staffID: staff.id, employeeNo: employee, name: staff.name, role: staff.role,
                                            projectID: staff.projectID))
    }

    public func requireRole(_ roles: Set<StaffRole>, to action: String) throws {
        guard roles.contains(actor.role) else {
            throw ButlerError(.forbidden, "\(actor.employeeNo)（\(actor.role.label)）无权\(action)")
        }
    }

    /// Call-centre lookups: agents (the company) and managers (their project; the database
    /// narrows the results).
    public func mayLookUp() throws {
        try requireRole([.agent, .manager], to: "查询住户")
    }

    /// Everyone with a list sees their own (a manager's holds the escalations); a manager also
    /// the lists of butlers of their project.
    public func mayReadTasks(of employee: String, on day: Day) throws {
        if [.butler, .manager, .technician].contains(actor.role) && actor.employeeNo == employee { return }
        if actor.role == .manager, let project = actor.projectID {
            let ofProject = try db.query("""
                SELECT 1 FROM staff st WHERE st.employee_no = $1 AND st.role = 'butler' AND (st.project_id = $2
                   OR EXISTS (SELECT 1 FROM grid_assignments ga WHERE ga.staff_id = st.id AND ga.project_id = $2
                              AND ga.from_date <= $3::date AND (ga.to_date IS NULL OR ga.to_date >= $3::date)))
                """, [employee, project, day.description])
            if !ofProject.isEmpty { return }
        }
        throw ButlerError(.forbidden, field: "butler", "\(actor.employeeNo) 无权查看 \(employee) 的任务")
    }

    /// Touchpoints: agents record the call centre's kinds anywhere; butlers and managers any
    /// kind for a house of their project.
    public func mayRecord(_ kind: TouchpointKind, house: String, projectID: Int) throws {
        switch actor.role {
        case .agent where Self.agentTouchpointKinds.contains(kind): return
        case .agent:
            throw ButlerError(.forbidden, "\(actor.employeeNo) 是客服坐席，不能记录「\(kind.label)」（这是管家的记录）")
        case .butler, .manager: try requireProject(projectID, "为房屋 \(house) 记录")
        case .technician: throw ButlerError(.forbidden, "\(actor.employeeNo) 是维修工，不能记录接触（维修经过记在报修单上）")
        }
    }

    /// Inspections and patrols: butlers and managers, in their project.
    public func mayInspect(projectID: Int, _ what: String) throws {
        try requireRole([.butler, .manager], to: "记录\(what)")
        try requireProject(projectID, "记录\(what)")
    }

    /// Service acts (orders, complaint closing, alerts, inspection reports, holiday arrivals):
    /// butlers and managers in their project; agents too where the call centre acts (`agents`).
    public func mayServe(projectID: Int, _ what: String, agents: Bool = false) throws {
        if agents && actor.role == .agent { return }
        try requireRole(agents ? [.agent, .butler, .manager] : [.butler, .manager], to: what)
        try requireProject(projectID, what)
    }

    /// A butler completes tasks of the grids they serve today or their own; a manager any task
    /// of their project.
    public func mayComplete(task id: Int, on day: Day) throws {
        guard let row = try db.query("""
            SELECT t.project_id,
                   t.staff_id = $2 OR EXISTS (SELECT 1 FROM grid_assignments ga WHERE ga.grid_id = t.grid_id AND ga.staff_id = $2
                                              AND ga.from_date <= $3::date AND (ga.to_date IS NULL OR ga.to_date >= $3::date))
            FROM tasks t WHERE t.id = $1
            """, [id, actor.staffID, day.description]).first else { throw ButlerError(.notFound, field: "task", "任务 \(id) 不存在") }
        let project: Int = try row.decode(0)
        let own = try row.decode(1, as: Bool?.self) ?? false
        if actor.role == .butler && own { return }
        if actor.role == .manager && actor.projectID == project { return }
        throw ButlerError(.forbidden, "\(actor.employeeNo) 无权完成任务 \(id)（不是其网格或项目的任务）")
    }

    /// Managers act on grids of their own project only.
    public func mayManage(grid code: String) throws {
        try requireRole([.manager], to: "分配网格")
        guard let row = try db.query("SELECT project_id FROM grids WHERE code = $1", [code]).first else {
            throw ButlerError(.notFound, field: "grid", "网格 \(code) 不存在")
        }
        try requireProject(try row.decode(0), "管理网格 \(code)")
    }

    /// The project whose grids the actor may list: nil for the whole company (agents).
    public func gridListProject() throws -> String? {
        try requireRole([.manager, .agent], to: "查看网格列表")
        guard actor.role == .manager else { return nil }
        guard let id = actor.projectID,
              let code: String = try db.query("SELECT code FROM projects WHERE id = $1", [id]).first.map({ try $0.decode(0) })
        else { throw ButlerError(.forbidden, "\(actor.employeeNo) 没有所属项目") }
        return code
    }

    // MARK: Repair orders (issue 14, 000). The database checks the same again (schema 0016).

    /// Opening an order: the call centre for any house; a manager for their project's.
    public func mayOpenRepair(projectID: Int, house: String) throws {
        if actor.role == .agent { return }
        try requireRole([.agent, .manager], to: "为 \(house) 开报修单")
        try requireProject(projectID, "为 \(house) 开报修单")
    }

    /// Seeing an order: agents all; managers their project's; technicians the orders dispatched
    /// to them and the undispatched ones of their project (to grab them).
    public func mayReadRepair(id: Int, projectID: Int, technicianID: Int?, status: RepairStatus) throws {
        switch actor.role {
        case .agent: return
        case .manager where actor.projectID == projectID: return
        case .technician where technicianID == actor.staffID: return
        case .technician where technicianID == nil && status == .open && actor.projectID == projectID: return
        default: throw ButlerError(.forbidden, field: "id", "\(actor.employeeNo)（\(actor.role.label)）无权查看报修单 #\(id)")
        }
    }

    /// Dispatching, reopening: the call centre (any order) and the project's manager.
    public func mayManageRepair(id: Int, projectID: Int, _ what: String) throws {
        if actor.role == .agent { return }
        try requireRole([.agent, .manager], to: "\(what)报修单 #\(id)")
        try requireProject(projectID, "\(what)报修单 #\(id)")
    }

    /// The follow-up call and its rating: the call centre's (000: 440客服人员在两天内进行回访), never
    /// the project's own manager, whose project the ratings assess.
    public func mayFollowUpRepair(id: Int) throws {
        try requireRole([.agent], to: "回访报修单 #\(id)（回访由客服中心完成）")
    }

    /// Grabbing (抢单): a technician of the order's project.
    public func mayGrabRepair(id: Int, projectID: Int) throws {
        try requireRole([.technician], to: "抢报修单 #\(id)")
        try requireProject(projectID, "抢报修单 #\(id)")
    }

    /// Signing, contacting, completing, a delay reason: the order's technician only.
    public func mayWorkRepair(id: Int, technician: (id: Int, employeeNo: String)?, _ what: String) throws {
        try requireRole([.technician], to: "\(what)报修单 #\(id)")
        guard let technician else {
            throw ButlerError(.conflict, field: "id", "报修单 #\(id) 还没有派给维修工，不能\(what)（请先派工或抢单）")
        }
        guard technician.id == actor.staffID else {
            throw ButlerError(.forbidden, field: "id", "报修单 #\(id) 派给了 \(technician.employeeNo)，\(actor.employeeNo) 不能\(what)")
        }
    }

    /// Whose orders a list shows: nil project and technician for the whole company (agents).
    public func repairListScope() throws -> (projectID: Int?, technicianID: Int?) {
        switch actor.role {
        case .agent: return (nil, nil)
        case .manager where actor.projectID != nil: return (actor.projectID, nil)
        case .technician: return (actor.projectID, actor.staffID)
        default: throw ButlerError(.forbidden, "\(actor.employeeNo)（\(actor.role.label)）无权查看报修单")
        }
    }

    // MARK: Fee arrears (issue 15, 002 #21). The database checks the same again (schema 0019).

    /// Whose arrears amounts a list shows: a manager their project's (nil butler); a butler the
    /// houses of the grids they serve today (their project, their staff id). Agents and
    /// technicians never see amounts.
    public func arrearsScope() throws -> (projectID: Int, butlerID: Int?) {
        try requireRole([.manager, .butler], to: "查看欠费金额")
        guard let project = actor.projectID else { throw ButlerError(.forbidden, "\(actor.employeeNo) 没有所属项目") }
        return (project, actor.role == .butler ? actor.staffID : nil)
    }

    private func requireProject(_ projectID: Int, _ action: String) throws {
        guard actor.projectID == projectID else {
            throw ButlerError(.forbidden, "\(actor.employeeNo) 无权\(action)：不在其所属项目内")
        }
    }
}

extension StaffRole {
    /// A role this build does not know gets no rights (never a default one).
    static func decoding(_ text: String) throws -> StaffRole {
        guard let role = StaffRole(rawValue: text) else { throw ButlerError(.forbidden, "角色 \(text) 在此版本中没有任何权限") }
        return role
    }
}
