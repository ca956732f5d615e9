#ifndef CLMDB_SHIM_H
#define CLMDB_SHIM_H
#include <lmdb.h>
#include <stddef.h>

/*
 * Reads that survive a damaged data file.
 *
 * LMDB trusts the pages it walks: a flipped byte in a node offset, a page header or a database record can
 * make mdb_get or mdb_cursor_get follow a pointer outside the map (SIGSEGV) or past the end of the file
 * (SIGBUS), or trip one of LMDB's own assertions (Debian builds liblmdb with them: `Assertion 'IS_LEAF(mp)'
 * failed in mdb_cursor_next()`, then abort). The Swift wrapper checks what these calls return, but not what
 * they touch on the way. So the read calls run under a guard: a fault or a failed assertion inside them jumps
 * back (siglongjmp) and the call returns MDB_CORRUPTED, which the wrapper reports as a damaged store. A read
 * has changed nothing when it faults (a write transaction's own pages are not written by a read), and the
 * transaction is then aborted.
 *
 * Writes (mdb_put, mdb_cursor_put, mdb_del, mdb_cursor_del, mdb_drop, and the commit of a write transaction)
 * walk the same damaged pages and are guarded too, but a fault inside one does not return: it leaves the write
 * transaction's own state (its dirty pages, its free lists, perhaps the allocator's lock if the fault came inside
 * malloc or free) half updated, so that even aborting the transaction could fault again or wait forever on that
 * lock. The process instead writes a message to standard error and ends at once with _exit, calling nothing
 * that allocates, with the message and status the program chose (clmdb_set_write_fault_exit; the Swift wrapper
 * sets its own before the first environment is opened). Nothing of the transaction is committed: LMDB writes its
 * dirty pages only on commit, and a commit that faults does so while it saves the free list, before the meta
 * page that makes it visible is written. (Under MDB_WRITEMAP the transaction's pages are the file's own, in the
 * map, but pages no committed state uses, and the meta page is written after them: a fault leaves garbage only
 * in free pages. There a SIGBUS in a write is a block the disk could not give a page of the sparse file, and the
 * message says so: clmdb_set_map_write_fault_exit.) LMDB's robust writer lock is released by the kernel
 * when the process ends.
 *
 * The functions are defined in the CLMDBShim target (shim.c), not inline here: the guard's state (where the
 * current thread's guarded call jumps back to, the handlers it replaced, the write-fault exit) must exist once
 * in the process. Static inline functions with function-local statics were copied into every Swift module that
 * inlined a guarded call in an optimised build, each copy with its own state, and a fault then found no jump.
 */

/** Installs the fault handler once per process (idempotent), in front of the one already there (the Swift
 * runtime's backtracer, or the default action): a fault outside a guarded call goes to that one unchanged. */
void clmdb_install_fault_guard(void);

/** Makes `env`'s failed assertions inside a guarded call read as damage (MDB_CORRUPTED, or the write-fault
 * exit for a write) instead of aborting the process; outside one, LMDB reports and aborts as before. */
int clmdb_guard_assertions(MDB_env *env);

/** The most bytes of a chosen write-fault message kept (the rest is cut). */
#define CLMDB_WRITE_FAULT_MESSAGE_CAPACITY 1024

/**
 * Chooses the message (`length` bytes, cut to the capacity) and exit status (74 until chosen, with an empty
 * message) of the end after a write fault. Meant to be called before any write: a fault while it runs may
 * write a mix of the two messages.
 */
void clmdb_set_write_fault_exit(const char *message, size_t length, int status);

/**
 * Chooses the message after a write through an MDB_WRITEMAP environment's map is refused (SIGBUS: a page of the
 * sparse data file that could not be given a block, on a full or failing disk): `prefix`, the environment's
 * path when `names_store` is not 0, then `suffix` (each cut to the capacity), with the status of clmdb_set_write_fault_exit. Until chosen
 * (an empty prefix), such a fault ends the process as any other write fault.
 */
void clmdb_set_map_write_fault_exit(const char *prefix, size_t prefix_length, int names_store,
                                    const char *suffix, size_t suffix_length);

/**
 * Writes every system page of the `length` bytes at `start` (each page's first byte, or the first given, back to
 * itself), under the write guard: for a value reserved (MDB_RESERVE) in an MDB_WRITEMAP environment, whose pages
 * past the first may be holes of the sparse data file, so that a full disk ends the process here, with the
 * message that names it, and not in the caller's fill, outside any guard. Returns MDB_SUCCESS.
 */
int clmdb_guarded_touch(MDB_txn *txn, void *start, size_t length);

/** mdb_get, returning MDB_CORRUPTED instead of faulting on a damaged file. */
int clmdb_guarded_get(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data);

/** mdb_cursor_get, returning MDB_CORRUPTED instead of faulting on a damaged file. */
int clmdb_guarded_cursor_get(MDB_cursor *cursor, MDB_val *key, MDB_val *data, MDB_cursor_op op);

/**
 * mdb_dbi_open: it looks the name up in the main database, walking its pages. Without MDB_CREATE that is a
 * read (a fault returns MDB_CORRUPTED); with it, it may write the new database's record (a fault ends the
 * process, as for mdb_put).
 */
int clmdb_guarded_dbi_open(MDB_txn *txn, const char *name, unsigned int flags, MDB_dbi *dbi);

/** mdb_put, ending the process (the write-fault exit) instead of faulting on a damaged file. */
int clmdb_guarded_put(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data, unsigned int flags);

/** mdb_cursor_put, ending the process (the write-fault exit) instead of faulting on a damaged file. */
int clmdb_guarded_cursor_put(MDB_cursor *cursor, MDB_val *key, MDB_val *data, unsigned int flags);

/** mdb_del, ending the process (the write-fault exit) instead of faulting on a damaged file. */
int clmdb_guarded_del(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data);

/** mdb_cursor_del, ending the process (the write-fault exit) instead of faulting on a damaged file. */
int clmdb_guarded_cursor_del(MDB_cursor *cursor, unsigned int flags);

/** mdb_drop, ending the process (the write-fault exit) instead of faulting on a damaged file. */
int clmdb_guarded_drop(MDB_txn *txn, MDB_dbi dbi, int del);

/**
 * mdb_txn_commit of a write transaction, ending the process instead of faulting on a damaged file: the commit
 * saves the free list, walking pages of the file before it writes any. A fault ends the process before the meta
 * page, which is what makes a commit visible, is written, so nothing of the transaction is committed.
 */
int clmdb_guarded_txn_commit(MDB_txn *txn);

/**
 * mdb_txn_abort, guarded: a write transaction aborted after a read inside it faulted. A read changes nothing
 * of the transaction's state, so the abort is not expected to fault (a faulting write never gets here, see
 * above); if it does all the same, it returns 1 (the transaction is then left as it is: the process is about
 * to report the damage and exit, and LMDB's robust writer lock is released when it does), 0 otherwise.
 */
int clmdb_guarded_txn_abort(MDB_txn *txn);

#endif
