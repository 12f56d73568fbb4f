/// A Chinese phone number in canonical digits: mobiles `13812345678`, landlines with
/// area code `057188886666`. Input may carry `+86`/`0086`, spaces, dashes and parentheses.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    public let digits: String

    public init?(_ raw: String) {
        // Full-width parentheses, as typed with a Chinese input method, are separators too.
        let text = raw.utf8.allSatisfy({ $0 < 128 })
            ? raw : raw.replacingOccurrences(of: "（", with: "").replacingOccurrences(of: "）", with: "")
        // Byte-level: this runs once per phone of every imported row.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var plus = false
        for byte in text.utf8 {
            switch byte {
            case 48...57: bytes.append(byte)
            case 32, 45, 40, 41, 9: continue // space - ( ) tab
            case 43 where bytes.isEmpty && !plus: plus = true // leading +
            default: return nil
            }
        }
        if plus {
            guard bytes.starts(with: [56, 54]) else { return nil } // +86
            bytes.removeFirst(2)
        } else if bytes.starts(with: [48, 48, 56, 54]) { // 0086
            bytes.removeFirst(4)
        }
        guard let first = bytes.first else { return nil }
        let isMobile = bytes.count == 11 && first == 49 && (51...57).contains(bytes[1])
        let isLandline = first == 48 && (10...12).contains(bytes.count)
        // Service numbers such as 400/95xxx hotlines.
        let isService = (bytes.starts(with: [52, 48, 48]) && bytes.count == 10) || (bytes.starts(with: [57, 53]) && (5...8).contains(bytes.count))
        guard isMobile || isLandline || isService else { return nil }
        self.digits = String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { digits }

    /// `138****5678`: what lists and lookups show unless revealing is asked for.
    public var masked: String { Self.mask(digits) }

    public static func mask(_ digits: String) -> String {
        guard digits.count >= 7 else { return String(repeating: "*", count: digits.count) }
        return String(digits.prefix(3)) + "****" + String(digits.suffix(4))
    }
}
