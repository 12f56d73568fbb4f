/// A refusal the user can act on: bad input, something missing, a conflict with what exists.
///
/// Messages are Chinese and say what is wrong in the domain's words; they never name a CLI flag
/// or a JSON key. The input at fault is ``field`` (the request's name for it, snake_case), and
/// each front end phrases it for its user: the CLI as `--from：…` (exit 1), the API as
/// `{"error": {"code", "field", "message"}}` with the status of ``kind``.
public struct ButlerError: Error, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable {
        /// Malformed arguments or file contents (HTTP 400).
        case invalidInput
        /// A referenced thing does not exist (HTTP 404).
        case notFound
        /// Refused because of what already exists (HTTP 409).
        case conflict
        /// The acting person may not do this (HTTP 403).
        case forbidden
    }

    public let kind: Kind
    /// The input at fault, as the API names it (`from`, `butler`, `rating`); nil when the
    /// refusal is about the whole request or a file (file errors carry `file:line:` in the message).
    public let field: String?
    /// One line per problem, e.g. `houses.csv:3: occupancy: 'empty' is not one of …`.
    public let messages: [String]

    public init(_ kind: Kind, field: String? = nil, _ messages: [String]) {
        self.kind = kind
        self.field = field
        self.messages = messages
    }

    public init(_ kind: Kind, field: String? = nil, _ message: String) {
        self.init(kind, field: field, [message])
    }

    /// The messages without the field (each front end adds it its own way).
    public var description: String { messages.joined(separator: "\n") }
}
