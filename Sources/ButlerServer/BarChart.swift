import Foundation

/// A horizontal bar chart drawn on the server as inline SVG (issue 16: the console runs no
/// script and loads nothing else). One row per label, one bar per series in it, an optional
/// dashed target line; a bar under the target gets the class `u` (drawn in another colour by
/// the page's style). Colours come from classes in the page's nonce'd style block: the CSP
/// blocks `style=""` attributes. Compact for a project of hundreds of grids: the bars of a
/// class are one `<path>` of stroked segments, a row's label and value one `<text>`.
struct BarChart: Sendable, Equatable {
    struct Row: Sendable, Equatable {
        let label: String
        /// One value per series; nil draws no bar (nothing to measure).
        let values: [Double?]
        /// What the row says at its end (`91.7%`, `5 · 7`).
        let text: String
    }

    /// The SVG's `<title>` and `aria-label`.
    let title: String
    /// The value at the full bar length.
    let scale: Double
    /// The value each bar should reach; nil: no target line, no bar is under.
    var target: Double? = nil
    /// Printed over the target line (`目标 85%`).
    var targetLabel = ""
    var rows: [Row]

    /// Geometry (user units; the SVG scales to the page width by its viewBox).
    static let width = 330, barStart = 76, barLength = 200, bar = 8, top = 16

    var seriesCount: Int { rows.map(\.values.count).max() ?? 1 }
    var rowHeight: Int { max(1, seriesCount) * (Self.bar + 1) + 7 }
    var height: Int { Self.top + rows.count * rowHeight + 4 }

    /// Bar length for a value, clamped to the chart.
    func length(_ value: Double) -> Int {
        guard scale > 0 else { return 0 }
        return Int((min(max(value, 0), scale) / scale * Double(Self.barLength)).rounded())
    }

    /// Under the target: compared with a small tolerance so 85 of 100 meets 0.85 despite floating point.
    func isUnder(_ value: Double) -> Bool {
        guard let target else { return false }
        return value + 1e-9 < target
    }

    var svg: String {
        let title = Self.escape(title)
        var out = "<svg class=chart viewBox=\"0 0 \(Self.width) \(height)\" role=img aria-label=\"\(title)\"><title>\(title)</title>"
        // Bars by class: series 0 `s0`, series 1 `s1`, under the target `u` (any series).
        var paths: [String: String] = [:]
        var texts = ""
        for (index, row) in rows.enumerated() {
            let y = Self.top + index * rowHeight
            for (series, value) in row.values.enumerated() {
                guard let value else { continue }
                let length = length(value)
                guard length > 0 else { continue }
                let middle = y + series * (Self.bar + 1) + Self.bar / 2
                paths[isUnder(value) ? "u" : "s\(series)", default: ""] += "M\(Self.barStart) \(middle)h\(length)"
            }
            let baseline = y + (rowHeight - 7) / 2 + 4
            texts += "<text y=\(baseline)>\(Self.escape(row.label))<tspan x=\(Self.barStart + Self.barLength + 6)>\(Self.escape(row.text))</tspan></text>"
        }
        for name in paths.keys.sorted() { out += "<path class=\(name) d=\"\(paths[name] ?? "")\"/>" }
        out += texts
        if let target, scale > 0 {
            let x = Self.barStart + length(target)
            out += "<path class=t d=\"M\(x) \(Self.top - 4)V\(height - 2)\"/><text class=tl x=\(x) y=10>\(Self.escape(targetLabel))</text>"
        }
        return out + "</svg>"
    }

    /// Text for SVG in HTML: markup characters and quotes escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
