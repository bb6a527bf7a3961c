#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSONValue

/// Reads Prefect's error bodies (`detail`, `exception_message`, `exception_detail[]`) into one readable line.
enum ErrorBody {
    /// At most this many characters of a body are shown; `request_body` echoes are never shown.
    static let maximumLength = 500

    static func message(from body: Data) -> String {
        guard !body.isEmpty else { return "no details" }
        guard let value = try? JSONValue(parsing: body) else {
            return clip(String(decoding: body, as: UTF8.self).trimmed)
        }
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

    private static func clip(_ text: String) -> String {
        text.count > maximumLength ? String(text.prefix(maximumLength)) + "… [cut]" : text
    }
}
