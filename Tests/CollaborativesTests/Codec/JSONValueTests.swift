import Testing

@testable import Collaboratives

@Suite struct JSONValueTests {
    private func parse(_ text: String) throws(DomainError) -> JSONValue {
        try JSONValue(parsing: Array(text.utf8))
    }

    @Test func valuesOfEveryKindParse() throws {
        let value = try parse(#"{"a":[1,-2,1.5,true,false,null,"x"],"b":{}}"#)
        #expect(
            value
                == .object([
                    "a": .array([
                        .integer(1), .integer(-2), .number(1.5), .bool(true), .bool(false), .null, .string("x"),
                    ]),
                    "b": .object([:]),
                ]))
    }

    @Test(arguments: [
        #"{"a":1,"a":2}"#, #"{"a":1,}"#, "[1,]", "01", "1.", "-", "+1", #"{"a" 1}"#, #""\x""#, #""\ud800""#,
        #""\udc00""#, "\"a\u{01}\"", "tru", "[1] [2]", "", "1e999", "{'a':1}",
    ])
    func malformedJSONIsRefused(_ text: String) {
        #expect(throws: DomainError.self) { try parse(text) }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: DomainError.self) { try JSONValue(parsing: [0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func deepNestingIsRefusedRatherThanExhaustingTheStack() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: DomainError.self) { try parse(deep) }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try parse(fine) }
    }

    @Test func surrogatePairsDecodeToOneCharacter() throws {
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
    }

    @Test func canonicalTextEscapesOnlyWhatJSONRequires() {
        let value = JSONValue.object(["z": .string("a/b\"\\\u{01}\t é"), "a": .integer(-3)])
        #expect(String(decoding: value.canonicalBytes, as: UTF8.self) == #"{"a":-3,"z":"a/b\"\\\u0001\t é"}"#)
    }

    @Test func bigIntegersBeyondSixtyFourBitsBecomeNumbers() throws {
        #expect(try parse("9223372036854775807") == .integer(Int64.max))
        #expect(try parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
    }
}
