"""PostgreSQL only: the server crashes (`pg_ctl stop -m immediate`) and restarts, and connections are dropped
(`pg_terminate_backend`), while 3 writers append batches and single records. An append cut off this way must
fail with one line (exit 74) and leave either its whole batch or nothing; every acknowledged append is there
afterwards, the sequence stays gapless and the chain verifies."""

from __future__ import annotations

import os
import threading
import time

from crash import check_store, setup_store
from workload import DurationStats, History, Registry, Writer


class OutageWriter(Writer):
    """A writer for whom an append cut off by the server (exit 74, one line) is an unknown outcome, like a
    SIGKILL: its batch must be wholly present or wholly absent."""

    def finish(self, op) -> None:
        if op.rc == 74:
            text = op.stderr.decode("utf-8", "replace")
            self.tally.check(text.count("\n") == 1, f"writer {self.index}: a cut-off append says one line", repr(text))
            with self.registry.lock:
                self.registry.killed.append(op)
            return
        super().finish(op)


def run_server_crash_test(context, crashes: int, drops: int, seconds: float) -> None:
    cluster = context.cluster
    print(f"== server crashes: {crashes} immediate stops and {drops} dropped-connection rounds under 3 writers",
          flush=True)
    tally, rng = context.tally, context.rng
    started = time.monotonic()
    store = setup_store(context, "server-crash-store", "sc")
    registry = Registry(os.path.join(context.work_dir, "server-crash-acks"))
    os.makedirs(registry.directory, exist_ok=True)
    stop = threading.Event()
    weights = {"batch": 50, "join": 30, "workshop": 20}
    writers = [
        OutageWriter(
            index, context.binary, store.path, context.env,
            History(index, "sc", context.child_rng(), context.work_dir), weights, registry, tally, stop,
            started + seconds + 60, DurationStats(), largest_batch=context.largest_batch)
        for index in range(3)
    ]
    for writer in writers:
        writer.start()
    done_crashes = done_drops = dropped = 0
    deadline = started + seconds
    while (done_crashes < crashes or done_drops < drops) and time.monotonic() < deadline:
        time.sleep(rng.uniform(0.3, 1.5))
        if done_crashes < crashes and (done_drops >= drops or rng.random() < 0.5):
            cluster.crash()
            time.sleep(rng.uniform(0.05, 0.5))
            cluster.restart()
            done_crashes += 1
        else:
            dropped += cluster.drop_connections(store.path)
            done_drops += 1
        check_store(store, registry, tally, f"server crash test, after {done_crashes} crashes and {done_drops} drops")
    stop.set()
    for writer in writers:
        writer.join(120)
    registry.close()
    events = check_store(store, registry, tally, "server crash test, final")
    tally.check(done_crashes >= crashes, f"server crashes: {crashes} crashes within {seconds:.0f} s",
                f"only {done_crashes}")
    appends = sum(writer.appends for writer in writers)
    tally.check(appends > 0, "server crashes: appends were acknowledged between crashes", "none")
    cut = len(registry.killed)
    committed = 0
    if events is not None:
        present = {event["id"] for event in events}
        committed = sum(1 for op in registry.killed if op.ids[0] in present)
    print(
        f"server crashes: {done_crashes} crashes, {done_drops} drop rounds ({dropped} sessions terminated); "
        f"{appends} appends acknowledged; {cut} appends cut off ({committed} had committed); "
        f"{len(events or [])} events; {time.monotonic() - started:.1f} s", flush=True)
