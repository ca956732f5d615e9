import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// A register import reads what its register concerns through the tag index (``RegisterScope``); these
/// tests hold its plans, errors and reconciliations to those of a reading of the whole log, on registers
/// made from generated histories.
@Suite struct RegisterScopeTests {
    static let workshopMapping = """
        {"register": "workshop",
         "columns": {"date": "Date", "workshop": "Workshop", "collaboratives": "Collaboratives", "kind": "Kind",
                     "mode": "Mode", "member": "Member", "memberName": "Name", "attended": "Attended"}}
        """
    static let workshopHeader = ["Date", "Workshop", "Collaboratives", "Kind", "Mode", "Member", "Name", "Attended"]

    static let coachingMapping = """
        {"register": "coaching",
         "columns": {"date": "Date", "collaborative": "Collaborative", "kind": "Kind", "advisor": "Advisor",
                     "member": "Member", "memberName": "Name", "attended": "Attended"}}
        """
    static let coachingHeader = ["Date", "Collaborative", "Kind", "Advisor", "Member", "Name", "Attended"]

    /// What the stored history offers a register: who bears which name when, who left, who was erased.
    struct Stored {
        let timeline: Timeline
        let keys: PersonalDataKeys
        let members: [Slug]

        init(_ chronicle: Chronicle) throws {
            let (entries, keys) = try chronicle.log.read { view in
                (try chronicle.reader.decoder.storedTimeline(in: view), try PersonalDataKeys(view: view))
            }
            timeline = Timeline(entries: Chronicle.visible(entries))
            self.keys = keys
            members = timeline.firstJoins.keys.sorted()
        }

        func name(of member: Slug, on day: Day) -> String? {
            keys.open(timeline.details(of: member, on: day)?.name, of: member)
        }

        /// Names borne by more than one member on `day`.
        func sharedNames(on day: Day) -> [String] {
            var bearers: [String: Int] = [:]
            for member in members {
                guard let name = name(of: member, on: day) else { continue }
                bearers[RegisterNames.normalized(name), default: 0] += 1
            }
            return bearers.filter { $0.value > 1 }.keys.sorted()
        }
    }

    /// The rows naming `member` on `day`: by slug or by name (an erased or nameless member by slug).
    static func row(
        _ member: Slug, on day: Day, stored: Stored, byName: Bool, attended: Bool = true
    ) -> (slug: String, name: String, attended: String) {
        let name = stored.name(of: member, on: day)
        if byName, let name { return ("", name, attended ? "yes" : "no") }
        return (member.rawValue, "", attended ? "yes" : "no")
    }

    /// A register of one stored or new event, with some rows changed: an attendee dropped, a member of the
    /// log added (active there or not, left, erased), a shared name, a name no one bears.
    static func register(
        from entry: TimelineEntry, stored: Stored, random: inout SeededGenerator
    ) -> (table: RegisterTable, mapping: String)? {
        let day = entry.occurredAt.localDay
        var people: [(slug: String, name: String, attended: String)] = []
        var prefix: [String]
        let header: [String]
        let mapping: String
        switch entry.event {
        case .workshopHeld(let held):
            let slug =
                Int.random(in: 0..<5, using: &random) == 0 ? held.workshop.rawValue + "-x" : held.workshop.rawValue
            prefix = [
                day.description, slug, held.collaboratives.map(\.rawValue).joined(separator: ";"), held.kind.rawValue,
                held.mode.rawValue,
            ]
            header = workshopHeader
            mapping = workshopMapping
            people = held.attendees.map { row($0, on: day, stored: stored, byName: Bool.random(using: &random)) }
        case .coachingSessionHeld(let session) where session.kind != .oneToOne || session.attendees.count == 1:
            prefix = [day.description, session.collaborative.rawValue, session.kind.rawValue, session.advisor.rawValue]
            header = coachingHeader
            mapping = coachingMapping
            people = session.attendees.map { row($0, on: day, stored: stored, byName: Bool.random(using: &random)) }
        default:
            return nil
        }
        switch Int.random(in: 0..<8, using: &random) {
        case 0 where !people.isEmpty:
            people.removeLast()
        case 1, 2:
            if let member = stored.members.randomElement(using: &random) {
                people.append(row(member, on: day, stored: stored, byName: Bool.random(using: &random)))
            }
        case 3:
            if let name = stored.sharedNames(on: day).randomElement(using: &random) {
                people.append(("", name, "yes"))
            }
        case 4:
            if let member = stored.timeline.erasedMembers.sorted().randomElement(using: &random) {
                people.append(row(member, on: day, stored: stored, byName: false))
            }
        case 5:
            people.append(("", "Nobody Withthisname", "yes"))
        case 6 where !people.isEmpty:
            people[0].attended = "no"
        default:
            break
        }
        let rows = people.map { prefix + [$0.slug, $0.name, $0.attended] }
        return (RegisterHistory.table([header] + (rows.isEmpty ? [prefix + ["", "", "no"]] : rows)), mapping)
    }

    /// The reading as text: the plan's events or its errors, each event's status, the changes and what a
    /// correction would carry over.
    static func outcome(
        _ reading: (plan: Result<RegisterPlan, RegisterErrors>, reconciliation: RegisterReconciliation, scoped: Bool)
    ) -> String {
        switch reading.plan {
        case .failure(let errors):
            return "errors: \(errors.errors.map { "\($0.line ?? 0): \($0.message)" })"
        case .success(let plan):
            let statuses = reading.reconciliation.statuses(of: plan)
            let changes = RegisterReconciliation.changes(of: plan, statuses: statuses)
            let events = plan.events.map { "\($0.draft.id) \($0.draft.occurredAt) \($0.draft.event) \($0.lines)" }
            let carried = changes.map { change in
                change.events.map { reading.reconciliation.carried(into: $0, from: change.stored.id).draft.event }
            }
            let stored = plan.events.map { reading.reconciliation.isStored($0.draft.id) }
            return "events: \(events)\nstatuses: \(statuses)\nchanges: \(changes.map(\.stored))\n"
                + "carried: \(carried)\nstored: \(stored)"
        }
    }

    /// Registers made from a generated history's workshops and coaching sessions, each read both ways; some
    /// are imported with their corrections applied, and some imported events retracted, so that later
    /// registers meet corrections and retractions of register events.
    @Test func aRegisterReadThroughTheTagIndexPlansAndReconcilesAsTheWholeLogDoes() throws {
        var seen: [String: Int] = [:]
        for seed in [3, 8, 21] as [UInt64] {
            seen.merge(try Self.compareReadings(seed: seed), uniquingKeysWith: +)
        }
        for kind in ["scoped", "repeated on the whole log", "errors", "new", "stored", "corrected", "retracted"] {
            #expect(seen[kind, default: 0] > 0, "\(kind): \(seen)")
        }
    }

    /// Reads registers made from the history generated with `seed` both ways, expecting the same; returns
    /// how many readings were scoped, repeated, or failed, and how many events had each status.
    static func compareReadings(seed: UInt64) throws -> [String: Int] {
        let store = try ClockedChronicle()
        store.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        let lines = try HistoryGeneratorTests.lines(events: 1_500, collaboratives: 4, seed: seed)
        try store.chronicle.importLines(HistoryGeneratorTests.numbered(lines), defaultRecordedBy: "tester")
        let chronicle = store.chronicle
        var random = SeededGenerator(seed: seed)
        var seen: [String: Int] = [:]
        // Registers imported and then retracted, offered again now and then.
        var retracted: [(table: RegisterTable, mapping: String)] = []
        for round in 0..<48 {
            let stored = try Stored(chronicle)
            let candidates = stored.timeline.entries.filter {
                switch $0.event {
                case .workshopHeld, .coachingSessionHeld: true
                default: false
                }
            }
            let made: (table: RegisterTable, mapping: String)?
            if round % 6 == 5, !retracted.isEmpty {
                made = retracted.removeFirst()
            } else {
                made = candidates.randomElement(using: &random).flatMap {
                    register(from: $0, stored: stored, random: &random)
                }
            }
            guard let made else { continue }
            let (table, json) = made
            let mapping = try RegisterHistory.mapping(json)
            let (scoped, whole) = try chronicle.log.read { view in
                (
                    try chronicle.registerReading(of: table, mapping: mapping, recordedBy: "tester", in: view),
                    try chronicle.registerReading(
                        of: table, mapping: mapping, recordedBy: "tester", in: view, scoped: false)
                )
            }
            #expect(!whole.scoped)
            #expect(outcome(scoped) == outcome(whole), "seed \(seed), round \(round): \(table.rows.map(\.cells))")
            seen[scoped.scoped ? "scoped" : "repeated on the whole log", default: 0] += 1
            if scoped.scoped {
                // What one event's register concerns, not the log.
                let head = try chronicle.log.head().seq
                #expect(
                    scoped.reconciliation.eventsRead < Int(head) / 2, "\(scoped.reconciliation.eventsRead) of \(head)")
            }
            guard case .success(let plan) = scoped.plan else {
                seen["errors", default: 0] += 1
                continue
            }
            for status in scoped.reconciliation.statuses(of: plan) {
                let kind =
                    switch status {
                    case .new: "new"
                    case .stored: "stored"
                    case .corrected: "corrected"
                    case .retracted: "retracted"
                    }
                seen[kind, default: 0] += 1
            }
            guard round % 2 == 0 else { continue }
            let summary = try? chronicle.importRegister(
                table, mapping: mapping, recordedBy: "tester", corrections: .apply(reason: "checked"))
            if let imported = summary?.events.first(where: \.appended), round % 4 == 0 {
                try chronicle.append([
                    Draft(
                        occurredAt: imported.planned.draft.occurredAt, recordedBy: "tester",
                        event: Events.retract(imported.id))
                ])
                retracted.append((table, json))
            }
        }
        return seen
    }

    /// A store made from the history generated with seed 3, and a register of its first workshop with
    /// attendees, naming them by slug.
    static func storeWithWorkshopRegister() throws -> (
        store: ClockedChronicle, workshop: TimelineEntry, table: RegisterTable, mapping: RegisterMapping
    ) {
        let store = try ClockedChronicle()
        store.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        let lines = try HistoryGeneratorTests.lines(events: 1_500, collaboratives: 4, seed: 3)
        try store.chronicle.importLines(HistoryGeneratorTests.numbered(lines), defaultRecordedBy: "tester")
        let stored = try Stored(store.chronicle)
        let (workshop, held) = try #require(
            stored.timeline.entries.lazy.compactMap { entry -> (TimelineEntry, WorkshopHeld)? in
                guard case .workshopHeld(let held) = entry.event, !held.attendees.isEmpty else { return nil }
                return (entry, held)
            }.first)
        let prefix = [
            workshop.occurredAt.localDay.description, held.workshop.rawValue,
            held.collaboratives.map(\.rawValue).joined(separator: ";"), held.kind.rawValue, held.mode.rawValue,
        ]
        let rows = held.attendees.map { prefix + [$0.rawValue, "", "yes"] }
        return (
            store, workshop, RegisterHistory.table([workshopHeader] + rows),
            try RegisterHistory.mapping(workshopMapping)
        )
    }

    /// A batch that retracts a stored workshop and then `count` events no register of it concerns (coaching
    /// sessions and milestones): what follows the first retraction is a retraction of something the scope
    /// does not read, and so is no correction of the workshop.
    static func readingAfterRetractingTheWorkshop(andThen count: Int) throws -> (
        scoped: (plan: Result<RegisterPlan, RegisterErrors>, reconciliation: RegisterReconciliation, scoped: Bool),
        whole: (plan: Result<RegisterPlan, RegisterErrors>, reconciliation: RegisterReconciliation, scoped: Bool)
    ) {
        let (store, workshop, table, mapping) = try storeWithWorkshopRegister()
        let chronicle = store.chronicle
        let unrelated = try Stored(chronicle).timeline.entries.filter {
            switch $0.event {
            case .coachingSessionHeld, .milestoneReached: !EventTag.tags(of: $0.event).contains { $0.hasPrefix("p/") }
            default: false
            }
        }
        try #require(unrelated.count >= count)
        try chronicle.append(
            ([workshop] + unrelated.prefix(count)).map {
                Draft(occurredAt: $0.occurredAt, recordedBy: "tester", event: Events.retract($0.id))
            })
        return try chronicle.log.read { view in
            (
                try chronicle.registerReading(of: table, mapping: mapping, recordedBy: "tester", in: view),
                try chronicle.registerReading(
                    of: table, mapping: mapping, recordedBy: "tester", in: view, scoped: false)
            )
        }
    }

    /// Only a retraction of an event read is followed to the event after it (a correction's replacement):
    /// a run of unrelated retractions after one is not walked, one retraction per pass.
    @Test func aRunOfUnrelatedRetractionsAfterARetractionOfAWorkshopIsNotRead() throws {
        let few = try Self.readingAfterRetractingTheWorkshop(andThen: 2)
        let many = try Self.readingAfterRetractingTheWorkshop(andThen: 40)
        for reading in [few, many] {
            #expect(reading.scoped.scoped)
            #expect(Self.outcome(reading.scoped) == Self.outcome(reading.whole))
        }
        #expect(many.scoped.reconciliation.eventsRead == few.scoped.reconciliation.eventsRead)
    }

    /// On a store whose tag index lags its head (one restored without tags, as written before the index
    /// existed), the import reads the whole log, with what a scoped reading of the same history gives.
    @Test func aRegisterOnAStoreWhoseTagIndexLagsIsReadOnTheWholeLogWithTheSameResult() throws {
        let (source, _, table, mapping) = try Self.storeWithWorkshopRegister()
        var events: [RecordedEvent] = []
        try source.chronicle.log.events().forEach { events.append($0) }
        let keys = try source.chronicle.log.read { try $0.subjectKeys(prefix: "") }
        let target = try ClockedChronicle()
        target.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        _ = try target.chronicle.log.restore(events, tags: nil, keys: keys, dryRun: false)
        let scoped = try source.chronicle.log.read { view in
            try source.chronicle.registerReading(of: table, mapping: mapping, recordedBy: "tester", in: view)
        }
        let lagging = try target.chronicle.log.read { view in
            #expect(try view.tagIndexPosition() < view.head().seq)
            #expect(try RegisterScope(view: view, decoder: target.chronicle.reader.decoder) == nil)
            return try target.chronicle.registerReading(of: table, mapping: mapping, recordedBy: "tester", in: view)
        }
        #expect(scoped.scoped)
        #expect(!lagging.scoped)
        #expect(Self.outcome(lagging) == Self.outcome(scoped))
        #expect(lagging.reconciliation.eventsRead > scoped.reconciliation.eventsRead)
    }
}
