import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// The sizes the server accepts; anything larger is a JSON 413/414/431, never a 500.
enum HTTPLimits {
    /// A JSON body under `/v1` (the handlers collect up to the same size).
    static let apiBody = 1 << 20
    /// A screen-pop form (`/screen-pop/login`, `/screen-pop/calls`).
    static let formBody = 64 << 10
    /// Path and query together. Lookups need a few hundred bytes.
    static let uri = 8 << 10
    /// The HTTP/1 parser's limit for the request line and for all header fields together
    /// (NIO counts the request target against both). Above it the parser stops and
    /// ``ParserErrorResponder`` answers 431.
    static let headers = 64 << 10

    static func describe(bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : bytes >= 1024 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
    }

    /// The body limit of a path.
    static func body(for path: String) -> Int {
        path.hasPrefix("/screen-pop") ? formBody : apiBody
    }

    /// The HTTP/1 decoder configuration the server runs with.
    static var decoder: HTTP1Channel.Configuration.DecoderConfiguration {
        .init(maxHeaderFieldSize: headers, maxHeaderListSize: headers, maxHeaderFieldCount: 100)
    }
}

/// Refuses what is too large or of the wrong kind before any handler reads it: a URI over
/// ``HTTPLimits/uri`` (414), a declared `Content-Length` over the path's limit (413, before a
/// byte of the body is read and before authentication), and a `/v1` write whose body is not
/// JSON (415). A body streamed past the limit without `Content-Length` is stopped by the
/// handlers' `collect(upTo:)`, which `ErrorMiddleware` maps to 413.
struct RequestLimits<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.string.utf8.count > HTTPLimits.uri {
            throw APIError(status: .uriTooLong, code: "uri_too_long",
                           message: "请求地址超过 \(HTTPLimits.describe(bytes: HTTPLimits.uri))")
        }
        let path = request.uri.path
        let limit = HTTPLimits.body(for: path)
        if let declared = request.headers[.contentLength], let length = Int(declared), length > limit {
            throw APIError(status: .contentTooLarge, code: "payload_too_large",
                           message: "请求体有 \(length) 字节，此处上限为 \(HTTPLimits.describe(bytes: limit))")
        }
        var request = request
        // The router ignores empty segments ("//v1/touchpoints" is "/v1/touchpoints"): so does this.
        if path.split(separator: "/").first == "v1" {
            // The API authenticates by bearer header only: the screen-pop cookie, which a browser
            // attaches by itself, must not authorize API calls (a cross-site request forgery path).
            if request.headers[.cookie] != nil {
                var head = request.head
                head.headerFields[.cookie] = nil
                request = Request(head: head, body: request.body)
            }
            if request.method == .post {
                // NUL and other control characters are refused by the stores, naming the field
                // (InputBounds), and by the database wrapper at the bind as the last resort.
                try await Self.requireJSON(&request)
            }
        }
        return try await next(request, context)
    }

    /// `/v1` writes take `application/json` (charset, if given, UTF-8). A body in another type
    /// (a form or `text/plain`, which a browser can send cross-site without a preflight) is
    /// refused. A request with no body and no type is let through: `POST /v1/tasks/{id}/done`
    /// needs no body. A body without a type is refused too.
    static func requireJSON(_ request: inout Request) async throws {
        guard let type = request.headers[.contentType] else {
            if let length = request.headers[.contentLength] {
                if length == "0" { return }
            } else if request.headers[.transferEncoding] != nil {
                // Chunked (some clients send an empty POST so): read it, within the limit, to see.
                if try await request.collectBody(upTo: HTTPLimits.apiBody).readableBytes == 0 { return }
            } else {
                return
            }
            throw unsupported("a request body needs Content-Type: application/json")
        }
        guard MediaType(type).matches("application/json", charsets: ["utf-8"]) else {
            throw unsupported("Content-Type must be application/json (charset utf-8), not '\(type.prefix(100))'")
        }
    }

    private static func unsupported(_ message: String) -> APIError {
        APIError(status: .unsupportedMediaType, code: "unsupported_media_type", message: message)
    }
}

/// A parsed `Content-Type` value: the media type and its `charset`, lowercased.
struct MediaType {
    let essence: String
    let charset: String?
    /// Parameters other than `charset` (none are expected).
    let otherParameters: Int

    init(_ value: String) {
        let parts = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        essence = parts.first ?? ""
        var charset: String?
        var others = 0
        for parameter in parts.dropFirst() where !parameter.isEmpty {
            let kv = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0] == "charset" {
                charset = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            } else {
                others += 1
            }
        }
        self.charset = charset
        otherParameters = others
    }

    func matches(_ type: String, charsets: Set<String>) -> Bool {
        essence == type && otherParameters == 0 && charset.map(charsets.contains) ?? true
    }
}

/// Answers the HTTP/1 parser's errors with a JSON body. Without it, Hummingbird answers a
/// request line or header block over the decoder's limit (a 100k-character query string), or
/// a malformed request, with an empty `400` (`HTTPChannelHandler.handleHTTP` catches
/// `HTTPParserError` and writes a bare head; there is no hook to change that response). This
/// handler sits right after the HTTP codec (`HTTP1Channel.Configuration.additionalChannelHandlers`),
/// sees the error first, answers `431` (`header_too_large`) or `400` (`bad_request`) as JSON and
/// closes the connection; the error does not reach Hummingbird. An error in the middle of a
/// request that a handler is already answering goes on to Hummingbird as before.
final class ParserErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Requests read whose response has not ended yet.
    private var open = 0
    private var answered = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // After our answer the connection is closing: whatever else arrives is dropped.
        guard !answered else { return }
        if case .head = unwrapInboundIn(data) { open += 1 }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { open = max(0, open - 1) }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The decoder reports every later read as an error too once it has failed.
        if answered { return }
        guard open == 0, let (status, code, message) = Self.answer(for: error) else {
            context.fireErrorCaught(error)
            return
        }
        answered = true
        let body = ErrorMiddleware<BasicRequestContext>.body(APIError(status: status, code: code, message: message))
        let head = HTTPResponse(status: status, headerFields: [
            .contentType: "application/json; charset=utf-8",
            .contentLength: "\(body.readableBytes)",
            .connection: "close",
            .cacheControl: "no-store",
            .xContentTypeOptions: "nosniff",
        ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        // Half-close first: the client may still be sending the rest of an oversized request,
        // and closing with unread input would reset the connection before it reads the answer.
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            bound.value.close(mode: .output, promise: nil)
        }
        context.eventLoop.scheduleTask(in: .seconds(2)) { bound.value.close(promise: nil) }
    }

    static func answer(for error: any Error) -> (HTTPResponse.Status, String, String)? {
        if let parser = error as? HTTPParserError {
            if parser == .headerOverflow {
                return (.requestHeaderFieldsTooLarge, "header_too_large",
                        "请求行或请求头大于 \(HTTPLimits.describe(bytes: HTTPLimits.headers))")
            }
            return (.badRequest, "bad_request", "HTTP 请求格式错误")
        }
        if error is HTTP1TypeConversionError {
            return (.badRequest, "bad_request", "HTTP 请求头格式错误")
        }
        return nil
    }
}
