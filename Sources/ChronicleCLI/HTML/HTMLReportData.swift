import Collaboratives
import EventLog

/// Everything the HTML report draws, taken from the projections at one (D, K): the renderer only
/// lays these figures out, it computes no definition of its own.
struct HTMLReportData: Sendable {
    /// Where the figures come from.
    struct Provenance: Sendable {
        /// D.
        let asOf: Day
        /// K, as RFC 3339 text.
        let knownAt: String
        /// The last seq recorded by K, and its hash.
        let lastSeq: UInt64
        let lastHash: String
        /// The `chronicle` version that drew the report.
        let version: String
        /// How the attendance, membership and sector figures are cut (`programme-year`, …).
        let periodScheme: String
    }

    /// One collaborative's figures.
    struct Collaborative: Sendable {
        /// Its slug and its name on the `CollaborativeFormed` event.
        let slug: Slug
        let name: String
        /// Workshop attendance per period.
        let attendance: AttendanceResult
        /// Membership per period, and sector coverage.
        let attrition: AttritionResult
        /// Sub-group statuses and milestones on D.
        let progress: ProgressResult
        /// Coaching per sub-group per term.
        let coaching: CoachingResult
        /// Role slots and their holders.
        let succession: SuccessionResult
        /// The member survey's waves.
        let surveys: SurveyResult
        /// The names of the role holders (on the last day of their latest tenure up to D), for the
        /// members who have one that is not erased.
        let memberNames: [Slug: String]

        /// A holder as shown: `Name (slug)`, or the slug alone.
        func holderLabel(_ member: Slug) -> String {
            memberNames[member].map { "\($0) (\(member))" } ?? member.rawValue
        }
    }

    let provenance: Provenance
    let collaboratives: [Collaborative]

    /// Computes every figure from `view` for `collaboratives`.
    ///
    /// - Parameters:
    ///   - periods: the periods of a collaborative for attendance and membership (as `--by` cuts them).
    ///   - terms: the terms of a collaborative over the same range, for coaching.
    static func compute(
        view: HistoryView, collaboratives: [Slug], version: String, periodScheme: String,
        periods: (Slug) throws -> [Period], terms: (Slug) throws -> [Period]
    ) rethrows -> HTMLReportData {
        let provenance = Provenance(
            asOf: view.asOf, knownAt: view.knownAt.description, lastSeq: view.lastSeq,
            lastHash: view.lastHash.description,
            version: version, periodScheme: periodScheme)
        let names = view.collaborativeNames
        let sections = try collaboratives.map { slug in
            let cut = try periods(slug)
            let succession = SuccessionAudit.compute(view: view, collaborative: slug)
            return Collaborative(
                slug: slug, name: names[slug] ?? slug.rawValue,
                attendance: AttendanceReport.compute(view: view, collaborative: slug, periods: cut, bySector: false),
                attrition: AttritionReport.compute(view: view, collaborative: slug, periods: cut, bySector: false),
                progress: ProgressReport.compute(view: view, collaborative: slug),
                coaching: CoachingReport.compute(view: view, collaborative: slug, periods: try terms(slug)),
                succession: succession, surveys: SurveyReport.compute(view: view, collaborative: slug),
                memberNames: holderNames(succession, view: view))
        }
        return HTMLReportData(provenance: provenance, collaboratives: sections)
    }

    /// Each holder's name on the last day of their latest tenure shown (D for a tenure still held), or
    /// "erased" once their personal data is.
    private static func holderNames(_ succession: SuccessionResult, view: HistoryView) -> [Slug: String] {
        var lastDays: [Slug: Day] = [:]
        for tenure in succession.chains.flatMap(\.tenures) {
            let last = min(tenure.end?.adding(days: -1) ?? view.asOf, view.asOf)
            lastDays[tenure.member] = max(lastDays[tenure.member] ?? last, last)
        }
        var names: [Slug: String] = [:]
        for (member, day) in lastDays {
            switch view.keys.reading(view.timeline.details(of: member, on: day)?.name, of: member) {
            case .text(let name) where !name.isEmpty: names[member] = name
            case .erased: names[member] = "erased"
            case .text, .absent: break
            }
        }
        return names
    }
}

extension HistoryView {
    /// Each collaborative's name, from its `CollaborativeFormed` event.
    var collaborativeNames: [Slug: String] {
        var names: [Slug: String] = [:]
        for entry in timeline.entries {
            if case .collaborativeFormed(let formed) = entry.event { names[formed.collaborative] = formed.name }
        }
        return names
    }
}
