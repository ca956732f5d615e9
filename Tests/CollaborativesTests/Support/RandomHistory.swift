import Foundation

@testable import Collaboratives

/// A small deterministic random number generator (SplitMix64), so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// Generates a valid history, one event a day, tracking just enough state to stay valid.
struct RandomHistory {
    private(set) var events: [(day: String, event: DomainEvent)] = []
    private var generator: SeededGenerator
    private var current = day("2021-09-01")
    private var active: [String: Set<String>] = ["c1": [], "c2": []]
    private var anchors: Set<String> = []
    private var workshops = 0

    init(seed: UInt64, length: Int) {
        generator = SeededGenerator(seed: seed)
        emit(Events.formed("c1"))
        emit(Events.formed("c2"))
        emit(Events.joined("staff", "c1", sector: .programmeStaff))
        active["c1", default: []].insert("staff")
        while events.count < length { step() }
    }

    private mutating func emit(_ event: DomainEvent) {
        events.append((current.description, event))
        current = current.adding(days: 1)
    }

    private mutating func step() {
        let collaborative = Bool.random(using: &generator) ? "c1" : "c2"
        let members = (0..<8).map { "m\($0)" }
        let activeHere = active[collaborative, default: []]
        switch Int.random(in: 0..<6, using: &generator) {
        case 0, 1:
            if let member = members.filter({ !activeHere.contains($0) }).randomElement(using: &generator) {
                emit(Events.joined(member, collaborative))
                active[collaborative, default: []].insert(member)
            }
        case 2:
            if let member = activeHere.filter({ $0 != "staff" }).sorted().randomElement(using: &generator) {
                emit(Events.left(member, collaborative))
                active[collaborative, default: []].remove(member)
                anchors.remove("\(collaborative)/\(member)")
            }
        case 3:
            workshops += 1
            let attendees = activeHere.sorted().filter { _ in Bool.random(using: &generator) }
            emit(Events.workshop("w\(workshops)", for: [collaborative], attendees: attendees))
        case 4:
            if let member = activeHere.sorted().randomElement(using: &generator) {
                let key = "\(collaborative)/\(member)"
                if anchors.contains(key) {
                    emit(Events.ended(member, .anchor, in: collaborative))
                    anchors.remove(key)
                } else {
                    emit(Events.assigned(member, .anchor, in: collaborative))
                    anchors.insert(key)
                }
            }
        default:
            let attendees = active["c1", default: []].sorted().filter { _ in Bool.random(using: &generator) }
            emit(Events.coaching(in: "c1", advisor: "staff", attendees: attendees, kind: .group))
        }
    }

    /// The history split at random into events stored in a random recording order and a batch.
    mutating func randomlyRecorded() -> Scenario {
        var scenario = Scenario()
        let shuffled = events.shuffled(using: &generator)
        let storedCount = Int.random(in: 0...shuffled.count, using: &generator)
        for (index, item) in shuffled.enumerated() {
            if index < storedCount {
                scenario.store(item.day, item.event)
            } else {
                scenario.add(item.day, item.event)
            }
        }
        return scenario
    }
}
