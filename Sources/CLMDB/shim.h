#ifndef CLMDB_SHIM_H
#define CLMDB_SHIM_H
#include <lmdb.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

/*
 * Reads that survive a damaged data file.
 *
 * LMDB trusts the pages it walks: a flipped byte in a node offset, a page header or a database record can
 * make mdb_get or mdb_cursor_get follow a pointer outside the map (SIGSEGV) or past the end of the file
 * (SIGBUS). The Swift wrapper checks what these calls return, but not what they touch on the way. So the
 * two read calls run under a guard: a fault inside them jumps back (siglongjmp) and the call returns
 * MDB_CORRUPTED, which the wrapper reports as a damaged store. A read has changed nothing when it faults
 * (a write transaction's own pages are not written by a read), and the transaction is then aborted.
 *
 * The handler is installed once per process, in front of the one already there (the Swift runtime's
 * backtracer, or the default action): a fault outside a guarded call is handed to that one unchanged.
 * sigsetjmp does not save the signal mask (a system call on every read); the handler runs with SA_NODEFER so
 * the faulting signal is not left blocked after the jump.
 *
 * Writes (mdb_put, mdb_cursor_put, mdb_del, mdb_cursor_del, mdb_drop, and the commit of a write transaction)
 * walk the same damaged pages and are guarded too, but a fault inside one does not return: it leaves the write
 * transaction's own state (its dirty pages, its free lists, perhaps the allocator's lock if the fault came inside
 * malloc or free) half updated, so that even aborting the transaction could fault again or wait forever on that
 * lock. The process instead writes a message to standard error and ends at once with _exit, calling nothing
 * that allocates: by default the CLI's message and status 74 (its exit code for a damaged store); a program
 * embedding the library chooses its own with clmdb_set_write_fault_exit. Nothing of the transaction is
 * committed: LMDB writes its dirty pages only on commit, and a commit that faults does so while it saves the
 * free list, before the meta page that makes it visible is written (with pwrite: this holds because the
 * environment is never opened with MDB_WRITEMAP, where dirty pages live in the map itself). LMDB's robust
 * writer lock is released by the kernel when the process ends.
 *
 * Everything here is static and used by the LMDB Swift module only, so there is one copy of the state. The
 * state lives in function-local statics: Swift emits the inline functions of an imported header, not its
 * file-scope static variables.
 */

/** Where a fault in the current thread's guarded call jumps back to (NULL outside one). */
static inline sigjmp_buf **clmdb_fault_jump(void) {
    static _Thread_local sigjmp_buf *jump = NULL;
    return &jump;
}

/** The handler that was installed for `signal_number` (SIGSEGV or SIGBUS) before this one. */
static inline struct sigaction *clmdb_previous_action(int signal_number) {
    static struct sigaction segv;
    static struct sigaction bus;
    return signal_number == SIGBUS ? &bus : &segv;
}

static void clmdb_fault_handler(int signal_number, siginfo_t *info, void *context) {
    (void)context;
    sigjmp_buf *jump = *clmdb_fault_jump();
    /* Only a real fault (si_code > 0: SEGV_MAPERR, BUS_ADRERR, ...) jumps back; a SIGSEGV or SIGBUS sent with
     * kill(2) or raise(3) (si_code <= 0) is not damage and goes to the previous handler below. */
    if (jump != NULL && info != NULL && info->si_code > 0) {
        *clmdb_fault_jump() = NULL;
        siglongjmp(*jump, 1);
    }
    /* Not inside a guarded call: put the previous handler back and return, so that the faulting
     * instruction runs again and faults under it, as if this handler had never been installed. A sent
     * signal does not recur by itself: it is raised again, now under the previous handler. */
    sigaction(signal_number, clmdb_previous_action(signal_number), NULL);
    if (info == NULL || info->si_code <= 0) raise(signal_number);
}

/** Installs the fault handler once (idempotent; called when an environment is opened). */
static inline void clmdb_install_fault_guard(void) {
    static int installed = 0;
    if (__atomic_exchange_n(&installed, 1, __ATOMIC_SEQ_CST)) return;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = clmdb_fault_handler;
    action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, clmdb_previous_action(SIGSEGV));
    sigaction(SIGBUS, &action, clmdb_previous_action(SIGBUS));
}

/** The message written after a write fault unless the embedding program chose another (the CLI's). */
#define CLMDB_DEFAULT_WRITE_FAULT_MESSAGE                                                              \
    "chronicle: error: the store is damaged: LMDB faulted while writing to it; nothing was written " \
    "(run `chronicle verify` for where)\n"

/** The most bytes of a chosen message kept (the rest is cut). */
#define CLMDB_WRITE_FAULT_MESSAGE_CAPACITY 1024

/**
 * How the process ends after a write fault: the message written to standard error, its length and the exit
 * status. A fixed buffer, so that the handler reads it without allocating; set by clmdb_set_write_fault_exit.
 */
struct clmdb_write_fault_exit {
    char message[CLMDB_WRITE_FAULT_MESSAGE_CAPACITY];
    size_t length;
    int status;
};

static inline struct clmdb_write_fault_exit *clmdb_write_fault_end(void) {
    static struct clmdb_write_fault_exit end = {
        CLMDB_DEFAULT_WRITE_FAULT_MESSAGE, sizeof CLMDB_DEFAULT_WRITE_FAULT_MESSAGE - 1, 74};
    return &end;
}

/**
 * Chooses the message (`length` bytes, cut to the capacity) and exit status of the end after a write fault.
 * Meant to be called once, before any write: a fault while it runs may write a mix of the two messages.
 */
static inline void clmdb_set_write_fault_exit(const char *message, size_t length, int status) {
    struct clmdb_write_fault_exit *end = clmdb_write_fault_end();
    if (length > CLMDB_WRITE_FAULT_MESSAGE_CAPACITY) length = CLMDB_WRITE_FAULT_MESSAGE_CAPACITY;
    __atomic_store_n(&end->length, 0, __ATOMIC_SEQ_CST);
    if (length > 0) memcpy(end->message, message, length);
    __atomic_store_n(&end->status, status, __ATOMIC_SEQ_CST);
    __atomic_store_n(&end->length, length, __ATOMIC_SEQ_CST);
}

/**
 * Ends the process after a fault inside an LMDB write, with only async-signal-safe calls: the fault may have
 * come with the allocator's lock held, and the transaction must be neither committed nor aborted. What it
 * writes and the status it exits with are the embedding program's choice (clmdb_set_write_fault_exit); that
 * it ends the process is not.
 */
static inline _Noreturn void clmdb_end_after_write_fault(void) {
    struct clmdb_write_fault_exit *end = clmdb_write_fault_end();
    size_t length = __atomic_load_n(&end->length, __ATOMIC_SEQ_CST);
    ssize_t written = write(STDERR_FILENO, end->message, length);
    (void)written;
    _exit(__atomic_load_n(&end->status, __ATOMIC_SEQ_CST));
}

/*
 * The body of a guarded call: `call` runs with this thread's jump slot pointing here, so a fault inside it
 * returns MDB_CORRUPTED from the enclosing function (after putting the slot back as it was).
 */
#define CLMDB_GUARDED(call) CLMDB_GUARDED_THEN(call, return MDB_CORRUPTED)

/** The body of a guarded write: a fault inside `call` ends the process (see above). */
#define CLMDB_GUARDED_WRITE(call) CLMDB_GUARDED_THEN(call, clmdb_end_after_write_fault())

/** The body of a guarded call that runs `on_fault` (after putting the jump slot back) when `call` faults. */
#define CLMDB_GUARDED_THEN(call, on_fault)              \
    sigjmp_buf here;                                    \
    sigjmp_buf **slot = clmdb_fault_jump();             \
    sigjmp_buf *outer = *slot;                          \
    if (sigsetjmp(here, 0) != 0) {                      \
        *slot = outer;                                  \
        on_fault;                                       \
    }                                                   \
    *slot = &here;                                      \
    int code = (call);                                  \
    *slot = outer;                                      \
    return code

/** mdb_get, returning MDB_CORRUPTED instead of faulting on a damaged file. */
static inline int clmdb_guarded_get(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data) {
    CLMDB_GUARDED(mdb_get(txn, dbi, key, data));
}

/** mdb_cursor_get, returning MDB_CORRUPTED instead of faulting on a damaged file. */
static inline int clmdb_guarded_cursor_get(MDB_cursor *cursor, MDB_val *key, MDB_val *data, MDB_cursor_op op) {
    CLMDB_GUARDED(mdb_cursor_get(cursor, key, data, op));
}

/** mdb_put, ending the process with exit code 74 instead of faulting on a damaged file. */
static inline int clmdb_guarded_put(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data, unsigned int flags) {
    CLMDB_GUARDED_WRITE(mdb_put(txn, dbi, key, data, flags));
}

/** mdb_cursor_put, ending the process with exit code 74 instead of faulting on a damaged file. */
static inline int clmdb_guarded_cursor_put(MDB_cursor *cursor, MDB_val *key, MDB_val *data, unsigned int flags) {
    CLMDB_GUARDED_WRITE(mdb_cursor_put(cursor, key, data, flags));
}

/** mdb_del, ending the process with exit code 74 instead of faulting on a damaged file. */
static inline int clmdb_guarded_del(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data) {
    CLMDB_GUARDED_WRITE(mdb_del(txn, dbi, key, data));
}

/** mdb_cursor_del, ending the process with exit code 74 instead of faulting on a damaged file. */
static inline int clmdb_guarded_cursor_del(MDB_cursor *cursor, unsigned int flags) {
    CLMDB_GUARDED_WRITE(mdb_cursor_del(cursor, flags));
}

/** mdb_drop, ending the process with exit code 74 instead of faulting on a damaged file. */
static inline int clmdb_guarded_drop(MDB_txn *txn, MDB_dbi dbi, int del) {
    CLMDB_GUARDED_WRITE(mdb_drop(txn, dbi, del));
}

/**
 * mdb_txn_commit of a write transaction, ending the process instead of faulting on a damaged file: the commit
 * saves the free list, walking pages of the file before it writes any. A fault ends the process before the meta
 * page, which is what makes a commit visible, is written, so nothing of the transaction is committed.
 */
static inline int clmdb_guarded_txn_commit(MDB_txn *txn) {
    CLMDB_GUARDED_WRITE(mdb_txn_commit(txn));
}

/**
 * mdb_txn_abort, guarded: a write transaction aborted after a read inside it faulted. A read changes nothing
 * of the transaction's state, so the abort is not expected to fault (a faulting write never gets here, see
 * above); if it does all the same, it returns 1 (the transaction is then left as it is: the process is about
 * to report the damage and exit, and LMDB's robust writer lock is released when it does), 0 otherwise.
 */
static inline int clmdb_guarded_txn_abort(MDB_txn *txn) {
    sigjmp_buf here;
    sigjmp_buf **slot = clmdb_fault_jump();
    sigjmp_buf *outer = *slot;
    if (sigsetjmp(here, 0) != 0) {
        *slot = outer;
        return 1;
    }
    *slot = &here;
    mdb_txn_abort(txn);
    *slot = outer;
    return 0;
}

#endif
