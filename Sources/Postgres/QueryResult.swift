import CLibPQ

/// The rows of one statement. Owns its `PGresult` and clears it when released.
public final class QueryResult: RandomAccessCollection {
    let handle: OpaquePointer
    public let startIndex = 0
    public let endIndex: Int
    public let columnCount: Int
    /// Rows changed by an INSERT/UPDATE/DELETE/COPY (`PQcmdTuples`), 0 otherwise.
    public let affectedRows: Int

    init(handle: OpaquePointer) {
        self.handle = handle
        self.endIndex = Int(PQntuples(handle))
        self.columnCount = Int(PQnfields(handle))
        self.affectedRows = Int(String(cString: PQcmdTuples(handle))) ?? 0
    }

    deinit { PQclear(handle) }

    public subscript(position: Int) -> Row { Row(result: self, index: Int32(position)) }

    public var columnNames: [String] {
        (0..<columnCount).map { String(cString: PQfname(handle, Int32($0))) }
    }

    public func columnIndex(_ name: String) -> Int? {
        let i = Int(PQfnumber(handle, name))
        return i >= 0 ? i : nil
    }
}

/// One row of a ``QueryResult``; columns are read by position (0-based) or by name.
public struct Row {
    let result: QueryResult
    let index: Int32

    /// The raw text of a column, `nil` when it is SQL `NULL`.
    public func text(_ column: Int) throws(PostgresError) -> String? {
        guard column >= 0, column < result.columnCount else {
            throw PostgresError(kind: .usage, message: "column \(column) out of range (\(result.columnCount) columns)")
        }
        if PQgetisnull(result.handle, index, Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(result.handle, index, Int32(column)))
    }

    /// A non-NULL column; `NULL` is an error.
    public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws(PostgresError) -> T {
        guard let text = try text(column) else {
            throw PostgresError(kind: .decoding, message: "column \(result.columnNames[column]) is NULL, expected \(T.self)")
        }
        return try T(postgresText: text)
    }

    /// A column that may be `NULL`.
    public func decode<T: PostgresDecodable>(_ column: Int, as type: T?.Type = T?.self) throws(PostgresError) -> T? {
        guard let text = try text(column) else { return nil }
        return try T(postgresText: text)
    }

    public func decode<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws(PostgresError) -> T {
        try decode(try position(of: name), as: T.self)
    }

    public func decode<T: PostgresDecodable>(_ name: String, as type: T?.Type = T?.self) throws(PostgresError) -> T? {
        try decode(try position(of: name), as: T?.self)
    }

    private func position(of name: String) throws(PostgresError) -> Int {
        guard let i = result.columnIndex(name) else {
            throw PostgresError(kind: .usage, message: "no column named \(name)")
        }
        return i
    }
}
