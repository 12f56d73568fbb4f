import ButlerCore
import ButlerStore
import ButlerTestSupport
import Foundation
import Postgres
import Testing

/// Files into empty tables load without keys, indexes and per-row foreign-key triggers; the
/// keys, indexes and foreign keys (also those of other tables pointing at the loaded ones) are
/// the same afterwards, and a failure leaves everything as it was.
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
            SELECT 'c ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
            WHERE connamespace = current_schema()::regnamespace
            UNION ALL
            SELECT 'i ' || pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
            WHERE c.relnamespace = current_schema()::regnamespace
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

    @Test func residentsIntoEmptyTables_keepKeysAndReimportChangesNothing() throws {
        let houseCount = Importer.progressThreshold + 1
        _ = try Importer(db: db).run(.houses, table: try CSVTable.parse(houses(houseCount), fileName: "houses.csv"))
        let before = try catalog()
        var text = "project,building,unit,room,name,phone,role,move_in_date,tags\n"
        for i in 0..<houseCount {
            // Every tenth person also lives in the next house: one person, two houses.
            let person = i - (i % 10 == 1 ? 1 : 0)
            text += "YS01,\(i / 1000 + 1),\(i / 100 % 10 + 1),\(i % 100 + 101),住户\(person),139\(String(format: "%08d", person)),owner,,\n"
        }
        let file = try CSVTable.parse(text, fileName: "residents.csv")
        let first = try Importer(db: db).run(.residents, table: file)
        #expect(first.inserted == houseCount && first.updated == 0)
        #expect(try catalog() == before)
        let people = try db.query("SELECT count(*), count(DISTINCT phone) FROM residents")[0]
        #expect(try people.decode(0, as: Int.self) == houseCount - (houseCount + 8) / 10)
        #expect(try db.query("SELECT count(*) FROM resident_phones")[0].decode(0, as: Int.self) == (try people.decode(0, as: Int.self)))
        let again = try Importer(db: db).run(.residents, table: file)
        #expect(again.inserted == 0 && again.updated == 0 && again.unchanged == houseCount)
        // The unique key is back and enforced.
        #expect(throws: PostgresError.self) {
            try db.execute("INSERT INTO residents (name, phone) SELECT name, phone FROM residents LIMIT 1")
        }
    }

    @Test func errorsOfABigFile_inLineOrderAcrossValidationChunks() throws {
        var text = houses(12_000)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[2] = "YS01,1,1,999,1,88.5,self,2020-13-01,no"        // line 3: bad date
        lines[11_000] = "YS01,1,1,998,1,88.5,owner,2020-01-01,no"   // line 11001: bad occupancy
        lines[11_500] = lines[1]                                    // line 11501: duplicate of line 2
        text = lines.joined(separator: "\n")
        do {
            _ = try Importer(db: db).run(.houses, table: try CSVTable.parse(text, fileName: "houses.csv"))
            Issue.record("expected the import to fail")
        } catch let error as ButlerError {
            #expect(error.messages.map { $0.prefix(while: { $0 != ":" }) + ":" + $0.split(separator: ":")[1] } == [
                "houses.csv:3", "houses.csv:11001", "houses.csv:11501"])
            #expect(error.messages.last?.contains("与第 2 行重复") == true)
        }
        #expect(try db.query("SELECT count(*) FROM houses")[0].decode(0, as: Int.self) == 0)
    }
}
