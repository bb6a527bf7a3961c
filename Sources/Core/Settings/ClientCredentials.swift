package import FoundationEssentials

/// Prefect credentials a caller of `mcp --http --allow-client-credentials` sends with each request, in the headers the
/// official server reads: `X-Prefect-Api-Url`, `X-Prefect-Api-Key`, `X-Prefect-Api-Auth-String`. They replace the
/// server's own settings whole: a caller's URL never gets the server's key.
package struct ClientCredentials: Sendable, Hashable {
    package var apiURL: URL
    package var apiKey: Secret?
    package var authString: Secret?

    package init(apiURL: URL, apiKey: Secret? = nil, authString: Secret? = nil) {
        self.apiURL = apiURL
        self.apiKey = apiKey
        self.authString = authString
    }

    package static let urlHeader = "X-Prefect-Api-Url"
    package static let keyHeader = "X-Prefect-Api-Key"
    package static let authStringHeader = "X-Prefect-Api-Auth-String"
    package static let headers = [urlHeader, keyHeader, authStringHeader]

    /// The caller's credentials, or nil when it sent none of the three headers.
    /// - Parameters:
    ///   - header: The request's value for a header name (case-insensitive), nil when absent.
    ///   - allowed: The URLs a caller may name; one that matches none is refused.
    /// - Throws: ``ClientCredentialsError`` naming the header that is wrong.
    package static func read(header: (String) -> String?, allowed: [APIURLPattern]) throws(ClientCredentialsError) -> ClientCredentials? {
        let (urlText, key, auth) = (header(urlHeader), header(keyHeader), header(authStringHeader))
        guard urlText != nil || key != nil || auth != nil else { return nil }
        guard let urlText else {
            throw ClientCredentialsError(
                "\(key != nil ? keyHeader : authStringHeader) needs \(urlHeader): the server's own URL never gets a caller's credentials")
        }
        let url: URL
        do {
            url = try SettingsResolver.parseURL(Sourced(urlText, from: .header(urlHeader))).value
        } catch {
            throw ClientCredentialsError("\(error)")
        }
        if url.user != nil || url.password != nil {
            throw ClientCredentialsError("\(urlHeader) must not carry a user or password; send \(authStringHeader)")
        }
        guard allowed.contains(where: { $0.matches(url) }) else {
            throw ClientCredentialsError(
                "\(urlHeader) '\(url.displayString)' is not one this server may reach (allowed: \(allowed.map(\.text).joined(separator: ", ")))")
        }
        for (name, value) in [(keyHeader, key), (authStringHeader, auth)] {
            if let value, value.isEmpty || value.contains(where: { $0.isWhitespace || $0.isNewline }) {
                throw ClientCredentialsError("\(name) is empty or has spaces")
            }
        }
        return ClientCredentials(apiURL: url, apiKey: key.map(Secret.init), authString: auth.map(Secret.init))
    }

    /// Settings for a client of these credentials: the caller's URL and secrets, the server's timeout and TLS choice.
    package func settings(like server: PrefectSettings?) -> PrefectSettings {
        PrefectSettings(
            apiURL: Sourced(apiURL, from: .header(Self.urlHeader)),
            apiKey: apiKey.map { Sourced($0, from: .header(Self.keyHeader)) },
            authString: authString.map { Sourced($0, from: .header(Self.authStringHeader)) },
            timeout: server?.timeout ?? Sourced(PrefectSettings.defaultTimeout, from: .defaultValue)
        )
    }
}

package struct ClientCredentialsError: Error, Sendable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// `--allowed-api-url`: a Prefect API URL a caller may name, where `*` stands for any run of characters within one part
/// (it never crosses `/`, so `https://api.prefect.cloud/api/accounts/*/workspaces/*` names every Cloud workspace and
/// nothing else). Matched against the whole URL, scheme and host case-insensitively, trailing slashes dropped.
package struct APIURLPattern: Sendable, Hashable {
    package let text: String
    private let normalized: String

    /// - Throws: ``ClientCredentialsError`` when the pattern is not an http(s) URL pattern.
    package init(_ text: String) throws(ClientCredentialsError) {
        var value = text.trimmed
        while value.hasSuffix("/") { value.removeLast() }
        let lower = value.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), value.count > lower.prefix { $0 != ":" }.count + 3 else {
            throw ClientCredentialsError(
                "--allowed-api-url '\(text)' is not an http(s) URL pattern like https://api.prefect.cloud/api/accounts/*/workspaces/*")
        }
        self.text = text
        normalized = Self.normalize(value)
    }

    package func matches(_ url: URL) -> Bool {
        var value = url.absoluteString
        while value.hasSuffix("/") { value.removeLast() }
        return Self.glob(Array(normalized), Array(Self.normalize(value)))
    }

    /// Scheme and host lowercased (the part before the first `/` after `://`); the path as it is.
    private static func normalize(_ text: String) -> String {
        guard let separator = text.firstRange(of: "://") else { return text }
        let rest = text[separator.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        return text[..<authorityEnd].lowercased() + text[authorityEnd...]
    }

    private static func glob(_ pattern: [Character], _ text: [Character]) -> Bool {
        // Classic two-pointer match with backtracking to the last star, which may not swallow a `/`.
        var (p, t) = (0, 0)
        var star: (pattern: Int, text: Int)?
        while t < text.count {
            if p < pattern.count, pattern[p] == "*" {
                star = (p, t)
                p += 1
            } else if p < pattern.count, pattern[p] == text[t] {
                p += 1
                t += 1
            } else if let last = star, text[last.text] != "/" {
                star = (last.pattern, last.text + 1)
                p = last.pattern + 1
                t = last.text + 1
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
