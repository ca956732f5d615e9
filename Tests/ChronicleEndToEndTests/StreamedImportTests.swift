import Foundation
import Testing

/// `chronicle import` reads, checks and writes its input a stretch of lines at a time inside one
/// transaction: the same answers as one batch of every line, whichever stretch each line falls in. Blank
/// lines count towards a stretch (8,192 lines), so a few thousand of them put the lines after them in a
/// later stretch.
@Suite struct StreamedImportTests {
    /// Enough blank lines to end the stretch the lines before them are in.
    static let stretchOfBlankLines = Array(repeating: "", count: 9_000)

    @Test func anIDRepeatedInALaterStretchIsRefusedNamingBothLines() async throws {
        let sandbox = try await Sandbox.initialised()
        let lines = BaseHistory.lines + Self.stretchOfBlankLines + [BaseHistory.lines[3]]
        try await sandbox.expectImportRefusal(
            lines, mentioning: ["line \(lines.count):", "already used on line 4", BaseHistory.anchorJoined])
        #expect(try await sandbox.log().events.isEmpty)
    }

    @Test func aLineThatMakesAnEarlierStretchsEventInvalidNamesThatEarlierLine() async throws {
        let sandbox = try await Sandbox.initialised()
        // ol-03 leaves before the workshop of line 12 they attended, in a later stretch.
        let left =
            #"{"type":"MemberLeft","occurredAt":"2022-03-05","data":{"collaborative":"oldham","member":"ol-03","reason":"capacity"}}"#
        let lines = Array(BaseHistory.lines.dropLast()) + Self.stretchOfBlankLines + [left]
        let result = try await sandbox.expectImportRefusal(
            lines, mentioning: ["line 12:", "member-active", "batch event 11", "WorkshopHeld", "ol-03"])
        #expect(!result.stderr.contains("stored event"), "\(result)")
        #expect(try await sandbox.log().events.isEmpty)
    }

    @Test func anImportSpanningStretchesIsWrittenInOneTransactionAtOneTime() async throws {
        let sandbox = try await Sandbox.initialised()
        let lines = Array(BaseHistory.lines[..<6]) + Self.stretchOfBlankLines + Array(BaseHistory.lines[6...])
        let report = try await sandbox.importNDJSON(lines.joined(separator: "\n") + "\n")
        #expect(report.appended == BaseHistory.count && report.lines == BaseHistory.count)
        let log = try await sandbox.log()
        #expect(log.seqs == Array(1...BaseHistory.count))
        let again = try await sandbox.importNDJSON(lines.joined(separator: "\n") + "\n", now: "2024-09-05T10:00:00Z")
        #expect(again.appended == 0 && again.duplicates == BaseHistory.count, "an idempotent re-import skips")
        #expect(try await sandbox.verify().sound)
    }

    /// ol-03's join moved after a stretch of blank lines, behind the workshop that names them (it is dated
    /// before it): one batch accepts the file, so the import, whose check in order of the lines refuses it,
    /// reads the input again and imports it as one batch, from a file and from a pipe alike.
    @Test func aJoinInALaterStretchThatAnEarlierLineNeedsIsAcceptedFromAFileAndFromAPipe() async throws {
        var lines = BaseHistory.lines
        let join = lines.remove(at: 5)
        #expect(join.contains("\"ol-03\"") && join.contains("MemberJoined"))
        lines += Self.stretchOfBlankLines + [join]
        let ndjson = lines.joined(separator: "\n") + "\n"
        let fromFile = try await Sandbox.initialised()
        let report = try await fromFile.importNDJSON(ndjson)
        #expect(report.appended == BaseHistory.count && report.lines == BaseHistory.count)
        #expect(try await fromFile.verify().sound)

        let fromPipe = try await Sandbox.initialised()
        let piped = try await fromPipe.run(["import", "--json", "-"], input: Data(ndjson.utf8))
        #expect(piped.status == 0, "\(piped)")
        #expect(try await fromPipe.log().events.count == BaseHistory.count)
        #expect(try await fromPipe.verify().sound)
    }

    @Test func aWholeExportRestoresAcrossStretchesItsChainCheckedLineByLine() async throws {
        let source = try await Sandbox.withBaseHistory()
        let exported = try await source.export().split(separator: "\n").map(String.init)
        let lines = Array(exported[..<6]) + Self.stretchOfBlankLines + Array(exported[6...])
        let target = try await Sandbox.initialised()
        let report = try await target.importNDJSON(lines.joined(separator: "\n") + "\n")
        #expect(report.restored && report.appended == BaseHistory.count)
        #expect(try await target.head() == (try await source.head()))

        // A line of the later stretch whose content no longer matches its hash is refused, naming it.
        let tamperedLine = 6 + Self.stretchOfBlankLines.count + 1  // ro-01 joins, in the health sector
        var tampered = lines
        tampered[tamperedLine - 1] = tampered[tamperedLine - 1].replacingOccurrences(
            of: "\"sector\":\"health\"", with: "\"sector\":\"camhs\"")
        #expect(tampered != lines)
        let other = try await Sandbox.initialised()
        try await other.expectImportRefusal(tampered, mentioning: ["line \(tamperedLine):", "cannot restore"])
    }

    @Test(.lmdbOnly("the limit is LMDB's map, grown only between transactions (CHRONICLE_TEST_LARGEST_TRANSACTION)"))
    func aFileTooLargeForOneTransactionIsRefusedSayingSoAndNothingIsWritten() async throws {
        let sandbox = try await Sandbox.initialised()
        let generated = try await sandbox.succeed(
            ["generate", "--events", "4000", "--seed", "7"], now: GenerateTests.now)
        let path = try sandbox.file("large.ndjson", generated.stdout)
        let result = try await sandbox.run(
            ["import", path], now: GenerateTests.now,
            environment: ["CHRONICLE_TEST_LARGEST_TRANSACTION": "65536"])
        #expect(result.status == 74, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains("too large for one transaction"), "\(result)")
        #expect(result.stderr.contains("import the file in parts"), "\(result)")
        #expect(try await sandbox.head().seq == 0)
        #expect(try await sandbox.verify().sound)
    }

    /// The map is grown for what the file may add, not for all one transaction may (8 GiB of address space,
    /// which a bound on it refused): an import of two stretches, from a file and from a pipe, runs under
    /// `ulimit -v` of 3 GiB.
    @Test(.lmdbOnly("the room set aside is LMDB's map"))
    func anImportRunsUnderABoundOnItsAddressSpaceOfAFewGigabytes() async throws {
        let sandbox = try await Sandbox.initialised()
        let generated = try await sandbox.succeed(
            ["generate", "--events", "9000", "--seed", "7"], now: GenerateTests.now)
        let path = try sandbox.file("history.ndjson", generated.stdout)
        let bound = 3 << 20
        let fromFile = try await sandbox.run(
            ["import", "--dry-run", path], addressSpaceKiB: bound, now: GenerateTests.now)
        #expect(fromFile.status == 0, "\(fromFile)")
        let fromPipe = try await sandbox.run(
            ["import", "-"], addressSpaceKiB: bound, input: Data(generated.stdout.utf8), now: GenerateTests.now)
        #expect(fromPipe.status == 0, "\(fromPipe)")
        #expect(try await sandbox.head().seq == 9_000)
        #expect(try await sandbox.verify().sound)
    }
}
