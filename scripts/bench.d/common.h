/* Shared helpers of the storage baselines: read an NDJSON export, pull out the few fields the indexes need
 * (a minimal parse, no JSON library), time things. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const char *start;
    size_t length;
} line_t;

typedef struct {
    char *data;
    size_t size;
    line_t *lines;
    size_t count;
} input_t;

/* The fields of one export line that the indexes use. */
typedef struct {
    uint8_t id[16];
    const char *type;
    size_t type_length;
    const char *stream;
    size_t stream_length;
    uint64_t stream_version;
    int64_t occurred_key; /* µs since the epoch of the day's UTC midnight (or of the instant's day) */
} fields_t;

static inline double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void die(const char *what, const char *detail) {
    fprintf(stderr, "error: %s: %s\n", what, detail ? detail : "");
    exit(1);
}

/* Reads the whole file and splits it into lines (without their newline). */
static inline input_t read_input(const char *path) {
    input_t input = {0};
    FILE *file = fopen(path, "rb");
    if (!file) die("cannot open", path);
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    input.data = malloc((size_t)size + 1);
    if (!input.data) die("out of memory", path);
    if (fread(input.data, 1, (size_t)size, file) != (size_t)size) die("cannot read", path);
    fclose(file);
    input.size = (size_t)size;
    size_t capacity = 1024;
    input.lines = malloc(capacity * sizeof(line_t));
    const char *cursor = input.data, *end = input.data + input.size;
    while (cursor < end) {
        const char *newline = memchr(cursor, '\n', (size_t)(end - cursor));
        const char *stop = newline ? newline : end;
        if (stop > cursor) {
            if (input.count == capacity) {
                capacity *= 2;
                input.lines = realloc(input.lines, capacity * sizeof(line_t));
            }
            input.lines[input.count++] = (line_t){cursor, (size_t)(stop - cursor)};
        }
        cursor = stop + 1;
    }
    return input;
}

/* The string value of "key":"…" in the line (no escapes expected in these fields). */
static inline const char *string_field(const line_t *line, const char *key, size_t *length) {
    const char *found = memmem(line->start, line->length, key, strlen(key));
    if (!found) return NULL;
    const char *value = found + strlen(key);
    const char *close = memchr(value, '"', (size_t)(line->start + line->length - value));
    if (!close) return NULL;
    *length = (size_t)(close - value);
    return value;
}

static inline int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
}

static inline int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static inline void parse_fields(const line_t *line, fields_t *fields) {
    size_t length;
    const char *id = string_field(line, "\"id\":\"", &length);
    if (!id || length != 36) die("line without an id", NULL);
    for (int i = 0, j = 0; i < 36 && j < 16; i++) {
        if (id[i] == '-') continue;
        fields->id[j++] = (uint8_t)(hex(id[i]) << 4 | hex(id[i + 1]));
        i++;
    }
    fields->type = string_field(line, "\"type\":\"", &fields->type_length);
    fields->stream = string_field(line, "\"stream\":\"", &fields->stream_length);
    if (!fields->type || !fields->stream) die("line without type or stream", NULL);
    const char *version = memmem(line->start, line->length, "\"streamVersion\":", 16);
    fields->stream_version = version ? strtoull(version + 16, NULL, 10) : 0;
    const char *day = string_field(line, "\"occurredAt\":\"", &length);
    if (!day || length < 10) die("line without occurredAt", NULL);
    int64_t days = days_from_civil(atoi(day), (unsigned)atoi(day + 5), (unsigned)atoi(day + 8));
    fields->occurred_key = days * 86400000000LL;
}

static inline void put_u64_be(uint8_t *out, uint64_t value) {
    for (int i = 7; i >= 0; i--) {
        out[i] = (uint8_t)(value & 0xFF);
        value >>= 8;
    }
}

/* Touches every byte of a record and finds "type", as a minimal parse would; returns a checksum. */
static inline uint64_t touch(const void *data, size_t size, size_t *found) {
    const uint8_t *bytes = data;
    uint64_t sum = 0;
    for (size_t i = 0; i < size; i++) sum += bytes[i];
    if (memmem(data, size, "\"type\"", 6)) (*found)++;
    return sum;
}

#endif
