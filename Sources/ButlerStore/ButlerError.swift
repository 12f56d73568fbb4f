/// A refusal the user can act on: bad input, something missing, a conflict with what exists.
/// The CLI prints ``description`` and exits 1; the HTTP layer maps ``kind`` to a status code.
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
    /// One line per problem, e.g. `houses.csv:3: occupancy: 'empty' is not one of …`.
    public let messages: [String]

    public init(_ kind: Kind, _ messages: [String]) {
        self.kind = kind
        self.messages = messages
    }

    public init(_ kind: Kind, _ message: String) {
        self.init(kind, [message])
    }

    public var description: String { messages.joined(separator: "\n") }
}
