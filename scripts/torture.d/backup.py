"""Backup and restore while writers run, their refusals, and a truncated data file."""

from __future__ import annotations

import os
import re
import shutil
import stat
import threading
import time

from crash import setup_store
from harness import Store, Tally, copy_store, crash_problem, one_line_problem, snapshot_problems
from workload import DurationStats, History, Registry, Writer

BACKED_UP = re.compile(r"^backed up (\d+) events to (.+), head seq (\d+) hash ([0-9a-f]{64})$")
RESTORED = re.compile(r"^restored (\d+) events from (.+) into (.+), head seq (\d+) hash ([0-9a-f]{64})$")


def mode(path: str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def check_modes(tally: Tally, directory: str, label: str) -> None:
    problems = []
    if mode(directory) != 0o700:
        problems.append(f"directory {oct(mode(directory))}")
    for name in os.listdir(directory):
        if mode(os.path.join(directory, name)) != 0o600:
            problems.append(f"{name} {oct(mode(os.path.join(directory, name)))}")
    tally.check(not problems, f"{label}: directory 0700, files 0600", ", ".join(problems))


def check_refusal(tally: Tally, result, codes: tuple, label: str, mentioning: tuple = ()) -> None:
    problems = []
    if result.rc not in codes:
        problems.append(f"exit {result.rc}, expected {codes}")
    for problem in (crash_problem(result), one_line_problem(result)):
        if problem:
            problems.append(problem)
    for fragment in mentioning:
        if fragment not in result.err:
            problems.append(f"stderr lacks {fragment!r}")
    tally.check(not problems, label, "; ".join(problems) + " — " + result.brief())


def run_backup_test(context, backups: int, seconds: float) -> None:
    print(f"== backup and restore: {backups} backups while 2 writers run", flush=True)
    tally, work = context.tally, context.work_dir
    started = time.monotonic()
    store = setup_store(context, "backup-store", "bc")
    registry = Registry(os.path.join(work, "backup-acks"))
    os.makedirs(registry.directory, exist_ok=True)
    stop = threading.Event()
    writers = [
        Writer(
            index, context.binary, store.path, context.env,
            History(index, "bc", context.child_rng(), work), {"batch": 50, "join": 30, "workshop": 20}, registry,
            tally, stop, started + seconds + 120, DurationStats(), largest_batch=context.largest_batch)
        for index in range(2)
    ]
    for writer in writers:
        writer.start()
    time.sleep(min(2.0, seconds / 4))
    taken = []  # (directory, events, acked before, batches)
    pause = max(0.05, seconds / max(1, backups) / 2)
    for number in range(backups):
        destination = os.path.join(work, f"backup-{number}")
        acked, batches = registry.acked(), registry.batch_list()
        if number % 3 == 2:
            os.mkdir(destination, 0o755)  # an existing, empty directory is accepted too
        result = store.run(["backup", destination])
        match = BACKED_UP.match(result.out.strip())
        if tally.check(
            result.rc == 0 and match is not None and match.group(2) == destination,
            f"backup {number} while writers run", result.brief()):
            taken.append((destination, int(match.group(1)), int(match.group(3)), match.group(4), acked, batches))
        time.sleep(pause)
    stop.set()
    for writer in writers:
        writer.join(120)
    registry.close()
    source_size = os.path.getsize(os.path.join(store.path, "data.mdb"))

    exports = {}
    for destination, count, seq, hash_hex, acked, batches in taken:
        label = f"backup {os.path.basename(destination)}"
        copy = Store(context.binary, destination, context.env)
        result, report = copy.verify()
        tally.check(
            result.rc == 0 and bool(report) and report["sound"] and report["head"]["seq"] == seq
            and report["head"]["hash"] == hash_hex and report["events"] == count,
            f"{label}: verifies, with the head it reported", result.brief())
        result, events = copy.export()
        if tally.check(events is not None, f"{label}: exports", result.brief()):
            problems = snapshot_problems(events, acked, batches)
            tally.check(
                not problems and len(events) == count,
                f"{label}: holds every append acknowledged before it, no partial batch ({count} events)",
                "; ".join(problems) or f"{len(events)} events, reported {count}")
            exports[destination] = result.stdout
        check_modes(tally, destination, label)
        size = os.path.getsize(os.path.join(destination, "data.mdb"))
        tally.check(size <= source_size, f"{label}: compacted ({size} <= {source_size} bytes)")

    if not taken:
        return
    first, last = taken[0][0], taken[-1][0]
    _check_restores(context, first, last, exports)
    _check_backup_refusals(context, store, last)
    _check_truncation(context, last)
    print(f"backup and restore: {len(taken)} backups checked, {time.monotonic() - started:.1f} s", flush=True)


def _check_restores(context, first: str, last: str, exports: dict) -> None:
    tally, work = context.tally, context.work_dir
    targets = {
        "a new directory": os.path.join(work, "restored-new"),
        "an empty directory": os.path.join(work, "restored-empty-dir"),
        "an empty store": os.path.join(work, "restored-empty-store"),
    }
    os.mkdir(targets["an empty directory"], 0o755)
    Store(context.binary, targets["an empty store"], context.env).must(["init"])
    for index, (kind, target) in enumerate(targets.items()):
        backup = last if index % 2 == 0 else first
        target_store = Store(context.binary, target, context.env)
        result = target_store.run(["restore", backup])
        match = RESTORED.match(result.out.strip())
        tally.check(result.rc == 0 and match is not None, f"restore into {kind}", result.brief())
        result, report = target_store.verify()
        tally.check(result.rc == 0 and bool(report) and report["sound"], f"restored {kind}: verifies", result.brief())
        exported = target_store.run(["export"])
        tally.check(
            exported.rc == 0 and backup in exports and exported.stdout == exports[backup],
            f"restored {kind}: its export is the backup's, byte for byte", exported.brief(100))
        check_modes(tally, target, f"restored {kind}")
        leftovers = [name for name in os.listdir(work) if ".restoring-" in name]
        tally.check(not leftovers, f"restore into {kind} leaves no staging directory", str(leftovers))

    full = Store(context.binary, targets["a new directory"], context.env)
    head_before = full.head()
    result = full.run(["restore", first])
    check_refusal(tally, result, (64,), "restore into a store that is not empty is refused with 64", ("not empty",))
    tally.check(full.head() == head_before, "a refused restore leaves the target store as it was")

    missing = os.path.join(work, "no-such-backup")
    result = Store(context.binary, os.path.join(work, "restored-from-missing"), context.env).run(["restore", missing])
    check_refusal(tally, result, (66,), "restore from a missing backup is refused with 66", (missing,))

    # A payload byte changed underneath: LMDB reads it happily, the hash chain does not.
    tampered = os.path.join(work, "backup-tampered")
    copy_store(last, tampered)
    data_path = os.path.join(tampered, "data.mdb")
    with open(data_path, "r+b") as handle:
        data = handle.read()
        # The event's payload is the binary layout (README "Stored payload"): its text is a varint of the
        # UTF-8 length + 1 and the bytes. The same text may also sit in the checkpoint, with a u32 length.
        text = b"Torture Council"
        needle = bytes([len(text) + 1]) + text
        offset = data.find(needle)
        if tally.check(offset >= 0, "the tampering test finds the first event's payload"):
            handle.seek(offset + 1)
            handle.write(b"t")
    target = os.path.join(work, "restored-from-tampered")
    result = Store(context.binary, target, context.env).run(["restore", tampered])
    check_refusal(
        tally, result, (74,), "restore of a tampered backup is refused with 74, naming the fault",
        ("does not verify", "seq 1", "hash mismatch"))
    tally.check(not os.path.exists(target), "a refused restore creates no target")


def _check_backup_refusals(context, store: Store, last: str) -> None:
    tally, work = context.tally, context.work_dir
    not_empty = os.path.join(work, "backup-into-not-empty")
    os.mkdir(not_empty)
    with open(os.path.join(not_empty, "keep.txt"), "w") as handle:
        handle.write("precious\n")
    result = store.run(["backup", not_empty])
    check_refusal(tally, result, (64,), "backup into a directory that is not empty is refused with 64", ("not empty",))
    tally.check(os.listdir(not_empty) == ["keep.txt"], "a refused backup leaves the directory as it was")

    a_file = os.path.join(work, "backup-onto-a-file")
    with open(a_file, "w") as handle:
        handle.write("x\n")
    result = store.run(["backup", a_file])
    check_refusal(tally, result, (64,), "backup onto a file is refused with 64", ("not a directory",))

    result = store.run(["backup", last])
    check_refusal(tally, result, (64,), "backup over an earlier backup is refused with 64")

    missing = Store(context.binary, os.path.join(work, "no-such-store"), context.env)
    result = missing.run(["backup", os.path.join(work, "backup-of-missing")])
    check_refusal(tally, result, (66,), "backup of a missing store is refused with 66")

    for command in (["backup", "--help"], ["restore", "--help"]):
        result = store.run(command)
        text = result.out
        tally.check(
            result.rc == 0 and "Example" in text and "USAGE:" in text and text.index("Example") < text.index("USAGE:")
            and f"chronicle {command[0]}" in text,
            f"`{command[0]} --help` leads with an example", result.brief(100))


def _check_truncation(context, source: str) -> None:
    """A truncated data.mdb: verify (and export) must fail with one clear line, never crash."""
    tally, work = context.tally, context.work_dir
    size = os.path.getsize(os.path.join(source, "data.mdb"))
    page = 4096
    cuts = {
        "to nothing": 0, "to 100 bytes": 100, "to one page": page, "to the two meta pages": 2 * page,
        "to half": (size // 2) // page * page + 123, "by one page": size - page, "by one byte": size - 1,
    }
    print(f"   truncating a {size}-byte data.mdb ({size // page} pages)", flush=True)
    for name, length in cuts.items():
        if length >= size or length < 0:
            continue
        directory = os.path.join(work, f"truncated-{length}")
        copy_store(source, directory)
        os.truncate(os.path.join(directory, "data.mdb"), length)
        truncated = Store(context.binary, directory, context.env)
        for command in (["verify"], ["export"]):
            result = truncated.run(command)
            problems = []
            if result.rc == 0:
                problems.append("exit 0")
            for problem in (crash_problem(result), one_line_problem(result)):
                if problem:
                    problems.append(problem)
            tally.check(
                not problems, f"`{command[0]}` of a data.mdb truncated {name} ({length} bytes) fails with one line",
                "; ".join(problems) + " — " + result.brief())
    shutil.rmtree(os.path.join(work, "truncated-0"), ignore_errors=True)
