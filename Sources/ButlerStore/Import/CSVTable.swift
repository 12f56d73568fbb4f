import CSV
import Foundation
import Synchronization
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
        let firstLine = 2 + newlines(in: rawHeader)
        // Big files are parsed in pieces on all cores; any problem is reported by the one
        // sequential pass, so messages and line numbers are exactly those of a plain read.
        if let pieces = split(text, firstLine: firstLine), pieces.count > 1 {
            let parsed = Mutex([Piece?](repeating: nil, count: pieces.count))
            DispatchQueue.concurrentPerform(iterations: pieces.count) { i in
                let piece = pieces[i]
                let result = (try? CSVReader(string: piece.text, hasHeaderRow: false))
                    .map { records(from: $0, firstLine: piece.firstLine, header: header, columns: columns, fileName: fileName) }
                parsed.withLock { $0[i] = result }
            }
            let results = parsed.withLock { $0 }
            if results.allSatisfy({ $0 != nil && $0?.errors.isEmpty == true && $0?.malformed == false }) {
                return CSVTable(fileName: fileName, header: header, records: results.flatMap { $0?.records ?? [] }, encoding: encoding)
            }
        }
        let piece = records(from: reader, firstLine: firstLine, header: header, columns: columns, fileName: fileName)
        if !piece.errors.isEmpty { throw ButlerError(.invalidInput, piece.errors) }
        return CSVTable(fileName: fileName, header: header, records: piece.records, encoding: encoding)
    }

    /// Records read from one reader, starting at physical line `firstLine`.
    private struct Piece: Sendable {
        var records: [CSVRecord] = []
        var errors: [String] = []
        var malformed = false
    }

    private static func records(from reader: CSVReader, firstLine: Int, header: [String], columns: [String: Int], fileName: String) -> Piece {
        var piece = Piece()
        // Physical line of the current row: rows with quoted newlines span several lines.
        var line = firstLine
        while let row = reader.next() {
            defer { line += 1 + newlines(in: row) }
            if row.allSatisfy({ $0.trimmedSpaces.isEmpty }) { continue }
            if row.count != header.count {
                piece.errors.append("\(fileName):\(line): expected \(header.count) fields (\(header.joined(separator: ","))), found \(row.count)")
                continue
            }
            piece.records.append(CSVRecord(line: line, values: row, columns: columns))
        }
        if let error = reader.error {
            piece.errors.append("\(fileName):\(line): malformed CSV: \(error)")
            piece.malformed = true
        }
        return piece
    }

    /// The text after the header cut into one piece per core at record ends, each with its first
    /// line number; nil for small files. Record ends are found with CSV.swift's own rules (a `"`
    /// opens a quoted field only at the start of a field; inside one, `""` is a quote and `"`
    /// before a comma or line end closes it; elsewhere `"` is an ordinary character).
    private static func split(_ text: String, firstLine: Int) -> [(text: String, firstLine: Int)]? {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let bytes = Array(text.utf8)
        guard cores > 1, bytes.count >= 1 << 20 else { return nil }
        // Lines are counted by "\n"; a bare "\r" line end would shift them: read such files whole.
        for i in bytes.indices where bytes[i] == 13 && (i + 1 == bytes.count || bytes[i + 1] != 10) { return nil }
        let scanner = RecordScanner(bytes: bytes)
        guard let start = scanner.nextRecordEnd(from: 0) else { return nil } // the header
        var pieces: [(text: String, firstLine: Int)] = []
        var position = start, line = firstLine
        for k in 1...cores where position < bytes.count {
            let target = k == cores ? bytes.count : start + (bytes.count - start) * k / cores
            var end = position
            while end < target, let next = scanner.nextRecordEnd(from: end) { end = next }
            // The last piece takes the rest (a last record may lack its line end).
            if k == cores || end == position { end = bytes.count }
            pieces.append((String(decoding: bytes[position..<end], as: UTF8.self), line))
            line += bytes[position..<end].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            position = end
        }
        return pieces
    }

    /// Finds where records end, one after another, without building fields.
    private struct RecordScanner {
        let bytes: [UInt8]

        /// The index just past the line end that ends the record starting at `start`; nil at the end of the text.
        func nextRecordEnd(from start: Int) -> Int? {
            var i = start, fieldStart = true, quoted = false
            while i < bytes.count {
                let byte = bytes[i]
                i += 1
                if quoted {
                    guard byte == 34 else { continue } // "
                    let next = i < bytes.count ? bytes[i] : 10
                    if next == 10 || next == 13 || next == 44 { quoted = false } // closes before \n, \r or ,
                    else { i += 1 } // "" is a quote; CSV.swift also drops any other character after a stray "
                } else if byte == 34 && fieldStart {
                    quoted = true
                    fieldStart = false
                } else if byte == 44 {
                    fieldStart = true
                } else if byte == 10 {
                    return i
                } else if byte != 13 {
                    fieldStart = false
                }
            }
            return nil
        }
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
    /// Without leading and trailing spaces: ASCII space and tab, and the full-width (U+3000) and
    /// no-break (U+00A0) spaces a Chinese input method or a spreadsheet leaves. Much cheaper than
    /// Foundation's `trimmingCharacters(in:)`, which dominated import time on big files.
    var trimmedSpaces: String {
        // Fast path on bytes (this runs for every field of every row): a space can only start
        // with 0x20, 0x09, 0xC2 (U+00A0) or 0xE3 (U+3000), and only end with 0x20, 0x09, 0xA0 or 0x80.
        guard let head = utf8.first, let tail = utf8.last else { return self }
        guard head == 32 || head == 9 || head == 0xC2 || head == 0xE3
            || tail == 32 || tail == 9 || tail == 0xA0 || tail == 0x80 else { return self }
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last, first.isTrimmedSpace || last.isTrimmedSpace else { return self }
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, scalars[start].isTrimmedSpace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].isTrimmedSpace { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }
}

extension Unicode.Scalar {
    fileprivate var isTrimmedSpace: Bool { value == 32 || value == 9 || value == 0x3000 || value == 0xA0 }
}
