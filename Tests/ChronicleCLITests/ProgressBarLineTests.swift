import Testing

@testable import ChronicleCLI

/// Issue 17, item 10: with a known total, the bar shows a percentage and the time left.
@Suite struct ProgressBarLineTests {
    static func state(completed: Int, total: Int?) -> ProgressLine.State {
        var state = ProgressLine.State(label: "import: parsing", total: total, unit: .items("lines"))
        state.completed = completed
        return state
    }

    @Test func aKnownTotalShowsThePercentageAndTheTimeLeftAtThePaceSoFar() {
        let line = ProgressLine.line(Self.state(completed: 250, total: 1_000), elapsed: 3_000_000_000, width: 100)
        #expect(line.hasPrefix("import: parsing ["), "\(line)")
        #expect(line.hasSuffix("]   25%  250/1,000 lines  3s, 9s left"), "\(line)")
    }

    @Test func minutesAndHoursLeftAreWrittenAsSuch() {
        let minutes = ProgressLine.line(Self.state(completed: 1, total: 100), elapsed: 2_000_000_000, width: 100)
        #expect(minutes.hasSuffix("  2s, 3m 18s left"), "\(minutes)")
        let hours = ProgressLine.line(Self.state(completed: 1, total: 1_000), elapsed: 5_000_000_000, width: 100)
        #expect(hours.hasSuffix("  5s, 1h 23m left"), "\(hours)")
    }

    @Test func nothingIsPromisedBeforeTheFirstSecondNorOnceDone() {
        let early = ProgressLine.line(Self.state(completed: 10, total: 100), elapsed: 500_000_000, width: 100)
        #expect(!early.contains("left") && early.hasSuffix("10%  10/100 lines"), "\(early)")
        let done = ProgressLine.line(Self.state(completed: 100, total: 100), elapsed: 4_000_000_000, width: 100)
        #expect(!done.contains("left") && done.hasSuffix("100%  100/100 lines  4s"), "\(done)")
    }

    @Test func withoutATotalTheLineIsASpinnerWithACount() {
        let line = ProgressLine.line(Self.state(completed: 40, total: nil), elapsed: 2_000_000_000, width: 100)
        #expect(line == "import: parsing |  40 lines  2s")
    }

    @Test func theLineNeverWrapsOnANarrowTerminal() {
        let line = ProgressLine.line(Self.state(completed: 250, total: 1_000), elapsed: 3_000_000_000, width: 30)
        #expect(line.count == 29, "\(line)")
    }
}
