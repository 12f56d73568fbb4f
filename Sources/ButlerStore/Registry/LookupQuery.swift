import ButlerCore
import Foundation

/// What the call centre searches by: exactly one of a phone number, a house code or a name.
public enum LookupQuery: Sendable, Equatable {
    case phone(String)
    case house(String)
    case name(String)

    /// The one query the caller gave, or an input error naming the field: the CLI
    /// (`--phone/--house/--name`), the API and the screen-pop page all ask through here.
    public init(phone: String?, house: String?, name: String?) throws {
        guard let query = try Self.parse(phone: phone, house: house, name: name) else {
            throw ButlerError(.invalidInput, field: "phone", "请给出电话、房号或姓名中的一项")
        }
        self = query
    }

    /// As `init(phone:house:name:)`, but nil when none is given (the screen-pop page then
    /// shows its empty form).
    public static func parse(phone: String?, house: String?, name: String?) throws -> LookupQuery? {
        let given: [LookupQuery] = [phone.map(LookupQuery.phone), house.map(LookupQuery.house), name.map(LookupQuery.name)]
            .compactMap { $0 }
        guard given.count <= 1 else {
            // The second one given is the one too many.
            throw ButlerError(.invalidInput, field: given[1].kind,
                              "只能按一项查询：已给出\(given[0].label)，不能再给\(given[1].label)")
        }
        return given.first
    }

    /// The request's name for the field (`phone`, `house`, `name`): also the audit's query kind.
    public var kind: String {
        switch self {
        case .phone: "phone"
        case .house: "house"
        case .name: "name"
        }
    }

    /// What is searched for, in Chinese: 电话, 房号, 姓名.
    public var label: String { Self.label(kind: kind) }

    public static func label(kind: String) -> String {
        switch kind {
        case "phone": "电话"
        case "house": "房号"
        case "name": "姓名"
        default: kind
        }
    }

    /// The text as given.
    public var text: String {
        switch self {
        case .phone(let t), .house(let t), .name(let t): t
        }
    }

    /// The value searched for (canonical phone digits, house code, trimmed name), or an input
    /// error naming the field; nothing is looked up (or audited) for a malformed query.
    func validated() throws -> String {
        if InputText.problem(in: text, multiline: false) != nil {
            throw ButlerError(.invalidInput, field: kind, "\(label)中不能有控制字符")
        }
        switch self {
        case .phone(let text):
            guard let phone = PhoneNumber(text) else {
                throw ButlerError(.invalidInput, field: kind, "不是有效的电话号码：\(text)（例如 13812345678、0571-88886666）")
            }
            return phone.digits
        case .house(let text):
            guard let code = HouseCode(text) else {
                throw ButlerError(.invalidInput, field: kind, "不是有效的房号：\(text)（格式：项目/楼栋-单元-房间，例如 YS01/3-2-1502）")
            }
            return code.description
        case .name(let text):
            let name = text.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw ButlerError(.invalidInput, field: kind, "请输入姓名或姓名的开头") }
            return name
        }
    }
}

extension LookupQuery: CustomStringConvertible {
    /// `电话 13812345678`: how messages name the query.
    public var description: String { "\(label) \(text)" }
}
