package import Core
package import FoundationEssentials
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

/// A TLS handshake with the server, verified as the client verifies it; when that fails on the certificate, a
/// second handshake reads the server's chain (sending nothing) so the problem can be named: expired, not yet
/// valid, issued for other names, self-signed, or signed by an authority this machine does not trust.
package enum TLSProbe {
    package enum Outcome: Sendable, Equatable {
        /// The chain verified; what the certificate is for and until when.
        case verified(String)
        /// The certificate is the problem, named.
        case certificate(String)
        /// The handshake failed otherwise (no TLS there, a protocol mismatch, a cut connection).
        case failed(String)
    }

    package static func check(host: String, port: Int, timeoutSeconds: Double = 5, now: Date = Date()) async -> Outcome {
        let timeout = TimeAmount.milliseconds(Int64(timeoutSeconds * 1000))
        let verifiedLeaf: NIOSSLCertificate?
        do {
            verifiedLeaf = try await handshake(host: host, port: port, timeout: timeout, capture: nil)
        } catch {
            guard Self.isVerificationFailure(error) else { return .failed(AsyncHTTPTransport.describe(error)) }
            let captured = Captured()
            _ = try? await handshake(host: host, port: port, timeout: timeout, capture: captured)
            let chain = captured.chain
            guard let leaf = chain.first, let certificate = CertificateFacts(leaf) else {
                return .certificate("it did not verify, and its certificate could not be read (\(AsyncHTTPTransport.describe(error)))")
            }
            return .certificate(problem(with: certificate, chainLength: chain.count, host: host, now: now))
        }
        // Verified: say for what, from the certificate that handshake verified.
        guard let verifiedLeaf, let certificate = CertificateFacts(verifiedLeaf) else {
            return .verified("certificate verified")
        }
        let days = Int(certificate.notValidAfter.timeIntervalSince(now) / 86_400)
        return .verified("certificate for \(certificate.shownNames), by \(certificate.issuer), valid \(days) more days")
    }

    /// What is wrong with a certificate that did not verify, in the order that matters most.
    static func problem(with certificate: CertificateFacts, chainLength: Int, host: String, now: Date) -> String {
        if certificate.notValidAfter < now {
            return "the certificate expired on \(PrefectDate.format(certificate.notValidAfter)) (for \(certificate.shownNames))"
        }
        if certificate.notValidBefore > now {
            return "the certificate is not valid before \(PrefectDate.format(certificate.notValidBefore)) (is this machine's clock right?)"
        }
        if !certificate.names.contains(where: { matches($0, host: host) }) {
            return "the certificate is for \(certificate.shownNames), not \(host)"
        }
        if certificate.isSelfIssued {
            return "the certificate is self-signed (\(certificate.subject)): nothing vouches for it"
        }
        return "the certificate was issued by \(certificate.issuer), an authority this machine does not trust"
            + (chainLength == 1 ? " (the server sends no intermediate certificate)" : "")
    }

    /// A certificate name against the host asked for: exact, or a wildcard for one leftmost label.
    static func matches(_ name: String, host: String) -> Bool {
        let name = name.lowercased()
        let host = host.lowercased().trimmingCharacters(in: ["[", "]"])
        if name == host { return true }
        guard name.hasPrefix("*."), let dot = host.firstIndex(of: ".") else { return false }
        return host[dot...] == name.dropFirst()
    }

    static func isVerificationFailure(_ error: any Error) -> Bool {
        let text = String(describing: error)
        return text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate") || text.contains("unableToValidateCertificate")
    }

    /// One handshake, answering the server's certificate once verified; with `capture`, the server's chain is kept
    /// there instead and the handshake is stopped (nothing is sent).
    private static func handshake(host: String, port: Int, timeout: TimeAmount, capture: Captured?) async throws -> NIOSSLCertificate? {
        let context = try NIOSSLContext(configuration: TLSConfiguration.makeClientConfiguration())
        let isAddress = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        let group = MultiThreadedEventLoopGroup.singleton
        let done = group.next().makePromise(of: NIOSSLCertificate?.self)
        let bootstrap = ClientBootstrap(group: group).connectTimeout(timeout).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                let handler: NIOSSLClientHandler
                if let capture {
                    handler = try NIOSSLClientHandler(context: context, serverHostname: isAddress ? String?.none : host) { chain, promise in
                        capture.chain = chain
                        promise.succeed(NIOSSLVerificationResult.failed)
                    }
                } else {
                    handler = try NIOSSLClientHandler(context: context, serverHostname: isAddress ? String?.none : host)
                }
                try channel.pipeline.syncOperations.addHandler(handler)
                try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(done: done))
            }
        }
        let channel = try await bootstrap.connect(host: host.trimmingCharacters(in: ["[", "]"]), port: port).get()
        let timer = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        return try await done.futureResult.get()
    }

    /// The server's chain, as the verification callback saw it.
    final class Captured: Sendable {
        private let box = Mutex<[NIOSSLCertificate]>([])
        var chain: [NIOSSLCertificate] {
            get { box.withLock { $0 } }
            set { box.withLock { $0 = newValue } }
        }
    }

    /// Completes `done` once: with the handshake (and the peer's certificate), or with the first error or the close
    /// that came before it.
    private final class HandshakeWatcher: ChannelInboundHandler, Sendable {
        typealias InboundIn = Any
        let done: EventLoopPromise<NIOSSLCertificate?>
        let completed = Atomic(false)
        init(done: EventLoopPromise<NIOSSLCertificate?>) { self.done = done }

        private func complete(_ result: Result<NIOSSLCertificate?, any Error>) {
            guard !completed.exchange(true, ordering: .relaxed) else { return }
            done.completeWith(result)
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .handshakeCompleted = event as? TLSUserEvent {
                // On the event loop, where the handler's peer certificate may be read.
                let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self)
                complete(.success(handler?.peerCertificate))
            }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            complete(.failure(error))
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            complete(.failure(ChannelError.eof))
            context.fireChannelInactive()
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
