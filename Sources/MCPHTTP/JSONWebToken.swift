import FoundationEssentials
import JSONValue

/// A signed access token (a JWS in compact form, RFC 7515 §7.1) taken apart: header, claims and signature. Nothing in
/// it is believed until ``JSONWebKeySet/verify(_:)`` has checked the signature.
struct JSONWebToken: Sendable {
    /// Why a token was refused, worded for the 401 the client sees.
    struct Refusal: Error, Equatable, CustomStringConvertible {
        var description: String
        static let notJWT = Refusal(description: "the bearer token is not a JWT access token")
        static let malformed = Refusal(description: "the token is malformed")
        static let badSignature = Refusal(description: "the token's signature does not verify")
        static let unknownKey = Refusal(description: "the token's key is not one the issuer publishes")
    }

    let header: JSONValue
    let claims: JSONValue
    /// `header.payload` as sent: what the signature covers.
    let signingInput: [UInt8]
    let signature: [UInt8]

    var keyID: String? { header["kid"]?.stringValue }

    init(_ token: String) throws(Refusal) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]), let header = try? JSONValue(parsing: Data(headerBytes)),
            header.objectValue != nil
        else { throw .notJWT }
        guard let claimBytes = Base64URL.decode(parts[1]), let claims = try? JSONValue(parsing: Data(claimBytes)), claims.objectValue != nil,
            let signature = Base64URL.decode(parts[2])
        else { throw .malformed }
        self.header = header
        self.claims = claims
        self.signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        self.signature = signature
    }

    /// The header's algorithm, when it is one a resource server can verify.
    func algorithm() throws(Refusal) -> JWSAlgorithm {
        let name = header["alg"]?.stringValue ?? ""
        guard let algorithm = JWSAlgorithm(rawValue: name) else {
            let known = JWSAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")
            throw Refusal(description: "the token is signed with '\(name)', not one of \(known)")
        }
        return algorithm
    }
}

/// The issuer's published keys, and the one check that matters before any claim is read: the signature.
struct JSONWebKeySet: Sendable {
    let keys: [JSONWebKey]
    /// The `kid`s of ``keys``, looked up for every token.
    let keyIDs: Set<String>

    init(keys: [JSONWebKey]) {
        self.keys = keys
        keyIDs = Set(keys.compactMap(\.kid))
    }

    /// The token's claims, once a key of this set verifies its signature: the key its `kid` names, or, without a
    /// `kid`, any key its algorithm fits.
    func verify(_ token: JSONWebToken) throws(JSONWebToken.Refusal) -> AccessTokenClaims {
        let algorithm = try token.algorithm()
        let candidates = keys.filter { key in token.keyID.map { key.kid == $0 } ?? true }
        guard !candidates.isEmpty else { throw .unknownKey }
        let fitting = candidates.filter { $0.allows(algorithm) }
        guard !fitting.isEmpty else {
            throw JSONWebToken.Refusal(description: "the token is signed with \(algorithm.rawValue), which its key is not for")
        }
        guard fitting.contains(where: { $0.verifies(token.signature, of: token.signingInput, with: algorithm) }) else { throw .badSignature }
        return AccessTokenClaims(token.claims)
    }
}

/// The claims of an access token this server reads. Everything optional: what is missing or of the wrong type is
/// refused by ``OAuthVerifier/check(_:at:)`` with a reason, not by a decoding error.
struct AccessTokenClaims: Sendable {
    var iss: String?
    var sub: String?
    /// RFC 7519 §4.1.3: one audience as a string, or several as an array.
    var aud: [String]?
    var exp: Date?
    var nbf: Date?
    /// RFC 9068 / OAuth: space-separated.
    var scope: String?
    /// Okta, Azure: an array (or a string).
    var scp: [String]?
    var clientID: String?
    var azp: String?

    init(
        iss: String? = nil, sub: String? = nil, aud: [String]? = nil, exp: Date? = nil, nbf: Date? = nil, scope: String? = nil,
        scp: [String]? = nil, clientID: String? = nil, azp: String? = nil
    ) {
        (self.iss, self.sub, self.aud, self.exp, self.nbf) = (iss, sub, aud, exp, nbf)
        (self.scope, self.scp, self.clientID, self.azp) = (scope, scp, clientID, azp)
    }

    /// The claims of a verified token's payload.
    init(_ claims: JSONValue) {
        func strings(_ value: JSONValue?) -> [String]? {
            if let text = value?.stringValue { return [text] }
            return value?.arrayValue?.compactMap(\.stringValue)
        }
        /// NumericDate (RFC 7519 §2): seconds since the epoch, possibly fractional.
        func date(_ value: JSONValue?) -> Date? {
            value?.doubleValue.map { Date(timeIntervalSince1970: $0) }
        }
        self.init(
            iss: claims["iss"]?.stringValue, sub: claims["sub"]?.stringValue, aud: strings(claims["aud"]), exp: date(claims["exp"]),
            nbf: date(claims["nbf"]), scope: claims["scope"]?.stringValue,
            scp: claims["scp"]?.stringValue.map { $0.split(separator: " ").map(String.init) } ?? strings(claims["scp"]),
            clientID: claims["client_id"]?.stringValue, azp: claims["azp"]?.stringValue)
    }

    var scopes: Set<String> {
        Set((scope ?? "").split(separator: " ").map(String.init) + (scp ?? []))
    }
}
