import Foundation
import JSONValue
import Testing

@testable import MCPHTTP

/// Access tokens signed by PyJWT on `cryptography` (Fixtures/make-jwt-vectors.py), verified by BoringSSL: every
/// algorithm an issuer may use, and the tokens and keys a resource server must refuse.
@Suite("JSON Web Tokens")
struct JSONWebTokenTests {
    let vectors: JSONValue = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/jwt-vectors.json")
        return try! JSONValue(parsing: Array(try! Data(contentsOf: url)))
    }()

    var keySet: JSONWebKeySet {
        JSONWebKeySet(keys: (vectors["keys"]?.arrayValue ?? []).map { try! JSONWebKey($0) })
    }

    func outcome(_ token: String) -> String {
        do {
            let claims = try keySet.verify(try JSONWebToken(token))
            return "valid \(claims.sub ?? "?")"
        } catch {
            return error.description
        }
    }

    @Test("RS, PS, ES (P-256, P-384, P-521) and EdDSA tokens verify, with or without a kid")
    func valid() throws {
        let valid = try #require(vectors["valid"]?.objectValue)
        #expect(valid.count == 12)
        for (name, token) in valid {
            #expect(outcome(try #require(token.stringValue)) == "valid ada", "\(name)")
        }
    }

    @Test("Tampered claims, another key, a DER signature, none, HS256 with the public key, a key of another type")
    func refused() throws {
        let refused = try #require(vectors["refused"]?.objectValue)
        #expect(refused.values.map { $0.arrayValue?.count ?? 0 }.reduce(0, +) == 14)
        for (reason, tokens) in refused {
            for token in tokens.arrayValue ?? [] {
                let said = outcome(try #require(token.stringValue))
                #expect(said.contains(reason), "\(token): \(said)")
            }
        }
    }

    @Test("Short RSA keys, points off the curve, encryption keys, shared secrets and other curves are not used")
    func unusableKeys() throws {
        let unusable = try #require(vectors["unusable"]?.objectValue)
        #expect(unusable.count == 5)
        for (reason, jwk) in unusable {
            #expect(throws: JSONWebKey.Unusable.self, "\(reason)") { try JSONWebKey(jwk) }
            do {
                _ = try JSONWebKey(jwk)
            } catch {
                #expect(error.description.contains(reason), "\(error.description)")
            }
        }
    }

    @Test("Claims: one audience or several, fractional dates, scopes as a string or a list")
    func claims() {
        let one = AccessTokenClaims(["aud": "https://mcp.test/mcp", "exp": 2_000_000_060.5, "scp": "a b", "scope": "c"])
        #expect(one.aud == ["https://mcp.test/mcp"] && one.exp == Date(timeIntervalSince1970: 2_000_000_060.5) && one.scopes == ["a", "b", "c"])
        let several = AccessTokenClaims(["aud": ["x", "y"], "scp": ["a"], "nbf": 5, "iss": 7])
        #expect(several.aud == ["x", "y"] && several.scopes == ["a"] && several.nbf == Date(timeIntervalSince1970: 5) && several.iss == nil)
        #expect(Base64URL.decode("_-8") == [0xFF, 0xEF] && Base64URL.decode("/+8") == nil && Base64URL.decode("AQ==") == [1])
    }
}
