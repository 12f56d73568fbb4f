/// Text people type into the product: no NUL (libpq would cut the text there, silently) and
/// no other control characters (an escape sequence stored in a name or a note could rewrite
/// the screen of whoever prints it later). Free-text notes may span lines and hold tabs.
public enum InputText {
    /// Why `text` cannot be stored, or nil when it can.
    public static func problem(in text: String, multiline: Bool) -> String? {
        for (offset, scalar) in text.unicodeScalars.enumerated() where isControl(scalar) {
            if multiline && (scalar == "\n" || scalar == "\t" || scalar == "\r") { continue }
            return "第 \(offset + 1) 个字符是控制字符 \(codePoint(scalar))，不能接受控制字符"
        }
        return nil
    }

    /// `text` with every control character shown as `\u{1B}`, for a terminal or a log line;
    /// `keepingLines` leaves newlines and tabs as they are (a printed multi-line table).
    public static func escapingControls(_ text: String, keepingLines: Bool = false) -> String {
        func escaped(_ scalar: Unicode.Scalar) -> Bool {
            isControl(scalar) && !(keepingLines && (scalar == "\n" || scalar == "\t"))
        }
        guard text.unicodeScalars.contains(where: escaped) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if escaped(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// C0, DEL and C1 controls, and the bidirectional overrides that reorder what a terminal shows.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
