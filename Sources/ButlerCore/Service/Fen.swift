/// Money is integer fen (分); people read yuan with two decimals.
public enum Fen {
    /// `12345` → `123.45`, `-5` → `-0.05`.
    public static func yuan(_ fen: Int) -> String {
        let v = fen.magnitude
        return (fen < 0 ? "-" : "") + "\(v / 100)." + (v % 100 < 10 ? "0" : "") + "\(v % 100)"
    }
}
