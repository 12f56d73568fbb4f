@_spi(RawSQL) import Postgres

/// PostgreSQL's advice for populating a database ("Populating a Database" in its manual):
/// into an empty table, load first and build indexes and foreign keys afterwards. A foreign
/// key re-added is checked by one join; kept, it runs a trigger per row (measured: 2.9 of
/// 4.9 s for the company's houses). An index built once from sorted rows costs a fraction of
/// inserting every row into it. Inside the import's transaction, so an error leaves the
/// tables as they were. Only for empty tables (a first load): it locks them while it runs.
struct BulkLoad {
    let db: Connection
    /// What `finish` re-creates, in dependency order: keys before the foreign keys that use them.
    private var keys: [SQL] = []
    private var indexes: [SQL] = []
    private var foreignKeys: [SQL] = []
    private var analyze: [String] = []

    init(db: Connection) { self.db = db }

    /// Drops the foreign keys and plain (non-unique, not constraint-backing) indexes of those
    /// `tables` that are empty. With `keys`, when every one of `tables` is empty, also drops their
    /// primary keys, unique constraints and unique indexes (and the foreign keys of other tables
    /// that reference them), so the load can be plain INSERTs; returns whether it did.
    mutating func prepare(_ tables: [String], keys dropKeys: Bool = false) throws -> Bool {
        var empty: [String] = []
        // Two first imports at once: the second waits here, then finds the tables filled.
        for table in tables {
            try db.execute(SQL(unsafeRaw: "LOCK TABLE \(SQL.quoteIdentifier(table)) IN SHARE ROW EXCLUSIVE MODE"))
        }
        for table in tables {
            let isEmpty = try db.query(SQL(unsafeRaw: "SELECT NOT EXISTS (SELECT 1 FROM \(SQL.quoteIdentifier(table)))"))[0]
                .decode(0, as: Bool.self)
            if isEmpty { empty.append(table) }
        }
        let withKeys = dropKeys && empty.count == tables.count && !tables.isEmpty
        analyze = empty
        // Definitions come from the catalog, so they stay what the migrations made.
        // Foreign keys first: of the tables themselves, and (keys only) of others pointing at them.
        for row in try db.query("""
            SELECT DISTINCT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype = 'f' AND (conrelid = ANY($1::regclass[]) OR ($2 AND confrelid = ANY($1::regclass[])))
            ORDER BY 1, 2
            """, [empty, withKeys]) {
            let table = try row.decode(0, as: String.self), name = SQL.quoteIdentifier(try row.decode(1, as: String.self))
            try db.execute(SQL(unsafeRaw: "ALTER TABLE \(table) DROP CONSTRAINT \(name)"))
            foreignKeys.append(SQL(unsafeRaw: "ALTER TABLE \(table) ADD CONSTRAINT \(name) \(try row.decode(2, as: String.self))"))
        }
        for row in try db.query("""
            SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = ANY($1::regclass[]) AND ($2 OR NOT i.indisunique)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
            ORDER BY c.relname
            """, [empty, withKeys]) {
            try db.execute(SQL(unsafeRaw: "DROP INDEX \(SQL.quoteIdentifier(try row.decode(0, as: String.self)))"))
            indexes.append(SQL(unsafeRaw: try row.decode(1, as: String.self)))
        }
        guard withKeys else { return false }
        for row in try db.query("""
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype IN ('p', 'u') AND conrelid = ANY($1::regclass[]) ORDER BY 1, 2
            """, [empty]) {
            let table = try row.decode(0, as: String.self), name = SQL.quoteIdentifier(try row.decode(1, as: String.self))
            try db.execute(SQL(unsafeRaw: "ALTER TABLE \(table) DROP CONSTRAINT \(name)"))
            keys.append(SQL(unsafeRaw: "ALTER TABLE \(table) ADD CONSTRAINT \(name) \(try row.decode(2, as: String.self))"))
        }
        return true
    }

    /// Rebuilds what `prepare` dropped (each index in one pass, each foreign key checked by one
    /// join; a duplicate the load let through fails here and rolls the import back), then
    /// gathers statistics so the statements right after the load get sensible plans.
    func finish() throws {
        for statement in keys + indexes + foreignKeys { try db.execute(statement) }
        for table in analyze { try db.execute(SQL(unsafeRaw: "ANALYZE \(SQL.quoteIdentifier(table))")) }
    }
}
