import Foundation
import Testing

@testable import Collaboratives

/// The compact stores of session 16's rule model (``IntervalList`` with its single interval inline,
/// ``SlugRegistry`` keeping the workshops' slugs in one buffer), held to the plain structures they replace
/// (an array of intervals, a `[Slug: UUID]`) over random operations.
@Suite struct CompactModelTests {
    @Test func anIntervalListAnswersAsAnArrayOfIntervalsThroughEveryOpenAndClose() {
        var generator = SeededGenerator(seed: 16)
        for _ in 0..<200 {
            var list = IntervalList()
            var plain: [DayInterval] = []
            var today = Int32.random(in: -3...3, using: &generator)
            for _ in 0..<Int.random(in: 0...6, using: &generator) {
                today += Int32.random(in: 0...3, using: &generator)
                let day = Day(daysSinceEpoch: today)
                if let last = plain.last, last.end == nil {
                    list.close(at: day)
                    plain[plain.count - 1] = DayInterval(start: last.start, end: max(day, last.start))
                } else {
                    list.open(at: day)
                    plain.append(DayInterval(start: day, end: nil))
                }
                #expect(list.intervals == plain)
                #expect(list.openSince == plain.last.flatMap { $0.end == nil ? $0.start : nil })
                #expect(list.lastEnd == plain.last?.end)
                for probe in (today - 8)...(today + 2) {
                    let probeDay = Day(daysSinceEpoch: probe)
                    #expect(list.contains(probeDay) == plain.contains { $0.contains(probeDay) })
                }
            }
        }
    }

    @Test func anIntervalListHoldsAnIntervalFromTheFirstDayOfAll() {
        var list = IntervalList()
        let first = Day(daysSinceEpoch: Int32.min)
        list.open(at: first)
        #expect(list.openSince == first)
        list.close(at: first)
        #expect(list.intervals == [DayInterval(start: first, end: first)])
        #expect(list.openSince == nil)
        list.open(at: Day(daysSinceEpoch: 0))
        #expect(list.contains(Day(daysSinceEpoch: 5)))
        #expect(!list.contains(Day(daysSinceEpoch: -5)))
    }

    @Test func aSlugRegistryAnswersAsADictionaryThroughInsertsUpdatesAndRemovals() {
        var generator = SeededGenerator(seed: 1_616)
        var registry = SlugRegistry()
        var plain: [Slug: UUID] = [:]
        // Short (inline) and long (heap) slugs, some prefixes of others, so that lengths must be compared too.
        var names = (0..<600).map { index in
            slug(index % 3 == 0 ? "w\(index)" : "a-long-collaborative-name-ws-\(index)")
        }
        names += [slug("a-long-collaborative-name-ws-1"), slug("a-long-collaborative-name-ws-")]
        for _ in 0..<5_000 {
            let name = names[Int.random(in: 0..<names.count, using: &generator)]
            if Int.random(in: 0..<4, using: &generator) == 0 {
                registry[name] = nil
                plain[name] = nil
            } else {
                let id = UUID()
                registry[name] = id
                plain[name] = id
            }
            #expect(registry.count == plain.count)
        }
        for name in names { #expect(registry[name] == plain[name]) }
        #expect(registry[slug("never-registered")] == nil)
    }
}
