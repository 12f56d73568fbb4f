import CLibPQ
import Foundation

/// A libpq connection string (`host=… dbname=…`) or URI (`postgresql://…`), checked before use.
enum ConnectionString {
    /// Throws a ``PostgresError/Kind/configuration`` error with libpq's reason when `text` is
    /// neither form. (Handed to libpq as `dbname`, a malformed string would be a database name.)
    static func validate(_ text: String) throws(PostgresError) {
        var message: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(text, &message) else {
            let reason = message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let message { PQfreemem(message) }
            throw PostgresError(kind: .configuration, message: reason ?? "out of memory while reading the connection string")
        }
        PQconninfoFree(options)
    }
}
