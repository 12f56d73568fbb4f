import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

/// Fen as yuan with two decimals, for people.
func yuan(_ fen: Int) -> String {
    let sign = fen < 0 ? "-" : ""
    let v = abs(fen)
    return "\(sign)\(v / 100).\(v % 100 < 10 ? "0" : "")\(v % 100)"
}
