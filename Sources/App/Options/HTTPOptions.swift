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

    @Flag(
        name: .customLong("insecure-no-auth"),
        help: "Serve a non-loopback address without authentication: anyone who reaches the port can use it.")
    var insecureNoAuth = false

    /// The server's options; nil without --http (stdio).
    /// - Throws: `ValidationError` for a bad address, an unreadable or bad token file, or a setup that would expose
    ///   Prefect without authentication.
    func options(writes: Bool) throws -> HTTPServerOptions? {
        guard let address else {
            if tokenFile != nil || insecureNoAuth || !allowedOrigins.isEmpty || path != "/mcp" || tlsCertificate != nil || tlsKey != nil {
                throw ValidationError(
                    "--auth-token-file, --insecure-no-auth, --allowed-origin, --http-path and --tls-cert/--tls-key apply to --http only.")
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
        if tokens.isEmpty, !HTTPServerOptions.isLoopback(host), !insecureNoAuth {
            throw ValidationError(
                "refusing to serve \(host) without authentication: anyone who reaches it could read your Prefect. Give "
                    + "--auth-token-file FILE, or bind to 127.0.0.1, or (knowingly) --insecure-no-auth.")
        }
        if writes, tokens.isEmpty {
            throw ValidationError("--allow-writes over HTTP needs authentication: give --auth-token-file FILE.")
        }
        for origin in allowedOrigins where URL(string: origin)?.host == nil {
            throw ValidationError("--allowed-origin '\(origin.echoed)' is not an origin like https://app.example.com.")
        }
        var options = HTTPServerOptions(host: host, port: port, path: path, allowedOrigins: Set(allowedOrigins), tokens: tokens)
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
        return options
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
