import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

/// 13 #8: houses are listed by building, unit and room as numbers where they are numbers.
@Suite struct NaturalOrderTests {
    @Test func houseCodes_compareDigitRunsAsNumbers() {
        let codes = ["YS01/1-3-2703", "YS01/10-1-101", "YS01/1-3-503", "YS01/2-1-101", "YS01/A-1-101", "YS01/1-10-101"]
        #expect(codes.sorted(by: HouseCode.naturalOrder)
                == ["YS01/1-3-503", "YS01/1-3-2703", "YS01/1-10-101", "YS01/2-1-101", "YS01/10-1-101", "YS01/A-1-101"])
    }

    @Test func theDailyList_ordersHousesNaturally() throws {
        let schema = try TestSchema()
        let db = try schema.connect()
        try seedRegistry(db)
        // Three more move-ins on the same day in building 1 (grid YS01-G01 of E1001): same
        // standard, priority and due, so only the house decides the order.
        _ = try Importer(db: db).run(.houses, table: try CSVTable.parse("""
            project,building,unit,room,floor,area_m2,occupancy,move_in_date,holiday_home
            YS01,1,1,1001,10,90,self,2026-11-20,no
            YS01,1,1,201,2,90,self,2026-11-20,no
            YS01,1,2,1501,15,90,self,2026-11-20,no

            """, fileName: "houses.csv"))
        _ = try GridStore(db: db).cover(grid: "YS01-G01", building: "1", unit: nil, move: true)
        let day = try #require(Day("2026-11-23"))
        _ = try Planner(db: db).plan(date: day)
        let list = try DailyListStore(db: db).list(butler: "E1001", on: day, now: day.startOfDay().addingTimeInterval(9 * 3600))
        let moveIns = list.tasks.filter { $0.standard == "move_in_visit" }.compactMap(\.house)
        // Text order would put 1-1-1001 before 1-1-101 and 1-1-201.
        #expect(moveIns == ["YS01/1-1-101", "YS01/1-1-201", "YS01/1-1-1001", "YS01/1-2-1501"])
    }
}
