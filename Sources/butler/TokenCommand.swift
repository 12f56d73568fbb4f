import ArgumentParser
import ButlerServer
import ButlerStore
import Foundation
import Hummingbird
import Logging

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "API bearer tokens.", subcommands: [Create.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token for a staff member; prints the token alone (only a hash is stored).",
            discussion: "Example: TOKEN=$(butler token create --staff E9001)")
        @Option(help: "Employee number.") var staff: String
        func run() throws {
            print(try withDatabase { db in try TokenStore(db: db).create(staff: staff) })
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke every token of a staff member.",
            discussion: "Running servers refuse the tokens from the next request on. Example: butler token revoke --staff E9001")
        @Option(help: "Employee number.") var staff: String
        func run() throws {
            let n = try withDatabase { db in try TokenStore(db: db).revoke(staff: staff) }
            print("已吊销 \(staff) 的 \(n) 个令牌")
        }
    }
}
