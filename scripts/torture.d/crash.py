"""Crash safety: writers appending batches and single records are killed with SIGKILL at random moments;
after every kill the store must verify, hold every acknowledged append, no partial batch, and a gapless seq."""

from __future__ import annotations

import os
import signal
import threading
import time

from harness import Store, Tally, snapshot_problems
from workload import DurationStats, History, Registry, Writer, live_processes


def setup_store(context, name: str, collaborative: str) -> Store:
    store = Store(context.binary, context.location(name), context.env)
    store.must(["init"])
    store.must([
        "record", "collaborative-formed", "--collaborative", collaborative, "--name", f"{name} collaborative",
        "--anchor-organisation", "Torture Council", "--programme-start", "2021-01-01", "--on", "2021-01-01",
    ])
    for member in ("founder-a", "founder-b"):  # the collaborative's stream is then past version 1
        store.must([
            "record", "member-joined", "--collaborative", collaborative, "--member", member, "--sector",
            "programme-staff", "--on", "2021-01-15",
        ])
    return store


def check_store(store: Store, registry: Registry, tally: Tally, label: str) -> list[dict] | None:
    """verify passes; export shows every acknowledged id, no partial batch, seq 1..N, no conflict id."""
    acked = registry.acked()  # read before the store: everything acknowledged by now must be there
    batches = registry.batch_list()
    conflicts = registry.conflicts()
    result, report = store.verify()
    tally.check(
        result.rc == 0 and bool(report) and report.get("sound") is True, f"{label}: verify passes", result.brief())
    result, events = store.export()
    if not tally.check(events is not None, f"{label}: export succeeds", result.brief()):
        return None
    problems = snapshot_problems(events, acked, batches)
    present_conflicts = conflicts & {event["id"] for event in events}
    if present_conflicts:
        problems.append(f"{len(present_conflicts)} ids refused with exit 73 are stored, e.g. {min(present_conflicts)}")
    tally.check(
        not problems, f"{label}: acknowledged appends present, no partial batch, seq gapless ({len(events)} events)",
        "; ".join(problems))
    return events


def next_process(writers: list, timeout: float = 10.0) -> list:
    """Waits for the next append any writer starts and returns it as a kill target."""
    current = {}
    for writer in writers:
        with writer.lock:
            current[writer.index] = writer.live[1] if writer.live else None
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        for writer in writers:
            with writer.lock:
                if writer.live and writer.live[1] is not current[writer.index]:
                    return [(writer, *writer.live)]
        time.sleep(0.0005)
    return []


def run_crash_test(context, kills_wanted: int, seconds: float, kills_per_store: int = 50) -> None:
    """Kills in generations of `kills_per_store`, each against a new store, so that appends (which check
    the rules against the whole log) stay fast and the bound holds."""
    print(f"== crash safety: {kills_wanted} SIGKILLs of 3 writers (bound {seconds:.0f} s)", flush=True)
    started = time.monotonic()
    deadline = started + seconds
    totals = {"kills": 0, "misses": 0, "committed": 0, "lost": 0, "appends": 0, "events": 0}
    moments: list = []  # when each kill landed, as a fraction of that kind of append's usual duration
    generation = 0
    while totals["kills"] < kills_wanted and time.monotonic() < deadline:
        wanted = min(kills_per_store, kills_wanted - totals["kills"])
        result = run_generation(context, generation, wanted, deadline, moments)
        for key, value in result.items():
            totals[key] += value
        print(
            f"   store {generation}: {result['kills']} kills, {result['appends']} appends acknowledged, "
            f"{result['events']} events; {time.monotonic() - started:.0f} s", flush=True)
        generation += 1
    context.tally.check(
        totals["kills"] >= kills_wanted, f"crash: {kills_wanted} kills within {seconds:.0f} s",
        f"only {totals['kills']} kills landed ({totals['misses']} missed)")
    print(
        f"crash: {totals['kills']} kills landed on {generation} stores ({totals['misses']} missed: the process had "
        f"already exited); of the killed appends {totals['committed']} had committed and {totals['lost']} had not; "
        f"{totals['appends']} appends acknowledged; {totals['events']} events; {time.monotonic() - started:.1f} s",
        flush=True)
    bins = [0, 0, 0, 0, 0]
    for fraction in moments:
        bins[min(4, int(fraction * 4))] += 1
    labels = ["<1/4", "1/4-1/2", "1/2-3/4", "3/4-1", ">1"]
    print(
        "crash: kill moments as a fraction of the usual append duration: "
        + ", ".join(f"{label} {count}" for label, count in zip(labels, bins)), flush=True)


def run_generation(context, generation: int, kills_wanted: int, deadline: float, moments: list) -> dict:
    tally, rng = context.tally, context.rng
    store = setup_store(context, f"crash-store-{generation}", "tc")
    registry = Registry(os.path.join(context.work_dir, f"crash-acks-{generation}"))
    os.makedirs(registry.directory, exist_ok=True)
    stop = threading.Event()
    stats = DurationStats()
    weights = {"batch": 45, "join": 30, "workshop": 25}
    writers = [
        Writer(
            index, context.binary, store.path, context.env,
            History(index, "tc", context.child_rng(), context.work_dir), weights, registry, tally, stop,
            deadline + 60, stats, largest_batch=context.largest_batch)
        for index in range(3)
    ]
    for writer in writers:
        writer.start()
    kills = misses = 0
    while kills < kills_wanted and time.monotonic() < deadline:
        if rng.random() < 0.15:
            targets = live_processes(writers)  # everyone at once, wherever each is
        else:
            targets = next_process(writers)  # the next append to start, from its start
        if not targets:
            time.sleep(0.002)
            continue
        # Aim inside the process's expected life (start-up, reads, the write transaction and its fsync, exit);
        # half the kills aim at its last part, where the write transaction is.
        _, _, first_op = targets[0]
        expected = stats.estimate(first_op.kind)
        low = 0.0 if rng.random() < 0.5 else 0.6 * expected
        aim = first_op.started + rng.uniform(low, expected * 1.15)
        time.sleep(max(0.0, aim - time.monotonic()))
        signalled = []
        moment = time.monotonic()
        for _, process, op in targets:
            try:
                process.send_signal(signal.SIGKILL)  # does nothing if the process has been reaped
                signalled.append(op)
            except ProcessLookupError:
                pass
        landed = 0
        for op in signalled:
            op.done.wait(30)
            if op.rc == -9:
                landed += 1
                moments.append((moment - op.started) / max(stats.estimate(op.kind), 1e-3))
            else:
                misses += 1
        if landed == 0:
            misses += len(targets) - len(signalled)
            continue
        kills += landed
        check_store(store, registry, tally, f"store {generation}, after kill {kills}")
    stop.set()
    for writer in writers:
        writer.join(120)
    registry.close()
    events = check_store(store, registry, tally, f"store {generation}, final")
    committed = 0
    if events is not None:
        present = {event["id"] for event in events}
        committed = sum(1 for op in registry.killed if op.ids[0] in present)
    return {
        "kills": kills, "misses": misses, "committed": committed, "lost": len(registry.killed) - committed,
        "appends": sum(writer.appends for writer in writers), "events": len(events or []),
    }
