/// Photo references typed into one field of a page's form (file names or URLs), as a phone
/// keyboard gives them: separated by spaces, new lines, or Western or Chinese commas and semicolons.
enum PhotoReferences {
    static func parse(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0.isWhitespace || ",，、;；".contains($0) }).map(String.init)
    }
}
