import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// The built-in demo history, restored into a temporary store, checked against the facts it was
/// written to show (the survey's counts, dwindling attendance, the anchor gap, the PCF representatives)
/// through the same definitions as the reports.
@Suite struct DemoHistoryTests {
    /// The demo's NDJSON, restored into a fresh store; the view at (D, now).
    static func demoView(asOf: String, knownAt: String = "2024-11-01T00:00:00Z") throws -> HistoryView {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent("Sources/ChronicleCLI/Demo/demo-history.ndjson")
        let text = try String(contentsOf: file, encoding: .utf8)
        let store = try TemporaryChronicle(now: "2024-11-01T00:00:00Z", today: "2024-11-01")
        let summary = try store.chronicle.importLines(numberedLines(text), defaultRecordedBy: "demo")
        #expect(summary.restored)
        let instant = try #require(Timestamp(rfc3339: knownAt))
        return try HistoryView.load(from: store.chronicle.reader, asOf: day(asOf), knownAt: instant)
    }

    static let localities = ["oldham", "worcestershire", "east-sussex"].map(slug)

    /// Members active on the view's date D, programme staff excluded, across the three collaboratives.
    static func activeNonStaff(_ view: HistoryView) -> Int {
        localities.reduce(0) { total, collaborative in
            total
                + ReplayReport.compute(view: view, collaborative: collaborative).members.filter {
                    $0.sector != .programmeStaff
                }.count
        }
    }

    @Test(arguments: [("2022-07-15", 44), ("2023-07-14", 33), ("2024-07-12", 36)])
    func membersActiveAtEachSurveyMatchTheSurveyInvitations(date: String, members: Int) throws {
        let view = try Self.demoView(asOf: date)
        #expect(Self.activeNonStaff(view) == members)
    }

    @Test func oldhamWorkshopAttendanceDwindlesFromYearOneToYearThree() throws {
        let view = try Self.demoView(asOf: "2024-08-31")
        let oldham = slug("oldham")
        let periods = PeriodScheme.programmeYear.periods(
            from: day("2021-09-01"), through: day("2024-08-31"), programmeStart: day("2021-09-01"))
        #expect(periods.map(\.label) == ["Year 1", "Year 2", "Year 3"])
        let result = AttendanceReport.compute(view: view, collaborative: oldham, periods: periods, bySector: false)
        let rates = result.periods.compactMap(\.figures.meanRate)
        #expect(rates.count == 3)
        #expect(rates[0] > rates[1] && rates[1] > rates[2])
        // ol-ws-01 (launch, 2021-11-17): 17 of the 20 members active that day came.
        let launch = try #require(result.workshops.first)
        #expect(launch.workshop == slug("ol-ws-01"))
        #expect(launch.figures.attendees == 17 && launch.figures.members == 20)
    }

    @Test func worcestershireWasWithoutAnAnchorFor87DaysIn2023() throws {
        let view = try Self.demoView(asOf: "2024-08-31")
        let result = SuccessionAudit.compute(view: view, collaborative: slug("worcestershire"))
        let anchor = try #require(result.chains.first { $0.slot.role == .anchor && $0.slot.subgroup == nil })
        let vacancies = anchor.handovers.filter { $0.kind == .vacancy }
        #expect(vacancies.count == 1)
        // wo-01 left on 2023-04-21; wo-18 and wo-19 were appointed on 2023-07-17.
        #expect(vacancies.first?.previousEnd == day("2023-04-21"))
        #expect(vacancies.first?.nextStart == day("2023-07-17"))
        #expect(vacancies.first?.gapDays == 87)
        #expect(vacancies.first?.isLongGap == true)
    }

    @Test func everyLocalityHadAPCFRepresentativeInYearOneAndOnlyOldhamAfterwards() throws {
        for (date, expected) in [
            ("2022-06-30", ["oldham", "worcestershire", "east-sussex"]), ("2023-06-30", ["oldham"]),
        ] {
            let view = try Self.demoView(asOf: date)
            let holding = Self.localities.filter { collaborative in
                ReplayReport.compute(view: view, collaborative: collaborative).roles.contains {
                    $0.slot.role == .pcfRepresentative && !$0.isVacant
                }
            }
            #expect(holding.map(\.rawValue) == expected)
        }
    }

    @Test func theCorrectedRegisterIsSeenOnlyOnceTheCorrectionWasRecorded() throws {
        // es-ws-03 (2022-03-24) was entered on 2022-04-01 listing es-09; corrected on 2022-05-13.
        let before = try Self.demoView(asOf: "2022-04-30", knownAt: "2022-04-30T23:59:59Z")
        let after = try Self.demoView(asOf: "2022-04-30", knownAt: "2022-05-31T23:59:59Z")
        func attendees(_ view: HistoryView) -> Set<String> {
            var found = Set<String>()
            for entry in view.timeline.entries {
                if case .workshopHeld(let workshop) = entry.event, workshop.workshop == slug("es-ws-03") {
                    found.formUnion(workshop.attendees.map(\.rawValue))
                }
            }
            return found
        }
        #expect(attendees(before).contains("es-09"))
        #expect(!attendees(after).contains("es-09"))
        #expect(attendees(after).isSuperset(of: ["es-11", "es-13"]))
        #expect(after.eventsRetracted == 1 && before.eventsRetracted == 0)
    }
}
