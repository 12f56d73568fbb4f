import CSV
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Text encodings accepted for imported files (Excel in China saves GB18030).
public enum FileEncoding: String, CaseIterable, Sendable {
    case utf8
    case gb18030
}

/// One data row of a CSV file, with the line it starts on (the header is line 1).
public struct CSVRecord: Sendable {
    public let line: Int
    /// Values in header order; `columns` (shared by every record of a file) maps names to positions.
    let values: [String]
    let columns: [String: Int]

    public subscript(column: String) -> String {
        guard let i = columns[column], i < values.count else { return "" }
        return values[i].trimmedSpaces
    }
}

/// A CSV file read whole: header, records with line numbers, and the encoding it was in.
public struct CSVTable: Sendable {
    public let fileName: String
    public let header: [String]
    public let records: [CSVRecord]
    public let encoding: FileEncoding

    /// Reads and decodes `path`. Without `encoding`, a UTF-8 BOM or valid UTF-8 means UTF-8,
    /// anything else is decoded as GB18030.
    public static func read(path: String, encoding: FileEncoding? = nil) throws(ButlerError) -> CSVTable {
        let fileName = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ButlerError(.invalidInput, "\(path): cannot read the file (does it exist?)")
        }
        let (text, used) = try decode(data, fileName: fileName, forced: encoding)
        return try parse(text, fileName: fileName, encoding: used)
    }

    public static func parse(_ text: String, fileName: String, encoding: FileEncoding = .utf8) throws(ButlerError) -> CSVTable {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            throw ButlerError(.invalidInput, "\(fileName):1: cannot read the CSV header: \(error)")
        }
        guard let rawHeader = reader.headerRow else {
            throw ButlerError(.invalidInput, "\(fileName):1: the file is empty (a header line is required)")
        }
        let header = rawHeader.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let columns = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var records: [CSVRecord] = []
        var errors: [String] = []
        // Physical line of the current row: rows with quoted newlines span several lines.
        var line = 2 + newlines(in: rawHeader)
        while let row = reader.next() {
            defer { line += 1 + newlines(in: row) }
            if row.allSatisfy({ $0.trimmedSpaces.isEmpty }) { continue }
            if row.count != header.count {
                errors.append("\(fileName):\(line): expected \(header.count) fields (\(header.joined(separator: ","))), found \(row.count)")
                continue
            }
            records.append(CSVRecord(line: line, values: row, columns: columns))
        }
        if let error = reader.error {
            errors.append("\(fileName):\(line): malformed CSV: \(error)")
        }
        if !errors.isEmpty { throw ButlerError(.invalidInput, errors) }
        return CSVTable(fileName: fileName, header: header, records: records, encoding: encoding)
    }

    /// Refuses a file whose header lacks a required column, naming what is missing.
    public func require(columns required: [String], optional: [String] = []) throws(ButlerError) {
        let missing = required.filter { !header.contains($0) }
        let unknown = header.filter { !required.contains($0) && !optional.contains($0) }
        var problems: [String] = []
        if !missing.isEmpty { problems.append("missing column(s) \(missing.joined(separator: ", "))") }
        if !unknown.isEmpty { problems.append("unknown column(s) \(unknown.joined(separator: ", "))") }
        if !problems.isEmpty {
            throw ButlerError(.invalidInput, "\(fileName):1: header: \(problems.joined(separator: "; ")); expected \((required + optional).joined(separator: ","))")
        }
    }

    private static func newlines(in fields: [String]) -> Int {
        fields.reduce(0) { count, field in count + field.utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }
    }

    static func decode(_ data: Data, fileName: String, forced: FileEncoding?) throws(ButlerError) -> (String, FileEncoding) {
        var bytes = data
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if bytes.starts(with: bom) { bytes = bytes.dropFirst(3) }
        if forced != .gb18030, let text = String(data: bytes, encoding: .utf8) {
            return (text, .utf8)
        }
        if forced == .utf8 {
            throw ButlerError(.invalidInput, "\(fileName): the file is not valid UTF-8 (try --encoding gb18030)")
        }
        guard let text = convertFromGB18030(Array(bytes)) else {
            throw ButlerError(.invalidInput, "\(fileName): the file is neither UTF-8 nor GB18030 (save it as CSV UTF-8)")
        }
        return (text, .gb18030)
    }

    /// GB18030 → String through glibc's iconv (Foundation on Linux has no GB18030 decoder).
    static func convertFromGB18030(_ input: [UInt8]) -> String? {
        let cd = iconv_open("UTF-8", "GB18030")
        guard let cd, cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var source = input.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2 + 16)
        let produced: Int? = source.withUnsafeMutableBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                var inPointer = src.baseAddress
                var inLeft = src.count
                var outPointer = dst.baseAddress
                var outLeft = dst.count
                let status = iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft)
                guard status != -1, inLeft == 0 else { return nil }
                return dst.count - outLeft
            }
        }
        guard let produced else { return nil }
        return String(decoding: output[..<produced].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension String {
    /// Without leading and trailing spaces and tabs; much cheaper than Foundation's
    /// `trimmingCharacters(in:)`, which dominated import time on big files.
    var trimmedSpaces: String {
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last,
              first == 32 || first == 9 || last == 32 || last == 9 else { return self }
        var start = utf8.startIndex, end = utf8.endIndex
        while start < end, utf8[start] == 32 || utf8[start] == 9 { start = utf8.index(after: start) }
        while end > start, utf8[utf8.index(before: end)] == 32 || utf8[utf8.index(before: end)] == 9 { end = utf8.index(before: end) }
        return String(self[start..<end])
    }
}
