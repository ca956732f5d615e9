import ArgumentParser
import Collaboratives
import EventLog

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the hash chain and every index.",
        discussion: """
            Example:
              chronicle verify --store ./programme-store

            Walks the whole log once: seq gapless, every hash = SHA-256(previous hash ‖ event), recordedAt
            never decreasing, every index entry present and no extra ones, the stored head matching.
            Exit 0 with one summary line when sound; exit 1 naming the first fault otherwise.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Flag(name: .long, help: "Print the result as JSON.") var json = false

    func run() throws {
        let report = try storeOptions.openLog().verify()
        if json {
            printJSON(
                .object([
                    "sound": .bool(report.isSound), "events": .integer(Int64(clamping: report.eventCount)),
                    "head": report.head.json,
                    "fault": report.fault.map { fault in
                        .object([
                            "seq": fault.seq.map { .integer(Int64(clamping: $0)) } ?? .null,
                            "problem": .string(fault.problem),
                        ])
                    } ?? .null,
                ]))
        } else if report.isSound {
            printLine("ok: \(report.eventCount) events, chain and indexes sound, head \(report.head.hash)")
        }
        if let fault = report.fault {
            throw CLIError.failure("verify failed at \(fault)")
        }
    }
}
