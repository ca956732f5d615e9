internal import EventLog

/// Where each event an import wrote came from (its batch index and input line), kept as runs: an import's
/// events are consecutive in seq, index and line but where a blank line or a skipped retry breaks a run, so
/// this is a few entries, not one per line.
struct LinePlaces {
    /// An event's place in the input.
    struct Place: Equatable {
        let index: Int
        let line: Int
    }

    private var runs: [(seq: UInt64, index: Int, line: Int, count: Int)] = []

    /// Adds the event at `seq`, from batch index `index` and input line `line` (seqs added in increasing order).
    mutating func add(seq: UInt64, index: Int, line: Int) {
        if let last = runs.last, last.seq + UInt64(last.count) == seq, last.index + last.count == index,
            last.line + last.count == line
        {
            runs[runs.count - 1].count += 1
        } else {
            runs.append((seq, index, line, 1))
        }
    }

    /// The place of the event at `seq`, if one was added.
    func place(of seq: UInt64) -> Place? {
        let low = runs.partitioningIndex { $0.seq > seq }
        guard low > 0 else { return nil }
        let run = runs[low - 1]
        let step = Int(seq - run.seq)
        guard step < run.count else { return nil }
        return Place(index: run.index + step, line: run.line + step)
    }
}
