import Foundation
import Testing

@testable import Collaboratives

/// The rule for entered text: no control characters, not blank (issue 16).
@Suite struct TextCheckTests {
    @Test(arguments: [
        0x00, 0x07, 0x09, 0x0A, 0x0D, 0x1B, 0x1F, 0x7F, 0x80, 0x9B, 0x9F, 0x2028, 0x2029, 0x202A, 0x202E, 0x2066,
        0x2069,
    ])
    func textWithAControlCharacterIsRefusedNamingItsCodePoint(_ value: UInt32) throws {
        let scalar = try #require(Unicode.Scalar(value))
        var text = "Sam "
        text.unicodeScalars.append(scalar)
        text += " Smith"
        let problem = try #require(TextCheck.problem(in: text))
        #expect(problem.contains("control character"))
        #expect(problem.contains(String(format: "U+%04X", value)))
    }

    @Test(arguments: [" ", "   ", "\u{3000}", " \u{A0} "])
    func blankTextIsRefused(_ text: String) {
        #expect(TextCheck.problem(in: text) == "must not be blank")
    }

    @Test(arguments: ["Sam Smith", "Zoë O’Brien", "עברית", "👩🏽‍⚕️ Dr Who", "a  b", " padded "])
    func ordinaryTextIsAccepted(_ text: String) {
        #expect(TextCheck.problem(in: text) == nil)
    }

    @Test func aDecodedEventIsCheckedFieldByFieldNamingTheField() throws {
        let line = try InterchangeLine.parse(
            Array(
                #"{"type":"MemberJoined","occurredAt":"2022-01-01","data":{"collaborative":"oldham","member":"ol-50","sector":"health","name":"Sam","organisation":"A\u001bB"}}"#
                    .utf8))
        #expect(
            throws: DomainError(
                .invalidText, field: "data.organisation", message: "contains a control character (U+001B)")
        ) {
            try Draft(line: line, defaultRecordedBy: "test")
        }
    }
}
