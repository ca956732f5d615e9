internal import CLMDB
internal import Foundation

/// Reading every page before a call that walks them unguarded.
extension Environment {
    /// Reads every entry of every database: LMDB's free list, the main database and each named database in
    /// it (with their duplicates), in one read transaction, under the fault guard (see `shim.h`).
    ///
    /// `mdb_env_copyfd2` (``copy(toDescriptor:compact:)``) walks the same pages unguarded (the compacting
    /// walk on the calling thread, the writing of what it gathered on a second thread of its own), where a
    /// fault on a damaged page kills the process. Calling this first turns
    /// such damage into ``LMDBError/corrupted`` (or the error of the read that met it) before the copy
    /// starts. Pages read are released as the walk goes (``releaseMappedPages()``), so its memory stays
    /// bounded whatever the size of the store.
    public func readEveryPage() throws {
        try read { txn in
            // The free list is database 0 (FREE_DBI): a compacting copy reads it to count the pages it skips.
            try readEveryEntry(of: Database(handle: 0, name: "(free list)"), in: txn)
            let main = try txn.openDatabase(nil)
            var names: [String] = []
            try txn.withCursor(main) { cursor in
                var entry = try cursor.first()
                while let found = entry {
                    names.append(String(decoding: found.key, as: UTF8.self))
                    entry = try cursor.next()
                }
            }
            for name in names {
                // A key of the main database that names no database (MDB_INCOMPATIBLE) is a plain entry,
                // read already.
                guard let database = try Self.database(named: name, in: txn) else { continue }
                try readEveryEntry(of: database, in: txn)
            }
        }
    }

    /// Walks every B-tree of the store (the free list, the main database, each named database and each key's
    /// sub-database of duplicates) page by page from the meta page of a read snapshot, and returns the first
    /// page whose header is damaged, in words, or nil when all are sound (see ``PageHeaderWalk``).
    ///
    /// Reads trust a page's flags once the bit they test holds, so a branch page that also carries
    /// `P_KEEP` or `P_LOOSE` reads well, yet liblmdb's commit skips it and the next write breaks the store:
    /// `verify` calls this so that such damage is found before a write makes it worse. The pages are read
    /// with `pread` (one per level of the walk at a time), not mapped; besides them the walk keeps one bit a page
    /// and the free list's page numbers.
    ///
    /// A read of the file that fails (`EIO` from a failing disk, say) is no damage found: it is thrown, an
    /// ``LMDBError`` with the code `EIO` whatever the call's `errno` (a system error,
    /// ``LMDBError/isSystemError``) naming the page and the system's reason.
    public func checkPageHeaders() throws -> String? {
        try read { txn in
            var stat = MDB_stat()
            try check(mdb_env_stat(handle, &stat), "mdb_env_stat")
            var descriptor: Int32 = -1
            try check(mdb_env_get_fd(handle, &descriptor), "mdb_env_get_fd")
            var walk = PageHeaderWalk(
                descriptor: descriptor, pageSize: Int(stat.ms_psize), snapshot: UInt64(mdb_txn_id(txn.handle)))
            do throws(PageHeaderWalk.ReadFailure) {
                return try walk.run()
            } catch {
                throw Self.readError(error, path: path)
            }
        }
    }

    /// A walk's read of the data file that failed, as the I/O error it is: `cannot read the store at /x:
    /// page 7 of the store's file cannot be read: Input/output error`. Its code is `EIO` whatever the call's
    /// `errno` (whose words the detail keeps): a read refused with `EACCES` or `EPERM` is no refusal to write,
    /// so it must neither send the open to its read-only retry (which keys on those codes, and would then
    /// drop the lock) nor reach the user as a permission (exit 77) rather than a failed read (exit 74).
    static func readError(_ failure: PageHeaderWalk.ReadFailure, path: String) -> LMDBError {
        LMDBError(code: EIO, operation: "cannot read the store at \(path)", detail: failure.problem)
    }

    /// The database `name` names, or nil when it is a plain entry of the main database (`MDB_INCOMPATIBLE`);
    /// any other failure is thrown.
    private static func database(named name: String, in txn: borrowing Transaction) throws -> Database? {
        do {
            return try txn.openDatabase(name)
        } catch let error where error == .incompatible {
            return nil
        }
    }

    /// Moves a cursor over every entry of `database`, which reads each of its pages.
    private func readEveryEntry(of database: Database, in txn: borrowing Transaction) throws {
        try txn.withCursor(database) { cursor in
            var count = 0
            var entry = try cursor.first()
            while entry != nil {
                count += 1
                if count % (1 << 16) == 0 { releaseMappedPages() }
                entry = try cursor.next()
            }
        }
        releaseMappedPages()
    }
}
