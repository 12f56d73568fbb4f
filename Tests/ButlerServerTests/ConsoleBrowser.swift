import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// What a browser sends with a form of our pages: form-encoded, from this server's page.
let sameOriginForm: HTTPFields = {
    var headers = formType
    headers[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
    return headers
}()

/// Signs in at the console's `/login`; the cookie header a browser then sends and the forms' CSRF value.
func signIn(_ client: some TestClientProtocol, _ token: String) async throws -> (cookie: String, csrf: String) {
    let response = try await client.execute(uri: "/login", method: .post, headers: sameOriginForm, body: formBody([("token", token)]))
    let csrf = try #require(cookieValue(setCookies(response)["butler_console_csrf"]))
    return ("butler_token=\(token); butler_console_csrf=\(csrf)", csrf)
}

/// A form of a page, posted by the signed-in browser.
func post(_ client: some TestClientProtocol, _ uri: String, cookie: String, _ fields: [(String, String)]) async throws -> TestResponse {
    var headers = sameOriginForm
    headers[.cookie] = cookie
    return try await client.execute(uri: uri, method: .post, headers: headers, body: formBody(fields))
}
