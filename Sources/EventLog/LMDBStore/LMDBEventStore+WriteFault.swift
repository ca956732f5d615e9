internal import LMDB

extension LMDBEventStore {
    /// Chooses how the process ends after a write faults inside LMDB (a damaged page met while appending):
    /// `message` is written to standard error as it is (at most 1,024 bytes of its UTF-8; end it with a
    /// newline) and the process exits with `status`. By default the Chronicle CLI's line and status 74.
    ///
    /// The process ends either way, at once and without committing or aborting the transaction: the fault may
    /// have left the transaction half updated and the allocator's lock held, so nothing of it may reach the
    /// file and nothing after it may allocate. Set this once, before the first append, for every store of
    /// the process.
    public static func setWriteFaultExit(message: String, status: Int32) {
        Environment.writeFaultExit = .init(message: message, status: status)
    }
}
