extension JSONBufferParser {
    /// Integers of at most this many digits cannot overflow `Int64`, so they are summed directly;
    /// longer ones go through `Int64(_:)` and, failing that, become `.number`.
    private static let digitsThatAlwaysFit = 18

    /// Parses the number starting at `index` (a `-` or a digit).
    mutating func parseNumber() throws(DomainError) -> JSONValue {
        let start = index
        var isInteger = true
        let isNegative = current == UInt8(ascii: "-")
        if isNegative { index += 1 }
        let digitsStart = index
        if current == UInt8(ascii: "0") {
            index += 1
        } else if skipDigits() == 0 {
            throw failure("expected a digit")
        }
        let digitsEnd = index
        if current == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard skipDigits() > 0 else { throw failure("expected a digit after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw failure("expected a digit in the exponent") }
        }
        if isInteger, digitsEnd - digitsStart <= Self.digitsThatAlwaysFit {
            var magnitude: Int64 = 0
            for position in digitsStart..<digitsEnd {
                magnitude = magnitude * 10 + Int64(bytes[position] &- UInt8(ascii: "0"))
            }
            return .integer(isNegative ? -magnitude : magnitude)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let value = Int64(text) {
            return .integer(value)
        }
        guard let value = Double(text), value.isFinite else { throw failure("number out of range") }
        return .number(value)
    }

    private mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            index += 1
        }
        return index - start
    }
}
