"""Several writers at once: 4 processes recording into one store for a bounded time, with stale
`--expect-version`s that must be refused with 73 and never written, while readers (`export`, `log --json`,
`verify`) check that every snapshot they see is whole."""

from __future__ import annotations

import json
import os
import threading
import time

from crash import check_store, setup_store
from harness import Tally, snapshot_problems
from workload import DurationStats, History, Registry, Writer


class Reader(threading.Thread):
    def __init__(self, index: int, context, store, registry: Registry, stop: threading.Event):
        super().__init__(daemon=True, name=f"reader-{index}")
        self.index = index
        self.context = context
        self.store = store
        self.registry = registry
        self.stop = stop
        self.snapshots = 0
        self.largest = 0

    def run(self) -> None:
        commands = [["export"], ["log", "--json"], ["verify", "--json"]]
        turn = self.index
        tally: Tally = self.context.tally
        while not self.stop.is_set():
            command = commands[turn % len(commands)]
            turn += 1
            acked, batches, conflicts = self.registry.acked(), self.registry.batch_list(), self.registry.conflicts()
            result = self.store.run(command)
            label = f"reader {self.index} `{' '.join(command)}` snapshot"
            if not tally.check(result.rc == 0, f"{label} exits 0", result.brief()):
                continue
            try:
                if command[0] == "export":
                    events = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
                elif command[0] == "log":
                    events = [row["event"] for row in json.loads(result.stdout)["events"]]
                else:
                    report = json.loads(result.stdout)
                    tally.check(report["sound"] is True, f"{label} is sound", result.brief())
                    continue
            except (ValueError, KeyError) as error:
                tally.check(False, f"{label} parses", f"{error}: {result.brief()}")
                continue
            problems = snapshot_problems(events, acked, batches)
            stored_conflicts = conflicts & {event["id"] for event in events}
            if stored_conflicts:
                problems.append(f"a refused (73) id is stored: {min(stored_conflicts)}")
            tally.check(not problems, f"{label} is whole ({len(events)} events)", "; ".join(problems))
            self.snapshots += 1
            self.largest = max(self.largest, len(events))


def run_concurrency_test(context, seconds: float) -> None:
    print(f"== several writers: 4 writers and 2 readers for {seconds:.0f} s", flush=True)
    tally = context.tally
    started = time.monotonic()
    store = setup_store(context, "concurrency-store", "mc")
    initial = 3
    registry = Registry(os.path.join(context.work_dir, "concurrency-acks"))
    os.makedirs(registry.directory, exist_ok=True)
    stop = threading.Event()
    weights = {"batch": 25, "join": 30, "workshop": 15, "stale-join": 15, "stale-workshop": 15}
    writers = [
        Writer(
            index, context.binary, store.path, context.env,
            History(index, "mc", context.child_rng(), context.work_dir), weights, registry, tally, stop,
            started + seconds, DurationStats(), largest_batch=context.largest_batch)
        for index in range(4)
    ]
    readers = [Reader(index, context, store, registry, stop) for index in range(2)]
    for thread in writers + readers:
        thread.start()
    for writer in writers:
        writer.join(seconds + 120)
    stop.set()
    for reader in readers:
        reader.join(120)
    registry.close()
    events = check_store(store, registry, tally, "several writers, final")
    acked_events = registry.acked_events
    conflicts = sum(writer.conflicts for writer in writers)
    appends = sum(writer.appends for writer in writers)
    if events is not None:
        tally.check(
            len(events) == initial + acked_events,
            "several writers: the log holds exactly the set-up and the acknowledged events",
            f"{len(events)} events, expected {initial} + {acked_events}")
    tally.check(conflicts > 0, "several writers: stale --expect-version appends were refused with 73", "none ran")
    snapshots = sum(reader.snapshots for reader in readers)
    tally.check(snapshots > 0, "several writers: readers checked snapshots while writers ran", "none")
    print(
        f"several writers: {appends} appends acknowledged ({acked_events} events), {conflicts} conflicts refused "
        f"with 73, {snapshots} reader snapshots checked (largest {max(r.largest for r in readers)} events), "
        f"{time.monotonic() - started:.1f} s", flush=True)
