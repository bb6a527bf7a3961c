#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

extension URL {
    /// The URL as it may be shown: a `user:password@` inside it becomes `***@`. Every URL that reaches a person, a
    /// log or an MCP client goes through this (a URL can carry credentials).
    package var displayString: String {
        guard user != nil || password != nil, var components = URLComponents(url: self, resolvingAgainstBaseURL: false) else {
            return absoluteString
        }
        components.user = nil
        components.password = nil
        guard var bare = components.string, let schemeEnd = bare.firstRange(of: "://") else { return absoluteString }
        bare.replaceSubrange(schemeEnd, with: "://***@")
        return bare
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
