import Foundation
import Testing

@testable import Collaboratives

/// The survey report (issue 17 item 3) on the evaluation's own figures: 30 of 44, 25 of 33 and 24 of 36
/// responding, worked out by hand.
@Suite struct SurveyReportTests {
    /// `north`'s three waves, the 2023 wave recorded late (2023-10-01); `south` closes one wave of its own.
    private func log() -> ReportTestLog {
        var log = ReportTestLog()
        log.add("2021-09-01", Events.formed("north"))
        log.add("2021-09-01", Events.formed("south"))
        log.add("2022-07-08", Events.survey(in: "north", wave: "2022", invited: 44, responded: 30))
        log.add(
            "2023-07-07", Events.survey(in: "north", wave: "2023", invited: 33, responded: 25), recorded: "2023-10-01")
        log.add("2024-07-05", Events.survey(in: "north", wave: "2024", invited: 36, responded: 24))
        log.add("2023-07-07", Events.survey(in: "south", wave: "2023", invited: 0, responded: 0))
        return log
    }

    private func report(asOf: String = "2024-08-31", knownAt: String = "2099-12-31", _ collaborative: String = "north")
        -> SurveyResult
    {
        SurveyReport.compute(view: log().view(asOf: asOf, knownAt: knownAt), collaborative: slug(collaborative))
    }

    @Test func eachWaveHasItsInvitedRespondedAndRate() {
        let waves = report().waves
        #expect(waves.map(\.wave) == ["2022", "2023", "2024"])
        #expect(waves.map(\.closed) == [day("2022-07-08"), day("2023-07-07"), day("2024-07-05")])
        #expect(waves.map(\.invited) == [44, 33, 36])
        #expect(waves.map(\.responded) == [30, 25, 24])
        // 30/44 = 68.18…%, 25/33 = 75.75…%, 24/36 = 66.66…%.
        #expect(ReportFixtures.isClose(waves[0].responseRate, 30.0 / 44))
        #expect(ReportFixtures.isClose(waves[1].responseRate, 25.0 / 33))
        #expect(ReportFixtures.isClose(waves[2].responseRate, 24.0 / 36))
    }

    @Test func theChangeIsMeasuredFromThePreviousWave() {
        let waves = report().waves
        #expect(waves[0].previous == nil)
        #expect(waves[1].previous?.wave == "2022")
        #expect(waves[1].previous?.invited == -11 && waves[1].previous?.responded == -5)
        // 75.7575…% − 68.1818…% = 7.5757… pp; 66.6666…% − 75.7575…% = −9.0909… pp.
        #expect(ReportFixtures.isClose(waves[1].previous?.responseRatePercentagePoints, 7.575_757_576))
        #expect(waves[2].previous?.wave == "2023")
        #expect(waves[2].previous?.invited == 3 && waves[2].previous?.responded == -1)
        #expect(ReportFixtures.isClose(waves[2].previous?.responseRatePercentagePoints, -9.090_909_091))
    }

    @Test func asOfLeavesOutWavesClosedLaterAndKnownAtThoseRecordedLater() {
        #expect(report(asOf: "2023-07-06").waves.map(\.wave) == ["2022"])
        #expect(report(asOf: "2023-07-07").waves.map(\.wave) == ["2022", "2023"])
        // Known on 2023-09-30, the 2023 wave (closed 2023-07-07, recorded on 2023-10-01) is not yet in the log.
        #expect(report(knownAt: "2023-09-30").waves.map(\.wave) == ["2022"])
        #expect(report(knownAt: "2023-10-01").waves.map(\.wave) == ["2022", "2023"])
    }

    @Test func aWaveThatInvitedNobodyHasNoRateAndNoChange() {
        let south = report("south").waves
        #expect(south.map(\.wave) == ["2023"])
        #expect(south[0].responseRate == nil)
        #expect(SurveyReport.percentagePoints(from: nil, to: 0.5) == nil)
        #expect(report("north").waves.count == 3, "another collaborative's waves are not counted")
    }
}

extension SurveyReportTests {
    @Test func wavesAreAddedUpByNameOverCollaboratives() {
        let totals = SurveyReport.total(of: [report("north"), report("south")])
        #expect(totals.map(\.figures.wave) == ["2022", "2023", "2024"])
        #expect(totals.map(\.collaboratives) == [1, 2, 1])
        #expect(totals.map(\.figures.invited) == [44, 33, 36])
        #expect(totals.map(\.figures.responded) == [30, 25, 24])
        #expect(totals[1].figures.previous?.wave == "2022")
        #expect(ReportFixtures.isClose(totals[1].figures.previous?.responseRatePercentagePoints, 7.575_757_576))
    }
}
