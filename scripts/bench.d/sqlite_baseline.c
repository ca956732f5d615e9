/* SQLite baseline for scripts/bench: what a user would pick instead, doing the same work in WAL mode.
 *
 *   sqlite_baseline append DB EXPORT.ndjson   bulk insert of the export lines, durable (synchronous=FULL),
 *                                             10k per transaction, with the same indexes as Chronicle
 *   sqlite_baseline scan DB                   SELECT body ORDER BY seq, touching every byte, finding "type"
 *
 * Prints one line: "events=N seconds=S". */
#include "common.h"

#include <sqlite3.h>

static void exec(sqlite3 *db, const char *sql) {
    char *message = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK) die(sql, message);
}

static sqlite3 *open_db(const char *path) {
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) die("sqlite3_open", sqlite3_errmsg(db));
    exec(db, "PRAGMA journal_mode=WAL");
    exec(db, "PRAGMA synchronous=FULL");
    return db;
}

static int append(const char *path, const char *file) {
    input_t input = read_input(file);
    sqlite3 *db = open_db(path);
    exec(db,
         "CREATE TABLE events (seq INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE, stream TEXT NOT NULL, "
         "version INTEGER NOT NULL, type TEXT NOT NULL, occurred INTEGER NOT NULL, body BLOB NOT NULL);"
         "CREATE UNIQUE INDEX events_stream ON events (stream, version);"
         "CREATE INDEX events_type ON events (type, seq);"
         "CREATE INDEX events_occurred ON events (occurred, seq);");
    sqlite3_stmt *insert;
    if (sqlite3_prepare_v2(db, "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &insert, NULL) != SQLITE_OK)
        die("prepare", sqlite3_errmsg(db));
    double start = now_seconds();
    exec(db, "BEGIN");
    for (size_t i = 0; i < input.count; i++) {
        fields_t fields;
        parse_fields(&input.lines[i], &fields);
        sqlite3_bind_int64(insert, 1, (sqlite3_int64)(i + 1));
        sqlite3_bind_blob(insert, 2, fields.id, 16, SQLITE_STATIC);
        sqlite3_bind_text(insert, 3, fields.stream, (int)fields.stream_length, SQLITE_STATIC);
        sqlite3_bind_int64(insert, 4, (sqlite3_int64)fields.stream_version);
        sqlite3_bind_text(insert, 5, fields.type, (int)fields.type_length, SQLITE_STATIC);
        sqlite3_bind_int64(insert, 6, fields.occurred_key);
        sqlite3_bind_blob(insert, 7, input.lines[i].start, (int)input.lines[i].length, SQLITE_STATIC);
        if (sqlite3_step(insert) != SQLITE_DONE) die("insert", sqlite3_errmsg(db));
        sqlite3_reset(insert);
        if ((i + 1) % 10000 == 0) {
            exec(db, "COMMIT");
            exec(db, "BEGIN");
        }
    }
    exec(db, "COMMIT");
    double seconds = now_seconds() - start;
    sqlite3_finalize(insert);
    sqlite3_close(db);
    printf("events=%zu seconds=%.6f\n", input.count, seconds);
    return 0;
}

static int scan(const char *path) {
    sqlite3 *db = open_db(path);
    sqlite3_stmt *select;
    double start = now_seconds();
    if (sqlite3_prepare_v2(db, "SELECT body FROM events ORDER BY seq", -1, &select, NULL) != SQLITE_OK)
        die("prepare", sqlite3_errmsg(db));
    size_t count = 0, found = 0;
    uint64_t sum = 0;
    int rc;
    while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
        const void *body = sqlite3_column_blob(select, 0);
        int size = sqlite3_column_bytes(select, 0);
        sum += touch(body, (size_t)size, &found);
        count++;
    }
    if (rc != SQLITE_DONE) die("select", sqlite3_errmsg(db));
    sqlite3_finalize(select);
    double seconds = now_seconds() - start;
    sqlite3_close(db);
    if (found != count) die("a record without \"type\"", NULL);
    printf("events=%zu seconds=%.6f checksum=%llu\n", count, seconds, (unsigned long long)sum);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "append") == 0) return append(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "scan") == 0) return scan(argv[2]);
    fprintf(stderr, "usage: sqlite_baseline append DB EXPORT.ndjson | sqlite_baseline scan DB\n");
    return 64;
}
