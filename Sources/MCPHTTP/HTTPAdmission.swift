import HTTPTypes
import Hummingbird
import MCP

/// Who may come in: the Origin, then a bearer token (from the token file, or an OAuth access token), before anything
/// else is read.
extension HTTPMCPServer {
    enum Admission {
        case admitted(HTTPCaller)
        case refused(Response)
    }

    func admit(_ request: Request) async -> Admission {
        if !options.allows(origin: request.headers[.origin]) {
            return .refused(
                Self.error(.forbidden, id: nil, code: JSONRPCError.invalidRequestCode, "Origin '\(request.headers[.origin] ?? "")' is not allowed"))
        }
        let headers = request.headers
        guard options.requiresAuthentication else { return .admitted(HTTPCaller(name: nil, mayWrite: true, headers: headers)) }
        let header = request.headers[.authorization] ?? ""
        let presented = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)).trimmingSpaces : ""
        guard !presented.isEmpty else {
            return .refused(unauthorized("authentication required: send Authorization: Bearer TOKEN", error: nil))
        }
        if let holder = BearerToken.holder(of: presented, in: options.tokens) {
            return .admitted(HTTPCaller(name: holder.name, mayWrite: !holder.readOnly, headers: headers))
        }
        guard let oauth else { return .refused(unauthorized("the bearer token is not valid", error: "invalid_token")) }
        switch await oauth.verify(presented) {
        case .valid(let subject, let scopes):
            let mayWrite = oauth.options.writeScope.map(scopes.contains) ?? true
            return .admitted(HTTPCaller(name: subject, mayWrite: mayWrite, headers: headers))
        case .invalid(let reason):
            log("refused an access token: \(reason)")
            return .refused(unauthorized("the access token is not valid: \(reason)", error: "invalid_token"))
        case .insufficientScope(let missing):
            return .refused(
                Self.insufficientScope(
                    "the access token lacks the scope\(missing.count == 1 ? "" : "s") \(missing.joined(separator: " ")) this server requires",
                    scope: oauth.options.requiredScopes.joined(separator: " "), oauth: oauth.options))
        case .unavailable(let reason):
            log("cannot check access tokens: \(reason)")
            var response = Self.error(
                .serviceUnavailable, id: nil, code: JSONRPCError.internalErrorCode, "access tokens cannot be checked now: \(reason)")
            response.headers[.retryAfter] = "30"
            return .refused(response)
        }
    }

    /// 403 with the scope a client should ask for (step-up), and where the Protected Resource Metadata is.
    static func insufficientScope(_ message: String, scope: String, oauth: OAuthOptions) -> Response {
        var response = error(.forbidden, id: nil, code: JSONRPCError.invalidRequestCode, message)
        response.headers[.wwwAuthenticate] = #"Bearer error="insufficient_scope", scope="\#(scope)", resource_metadata="\#(oauth.metadataURL)""#
        return response
    }

    /// 401, pointing to the Protected Resource Metadata when OAuth is on (RFC 9728 §5.1), so a client can find the
    /// authorization server.
    private func unauthorized(_ message: String, error: String?) -> Response {
        var response = Self.error(.unauthorized, id: nil, code: JSONRPCError.invalidRequestCode, message)
        var parameters: [String] = []
        if let error { parameters.append(#"error="\#(error)""#) }
        if let oauth = options.oauth {
            parameters.append(#"resource_metadata="\#(oauth.metadataURL)""#)
            if !oauth.requiredScopes.isEmpty { parameters.append(#"scope="\#(oauth.requiredScopes.joined(separator: " "))""#) }
        }
        response.headers[.wwwAuthenticate] = parameters.isEmpty ? "Bearer" : "Bearer " + parameters.joined(separator: ", ")
        return response
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
