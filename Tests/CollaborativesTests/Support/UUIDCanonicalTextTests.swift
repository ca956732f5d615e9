import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// Ids are read from their exact 36-character text only: Foundation's parser on Linux reads a group with a
/// sign, a space or `0x` in it as another id.
@Suite struct UUIDCanonicalTextTests {
    @Test func readsEveryIdAsFoundationWritesItInEitherCase() {
        for _ in 0..<1_000 {
            let id = UUID()
            #expect(UUID(canonicalText: id.uuidString) == id)
            #expect(UUID(canonicalText: id.uuidString.lowercased()) == id)
        }
        #expect(
            UUID(canonicalText: "00000000-0000-0000-0000-000000000000")
                == UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        #expect(
            UUID(canonicalText: "FfFfFfFf-ffff-FFFF-ffff-ffffffffffff")?.uuidString.allSatisfy {
                $0 == "F" || $0 == "-"
            } == true)
    }

    @Test func writesEveryIdInLowerCaseAsFoundationDoes() {
        var ids = (0..<1_000).map { _ in UUID() }
        ids.append(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        ids.append(UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)))
        ids.append(UUID(uuid: (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)))
        for id in ids {
            #expect(id.lowercased == id.uuidString.lowercased())
            #expect(UUID(canonicalText: id.lowercased) == id)
        }
    }

    @Test(arguments: [
        "+1234567-1234-1234-1234-123456789abc", " 1234567-1234-1234-1234-123456789abc",
        "0x345678-1234-1234-1234-123456789abc", "12345678-+234-1234-1234-123456789abc",
        "12345678-1234-1234-1234-12345678 abc", "12345678-1234-1234-1234-12345678-abc",
        "12345678-1234-1234-1234-123456789abcd", "12345678-1234-1234-1234-123456789ab",
        "12345678123412341234123456789abc", "{12345678-1234-1234-1234-123456789ab}",
        "12345678-1234-1234-1234_123456789abc", "1234567g-1234-1234-1234-123456789abc", "",
        "12345678-1234-1234-1234-123456789abé",
    ])
    func refusesAnyOtherText(text: String) {
        #expect(UUID(canonicalText: text) == nil)
    }

    @Test func anImportLineWhoseIdIsNotWrittenExactlyIsRefusedNotStoredAsAnotherId() throws {
        let store = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        let line =
            #"{"id":" 1234567-1234-1234-1234-123456789abc","type":"CollaborativeFormed","occurredAt":"2021-09-01","data":{"collaborative":"oldham","name":"Oldham","anchorOrganisation":"Oldham Council","programmeStart":"2021-09-01"}}"#
        #expect {
            try store.chronicle.importLines([(1, Array(line.utf8))], defaultRecordedBy: "t")
        } throws: { error in
            "\(error)".contains("is not a UUID")
        }
        #expect(try store.chronicle.log.head().seq == 0)
    }
}
