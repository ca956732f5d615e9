internal import CLMDB
internal import Foundation

/// The guard of `shim.h` (defined once, in the `CLMDBShim` target) that turns a fault or a failed LMDB
/// assertion inside LMDB's reads of a damaged file into `MDB_CORRUPTED`.
enum FaultGuard {
    /// Installs the signal handler (once per process) and hands it the write-fault exit chosen so far
    /// (``Environment/writeFaultExit``: the CLI's unless an embedder chose another before opening).
    static func install() {
        clmdb_install_fault_guard()
        Environment.pushWriteFaultExitOnce()
    }

    /// Makes a failed assertion of LMDB inside a guarded call on `env` read as damage rather than abort.
    static func guardAssertions(_ env: OpaquePointer) -> Int32 { clmdb_guard_assertions(env) }

    /// Chooses what the process writes to standard error and the status it exits with after a write faults
    /// (and after a write through the map is refused: `exit`'s ``Environment/WriteFaultExit/refusedMapWriteMessage``
    /// around the store's path, or its message when that is empty).
    static func setWriteFaultExit(_ exit: Environment.WriteFaultExit) {
        Array(exit.message.utf8).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                clmdb_set_write_fault_exit(chars.baseAddress, chars.count, exit.status)
            }
        }
        var prefix = Array(exit.refusedMapWriteMessage.utf8)
        var suffix: [UInt8] = []
        var namesStore: Int32 = 0
        if let marker = exit.refusedMapWriteMessage.range(of: "{store}") {
            prefix = Array(exit.refusedMapWriteMessage[..<marker.lowerBound].utf8)
            suffix = Array(exit.refusedMapWriteMessage[marker.upperBound...].utf8)
            namesStore = 1
        }
        prefix.withUnsafeBufferPointer { prefixBuffer in
            suffix.withUnsafeBufferPointer { suffixBuffer in
                prefixBuffer.withMemoryRebound(to: CChar.self) { prefixChars in
                    suffixBuffer.withMemoryRebound(to: CChar.self) { suffixChars in
                        clmdb_set_map_write_fault_exit(
                            prefixChars.baseAddress, prefixChars.count, namesStore, suffixChars.baseAddress,
                            suffixChars.count)
                    }
                }
            }
        }
    }

    /// Writes each system page of `count` bytes at `start` once, under the write guard (see `shim.h`): a value
    /// reserved in an environment opened with ``Environment/Options/writeMap``, before the caller fills it.
    static func touch(_ txn: OpaquePointer, _ start: UnsafeMutableRawPointer?, _ count: Int) {
        guard let start, count > 0 else { return }
        _ = clmdb_guarded_touch(txn, start, count)
    }

    /// `mdb_get`, guarded.
    static func get(
        _ txn: OpaquePointer, _ dbi: MDB_dbi, _ key: UnsafeMutablePointer<MDB_val>,
        _ data: UnsafeMutablePointer<MDB_val>
    ) -> Int32 {
        clmdb_guarded_get(txn, dbi, key, data)
    }

    /// `mdb_cursor_get`, guarded.
    static func cursorGet(
        _ cursor: OpaquePointer, _ key: UnsafeMutablePointer<MDB_val>, _ data: UnsafeMutablePointer<MDB_val>,
        _ op: MDB_cursor_op
    ) -> Int32 {
        clmdb_guarded_cursor_get(cursor, key, data, op)
    }

    /// `mdb_dbi_open`, guarded: a fault looking the name up returns `MDB_CORRUPTED`, or ends the process
    /// when `flags` hold `MDB_CREATE` (the open may then be writing, see `shim.h`).
    static func openDatabase(
        _ txn: OpaquePointer, _ name: String?, _ flags: UInt32, _ dbi: UnsafeMutablePointer<MDB_dbi>
    ) -> Int32 {
        clmdb_guarded_dbi_open(txn, name, flags, dbi)
    }

    /// `mdb_put`, guarded: a fault inside it ends the process (exit code 74, see `shim.h`).
    static func put(
        _ txn: OpaquePointer, _ dbi: MDB_dbi, _ key: UnsafeMutablePointer<MDB_val>,
        _ data: UnsafeMutablePointer<MDB_val>, _ flags: UInt32
    ) -> Int32 {
        clmdb_guarded_put(txn, dbi, key, data, flags)
    }

    /// `mdb_cursor_put`, guarded: a fault inside it ends the process (exit code 74, see `shim.h`).
    static func cursorPut(
        _ cursor: OpaquePointer, _ key: UnsafeMutablePointer<MDB_val>, _ data: UnsafeMutablePointer<MDB_val>?,
        _ flags: UInt32
    ) -> Int32 {
        clmdb_guarded_cursor_put(cursor, key, data, flags)
    }

    /// `mdb_del`, guarded: a fault inside it ends the process (exit code 74, see `shim.h`).
    static func delete(
        _ txn: OpaquePointer, _ dbi: MDB_dbi, _ key: UnsafeMutablePointer<MDB_val>,
        _ data: UnsafeMutablePointer<MDB_val>?
    ) -> Int32 {
        clmdb_guarded_del(txn, dbi, key, data)
    }

    /// `mdb_cursor_del`, guarded: a fault inside it ends the process (exit code 74, see `shim.h`).
    static func cursorDelete(_ cursor: OpaquePointer, _ flags: UInt32) -> Int32 {
        clmdb_guarded_cursor_del(cursor, flags)
    }

    /// `mdb_drop`, guarded: a fault inside it ends the process (exit code 74, see `shim.h`).
    static func drop(_ txn: OpaquePointer, _ dbi: MDB_dbi, _ delete: Int32) -> Int32 {
        clmdb_guarded_drop(txn, dbi, delete)
    }

    /// `mdb_txn_commit` of a write transaction, guarded: a fault inside it (saving the free list walks the
    /// file's pages) ends the process (exit code 74, see `shim.h`) before anything is committed.
    static func commit(_ txn: OpaquePointer) -> Int32 { clmdb_guarded_txn_commit(txn) }

    /// `mdb_txn_abort`, guarded: should the abort of a write transaction fault (after a read inside it
    /// faulted), the transaction is left as it is (see `shim.h`) and this returns true: the caller must then
    /// never close the environment (the transaction still holds the writer mutex in `lock.mdb`'s mapping).
    static func abort(_ txn: OpaquePointer) -> Bool { clmdb_guarded_txn_abort(txn) != 0 }
}
