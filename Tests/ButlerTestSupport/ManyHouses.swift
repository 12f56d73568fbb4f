import ButlerStore
import Postgres

/// Adds `count` houses to the small registry (YS01, building 10, unit 1, rooms 1…count), each
/// with one resident named 王 + the room number: more matches for `name=王` than a page holds.
/// With the small registry's 王伟, `王` then matches count + 1 houses.
public func seedManyWangs(_ db: Connection, count: Int) throws {
    let importer = Importer(db: db)
    var houses = "project,building,unit,room,floor,area_m2,occupancy,move_in_date,holiday_home\n"
    var residents = "project,building,unit,room,name,phone,role,move_in_date,tags\n"
    for room in 1...count {
        houses += "YS01,10,1,\(room),1,90,self,,no\n"
        residents += "YS01,10,1,\(room),王\(room),139\(10_000_000 + room),owner,,\n"
    }
    _ = try importer.run(.houses, table: try CSVTable.parse(houses, fileName: "houses.csv"))
    _ = try importer.run(.residents, table: try CSVTable.parse(residents, fileName: "residents.csv"))
}
