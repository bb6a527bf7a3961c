import FoundationEssentials
import JSONValue

/// Reads Prefect's error bodies (`detail`, `exception_message`, `exception_detail[]`) into one readable line.
enum ErrorBody {
    /// At most this many characters of a body are shown; `request_body` echoes are never shown.
    static let maximumLength = 500

    static func message(from body: Data) -> String {
        guard !body.isEmpty else { return "no details" }
        guard let value = try? JSONValue(parsing: body) else { return plainText(body) }
        var parts: [String] = []
        if let detail = value["detail"] {
            parts.append(contentsOf: describe(detail))
        }
        if let message = value["exception_message"]?.stringValue {
            parts.append(message)
        }
        if let details = value["exception_detail"] {
            parts.append(contentsOf: describe(details))
        }
        if parts.isEmpty, let text = value.stringValue { parts.append(text) }
        return parts.isEmpty ? "no details" : clip(parts.joined(separator: "; "))
    }

    /// A string `detail`, or pydantic errors as `body.flow_runs.state.type.any_.0: Input should be 'SCHEDULED', …`.
    private static func describe(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let text):
            return [text]
        case .array(let items):
            return items.map { item in
                let location = item["loc"]?.arrayValue?.map { part -> String in
                    if let text = part.stringValue { return text }
                    if let number = part.intValue { return String(number) }
                    return "?"
                }.joined(separator: ".")
                let message = item["msg"]?.stringValue ?? "invalid"
                return location.map { "\($0): \(message)" } ?? message
            }
        default:
            return []
        }
    }

    /// A body that is not JSON: a web page by its title (a proxy's 502 page is markup, not a message), other text
    /// on one line.
    private static func plainText(_ body: Data) -> String {
        let text = String(decoding: body, as: UTF8.self).trimmed
        let lowered = text.lowercased()
        guard lowered.hasPrefix("<!doctype html") || lowered.hasPrefix("<html") else {
            return clip(text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
        }
        var page = "an HTML page, not Prefect's JSON (a proxy or load balancer answering?)"
        if let open = lowered.firstRange(of: "<title>"), let close = lowered[open.upperBound...].firstRange(of: "</title>") {
            let title = text[open.upperBound..<close.lowerBound].split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if !title.isEmpty { page += " titled '\(clip(title))'" }
        }
        return page
    }

    private static func clip(_ text: String) -> String {
        text.count > maximumLength ? String(text.prefix(maximumLength)) + "… [cut]" : text
    }
}
