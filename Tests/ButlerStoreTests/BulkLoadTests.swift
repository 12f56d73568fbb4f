import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

/// Big files into empty tables load without per-row foreign-key triggers; the indexes and
/// foreign keys are the same afterwards, and a failure leaves everything as it was.
@Suite struct BulkLoadTests {
    let schema: TestSchema
    let db: Connection

    init() throws {
        schema = try TestSchema()
        db = try schema.connect()
        _ = try Importer(db: db).run(.projects, table: try CSVTable.parse("code,name\nYS01,玉山花园\n", fileName: "projects.csv"))
    }

    private func catalog() throws -> [String] {
        try db.query("""
            SELECT 'c ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'houses'::regclass
            UNION ALL
            SELECT 'i ' || pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'houses'::regclass
            ORDER BY 1
            """).map { try $0.decode(0, as: String.self) }
    }

    private func houses(_ count: Int, badLast: Bool = false) -> String {
        var text = "project,building,unit,room,floor,area_m2,occupancy,move_in_date,holiday_home\n"
        for i in 0..<count {
            let project = badLast && i == count - 1 ? "NOPE" : "YS01"
            text += "\(project),\(i / 1000 + 1),\(i / 100 % 10 + 1),\(i % 100 + 101),\(i % 30 + 1),88.5,self,2020-01-01,no\n"
        }
        return text
    }

    @Test func bigImportIntoEmptyTable_keepsIndexesAndForeignKeys() throws {
        let before = try catalog()
        let report = try Importer(db: db).run(.houses, table: try CSVTable.parse(houses(Importer.progressThreshold + 1), fileName: "houses.csv"))
        #expect(report.inserted == Importer.progressThreshold + 1)
        #expect(try catalog() == before)
        // The foreign key is back and enforced.
        #expect(throws: PostgresError.self) {
            try db.execute("UPDATE houses SET project_id = 999999 WHERE room = '101' AND building = '1' AND unit = '1'")
        }
    }

    @Test func failingBigImport_leavesNothingAndKeepsTheSchema() throws {
        let before = try catalog()
        #expect(throws: ButlerError.self) {
            try Importer(db: db).run(.houses, table: try CSVTable.parse(houses(Importer.progressThreshold + 1, badLast: true), fileName: "houses.csv"))
        }
        #expect(try catalog() == before)
        #expect(try db.query("SELECT count(*) FROM houses")[0].decode(0, as: Int.self) == 0)
    }
}
