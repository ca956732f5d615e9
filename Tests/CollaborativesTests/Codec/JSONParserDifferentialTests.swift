import Foundation
import Testing

@testable import Collaboratives

/// The fast parser against two oracles: the value a random document was written from, and the
/// original byte-by-byte parser (``ReferenceJSONParser``) on valid and damaged documents alike.
@Suite struct JSONParserDifferentialTests {
    private func parsed(_ bytes: [UInt8]) -> Result<JSONValue, DomainError> {
        Result { () throws(DomainError) in try JSONValue(parsing: bytes) }
    }

    private func parsedByReference(_ bytes: [UInt8]) -> Result<JSONValue, DomainError> {
        var parser = ReferenceJSONParser(bytes: bytes, field: "data")
        return Result { () throws(DomainError) in try parser.parseDocument() }
    }

    @Test func randomDocumentsParseToTheValueTheyWereWrittenFrom() {
        var random = RandomJSON(seed: 1)
        for _ in 0..<3_000 {
            let (text, value) = random.document()
            let result = parsed(text)
            #expect(result == .success(value), "\(String(decoding: text, as: UTF8.self))")
            if result != .success(value) { return }
        }
    }

    @Test func randomDocumentsAndTheirCorruptionsGiveTheReferenceParsersValueOrError() {
        var random = RandomJSON(seed: 2)
        var refused = 0
        for round in 0..<2_000 {
            random.repeatsKeys = round % 4 == 0
            let text = random.document().text
            for candidate in [text] + (0..<10).map({ _ in random.corrupted(text) }) {
                let expected = parsedByReference(candidate)
                if case .failure = expected { refused += 1 }
                #expect(parsed(candidate) == expected, "\(candidate)")
                if parsed(candidate) != expected { return }
            }
        }
        // The corruptions must exercise the error paths, not just the happy one.
        #expect(refused > 5_000)
    }

    @Test func foundationAcceptsEveryRandomDocumentTheParserAccepts() throws {
        var random = RandomJSON(seed: 3)
        for _ in 0..<500 {
            let text = random.document().text
            guard case .success = parsed(text) else { continue }
            #expect(throws: Never.self) {
                try JSONSerialization.jsonObject(with: Data(text), options: [.fragmentsAllowed])
            }
        }
    }

    @Test(
        arguments: [
            (#"{"é":1,"e\u0301":2}"#, "invalid JSON at byte 8: duplicate key \"é\""),
            (#""abc\u00e9\ud83d\ude00x""#, nil),
            ("\"caf\u{E9}\u{1}\"", "invalid JSON at byte 6: control character in string"),
            (#"[1,"a\"#, "invalid JSON at byte 6: unterminated escape"),
            ("-9223372036854775808", nil), ("-9223372036854775809", nil), ("123456789012345678", nil),
            ("-0", nil), ("1E+2", nil), ("0.0000001e-400", nil),
        ] as [(String, String?)])
    func examplesMatchTheReferenceParser(_ text: String, _ message: String?) {
        let expected = parsedByReference(Array(text.utf8))
        #expect(parsed(Array(text.utf8)) == expected)
        if let message {
            #expect(expected == .failure(DomainError(.invalidJSON, field: "data", message: message)))
        }
    }

    /// Each kind of byte a string scan must stop at (or must not), at every offset of strings of
    /// every length up to 20, with and without text after the string.
    @Test func aSpecialByteIsFoundAtEveryOffsetOfAString() {
        let specials: [[UInt8]] = [
            [0x22], [0x5C, 0x6E], [0x5C, 0x75, 0x30, 0x30, 0x65, 0x39], [0x5C], [0x00], [0x1F],
            [0x7F], [0xC3, 0xA9], [0xC3], [0xFF], [0xF0, 0x9F, 0x98, 0x80], [0x21], [0x20],
        ]
        for length in 0...20 {
            for offset in 0...length {
                for special in specials {
                    for tail: [UInt8] in [[], [0x22], Array(#"",1,"é"]"#.utf8)] {
                        var text: [UInt8] = [0x5B, 0x22] + Array(repeating: UInt8(ascii: "a"), count: length)
                        text.insert(contentsOf: special, at: 2 + offset)
                        text += tail
                        #expect(parsed(text) == parsedByReference(text), "\(text)")
                    }
                }
            }
        }
    }

    @Test func invalidUTF8IsReportedWhereItsRunEnds() {
        for bytes: [UInt8] in [
            [0x22, 0xC3, 0x28, 0x22], [0x22, 0x61, 0xFF, 0x5C, 0x6E, 0x22], [0x22, 0x5C, 0x6E, 0xED, 0xA0, 0x80, 0x22],
            [0x22, 0xC3, 0x01, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80], [0x22, 0xC3, 0xA9, 0x22],
        ] {
            #expect(parsed(bytes) == parsedByReference(bytes))
        }
    }
}
