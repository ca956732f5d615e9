import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// The present-view checkpoint in a real store: kept by the appends (by every one with an interval of 1),
/// caught up when missing or behind, stored after a restore, and checked against a fold of the log.
@Suite struct PresentViewStoreTests {
    private func stored(_ store: ClockedChronicle) throws -> Checkpoint? {
        try store.chronicle.log.read { try $0.checkpoint(named: PresentView.checkpointName) }
    }

    private func state(_ store: ClockedChronicle) throws -> CheckpointState {
        try store.chronicle.log.read { try store.chronicle.reader.presentView(in: $0).checkpoint }
    }

    /// Appends `events` straight to the log, as an older build (or another writer) would: no rules, no
    /// checkpoint.
    private func appendBypassingChronicle(_ store: ClockedChronicle, _ events: [(String, DomainEvent)]) throws {
        let drafts = events.map { Draft(occurredAt: occurred($0.0), recordedBy: "old", event: $0.1) }
        try store.chronicle.log.append(drafts.map(\.newEvent))
    }

    @Test func everyAppendStoresTheCheckpointAtTheHead() throws {
        let store = try ClockedChronicle(checkpointInterval: 1)
        try store.record(at: "2024-01-01T00:00:00Z", Array(PresentViewTests.first.prefix(5)))
        try store.record(at: "2024-01-02T00:00:00Z", Array(PresentViewTests.first.dropFirst(5)))
        let checkpoint = try #require(try stored(store))
        #expect(checkpoint.position == 16)
        let rebuild = try store.chronicle.reader.rederivePresentView()
        #expect(try PresentView(decoding: checkpoint.state).digest == rebuild.digest)
        #expect(rebuild.comparison == .matched(position: 16, digest: rebuild.digest))
        #expect(try state(store) == .current)
    }

    /// The digest given with the view is the view's own whatever the checkpoint's state: read from the
    /// stored bytes when current, from the folded view's encoding otherwise.
    @Test func theDigestGivenWithTheViewIsTheViewsOwnCurrentBehindOrMissing() throws {
        let store = try ClockedChronicle(checkpointInterval: 4)
        func check(_ expected: CheckpointState) throws {
            let (present, state, digest) = try store.chronicle.log.read {
                try store.chronicle.reader.presentViewAndDigest(in: $0)
            }
            #expect(state == expected)
            #expect(digest == present.digest)
            #expect(present == (try plainFold(store.chronicle)))
        }
        try store.record(at: "2024-01-01T00:00:00Z", Array(PresentViewTests.first.prefix(4)))
        try check(.current)
        try store.record(at: "2024-01-01T00:00:01Z", Array(PresentViewTests.first.dropFirst(4).prefix(1)))
        try check(.behind(position: 4))
        try store.record(at: "2024-01-01T00:00:02Z", Array(PresentViewTests.first.dropFirst(5)))
        try check(.current)
        let empty = try ClockedChronicle(checkpointInterval: 4)
        let (_, state, digest) = try empty.chronicle.log.read {
            try empty.chronicle.reader.presentViewAndDigest(in: $0)
        }
        #expect(state == .missing && digest == PresentView.empty.digest)
    }

    @Test func withAnIntervalTheCheckpointIsStoredOnlyWhenTheEventsAfterItReachIt() throws {
        let store = try ClockedChronicle(checkpointInterval: 4)
        var positions: [UInt64?] = []
        for (index, event) in PresentViewTests.first.enumerated() {
            try store.record(at: "2024-01-01T00:00:\(10 + index)Z", [event])
            positions.append(try stored(store)?.position)
        }
        // Stored by the first append (none was stored), then each time the head is 4 events past it.
        #expect(positions == [1, 1, 1, 1, 5, 5, 5, 5, 9, 9, 9, 9, 13, 13, 13, 13])
        // Readers fold what it lacks, so the present view is the same as a fold of the whole log.
        #expect(try state(store) == .behind(position: 13))
        let present = try store.chronicle.log.read { try store.chronicle.reader.presentView(in: $0).present }
        #expect(present == (try plainFold(store.chronicle)))
        #expect(try store.chronicle.reader.rederivePresentView().comparison.isMatched(at: 13))
    }

    @Test func aBatchFoldedFromItsDraftsGivesTheCheckpointAFoldOfTheStoredLogGives() throws {
        let store = try ClockedChronicle(checkpointInterval: 1)
        store.clock.set(Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000))
        let lines = numberedLines(
            """
            {"id":"00000000-0000-0000-0000-0000000000a1","type":"CollaborativeFormed","occurredAt":"2021-09-01","data":{"collaborative":"oldham","name":"Oldham","anchorOrganisation":"Oldham Council","programmeStart":"2021-09-01"}}
            {"id":"00000000-0000-0000-0000-0000000000a2","type":"MemberJoined","occurredAt":"2021-11-15T09:30:00+01:00","data":{"collaborative":"oldham","member":"ol-17","name":"Sam Smith","sector":"secondary-school"}}
            {"id":"00000000-0000-0000-0000-0000000000a3","type":"RoleAssigned","occurredAt":"2021-11-16","data":{"collaborative":"oldham","role":"anchor","member":"ol-17","appointment":"formal"}}
            {"id":"00000000-0000-0000-0000-0000000000a4","type":"EventRetracted","occurredAt":"2021-11-17","data":{"event":"00000000-0000-0000-0000-0000000000a3","reason":"wrong member"}}
            """)
        try store.chronicle.importLines(lines, defaultRecordedBy: "tester")
        let checkpoint = try #require(try stored(store))
        #expect(checkpoint.position == 4)
        let rebuild = try store.chronicle.reader.rederivePresentView()
        #expect(try PresentView(decoding: checkpoint.state).digest == rebuild.digest)
        #expect(rebuild.comparison.isMatched(at: 4))
    }

    @Test func anUnusableCheckpointIsReplacedByTheNextAppendWhateverTheInterval() throws {
        let store = try ClockedChronicle()  // the default interval of 1,000 events
        let other = try ClockedChronicle()
        try store.record(at: "2024-01-01T00:00:00Z", Array(PresentViewTests.first.prefix(6)))
        try other.record(at: "2024-01-01T00:00:00Z", Array(PresentViewTests.first.prefix(6)).reversed())
        let foreign = try #require(try stored(other))
        let events = Array(PresentViewTests.first.dropFirst(6))
        // Damaged, then valid but of another log at the same position: each is replaced by one append.
        for (index, replacement) in [[9, 9, 9], foreign.state].enumerated() {
            let position = try #require(try stored(store)?.position)
            try store.chronicle.log.saveCheckpoint(
                Checkpoint(name: PresentView.checkpointName, position: position, state: replacement))
            try store.record(at: "2024-01-0\(index + 2)T00:00:00Z", [events[index]])
            let checkpoint = try #require(try stored(store))
            #expect(checkpoint.position == position + 1)
            #expect(try state(store) == .current)
        }
        // A usable one stays until the interval comes round.
        try store.record(at: "2024-01-05T00:00:00Z", [events[2]])
        #expect(try state(store) == .behind(position: 8))
    }

    @Test func aRefusedOrDryRunAppendLeavesTheCheckpointAlone() throws {
        let store = try ClockedChronicle(checkpointInterval: 1)
        try store.record(at: "2024-01-01T00:00:00Z", Array(PresentViewTests.first.prefix(3)))
        let before = try stored(store)
        #expect(throws: RuleViolation.self) {
            try store.record(at: "2024-01-02T00:00:00Z", [("2022-01-01", Events.left("nobody", "oldham"))])
        }
        let dry = [Draft(occurredAt: occurred("2022-01-01"), recordedBy: "t", event: Events.formed("bury"))]
        try store.chronicle.append(dry, dryRun: true)
        #expect(try stored(store) == before)
    }

    @Test func aMissingCheckpointIsFoldedFromTheLogByTheNextAppend() throws {
        let store = try ClockedChronicle(checkpointInterval: 1)
        try appendBypassingChronicle(store, Array(PresentViewTests.first.prefix(6)))
        #expect(try stored(store) == nil)
        #expect(try state(store) == .missing)
        try store.record(at: "2024-01-02T00:00:00Z", Array(PresentViewTests.first.dropFirst(6)))
        let checkpoint = try #require(try stored(store))
        #expect(checkpoint.position == 16)
        #expect(try PresentView(decoding: checkpoint.state) == plainFold(store.chronicle))
    }

    @Test func aCheckpointBehindTheLogIsCaughtUpByTheNextAppend() throws {
        let store = try ClockedChronicle(checkpointInterval: 1)
        try store.record(at: "2024-01-01T00:00:00Z", Array(PresentViewTests.first.prefix(6)))
        try appendBypassingChronicle(store, Array(PresentViewTests.first.dropFirst(6).prefix(4)))
        #expect(try state(store) == .behind(position: 6))
        let caughtUp = try store.chronicle.log.read { try store.chronicle.reader.presentView(in: $0).present }
        #expect(caughtUp == (try plainFold(store.chronicle)))
        #expect(try store.chronicle.reader.rederivePresentView().comparison.isMatched(at: 6))
        try store.record(at: "2024-01-02T00:00:00Z", Array(PresentViewTests.first.dropFirst(10)))
        #expect(try state(store) == .current)
        #expect(try stored(store)?.position == 16)
    }

    @Test func anUnreadableCheckpointNeverFailsAnAppendAndIsReplaced() throws {
        let store = try ClockedChronicle(checkpointInterval: 1)
        try store.record(at: "2024-01-01T00:00:00Z", Array(PresentViewTests.first.prefix(6)))
        try store.chronicle.log.saveCheckpoint(
            Checkpoint(name: PresentView.checkpointName, position: 6, state: [9, 9, 9]))
        guard case .unusable = try state(store) else {
            Issue.record("a damaged checkpoint was used")
            return
        }
        try store.record(at: "2024-01-02T00:00:00Z", Array(PresentViewTests.first.dropFirst(6)))
        #expect(try state(store) == .current)
        #expect(try store.chronicle.reader.rederivePresentView().comparison.isMatched(at: 16))
    }

    @Test func aCheckpointOfTheFormerEncodingIsRecognisedAndRebuiltNotMisread() throws {
        let store = try ClockedChronicle(checkpointInterval: 1)
        try store.record(at: "2024-01-01T00:00:00Z", Array(PresentViewTests.first.prefix(6)))
        // A version 1 checkpoint as an older build stored it: its header names version 1.
        var former = try #require(try stored(store)).state
        former[0] = 1
        try store.chronicle.log.saveCheckpoint(Checkpoint(name: PresentView.checkpointName, position: 6, state: former))
        #expect(try state(store) == .unusable(reason: "encoding version 1 is not 3"))
        let present = try store.chronicle.log.read { try store.chronicle.reader.presentView(in: $0).present }
        #expect(present == (try plainFold(store.chronicle)))
        let rebuild = try store.chronicle.rebuildPresentView()
        #expect(
            rebuild.comparison == .differed(position: 6, stored: ProjectionDigest(of: former), rebuilt: rebuild.digest))
        #expect(try state(store) == .current)
        #expect(try stored(store)?.state.first == PresentView.encodingVersion)
    }

    @Test func aRebuildStoresTheBytesItsDigestIsOf() throws {
        let store = try ClockedChronicle(checkpointInterval: 1)
        try store.record(at: "2024-01-01T00:00:00Z", PresentViewTests.first)
        let rebuild = try store.chronicle.rebuildPresentView()
        let checkpoint = try #require(try stored(store))
        #expect(checkpoint.position == 16)
        #expect(ProjectionDigest(of: checkpoint.state) == rebuild.digest)
        #expect(checkpoint.state == (try plainFold(store.chronicle)).encoded())
        #expect(rebuild.comparison == .matched(position: 16, digest: rebuild.digest))
    }

    @Test func aCheckpointFromAnotherLogIsNotUsed() throws {
        let store = try ClockedChronicle(checkpointInterval: 1)
        let other = try ClockedChronicle()
        try store.record(at: "2024-01-01T00:00:00Z", Array(PresentViewTests.first.prefix(6)))
        try other.record(at: "2024-01-01T00:00:00Z", Array(PresentViewTests.first.prefix(6)))
        // Same events, other ids: the hash at seq 6 differs.
        let foreign = try #require(try stored(other))
        try store.chronicle.log.saveCheckpoint(foreign)
        #expect(try state(store) == .unusable(reason: "the hash at seq 6 is not the one it folded"))
    }

    @Test func rederivingDetectsACheckpointChangedUnderneath() throws {
        let store = try ClockedChronicle(checkpointInterval: 1)
        try store.record(at: "2024-01-01T00:00:00Z", PresentViewTests.first)
        let truth = try plainFold(store.chronicle)
        // A well-formed but different state, stored at the head's position: the count of a workshop gone.
        var forged = truth
        forged.collaboratives[slug("oldham")]?.workshops = 0
        try store.chronicle.log.saveCheckpoint(
            Checkpoint(name: PresentView.checkpointName, position: 16, state: forged.encoded()))
        let rebuild = try store.chronicle.reader.rederivePresentView()
        #expect(rebuild.comparison == .differed(position: 16, stored: forged.digest, rebuilt: truth.digest))
        // A rebuild reports the difference and stores the true state.
        #expect(try store.chronicle.rebuildPresentView().comparison != .missing)
        #expect(
            try store.chronicle.reader.rederivePresentView().comparison == .matched(position: 16, digest: truth.digest))
    }

    @Test func aCheckpointClaimingEventsBeyondTheHeadDiffers() throws {
        let store = try ClockedChronicle(checkpointInterval: 1)
        try store.record(at: "2024-01-01T00:00:00Z", PresentViewTests.first)
        let truth = try plainFold(store.chronicle)
        try store.chronicle.log.saveCheckpoint(
            Checkpoint(name: PresentView.checkpointName, position: 99, state: truth.encoded()))
        guard case .differed(99, _, truth.digest) = try store.chronicle.reader.rederivePresentView().comparison else {
            Issue.record("a checkpoint beyond the head was not reported")
            return
        }
    }

    @Test func restoringAnExportStoresTheSameCheckpointAsTheOriginal() throws {
        let original = try ClockedChronicle()
        try original.record(at: "2024-01-01T00:00:00Z", PresentViewTests.first)
        var exported: [[UInt8]] = []
        try original.chronicle.reader.exportLines { exported.append($0) }  // with the keys of sealed organisations
        let lines = exported.enumerated().map { index, bytes in (number: index + 1, bytes: bytes) }
        let copy = try ClockedChronicle()
        let summary = try copy.chronicle.importLines(lines, defaultRecordedBy: "restorer")
        #expect(summary.restored)
        #expect(try state(copy) == .current)
        #expect(try stored(copy) == (try stored(original)))
    }

    @Test func aDryRunRestoreStoresNoCheckpoint() throws {
        let original = try ClockedChronicle()
        try original.record(at: "2024-01-01T00:00:00Z", PresentViewTests.first)
        var exported: [[UInt8]] = []
        try original.chronicle.reader.exportLines { exported.append($0) }  // with the keys of sealed organisations
        let lines = exported.enumerated().map { index, bytes in (number: index + 1, bytes: bytes) }
        let copy = try ClockedChronicle()
        try copy.chronicle.importLines(lines, defaultRecordedBy: "restorer", dryRun: true)
        #expect(try stored(copy) == nil)
    }
}

/// The present view folded from the whole log, from scratch, in memory: what a rebuild must store.
func plainFold(_ chronicle: Chronicle) throws -> PresentView {
    try chronicle.log.read { view in
        var present = PresentView.empty
        try chronicle.reader.fold(&present, in: view)
        return present
    }
}

extension CheckpointComparison {
    /// Whether the checkpoint matched at `position`.
    func isMatched(at position: UInt64) -> Bool {
        if case .matched(position, _) = self { return true }
        return false
    }
}
