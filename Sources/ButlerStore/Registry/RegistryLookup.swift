import ButlerCore
import Postgres

/// Resolving the identifiers people type (project codes, employee numbers, house codes)
/// into rows, with errors that say what is missing.
struct RegistryLookup {
    let db: Connection

    func projectID(_ code: String) throws -> Int {
        guard let row = try db.query("SELECT id FROM projects WHERE code = $1", [code]).first else {
            throw ButlerError(.notFound, field: "project", "项目 \(code) 不存在")
        }
        return try row.decode(0)
    }

    struct StaffRow {
        let id: Int
        let name: String
        let role: StaffRole
        let projectID: Int?
    }

    /// `field`: the input that named the person (`by` for who acts, `butler`, `agent`, `staff`).
    func staff(_ employeeNo: String, field: String = "by") throws -> StaffRow {
        guard let row = try db.query("SELECT id, name, role, project_id FROM staff WHERE employee_no = $1", [employeeNo]).first else {
            throw ButlerError(.notFound, field: field, "员工编号 \(employeeNo) 不存在")
        }
        return StaffRow(id: try row.decode(0), name: try row.decode(1), role: try StaffRole.decoding(row.decode(2)),
                        projectID: try row.decode(3))
    }

    struct HouseRow {
        let id: Int
        let projectID: Int
        let code: String
    }

    func house(_ text: String) throws -> HouseRow {
        guard let code = HouseCode(text) else {
            throw ButlerError(.invalidInput, field: "house", "“\(text)”不是房屋编码（项目/楼栋-单元-房号，例如 YS01/3-2-1502）")
        }
        guard let row = try db.query("SELECT id, project_id FROM houses WHERE code = $1", [code.description]).first else {
            throw ButlerError(.notFound, field: "house", "房屋 \(code) 不存在")
        }
        return HouseRow(id: try row.decode(0), projectID: try row.decode(1), code: code.description)
    }
}

extension RegistryLookup {
    /// The grid a house is in (tasks about the house go to that grid's butler).
    func gridID(house: Int) throws -> Int? {
        try db.query("SELECT grid_id FROM grid_houses WHERE house_id = $1", [house]).first.map { try $0.decode(0) }
    }
}
