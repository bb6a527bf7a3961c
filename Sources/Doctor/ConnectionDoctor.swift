package import Core
package import FoundationEssentials
import JSONValue

/// `prefect-mcp doctor`'s checks of the connection to Prefect, in the order a request meets them: the name, the
/// TCP connection, TLS, the API answering, the credential, the server's release, the clocks, CSRF and the
/// websocket. A check that cannot run because an earlier one failed is skipped, saying which.
package enum ConnectionDoctor {
    /// Runs every check against `settings`' server; never throws (every failure is a failed check).
    package static func checks(settings: PrefectSettings, userAgent: String = "prefect-mcp") async -> [DoctorCheck] {
        let url = settings.apiURL.value
        let source = settings.apiURL.source
        var checks: [DoctorCheck] = []
        guard let host = url.host(percentEncoded: false), !host.isEmpty else {
            return [.fail("URL", "\(url.displayString) has no host", fix: "set an API URL like http://127.0.0.1:4200/api (from \(source))")]
        }
        let secure = url.scheme?.lowercased() == "https"
        let port = url.port ?? (secure ? 443 : 80)
        let timeout = min(settings.timeout.value, 5)

        // Name and connection.
        let address: String
        switch NetworkProbe.resolve(host, port: port) {
        case .addresses(let addresses):
            address = addresses[0]
            checks.append(.pass("DNS", host == address ? "\(host) is an address" : "\(host) → \(addresses.prefix(3).joined(separator: ", "))"))
        case .failed(let reason):
            checks.append(
                .fail("DNS", "cannot resolve \(host): \(reason)", fix: "check the host of the API URL (from \(source)) and this machine's DNS"))
            return checks + skipped(after: "DNS", secure: secure)
        }
        switch NetworkProbe.connect(address: address, port: port, timeout: timeout) {
        case .connected(let milliseconds):
            checks.append(.pass("TCP", "\(address):\(port) accepts connections (\(Self.milliseconds(milliseconds)))"))
        case .refused:
            checks.append(
                .fail(
                    "TCP", "nothing accepts connections on \(address):\(port)",
                    fix: "start the server (prefect server start) or correct the port of the API URL (from \(source))"))
            return checks + skipped(after: "TCP", secure: secure)
        case .timedOut:
            checks.append(
                .fail(
                    "TCP", "no answer from \(address):\(port) within \(Int(timeout)) s",
                    fix: "a firewall, a VPN, or the wrong address in the API URL (from \(source))"))
            return checks + skipped(after: "TCP", secure: secure)
        case .failed(let reason):
            checks.append(.fail("TCP", "cannot connect to \(address):\(port): \(reason)", fix: "check the API URL (from \(source)) and the network"))
            return checks + skipped(after: "TCP", secure: secure)
        }

        // TLS.
        if !secure {
            checks.append(.skip("TLS", "not used: the URL is http"))
        } else if settings.tlsInsecureSkipVerify.value {
            checks.append(
                .warn(
                    "TLS", "certificate verification is off (\(settings.tlsInsecureSkipVerify.source))",
                    fix: "fine for a test server; for a real one, remove PREFECT_API_TLS_INSECURE_SKIP_VERIFY"))
        } else {
            switch await TLSProbe.check(host: host, port: port, timeoutSeconds: max(1, timeout)) {
            case .verified(let detail): checks.append(.pass("TLS", detail))
            case .certificate(let problem):
                let remedy =
                    problem.contains("expired")
                    ? "renew the server's certificate"
                    : problem.contains("not valid before")
                        ? "check this machine's clock, or wait until the certificate is valid"
                        : problem.contains(", not \(host)")
                            ? "use the host name the certificate is for in the API URL, or give the server one for \(host)"
                            : "give the server a certificate from an authority this machine trusts, or add that authority (update-ca-certificates)"
                checks.append(.fail("TLS", problem, fix: remedy + "; for a test server only, PREFECT_API_TLS_INSECURE_SKIP_VERIFY=true"))
                return checks + skipped(after: "TLS", secure: false)
            case .failed(let reason):
                checks.append(
                    .fail("TLS", "no TLS handshake with \(host):\(port): \(reason)", fix: "is the server https on this port? (try http://)"))
                return checks + skipped(after: "TLS", secure: false)
            }
        }

        // The API, the credential and the release.
        let transport = AsyncHTTPTransport(skipTLSVerification: settings.tlsInsecureSkipVerify.value, connectTimeout: timeout)
        let client = PrefectClient(
            configuration: PrefectClient.Configuration(settings: settings, userAgent: userAgent), transport: transport)
        let api = await apiChecks(url: url, client: client, transport: transport, settings: settings, userAgent: userAgent)
        await client.shutdown()
        return checks + api
    }

    /// From the API answering on: `/health`, the credential, the release, the clock, CSRF and the websocket.
    private static func apiChecks(
        url: URL, client: PrefectClient, transport: any HTTPTransport, settings: PrefectSettings, userAgent: String
    ) async -> [DoctorCheck] {
        let health = await Self.health(url: url, transport: transport, timeout: settings.timeout.value, source: settings.apiURL.source)
        guard health.check.status == .pass else { return [health.check] + skipped(after: "API", secure: false) }
        let (credential, serverRelease) = await credential(client: client, settings: settings)
        let authorized = credential.status == .pass
        return [
            health.check, credential,
            authorized
                ? await release(serverRelease, client: client, settings: settings) : .skip("version", "not read: the credential failed"),
            clock(serverDate: health.serverDate, sentAt: health.sentAt, receivedAt: health.receivedAt),
            authorized ? await csrf(client: client) : .skip("CSRF", "not read: the credential failed"),
            authorized ? await websocket(settings: settings, userAgent: userAgent) : .skip("websocket", "not tried: the credential failed"),
        ]
    }

    /// `0.4 ms`, `12 ms`.
    static func milliseconds(_ value: Double) -> String {
        value < 10 ? "\((value * 10).rounded() / 10) ms" : "\(Int(value.rounded())) ms"
    }

    private static let laterChecks = ["TLS", "API", "auth", "version", "clock", "CSRF", "websocket"]

    /// The checks after `name`, each skipped for it.
    static func skipped(after name: String, secure: Bool) -> [DoctorCheck] {
        let start = laterChecks.firstIndex(of: name).map { $0 + 1 } ?? 0
        return laterChecks[start...].map { later in
            later == "TLS" && !secure ? .skip("TLS", "not used: the URL is http") : .skip(later, "not tried: \(name) failed")
        }
    }

    struct Health {
        var check: DoctorCheck
        var serverDate: Date?
        var sentAt: Date
        var receivedAt: Date
    }

    /// `GET /health`, read raw: what answers at the URL (Prefect says `true`; a web page is not the API), and the
    /// server's `Date`.
    static func health(url: URL, transport: any HTTPTransport, timeout: Double, source: SettingSource) async -> Health {
        let target = url.appending(path: "health")
        let sentAt = Date()
        let request = HTTPRequestData(method: "GET", url: target, headers: [("Accept", "application/json")], body: nil, timeout: timeout)
        do {
            let response = try await transport.send(request)
            let receivedAt = Date()
            let serverDate = response.header("Date").flatMap(HTTPDate.parse)
            let body = String(decoding: response.body.prefix(512), as: UTF8.self).trimmed
            let fixURL = "the API URL (from \(source)) ends in /api for a self-hosted server, e.g. \(url.displayString.trimmingSuffix("/"))/api"
            let check: DoctorCheck
            if (response.header("Content-Type") ?? "").contains("html") || body.hasPrefix("<") {
                check = .fail("API", "\(url.displayString) answers a web page (HTTP \(response.status)), not Prefect's API", fix: fixURL)
            } else if response.status == 200, body == "true" {
                check = .pass("API", "/health answered true in \(Self.milliseconds(receivedAt.timeIntervalSince(sentAt) * 1000))")
            } else if response.status == 404 {
                check = .fail("API", "\(url.displayString) has no /health: not a Prefect API URL", fix: fixURL)
            } else {
                check = .fail(
                    "API", "/health answered HTTP \(response.status): \(body.clipped(to: 160).terminalSafe)",
                    fix: response.status >= 500 ? "the server is unwell: see its log" : fixURL)
            }
            return Health(check: check, serverDate: serverDate, sentAt: sentAt, receivedAt: receivedAt)
        } catch {
            return Health(
                check: .fail("API", "GET /health failed: \(String(describing: error).clipped(to: 200))", fix: "check the API URL (from \(source))"),
                serverDate: nil, sentAt: sentAt, receivedAt: Date())
        }
    }

    /// A read that needs the credential: the server's release on a self-hosted server (answered with the check, for
    /// the version check), a variable on Cloud.
    static func credential(client: PrefectClient, settings: PrefectSettings) async -> (DoctorCheck, release: String?) {
        let credential = settings.credential
        let what = credential.map { "\($0.summary)" } ?? "no credential"
        do {
            var release: String?
            if settings.server.isCloud {
                _ = try await client.variables(filter: nil, limit: 1, offset: 0)
            } else {
                release = try await client.send(PrefectAPI.serverVersion)
            }
            return (.pass("auth", credential == nil ? "the server needs no credential" : "accepted: \(what)"), release)
        } catch let error as PrefectError {
            switch error {
            case .unauthorized:
                let fix =
                    credential == nil
                    ? "the server wants a credential: PREFECT_API_AUTH_STRING (self-hosted, user:password) or PREFECT_API_KEY (Cloud)"
                    : "check the credential (\(credential!.source)): it must match the server's PREFECT_SERVER_API_AUTH_STRING or be a valid API key"
                return (.fail("auth", "401 Unauthorized with \(what)", fix: fix), nil)
            case .forbidden(_, _, let detail):
                let detail = "403 Forbidden with \(what): \(detail.clipped(to: 160))"
                return (.fail("auth", detail, fix: "the credential works but may not read this workspace"), nil)
            default:
                return (.fail("auth", error.description, fix: "see the API check above"), nil)
            }
        } catch {
            return (.fail("auth", "\(error)".clipped(to: 200), fix: "see the API check above"), nil)
        }
    }

    /// The release the credential check read (self-hosted), against the supported range, with the API version.
    static func release(_ serverRelease: String?, client: PrefectClient, settings: PrefectSettings) async -> DoctorCheck {
        let apiVersion = (try? await client.send(PrefectAPI.apiVersion)).map { " (API \($0))" } ?? ""
        if settings.server.isCloud { return .pass("version", "Prefect Cloud\(apiVersion)") }
        guard let release = serverRelease else {
            return .warn("version", "the server did not say its release", fix: "GET /admin/version failed; is this Prefect 3?")
        }
        switch SupportedPrefect.supports(release) {
        case true?: return .pass("version", "Prefect \(release)\(apiVersion): supported (tested with \(SupportedPrefect.tested))")
        case false?:
            return .fail(
                "version", "Prefect \(release) is outside what prefect-mcp supports (\(SupportedPrefect.rangeDescription))",
                fix: "upgrade the server to Prefect 3 (tested with \(SupportedPrefect.tested))")
        case nil:
            return .warn(
                "version", "cannot read the release '\(release.clipped(to: 40))'",
                fix: "expected a Prefect 3 release such as \(SupportedPrefect.tested)")
        }
    }

    /// The server's clock against this one, from the `Date` of `/health` against the middle of the request (1 s
    /// resolution). Late runs are reckoned from the server's times, compared with this clock.
    static func clock(serverDate: Date?, sentAt: Date, receivedAt: Date) -> DoctorCheck {
        guard let serverDate else { return .skip("clock", "the server sent no Date header") }
        let local = sentAt.addingTimeInterval(receivedAt.timeIntervalSince(sentAt) / 2)
        let skew = serverDate.timeIntervalSince(local)
        let text =
            abs(skew) < 1.5 ? "within a second of the server's" : "\(Int(abs(skew).rounded())) s \(skew > 0 ? "behind" : "ahead of") the server's"
        let fix = "sync this machine's clock (timedatectl set-ntp true, or chrony); 'late by' and 'N ago' are reckoned against it"
        if abs(skew) <= 2.5 { return .pass("clock", "this clock is \(text)") }
        if abs(skew) <= 30 { return .warn("clock", "this clock is \(text)", fix: fix) }
        return .fail("clock", "this clock is \(text)", fix: fix)
    }

    static func csrf(client: PrefectClient) async -> DoctorCheck {
        do {
            _ = try await client.send(PrefectAPI.csrfToken(client: "prefect-mcp-doctor"))
            return .pass("CSRF", "protection is on; a token was issued (writes carry one)")
        } catch let error as PrefectError {
            if case .invalidRequest(422, _, let detail) = error, detail.lowercased().contains("disabled") {
                return .pass("CSRF", "protection is off on this server")
            }
            if case .notFound = error { return .pass("CSRF", "this server has no CSRF tokens") }
            return .warn("CSRF", "a CSRF token could not be read: \(error.description.clipped(to: 160))", fix: "writes may be refused with 403")
        } catch {
            return .warn("CSRF", "\(error)".clipped(to: 200), fix: "writes may be refused with 403")
        }
    }

    /// Subscribes to `/events/out` and waits for the handshake, sending nothing else.
    static func websocket(settings: PrefectSettings, userAgent: String) async -> DoctorCheck {
        let configuration = PrefectClient.Configuration(settings: settings, userAgent: userAgent)
        do {
            let filter = try StreamFilter.events(EventFilter(), since: Date())
            let stream = PrefectSocket.subscribe(configuration: configuration, path: .events, filter: filter, handshakeTimeout: .seconds(5))
            for try await signal in stream where signal == .ready {
                return .pass("websocket", "/events/out connected: the dashboard and logs --follow are pushed changes")
            }
            return .warn("websocket", "/events/out closed before its handshake", fix: "the dashboard polls instead")
        } catch let failure as StreamFailure {
            if case .unauthorized = failure { return .fail("websocket", failure.description, fix: "check the credential (see auth)") }
            return .warn(
                "websocket", "\(failure.description): the dashboard and logs --follow poll instead", fix: "a proxy that strips websocket upgrades?")
        } catch {
            return .warn("websocket", "\(error)".clipped(to: 200), fix: "the dashboard polls instead")
        }
    }
}

/// An HTTP `Date` header (IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`).
enum HTTPDate {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let month = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
        return PrefectDate.parse("\(year)-\(two(month + 1))-\(two(day))T\(two(time[0])):\(two(time[1])):\(two(time[2]))Z")
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
