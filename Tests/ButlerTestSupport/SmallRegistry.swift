import ButlerStore
import Postgres

/// A small registry: one project, two grids, a move-in, an unpaid entrustment, a vacant house.
public func seedRegistry(_ db: Connection) throws {
    let importer = Importer(db: db)
    func load(_ kind: ImportKind, _ text: String) throws {
        _ = try importer.run(kind, table: try CSVTable.parse(text, fileName: "\(kind).csv"))
    }
    try load(.projects, "code,name\nYS01,玉山花园\n")
    try load(.staff, "employee_no,name,phone,role,project\nE1001,梁涵淑,13800000001,butler,YS01\nE1002,张月,13800000002,butler,YS01\nE9001,坐席,13800000009,agent,\n")
    try load(.houses, """
        project,building,unit,room,floor,area_m2,occupancy,move_in_date,holiday_home
        YS01,1,1,101,1,90,self,2026-11-20,no
        YS01,1,1,102,1,90,vacant_furnished,,no
        YS01,1,1,103,1,90,self,2020-01-01,yes
        YS01,2,1,101,1,90,vacant_bare,,no

        """)
    try load(.residents, "project,building,unit,room,name,phone,role,move_in_date,tags\nYS01,1,1,101,王伟,13900000001,owner,2026-11-20,elderly_alone\n")
    try load(.grids, """
        grid,project,name,phone,building,unit,butler,from
        YS01-G01,YS01,1号片区,057188880001,1,,E1001,2026-01-01
        YS01-G02,YS01,2号片区,057188880002,2,,E1002,2026-01-01

        """)
    try load(.entrustments, "project,building,unit,room,kind,from,to,keys\nYS01,1,1,103,unpaid,2026-01-01,,1\n")
}


/// The small registry's project manager, E8001 of YS01 (escalations and managers' lists).
public func seedManager(_ db: Connection) throws {
    _ = try Importer(db: db).run(.staff, table: try CSVTable.parse(
        "employee_no,name,phone,role,project\nE8001,项目经理,13800000008,manager,YS01\n", fileName: "staff.csv"))
}
