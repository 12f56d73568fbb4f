import CLibPQ
import Foundation

/// One libpq connection. Not `Sendable`: a connection belongs to one task or thread at a
/// time (share through ``ConnectionPool``, which hands out one at a time).
public final class Connection {
    private let handle: OpaquePointer
    /// SQL text → name of the server-side prepared statement.
    private var preparedStatements: [String: String] = [:]
    /// Names are never reused: an evicted statement may still exist on the server.
    private var preparedCount = 0
    private var transactionDepth = 0

    /// Whether a ``transaction(_:)`` is open on this connection (work that relies on
    /// transaction-scoped state, such as `ON COMMIT DELETE ROWS` temp tables, checks it).
    public var inTransaction: Bool { transactionDepth > 0 || PQtransactionStatus(handle) == PQTRANS_INTRANS }

    /// Connects from a libpq connection string or URI (`postgresql://…` or `host=… dbname=…`).
    ///
    /// The string is handed to libpq whole (`expand_dbname`); `settings` adds keywords on top of it,
    /// e.g. `["options": "-c search_path=s1,public"]` or `["application_name": "butler"]`.
    /// A malformed string is a ``PostgresError/Kind/configuration`` error before anything is tried
    /// (libpq alone would take `not a url` for a database name on the default socket).
    public init(_ conninfo: String, settings: [String: String] = [:]) throws(PostgresError) {
        try ConnectionString.validate(conninfo)
        var keywords = ["dbname"] + settings.keys.sorted()
        var values = [conninfo] + settings.keys.sorted().map { settings[$0] ?? "" }
        if settings["application_name"] == nil {
            keywords.append("fallback_application_name")
            values.append("butler")
        }
        let connection: OpaquePointer? = withCStringArray(keywords) { k in
            withCStringArray(values) { v in PQconnectdbParams(k, v, 1) }
        }
        guard let connection else {
            throw PostgresError(kind: .connection, message: "out of memory while connecting")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(connection)
            throw PostgresError(kind: .connection, message: message.isEmpty ? "could not connect" : message)
        }
        self.handle = connection
        // NOTICEs ("relation already exists, skipping") are not for end users.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// Whether the connection is still usable (a broken one should be discarded).
    public var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Whether an idle connection has heard from the server since its last statement, found
    /// without a round trip. Between statements the server sends nothing but its goodbye (the
    /// 57P01 error of a restart or `pg_terminate_backend`, then end of file), or a rare
    /// ParameterStatus after a configuration reload: either way the connection is not worth
    /// keeping. libpq itself notices only on the next round trip.
    public var heardFromServerWhileIdle: Bool {
        let socket = PQsocket(handle)
        guard socket >= 0 else { return true }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) != 0
    }

    /// The server's version number, e.g. 150018.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Runs one statement with bound parameters (`$1`, `$2`, …) and returns its rows.
    ///
    /// Literal statements are prepared on first use and reused on this connection.
    ///
    /// A prepared statement the server no longer accepts (a table it reads changed shape, 0A000
    /// "cached plan must not change result type"; or it is gone, 26000) is evicted and prepared
    /// again. Outside a transaction the statement is then retried once: the failed attempt did
    /// nothing. Inside one the server has already aborted the transaction, so a retry cannot help:
    /// the error says to run the transaction again (which then prepares afresh).
    @discardableResult
    public func query(_ sql: SQL, _ parameters: [any PostgresBindable] = []) throws(PostgresError) -> QueryResult {
        let texts = parameters.map(\.postgresText)
        do {
            return try run(sql, texts)
        } catch where sql.isCacheable && error.invalidatesPreparedStatement {
            let stale = preparedStatements.removeValue(forKey: sql.text)
            guard PQtransactionStatus(handle) == PQTRANS_IDLE else {
                var aborted = error
                aborted.message += "; the prepared statement was discarded: run the transaction again"
                throw aborted
            }
            if let stale { PQclear(PQexec(handle, "DEALLOCATE " + stale)) }
            return try run(sql, texts)
        }
    }

    private func run(_ sql: SQL, _ texts: [String?]) throws(PostgresError) -> QueryResult {
        let result: OpaquePointer? = try withParameters(texts) { (values) throws(PostgresError) -> OpaquePointer? in
            if sql.isCacheable {
                let name = try preparedName(for: sql, count: texts.count)
                return PQexecPrepared(handle, name, Int32(texts.count), values, nil, nil, 0)
            }
            return PQexecParams(handle, sql.text, Int32(texts.count), nil, values, nil, nil, 0)
        }
        return try check(result)
    }

    /// Runs one statement and returns the number of rows it changed.
    @discardableResult
    public func execute(_ sql: SQL, _ parameters: [any PostgresBindable] = []) throws(PostgresError) -> Int {
        try query(sql, parameters).affectedRows
    }

    /// Runs a whole SQL script (several statements, no parameters) such as a migration file.
    /// Only for text shipped with the program, never for user input: SPI like ``SQL/init(unsafeRaw:)``.
    @_spi(RawSQL)
    public func runScript(_ script: String) throws(PostgresError) {
        _ = try check(PQexec(handle, script))
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// Nested calls use savepoints.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let depth = transactionDepth
        try runScript(depth == 0 ? "BEGIN" : "SAVEPOINT s\(depth)")
        transactionDepth += 1
        defer { transactionDepth = depth }
        do {
            let value = try body()
            try runScript(depth == 0 ? "COMMIT" : "RELEASE SAVEPOINT s\(depth)")
            return value
        } catch {
            if isHealthy {
                try? runScript(depth == 0 ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT s\(depth)")
            }
            throw error
        }
    }

    /// Bulk load with `COPY … FROM STDIN` (text format). Each row is one array of column
    /// values, `nil` for NULL. Returns the number of rows copied.
    @discardableResult
    public func copy(_ sql: SQL, rows: some Sequence<[String?]>) throws(PostgresError) -> Int {
        let start = PQexec(handle, sql.text)
        guard let start, PQresultStatus(start) == PGRES_COPY_IN else {
            _ = try check(start)
            throw PostgresError(kind: .usage, message: "statement is not COPY … FROM STDIN")
        }
        PQclear(start)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 17)
        var failure: PostgresError?
        /// Sends the buffer; false once libpq refuses it. The server's own errors (a constraint,
        /// a bad value) arrive only after PQputCopyEnd; PQputCopyData fails when the connection
        /// does (terminated backend, network): then nothing more is read from `rows`.
        func flush() -> Bool {
            guard !buffer.isEmpty else { return true }
            let status = buffer.withUnsafeBufferPointer { raw in
                raw.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
            }
            buffer.removeAll(keepingCapacity: true)
            // libpq reports a lost connection once, then discards what it is given: check both.
            guard status == 1, isHealthy else {
                failure = PostgresError(kind: .connection, message: lastErrorMessage)
                return false
            }
            return true
        }
        for row in rows {
            for (i, value) in row.enumerated() {
                if i > 0 { buffer.append(9) }
                if let value { CopyText.escape(value, into: &buffer) } else { buffer.append(contentsOf: [92, 78]) }
            }
            buffer.append(10)
            if buffer.count >= 1 << 16, !flush() { break }
        }
        if failure == nil { _ = flush() }
        if failure == nil { PQputCopyEnd(handle, nil) } else { PQputCopyEnd(handle, "client failed") }
        var copied = 0
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            if PQresultStatus(result) != PGRES_COMMAND_OK, failure == nil {
                failure = serverError(result)
            } else {
                copied = Int(String(cString: PQcmdTuples(result))) ?? copied
            }
        }
        if let failure { throw failure }
        return copied
    }

    // MARK: - Internals

    private var lastErrorMessage: String {
        String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func preparedName(for sql: SQL, count: Int) throws(PostgresError) -> String {
        if let name = preparedStatements[sql.text] { return name }
        let name = "p\(preparedCount)"
        preparedCount += 1
        let result = PQprepare(handle, name, sql.text, Int32(count), nil)
        _ = try check(result)
        preparedStatements[sql.text] = name
        return name
    }

    private func check(_ result: OpaquePointer?) throws(PostgresError) -> QueryResult {
        guard let result else {
            throw PostgresError(kind: .connection, message: lastErrorMessage)
        }
        // A new session (after PQreset) knows none of the old statements.
        if !isHealthy { preparedStatements.removeAll() }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return QueryResult(handle: result)
        default:
            let error = serverError(result)
            PQclear(result)
            throw error
        }
    }

    private func serverError(_ result: OpaquePointer) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            guard let value = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: value)
        }
        let sqlState = field(UInt8(ascii: "C"))
        let message = field(UInt8(ascii: "M")) ?? lastErrorMessage
        return PostgresError(
            kind: isHealthy && sqlState != nil ? .server : .connection,
            message: message,
            sqlState: sqlState,
            detail: field(UInt8(ascii: "D")),
            hint: field(UInt8(ascii: "H")),
            constraint: field(UInt8(ascii: "n"))
        )
    }
}

/// Escaping for COPY's text format: backslash, tab, newline and carriage return.
enum CopyText {
    static func escape(_ value: String, into buffer: inout [UInt8]) {
        for byte in value.utf8 {
            switch byte {
            case 92: buffer.append(92); buffer.append(92)
            case 9: buffer.append(92); buffer.append(116)
            case 10: buffer.append(92); buffer.append(110)
            case 13: buffer.append(92); buffer.append(114)
            default: buffer.append(byte)
            }
        }
    }
}

/// Calls `body` with a NULL-terminated array of C strings that live for the call.
private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    let duplicates = strings.map { strdup($0) }
    defer { duplicates.forEach { free($0) } }
    let pointers = duplicates.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// Calls `body` with parameter values as C strings (`nil` for NULL).
private func withParameters<R>(
    _ values: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws(PostgresError) -> R
) throws(PostgresError) -> R {
    if values.isEmpty { return try body(nil) }
    // A C string ends at NUL: libpq would send "before\0after" as "before", silently. PostgreSQL
    // text cannot hold NUL at all, so it is refused as the server refuses it (22021).
    if values.contains(where: { $0?.utf8.contains(0) == true }) {
        throw PostgresError(kind: .usage, message: "a text value contains a NUL character (U+0000), which cannot be stored",
                            sqlState: "22021")
    }
    let duplicates = values.map { $0.map { strdup($0) } ?? nil }
    defer { duplicates.forEach { free($0) } }
    let pointers = duplicates.map { $0.map { UnsafePointer($0) } }
    return try pointers.withUnsafeBufferPointer { (buffer) throws(PostgresError) -> R in try body(buffer.baseAddress) }
}
