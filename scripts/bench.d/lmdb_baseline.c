/* Raw LMDB baseline for scripts/bench: what the storage itself costs, with Chronicle's indexes.
 *
 *   lmdb_baseline append DIR EXPORT.ndjson   bulk append of the export lines as values, durable, 10k per txn
 *   lmdb_baseline scan DIR                   cursor scan of the events, touching every byte, finding "type"
 *
 * Databases as in Chronicle's on-disk layout: events (u64 seq BE -> line, MDB_APPEND), ids (16-byte id ->
 * seq), streams (stream 0x00 version BE -> seq), types (type 0x00 seq BE -> empty), occurred (day key with
 * the sign bit flipped BE, seq BE -> empty). Prints one line: "events=N seconds=S". */
#include "common.h"

#include <lmdb.h>

#define CHECK(call)                                                  \
    do {                                                             \
        int rc_ = (call);                                            \
        if (rc_ != MDB_SUCCESS) die(#call, mdb_strerror(rc_));       \
    } while (0)

static MDB_env *open_env(const char *dir) {
    MDB_env *env;
    CHECK(mdb_env_create(&env));
    CHECK(mdb_env_set_mapsize(env, (size_t)64 << 30));
    CHECK(mdb_env_set_maxdbs(env, 8));
    CHECK(mdb_env_open(env, dir, 0, 0600));
    return env;
}

static int append(const char *dir, const char *path) {
    input_t input = read_input(path);
    MDB_env *env = open_env(dir);
    MDB_dbi events, ids, streams, types, occurred;
    MDB_txn *txn;
    CHECK(mdb_txn_begin(env, NULL, 0, &txn));
    CHECK(mdb_dbi_open(txn, "events", MDB_CREATE, &events));
    CHECK(mdb_dbi_open(txn, "ids", MDB_CREATE, &ids));
    CHECK(mdb_dbi_open(txn, "streams", MDB_CREATE, &streams));
    CHECK(mdb_dbi_open(txn, "types", MDB_CREATE, &types));
    CHECK(mdb_dbi_open(txn, "occurred", MDB_CREATE, &occurred));
    CHECK(mdb_txn_commit(txn));

    double start = now_seconds();
    uint8_t seq_key[8], stream_key[512], type_key[256], occurred_key[16];
    CHECK(mdb_txn_begin(env, NULL, 0, &txn));
    for (size_t i = 0; i < input.count; i++) {
        uint64_t seq = i + 1;
        fields_t fields;
        parse_fields(&input.lines[i], &fields);
        put_u64_be(seq_key, seq);
        MDB_val key = {8, seq_key}, value = {input.lines[i].length, (void *)input.lines[i].start};
        CHECK(mdb_put(txn, events, &key, &value, MDB_APPEND));

        MDB_val id_key = {16, fields.id}, seq_value = {8, seq_key};
        CHECK(mdb_put(txn, ids, &id_key, &seq_value, MDB_NOOVERWRITE));

        if (fields.stream_length > 400) die("stream too long", NULL);
        memcpy(stream_key, fields.stream, fields.stream_length);
        stream_key[fields.stream_length] = 0;
        put_u64_be(stream_key + fields.stream_length + 1, fields.stream_version);
        MDB_val skey = {fields.stream_length + 9, stream_key};
        CHECK(mdb_put(txn, streams, &skey, &seq_value, 0));

        memcpy(type_key, fields.type, fields.type_length);
        type_key[fields.type_length] = 0;
        put_u64_be(type_key + fields.type_length + 1, seq);
        MDB_val tkey = {fields.type_length + 9, type_key}, empty = {0, NULL};
        CHECK(mdb_put(txn, types, &tkey, &empty, 0));

        put_u64_be(occurred_key, (uint64_t)fields.occurred_key ^ ((uint64_t)1 << 63));
        put_u64_be(occurred_key + 8, seq);
        MDB_val okey = {16, occurred_key};
        CHECK(mdb_put(txn, occurred, &okey, &empty, 0));

        if (seq % 10000 == 0) {
            CHECK(mdb_txn_commit(txn));
            CHECK(mdb_txn_begin(env, NULL, 0, &txn));
        }
    }
    CHECK(mdb_txn_commit(txn));
    double seconds = now_seconds() - start;
    mdb_env_close(env);
    printf("events=%zu seconds=%.6f\n", input.count, seconds);
    return 0;
}

static int scan(const char *dir) {
    MDB_env *env = open_env(dir);
    MDB_txn *txn;
    MDB_dbi events;
    double start = now_seconds();
    CHECK(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn));
    CHECK(mdb_dbi_open(txn, "events", 0, &events));
    MDB_cursor *cursor;
    CHECK(mdb_cursor_open(txn, events, &cursor));
    MDB_val key, value;
    size_t count = 0, found = 0;
    uint64_t sum = 0;
    int rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST);
    while (rc == MDB_SUCCESS) {
        sum += touch(value.mv_data, value.mv_size, &found);
        count++;
        rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT);
    }
    if (rc != MDB_NOTFOUND) die("cursor", mdb_strerror(rc));
    mdb_cursor_close(cursor);
    mdb_txn_abort(txn);
    double seconds = now_seconds() - start;
    mdb_env_close(env);
    if (found != count) die("a record without \"type\"", NULL);
    printf("events=%zu seconds=%.6f checksum=%llu\n", count, seconds, (unsigned long long)sum);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "append") == 0) return append(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "scan") == 0) return scan(argv[2]);
    fprintf(stderr, "usage: lmdb_baseline append DIR EXPORT.ndjson | lmdb_baseline scan DIR\n");
    return 64;
}
