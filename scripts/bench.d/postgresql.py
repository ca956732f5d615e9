"""scripts/bench --postgresql: Chronicle on PostgreSQL against a plain SQL baseline and against Chronicle on
LMDB, in the same run (issue 15, item 6).

For each N, on a throwaway cluster with fsync on (scripts/pg-cluster --durable), connected as its superuser
(an admin, so CHRONICLE_NOW pins recordedAt as on LMDB):

  * import: one `chronicle import` of the generated history into a freshly `init`ed database (events/s);
  * the plain SQL baseline: the same rows the import stored inserted with psql into the very tables a freshly
    `init`ed store has (`chronicle.events` with its 6 indexes, `chronicle.event_tags` with its GIN index: the
    same columns, types and indexes, so "equally indexed" holds by construction), 1,000 events per INSERT
    (each followed by their tag arrays) and 10,000 per transaction, durable; Chronicle ÷ baseline (target
    ≥ 0.5); and `baseline_events_only`, the events alone into a table of the events' columns and indexes
    without the tag index (the baseline of the first runs, which the store's tag index makes unequal);
  * one-collaborative past queries (replay, report attendance, report attrition, audit succession at 10%,
    50%, 90% of the history and at the present) on a store imported in 10 chunks with increasing clocks,
    beside the same queries on the same history in LMDB; PostgreSQL ÷ LMDB (target ≤ 3);
  * on the largest store: `chronicle record` by 1 process, then by 4 concurrent processes, for a bounded time:
    durable appends/s and the wall time of each append, p50/p99.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "torture.d"))

from pg import Cluster  # noqa: E402


class PostgresBench:
    def __init__(self, bench, support):
        """`bench` is scripts/bench's Bench (its CLI, environment and LMDB steps); `support` the bench module
        (run, summary, percentile, day_at, …)."""
        self.bench = bench
        self.s = support
        self.cluster = Cluster(str(bench.work), durable=True)

    def close(self):
        self.cluster.stop()

    def fresh_database(self, name):
        url = self.cluster.create_database(name)
        self.s.run(self.bench.cli("init", "--store", url), env=self.bench.env, timeout=120)
        return url

    def size(self, n):
        s, bench = self.s, self.bench
        runs, timeout = bench.args.runs, bench.args.timeout
        result = {"events": n}
        history = bench.work / f"history-{n}.ndjson"
        collaboratives = max(1, n // s.EVENTS_PER_COLLABORATIVE)
        if not history.exists():
            s.run(bench.cli("generate", "--events", str(n), "--collaboratives", str(collaboratives), "--seed",
                            str(s.SEED), "--out", str(history)), timeout=timeout)
        seconds, stores = [], []
        for index in range(runs):
            url = self.fresh_database(f"import_{n}_{index}")
            elapsed, _, _ = s.run(bench.cli("import", "--store", url, str(history)), env=bench.env, timeout=timeout)
            seconds.append(elapsed)
            stores.append(url)
        result["import"] = {"seconds": s.summary(seconds), "events_per_second": s.summary([n / x for x in seconds])}
        s.log(f"postgresql import N={n}: median {statistics.median(seconds):.1f} s")
        export = bench.work / f"pg-export-{n}.ndjson"
        s.run(bench.cli("export", "--store", stores[0], str(export)), env=bench.env, timeout=timeout)
        rate = statistics.median([n / x for x in seconds])
        result["baseline"] = bench.attempt(
            f"postgresql baseline N={n}", self.baseline, n, stores[0], runs, timeout)
        if result["baseline"]:
            result["import_ratio_to_baseline"] = rate / result["baseline"]["events_per_second"]["median"]
        result["baseline_events_only"] = bench.attempt(
            f"postgresql baseline, events only, N={n}", self.baseline_events_only, n, export, runs, timeout)
        if result["baseline_events_only"]:
            result["import_ratio_to_baseline_events_only"] = (
                rate / result["baseline_events_only"]["events_per_second"]["median"])
        result["queries"] = bench.attempt(f"postgresql queries N={n}", self.queries, n, history, runs, timeout)
        result["store"] = stores[0]
        return result

    def baseline(self, n, store, runs, timeout):
        """Plain SQL inserts, through psql, of the rows `store` (an imported store) holds in `chronicle.events`
        and `chronicle.event_tags` into the same tables of a freshly `init`ed database: the store's own columns,
        types and indexes. The statements are written by the server from the stored rows (`format` with %L
        quotes every value as a literal)."""
        script = self.bench.work / f"baseline-{n}.sql"
        groups = ("SELECT (seq - 1) / 1000 AS g, string_agg(format('(%s,%L,%L,%s,%L,%s,%s,%s,%s,%s,%L,%L,%L)', "
                  "seq, id, stream, stream_version, type, schema_version, occurred_kind, occurred_value, "
                  "occurred_sort, recorded_at, recorded_by, payload, hash), ',' ORDER BY seq) AS events "
                  "FROM chronicle.events GROUP BY 1")
        tags = ("SELECT (seq - 1) / 1000 AS g, string_agg(format('(%s,%L)', seq, tags), ',' ORDER BY seq) AS tags "
                "FROM chronicle.event_tags GROUP BY 1")
        # The tag index is kept as the store keeps it: a 64 MB pending list (the store's append_events sets
        # it for its call) merged by gin_clean_pending_list once a transaction (the store: once a call of
        # 10,000 events), rather than whenever the default 4 MB list fills.
        merge = "SELECT gin_clean_pending_list(''chronicle.event_tags_tags''::regclass) \\\\g /dev/null"
        sql = (f"SELECT 'INSERT INTO chronicle.events VALUES ' || e.events || ';' "
               f"|| coalesce(E'\\nINSERT INTO chronicle.event_tags VALUES ' || t.tags || ';', '') "
               f"|| CASE WHEN e.g % 10 = 9 THEN E'\\n{merge}\\nCOMMIT;\\nBEGIN;' ELSE '' END "
               f"FROM ({groups}) e LEFT JOIN ({tags}) t USING (g) ORDER BY e.g")
        with open(script, "w") as out:
            out.write("\\set ON_ERROR_STOP on\nSET gin_pending_list_limit = '64MB';\nBEGIN;\n")
            out.flush()
            subprocess.run(["psql", store, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql], stdout=out, check=True,
                           timeout=timeout)
            out.write("SELECT gin_clean_pending_list('chronicle.event_tags_tags'::regclass) \\g /dev/null\nCOMMIT;\n")
        seconds = []
        for index in range(runs):
            url = self.fresh_database(f"baseline_{n}_{index}")
            elapsed, _, _ = self.s.run(["psql", url, "-q", "-f", str(script)], timeout=timeout)
            seconds.append(elapsed)
        self.s.log(f"postgresql SQL baseline N={n}: median {statistics.median(seconds):.1f} s")
        return {"seconds": self.s.summary(seconds), "events_per_second": self.s.summary([n / x for x in seconds])}

    def baseline_events_only(self, n, export, runs, timeout):
        """Plain SQL inserts of the export's events into a table of the events' columns and indexes, without
        the tag index, through psql (the baseline of the first runs)."""
        import json

        script = self.bench.work / f"baseline-events-only-{n}.sql"
        with open(export, "rb") as lines, open(script, "w") as out:
            out.write("\\set ON_ERROR_STOP on\n")
            rows = []
            count = 0

            def flush():
                if rows:
                    out.write("INSERT INTO events VALUES\n" + ",\n".join(rows) + ";\n")
                    rows.clear()

            out.write("BEGIN;\n")
            for raw in lines:
                if not raw.strip():
                    continue
                event = json.loads(raw)
                payload = json.dumps(event.get("payload", {}), separators=(",", ":")).encode().hex()
                occurred = event["occurredAt"].replace("'", "")
                rows.append(
                    f"({event['seq']},'{event['id']}',$s${event['stream']}$s$,{event['streamVersion']},"
                    f"$s${event['type']}$s$,'{occurred}','{event['recordedAt']}',$s${event['recordedBy']}$s$,"
                    f"'\\x{payload}','\\x{event['hash']}')")
                count += 1
                if count % 1_000 == 0:
                    flush()
                if count % 10_000 == 0:
                    out.write("COMMIT;\nBEGIN;\n")
            flush()
            out.write("COMMIT;\n")
        schema = (
            "CREATE TABLE events (seq bigint PRIMARY KEY, id uuid UNIQUE NOT NULL, stream text NOT NULL, "
            "stream_version bigint NOT NULL, type text NOT NULL, occurred_at text NOT NULL, recorded_at text NOT NULL, "
            "recorded_by text NOT NULL, payload bytea NOT NULL, hash bytea NOT NULL, UNIQUE (stream, stream_version)); "
            "CREATE INDEX ON events (type, seq); CREATE INDEX ON events (occurred_at, seq); "
            "CREATE INDEX ON events (recorded_at)")
        seconds = []
        for index in range(runs):
            url = self.cluster.create_database(f"baseline_events_only_{n}_{index}")
            self.s.run(["psql", url, "-qc", schema], timeout=120)
            elapsed, _, _ = self.s.run(["psql", url, "-q", "-f", str(script)], timeout=timeout)
            seconds.append(elapsed)
        self.s.log(f"postgresql SQL baseline, events only, N={n}: median {statistics.median(seconds):.1f} s")
        return {"seconds": self.s.summary(seconds), "events_per_second": self.s.summary([n / x for x in seconds])}

    def queries(self, n, history, runs, timeout):
        """The one-collaborative past queries on PostgreSQL and on LMDB, on the same history imported in 10
        chunks with the same clocks."""
        s, bench = self.s, self.bench
        url = self.fresh_database(f"chunked_{n}")
        lines = history.read_bytes().splitlines(keepends=True)
        size = -(-len(lines) // s.CHUNKS)
        times = []
        for index in range(s.CHUNKS):
            part = bench.work / "pg-chunk.ndjson"
            part.write_bytes(b"".join(lines[index * size:(index + 1) * size]))
            now = f"2025-09-01T11:{index + 1:02d}:00Z"
            s.run(bench.cli("import", "--store", url, str(part)), env=bench.env_at(now), timeout=timeout)
            times.append(now)
        lmdb = bench.work / f"pg-compare-lmdb-{n}"
        bench.chunked_store(lmdb, history, s.CHUNKS, timeout)
        points = {
            "10%": (s.day_at(0.1), times[0]), "50%": (s.day_at(0.5), times[4]), "90%": (s.day_at(0.9), times[8]),
            "present": (None, None)}
        commands = {
            "replay": ["replay"], "report attendance": ["report", "attendance"],
            "report attrition": ["report", "attrition"], "audit succession": ["audit", "succession"]}
        results = {}
        for name, command in commands.items():
            results[name] = {}
            for point, (as_of, known_at) in points.items():
                figures = {}
                for backend, location in (("postgresql", url), ("lmdb", str(lmdb))):
                    arguments = [*command, "--store", location, "--collaborative", s.COLLABORATIVE]
                    if as_of:
                        arguments += ["--as-of", as_of, "--known-at", known_at]
                    elapsed, _ = bench.repeat(f"{backend} {name} at {point}", runs, bench.cli(*arguments),
                                              timeout=timeout)
                    figures[backend] = s.summary(elapsed)
                figures["ratio"] = figures["postgresql"]["median"] / figures["lmdb"]["median"]
                results[name][point] = figures
        return results

    def recorders(self, url, processes, seconds):
        """`processes` concurrent loops of `chronicle record member-joined` for `seconds`: appends/s and each
        append's wall time."""
        s, bench = self.s, self.bench
        env = bench.env_at(s.RECORD_NOW)
        latencies, failures = [], []
        lock = threading.Lock()
        deadline = time.monotonic() + seconds

        def loop(worker):
            index = 0
            while time.monotonic() < deadline:
                index += 1
                try:
                    elapsed, _, _ = s.run(bench.cli(
                        "record", "member-joined", "--store", url, "--collaborative", s.COLLABORATIVE, "--member",
                        f"pg-bench-{processes}-{worker}-{index}", "--sector", "health", "--on", "2025-09-01"),
                        env=env, timeout=120)
                    with lock:
                        latencies.append(elapsed)
                except s.StepFailed as failure:
                    with lock:
                        failures.append(str(failure))

        started = time.monotonic()
        threads = [threading.Thread(target=loop, args=(worker,)) for worker in range(processes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        if failures:
            raise s.StepFailed(f"{len(failures)} records failed, e.g. {failures[0]}")
        s.log(f"postgresql record × {processes}: {len(latencies) / wall:.1f} appends/s, "
              f"p50 {s.percentile(latencies, 0.5) * 1000:.0f} ms")
        return {"processes": processes, "appends": len(latencies), "seconds": wall,
                "appends_per_second": len(latencies) / wall,
                "p50_ms": s.percentile(latencies, 0.5) * 1000, "p99_ms": s.percentile(latencies, 0.99) * 1000}


def report(results, concurrency):
    out = ["", "Chronicle on PostgreSQL (durable cluster on this machine, superuser connection over loopback)", ""]
    for n, result in results.items():
        imported = result.get("import", {}).get("events_per_second", {}).get("median")
        base = (result.get("baseline") or {}).get("events_per_second", {}).get("median")
        ratio = result.get("import_ratio_to_baseline")
        out.append(f"N = {n:,}: import {imported or 0:,.0f} ev/s; plain SQL baseline (the store's own tables and "
                   f"indexes) {base or 0:,.0f} ev/s; "
                   f"ratio {ratio if ratio is not None else float('nan'):.2f} (target ≥ 0.5)")
        tagged = (result.get("baseline_events_only") or {}).get("events_per_second", {}).get("median")
        tagged_ratio = result.get("import_ratio_to_baseline_events_only")
        out.append(f"  baseline of the events alone (no tag index) {tagged or 0:,.0f} ev/s; "
                   f"ratio {tagged_ratio if tagged_ratio is not None else float('nan'):.2f}")
        queries = result.get("queries") or {}
        worst = None
        for name, points in queries.items():
            cells = []
            for point, figures in points.items():
                cells.append(f"{point} {figures['postgresql']['median'] * 1000:.0f}/"
                             f"{figures['lmdb']['median'] * 1000:.0f} ms ({figures['ratio']:.2f}×)")
                worst = max(worst or 0, figures["ratio"])
            out.append(f"  {name:<18} PostgreSQL/LMDB: " + ", ".join(cells))
        if worst is not None:
            out.append(f"  worst query ratio PostgreSQL ÷ LMDB {worst:.2f} (target ≤ 3)")
    for figures in concurrency or []:
        out.append(f"record × {figures['processes']}: {figures['appends_per_second']:.1f} durable appends/s, "
                   f"p50 {figures['p50_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms ({figures['appends']} appends)")
    return "\n".join(out)


def run_postgresql(bench, support, sizes):
    """Runs every PostgreSQL figure for `sizes`; returns (results, concurrency, table)."""
    pg = PostgresBench(bench, support)
    try:
        results = {}
        for n in sizes:
            results[n] = pg.size(n)
        concurrency = []
        largest = results.get(sizes[-1], {}).get("store")
        if largest:
            seconds = 10 if bench.args.tiny else 60
            for processes in (1, 4):
                figures = bench.attempt(f"postgresql record × {processes}", pg.recorders, largest, processes, seconds)
                if figures:
                    concurrency.append(figures)
        for result in results.values():
            result.pop("store", None)
        return results, concurrency, report(results, concurrency)
    finally:
        pg.close()
