@testable import Collaboratives

extension RandomJSON {
    private static let characters: [Unicode.Scalar] = [
        "a", "b", "z", "A", "0", " ", "/", "\"", "\\", "\u{0}", "\n", "\t", "\u{1F}", "\u{7F}", "é", "ß",
        "\u{301}", "中", "\u{E000}", "\u{FFFF}", "😀", "\u{10FFFF}",
    ]

    /// Writes a random string literal and returns the string it denotes.
    mutating func string(into text: inout [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        text.append(UInt8(ascii: "\""))
        let length = chance(10) ? Int.random(in: 20...80, using: &generator) : Int.random(in: 0...8, using: &generator)
        for _ in 0..<length {
            let scalar = Self.characters.randomElement(using: &generator) ?? "a"
            scalars.append(scalar)
            write(scalar, into: &text)
        }
        text.append(UInt8(ascii: "\""))
        return String(scalars)
    }

    private mutating func write(_ scalar: Unicode.Scalar, into text: inout [UInt8]) {
        let shortEscapes: [Unicode.Scalar: String] = [
            "\"": #"\""#, "\\": #"\\"#, "/": #"\/"#, "\u{08}": #"\b"#, "\u{0C}": #"\f"#, "\n": #"\n"#,
            "\r": #"\r"#, "\t": #"\t"#,
        ]
        let mustEscape = scalar == "\"" || scalar == "\\" || scalar.value < 0x20
        switch Int.random(in: 0..<4, using: &generator) {
        case 0 where shortEscapes[scalar] != nil:
            text.append(contentsOf: (shortEscapes[scalar] ?? "").utf8)
        case 1:
            writeUnicodeEscape(scalar, into: &text)
        default:
            if mustEscape {
                writeUnicodeEscape(scalar, into: &text)
            } else {
                text.append(contentsOf: scalar.utf8)
            }
        }
    }

    private mutating func writeUnicodeEscape(_ scalar: Unicode.Scalar, into text: inout [UInt8]) {
        let uppercase = chance(50)
        for unit in String(scalar).utf16 {
            let hex = String(unit, radix: 16, uppercase: uppercase)
            text.append(contentsOf: #"\u"#.utf8)
            text.append(contentsOf: String(repeating: "0", count: 4 - hex.count).utf8)
            text.append(contentsOf: hex.utf8)
        }
    }

    /// Writes a random number and returns its value: `.integer` when it has no fraction or exponent
    /// and fits 64 bits, `.number` otherwise.
    mutating func number(into text: inout [UInt8]) -> JSONValue {
        var literal = chance(40) ? "-" : ""
        switch Int.random(in: 0..<5, using: &generator) {
        case 0: literal += "0"
        case 1: literal += String(Int.random(in: 1...999, using: &generator))
        case 2:
            literal +=
                ["9223372036854775807", "9223372036854775808", "999999999999999999"].randomElement(
                    using: &generator) ?? "1"
        case 3: literal += "1" + String(repeating: "0", count: Int.random(in: 17...25, using: &generator))
        default: literal += String(UInt64.random(in: 1...UInt64.max, using: &generator))
        }
        if chance(30) { literal += "." + String(Int.random(in: 0...99_999, using: &generator)) }
        if chance(20) {
            literal += ["e", "E"].randomElement(using: &generator) ?? "e"
            literal += ["", "+", "-"].randomElement(using: &generator) ?? ""
            literal += String(Int.random(in: 0...250, using: &generator))
        }
        text.append(contentsOf: literal.utf8)
        let isInteger = !literal.contains(where: { ".eE".contains($0) })
        if isInteger, let integer = Int64(literal) { return .integer(integer) }
        return .number(Double(literal) ?? .nan)
    }
}
