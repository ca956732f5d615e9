import EventLog

/// The resident budget each command opens an LMDB store with (`LMDBEventStore.Options.residentFileMemoryBudget`):
/// the file-backed memory (the store's mapped pages, and the program's own code, about 20 MiB) past which the
/// store's pages are released. The limit is 256 MB of peak RSS for every command at 1M and 10M events;
/// what a command's heap holds at its peak is not the store's, so the budget is what the heap leaves of that
/// with a margin of 24 MB, and what reads map between two checks (512 values, a few MB) on top.
///
/// A reader at random over a store far larger than its budget (`verify` looks each event up in four indexes)
/// faults the same pages in again after each release; a larger budget means fewer releases. Measured on the 1M
/// store (`/tmp/fx/s1m`, 672 MB file), release build, `nice -n 10`, `/usr/bin/time -v`, the heap as the largest
/// `RssAnon` sampled every 20 ms; at 10M from `bench/bench-results-2026-12-07-s19-10m.json` (peak RSS with the
/// 64 MiB budget, less the 64 MiB and the reads between checks). See the README's "The resident budget's price".
enum ResidentBudget: Equatable, CaseIterable {
    /// 64 MiB, the library's default: for the commands whose heap grows with the log past what any budget
    /// leaves room for (`import`, `rebuild`, `verify --rules`, a query of the whole log), the queries of one
    /// collaborative read through the tag index (`members`, `replay`, `report …`, `audit …`: a larger budget
    /// saved no fault there, at 1M nor at 10M, and cost 90–100 MB of peak), `diff` (two whole views), and the
    /// short ones (`record`, `init`).
    case standard
    /// `verify` of the chain and indexes: its heap is a few MB whatever the log's size (the walk keeps one
    /// event, the page check one bit a page).
    case verify
    /// `verify --projections`: the chain's walk, then the present view derived again (spilled to a file as it
    /// is folded) and the tag index checked.
    case verifyProjections
    /// `status`: the present view read from its checkpoint, one collaborative at a time. Its peak is not the
    /// budget's: the checkpoint, read in place as one value, maps its pages between two checks (98 MiB of
    /// file-backed memory at 10M with a 32 MiB budget, peak 255 MiB as with 64), so the default stays.
    case status
    /// `backup`'s copy (LMDB's compacting copy; the copy is then verified with ``verify``).
    case backup
    /// `export`: one sequential scan, written out as it goes.
    case export
    /// `log --collaborative`: a scan of the whole log keeping only the rows of one collaborative, whose
    /// releases each walk the map's page tables (at 10M: 21.1 s of system time with 64 MiB, 5.4 s with
    /// 160 MiB; peak 121 → 218 MB). Without `--collaborative` every row printed is held: the default.
    case collaborativeLog

    /// The budget in bytes.
    var bytes: Int {
        switch self {
        case .standard: LMDBEventStore.defaultResidentFileMemoryBudget
        case .verify: 192 << 20
        case .verifyProjections: 72 << 20
        case .status: LMDBEventStore.defaultResidentFileMemoryBudget
        case .backup: 128 << 20
        case .export: 48 << 20
        case .collaborativeLog: 160 << 20
        }
    }

    /// The most the command's heap was seen to hold at 10M events, in bytes (MiB, as the results file's
    /// kilobytes ÷ 1,024): the peak RSS of `bench/bench-results-2026-12-07-s19-10m.json`, run with a 64 MiB
    /// budget, less those 64 MiB (file-backed memory stays at the budget once the store is larger); nil for
    /// ``standard``, which is not sized to a heap.
    var largestHeap: Int? {
        switch self {
        case .standard: nil
        case .verify: 16 << 20  // peak 80 MiB at 10M; at 1M 6 MiB (73 peak, 67 of it file-backed)
        // Peak 216 MiB at 10M, in the derived view's fold, after the chain's walk (which has the verify budget).
        case .verifyProjections: 152 << 20
        case .status: 159 << 20  // the largest `RssAnon` at 10M (peak 255 MiB); at 1M 15 MiB
        // Its heap is 4 MiB; the rest is the copy's pages mapped between two checks of its thread (every 2 ms):
        // 51 MiB beyond the budget at 1M (118 MiB file-backed), 83 MiB at 10M (peak 147 MiB).
        case .backup: 83 << 20
        case .export: 170 << 20  // peak 234 MiB at 10M; at 1M 25 MiB
        case .collaborativeLog: 57 << 20  // peak 121 MiB at 10M with 64 MiB; at 1M 29 MiB (peak 93 MB with 64 MiB)
        }
    }

    /// What reads map past the budget before the next check (every 512 values): at most 6 MiB seen at 1M.
    static let mappedBetweenChecks = 8 << 20

    /// The margin kept under the 256 MB (MiB, as the bench counts them).
    static let margin = 24 << 20

    /// The limit on every command's peak RSS.
    static let peakLimit = 256 << 20
}
