import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a store holding the built-in demo history and show what is in it.",
        discussion: """
            Example:
              chronicle demo --store /tmp/chronicle-demo

            The demo is a three-year history of three Collaboratives, modelled on an evaluated
            programme: membership churn, workshops with dwindling attendance, sub-groups, coaching,
            role changes with a gap, late entries and one correction. It is an NDJSON export kept in
            the repository and imported through the same path as any file.
            """)

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let log = try storeOptions.openLog(create: true)
        guard try log.head().seq == 0 else {
            throw CLIError.usage("the store at \(storeOptions.location) is not empty; give an empty store with --store")
        }
        let chronicle = Chronicle(log: log, today: .londonDay(of: try Clock.current().now()))
        let summary = try chronicle.importLines(splitLines(DemoHistory.bytes), defaultRecordedBy: "demo")
        guard summary.appended > 0 else {
            throw CLIError.io("this build carries no demo history (run scripts/make-demo)")
        }
        printLine("demo store at \(storeOptions.location): \(summary.appended) events restored")
        var counts: [String: Int] = [:]
        var first: String?
        var last: String?
        try log.events().forEach { event in
            counts[event.type, default: 0] += 1
            let day = OccurredAt(event.occurredAt).canonicalText
            if first == nil || day < first ?? "" { first = day }
            if last == nil || day > last ?? "" { last = day }
        }
        var table = Table(["TYPE", "EVENTS"], rightAligned: [1])
        for name in DomainEvent.typeNames where counts[name] != nil {
            table.add([name, String(counts[name] ?? 0)])
        }
        printLine(table.render())
        printLine("history from \(first ?? "-") to \(last ?? "-"); head seq \(summary.head.seq) \(summary.head.hash)")
        printLine("try: chronicle log --store \(storeOptions.location) --collaborative oldham --type WorkshopHeld")
    }
}
