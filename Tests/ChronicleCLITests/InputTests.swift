import Collaboratives
import Foundation
import Testing

@testable import ChronicleCLI

/// Reading an import's file and splitting it into numbered lines.
@Suite struct InputTests {
    @Test(
        arguments: [
            ("", []), ("a", ["a"]), ("a\n", ["a"]), ("a\nb", ["a", "b"]), ("\n\n", ["", ""]),
            ("a\r\n\nbc\n", ["a\r", "", "bc"]),
        ])
    func linesAreSplitAtEachNewlineAndNumberedFromOne(text: String, expected: [String]) {
        let lines = splitLines(Array(text.utf8))
        #expect(lines.map(\.number) == expected.indices.map { $0 + 1 })
        #expect(lines.map { String(decoding: $0.bytes, as: UTF8.self) } == expected)
    }

    @Test func aByteOrderMarkBeforeTheFirstLineIsSkipped() {
        let lines = splitLines([0xEF, 0xBB, 0xBF] + Array("{}\n\u{FEFF}x\n".utf8))
        #expect(lines.map { String(decoding: $0.bytes, as: UTF8.self) } == ["{}", "\u{FEFF}x"])
    }

    @Test(arguments: [
        ("A,B,C\r\n1,,", [["1", "", ""]]), ("A,B,C\n1,2,\n", [["1", "2", ""]]), ("A,B,C\n1,2,", [["1", "2", ""]]),
        ("A,B,C\n1,2,3", [["1", "2", "3"]]),
    ])
    func aRegisterEndingWithAnEmptyCellKeepsIt(text: String, expected: [[String]]) throws {
        #expect(try RegisterCSV.table(from: text, delimiter: ",").rows.map(\.cells) == expected)
    }

    @Test func aFileLongerThanOneReadIsReadWhole() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("input-\(UUID()).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = (0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        #expect(try readInput(path) == bytes)
    }

    @Test func aMissingFileOrADirectoryIsRefusedByName() throws {
        let missing = "/nonexistent-\(UUID()).ndjson"
        let error = try #require(throws: CLIError.self) { try readInput(missing) }
        #expect(error.status == .noInput && error.message.contains(missing))
        let directory = FileManager.default.temporaryDirectory.path
        let unreadable = try #require(throws: CLIError.self) { try readInput(directory) }
        #expect(unreadable.status == .ioError && unreadable.message.contains("cannot read \(directory)"))
    }
}
