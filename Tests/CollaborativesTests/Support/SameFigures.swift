import Testing

@testable import Collaboratives

/// Expects every report about `collaborative` to be the same from `scoped` (the view of its events alone,
/// ``HistoryView/load(from:asOf:knownAt:collaborative:)``) as from `whole`, cut into periods by each scheme.
func expectSameFigures(
    of collaborative: Slug, _ scoped: HistoryView, _ whole: HistoryView,
    schemes: [PeriodScheme] = [.term, .programmeYear], stalledAfterDays: Int = 120
) {
    #expect(scoped.lastSeq == whole.lastSeq && scoped.lastHash == whole.lastHash)
    #expect(scoped.collaboratives.contains(collaborative))
    #expect(
        ReplayReport.compute(view: scoped, collaborative: collaborative)
            == ReplayReport.compute(view: whole, collaborative: collaborative))
    #expect(
        ProgressReport.compute(view: scoped, collaborative: collaborative, stalledAfterDays: stalledAfterDays)
            == ProgressReport.compute(view: whole, collaborative: collaborative, stalledAfterDays: stalledAfterDays))
    #expect(
        SuccessionAudit.compute(view: scoped, collaborative: collaborative)
            == SuccessionAudit.compute(view: whole, collaborative: collaborative))
    for scheme in schemes {
        let start = whole.programmeStart(of: collaborative) ?? whole.asOf
        let periods = scheme.periods(from: start, through: whole.asOf, programmeStart: start)
        for bySector in [false, true] {
            let attendance = [scoped, whole].map { view in
                AttendanceReport.compute(view: view, collaborative: collaborative, periods: periods, bySector: bySector)
            }
            #expect(attendance[0] == attendance[1])
            let attrition = [scoped, whole].map { view in
                AttritionReport.compute(view: view, collaborative: collaborative, periods: periods, bySector: bySector)
            }
            #expect(attrition[0] == attrition[1])
        }
        #expect(
            CoachingReport.compute(view: scoped, collaborative: collaborative, periods: periods)
                == CoachingReport.compute(view: whole, collaborative: collaborative, periods: periods))
    }
}
