import ArgumentParser
import ButlerServer
import ButlerStore
import Foundation
import Hummingbird
import Logging

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "API 访问令牌（Bearer token）。", subcommands: [Create.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "为员工签发令牌，只打印令牌本身（数据库只保存其哈希）。",
            discussion: "示例：TOKEN=$(butler token create --staff E9001)")
        @Option(help: "员工工号。") var staff: String
        func run() throws {
            print(try withDatabase { db in try TokenStore(db: db).create(staff: staff) })
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "吊销某员工的全部令牌。",
            discussion: "正在运行的服务从下一个请求起即拒绝这些令牌。\n示例：butler token revoke --staff E9001")
        @Option(help: "员工工号。") var staff: String
        func run() throws {
            let n = try withDatabase { db in try TokenStore(db: db).revoke(staff: staff) }
            print("已吊销 \(staff) 的 \(n) 个令牌")
        }
    }
}
