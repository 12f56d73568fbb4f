import ButlerStore
import Foundation
import HTTPTypes
import Hummingbird

/// The web console's session (issue 16): the screen-pop's sign-in machinery (ScreenPop.swift)
/// reused, not copied — the same HttpOnly, SameSite=Strict `butler_token` cookie, the same
/// form, origin and constant-time checks — with its own CSRF cookie on `/`, so the screen-pop's
/// `butler_csrf` (Path=/screen-pop) is never shadowed by a second cookie of the same name.
struct ConsoleSession: Sendable {
    var secureCookies = false

    static let csrfCookie = "butler_console_csrf"

    /// The cookies a good sign-in sets: the token, and a fresh CSRF value for the forms.
    func signInCookies(token: String, _ request: Request) -> [String] {
        let secure = secureCookies || ScreenPop.cameOverTLS(request)
        return [ScreenPop.cookie(ScreenPop.tokenCookie, token, path: "/", secure: secure),
                ScreenPop.cookie(Self.csrfCookie, ScreenPop.randomToken(), path: "/", secure: secure)]
    }

    /// Signing out ends every cookie of this server (the screen-pop's CSRF value too).
    func signOutCookies(_ request: Request) -> [String] {
        let secure = secureCookies || ScreenPop.cameOverTLS(request)
        return [(ScreenPop.tokenCookie, "/"), (Self.csrfCookie, "/"), (ScreenPop.csrfCookie, "/screen-pop")].map { name, path in
            ScreenPop.cookie(name, "", path: path, secure: secure) + "; Max-Age=0"
        }
    }

    /// The CSRF value the page's forms echo: the session's, or a new one to set (a bearer-header
    /// client, or a session signed in on the screen-pop).
    func csrf(_ request: Request) -> (value: String, setCookie: String?) {
        if let existing = ScreenPop.cookieValue(Self.csrfCookie, request), ScreenPop.isToken(existing) { return (existing, nil) }
        let value = ScreenPop.randomToken()
        return (value, ScreenPop.cookie(Self.csrfCookie, value, path: "/", secure: secureCookies || ScreenPop.cameOverTLS(request)))
    }

    /// A post of the console's forms: form-encoded; when the cookie signs it in, from this
    /// server's page (Sec-Fetch-Site / Origin) with the session's CSRF value (double submit).
    /// Checked before anything is read or written.
    func checkedForm(_ request: Request) async throws -> FormFields {
        try await ScreenPop.checkedForm(request, csrfCookie: Self.csrfCookie)
    }
}
