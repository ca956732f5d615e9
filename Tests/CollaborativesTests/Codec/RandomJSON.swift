@testable import Collaboratives

/// Random JSON documents written together with the value they denote, and random corruptions of them.
///
/// The text varies everything the parser must handle: whitespace, nesting, every escape form
/// (short, `\u` in either case, surrogate pairs), raw non-ASCII and astral characters, and numbers
/// of every shape (signs, zero, fractions, exponents, integers beyond 64 bits).
struct RandomJSON {
    var generator: SeededGenerator
    /// When set, objects sometimes repeat a key (or a canonically equivalent spelling of one),
    /// so the text is invalid and ``value`` is meaningless.
    var repeatsKeys = false

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    /// A document and the value it denotes.
    mutating func document() -> (text: [UInt8], value: JSONValue) {
        var text: [UInt8] = []
        whitespace(&text)
        let value = value(depth: Int.random(in: 0...4, using: &generator), into: &text)
        whitespace(&text)
        return (text, value)
    }

    /// `text` damaged in one random way: a byte replaced, removed, inserted or duplicated, the end cut
    /// off, or the whole wrapped in more arrays than the depth limit allows.
    mutating func corrupted(_ text: [UInt8]) -> [UInt8] {
        var damaged = text
        let position = Int.random(in: 0...damaged.count, using: &generator)
        switch Int.random(in: 0..<6, using: &generator) {
        case 0 where position < damaged.count: damaged[position] = interestingByte()
        case 1 where position < damaged.count: damaged.remove(at: position)
        case 2: damaged.insert(interestingByte(), at: position)
        case 3: damaged.removeSubrange(position...)
        case 4 where position < damaged.count: damaged.insert(damaged[position], at: position)
        default:
            let levels = Int.random(in: 55...70, using: &generator)
            damaged =
                Array(repeating: UInt8(ascii: "["), count: levels) + damaged
                + Array(repeating: UInt8(ascii: "]"), count: levels)
        }
        return damaged
    }

    private mutating func interestingByte() -> UInt8 {
        let structural = Array(#"{}[],:"\/u0123456789abcdefABCDEF+-.eEtrunlx "#.utf8)
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: return UInt8.random(in: 0..<0x20, using: &generator)
        case 1: return UInt8.random(in: 0x80...0xFF, using: &generator)
        default: return structural.randomElement(using: &generator) ?? 0
        }
    }

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &generator) < percent }

    private mutating func whitespace(_ text: inout [UInt8]) {
        guard chance(30) else { return }
        for _ in 0..<Int.random(in: 1...3, using: &generator) {
            text.append([0x20, 0x0A, 0x0D, 0x09].randomElement(using: &generator) ?? 0x20)
        }
    }

    private mutating func value(depth: Int, into text: inout [UInt8]) -> JSONValue {
        switch Int.random(in: 0..<(depth > 0 ? 8 : 6), using: &generator) {
        case 0:
            let choice = Int.random(in: 0..<3, using: &generator)
            text.append(contentsOf: ["null", "true", "false"][choice].utf8)
            return [.null, .bool(true), .bool(false)][choice]
        case 1, 2: return number(into: &text)
        case 3, 4, 5: return .string(string(into: &text))
        case 6: return array(depth: depth, into: &text)
        default: return object(depth: depth, into: &text)
        }
    }

    private mutating func array(depth: Int, into text: inout [UInt8]) -> JSONValue {
        text.append(UInt8(ascii: "["))
        whitespace(&text)
        var elements: [JSONValue] = []
        for position in 0..<Int.random(in: 0...4, using: &generator) {
            if position > 0 {
                text.append(UInt8(ascii: ","))
                whitespace(&text)
            }
            elements.append(value(depth: depth - 1, into: &text))
            whitespace(&text)
        }
        text.append(UInt8(ascii: "]"))
        return .array(elements)
    }

    private mutating func object(depth: Int, into text: inout [UInt8]) -> JSONValue {
        text.append(UInt8(ascii: "{"))
        whitespace(&text)
        var members: [String: JSONValue] = [:]
        var keyTexts: [[UInt8]] = []
        for _ in 0..<Int.random(in: 0...6, using: &generator) {
            var keyText: [UInt8] = []
            let key = string(into: &keyText)
            if repeatsKeys, chance(20) {
                // A key written before, or "é" as one scalar and then as two (equal as Swift strings).
                keyText = chance(50) ? Array(#""é""#.utf8) : Array("\"e\u{301}\"".utf8)
                if chance(50), let earlier = keyTexts.randomElement(using: &generator) { keyText = earlier }
            } else if !repeatsKeys, members[key] != nil {
                continue
            }
            if !keyTexts.isEmpty {
                text.append(UInt8(ascii: ","))
                whitespace(&text)
            }
            keyTexts.append(keyText)
            text.append(contentsOf: keyText)
            whitespace(&text)
            text.append(UInt8(ascii: ":"))
            whitespace(&text)
            members[key] = value(depth: depth - 1, into: &text)
            whitespace(&text)
        }
        text.append(UInt8(ascii: "}"))
        return .object(members)
    }
}
