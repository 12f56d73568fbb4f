import Postgres

/// PostgreSQL's advice for populating a database ("Populating a Database" in its manual):
/// into an empty table, load first and build secondary indexes and foreign keys afterwards.
/// A foreign key re-added is checked by one join; kept, it runs a trigger per row (measured:
/// 2.9 of 4.9 s for the company's houses). Inside the import's transaction, so an error
/// leaves the table as it was. Only for empty tables (a first load): it locks them while it runs.
struct BulkLoad {
    let db: Connection
    private var restore: [SQL] = []

    init(db: Connection) { self.db = db }

    /// Drops the foreign keys and plain (non-unique, not constraint-backing) indexes of those `tables` that are empty.
    mutating func prepare(_ tables: [String]) throws {
        for table in tables {
            let empty = try db.query(SQL(unsafeRaw: "SELECT NOT EXISTS (SELECT 1 FROM \(SQL.quoteIdentifier(table)))"))[0]
                .decode(0, as: Bool.self)
            guard empty else { continue }
            // Definitions come from the catalog, so they stay what the migrations made.
            for row in try db.query("""
                SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname
                """, [table]) {
                let name = SQL.quoteIdentifier(try row.decode(0, as: String.self))
                try db.execute(SQL(unsafeRaw: "ALTER TABLE \(SQL.quoteIdentifier(table)) DROP CONSTRAINT \(name)"))
                restore.append(SQL(unsafeRaw: "ALTER TABLE \(SQL.quoteIdentifier(table)) ADD CONSTRAINT \(name) \(try row.decode(1, as: String.self))"))
            }
            for row in try db.query("""
                SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = $1::regclass AND NOT i.indisunique AND NOT i.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
                ORDER BY c.relname
                """, [table]) {
                try db.execute(SQL(unsafeRaw: "DROP INDEX \(SQL.quoteIdentifier(try row.decode(0, as: String.self)))"))
                restore.append(SQL(unsafeRaw: try row.decode(1, as: String.self)))
            }
        }
    }

    /// Rebuilds what `prepare` dropped: indexes in one pass each, foreign keys checked by one join.
    func finish() throws {
        for statement in restore { try db.execute(statement) }
    }
}
