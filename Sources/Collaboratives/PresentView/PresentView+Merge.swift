internal import EventLog
internal import Foundation

/// The present-view checkpoint brought up to the head without holding the view: what an append that is
/// due to store it, and ``Chronicle/refreshPresentView()``, write.
struct MergedCheckpoint {
    /// The last `seq` the encoding folds.
    let position: UInt64
    /// The encoding, in a temporary file (removed once this is let go).
    let encoding: SpillFile
    /// The most of the view held at once: the records the events after the checkpoint change.
    let footprint: PresentViewFootprint

    /// The stored checkpoint of `view` with the events after it folded, written as its canonical encoding
    /// into a temporary file in `directory`, or `nil` when none is stored, it cannot be used (as
    /// ``CheckpointStream`` judges it: header, position, hash, and every record read in order), or more
    /// than `limit` events follow it.
    ///
    /// The encoding is read twice through in order: once to check it and keep the records the events after
    /// it change (those events are then folded into them alone, as ``CheckpointStream`` does), once to
    /// write every record, each untouched one as it was and each changed one as the events leave it. What
    /// is held is the stored encoding (as the store gives it), its symbol table, the changed records and
    /// the events after it: nothing else grows with the members or the collaboratives.
    ///
    /// `release` is called once the stored encoding is copied out of the store (the LMDB store then lets
    /// go of the pages it read it through: as many again).
    ///
    /// - Complexity: O(S) for a state of size S, plus the events after it.
    init?(
        in view: any LogView, reader: HistoryReader, directory: String, limit: UInt64, release: () -> Void = {}
    ) throws {
        guard let start = try CheckpointStream.Start(in: view, reader: reader, limit: limit, release: release)
        else { return nil }
        let (bytes, touched, ids) = (start.bytes, start.touched, start.ids)
        var (after, delta) = (start.after, start.delta)
        do {
            var records = try PresentEncodingReader(bytes)
            try records.readRetractedIDs { id in if ids.contains(id) { delta.retractedIDs.insert(id) } }
            while let (_, entry) = try records.next() {
                if touched.contains(entry.key) { delta.insert(entry) }
            }
        } catch {
            return nil
        }
        let held = delta.retractedIDs
        for recorded in after { delta.apply(recorded) }
        after = []
        let encoding = try SpillFile(directory: directory)
        var output = ChunkedOutput { try encoding.append($0) }
        try CheckpointStream.writeMerged(of: bytes, delta: delta, touched: touched, held: held, to: &output)
        position = delta.lastSeq
        self.encoding = encoding
        footprint = PresentViewFootprint(
            streamed: true, collaboratives: delta.collaboratives.count, records: delta.recordCount)
    }

    /// Fills `buffer` (``SpillFile/size`` bytes) with the encoding.
    func write(into buffer: UnsafeMutableRawBufferPointer) throws {
        try encoding.read(into: buffer, at: 0)
    }
}
