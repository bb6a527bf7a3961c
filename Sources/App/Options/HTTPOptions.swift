import ArgumentParser
import Core
import FoundationEssentials
import JSONValue
import MCPHTTP

/// `mcp --http`: serve over Streamable HTTP instead of stdio, and for whom.
struct HTTPOptions: ParsableArguments {
    @Option(
        name: .customLong("http"),
        help: ArgumentHelp(
            "Serve MCP over Streamable HTTP on [HOST:]PORT instead of stdio (host default 127.0.0.1; port 0: a free one).",
            valueName: "[host:]port"))
    var address: String?

    @Option(name: .customLong("http-path"), help: ArgumentHelp("The MCP endpoint's path.", valueName: "path"))
    var path = "/mcp"

    @Option(
        name: .customLong("allowed-origin"),
        help: ArgumentHelp("A browser Origin allowed to call (repeatable); loopback origins are allowed when bound to loopback.", valueName: "origin")
    )
    var allowedOrigins: [String] = []

    @Option(
        name: .customLong("auth-token-file"),
        help: ArgumentHelp(
            "Require a bearer token from this file: one per line, or NAME:TOKEN (16+ characters); a line ending :read is a read-only token.",
            valueName: "file"))
    var tokenFile: String?

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("Serve HTTPS: the certificate chain (PEM).", valueName: "file"))
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The private key of --tls-cert (PEM).", valueName: "file"))
    var tlsKey: String?

    @Option(
        name: .customLong("oauth-issuer"),
        help: ArgumentHelp(
            "Accept OAuth 2.1 access tokens (JWT) of this authorization server, checked against its published keys.", valueName: "url"))
    var oauthIssuer: String?

    @Option(
        name: .customLong("oauth-audience"),
        help: ArgumentHelp(
            "This server's URL as clients reach it (https://mcp.example.com/mcp): tokens must be issued for it.", valueName: "url"))
    var oauthAudience: String?

    @Option(name: .customLong("oauth-scope"), help: ArgumentHelp("A scope every access token must carry (repeatable).", valueName: "scope"))
    var oauthScopes: [String] = []

    @Option(
        name: .customLong("oauth-write-scope"),
        help: ArgumentHelp("With --allow-writes: the scope a token needs to change Prefect; tokens without it may only read.", valueName: "scope"))
    var oauthWriteScope: String?

    @Option(
        name: .customLong("oauth-jwks-url"),
        help: ArgumentHelp("The issuer's key set, when its metadata (RFC 8414 or OpenID discovery) does not say where it is.", valueName: "url"))
    var oauthJWKSURL: String?

    @Flag(
        name: .customLong("allow-client-credentials"),
        help: "Let each caller name its Prefect (X-Prefect-Api-Url, -Key, -Auth-String headers), among --allowed-api-url; TLS or loopback only.")
    var allowClientCredentials = false

    @Option(
        name: .customLong("allowed-api-url"),
        help: ArgumentHelp(
            "A Prefect API URL callers may name (repeatable); * matches within one part: https://api.prefect.cloud/api/accounts/*/workspaces/*",
            valueName: "pattern"))
    var allowedAPIURLs: [String] = []

    @Option(
        name: .customLong("shutdown-grace"),
        help: ArgumentHelp("On SIGTERM or SIGINT, seconds requests in flight have to finish before they are cancelled.", valueName: "seconds"))
    var shutdownGrace: Double = 10

    @Flag(
        name: .customLong("insecure-no-auth"),
        help: "Serve a non-loopback address without authentication: anyone who reaches the port can use it.")
    var insecureNoAuth = false

    /// The server's options; nil without --http (stdio).
    /// - Throws: `ValidationError` for a bad address, an unreadable or bad token file, or a setup that would expose
    ///   Prefect without authentication.
    func options(writes: Bool) throws -> HTTPServerOptions? {
        guard let address else {
            if tokenFile != nil || insecureNoAuth || !allowedOrigins.isEmpty || path != "/mcp" || tlsCertificate != nil || tlsKey != nil
                || oauthIssuer != nil || oauthAudience != nil || allowClientCredentials || !allowedAPIURLs.isEmpty
            {
                throw ValidationError(
                    "--auth-token-file, --oauth-*, --allow-client-credentials, --allowed-api-url, --insecure-no-auth, --allowed-origin, "
                        + "--http-path and --tls-cert/--tls-key apply to --http only.")
            }
            return nil
        }
        let (host, port) = try Self.parse(address)
        guard path.hasPrefix("/"), path.count > 1, path != "/healthz" else {
            throw ValidationError("--http-path '\(path.echoed)' must start with / and not be / or /healthz.")
        }
        var tokens: [BearerToken] = []
        if let tokenFile {
            let text: String
            switch SettingsResolver.readFile(tokenFile) {
            case .contents(let bytes): text = String(decoding: bytes, as: UTF8.self)
            case .missing: throw ValidationError("--auth-token-file '\(tokenFile.echoed)': no such file.")
            case .unreadable(let reason): throw ValidationError("--auth-token-file '\(tokenFile.echoed)' cannot be read: \(reason).")
            }
            do {
                tokens = try BearerToken.parse(file: text)
            } catch {
                throw ValidationError("--auth-token-file '\(tokenFile.echoed)': \(error)")
            }
        }
        let oauth = try oauthOptions()
        if tokens.isEmpty, oauth == nil, !HTTPServerOptions.isLoopback(host), !insecureNoAuth {
            throw ValidationError(
                "refusing to serve \(host) without authentication: anyone who reaches it could read your Prefect. Give "
                    + "--auth-token-file FILE or --oauth-issuer/--oauth-audience, or bind to 127.0.0.1, or (knowingly) --insecure-no-auth.")
        }
        if writes, tokens.isEmpty, oauth == nil {
            throw ValidationError("--allow-writes over HTTP needs authentication: give --auth-token-file FILE or --oauth-issuer/--oauth-audience.")
        }
        if oauthWriteScope != nil, !writes {
            throw ValidationError("--oauth-write-scope applies with --allow-writes only: without it no tool changes Prefect.")
        }
        guard shutdownGrace >= 0, shutdownGrace <= 600 else {
            throw ValidationError("--shutdown-grace must be between 0 and 600 seconds, not \(shutdownGrace).")
        }
        for origin in allowedOrigins where URL(string: origin)?.host == nil {
            throw ValidationError("--allowed-origin '\(origin.echoed)' is not an origin like https://app.example.com.")
        }
        var options = HTTPServerOptions(host: host, port: port, path: path, allowedOrigins: Set(allowedOrigins), tokens: tokens)
        options.oauth = oauth
        switch (tlsCertificate, tlsKey) {
        case (let certificate?, let key?):
            options.tls = (certificate, key)
            do {
                try HTTPMCPServer.checkTLS(options.tls)  // read now: a bad file is a usage error, not a late crash
            } catch {
                throw ValidationError("\(error)")
            }
        case (nil, nil): break
        default: throw ValidationError("--tls-cert and --tls-key go together: give both, or neither.")
        }
        if allowClientCredentials {
            guard !allowedAPIURLs.isEmpty else {
                throw ValidationError(
                    "--allow-client-credentials needs --allowed-api-url PATTERN (repeatable), the Prefect URLs callers may name, "
                        + "e.g. https://api.prefect.cloud/api/accounts/*/workspaces/*: otherwise callers could make this server reach any host.")
            }
            _ = try clientCredentialPatterns()  // checked now, before anything that needs shutting down exists
            guard options.tls != nil || HTTPServerOptions.isLoopback(host) else {
                throw ValidationError(
                    "--allow-client-credentials off loopback needs --tls-cert/--tls-key: callers' Prefect keys must not cross the network in clear.")
            }
        } else if !allowedAPIURLs.isEmpty {
            throw ValidationError("--allowed-api-url applies with --allow-client-credentials only.")
        }
        return options
    }

    /// The URLs callers may name with --allow-client-credentials; nil when callers may not name one.
    func clientCredentialPatterns() throws -> [APIURLPattern]? {
        guard allowClientCredentials else { return nil }
        do {
            return try allowedAPIURLs.map { pattern throws(ClientCredentialsError) in try APIURLPattern(pattern) }
        } catch {
            throw ValidationError(error.description)
        }
    }

    private func oauthOptions() throws -> OAuthOptions? {
        switch (oauthIssuer, oauthAudience) {
        case (nil, nil):
            if !oauthScopes.isEmpty || oauthWriteScope != nil || oauthJWKSURL != nil {
                throw ValidationError("--oauth-scope, --oauth-write-scope and --oauth-jwks-url need --oauth-issuer and --oauth-audience.")
            }
            return nil
        case (let issuer?, let audience?):
            for (flag, value) in [("--oauth-issuer", issuer), ("--oauth-audience", audience)]
                + (oauthJWKSURL.map { [("--oauth-jwks-url", $0)] } ?? [])
            {
                guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), let host = url.host,
                    scheme == "https" || (scheme == "http" && (flag == "--oauth-audience" || HTTPServerOptions.isLoopback(host)))
                else {
                    throw ValidationError(
                        "\(flag) '\(value.echoed)' must be an https URL (http only for an issuer on this machine): keys and tokens must not be "
                            + "fetched or trusted in clear.")
                }
            }
            for scope in oauthScopes + (oauthWriteScope.map { [$0] } ?? []) where scope.isEmpty || scope.contains(where: { $0 == " " || $0 == "\"" })
            {
                throw ValidationError("--oauth-scope '\(scope.echoed)' must be one scope, without spaces or quotes.")
            }
            return OAuthOptions(issuer: issuer, audience: audience, requiredScopes: oauthScopes, writeScope: oauthWriteScope, jwksURL: oauthJWKSURL)
        default:
            throw ValidationError("--oauth-issuer and --oauth-audience go together: the issuer whose tokens to accept, and this server's URL.")
        }
    }

    /// `8000`, `0.0.0.0:8000`, `[::1]:8000`.
    static func parse(_ text: String) throws -> (host: String, port: Int) {
        var host = "127.0.0.1"
        var portText = text
        if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else {
            throw ValidationError("--http '\(text.echoed)' is not [HOST:]PORT, e.g. 8000 or 0.0.0.0:8000.")
        }
        return (host, port)
    }
}
