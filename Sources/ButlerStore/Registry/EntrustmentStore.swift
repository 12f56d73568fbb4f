import ButlerCore
import Postgres

/// 委托代管: houses handed to the butler, unpaid (monthly check) or paid (特约服务).
public struct EntrustmentStore {
    let db: Connection

    public init(db: Connection) { self.db = db }

    /// Records an entrustment; overlapping another of the same house is refused.
    public func entrust(house: String, kind: EntrustmentKind, from: Day, to: Day?, keys: Int) throws -> Int {
        if let to, to < from { throw ButlerError(.invalidInput, field: "to", "结束日期 \(to) 早于开始日期 \(from)") }
        guard (0...99).contains(keys) else { throw ButlerError(.invalidInput, field: "keys", "钥匙数须在 0 到 99 之间") }
        let target = try RegistryLookup(db: db).house(house)
        do {
            return try db.query("""
                INSERT INTO entrustments (house_id, project_id, kind, from_date, to_date, keys)
                VALUES ($1, $2, $3, $4::date, $5::date, $6) RETURNING id
                """, [target.id, target.projectID, kind.rawValue, from.description, to?.description, keys])[0].decode(0)
        } catch {
            guard error.isExclusionViolation else { throw error }
            let existing = try db.query("""
                SELECT from_date::text || '..' || coalesce(to_date::text, 'open') FROM entrustments
                WHERE house_id = $1 AND daterange(from_date, to_date, '[]') && daterange($2::date, $3::date, '[]')
                """, [target.id, from.description, to?.description]).map { try $0.decode(0, as: String.self) }
            throw ButlerError(.conflict, field: "from", "房屋 \(target.code) 已有委托 \(existing.joined(separator: "、"))；同一房屋的委托期不能重叠")
        }
    }
}
