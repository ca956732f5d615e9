import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// A rule check's scope reads, for each member whose state a batch changes from day D, the stored events
/// naming them that are a sub-group membership or dated on or after D, judging each on its envelope read in
/// place (`LogView.eventsInPlace(at:)`). These tests hold the events it keeps to that rule computed from
/// the whole decoded log, on LMDB (which reads the envelopes from its mapped pages) and on the memory store
/// (whose envelopes come through `events(at:)`).
@Suite struct RuleScopeMentionTests {
    enum Backend: String, CaseIterable {
        case lmdb, memory
    }

    /// A chronicle of `backend` holding the first 2,000 events of the shared generated history, and a
    /// directory to remove afterwards (LMDB).
    private static func chronicle(_ backend: Backend) throws -> (Chronicle, ClockedChronicle?) {
        switch backend {
        case .lmdb:
            let store = try ClockedChronicle()
            store.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
            try store.chronicle.importLines(
                HistoryGeneratorTests.numbered(TagIndexTests.history[..<2_000]), defaultRecordedBy: "tester")
            return (store.chronicle, store)
        case .memory:
            let clock = SettableClock(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
            let chronicle = Chronicle(log: InMemoryEventStore(clock: clock), today: day("2030-01-01"))
            try chronicle.importLines(
                HistoryGeneratorTests.numbered(TagIndexTests.history[..<2_000]), defaultRecordedBy: "tester")
            return (chronicle, nil)
        }
    }

    private static func isSubgroupMembership(_ event: DomainEvent) -> Bool {
        switch event {
        case .subGroupMemberJoined, .subGroupMemberLeft: true
        default: false
        }
    }

    /// Leaves of 40 members (those with sub-group memberships first), each dated on the day of the middle
    /// stored event naming them, so that their mentions fall on either side of it and on it.
    private static func leaves(in stored: [TimelineEntry]) -> [Slug: Day] {
        var mentions: [Slug: [Day]] = [:]
        var inSubgroups = Set<Slug>()
        for entry in stored {
            for member in entry.event.membersNamed { mentions[member, default: []].append(entry.occurredAt.localDay) }
            if isSubgroupMembership(entry.event), let member = entry.event.memberWhoseStateChanges {
                inSubgroups.insert(member)
            }
        }
        let chosen = mentions.keys.sorted { one, two in
            (inSubgroups.contains(one) ? 0 : 1, one.rawValue) < (inSubgroups.contains(two) ? 0 : 1, two.rawValue)
        }
        var changedFrom: [Slug: Day] = [:]
        for member in chosen.prefix(40) {
            let days = mentions[member, default: []].sorted()
            changedFrom[member] = days[days.count / 2]
        }
        return changedFrom
    }

    @Test(arguments: Backend.allCases)
    func theScopeKeepsExactlyTheMentionsDatedFromTheChangedDayAndEverySubgroupMembership(backend: Backend) throws {
        let (chronicle, lmdb) = try Self.chronicle(backend)
        defer { withExtendedLifetime(lmdb) {} }
        let decoder = chronicle.reader.decoder
        let stored = try chronicle.log.read { try decoder.storedTimeline(in: $0) }
        let changedFrom = Self.leaves(in: stored)
        let batch = changedFrom.sorted { $0.key.rawValue < $1.key.rawValue }.map { member, from in
            TimelineEntry(
                id: UUID(), seq: nil, occurredAt: .day(from),
                event: .memberLeft(MemberLeft(collaborative: slug("c-0"), member: member, reason: .capacity)))
        }
        let scope = try #require(try chronicle.log.read { try RuleScope.load(for: batch, in: $0, decoder: decoder) })
        let changed = Set(changedFrom.keys)
        // The rule, from the whole log: a stored event naming a changed member is in scope when it is one of
        // their state events (read whole, `p/`), a sub-group membership, or dated on or after the day the
        // state of a member it names changes from.
        var expected = Set<UUID>()
        var passedOver = 0
        var membershipsBefore = 0
        for entry in stored {
            let named = entry.event.membersNamed.filter(changed.contains)
            guard !named.isEmpty else { continue }
            let day = entry.occurredAt.localDay
            let dated = named.contains { member in changedFrom[member].map { day >= $0 } ?? false }
            let state = EventTag.personMembers(of: entry.event).contains(where: changed.contains)
            if Self.isSubgroupMembership(entry.event), !dated { membershipsBefore += 1 }
            if state || Self.isSubgroupMembership(entry.event) || dated {
                expected.insert(entry.id)
            } else {
                passedOver += 1
            }
        }
        let found = Set(scope.entries.filter { !$0.event.membersNamed.filter(changed.contains).isEmpty }.map(\.id))
        #expect(passedOver > 100, "mentions dated before the changed day")
        #expect(membershipsBefore > 5, "sub-group memberships dated before the changed day")
        #expect(found.subtracting(expected).isEmpty, "kept against the rule")
        #expect(expected.subtracting(found).isEmpty, "passed over against the rule")
    }
}
