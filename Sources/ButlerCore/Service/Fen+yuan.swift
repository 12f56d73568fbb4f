extension Fen {
    /// Why a text is not an amount in yuan.
    public enum ParseProblem: Error, Equatable, Sendable {
        case notANumber, negative, tooManyDecimals, tooLarge
    }

    /// `"123.45"` → `12345`; yuan with at most two decimals, no sign, no exponent, no grouping.
    /// Integer arithmetic only: `0.1` is exactly 10 fen (no binary floating point on the way).
    public static func parse(yuan text: String) -> Result<Int, ParseProblem> {
        var digits = Substring(text)
        if digits.hasPrefix("-") {
            let rest = digits.dropFirst()
            return parse(yuan: String(rest)).flatMap { _ in .failure(.negative) }
        }
        if digits.hasPrefix("+") { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .failure(.notANumber) }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }), parts.count == 1 || !fraction.isEmpty else { return .failure(.notANumber) }
        guard fraction.count <= 2 else { return .failure(.tooManyDecimals) }
        // A house's bill is far below this; a longer number is a mistake (a pasted account number).
        guard whole.count <= 12, let yuan = Int(whole) else { return .failure(.tooLarge) }
        let cents = Int(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0
        return .success(yuan * 100 + cents)
    }
}
