"""scripts/bench --postgresql: Chronicle on PostgreSQL against a plain SQL baseline and against Chronicle on
LMDB, in the same run (issue 15, item 6).

For each N, on a throwaway cluster with fsync on (scripts/pg-cluster --durable), connected as its superuser
(an admin, so CHRONICLE_NOW pins recordedAt as on LMDB):

  * import: one `chronicle import` of the generated history into a freshly `init`ed database (events/s);
  * the plain SQL baseline: the same events (from that store's export) inserted with psql into a table with
    the same columns and indexes (seq, id, stream/version, type, valid time, transaction time), 1,000 rows
    per INSERT and 10,000 per transaction, durable; Chronicle ÷ baseline (target ≥ 0.5); and the same with
    each event's tag rows inserted beside it into a table of (tag, seq) rows (`baseline_with_tags`: format 1's
    tag index, a row per tag; the store now keeps one array per event with a GIN index);
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
        result["baseline"] = bench.attempt(f"postgresql baseline N={n}", self.baseline, n, export, runs, timeout)
        if result["baseline"]:
            ratio = statistics.median([n / x for x in seconds]) / result["baseline"]["events_per_second"]["median"]
            result["import_ratio_to_baseline"] = ratio
        # The store also writes its tag index (6 or 7 tags an event in the generated histories; since format 2
        # an array per event with a GIN index): the same pairs inserted beside the events as a row per tag
        # (format 1's tag index, a B-tree) make the baseline that indexes every tag.
        tags = bench.work / f"pg-tags-{n}.tsv"
        s.run(["psql", stores[0], "-qc", f"\\copy (SELECT seq, t FROM chronicle.event_tags, unnest(tags) t ORDER BY seq, t) TO '{tags}'"],
              timeout=timeout)
        result["baseline_with_tags"] = bench.attempt(
            f"postgresql baseline with tags N={n}", self.baseline, n, export, runs, timeout, tags)
        if result["baseline_with_tags"]:
            ratio = (statistics.median([n / x for x in seconds])
                     / result["baseline_with_tags"]["events_per_second"]["median"])
            result["import_ratio_to_baseline_with_tags"] = ratio
        result["queries"] = bench.attempt(f"postgresql queries N={n}", self.queries, n, history, runs, timeout)
        result["store"] = stores[0]
        return result

    def baseline(self, n, export, runs, timeout, tags=None):
        """Plain SQL inserts of the export's events into an equally indexed table, through psql; with `tags` (a
        file of seq, tag lines), each event's tag rows too, into a table like the store's tag index."""
        import json

        tagged = {}
        if tags:
            with open(tags, encoding="utf-8") as lines:
                for line in lines:
                    seq, tag = line.rstrip("\n").split("\t", 1)
                    tagged.setdefault(int(seq), []).append(tag)
        script = self.bench.work / f"baseline-{n}{'-tags' if tags else ''}.sql"
        with open(export, "rb") as lines, open(script, "w") as out:
            out.write("\\set ON_ERROR_STOP on\n")
            rows = []
            tag_rows = []
            count = 0

            def flush():
                if rows:
                    out.write("INSERT INTO events VALUES\n" + ",\n".join(rows) + ";\n")
                    rows.clear()
                for start in range(0, len(tag_rows), 1_000):
                    out.write("INSERT INTO tags VALUES\n" + ",\n".join(tag_rows[start:start + 1_000]) + ";\n")
                tag_rows.clear()

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
                tag_rows.extend(f"($s${tag}$s$,{event['seq']})" for tag in tagged.get(event["seq"], []))
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
            "CREATE INDEX ON events (recorded_at); "
            "CREATE TABLE tags (tag text COLLATE \"C\", seq bigint, PRIMARY KEY (tag, seq))")
        seconds = []
        for index in range(runs):
            url = self.cluster.create_database(f"baseline_{n}_{index}{'_tags' if tags else ''}")
            self.s.run(["psql", url, "-qc", schema], timeout=120)
            elapsed, _, _ = self.s.run(["psql", url, "-q", "-f", str(script)], timeout=timeout)
            seconds.append(elapsed)
        self.s.log(f"postgresql SQL baseline{' with tags' if tags else ''} N={n}: "
                   f"median {statistics.median(seconds):.1f} s")
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
        out.append(f"N = {n:,}: import {imported or 0:,.0f} ev/s; plain SQL baseline {base or 0:,.0f} ev/s; "
                   f"ratio {ratio if ratio is not None else float('nan'):.2f} (target ≥ 0.5)")
        tagged = (result.get("baseline_with_tags") or {}).get("events_per_second", {}).get("median")
        tagged_ratio = result.get("import_ratio_to_baseline_with_tags")
        out.append(f"  baseline with the tag rows too {tagged or 0:,.0f} ev/s; "
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
