import Crypto
import Foundation

/// The number that popped, carried by the screen-pop's repair form without showing it: the page
/// masks every phone (`139****0001`), so the form shows the masked number and carries the full
/// one sealed (AES-GCM) under a key derived from the session's CSRF secret (HttpOnly, random per
/// sign-in). Only this browser session's post opens it; a typed number replaces it.
enum CallerSeal {
    static func seal(_ digits: String, session: String) -> String? {
        guard let box = try? AES.GCM.seal(Data(digits.utf8), using: key(session)), let combined = box.combined else { return nil }
        return combined.base64EncodedString()
    }

    static func open(_ sealed: String, session: String) -> String? {
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key(session)) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    private static func key(_ session: String) -> SymmetricKey {
        SymmetricKey(data: SHA256.hash(data: Data(("butler screen-pop caller v1:" + session).utf8)))
    }
}
