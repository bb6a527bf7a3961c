package import FoundationEssentials
import HTTPTypes
package import JSONValue
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import NIOWebSocket
import WSClient

#if canImport(Glibc)
    import Glibc
#endif

/// One subscription to Prefect's `/events/out` or `/logs/out` websocket (docs/prefect-streams.md §4): subprotocol
/// `prefect`, the `Authorization` header for proxies, `{"type":"auth","token":…}` answered by `auth_success`, then
/// the filter; after that the server only talks. The socket ends when the consumer stops iterating.
package enum PrefectSocket {
    /// Which stream.
    package enum Path: String, Sendable {
        case events = "/events/out"
        case logs = "/logs/out"
    }

    /// What a subscription yields: `.ready` once the filter is sent, then each text message as it came.
    package enum Signal: Sendable, Equatable {
        case ready
        case message(String)
    }

    /// The websocket URL of `path` under the API base: `http` → `ws`, `https` → `wss`; nil for another scheme.
    package static func url(api: URL, path: Path) -> String? {
        guard let components = URLComponents(url: api, resolvingAgainstBaseURL: false), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { return nil }
        let socketScheme: String
        switch scheme {
        case "http": socketScheme = "ws"
        case "https": socketScheme = "wss"
        default: return nil
        }
        var base = components.percentEncodedPath
        while base.hasSuffix("/") { base.removeLast() }
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let port = components.port.map { ":\($0)" } ?? ""
        return "\(socketScheme)://\(shownHost)\(port)\(base)\(path.rawValue)"
    }

    /// The auth message: the raw auth string for a basic-auth server, the API key for Cloud, else `null` (§4).
    package static func authMessage(_ credential: Credential?) -> String {
        let token: JSONValue =
            switch credential {
            case .basic(let secret, _)?: .string(secret.revealed)
            case .bearer(let secret, _)?: .string(secret.revealed)
            case nil: .null
            }
        return JSONValue.object(["type": "auth", "token": token]).jsonText
    }

    /// Subscribes and yields ``Signal``s; ends by throwing ``StreamFailure`` (never finishes quietly: a socket that
    /// closes, even cleanly, is a cut to the caller). The handshake, up to `.ready`, must end within `handshakeTimeout`.
    package static func subscribe(
        configuration: PrefectClient.Configuration, path: Path, filter: JSONValue, handshakeTimeout: Duration
    ) -> AsyncThrowingStream<Signal, any Error> {
        let logger = Logger(label: "prefect-mcp.stream")
        return AsyncThrowingStream<Signal, any Error>(bufferingPolicy: .unbounded) { continuation in
            guard let url = url(api: configuration.apiURL, path: path) else {
                continuation.finish(throwing: StreamFailure.refused("\(configuration.apiURL.displayString) is not an http(s) URL"))
                return
            }
            let shown = URL(string: url)?.displayString ?? url
            let ready = SharedValue(false)
            let task = Task {
                var headers = HTTPFields()
                headers[.secWebSocketProtocol] = "prefect"
                headers[.userAgent] = configuration.userAgent
                if let credential = configuration.credential { headers[.authorization] = credential.authorizationHeader }
                var tls: TLSConfiguration?
                if url.hasPrefix("wss:") {
                    var config = TLSConfiguration.makeClientConfiguration()
                    if configuration.tlsInsecureSkipVerify { config.certificateVerification = .none }
                    tls = config
                }
                let auth = authMessage(configuration.credential)
                let filterText = filter.jsonText
                do {
                    let close = try await WebSocketClient.connect(
                        url: url,
                        configuration: WebSocketClientConfiguration(
                            maxFrameSize: 1 << 24, additionalHeaders: headers, closeTimeout: .seconds(2), autoPing: .disabled),
                        tlsConfiguration: tls, logger: logger
                    ) { inbound, outbound, _ in
                        try await outbound.write(.text(auth))
                        var messages = inbound.messages(maxSize: 1 << 24).makeAsyncIterator()
                        guard let first = try await messages.next() else { return }
                        guard case .text(let text) = first, Self.isAuthSuccess(text) else {
                            throw StreamFailure.protocolError("expected auth_success, got \(Self.describe(first))")
                        }
                        try await outbound.write(.text(filterText))
                        ready.set(true)
                        continuation.yield(.ready)
                        while let message = try await messages.next() {
                            if case .text(let text) = message { continuation.yield(.message(text)) }
                        }
                    }
                    continuation.finish(
                        throwing: StreamFailure.closed(close: close, url: shown, afterHandshake: ready.get()))
                } catch let failure as StreamFailure {
                    continuation.finish(throwing: failure)
                } catch is CancellationError {
                    continuation.finish(throwing: CancellationError())
                } catch let error as WebSocketClientError where error == .webSocketUpgradeFailed {
                    continuation.finish(throwing: StreamFailure.refused("\(shown) refused the websocket upgrade (a proxy in between?)"))
                } catch {
                    let afterHandshake = ready.get()
                    continuation.finish(
                        throwing: afterHandshake
                            ? StreamFailure.cut("\(shown): \(Self.describe(error))")
                            : StreamFailure.refused("\(shown): \(Self.describe(error))"))
                }
            }
            let watchdog = Task {
                try await Task.sleep(for: handshakeTimeout)
                if !ready.get() {
                    continuation.finish(throwing: StreamFailure.refused("\(shown) did not complete the handshake within \(handshakeTimeout)"))
                    task.cancel()
                }
            }
            continuation.onTermination = { _ in
                task.cancel()
                watchdog.cancel()
            }
        }
    }

    static func isAuthSuccess(_ text: String) -> Bool {
        (try? JSONValue(parsing: Array(text.utf8)))?["type"]?.stringValue == "auth_success"
    }

    private static func describe(_ message: WebSocketMessage) -> String {
        switch message {
        case .text(let text): "'\(text.clipped(to: 120))'"
        case .binary(let buffer): "\(buffer.readableBytes) binary bytes"
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? IOError { return "\(String(cString: strerror(error.errnoCode)).lowercased())" }
        if let error = error as? NIOConnectionError {
            return error.connectionErrors.first.map { "cannot connect: \(describe($0.error))" } ?? "cannot connect"
        }
        return String(describing: error).clipped(to: 200)
    }
}

/// Why a Prefect stream stopped.
package enum StreamFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Prefect closed with 1008: the credential is wrong. Retrying does not help.
    case unauthorized(String)
    /// No socket came up: refused connection, no upgrade (a proxy), no handshake in time.
    case refused(String)
    /// An established socket closed or failed.
    case cut(String)
    /// The server said something the protocol does not allow (1002, an unexpected first message).
    case protocolError(String)

    package var description: String {
        switch self {
        case .unauthorized(let text), .refused(let text), .cut(let text), .protocolError(let text): text
        }
    }

    /// The failure for a close frame (or none, an abnormal close).
    static func closed(close: WebSocketCloseFrame?, url: String, afterHandshake: Bool) -> StreamFailure {
        guard let close else {
            return afterHandshake ? .cut("\(url) closed without a close frame") : .refused("\(url) closed during the handshake")
        }
        let reason = close.reason.map { " '\($0.clipped(to: 120))'" } ?? ""
        switch close.closeCode {
        case .policyViolation:
            return .unauthorized("\(url) refused the credential (close 1008\(reason))")
        case .protocolError:
            return .protocolError("\(url) closed with 1002\(reason)")
        default:
            let code = Self.code(close.closeCode)
            return afterHandshake ? .cut("\(url) closed (\(code)\(reason))") : .refused("\(url) closed during the handshake (\(code)\(reason))")
        }
    }

    private static func code(_ code: WebSocketErrorCode) -> String {
        switch code {
        case .normalClosure: "1000"
        case .goingAway: "1001"
        case .unexpectedServerError: "1011"
        default: "\(code)"
        }
    }
}
