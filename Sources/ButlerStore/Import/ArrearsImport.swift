import ButlerCore
import Foundation
import Postgres

/// 002 #21: the fee system's snapshot of what each house owes per period (butler does not bill).
/// Amounts are yuan with at most two decimals, stored as fen. Upsert by house and period: a later
/// snapshot updates the amounts, and every change is kept in `arrears_history` (schema 0019's
/// triggers), so when a debt was paid stays visible. A payment that clears a house's arrears
/// closes its open arrears tasks as paid, at the import's clock.
enum ArrearsImport: TableImport {
    /// The history too: on a first load its indexes are built once, after the triggers fill it.
    static let targetTables = ["arrears", "arrears_history"]
    static let required = ["project", "building", "unit", "room", "period", "amount_due", "amount_paid"]
    static let optional: [String] = []
    static let staging: SQL = """
        CREATE TEMP TABLE import_staging (line integer, house text, period date, due bigint, paid bigint) ON COMMIT DROP
        """
    static let copy: SQL = "COPY import_staging (line, house, period, due, paid) FROM STDIN"
    static let checks: [SQL] = [unknownHouseCheck]

    static func stage(_ row: inout RowValidator) -> (values: [String?], key: String) {
        let house = HouseReference(&row)
        let period = Self.period(&row)
        let due = amount(&row, "amount_due")
        let paid = amount(&row, "amount_paid")
        if let due, let paid, paid > due {
            row.fail("amount_paid", "已缴 \(Fen.yuan(paid)) 元多于应缴 \(Fen.yuan(due)) 元（每期已缴不能超过应缴）")
        }
        return ([house.code, period?.first.description, due.map(String.init), paid.map(String.init)],
                "\(house.code) \(period?.description ?? row.record["period"])")
    }

    /// `YYYY-MM`, not after the importer's month: a snapshot reports what was billed, not what will be.
    private static func period(_ row: inout RowValidator) -> YearMonth? {
        let text = row.text("period")
        guard !text.isEmpty else { return nil }
        guard text.count == 7, let month = YearMonth(text) else {
            row.fail("period", "'\(text)' 不是月份（YYYY-MM，例如 2026-09）")
            return nil
        }
        if let today = row.today, month > today.monthOfYear {
            row.fail("period", "\(month) 还没有到（今天是 \(today)）：快照只含已开账的月份")
            return nil
        }
        if month.year < 2000 {
            row.fail("period", "\(month) 早于 2000-01")
            return nil
        }
        return month
    }

    private static func amount(_ row: inout RowValidator, _ column: String) -> Int? {
        let text = row.text(column)
        guard !text.isEmpty else { return nil }
        switch Fen.parse(yuan: text) {
        case .success(let fen): return fen
        case .failure(.negative): row.fail(column, "'\(text)' 是负数：金额不能为负")
        case .failure(.tooManyDecimals): row.fail(column, "'\(text)' 超过两位小数：金额以元为单位，最多到分")
        case .failure(.tooLarge): row.fail(column, "'\(text)' 太大，不像一期物业费")
        case .failure(.notANumber): row.fail(column, "'\(text)' 不是金额（元，最多两位小数，例如 356.40）")
        }
        return nil
    }

    /// Not reached: the importer passes its clock (below).
    static func upsert(_ db: Connection) throws -> UpsertCounts {
        throw PostgresError(kind: .usage, message: "ArrearsImport.upsert needs the importer's clock")
    }

    static func upsert(_ db: Connection, now: Date) throws -> UpsertCounts {
        let row = try db.query("""
            WITH up AS (
                INSERT INTO arrears (house_id, project_id, period, amount_due_fen, amount_paid_fen, updated_at)
                SELECT h.id, h.project_id, s.period, s.due, s.paid, $1
                FROM import_staging s JOIN houses h ON h.code = s.house
                ON CONFLICT (house_id, period) DO UPDATE
                SET amount_due_fen = EXCLUDED.amount_due_fen, amount_paid_fen = EXCLUDED.amount_paid_fen,
                    updated_at = EXCLUDED.updated_at
                WHERE (arrears.amount_due_fen, arrears.amount_paid_fen)
                    IS DISTINCT FROM (EXCLUDED.amount_due_fen, EXCLUDED.amount_paid_fen)
                RETURNING xmax = 0 AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up
            """, [now])[0]
        return UpsertCounts(inserted: try row.decode(0), updated: try row.decode(1))
    }

    /// Empty tables, keys dropped (BulkLoad): plain INSERTs, the keys built once afterwards
    /// (measured at company scale: the upsert was 24.5 s of a 59.9 s first import).
    static let hasFirstLoad = true

    static func firstLoad(_ db: Connection, now: Date) throws -> UpsertCounts {
        let inserted: Int = try db.query("""
            WITH up AS (
                INSERT INTO arrears (house_id, project_id, period, amount_due_fen, amount_paid_fen, updated_at)
                SELECT h.id, h.project_id, s.period, s.due, s.paid, $1
                FROM import_staging s JOIN houses h ON h.code = s.house
                RETURNING 1)
            SELECT count(*)::int FROM up
            """, [now])[0].decode(0)
        return UpsertCounts(inserted: inserted, updated: 0)
    }

    static func afterUpsert(_ db: Connection, now: Date) throws {
        _ = try ArrearsRule.closePaid(db, at: now)
    }
}
