/// The yearly member survey of a collaborative: per wave, invited, responded, the response rate, and
/// the change from the wave before.
///
/// A wave is reported once its `SurveyWaveClosed` is dated on or before D (valid time: the day the wave
/// closed) and recorded by K (transaction time); a retracted closing is left out, and its correction, a
/// new `SurveyWaveClosed`, counts instead. Waves are ordered by the day they closed, then by name; the
/// change is measured from the previous wave in that order: responded and invited as counts, the rate in
/// percentage points (none when either wave invited nobody).
///
/// ```swift
/// let result = SurveyReport.compute(view: view, collaborative: oldham)
/// result.waves.map(\.responseRate)
/// ```
public enum SurveyReport {
    /// Computes the report for one collaborative.
    ///
    /// - Complexity: O(E + W log W) for E visible events and W waves.
    public static func compute(view: HistoryView, collaborative: Slug) -> SurveyResult {
        var closed: [(day: Day, event: SurveyWaveClosed)] = []
        for (day, entry) in view.timeline.reportableEntries() {
            if case .surveyWaveClosed(let wave) = entry.event, wave.collaborative == collaborative {
                closed.append((day, wave))
            }
        }
        closed.sort { ($0.day, $0.event.wave) < ($1.day, $1.event.wave) }
        var waves: [SurveyWaveFigures] = []
        for (day, event) in closed {
            let previous = waves.last
            waves.append(
                SurveyWaveFigures(
                    wave: event.wave, closed: day, invited: event.invited, responded: event.responded,
                    previous: previous.map { change(from: $0, invited: event.invited, responded: event.responded) }))
        }
        return SurveyResult(collaborative: collaborative, waves: waves)
    }

    /// How a wave of `invited` and `responded` differs from `previous`.
    static func change(from previous: SurveyWaveFigures, invited: Int, responded: Int) -> SurveyWaveChange {
        SurveyWaveChange(
            wave: previous.wave, invited: invited - previous.invited, responded: responded - previous.responded,
            responseRatePercentagePoints: percentagePoints(
                from: previous.responseRate, to: rate(responded, of: invited)))
    }

    /// `responded ÷ invited`; `nil` when nobody was invited.
    static func rate(_ responded: Int, of invited: Int) -> Double? {
        invited == 0 ? nil : Double(responded) / Double(invited)
    }

    /// The change from one rate to another in percentage points, rounded to 1e-9 so that a change
    /// reads as the decimal it is (8.2 pp, not 8.199999999999996); `nil` when either rate is missing.
    static func percentagePoints(from earlier: Double?, to later: Double?) -> Double? {
        guard let earlier, let later else { return nil }
        return ((later - earlier) * 100 * 1e9).rounded() / 1e9
    }
}

/// The survey waves of one collaborative: what ``SurveyReport`` computes.
public struct SurveyResult: Equatable, Sendable {
    /// The collaborative.
    public let collaborative: Slug
    /// Its waves closed by D, ordered by the day they closed, then by name.
    public let waves: [SurveyWaveFigures]

    /// Creates a result.
    public init(collaborative: Slug, waves: [SurveyWaveFigures]) {
        self.collaborative = collaborative
        self.waves = waves
    }
}

/// One survey wave of a collaborative.
public struct SurveyWaveFigures: Equatable, Sendable {
    /// The wave's name (`2023`).
    public let wave: String
    /// The day it closed (`occurredAt` of its `SurveyWaveClosed`, Europe/London).
    public let closed: Day
    /// Members invited.
    public let invited: Int
    /// Members who responded (never more than invited: the survey-counts rule).
    public let responded: Int
    /// The change from the wave before; `nil` for the first wave.
    public let previous: SurveyWaveChange?

    /// Creates a wave's figures.
    public init(wave: String, closed: Day, invited: Int, responded: Int, previous: SurveyWaveChange?) {
        self.wave = wave
        self.closed = closed
        self.invited = invited
        self.responded = responded
        self.previous = previous
    }

    /// `responded ÷ invited`; `nil` when nobody was invited.
    public var responseRate: Double? { SurveyReport.rate(responded, of: invited) }
}

/// How a wave differs from the one before it.
public struct SurveyWaveChange: Equatable, Sendable {
    /// The wave before.
    public let wave: String
    /// Invited in this wave − invited in the wave before.
    public let invited: Int
    /// Responded in this wave − responded in the wave before.
    public let responded: Int
    /// This wave's response rate − the previous one's, in percentage points; `nil` when either wave
    /// invited nobody.
    public let responseRatePercentagePoints: Double?

    /// Creates a change.
    public init(wave: String, invited: Int, responded: Int, responseRatePercentagePoints: Double?) {
        self.wave = wave
        self.invited = invited
        self.responded = responded
        self.responseRatePercentagePoints = responseRatePercentagePoints
    }
}

extension SurveyReport {
    /// The waves of several collaboratives added up by wave name: invited and responded summed over the
    /// collaboratives that closed the wave, dated by the last of those closings, ordered and compared
    /// like one collaborative's waves.
    ///
    /// - Complexity: O(W log W) for W waves in `results`.
    public static func total(of results: [SurveyResult]) -> [SurveyWaveTotal] {
        var byName: [String: (closed: Day, invited: Int, responded: Int, collaboratives: Int)] = [:]
        for wave in results.flatMap(\.waves) {
            let sum = byName[wave.wave]
            byName[wave.wave] = (
                max(sum?.closed ?? wave.closed, wave.closed), (sum?.invited ?? 0) + wave.invited,
                (sum?.responded ?? 0) + wave.responded, (sum?.collaboratives ?? 0) + 1
            )
        }
        let ordered = byName.sorted { ($0.value.closed, $0.key) < ($1.value.closed, $1.key) }
        var totals: [SurveyWaveTotal] = []
        for (name, sum) in ordered {
            let previous = totals.last?.figures
            let figures = SurveyWaveFigures(
                wave: name, closed: sum.closed, invited: sum.invited, responded: sum.responded,
                previous: previous.map { change(from: $0, invited: sum.invited, responded: sum.responded) })
            totals.append(SurveyWaveTotal(figures: figures, collaboratives: sum.collaboratives))
        }
        return totals
    }
}

/// One wave added up over several collaboratives (``SurveyReport/total(of:)``).
public struct SurveyWaveTotal: Equatable, Sendable {
    /// The sums, dated by the last closing of the wave.
    public let figures: SurveyWaveFigures
    /// How many collaboratives closed the wave.
    public let collaboratives: Int

    /// Creates a total.
    public init(figures: SurveyWaveFigures, collaboratives: Int) {
        self.figures = figures
        self.collaboratives = collaboratives
    }
}
