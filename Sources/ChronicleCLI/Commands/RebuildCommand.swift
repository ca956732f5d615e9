import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Recompute the stored projections from the log, from scratch.",
        discussion: """
            Examples:
              chronicle rebuild
              chronicle rebuild --json

            Folds the whole log from its first event, a page at a time, into the
            present view that `chronicle status` shows; compares it with the
            checkpoint stored when the rebuild began ("checkpoint matched", or
            "checkpoint differed: stored …, rebuilt …" with both SHA-256 digests, or
            "no checkpoint was stored"); then stores the rebuilt one, including the
            events appended meanwhile, and prints the rate in events per second. A
            progress bar is drawn on stderr when it is a terminal. A differing
            checkpoint is replaced, not an error: `chronicle verify --projections` is
            the check that fails on one. Memory stays bounded whatever the log holds:
            the projection's records are spilled to a temporary file in $TMPDIR (or
            /tmp) as they accumulate, and merged back at the end.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Flag(name: .long, help: "Print the result as JSON.") var json = false

    func run() throws {
        let chronicle = try storeOptions.openChronicle()
        var bar = ProgressBar(label: "rebuilding \(PresentView.checkpointName)")
        let start = DispatchTime.now().uptimeNanoseconds
        let rebuild = try chronicle.rebuildPresentView { done, total in bar.update(done, of: total) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        bar.finish()
        let folded = rebuild.lastSeq
        let rate = seconds > 0 ? Double(folded) / seconds : 0
        if json {
            printJSON(
                .object([
                    "projection": .string(PresentView.checkpointName),
                    "events": .integer(Int64(clamping: folded)),
                    "seconds": .number(seconds), "eventsPerSecond": .number(rate.rounded()),
                    "lastSeq": .integer(Int64(clamping: rebuild.lastSeq)),
                    "lastHash": .string(rebuild.lastHash.description),
                    "digest": .string(rebuild.digest.description),
                    "checkpoint": Self.comparisonJSON(rebuild.comparison),
                ]))
            return
        }
        printLine(
            "rebuilt \(PresentView.checkpointName) from \(folded) events in "
                + String(format: "%.3f s (%.0f events/s)", seconds, rate))
        printLine(Self.comparisonLine(rebuild.comparison, head: rebuild.headAtStart))
        printLine("stored \(PresentView.checkpointName) at seq \(rebuild.lastSeq), digest \(rebuild.digest)")
    }

    /// `checkpoint matched …`, `checkpoint differed: stored …, rebuilt …` or `no checkpoint was stored`.
    static func comparisonLine(_ comparison: CheckpointComparison, head: UInt64) -> String {
        switch comparison {
        case .matched(let position, let digest):
            return "checkpoint matched at seq \(position): \(digest)"
        case .differed(let position, let stored, let rebuilt) where position > head:
            return "checkpoint differed: it claimed seq \(position), beyond the head (seq \(head)): stored \(stored), "
                + "rebuilt \(rebuilt)"
        case .differed(let position, let stored, let rebuilt):
            return "checkpoint differed at seq \(position): stored \(stored), rebuilt \(rebuilt)"
        case .missing:
            return "no checkpoint was stored"
        }
    }

    /// `{"outcome", "position", "stored", "rebuilt"}`.
    static func comparisonJSON(_ comparison: CheckpointComparison) -> JSONValue {
        let (outcome, position, stored, rebuilt): (String, UInt64?, ProjectionDigest?, ProjectionDigest?) =
            switch comparison {
            case .matched(let position, let digest): ("matched", position, digest, digest)
            case .differed(let position, let stored, let rebuilt): ("differed", position, stored, rebuilt)
            case .missing: ("missing", nil, nil, nil)
            }
        return .object([
            "outcome": .string(outcome), "position": position.map { .integer(Int64(clamping: $0)) } ?? .null,
            "stored": stored.map { .string($0.description) } ?? .null,
            "rebuilt": rebuilt.map { .string($0.description) } ?? .null,
        ])
    }
}
