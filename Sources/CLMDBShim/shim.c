/* The guard declared and explained in Sources/CLMDB/shim.h: its one definition in the process. */
#include "../CLMDB/shim.h"

#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>

/** Where a fault in the current thread's guarded call jumps back to (NULL outside one). */
static _Thread_local sigjmp_buf *fault_jump = NULL;

/** The signal of the current thread's last fault inside a guarded call (SIGSEGV or SIGBUS). */
static _Thread_local int fault_signal = 0;

/** The handlers that were installed for SIGSEGV and SIGBUS before this one. */
static struct sigaction previous_segv;
static struct sigaction previous_bus;

static struct sigaction *previous_action(int signal_number) {
    return signal_number == SIGBUS ? &previous_bus : &previous_segv;
}

static void fault_handler(int signal_number, siginfo_t *info, void *context) {
    (void)context;
    sigjmp_buf *jump = fault_jump;
    /* Only a real fault (si_code > 0: SEGV_MAPERR, BUS_ADRERR, ...) jumps back; a SIGSEGV or SIGBUS sent with
     * kill(2) or raise(3) (si_code <= 0) is not damage and goes to the previous handler below. */
    if (jump != NULL && info != NULL && info->si_code > 0) {
        fault_jump = NULL;
        fault_signal = signal_number;
        siglongjmp(*jump, 1);
    }
    /* Not inside a guarded call: put the previous handler back and return, so that the faulting
     * instruction runs again and faults under it, as if this handler had never been installed. A sent
     * signal does not recur by itself: it is raised again, now under the previous handler. */
    sigaction(signal_number, previous_action(signal_number), NULL);
    if (info == NULL || info->si_code <= 0) raise(signal_number);
}

void clmdb_install_fault_guard(void) {
    static int installed = 0;
    if (__atomic_exchange_n(&installed, 1, __ATOMIC_SEQ_CST)) return;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = fault_handler;
    /* sigsetjmp does not save the signal mask (a system call on every read); SA_NODEFER keeps the faulting
     * signal from being left blocked after the jump. */
    action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, &previous_segv);
    sigaction(SIGBUS, &action, &previous_bus);
}

/* LMDB calls this with its message when one of its assertions fails, then prints it and aborts. Inside a
 * guarded call the assertion is damage found on the way, like a fault: jump back instead (this is an ordinary
 * call, not a signal handler, so the jump is as safe as the guarded call's own return). */
static void assertion_handler(MDB_env *env, const char *message) {
    (void)env;
    (void)message;
    sigjmp_buf *jump = fault_jump;
    if (jump != NULL) {
        fault_jump = NULL;
        fault_signal = 0;
        siglongjmp(*jump, 1);
    }
}

int clmdb_guard_assertions(MDB_env *env) { return mdb_env_set_assert(env, assertion_handler); }

/**
 * How the process ends after a write fault: the message written to standard error, its length and the exit
 * status. A fixed buffer, so that the handler reads it without allocating.
 */
static struct {
    char message[CLMDB_WRITE_FAULT_MESSAGE_CAPACITY];
    size_t length;
    int status;
} write_fault_exit = {{0}, 0, 74};

void clmdb_set_write_fault_exit(const char *message, size_t length, int status) {
    if (length > CLMDB_WRITE_FAULT_MESSAGE_CAPACITY) length = CLMDB_WRITE_FAULT_MESSAGE_CAPACITY;
    __atomic_store_n(&write_fault_exit.length, 0, __ATOMIC_SEQ_CST);
    if (length > 0) memcpy(write_fault_exit.message, message, length);
    __atomic_store_n(&write_fault_exit.status, status, __ATOMIC_SEQ_CST);
    __atomic_store_n(&write_fault_exit.length, length, __ATOMIC_SEQ_CST);
}

/**
 * How the process ends after a write through an MDB_WRITEMAP environment's map is refused (SIGBUS): the text
 * written before and after the store's path, and the exit status (that of write_fault_exit).
 */
static struct {
    char prefix[CLMDB_WRITE_FAULT_MESSAGE_CAPACITY];
    size_t prefix_length;
    int names_store;
    char suffix[CLMDB_WRITE_FAULT_MESSAGE_CAPACITY];
    size_t suffix_length;
} map_write_fault_exit = {{0}, 0, 0, {0}, 0};

void clmdb_set_map_write_fault_exit(const char *prefix, size_t prefix_length, int names_store,
                                    const char *suffix, size_t suffix_length) {
    if (prefix_length > CLMDB_WRITE_FAULT_MESSAGE_CAPACITY) prefix_length = CLMDB_WRITE_FAULT_MESSAGE_CAPACITY;
    if (suffix_length > CLMDB_WRITE_FAULT_MESSAGE_CAPACITY) suffix_length = CLMDB_WRITE_FAULT_MESSAGE_CAPACITY;
    __atomic_store_n(&map_write_fault_exit.prefix_length, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&map_write_fault_exit.suffix_length, 0, __ATOMIC_SEQ_CST);
    if (prefix_length > 0) memcpy(map_write_fault_exit.prefix, prefix, prefix_length);
    if (suffix_length > 0) memcpy(map_write_fault_exit.suffix, suffix, suffix_length);
    __atomic_store_n(&map_write_fault_exit.names_store, names_store, __ATOMIC_SEQ_CST);
    __atomic_store_n(&map_write_fault_exit.prefix_length, prefix_length, __ATOMIC_SEQ_CST);
    __atomic_store_n(&map_write_fault_exit.suffix_length, suffix_length, __ATOMIC_SEQ_CST);
}

/** Writes `length` bytes of `text` to standard error, async-signal-safely, ignoring failures. */
static void write_to_standard_error(const char *text, size_t length) {
    ssize_t written = write(STDERR_FILENO, text, length);
    (void)written;
}

/**
 * Ends the process after a fault inside an LMDB write on `env` (NULL when unknown), with only async-signal-safe
 * calls: the fault may have come with the allocator's lock held, and the transaction must be neither committed
 * nor aborted. A SIGBUS under MDB_WRITEMAP is a page of the sparse data file that could not be given a block
 * (a full disk, or one that failed): under MDB_WRITEMAP the file is as long as the map, so it is not a damaged
 * page pointing past its end (that faults with SIGSEGV past the map). The message then says so and names the
 * store (mdb_env_get_path only reads the environment's field).
 */
static _Noreturn void end_after_write_fault(MDB_env *env) {
    unsigned int flags = 0;
    const char *path = NULL;
    size_t prefix_length = __atomic_load_n(&map_write_fault_exit.prefix_length, __ATOMIC_SEQ_CST);
    if (fault_signal == SIGBUS && env != NULL && mdb_env_get_flags(env, &flags) == MDB_SUCCESS &&
        (flags & MDB_WRITEMAP) && prefix_length > 0 && mdb_env_get_path(env, &path) == MDB_SUCCESS &&
        path != NULL) {
        write_to_standard_error(map_write_fault_exit.prefix, prefix_length);
        if (__atomic_load_n(&map_write_fault_exit.names_store, __ATOMIC_SEQ_CST)) write_to_standard_error(path, strlen(path));
        write_to_standard_error(map_write_fault_exit.suffix,
                                __atomic_load_n(&map_write_fault_exit.suffix_length, __ATOMIC_SEQ_CST));
    } else {
        write_to_standard_error(write_fault_exit.message, __atomic_load_n(&write_fault_exit.length, __ATOMIC_SEQ_CST));
    }
    _exit(__atomic_load_n(&write_fault_exit.status, __ATOMIC_SEQ_CST));
}

/*
 * The body of a guarded call: `call` runs with this thread's jump slot pointing here, so a fault inside it
 * runs `on_fault` (after putting the slot back as it was). sigsetjmp is called in the function that makes the
 * call, which is still running when the handler jumps back.
 */
#define GUARDED_THEN(call, on_fault)                    \
    sigjmp_buf here;                                    \
    sigjmp_buf *outer = fault_jump;                     \
    if (sigsetjmp(here, 0) != 0) {                      \
        fault_jump = outer;                             \
        on_fault;                                       \
    }                                                   \
    fault_jump = &here;                                 \
    int code = (call);                                  \
    fault_jump = outer;                                 \
    return code

#define GUARDED(call) GUARDED_THEN(call, return MDB_CORRUPTED)
#define GUARDED_WRITE(env, call) GUARDED_THEN(call, end_after_write_fault(env))

int clmdb_guarded_get(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data) {
    GUARDED(mdb_get(txn, dbi, key, data));
}

int clmdb_guarded_cursor_get(MDB_cursor *cursor, MDB_val *key, MDB_val *data, MDB_cursor_op op) {
    GUARDED(mdb_cursor_get(cursor, key, data, op));
}

int clmdb_guarded_dbi_open(MDB_txn *txn, const char *name, unsigned int flags, MDB_dbi *dbi) {
    if (flags & MDB_CREATE) {
        GUARDED_WRITE(mdb_txn_env(txn), mdb_dbi_open(txn, name, flags, dbi));
    } else {
        GUARDED(mdb_dbi_open(txn, name, flags, dbi));
    }
}

int clmdb_guarded_put(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data, unsigned int flags) {
    GUARDED_WRITE(mdb_txn_env(txn), mdb_put(txn, dbi, key, data, flags));
}

int clmdb_guarded_cursor_put(MDB_cursor *cursor, MDB_val *key, MDB_val *data, unsigned int flags) {
    GUARDED_WRITE(mdb_txn_env(mdb_cursor_txn(cursor)), mdb_cursor_put(cursor, key, data, flags));
}

int clmdb_guarded_del(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data) {
    GUARDED_WRITE(mdb_txn_env(txn), mdb_del(txn, dbi, key, data));
}

int clmdb_guarded_cursor_del(MDB_cursor *cursor, unsigned int flags) {
    GUARDED_WRITE(mdb_txn_env(mdb_cursor_txn(cursor)), mdb_cursor_del(cursor, flags));
}

int clmdb_guarded_drop(MDB_txn *txn, MDB_dbi dbi, int del) { GUARDED_WRITE(mdb_txn_env(txn), mdb_drop(txn, dbi, del)); }

int clmdb_guarded_txn_commit(MDB_txn *txn) {
    /* The environment is read before the commit, which frees the transaction. */
    MDB_env *env = mdb_txn_env(txn);
    GUARDED_WRITE(env, mdb_txn_commit(txn));
}

/** Writes each system page of [start, start + length) once (its own byte back), so that a page of the sparse
 * data file gets its block here, where a refused one ends the process as a guarded write does. */
static int touch_pages(volatile unsigned char *start, size_t length) {
    long page = sysconf(_SC_PAGESIZE);
    size_t step = page > 0 ? (size_t)page : 4096;
    if (length == 0) return MDB_SUCCESS;
    uintptr_t first = (uintptr_t)start;
    for (uintptr_t at = first; at < first + length; at = (at / step + 1) * step) {
        volatile unsigned char *byte = (volatile unsigned char *)at;
        *byte = *byte;
    }
    return MDB_SUCCESS;
}

int clmdb_guarded_touch(MDB_txn *txn, void *start, size_t length) {
    MDB_env *env = mdb_txn_env(txn);
    GUARDED_WRITE(env, touch_pages((volatile unsigned char *)start, length));
}

int clmdb_guarded_txn_abort(MDB_txn *txn) {
    sigjmp_buf here;
    sigjmp_buf *outer = fault_jump;
    if (sigsetjmp(here, 0) != 0) {
        fault_jump = outer;
        return 1;
    }
    fault_jump = &here;
    mdb_txn_abort(txn);
    fault_jump = outer;
    return 0;
}
