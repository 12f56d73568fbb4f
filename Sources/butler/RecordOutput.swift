import ArgumentParser
import ButlerCore
import ButlerStore
import Foundation

/// What a record did, in one line a butler reads at a glance
/// (`已记录走访 #12，完成任务 #241 新入住走访`); `--json` carries every id.
func printRecord(_ result: RecordResult, json: Bool, what: String, label: String) throws {
    if json { return try printJSON(result) }
    var line = "已记录\(label) #\(result.id)"
    if !result.completed.isEmpty {
        line += "，完成任务 " + result.completed.map { "#\($0.id) \($0.name)" }.joined(separator: "、")
    }
    if let complaint = result.complaint {
        line += "；投诉单 #\(complaint) 待回访（处理后关闭：butler complaint close \(complaint) --result …）"
    }
    print(line)
    if result.outsideOwnGrids { printError("注意：\(what) 不在你当天负责的网格内（仍已记录）") }
}
