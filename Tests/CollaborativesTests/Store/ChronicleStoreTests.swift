import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// A `Chronicle` over a real store in a fresh temporary directory, removed afterwards.
final class TemporaryChronicle {
    let directory: String
    let chronicle: Chronicle

    init(now: String = "2024-09-01T12:00:00Z", today: String = "2024-09-01") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("chronicle-\(UUID().uuidString)").path
        let instant = try #require(Timestamp(rfc3339: now))
        let log = try LMDBEventStore(directory: directory, options: .init(create: true), clock: FixedClock(instant))
        chronicle = Chronicle(log: log, today: day(today))
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Drafts of `events` dated as given, recorded by "tester".
    func drafts(_ events: [(String, DomainEvent)]) -> [Draft] {
        events.map { Draft(occurredAt: occurred($0.0), recordedBy: "tester", event: $0.1) }
    }

    func head() throws -> LogHead { try chronicle.log.head() }
}

/// NDJSON lines, numbered from 1.
func numberedLines(_ text: String) -> [(number: Int, bytes: [UInt8])] {
    text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
        ($0.offset + 1, Array($0.element.utf8))
    }
}

let oldhamHistory = """
    {"id":"00000000-0000-0000-0000-000000000001","type":"CollaborativeFormed","occurredAt":"2021-09-01","data":{"collaborative":"oldham","name":"Oldham","anchorOrganisation":"Oldham Council","programmeStart":"2021-09-01"}}
    {"id":"00000000-0000-0000-0000-000000000002","type":"MemberJoined","occurredAt":"2021-11-15","data":{"collaborative":"oldham","member":"ol-17","sector":"secondary-school"}}
    {"id":"00000000-0000-0000-0000-000000000003","type":"WorkshopHeld","occurredAt":"2021-12-01","data":{"workshop":"ol-ws-01","collaboratives":["oldham"],"kind":"launch","mode":"in-person","attendees":["ol-17"]}}
    """

@Suite struct ChronicleAppendTests {
    @Test func appendThatBreaksARuleWritesNothing() throws {
        let store = try TemporaryChronicle()
        try store.chronicle.append(store.drafts([("2021-09-01", Events.formed("oldham"))]))
        let before = try store.head()
        #expect(throws: RuleViolation.self) {
            try store.chronicle.append(store.drafts([("2021-11-15", Events.left("ol-9", "oldham"))]))
        }
        #expect(try store.head() == before)
    }

    @Test func dryRunChecksEverythingAndWritesNothing() throws {
        let store = try TemporaryChronicle()
        let result = try store.chronicle.append(store.drafts([("2021-09-01", Events.formed("oldham"))]), dryRun: true)
        #expect(result.appended.count == 1)
        #expect(try store.head() == .empty)
    }

    @Test func violationIndexCountsEveryDraftOfTheBatchEvenAfterADuplicate() throws {
        let store = try TemporaryChronicle()
        let formed = store.drafts([("2021-09-01", Events.formed("oldham"))])
        try store.chronicle.append(formed)
        let batch = formed + store.drafts([("2021-11-15", Events.left("ol-9", "oldham"))])
        do {
            try store.chronicle.append(batch)
            Issue.record("expected a violation")
        } catch let violation as RuleViolation {
            guard case .batch(let index, _) = violation.subject else {
                Issue.record("expected a batch subject, got \(violation.subject)")
                return
            }
            #expect(index == 1)
        }
    }
}

@Suite struct ChronicleImportTests {
    @Test func importWritesTheWholeFileAndReimportIsANoOp() throws {
        let store = try TemporaryChronicle()
        let first = try store.chronicle.importLines(numberedLines(oldhamHistory), defaultRecordedBy: "tester")
        #expect(first.appended == 3)
        let second = try store.chronicle.importLines(numberedLines(oldhamHistory), defaultRecordedBy: "tester")
        #expect(second.appended == 0 && second.duplicates == 3)
        #expect(second.head == first.head)
    }

    @Test func aRuleBrokenOnTheThirdLineNamesLineThreeAndWritesNothing() throws {
        let store = try TemporaryChronicle()
        let broken = oldhamHistory.replacingOccurrences(of: #""attendees":["ol-17"]"#, with: #""attendees":["ol-99"]"#)
        #expect(throws: InputError.self) {
            try store.chronicle.importLines(numberedLines(broken), defaultRecordedBy: "tester")
        }
        do {
            _ = try store.chronicle.importLines(numberedLines(broken), defaultRecordedBy: "tester")
        } catch let error as InputError {
            #expect(error.line == 3)
            #expect(error.description.hasPrefix("line 3: rule "))
        }
        #expect(try store.head() == .empty)
    }

    @Test func anIdRepeatedInTheFileNamesBothLinesAndWritesNothing() throws {
        let store = try TemporaryChronicle()
        let lines = oldhamHistory.split(separator: "\n").map(String.init)
        let firstID = try #require(lines[0].firstRange(of: #/"id":"[0-9a-f-]{36}"/#).map { String(lines[0][$0]) })
        let secondID = try #require(lines[2].firstRange(of: #/"id":"[0-9a-f-]{36}"/#).map { String(lines[2][$0]) })
        var repeated = lines
        repeated[2] = lines[2].replacingOccurrences(of: secondID, with: firstID)
        let error = try #require(throws: InputError.self) {
            try store.chronicle.importLines(numberedLines(repeated.joined(separator: "\n")), defaultRecordedBy: "t")
        }
        #expect(error.line == 3)
        #expect(error.message.hasSuffix("already used on line 1"), "\(error)")
        #expect(try store.head() == .empty)
    }

    @Test func anIdStoredWithOtherContentNamesItsLine() throws {
        let store = try TemporaryChronicle()
        let lines = oldhamHistory.split(separator: "\n").map(String.init)
        try store.chronicle.importLines(numberedLines(lines[0]), defaultRecordedBy: "t")
        let before = try store.head()
        // Line 2 of the new file reuses the stored event's id for other content.
        let firstID = try #require(lines[0].firstRange(of: #/"id":"[0-9a-f-]{36}"/#).map { String(lines[0][$0]) })
        let secondID = try #require(lines[1].firstRange(of: #/"id":"[0-9a-f-]{36}"/#).map { String(lines[1][$0]) })
        let reused = [lines[2], lines[1].replacingOccurrences(of: secondID, with: firstID)]
        let error = try #require(throws: InputError.self) {
            try store.chronicle.importLines(numberedLines(reused.joined(separator: "\n")), defaultRecordedBy: "t")
        }
        #expect(error.line == 2)
        #expect(error.message.contains("is already stored (seq 1) with different content"), "\(error)")
        #expect(try store.head() == before)
    }

    @Test func aSchemaErrorNamesTheLineAndTheField() throws {
        let store = try TemporaryChronicle()
        let broken = oldhamHistory.replacingOccurrences(of: "secondary-school", with: "teacher")
        do {
            _ = try store.chronicle.importLines(numberedLines(broken), defaultRecordedBy: "tester")
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.line == 2)
            #expect(error.message.hasPrefix("data.sector:"))
        }
        #expect(try store.head() == .empty)
    }

    @Test func anExportRestoredIntoAnEmptyStoreIsIdenticalLineForLine() throws {
        let source = try TemporaryChronicle()
        try source.chronicle.importLines(numberedLines(oldhamHistory), defaultRecordedBy: "tester")
        let exported = try source.chronicle.log.events().collect().map {
            String(decoding: ExportLine.encode($0), as: UTF8.self)
        }
        let copy = try TemporaryChronicle(now: "2025-01-01T00:00:00Z")
        let summary = try copy.chronicle.importLines(
            numberedLines(exported.joined(separator: "\n")), defaultRecordedBy: "x")
        #expect(summary.restored)
        let again = try copy.chronicle.log.events().collect().map {
            String(decoding: ExportLine.encode($0), as: UTF8.self)
        }
        #expect(again == exported)
        #expect(try copy.head() == source.head())
    }

    @Test func aTamperedExportIsRefusedNamingItsLine() throws {
        let source = try TemporaryChronicle()
        try source.chronicle.importLines(numberedLines(oldhamHistory), defaultRecordedBy: "tester")
        var lines = try source.chronicle.log.events().collect().map {
            String(decoding: ExportLine.encode($0), as: UTF8.self)
        }
        lines[1] = lines[1].replacingOccurrences(of: "ol-17", with: "ol-18")
        lines[2] = lines[2].replacingOccurrences(of: "ol-17", with: "ol-18")
        let copy = try TemporaryChronicle()
        do {
            _ = try copy.chronicle.importLines(numberedLines(lines.joined(separator: "\n")), defaultRecordedBy: "x")
            Issue.record("expected the restore to fail")
        } catch let error as InputError {
            #expect(error.line == 2)
            #expect(error.message.contains("hash"))
        }
        #expect(try copy.head() == .empty)
    }

    @Test func outputOnlyFieldsAreRefusedInANonEmptyStoreUnlessTheEventIsAlreadyStored() throws {
        let store = try TemporaryChronicle()
        try store.chronicle.importLines(numberedLines(oldhamHistory), defaultRecordedBy: "tester")
        let stored = try #require(try store.chronicle.log.events().collect().first)
        let line = String(decoding: ExportLine.encode(stored), as: UTF8.self)
        let retry = try store.chronicle.importLines(numberedLines(line), defaultRecordedBy: "tester")
        #expect(retry.duplicates == 1 && retry.appended == 0)
        let forged = line.replacingOccurrences(
            of: "00000000-0000-0000-0000-000000000001", with: "00000000-0000-0000-0000-0000000000ff")
        do {
            _ = try store.chronicle.importLines(numberedLines(forged), defaultRecordedBy: "tester")
            Issue.record("expected a refusal")
        } catch let error as InputError {
            #expect(error.line == 1)
            #expect(error.message.contains("output-only fields"))
        }
    }
}

@Suite struct InterchangeLineTests {
    @Test func unknownTopLevelFieldIsNamed() {
        #expect(throws: DomainError(.unknownField, field: "colour", message: "unknown field")) {
            try InterchangeLine.parse(
                Array(#"{"type":"MemberJoined","occurredAt":"2021-01-01","data":{},"colour":1}"#.utf8))
        }
    }

    @Test func missingOccurredAtIsNamed() throws {
        do {
            _ = try InterchangeLine.parse(Array(#"{"type":"MemberJoined","data":{}}"#.utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "occurredAt")
            #expect(error.kind == .missingField)
        }
    }

    @Test func impossibleDateIsRefused() {
        #expect(throws: DomainError.self) {
            try InterchangeLine.parse(Array(#"{"type":"MemberJoined","occurredAt":"2023-02-30","data":{}}"#.utf8))
        }
    }

    @Test func restoreFieldsAreRead() throws {
        let text =
            #"{"type":"MemberJoined","occurredAt":"2021-01-01","data":{},"seq":4,"stream":"s","streamVersion":2,"recordedAt":"2021-01-02T00:00:00Z","hash":""#
            + String(repeating: "ab", count: 32) + #""}"#
        let line = try InterchangeLine.parse(Array(text.utf8))
        #expect(line.restored.seq == 4 && line.restored.streamVersion == 2 && line.restored.stream == "s")
        #expect(line.restored.hash?.description == String(repeating: "ab", count: 32))
    }
}
