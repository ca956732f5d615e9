import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// `chronicle members --collaborative` lists a collaborative's people from the events that concern it (read
/// through the tag index) rather than from the whole log: their rows, memberships of other collaboratives
/// and roles held anywhere included, must be those the whole view gives.
@Suite struct MemberRosterTests {
    @Test func theRosterOfOneCollaborativeReadThroughTheTagIndexIsTheWholeViewsRosterOfIt() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("chronicle-member-roster-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = SettableClock(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        let store = try LMDBEventStore(
            directory: directory, options: .init(create: true, initialMapSize: 1 << 22, durable: false), clock: clock)
        let chronicle = Chronicle(log: store, today: day("2030-01-01"))
        try chronicle.importLines(
            HistoryGeneratorTests.numbered(HistoryGeneratorTests.history), defaultRecordedBy: "tester")
        let knownAt = clock.now()
        for asOf in [day("2017-03-01"), day("2020-08-31"), day("2025-09-01")] {
            let whole = try HistoryView.load(from: chronicle.reader, asOf: asOf, knownAt: knownAt)
            let everyone = MemberRoster.compute(view: whole).members
            // What makes the comparison worth its name: rows that reach beyond one collaborative.
            #expect(everyone.contains { Set($0.memberships.map(\.collaborative)).count > 1 })
            #expect(everyone.contains { !$0.roles.isEmpty })
            #expect(whole.collaboratives.count > 1)
            for collaborative in whole.collaboratives {
                let scoped = try HistoryView.load(
                    from: chronicle.reader, asOf: asOf, knownAt: knownAt, collaborative: collaborative)
                #expect(scoped.eventsKnown < whole.eventsKnown)
                let filter = MemberRoster.Filter(collaborative: collaborative)
                let expected = MemberRoster.compute(view: whole, filter: filter).members
                #expect(!expected.isEmpty)
                #expect(
                    MemberRoster.compute(view: scoped, filter: filter).members == expected,
                    "\(collaborative) as of \(asOf)")
            }
        }
    }
}
