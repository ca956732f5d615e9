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
    /// `releaseReadMemory()`, a long scan's periodic hint, releases the store's pages only beyond the budget the
    /// store was opened with: below it they stay mapped, so that a reader coming back to them (an index looked
    /// up at random) does not fault them in again.
    @Test func releasingReadMemoryKeepsThePagesBelowTheStoresBudgetAndDropsThemAbove() throws {
        for (budget, released) in [(1 << 40, false), (0, true)] {
            try withTemporaryDirectory { path in
                let store = try LMDBEventStore(
                    directory: path,
                    options: .init(
                        create: true, initialMapSize: 64 << 20, durable: false, residentFileMemoryBudget: budget),
                    clock: FixedClock(epoch))
                #expect(store.residentFileMemoryBudget == budget)
                let payload = [UInt8](repeating: 7, count: 4_000)
                _ = try store.append((0..<1_000).map { newEvent("s\($0 % 10)", payload: payload) })
                #expect(try allEvents(store).count == 1_000)
                store.releaseReadMemory()
                guard let resident = residentBytes(ofStoreIn: path) else { return }
                if released {
                    #expect(resident < 1_000_000, "budget 0: \(resident) bytes of the store still resident")
                } else {
                    #expect(resident >= 3_000_000, "budget 1 TiB: only \(resident) bytes of the store resident")
                }
            }
        }
    }
}
