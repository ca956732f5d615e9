import ArgumentParser
import EventLog
import Foundation
import Testing

@testable import ChronicleCLI

@Suite struct ResidentBudgetTests {
    /// Each command names its budget from its own arguments: `verify` the walk's (with `--projections` the
    /// derived view's, with `--rules` the default, the rule model's heap growing with the log), `status`,
    /// `backup` and `export` theirs, `log --collaborative` the larger one of its scan, and the other queries
    /// (through the tag index, or of whole views) the default.
    @Test func eachCommandAsksForItsOwnResidentBudget() throws {
        func budget(_ arguments: [String]) throws -> ResidentBudget? {
            switch try ChronicleCommand.parseAsRoot(arguments) {
            case let command as VerifyCommand: command.residentBudget
            case is StatusCommand: StatusCommand.residentBudget
            case is BackupCommand: BackupCommand.residentBudget
            case is ExportCommand: ExportCommand.residentBudget
            case let command as LogCommand: command.residentBudget
            case let command as MembersCommand: command.options.residentBudget
            case let command as ReportAttendanceCommand: command.options.residentBudget
            case let command as DiffCommand: command.residentBudget
            default: nil
            }
        }
        #expect(VerifyCommand.chainBudget == .verify)
        #expect(try budget(["verify"]) == .verify)
        #expect(try budget(["verify", "--projections"]) == .verifyProjections)
        #expect(try budget(["verify", "--rules"]) == .standard)
        #expect(try budget(["verify", "--projections", "--rules"]) == .standard)
        #expect(try budget(["status", "--json"]) == .status)
        #expect(try budget(["backup", "/tmp/somewhere"]) == .backup)
        #expect(BackupCommand.verifyBudget == .verify)
        #expect(try budget(["export", "-"]) == .export)
        #expect(try budget(["log", "--collaborative", "oldham"]) == .collaborativeLog)
        #expect(try budget(["log"]) == .standard)
        #expect(try budget(["members", "--collaborative", "oldham"]) == .standard)
        #expect(try budget(["members"]) == .standard)
        #expect(try budget(["report", "attendance", "--collaborative", "oldham"]) == .standard)
        #expect(try budget(["diff", "--known-at", "2025-01-01", "--collaborative", "oldham"]) == .standard)
    }

    /// The one place the command line opens a store gives an LMDB store the budget it is asked for, and the
    /// library's default when none is named.
    @Test func theStoreOpenerGivesAnLMDBStoreTheBudgetItIsAskedFor() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("budget-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let location = StoreLocation.directory(path)
        do {
            // Let go before the same directory is opened again (one environment per path per process).
            let created = try #require(try location.open(create: true) as? LMDBEventStore)
            #expect(created.residentFileMemoryBudget == LMDBEventStore.defaultResidentFileMemoryBudget)
        }
        for budget in ResidentBudget.allCases {
            let store = try #require(try location.open(readOnly: true, budget: budget) as? LMDBEventStore)
            #expect(store.residentFileMemoryBudget == budget.bytes, "\(budget)")
        }
    }

    /// Every budget sized to a command leaves that command's heap, as measured at 10M events, within the
    /// issue's 256 MB with the margin.
    @Test func everyBudgetLeavesItsCommandsHeapWithinTheMemoryLimit() {
        for budget in ResidentBudget.allCases {
            guard let heap = budget.largestHeap else { continue }
            let total = budget.bytes + heap + ResidentBudget.mappedBetweenChecks + ResidentBudget.margin
            #expect(total <= ResidentBudget.peakLimit, "\(budget): \(total) bytes")
        }
    }
}
