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
    /// Rows refused while reading (wrong field count), in line order; `Importer` reports them.
    public var problems: [Problem] = []

    /// Reads and decodes `path`. Without `encoding`, a UTF-8 BOM or valid UTF-8 means UTF-8,
    /// anything else is decoded as GB18030.
    public static func read(path: String, encoding: FileEncoding? = nil) throws(ButlerError) -> CSVTable {
        let fileName = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ButlerError(.invalidInput, "\(path): 无法读取文件（文件是否存在？）")
        }
        let (text, used) = try decode(data, fileName: fileName, forced: encoding)
        return try parse(text, fileName: fileName, encoding: used)
    }

    public static func parse(_ text: String, fileName: String, encoding: FileEncoding = .utf8) throws(ButlerError) -> CSVTable {
        // A 0-byte file (or only blank lines): CSV.swift would say `cannotReadHeaderRow`.
        if text.allSatisfy(\.isWhitespace) {
            throw ButlerError(.invalidInput, "\(fileName):1: 文件是空的（第 1 行应是表头）")
        }
        // COPY refuses a NUL anyway, without a line: say where (a UTF-16 file is full of them).
        if text.utf8.contains(0) {
            throw ButlerError(.invalidInput, nulLines(in: text).map { "\(fileName):\($0): 含有 NUL 字符（0x00）：文件可能是 UTF-16 或已损坏，请另存为 CSV UTF-8" })
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            throw ButlerError(.invalidInput, "\(fileName):1: 无法读取表头（\(error)）")
        }
        guard let rawHeader = reader.headerRow else {
            throw ButlerError(.invalidInput, "\(fileName):1: 文件是空的（第 1 行应是表头）")
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
            if results.allSatisfy({ $0 != nil && $0?.problems.isEmpty == true && $0?.malformed == false }),
               results.last??.lastRowSpansLines == false {
                return CSVTable(fileName: fileName, header: header, records: results.flatMap { $0?.records ?? [] }, encoding: encoding)
            }
        }
        var piece = records(from: reader, firstLine: firstLine, header: header, columns: columns, fileName: fileName)
        // A quote never closed swallows the rest of the file into the last row, which then
        // spans lines: only then is the text scanned, to name the line the quote opened on.
        if piece.lastRowSpansLines, let opened = openQuoteLine(in: text) {
            piece.problems = piece.problems.filter { $0.line < opened }
                + [Problem(line: opened, message: "\(fileName):\(opened): 引号未闭合：这一行开始的带引号字段直到文件末尾都没有结束的引号（\"）")]
            piece.malformed = true
        }
        if piece.malformed { throw ButlerError(.invalidInput, piece.problems.map(\.message)) }
        return CSVTable(fileName: fileName, header: header, records: piece.records, encoding: encoding, problems: piece.problems)
    }

    /// A row the file itself gets wrong (a field count), kept so that an import reports it
    /// together with every other problem of the file.
    public struct Problem: Sendable, Equatable {
        public let line: Int
        public let message: String
    }

    /// Records read from one reader, starting at physical line `firstLine`.
    private struct Piece: Sendable {
        var records: [CSVRecord] = []
        var problems: [Problem] = []
        var malformed = false
        var lastRowSpansLines = false
    }

    private static func records(from reader: CSVReader, firstLine: Int, header: [String], columns: [String: Int], fileName: String) -> Piece {
        var piece = Piece()
        // Physical line of the current row: rows with quoted newlines span several lines.
        var line = firstLine
        while let row = reader.next() {
            let spanned = newlines(in: row)
            piece.lastRowSpansLines = spanned > 0
            defer { line += 1 + spanned }
            if row.allSatisfy({ $0.trimmedSpaces.isEmpty }) { continue }
            if row.count != header.count {
                piece.problems.append(Problem(line: line, message: "\(fileName):\(line): 应有 \(header.count) 个字段（\(header.joined(separator: ","))），实有 \(row.count) 个"))
                continue
            }
            piece.records.append(CSVRecord(line: line, values: row, columns: columns))
        }
        if let error = reader.error {
            piece.problems.append(Problem(line: line, message: "\(fileName):\(line): CSV 格式错误（\(error)）"))
            piece.malformed = true
        }
        return piece
    }

    /// The line on which a quoted field opened that is still open at the end of `text`, by
    /// CSV.swift's rules (see `RecordScanner`); nil when every quote closes.
    static func openQuoteLine(in text: String) -> Int? {
        var line = 1, openedOn = 0, fieldStart = true, quoted = false
        var bytes = text.utf8.makeIterator()
        var pending: UInt8? = nil
        while let byte = pending ?? bytes.next() {
            pending = nil
            if byte == 10 { line += 1 }
            if quoted {
                guard byte == 34 else { continue } // "
                let next = bytes.next()
                guard let next else { return nil }
                // Closes before \n, \r or ","; otherwise "" is a quote and CSV.swift drops any other
                // character after a stray " (never a line end: those close the field).
                if next == 10 || next == 13 || next == 44 { quoted = false; pending = next }
            } else if byte == 34 && fieldStart {
                quoted = true
                openedOn = line
                fieldStart = false
            } else if byte == 44 || byte == 10 {
                fieldStart = true
            } else if byte != 13 {
                fieldStart = false
            }
        }
        return quoted ? openedOn : nil
    }

    private static func nulLines(in text: String) -> [Int] {
        var lines: [Int] = [], line = 1
        for byte in text.utf8 {
            if byte == 10 { line += 1 } else if byte == 0, lines.last != line { lines.append(line) }
        }
        return lines
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
        if !missing.isEmpty { problems.append("缺少列 \(missing.joined(separator: ", "))") }
        if !unknown.isEmpty { problems.append("未知列 \(unknown.joined(separator: ", "))") }
        if !problems.isEmpty {
            throw ButlerError(.invalidInput, "\(fileName):1: 表头: \(problems.joined(separator: "；"))；应为 \((required + optional).joined(separator: ","))")
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
        let invalid = forced == .gb18030 ? nil : firstInvalidUTF8(Array(bytes))
        if forced == .utf8, let invalid {
            throw ButlerError(.invalidInput, "\(fileName):\(invalid.line): 不是有效的 UTF-8（若是 GB18030 文件，请指定编码 gb18030）")
        }
        // Chinese already read as UTF-8 before the bad byte: a damaged UTF-8 file, not GB18030
        // (decoding it as GB18030 would turn every name into other characters).
        if let invalid, invalid.sawChinese {
            throw ButlerError(.invalidInput, "\(fileName):\(invalid.line): 不是有效的 UTF-8（前面的内容是 UTF-8，这一行有损坏的字节；请另存为 CSV UTF-8）")
        }
        guard let text = convertFromGB18030(Array(bytes)) else {
            let line = invalid.map { ":\($0.line)" } ?? ""
            throw ButlerError(.invalidInput, "\(fileName)\(line): 既不是 UTF-8 也不是 GB18030（请另存为 CSV UTF-8）")
        }
        return (text, .gb18030)
    }

    /// The line of the first byte that is not UTF-8, and whether a character of three or more
    /// bytes (a Chinese character) was read as UTF-8 before it; nil when all of it is UTF-8.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, sawChinese: Bool)? {
        var parser = Unicode.UTF8.ForwardParser()
        var input = bytes.makeIterator()
        var line = 1, sawChinese = false
        while true {
            switch parser.parseScalar(from: &input) {
            case .valid(let scalar):
                if scalar.count >= 3 { sawChinese = true } else if scalar.first == 10 { line += 1 }
            case .emptyInput:
                return nil
            case .error:
                return (line, sawChinese)
            }
        }
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
