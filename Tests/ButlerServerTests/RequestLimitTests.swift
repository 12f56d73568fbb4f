import ButlerServer
import ButlerStore
import ButlerTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import Testing

@testable import ButlerServer

/// Malformed and oversized requests get a JSON 4xx (`error.code` set), never a 500 or an empty body.
@Suite struct RequestLimitTests {
    let fixture: HTTPFixture

    init() throws { fixture = try HTTPFixture() }

    @Test func v1Writes_takeOnlyJSON() async throws {
        let touch = ByteBuffer(string: #"{"house":"YS01/1-1-101","kind":"call_in"}"#)
        try await fixture.app().test(.live) { client in
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                         "application/json; charset=latin1", "application/jsonx"] {
                var headers = bearer(fixture.agent)
                headers[.contentType] = type
                try await client.execute(uri: "/v1/touchpoints", method: .post, headers: headers, body: touch) { response in
                    #expect(response.status == .unsupportedMediaType, "\(type)")
                    #expect(jsonErrorCode(response) == "unsupported_media_type", "\(type)")
                }
            }
            // Refused before the token is looked at, as the body is.
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: [.contentType: "text/plain"], body: touch) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            // A body without a type is refused, whoever sends it.
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: [:], body: touch) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: [.cookie: "butler_token=\(fixture.agent)"],
                                     body: touch) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: bearer(fixture.agent), body: touch) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            var typed = bearer(fixture.agent)
            typed[.contentType] = "application/json; charset=utf-8"
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: typed, body: touch) { response in
                #expect(response.status == .created)
            }
            // The screen-pop cookie does not authorize API calls.
            try await client.execute(uri: "/v1/lookup?phone=13900000001", method: .get,
                                     headers: [.cookie: "butler_token=\(fixture.agent)"]) { response in
                #expect(response.status == .unauthorized)
            }
            for type in ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"] {
                var headers = bearer(fixture.agent)
                headers[.contentType] = type
                try await client.execute(uri: "/v1/touchpoints", method: .post, headers: headers, body: touch) { response in
                    #expect(response.status == .created, "\(type)")
                }
            }
            // Completing a task needs no body, so no type either.
            try await client.execute(uri: "/v1/tasks/999999/done", method: .post, headers: bearer(fixture.butler)) { response in
                #expect(response.status != .unsupportedMediaType)
                #expect(response.status.code < 500)
                #expect(jsonErrorCode(response) != nil)
            }
            try await client.execute(uri: "/v1/tasks/999999/done", method: .post, headers: bearer(fixture.butler),
                                     body: ByteBuffer()) { response in
                #expect(response.status != .unsupportedMediaType)
            }
        }
    }

    /// Declared too large: refused before the body is read, with no token needed.
    @Test func bodyOverTheLimit_is413JSON() async throws {
        try await fixture.app().test(.live) { client in
            let twoMB = ByteBuffer(repeating: UInt8(ascii: " "), count: 2 << 20)
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: [.contentType: "application/json"],
                                     body: twoMB) { response in
                #expect(response.status == .contentTooLarge)
                #expect(jsonErrorCode(response) == "payload_too_large")
            }
            var headers = formType
            headers[.authorization] = "Bearer \(fixture.agent)"
            let form = ByteBuffer(string: "house=YS01%2F1-1-101&note=" + String(repeating: "x", count: 70 * 1024))
            try await client.execute(uri: "/screen-pop/calls", method: .post, headers: headers, body: form) { response in
                #expect(response.status == .contentTooLarge)
                #expect(jsonErrorCode(response) == "payload_too_large")
            }
            // Just under the limit is read (and refused for what it says, not its size).
            let big = ByteBuffer(string: #"{"house":"YS01/1-1-101","kind":"call_in","note":""# + String(repeating: "x", count: 1000) + "\"}")
            var json = bearer(fixture.agent)
            json[.contentType] = "application/json"
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: json, body: big) { response in
                #expect(response.status.code < 500)
            }
        }
    }

    @Test func longURI_isJSON4xx() async throws {
        let app = fixture.app()
        try await app.test(.live) { client in
            try await client.execute(uri: "/v1/lookup?name=" + String(repeating: "a", count: 10_000), method: .get,
                                     headers: bearer(fixture.agent)) { response in
                #expect(response.status == .uriTooLong)
                #expect(jsonErrorCode(response) == "uri_too_long")
            }
            // Over the parser's limit: answered below the router (and the connection closed).
            try await client.execute(uri: "/v1/lookup?name=" + String(repeating: "a", count: 100_000), method: .get,
                                     headers: bearer(fixture.agent)) { response in
                #expect(response.status == .requestHeaderFieldsTooLarge)
                #expect(jsonErrorCode(response) == "header_too_large")
            }
        }
        try await fixture.app().test(.live) { client in
            var headers = bearer(fixture.agent)
            headers[HTTPField.Name("X-Padding")!] = String(repeating: "p", count: 70_000)
            try await client.execute(uri: "/healthz", method: .get, headers: headers) { response in
                #expect(response.status == .requestHeaderFieldsTooLarge)
                #expect(jsonErrorCode(response) == "header_too_large")
            }
        }
    }

    /// Values the database refuses are the client's mistake: 4xx JSON, whether or not the store
    /// validated them first.
    @Test func malformedValues_are4xxJSON() async throws {
        try await fixture.app().test(.live) { client in
            var json = bearer(fixture.agent)
            json[.contentType] = "application/json"
            for body in [#"{"house":"YS01/1-1-101","kind":"call_in","at":"0001-01-01T00:00+14:00"}"#,
                         #"{"house":"YS01/1-1-101","kind":"call_in","at":"9999-12-31T23:59+00:00"}"#,
                         #"{"house":"YS01/1-1-101","kind":"call_in","note":"a\u0000b"}"#,
                         #"{"house":"YS01/1-1-101","kind":"call_in""#,
                         "\u{1}garbage", "[]", "null"] {
                try await client.execute(uri: "/v1/touchpoints", method: .post, headers: json, body: ByteBuffer(string: body)) { response in
                    #expect((400..<500).contains(response.status.code) || response.status == .created, "\(body): \(response.status)")
                    if response.status != .created { #expect(jsonErrorCode(response) != nil, "\(body)") }
                }
            }
            // NUL cannot be stored and libpq would cut the value short (an empty name matched every house).
            for query in ["name=%00", "name=a%00b", "phone=%00", "house=%00"] {
                try await client.execute(uri: "/v1/lookup?\(query)", method: .get, headers: bearer(fixture.agent)) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(jsonErrorCode(response) == "invalid_input")
                }
            }
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: json,
                                     body: ByteBuffer(string: #"{"house":"YS01/1-1-101","kind":"call_in","note":"a\u0000b"}"#)) { response in
                #expect(response.status == .badRequest)
            }
            // The text "\u0000" (an escaped backslash) is fine.
            try await client.execute(uri: "/v1/touchpoints", method: .post, headers: json,
                                     body: ByteBuffer(string: #"{"house":"YS01/1-1-101","kind":"call_in","note":"a\\u0000b"}"#)) { response in
                #expect(response.status == .created)
            }
            for query in ["name=%FF%FE", "phone=1&house=2"] {
                try await client.execute(uri: "/v1/lookup?\(query)", method: .get, headers: bearer(fixture.agent)) { response in
                    #expect(response.status.code < 500, "\(query): \(response.status)")
                    if response.status.code >= 400 { #expect(jsonErrorCode(response) != nil, "\(query)") }
                }
            }
        }
    }

    /// The safety net in `ErrorMiddleware.map`: database data and constraint errors are 4xx with
    /// a generic message (no SQL, no constraint names); a lost connection is 503.
    @Test func errorMapping_databaseRefusals_areClientErrors_withoutDetails() {
        typealias Map = ErrorMiddleware<BasicRequestContext>
        let secret = "SELECT * FROM staff WHERE token_hash = $1"
        let cases: [(String, HTTPResponse.Status, String)] = [
            ("22008", .badRequest, "invalid_input"), ("22P02", .badRequest, "invalid_input"), ("22021", .badRequest, "invalid_input"),
            ("23505", .conflict, "conflict"), ("23P01", .conflict, "conflict"),
            ("23503", .badRequest, "invalid_input"), ("23514", .badRequest, "invalid_input"),
            ("08006", .serviceUnavailable, "unavailable"), ("57P01", .serviceUnavailable, "unavailable"),
        ]
        for (state, status, code) in cases {
            let error = PostgresError(kind: .server, message: "value out of range in \(secret)", sqlState: state,
                                      detail: secret, constraint: "staff_token_key")
            let api = Map.map(error)
            #expect(api.status == status, "\(state)")
            #expect(api.code == code, "\(state)")
            #expect(!api.message.contains("SELECT") && !api.message.contains("staff_token_key"), "\(state)")
        }
        let tooLarge = Map.map(NIOTooManyBytesError(maxBytes: 1 << 20))
        #expect(tooLarge.status == .contentTooLarge)
        #expect(tooLarge.code == "payload_too_large")
        #expect(Map.map(PostgresError(kind: .server, message: "syntax", sqlState: "42601")).status == .internalServerError)
    }

    @Test func mediaType_parsing() {
        #expect(MediaType("application/json").matches("application/json", charsets: ["utf-8"]))
        #expect(MediaType("application/json ; charset=\"UTF-8\"").matches("application/json", charsets: ["utf-8"]))
        #expect(!MediaType("application/json; charset=utf-16").matches("application/json", charsets: ["utf-8"]))
        #expect(!MediaType("application/json; x=1").matches("application/json", charsets: ["utf-8"]))
        #expect(!MediaType("text/json").matches("application/json", charsets: ["utf-8"]))
    }
}
