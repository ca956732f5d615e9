import EventLog
import Foundation
import Testing

/// Resident bytes of the mappings of `directory`'s `data.mdb` in this process, from /proc/self/smaps (Linux), or
/// nil elsewhere: only this store's pages, so tests running beside it change nothing here.
private func residentBytes(ofStoreIn directory: String) -> Int? {
    guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps"),
        let data = try? handle.readToEnd(), let text = String(data: data, encoding: .utf8)
    else { return nil }
    let file = "/" + URL(fileURLWithPath: directory).lastPathComponent + "/data.mdb"
    var total = 0
    var inside = false
    for line in text.split(separator: "\n") {
        let fields = line.split(separator: " ")
        if let first = fields.first, first.contains("-"), first.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
            inside = line.hasSuffix(file)
        } else if inside, fields.first == "Rss:", fields.count > 1 {
            total += (Int(fields[1]) ?? 0) * 1_024
        }
    }
    return total
}

@Suite struct ReadMemoryBudgetTests {
    /// `verify` releases the pages its walk mapped every 16,384 events only beyond the budget the store was
    /// opened with: below it they stay mapped (its index lookups land at random, and a page kept is not faulted
    /// in again); with no budget they are let go. 16,500 events: the walk passes one release and reads a few
    /// more events and the indexes' totals after it.
    @Test func verifyKeepsThePagesItReadBelowTheStoresBudgetAndDropsThemAbove() throws {
        for (budget, released) in [(1 << 40, false), (0, true)] {
            try withTemporaryDirectory { path in
                let store = try LMDBEventStore(
                    directory: path,
                    options: .init(
                        create: true, initialMapSize: 64 << 20, durable: false, residentFileMemoryBudget: budget),
                    clock: FixedClock(epoch))
                #expect(store.residentFileMemoryBudget == budget)
                let payload = [UInt8](repeating: 7, count: 1_000)  // 16.5 MB of events
                for first in stride(from: 0, to: 16_500, by: 5_500) {
                    _ = try store.append((first..<first + 5_500).map { newEvent("s\($0 % 100)", payload: payload) })
                }
                let report = try store.verify()
                #expect(report.isSound && report.eventCount == 16_500)
                guard let resident = residentBytes(ofStoreIn: path) else { return }
                if released {
                    #expect(resident < 4_000_000, "budget 0: \(resident) bytes of the store still resident")
                } else {
                    #expect(resident >= 10_000_000, "budget 1 TiB: only \(resident) bytes of the store resident")
                }
            }
        }
    }
}
