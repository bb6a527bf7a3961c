import CNIOBoringSSL
import FoundationEssentials
import JSONValue

/// A JWS signature algorithm an access token may be signed with (RFC 7518 §3). Only public-key algorithms: a resource
/// server never holds the issuer's shared secrets, so `HS*` (and `none`) are refused.
enum JWSAlgorithm: String, CaseIterable, Sendable {
    case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
    case ps256 = "PS256", ps384 = "PS384", ps512 = "PS512"
    case es256 = "ES256", es384 = "ES384", es512 = "ES512"
    case edDSA = "EdDSA"

    /// The key type (`kty`) and, for elliptic curves, the curve (`crv`) this algorithm signs with.
    var keyType: JSONWebKey.KeyType {
        switch self {
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512: .rsa
        case .es256: .ec(.p256)
        case .es384: .ec(.p384)
        case .es512: .ec(.p521)
        case .edDSA: .ed25519
        }
    }

    /// The digest signed; nil for EdDSA, which hashes inside the signature.
    fileprivate var digest: OpaquePointer? {
        switch self {
        case .rs256, .ps256, .es256: EVP_sha256()
        case .rs384, .ps384, .es384: EVP_sha384()
        case .rs512, .ps512, .es512: EVP_sha512()
        case .edDSA: nil
        }
    }
}

/// One public key of an issuer's key set (RFC 7517), checked and held by BoringSSL: the one NIOSSL links for TLS,
/// so that verifying a token adds no second copy of it to the binary. Immutable once made (BoringSSL's keys may then be
/// used from several threads at once), hence `@unchecked Sendable`.
final class JSONWebKey: @unchecked Sendable {
    enum Curve: String, Sendable {
        case p256 = "P-256", p384 = "P-384", p521 = "P-521"

        fileprivate var nid: Int32 {
            switch self {
            case .p256: NID_X9_62_prime256v1
            case .p384: NID_secp384r1
            case .p521: NID_secp521r1
            }
        }

        /// The bytes of one coordinate, and of `r` and of `s` in a JWS signature (RFC 7518 §3.4).
        var coordinateSize: Int {
            switch self {
            case .p256: 32
            case .p384: 48
            case .p521: 66
            }
        }
    }

    enum KeyType: Equatable, Sendable {
        case rsa, ec(Curve), ed25519
    }

    /// Why a published key cannot be used.
    struct Unusable: Error, CustomStringConvertible {
        var description: String
    }

    /// RSA keys shorter than this are refused, as RFC 7518 §3.3 requires.
    static let minimumRSABits: UInt32 = 2048

    let kid: String?
    let type: KeyType
    /// The key's own `alg`, when the issuer publishes it: then no other algorithm may use it.
    let algorithm: String?
    private let key: OpaquePointer

    /// A key from its JWK: RSA (`n`, `e`), EC (`crv`, `x`, `y`, the point checked to be on the curve) or OKP Ed25519
    /// (`x`). Keys for encryption only (`use` other than `sig`) are refused.
    init(_ jwk: JSONValue) throws(Unusable) {
        // BoringSSL's error queue is per thread and NIOSSL reads it after a failed TLS call on an event loop thread:
        // a refused key leaves nothing on it.
        defer { ERR_clear_error() }
        kid = jwk["kid"]?.stringValue
        algorithm = jwk["alg"]?.stringValue
        if let use = jwk["use"]?.stringValue, use != "sig" { throw Unusable(description: "its use is '\(use)', not 'sig'") }
        func bytes(_ name: String) throws(Unusable) -> [UInt8] {
            guard let text = jwk[name]?.stringValue, let value = Base64URL.decode(text), !value.isEmpty else {
                throw Unusable(description: "its '\(name)' is missing or not base64url")
            }
            return value
        }
        switch jwk["kty"]?.stringValue {
        case "RSA":
            type = .rsa
            key = try Self.rsaKey(modulus: bytes("n"), exponent: bytes("e"))
        case "EC":
            guard let name = jwk["crv"]?.stringValue, let curve = Curve(rawValue: name) else {
                throw Unusable(description: "its curve '\(jwk["crv"]?.stringValue ?? "")' is not P-256, P-384 or P-521")
            }
            type = .ec(curve)
            key = try Self.ecKey(curve: curve, x: bytes("x"), y: bytes("y"))
        case "OKP":
            guard jwk["crv"]?.stringValue == "Ed25519" else { throw Unusable(description: "its curve is not Ed25519") }
            let x = try bytes("x")
            guard x.count == 32, let made = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, x, x.count) else {
                throw Unusable(description: "its Ed25519 key is not 32 bytes")
            }
            type = .ed25519
            key = made
        case let other:
            throw Unusable(description: "its key type '\(other ?? "")' is not RSA, EC or OKP")
        }
    }

    deinit { EVP_PKEY_free(key) }

    /// Whether `algorithm` may be used with this key: the key's type, and its own `alg` when it has one.
    func allows(_ algorithm: JWSAlgorithm) -> Bool {
        algorithm.keyType == type && (self.algorithm == nil || self.algorithm == algorithm.rawValue)
    }

    /// Whether `signature` is this key's signature of `message` with `algorithm` (which the key must allow).
    func verifies(_ signature: [UInt8], of message: [UInt8], with algorithm: JWSAlgorithm) -> Bool {
        guard allows(algorithm) else { return false }
        defer { ERR_clear_error() }  // a failed verification leaves its reason on this thread's error queue
        var signature = signature
        if case .ec(let curve) = type {
            // JWS writes r and s side by side; BoringSSL verifies their DER form.
            guard let der = Self.derSignature(signature, size: curve.coordinateSize) else { return false }
            signature = der
        }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        guard EVP_DigestVerifyInit(context, &keyContext, algorithm.digest, nil, key) == 1 else { return false }
        switch algorithm {
        case .ps256, .ps384, .ps512:
            // RFC 7518 §3.5: MGF1 with the same hash, and a salt as long as the hash.
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
                EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) == 1
            else { return false }
        default: break
        }
        return EVP_DigestVerify(context, signature, signature.count, message, message.count) == 1
    }

    private static func rsaKey(modulus: [UInt8], exponent: [UInt8]) throws(Unusable) -> OpaquePointer {
        guard let n = BN_bin2bn(modulus, modulus.count, nil) else { throw Unusable(description: "its modulus cannot be read") }
        defer { BN_free(n) }
        guard let e = BN_bin2bn(exponent, exponent.count, nil) else { throw Unusable(description: "its exponent cannot be read") }
        defer { BN_free(e) }
        guard let rsa = RSA_new_public_key(n, e) else {
            throw Unusable(description: "it is not a valid RSA public key")
        }
        let bits = RSA_bits(rsa)
        guard bits >= minimumRSABits else {
            RSA_free(rsa)
            throw Unusable(description: "its RSA key has \(bits) bits, fewer than \(minimumRSABits)")
        }
        guard let key = EVP_PKEY_new() else {
            RSA_free(rsa)
            throw Unusable(description: "no memory for the key")
        }
        EVP_PKEY_assign_RSA(key, rsa)  // the key now owns rsa
        return key
    }

    private static func ecKey(curve: Curve, x: [UInt8], y: [UInt8]) throws(Unusable) -> OpaquePointer {
        guard x.count == curve.coordinateSize, y.count == curve.coordinateSize else {
            throw Unusable(description: "its coordinates are not \(curve.coordinateSize) bytes, as \(curve.rawValue) needs")
        }
        guard let ec = EC_KEY_new_by_curve_name(curve.nid) else { throw Unusable(description: "no memory for the key") }
        let bigX = BN_bin2bn(x, x.count, nil)
        let bigY = BN_bin2bn(y, y.count, nil)
        defer {
            BN_free(bigX)
            BN_free(bigY)
        }
        guard EC_KEY_set_public_key_affine_coordinates(ec, bigX, bigY) == 1, let key = EVP_PKEY_new() else {
            EC_KEY_free(ec)
            throw Unusable(description: "its point is not on \(curve.rawValue)")
        }
        EVP_PKEY_assign_EC_KEY(key, ec)  // the key now owns ec
        return key
    }

    /// r ‖ s, each `size` bytes, as the DER `ECDSA-Sig-Value` BoringSSL verifies; nil when the length is wrong.
    private static func derSignature(_ raw: [UInt8], size: Int) -> [UInt8]? {
        guard raw.count == 2 * size, let signature = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(signature) }
        guard let r = BN_bin2bn(raw, size, nil) else { return nil }
        guard let s = raw.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress! + size, size, nil) }) else {
            BN_free(r)
            return nil
        }
        guard ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            return nil
        }
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard ECDSA_SIG_to_bytes(&out, &length, signature) == 1, let out else { return nil }
        defer { OPENSSL_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: length))
    }
}

/// base64url without padding (RFC 7515 §2), as JWS and JWK write their parts.
enum Base64URL {
    /// The bytes of `text`; nil when it holds a character outside the base64url alphabet (`+` and `/` included).
    /// Trailing padding, which some issuers write, is tolerated.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let unpadded = text.utf8.reversed().drop { $0 == UInt8(ascii: "=") }.reversed()
        guard !unpadded.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "=") }) else { return nil }
        var base64 = String(
            decoding: unpadded.map { $0 == UInt8(ascii: "-") ? UInt8(ascii: "+") : $0 == UInt8(ascii: "_") ? UInt8(ascii: "/") : $0 }, as: UTF8.self)
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }
}
