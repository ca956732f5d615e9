import ArgumentParser
import Collaboratives
import Foundation
import HistoryGeneration

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a valid, realistic synthetic history as NDJSON, for tests and benchmarks.",
        discussion: """
            Examples:
              chronicle generate --events 100000 --seed 7 --out history.ndjson
              chronicle generate --events 2000 --collaboratives 3 --seed 7 | chronicle import -

            Writes exactly N input lines (explicit ids; no recordedAt, seq or hash) dated from --from to --to:
            collaboratives formed, membership churn with reasons and re-joins, details changes, workshops
            (some across localities) and coaching sessions (some that nobody attended) with attendees
            active that day, sub-groups with members, statuses and milestones, roles assigned and ended,
            yearly survey waves, late entries and retractions. Every rule of EVENTS.md holds for the whole
            file and for every prefix of it, so it can be imported whole or in chunks. The same options and
            seed always give the same bytes. Generation streams: memory stays small for any N.
            """)

    @Option(name: .long, help: ArgumentHelp("How many events (lines) to write.", valueName: "n"))
    var events: Int

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How many collaboratives (default: one per 10,000 events, at least 3, at most one per 100 events).",
            valueName: "c"))
    var collaboratives: Int?

    @Option(name: .long, help: ArgumentHelp("The seed: the same seed gives the same history.", valueName: "s"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("First day of the history (default: 2015-09-01).", valueName: "date"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Last day of the history (default: 2025-08-31).", valueName: "date"))
    var to: String?

    @Option(name: .long, help: ArgumentHelp("Output file, or - for stdout (the default).", valueName: "file"))
    var out: String = "-"

    func validate() throws {
        if events < 0 { throw ValidationError("--events: must be 0 or more") }
        if let collaboratives, collaboratives < 1 { throw ValidationError("--collaboratives: must be at least 1") }
    }

    func run() throws {
        let configuration = HistoryGenerator.Configuration(
            events: events, collaboratives: collaboratives, seed: seed,
            firstDay: try day(from, option: "--from", default: HistoryGenerator.Configuration.defaultFirstDay),
            lastDay: try day(to, option: "--to", default: HistoryGenerator.Configuration.defaultLastDay))
        let generator: HistoryGenerator
        do {
            generator = try HistoryGenerator(configuration)
        } catch {
            throw CLIError.usage(error.description)
        }
        // A file is written by a rename, a device or FIFO through, `-` to stdout (see ``OutputFile``).
        var output = try OutputFile(out, mode: 0o644)
        do {
            try write(generator) { try output.write($0) }
            try output.commit()
        } catch {
            output.abandon()
            throw error
        }
    }

    /// Runs the generator, handing each line (with its newline) to `sink`; a progress bar on a terminal's stderr.
    private func write(_ generator: HistoryGenerator, to sink: ([UInt8]) throws -> Void) throws {
        var generator = generator
        var bar = ProgressBar(label: "generate", total: events)
        while var line = generator.next() {
            line.append(0x0A)
            try sink(line)
            bar.advance()
        }
        bar.finish()
    }

    private func day(_ text: String?, option: String, default value: Day) throws -> Day {
        guard let text else { return value }
        guard let day = Day(parsing: text) else {
            throw CLIError.usage("\(option): \(text.debugDescription) is not a date (YYYY-MM-DD)")
        }
        return try day.accepted(for: option)
    }
}
