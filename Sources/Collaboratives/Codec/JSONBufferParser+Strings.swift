extension JSONBufferParser {
    /// Parses the string whose opening quote is at `index`.
    ///
    /// A string without escapes (nearly all of them) is made in one piece from its bytes; one with
    /// escapes is collected in `escapedBytes`. Errors are found in the same order as a byte-by-byte
    /// reading finds them: a control character or the end of input before the closing quote wins over
    /// invalid UTF-8 earlier in the run, and invalid UTF-8 is reported at the quote or backslash that
    /// ends its run.
    mutating func parseString() throws(DomainError) -> String {
        index += 1
        var runStart = index
        // The OR of every byte of the run: below 0x80 means ASCII, which is valid UTF-8 as it stands.
        var highBits: UInt8 = 0
        var hasEscapes = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                guard hasEscapes else {
                    let text = try text(of: runStart, asciiOnly: highBits < 0x80)
                    index += 1
                    return text
                }
                try appendRun(from: runStart, asciiOnly: highBits < 0x80)
                index += 1
                // Every run was validated and every escape encoded from a scalar: this is valid UTF-8.
                return String(decoding: escapedBytes, as: UTF8.self)
            case UInt8(ascii: "\\"):
                if !hasEscapes {
                    escapedBytes.removeAll(keepingCapacity: true)
                    hasEscapes = true
                }
                try appendRun(from: runStart, asciiOnly: highBits < 0x80)
                index += 1
                escapedBytes.append(contentsOf: try parseEscape().utf8)
                runStart = index
                highBits = 0
            case 0..<0x20:
                throw failure("control character in string")
            default:
                highBits |= byte
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    /// The run `start..<index` as a string, refusing invalid UTF-8.
    private func text(of start: Int, asciiOnly: Bool) throws(DomainError) -> String {
        let run = UnsafeBufferPointer(rebasing: bytes[start..<index])
        if asciiOnly { return String(decoding: run, as: UTF8.self) }
        guard let text = String(validating: run, as: UTF8.self) else { throw failure("invalid UTF-8 in string") }
        return text
    }

    /// Appends the unescaped bytes `runStart..<index`, refusing invalid UTF-8.
    private mutating func appendRun(from runStart: Int, asciiOnly: Bool) throws(DomainError) {
        guard runStart < index else { return }
        let run = UnsafeBufferPointer(rebasing: bytes[runStart..<index])
        guard asciiOnly || String(validating: run, as: UTF8.self) != nil else {
            throw failure("invalid UTF-8 in string")
        }
        escapedBytes.append(contentsOf: run)
    }

    private mutating func parseEscape() throws(DomainError) -> Unicode.Scalar {
        guard let byte = current else { throw failure("unterminated escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"): return try parseUnicodeEscape()
        default: throw failure("invalid escape")
        }
    }

    private mutating func parseUnicodeEscape() throws(DomainError) -> Unicode.Scalar {
        let first = try parseHex4()
        if (0xD800...0xDBFF).contains(first) {
            guard current == UInt8(ascii: "\\") else { throw failure("unpaired surrogate") }
            index += 1
            guard current == UInt8(ascii: "u") else { throw failure("unpaired surrogate") }
            index += 1
            let second = try parseHex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw failure("unpaired surrogate") }
            let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else { throw failure("invalid code point") }
            return scalar
        }
        guard let scalar = Unicode.Scalar(first) else { throw failure("unpaired surrogate") }
        return scalar
    }

    private mutating func parseHex4() throws(DomainError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw failure("unterminated \\u escape") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid \\u escape")
            }
            value = value * 16 + UInt32(digit)
            index += 1
        }
        return value
    }
}
