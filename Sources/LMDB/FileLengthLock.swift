internal import Foundation
internal import Synchronization

/// The store directory's `flock`, so that liblmdb's `ftruncate` of an `MDB_WRITEMAP` environment never cuts
/// pages another process is writing.
///
/// Under `MDB_WRITEMAP` liblmdb sets `data.mdb`'s length to the map's size whenever it maps the file: when the
/// environment is opened and when its map is resized. That length is this process's map, which may be shorter
/// than the file another writer is filling at that moment (an import that reserved more room, writing in its
/// own longer map, or a writer without `MDB_WRITEMAP` between the `pwrite` of its pages past the end and the
/// meta page that commits them): cut, those pages would read back as zeros in a committed transaction. So a
/// write transaction of this library holds the directory's lock shared from its beginning to its end, and an
/// environment opened with ``Environment/Options/writeMap`` holds it exclusively while it opens or resizes its
/// map (with no transaction of its own open, as LMDB requires): it waits for the writers under way, and they
/// for it. Its own shortening of the file (``Environment/trimDataFile()``) runs inside a write transaction,
/// under LMDB's writer lock, which no writer in the middle of a transaction can be waiting to take.
///
/// `flock` locks belong to an open file description, not a thread: the shared lock is taken when the first
/// write transaction of this environment begins and released when the last one ends (LMDB lets one run at a
/// time, but another thread may be waiting for it), counted under a mutex.
final class FileLengthLock: Sendable {
    /// The directory, opened for the lock; -1 when it could not be (then nothing is locked).
    private let descriptor: Int32
    /// Write transactions of this environment begun and not yet ended (or waiting to begin).
    private let writers = Mutex<Int>(0)

    /// Opens `directory` for its lock.
    init(directory: String) {
        descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Holds the lock exclusively while `body` runs (an `MDB_WRITEMAP` environment's open or resize).
    func exclusively<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        lock(LOCK_EX)
        defer { lock(LOCK_UN) }
        return try body()
    }

    /// Takes the lock shared for a write transaction about to begin (when it is the first of this environment).
    func beginWrite() {
        writers.withLock { count in
            if count == 0 { lock(LOCK_SH) }
            count += 1
        }
    }

    /// Gives the shared lock back when the last write transaction of this environment has ended.
    func endWrite() {
        writers.withLock { count in
            count -= 1
            if count == 0 { lock(LOCK_UN) }
        }
    }

    /// `flock(operation)`, waited for through interruptions. Any other failure (a file system without `flock`)
    /// leaves the directory unlocked: the guard is then missing, as it is for other programs using the store.
    private func lock(_ operation: Int32) {
        guard descriptor >= 0 else { return }
        while flock(descriptor, operation) != 0 && errno == EINTR {}
    }
}
