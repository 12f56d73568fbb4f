import HTTPTypes
import Hummingbird

/// Headers that tell the browser what this server's responses may do, on every response
/// (errors included: it wraps `ErrorMiddleware`). HTML pages set their own
/// `Content-Security-Policy` with the nonce of their inline style; everything else gets the
/// strictest policy, which a JSON body does not need to loosen.
struct SecurityHeaders<Context: RequestContext>: RouterMiddleware {
    /// No script, no plugin, no frame, no image, nothing from elsewhere.
    static var strictPolicy: String {
        "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    /// An HTML page: only its own inline `<style nonce=…>`; forms post only to this server;
    /// never framed (clickjacking); no `<base>` rewriting the forms' targets.
    static func pagePolicy(styleNonce: String) -> String {
        "default-src 'none'; style-src 'nonce-\(styleNonce)'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        Self.apply(to: &response.headers)
        return response
    }

    static func apply(to headers: inout HTTPFields) {
        if headers[.contentSecurityPolicy] == nil { headers[.contentSecurityPolicy] = strictPolicy }
        // The query string can hold a phone number: never send it on as Referer.
        headers[.referrerPolicy] = "no-referrer"
        headers[.xFrameOptions] = "DENY"
        headers[.xContentTypeOptions] = "nosniff"
        // Lookups and pages hold personal data: no cache (browser or proxy) keeps them.
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
