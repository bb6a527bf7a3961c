import FoundationEssentials
import Testing

@testable import Core
@testable import Doctor

/// The parts of `doctor` that need no server: the supported releases, the HTTP date, the clock's verdict, the names
/// a certificate covers, and which checks are skipped after a failure. (The checks against real and broken servers
/// are in Tests/e2e/test_doctor.py.)
@Suite("doctor's verdicts")
struct DoctorTests {
    @Test("Prefect 3.1 up to 4 is supported; other releases are not; an unreadable one is unknown")
    func releases() {
        #expect(["3.9.1", "3.1.0", "3.10.0rc1", "3.99"].map(SupportedPrefect.supports) == [true, true, true, true])
        #expect(["2.20.3", "3.0.9", "4.0.0"].map(SupportedPrefect.supports) == [false, false, false])
        #expect(SupportedPrefect.supports("nightly") == nil)
    }

    @Test("An HTTP Date header reads as its instant; anything else is nil")
    func httpDate() {
        #expect(HTTPDate.parse("Tue, 01 Dec 2026 05:06:07 GMT") == PrefectDate.parse("2026-12-01T05:06:07Z"))
        #expect(HTTPDate.parse("Tuesday, 01-Dec-26 05:06:07 GMT") == nil && HTTPDate.parse("") == nil)
    }

    @Test("The clock: within 2.5 s passes, within 30 s warns, more fails, each saying which way")
    func clock() {
        let sent = Date(timeIntervalSince1970: 1_000_000)
        let received = sent.addingTimeInterval(0.2)
        func check(_ skew: Double) -> DoctorCheck {
            ConnectionDoctor.clock(serverDate: sent.addingTimeInterval(0.1 + skew), sentAt: sent, receivedAt: received)
        }
        #expect(check(0).status == .pass && check(0).detail == "this clock is within a second of the server's")
        #expect(check(10).status == .warn && check(10).detail == "this clock is 10 s behind the server's")
        #expect(check(-45).status == .fail && check(-45).detail == "this clock is 45 s ahead of the server's" && check(-45).fix != nil)
        #expect(ConnectionDoctor.clock(serverDate: nil, sentAt: sent, receivedAt: received).status == .skip)
    }

    @Test("Certificate names: exact, one wildcard label, case-insensitive; IPv4 and IPv6 as text")
    func names() {
        #expect(TLSProbe.matches("prefect.example.com", host: "Prefect.Example.com"))
        #expect(TLSProbe.matches("*.example.com", host: "prefect.example.com"))
        #expect(!TLSProbe.matches("*.example.com", host: "a.b.example.com") && !TLSProbe.matches("*.example.com", host: "example.com"))
        #expect(
            CertificateFacts.ipText([127, 0, 0, 1]) == "127.0.0.1"
                && CertificateFacts.ipText([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]) == "0:0:0:0:0:0:0:1")
    }

    /// Made with `cryptography` (Python): a leaf for prefect.example.com (DNS, wildcard, IPv4 and IPv6 names) issued by
    /// "Example CA", and that CA's self-signed certificate; both valid through 2026.
    static let leaf =
        "MIIBhzCCAS6gAwIBAgIBBzAKBggqhkjOPQQDAjAVMRMwEQYDVQQDDApFeGFtcGxlIENBMB4XDTI2MDEwMTAwMDAwMFoXDTI3MDEwMTAwMDAwMFowMzETMBEGA1UECgwKRXhhbXBsZSBDbzEcMBoGA1UEAwwTcHJlZmVjdC5leGFtcGxlLmNvbTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABN7zvSRqE9SgmcINVGygLiHN1aJc9ky6kxU4smlE87nJlC7Ol3xcoN7sb55GuQFUJ960razicefDISJO/dqpRu2jUTBPME0GA1UdEQRGMESCE3ByZWZlY3QuZXhhbXBsZS5jb22CFSoucHJlZmVjdC5leGFtcGxlLmNvbYcECgAAAYcQAAAAAAAAAAAAAAAAAAAAATAKBggqhkjOPQQDAgNHADBEAiBHePVRlJw7KBl7S8605lkiCJMOHZCfD7fAWbzq1LngRgIgAseNgNP2Im9YCLkEa9RGYig9gzKDIo1PMUCrh4X6ZCM="
    static let authority =
        "MIIBFjCBvaADAgECAgEIMAoGCCqGSM49BAMCMBUxEzARBgNVBAMMCkV4YW1wbGUgQ0EwHhcNMjYwMTAxMDAwMDAwWhcNMjcwMTAxMDAwMDAwWjAVMRMwEQYDVQQDDApFeGFtcGxlIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE3vO9JGoT1KCZwg1UbKAuIc3Volz2TLqTFTiyaUTzucmULs6XfFyg3uxvnka5AVQn3rStrOJx58MhIk792qlG7TAKBggqhkjOPQQDAgNIADBFAiBUInbwS3j6mkh+9OC7w0yTSFtEdffFIznABPOWWyjHPAIhAMmOz+ZMDUucSdatKERvJlG7/uZOBhCK/CHxm/0hBzsd"

    @Test("A certificate read: its names, subject and issuer, dates, and the problem named for each host and day")
    func certificate() throws {
        func read(_ base64: String) -> CertificateFacts? { Data(base64Encoded: base64).flatMap { CertificateFacts(der: Array($0)) } }
        let leaf = try #require(read(Self.leaf))
        #expect(leaf.names == ["prefect.example.com", "*.prefect.example.com", "10.0.0.1", "0:0:0:0:0:0:0:1"])
        #expect(leaf.subject == "CN=prefect.example.com,O=Example Co" && leaf.issuer == "CN=Example CA" && !leaf.isSelfIssued)
        #expect(leaf.notValidBefore == Date(timeIntervalSince1970: 1_767_225_600) && leaf.notValidAfter == Date(timeIntervalSince1970: 1_798_761_600))
        let midYear = Date(timeIntervalSince1970: 1_782_000_000)
        #expect(
            TLSProbe.problem(with: leaf, chainLength: 1, host: "api.prefect.example.com", now: midYear)
                == "the certificate was issued by CN=Example CA, an authority this machine does not trust (the server sends no intermediate certificate)"
        )
        #expect(
            TLSProbe.problem(with: leaf, chainLength: 2, host: "other.test", now: midYear).hasPrefix("the certificate is for prefect.example.com, "))
        #expect(
            TLSProbe.problem(with: leaf, chainLength: 2, host: "10.0.0.1", now: Date(timeIntervalSince1970: 1_800_000_000)).contains(
                "expired on 2027-01-01"))
        let authority = try #require(read(Self.authority))
        #expect(authority.isSelfIssued && authority.names == ["Example CA"] && authority.shownNames == "Example CA")
        #expect(
            TLSProbe.problem(with: authority, chainLength: 1, host: "example ca", now: midYear)
                == "the certificate is self-signed (CN=Example CA): nothing vouches for it")
        #expect(CertificateFacts(der: Array("not a certificate".utf8)) == nil && CertificateFacts(der: []) == nil)
    }

    @Test("After a failure the later checks are skipped, naming it; TLS says it is unused on http")
    func skipped() {
        let afterTCP = ConnectionDoctor.skipped(after: "TCP", secure: false)
        #expect(afterTCP.map(\.name) == ["TLS", "API", "auth", "version", "clock", "CSRF", "websocket"])
        #expect(afterTCP[0].detail == "not used: the URL is http" && afterTCP[1].detail == "not tried: TCP failed")
        #expect(ConnectionDoctor.skipped(after: "TCP", secure: true)[0].detail == "not tried: TCP failed")
        #expect(ConnectionDoctor.skipped(after: "API", secure: false).map(\.name) == ["auth", "version", "clock", "CSRF", "websocket"])
        #expect(afterTCP.allSatisfy { $0.status == .skip })
    }

    @Test("Nothing listens on a closed port: refused, at once")
    func refused() {
        #expect(NetworkProbe.connect(address: "127.0.0.1", port: 1, timeout: 2) == .refused)
        #expect(NetworkProbe.resolve("127.0.0.1", port: 80) == .addresses(["127.0.0.1"]))
        if case .failed = NetworkProbe.resolve("no-such-host.invalid", port: 80) {} else { Issue.record("an .invalid name resolved") }
    }
}
