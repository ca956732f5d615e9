import Foundation
import Testing

@testable import Collaboratives

/// Random small histories (seeded, so that a failure reproduces): the attrition identity and the
/// bounds of attendance hold for every period and sector, whatever the history.
@Suite struct AttritionPropertyTests {
    /// A valid random history of two collaboratives: joins with random sectors, leaves, re-joins,
    /// sector changes and workshops, several events on some days, until `2024-08-31`.
    private func randomHistory(seed: UInt64) -> ReportTestLog {
        var generator = SeededGenerator(seed: seed)
        var log = ReportTestLog()
        log.add("2021-09-01", Events.formed("c1"))
        log.add("2021-09-01", Events.formed("c2"))
        var active: [String: Set<String>] = ["c1": [], "c2": []]
        var joined: Set<String> = []
        var current = day("2021-08-25")
        let members = (0..<10).map { "m\($0)" }
        var workshops = 0
        while true {
            current = current.adding(days: Int.random(in: 0...12, using: &generator))
            guard current < day("2024-09-01") else { break }
            let date = max(current, day("2021-09-01")).description
            let collaborative = Bool.random(using: &generator) ? "c1" : "c2"
            let here = active[collaborative, default: []]
            switch Int.random(in: 0..<8, using: &generator) {
            case 0, 1, 2:
                guard let member = members.filter({ !here.contains($0) }).randomElement(using: &generator) else {
                    continue
                }
                let sector = Sector.allCases.randomElement(using: &generator) ?? .other
                log.add(date, Events.joined(member, collaborative, sector: sector))
                active[collaborative, default: []].insert(member)
                joined.insert(member)
            case 3, 4:
                guard let member = here.sorted().randomElement(using: &generator) else { continue }
                let reason = LeaveReason.allCases.randomElement(using: &generator) ?? .unknown
                log.add(date, Events.left(member, collaborative, reason: reason))
                active[collaborative, default: []].remove(member)
            case 5:
                guard let member = joined.sorted().randomElement(using: &generator) else { continue }
                log.add(date, Events.changed(member, sector: Sector.allCases.randomElement(using: &generator)))
            default:
                workshops += 1
                let attendees = here.sorted().filter { _ in Bool.random(using: &generator) }
                log.add(date, Events.workshop("w\(workshops)", for: [collaborative], attendees: attendees))
            }
        }
        return log
    }

    @Test(arguments: 1...40 as ClosedRange<UInt64>)
    func endIsStartPlusJoinedMinusLeftForEveryPeriodAndSector(seed: UInt64) {
        var generator = SeededGenerator(seed: seed &* 7919)
        let history = randomHistory(seed: seed)
        let asOf = day("2021-09-01").adding(days: Int.random(in: 0...1200, using: &generator))
        let scheme = PeriodScheme.allCases.randomElement(using: &generator) ?? .month
        let periods = scheme.periods(from: day("2021-09-01"), through: asOf, programmeStart: day("2021-09-01"))
        let view = history.view(asOf: asOf.description)
        for collaborative in ["c1", "c2"].map(slug) {
            let result = AttritionReport.compute(
                view: view, collaborative: collaborative, periods: periods, bySector: true)
            #expect(result.periods.count == periods.count)
            for period in result.periods {
                let total = period.figures
                #expect(total.atEnd == total.atStart + total.joined - total.left, "seed \(seed) \(period.period)")
                #expect(total.retained <= min(total.atStart, total.atEnd))
                #expect(total.leavingReasons.values.reduce(0, +) == total.left)
                #expect(period.period.lastDay <= asOf)
                for sector in period.sectors {
                    let counts = sector.figures
                    #expect(
                        counts.atEnd == counts.atStart + counts.joined - counts.left,
                        "seed \(seed) \(period.period) \(sector.sector)")
                }
                let sectors = period.sectors.map(\.figures)
                #expect(sectors.reduce(0) { $0 + $1.atStart } == total.atStart)
                #expect(sectors.reduce(0) { $0 + $1.joined } == total.joined)
                #expect(sectors.reduce(0) { $0 + $1.left } == total.left)
                #expect(sectors.reduce(0) { $0 + $1.atEnd } == total.atEnd)
                #expect(period.coverage.sectorsAtEnd.reduce(0) { $0 + $1.members } == total.atEnd)
            }
            let attendance = AttendanceReport.compute(
                view: view, collaborative: collaborative, periods: periods, bySector: true, lapsingThreshold: 2)
            for workshop in attendance.workshops {
                #expect(workshop.figures.attendees <= workshop.figures.members)
                #expect(workshop.sectors.reduce(0) { $0 + $1.figures.members } == workshop.figures.members)
                #expect(workshop.sectors.reduce(0) { $0 + $1.figures.attendees } == workshop.figures.attendees)
            }
        }
    }
}
