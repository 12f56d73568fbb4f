import ButlerCore
import Foundation

/// Everything the CLI prints for people goes through here (this `print` shadows the standard
/// library's in this module). Text from the database (names, notes, audited queries) may hold
/// control characters; they are shown escaped (`\u{1B}`), never sent to the terminal, so no
/// stored text can move the cursor or rewrite the auditor's screen. Lines and tabs stay.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator)
    Swift.print(InputText.escapingControls(text, keepingLines: true), terminator: terminator)
}

/// Prints to standard error (progress, warnings, errors): stdout stays clean for `--json`.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((InputText.escapingControls(text, keepingLines: true) + "\n").utf8))
}
