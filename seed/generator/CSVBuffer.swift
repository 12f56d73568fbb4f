import Foundation

/// One CSV file built in memory and written once: UTF-8 without BOM, `\n` line ends,
/// RFC 4180 quoting only where a field holds a comma, a quote or a line break.
struct CSVBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var rows = 0
    private var fieldsInRow = 0

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    init(header: [String], capacity: Int = 1 << 16) {
        bytes.reserveCapacity(capacity)
        for h in header { field(h) }
        fieldsInRow = 0
        bytes.append(10)
    }

    private mutating func separator() {
        if fieldsInRow > 0 { bytes.append(44) }
        fieldsInRow += 1
    }

    mutating func field(_ text: String) {
        separator()
        var needsQuotes = false
        for b in text.utf8 where b == 44 || b == 34 || b == 10 || b == 13 {
            needsQuotes = true
            break
        }
        if needsQuotes {
            bytes.append(34)
            for b in text.utf8 {
                if b == 34 { bytes.append(34) }
                bytes.append(b)
            }
            bytes.append(34)
        } else {
            bytes.append(contentsOf: text.utf8)
        }
    }

    mutating func field(_ value: Int) {
        separator()
        appendInt(value)
    }

    mutating func field(_ day: CivilDay?) {
        separator()
        if let day { appendDate(day) }
    }

    /// `YYYY-MM-DDTHH:MM`, local time.
    mutating func field(_ day: CivilDay, minuteOfDay: Int) {
        separator()
        appendDate(day)
        bytes.append(84)
        append2(minuteOfDay / 60)
        bytes.append(58)
        append2(minuteOfDay % 60)
    }

    /// Area in tenths of a square metre, printed with one decimal.
    mutating func field(tenths: Int) {
        separator()
        appendInt(tenths / 10)
        bytes.append(46)
        bytes.append(UInt8(48 + tenths % 10))
    }

    mutating func endRow() {
        bytes.append(10)
        fieldsInRow = 0
        rows += 1
    }

    mutating func appendInt(_ value: Int) {
        if value < 0 {
            bytes.append(45)
            appendInt(-value)
            return
        }
        if value >= 10 { appendInt(value / 10) }
        bytes.append(UInt8(48 + value % 10))
    }

    private mutating func append2(_ v: Int) {
        bytes.append(UInt8(48 + v / 10))
        bytes.append(UInt8(48 + v % 10))
    }

    mutating func appendDate(_ day: CivilDay) {
        let (y, m, d) = day.ymd
        bytes.append(UInt8(48 + (y / 1000) % 10))
        bytes.append(UInt8(48 + (y / 100) % 10))
        append2(y % 100)
        bytes.append(45)
        append2(m)
        bytes.append(45)
        append2(d)
    }

    func write(to url: URL) throws {
        try Data(bytes).write(to: url)
    }
}
