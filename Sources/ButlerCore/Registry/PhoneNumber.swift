/// A Chinese phone number in canonical digits: mobiles `13812345678`, landlines with
/// area code `057188886666`. Input may carry `+86`/`0086`, spaces, dashes and parentheses.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    public let digits: String

    public init?(_ text: String) {
        var digits = text.filter { !" -()（）\t".contains($0) }
        if digits.hasPrefix("+86") { digits.removeFirst(3) } else if digits.hasPrefix("0086") { digits.removeFirst(4) }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let isMobile = digits.count == 11 && digits.hasPrefix("1") && "3456789".contains(digits[digits.index(after: digits.startIndex)])
        let isLandline = digits.hasPrefix("0") && (10...12).contains(digits.count)
        // Service numbers such as 400/95xxx hotlines.
        let isService = (digits.hasPrefix("400") && digits.count == 10) || (digits.hasPrefix("95") && (5...8).contains(digits.count))
        guard isMobile || isLandline || isService else { return nil }
        self.digits = digits
    }

    public var description: String { digits }

    /// `138****5678`: what lists and lookups show unless revealing is asked for.
    public var masked: String { Self.mask(digits) }

    public static func mask(_ digits: String) -> String {
        guard digits.count >= 7 else { return String(repeating: "*", count: digits.count) }
        return String(digits.prefix(3)) + "****" + String(digits.suffix(4))
    }
}
