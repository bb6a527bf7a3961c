package import FoundationEssentials

extension URL {
    /// The URL as it may be shown: a `user:password@` inside it becomes `***@`. Every URL that reaches a person, a
    /// log or an MCP client goes through this (a URL can carry credentials).
    package var displayString: String { absoluteString.maskingURLUserinfo }

    /// `user:password` from the URL's userinfo, percent-decoded; nil when it has none.
    package var userinfoCredential: String? {
        guard let components = URLComponents(url: self, resolvingAgainstBaseURL: false), let user = components.user else { return nil }
        return components.password.map { "\(user):\($0)" } ?? user
    }

    /// The URL without its `user:password@`, for building links that are handed out.
    package var withoutUserinfo: URL {
        guard user != nil || password != nil, var components = URLComponents(url: self, resolvingAgainstBaseURL: false) else {
            return self
        }
        components.user = nil
        components.password = nil
        return components.url ?? self
    }
}

extension String {
    /// A URL's text with anything before an `@` in its authority shown as `***`: `http://***@host/api`. Works on text
    /// that is not a valid URL too, so an error about a bad URL never repeats the credentials in it.
    package var maskingURLUserinfo: String {
        guard let schemeEnd = firstRange(of: "://") else { return self }
        let authority = self[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@") else { return self }
        return String(self[..<schemeEnd.upperBound]) + "***" + String(self[at...])
    }
}
