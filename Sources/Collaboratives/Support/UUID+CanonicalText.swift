public import Foundation

extension UUID {
    /// Reads the 36-character form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex digits in either case), and
    /// nothing else.
    ///
    /// Foundation's `UUID(uuidString:)` on Linux reads each group with `sscanf`, so it also takes a sign, a
    /// space or `0x` inside a group and then returns another id than the text shows (`" 1234567-…"` reads
    /// as `12345607-…`): an id not written exactly must be refused, never stored as something else. It is
    /// also faster (it reads each byte once, with no formatted scan), which a large import notices.
    public init?(canonicalText text: String) {
        guard text.utf8.count == 36 else { return nil }
        var text = text  // read as one contiguous buffer (`withUTF8`), not character by character
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let valid = text.withUTF8 { utf8 in
            withUnsafeMutableBytes(of: &value) { bytes -> Bool in
                var nibbles = 0
                for (index, character) in utf8.enumerated() {
                    if index == 8 || index == 13 || index == 18 || index == 23 {
                        guard character == UInt8(ascii: "-") else { return false }
                        continue
                    }
                    let nibble: UInt8
                    switch character {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
                    default: return false
                    }
                    bytes[nibbles / 2] |= nibbles % 2 == 0 ? nibble << 4 : nibble
                    nibbles += 1
                }
                return nibbles == 32
            }
        }
        guard valid else { return nil }
        self.init(uuid: value)
    }

    /// The id in lower case, as Chronicle writes ids: `uuidString.lowercased()`, written directly.
    ///
    /// Foundation's `uuidString` formats each group with `snprintf` and the result is then lowered: a rule
    /// check looks up the retraction of every stored event it reads by this text (`EventTag.retractionOf`),
    /// where the formatting cost more than the lookup (`record` at 10M events, callgrind).
    var lowercased: String { String(unsafeUninitializedCapacity: 36) { writeLowercased(into: $0) } }

    /// Appends the id's lower-case text (``lowercased``) to `bytes`: how the history generator writes ids.
    package func appendLowercased(to bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: 36))
        bytes.withUnsafeMutableBufferPointer {
            _ = writeLowercased(into: UnsafeMutableBufferPointer(rebasing: $0[start...]))
        }
    }

    /// Writes the id's 36 bytes of lower-case 8-4-4-4-12 text at the start of `text` and returns 36.
    private func writeLowercased(into text: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let digits: StaticString = "0123456789abcdef"
        return withUnsafeBytes(of: uuid) { bytes in
            var written = 0
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[written] = UInt8(ascii: "-")
                    written += 1
                }
                text[written] = digits.utf8Start[Int(byte >> 4)]
                text[written + 1] = digits.utf8Start[Int(byte & 0x0f)]
                written += 2
            }
            return written
        }
    }
}
