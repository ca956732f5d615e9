/// Safe rendering of untrusted text inside one-line messages.
enum Quoting {
    /// The longest value echoed back in a message, in characters.
    static let maximumEchoLength = 60

    /// `text` as a JSON string literal (quotes, escaped control characters), shortened
    /// with `…` when long, so that an error message stays on one line.
    static func quoted(_ text: String) -> String {
        let shortened = text.count > maximumEchoLength ? String(text.prefix(maximumEchoLength)) + "…" : text
        return String(decoding: JSONValue.string(shortened).canonicalBytes, as: UTF8.self)
    }

    /// A path component for an object key: `.key` when the key is a plain name, else `["…"]`.
    static func append(key: String, to path: String) -> String {
        let plain =
            !key.isEmpty
            && key.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
        return plain ? "\(path).\(key)" : "\(path)[\(quoted(key))]"
    }
}
