import FileSystem
import Foundation
import Synchronization

/// A one-line progress bar on standard error for long work (import, rebuild, generate, backup), drawn
/// only when standard error is a terminal, so that logs, pipes and tests see nothing of it.
///
/// Redraws are throttled (at most one every ``minimumRedrawInterval``), so calling ``update(_:of:)`` or
/// ``advance(by:)`` once per item of a large loop is cheap. ``finish()`` clears the line; so does the
/// last copy going away (the work threw), so that an error message starts on a clean line. Standard
/// output is never touched. Keep the bar in a `var`: copies share one line.
///
/// ```swift
/// var bar = ProgressBar(label: "import: reading", total: size, unit: .bytes)
/// bar.update(read)                                    // throttled; bar, percentage and count
/// bar.stage("import: parsing", total: lines.count, unit: .items("lines"))
/// for line in lines { …; bar.advance() }
/// bar.stage("import: checking rules and writing")    // no total: a spinner and the elapsed time
/// let summary = try bar.whileWorking { try chronicle.importLines(…) }
/// bar.finish()
///
/// // With a library callback (UInt64 or Int counts):
/// try chronicle.rebuildPresentView { done, total in bar.update(done, of: total) }
/// ```
///
/// ``whileWorking(polling:_:)`` keeps the line alive while a call that reports no progress of its own
/// runs; `polling` may read a measure of that work, such as the size of a file being written.
struct ProgressBar {
    /// What is counted.
    enum Unit: Sendable, Equatable {
        /// Things, named in the plural: `.items("lines")` shows `1,200/5,000 lines`.
        case items(String)
        /// Bytes, shown as B, KiB, MiB or GiB.
        case bytes
    }

    /// The least time between two redraws of the line, in nanoseconds (a tenth of a second).
    static let minimumRedrawInterval: UInt64 = 100_000_000

    private let line: ProgressLine

    /// Whether the bar is drawn at all.
    var isVisible: Bool { line.isVisible }

    /// Starts a bar and draws it at once (when visible).
    ///
    /// - Parameters:
    ///   - label: what is being done, shown first (`import`, `backup: copying`).
    ///   - total: how many units the work has, when known (a bar and a percentage); `nil` shows a count.
    ///   - unit: what is counted (default: events).
    ///   - visible: whether to draw; the default is ``Terminal/drawsProgress`` (standard error is a terminal,
    ///     unless `$CHRONICLE_PROGRESS` says `always` or `never`).
    init(
        label: String, total: Int? = nil, unit: Unit = .items("events"),
        visible: Bool = Terminal.drawsProgress
    ) {
        line = ProgressLine(label: label, total: total, unit: unit, visible: visible)
    }

    /// Sets how many units are done, and the total when given; redrawn when the last redraw is old enough.
    mutating func update<Count: BinaryInteger>(_ completed: Count, of total: Count? = nil) {
        line.change(redrawAtOnce: false) { state in
            state.completed = Int(clamping: completed)
            if let total { state.total = Int(clamping: total) }
        }
    }

    /// Adds `count` units done; redrawn when the last redraw is old enough.
    mutating func advance(by count: Int = 1) {
        line.change(redrawAtOnce: false) { $0.completed += count }
    }

    /// Starts a new phase of the work: a new label, total and unit, the count back at `completed`
    /// (default 0), drawn at once.
    mutating func stage(_ label: String, total: Int? = nil, unit: Unit? = nil, completed: Int = 0) {
        line.change(redrawAtOnce: true) { state in
            state.label = label
            state.total = total
            if let unit { state.unit = unit }
            state.completed = completed
        }
    }

    /// Runs `work`, which reports no progress itself, redrawing the line from another thread every
    /// ``minimumRedrawInterval`` meanwhile (a spinner and the elapsed time), with the count read from
    /// `polling` when given. Returns what `work` returns.
    func whileWorking<Result>(polling: (@Sendable () -> Int)? = nil, _ work: () throws -> Result) rethrows -> Result {
        guard line.isVisible else { return try work() }
        let stop = DispatchSemaphore(value: 0)
        let stopped = DispatchSemaphore(value: 0)
        Thread.detachNewThread { [line] in
            while stop.wait(timeout: .now() + .nanoseconds(Int(Self.minimumRedrawInterval))) == .timedOut {
                let polled = polling?()
                line.change(redrawAtOnce: true) { state in
                    if let polled { state.completed = polled }
                    state.spinnerFrame += 1
                }
            }
            stopped.signal()
        }
        defer {
            stop.signal()
            stopped.wait()
        }
        do {
            return try work()
        } catch {
            // Cleared now, before the caller reports the error: left to the line's deinit, the clearing could
            // come later, from the drawing thread, whose closure may hold the line's last reference.
            line.finish()
            throw error
        }
    }

    /// Clears the line; the bar draws nothing more. Safe to call more than once.
    mutating func finish() {
        line.finish()
    }
}

/// The line a ``ProgressBar`` draws, shared by its copies and by the thread of `whileWorking`: its state
/// is behind a mutex, and every write to standard error happens under it, so that a redraw can never
/// land after the line was cleared.
final class ProgressLine: Sendable {
    struct State: Sendable {
        var label: String
        var total: Int?
        var unit: ProgressBar.Unit
        var completed = 0
        var lastDraw: UInt64?
        var isDrawn = false
        var isFinished = false
        var spinnerFrame = 0
    }

    let isVisible: Bool
    private let started = DispatchTime.now().uptimeNanoseconds
    private let state: Mutex<State>

    init(label: String, total: Int?, unit: ProgressBar.Unit, visible: Bool) {
        isVisible = visible
        state = Mutex(State(label: label, total: total, unit: unit))
        change(redrawAtOnce: true) { _ in }
    }

    deinit {
        finish()
    }

    /// Applies `edit` to the state, then redraws (at once, or when the last redraw is old enough).
    func change(redrawAtOnce: Bool, _ edit: (inout State) -> Void) {
        guard isVisible else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        state.withLock { state in
            guard !state.isFinished else { return }
            edit(&state)
            if !redrawAtOnce, let last = state.lastDraw, now &- last < ProgressBar.minimumRedrawInterval { return }
            state.lastDraw = now
            state.isDrawn = true
            let text = Self.line(state, elapsed: now &- started, width: Terminal.standardErrorWidth)
            Self.write("\r" + text + "\u{1B}[K")
        }
    }

    func finish() {
        guard isVisible else { return }
        state.withLock { state in
            guard !state.isFinished else { return }
            state.isFinished = true
            if state.isDrawn { Self.write("\r\u{1B}[K") }
        }
    }

    /// `label [█████░░░░░]  45%  4,500/10,000 lines  3s, 4s left`, or without a total
    /// `label | 4,500 lines  3s`, cut to fit in `width - 1` columns so that the terminal never wraps it.
    static func line(_ state: State, elapsed: UInt64, width: Int) -> String {
        let seconds = elapsed / 1_000_000_000
        var time = seconds >= 1 ? "  \(duration(seconds))" : ""
        var text: String
        if let total = state.total, total > 0 {
            let fraction = min(1, max(0, Double(state.completed) / Double(total)))
            let percent = Int((fraction * 100).rounded(.down))
            // The time left assumes the rest goes at the pace so far; it is shown from the first second on,
            // once something is done (before, there is no pace to go by).
            if seconds >= 1, fraction > 0, fraction < 1 {
                let left = UInt64((Double(elapsed) / 1e9 * (1 - fraction) / fraction).rounded(.up))
                time += ", \(duration(left)) left"
            }
            let counts = "\(quantity(state.completed, state.unit, plural: false))/\(quantity(total, state.unit))"
            let fixed = "\(state.label) []  \(percent)%  \(counts)\(time)"
            let barWidth = max(5, min(30, width - 1 - fixed.count))
            let filled = Int((fraction * Double(barWidth)).rounded(.down))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
            text = "\(state.label) [\(bar)]  \(String(format: "%3d", percent))%  \(counts)\(time)"
        } else {
            let spinner = ["|", "/", "-", "\\"][state.spinnerFrame % 4]
            let count = state.completed > 0 ? "  \(quantity(state.completed, state.unit))" : ""
            text = "\(state.label) \(spinner)\(count)\(time)"
        }
        if text.count > width - 1 { text = String(text.prefix(max(0, width - 1))) }
        return text
    }

    /// `42s`, `3m 05s` or `1h 02m`.
    static func duration(_ seconds: UInt64) -> String {
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m " + String(format: "%02ds", Int(seconds % 60)) }
        return "\(seconds / 3600)h " + String(format: "%02dm", Int(seconds % 3600 / 60))
    }

    /// `4,500 lines`, `4,500` (without the noun), or `3.2 MiB`.
    private static func quantity(_ value: Int, _ unit: ProgressBar.Unit, plural: Bool = true) -> String {
        switch unit {
        case .items(let noun):
            let number = value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_GB")))
            return plural ? "\(number) \(noun)" : number
        case .bytes:
            let units = ["B", "KiB", "MiB", "GiB", "TiB"]
            var amount = Double(value)
            var index = 0
            while amount >= 1024, index < units.count - 1 {
                amount /= 1024
                index += 1
            }
            return index == 0 ? "\(value) B" : String(format: "%.1f %@", amount, units[index])
        }
    }

    private static func write(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { FileSystem.writeAll($0, to: .standardError) }
    }
}
