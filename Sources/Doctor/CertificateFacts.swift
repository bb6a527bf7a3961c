import CNIOBoringSSL
package import FoundationEssentials
import NIOSSL

/// What `doctor` says about a server's certificate, read from its DER by BoringSSL (the one NIOSSL links for TLS):
/// for which names, by whom, and when it is valid.
package struct CertificateFacts: Sendable, Equatable {
    /// The subject and the issuer as RFC 2253 writes a name: `CN=prefect.example.com,O=Example`.
    package var subject: String
    package var issuer: String
    /// The DNS and IP subject alternative names, else the subject's common names.
    package var names: [String]
    package var notValidBefore: Date
    package var notValidAfter: Date
    /// Issued by its own subject: nothing else vouches for it.
    package var isSelfIssued: Bool

    /// The names, as a message shows them.
    package var shownNames: String { names.isEmpty ? "no name" : names.joined(separator: ", ") }

    /// What a certificate NIOSSL handed over says; nil when it cannot be read.
    init?(_ certificate: NIOSSLCertificate) {
        guard let der = try? certificate.toDERBytes() else { return nil }
        self.init(der: der)
    }

    /// nil when `der` is not an X.509 certificate.
    package init?(der: [UInt8]) {
        defer { ERR_clear_error() }  // BoringSSL's per-thread error queue, which NIOSSL also reads, is left empty
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let certificate = parsed else { return nil }
        defer { X509_free(certificate) }
        guard let subjectName = X509_get_subject_name(certificate), let issuerName = X509_get_issuer_name(certificate),
            let notBefore = Self.date(X509_get0_notBefore(certificate)), let notAfter = Self.date(X509_get0_notAfter(certificate))
        else { return nil }
        subject = Self.text(of: subjectName)
        issuer = Self.text(of: issuerName)
        isSelfIssued = X509_NAME_cmp(subjectName, issuerName) == 0
        notValidBefore = notBefore
        notValidAfter = notAfter
        let alternatives = Self.alternativeNames(of: certificate)
        names = alternatives.isEmpty ? Self.commonNames(of: subjectName) : alternatives
    }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        var seconds: Int64 = 0
        guard let time, ASN1_TIME_to_posix(time, &seconds) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static func text(of name: OpaquePointer) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "?" }
        defer { BIO_free(bio) }
        // RFC 2253's order and escapes, control characters escaped, UTF-8 kept readable (XN_FLAG_RFC2253 without its
        // escaping of every non-ASCII byte and its hex dumps; the macro itself is too complex for Swift to import).
        let flags = ASN1_STRFLGS_ESC_2253 | ASN1_STRFLGS_ESC_CTRL | ASN1_STRFLGS_UTF8_CONVERT | XN_FLAG_SEP_COMMA_PLUS | XN_FLAG_DN_REV
        guard X509_NAME_print_ex(bio, name, 0, flags) >= 0 else { return "?" }
        var contents: UnsafePointer<UInt8>?
        var length = 0
        guard BIO_mem_contents(bio, &contents, &length) == 1, let contents else { return "?" }
        return String(decoding: UnsafeBufferPointer(start: contents, count: length), as: UTF8.self)
    }

    private static func alternativeNames(of certificate: OpaquePointer) -> [String] {
        guard let raw = X509_get_ext_d2i(certificate, NID_subject_alt_name, nil, nil) else { return [] }
        let stack = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(stack) }
        var names: [String] = []
        for index in 0..<OPENSSL_sk_num(stack) {
            guard let entry = OPENSSL_sk_value(stack, index)?.assumingMemoryBound(to: GENERAL_NAME.self).pointee else { continue }
            switch entry.type {
            case GEN_DNS: names.append(string(entry.d.dNSName))
            case GEN_IPADD: names.append(ipText(bytes(entry.d.iPAddress)))
            default: break
            }
        }
        return names
    }

    private static func commonNames(of name: OpaquePointer) -> [String] {
        var names: [String] = []
        var index: Int32 = -1
        while true {
            index = X509_NAME_get_index_by_NID(name, NID_commonName, index)
            guard index >= 0 else { break }
            names.append(string(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index))))
        }
        return names
    }

    private static func bytes(_ string: UnsafePointer<ASN1_STRING>?) -> [UInt8] {
        guard let string, let data = ASN1_STRING_get0_data(string) else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(string))))
    }

    private static func string(_ value: UnsafePointer<ASN1_STRING>?) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// An IP subject alternative name as text: dotted for IPv4, colon-separated groups for IPv6.
    static func ipText(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        guard bytes.count == 16 else { return bytes.map { String($0, radix: 16) }.joined(separator: ":") }
        return stride(from: 0, to: bytes.count, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(
            separator: ":")
    }
}
