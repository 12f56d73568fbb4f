import Foundation
import HTTPTypes
import Hummingbird

/// How every page answers (the console's, issue 16, and the screen-pop's): a template with a
/// fresh CSP nonce, a 303, or an error as a page in the console's style.
enum PageResponse {
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    /// An error as a page in the console's style; not signed in (or a revoked token) on a page
    /// goes to the sign-in form.
    static func errorPage(_ error: any Error, signIn: Bool = false) -> Response {
        let api = ErrorMiddleware<BasicRequestContext>.map(error)
        if signIn && api.status == .unauthorized { return redirect("/login") }
        let hint = api.status == .unauthorized ? "请重新登录。" : api.status == .forbidden ? "如需此页，请联系项目经理。" : ""
        return html(ConsoleView.Message(nonce: "", title: "\(api.status.code) · \(api.message)", hint: hint), "message", status: api.status)
    }

    /// Renders a template (the console's by default) with a fresh CSP nonce for its inline style.
    static func html<View: ScreenPopView.Nonced>(_ view: View, _ template: String, status: HTTPResponse.Status = .ok,
                                                 cookies: [String] = [],
                                                 render: (Any, String) -> String = ConsoleTemplates.render) -> Response {
        var view = view
        view.nonce = ScreenPop.randomToken(bytes: 16)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = SecurityHeaders<BasicRequestContext>.pagePolicy(styleNonce: view.nonce)
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: render(view, template))))
    }
}
