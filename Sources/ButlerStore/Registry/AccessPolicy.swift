import ButlerCore
import Postgres

/// Who may do what through the API: agents look up and record contacts; butlers see and
/// complete their own tasks; managers assign grids and see their project.
public struct AccessPolicy {
    let db: Connection

    public init(db: Connection) { self.db = db }

    public func requireRole(_ principal: Principal, _ roles: Set<StaffRole>, to action: String) throws {
        guard roles.contains(principal.role) else {
            throw ButlerError(.forbidden, "a \(principal.role.rawValue) may not \(action)")
        }
    }

    /// A butler sees their own list; a manager the lists of butlers serving their project.
    public func mayReadTasks(of employee: String, _ principal: Principal) throws {
        if principal.role == .butler && principal.employeeNo == employee { return }
        if principal.role == .manager, let project = principal.projectID {
            let serves = try db.query("""
                SELECT 1 FROM staff st JOIN grid_assignments ga ON ga.staff_id = st.id
                WHERE st.employee_no = $1 AND ga.project_id = $2 AND (ga.to_date IS NULL OR ga.to_date >= current_date) LIMIT 1
                """, [employee, project])
            if !serves.isEmpty { return }
        }
        throw ButlerError(.forbidden, "\(principal.employeeNo) may not see the tasks of \(employee)")
    }

    /// A butler completes tasks on their own list; a manager any task of their project.
    public func mayComplete(task id: Int, _ principal: Principal) throws {
        guard let row = try db.query("""
            SELECT t.project_id,
                   t.staff_id = $2 OR EXISTS (SELECT 1 FROM grid_assignments ga WHERE ga.grid_id = t.grid_id AND ga.staff_id = $2
                                              AND ga.from_date <= current_date AND (ga.to_date IS NULL OR ga.to_date >= current_date))
            FROM tasks t WHERE t.id = $1
            """, [id, principal.staffID]).first else { throw ButlerError(.notFound, "task \(id) does not exist") }
        let project: Int = try row.decode(0)
        let own = try row.decode(1, as: Bool?.self) ?? false
        if principal.role == .butler && own { return }
        if principal.role == .manager && principal.projectID == project { return }
        throw ButlerError(.forbidden, "\(principal.employeeNo) may not complete task \(id)")
    }

    /// Managers act on grids of their own project only.
    public func mayManage(grid code: String, _ principal: Principal) throws {
        try requireRole(principal, [.manager], to: "assign grids")
        guard let row = try db.query("SELECT project_id FROM grids WHERE code = $1", [code]).first else {
            throw ButlerError(.notFound, "grid \(code) does not exist")
        }
        guard try row.decode(0, as: Int.self) == principal.projectID else {
            throw ButlerError(.forbidden, "grid \(code) is not in \(principal.employeeNo)'s project")
        }
    }

    /// Agents see any house; managers their project's; butlers the houses of their grids.
    public func mayRead(house text: String, _ principal: Principal) throws {
        let house = try RegistryLookup(db: db).house(text)
        switch principal.role {
        case .agent: return
        case .manager where principal.projectID == house.projectID: return
        case .butler:
            let mine = try db.query("""
                SELECT 1 FROM grid_houses gh JOIN grid_assignments ga ON ga.grid_id = gh.grid_id
                WHERE gh.house_id = $1 AND ga.staff_id = $2 AND ga.from_date <= current_date
                  AND (ga.to_date IS NULL OR ga.to_date >= current_date)
                """, [house.id, principal.staffID])
            if !mine.isEmpty { return }
        default: break
        }
        throw ButlerError(.forbidden, "\(principal.employeeNo) may not see house \(house.code)")
    }

    /// The project code a manager's lists are limited to.
    public func projectCode(of principal: Principal) throws -> String? {
        guard let id = principal.projectID else { return nil }
        return try db.query("SELECT code FROM projects WHERE id = $1", [id]).first.map { try $0.decode(0) }
    }
}
