"""The writers of scripts/torture: a valid, evolving history appended by several processes at once.

Each writer owns its slugs (w<N>-m<K> members, w<N>-ws<K> workshops) and gives every event an explicit,
seeded id, so a checker can tell exactly which appends are in the log. Members join in 2021 and workshops
happen in 2022, after every join, so an append never depends on another writer's."""

from __future__ import annotations

import datetime
import json
import os
import random
import subprocess
import threading
import time
from dataclasses import dataclass, field

from harness import Tally, seeded_uuid

SECTORS = ["primary-school", "secondary-school", "health", "social-care", "voluntary-sector", "camhs"]
FORMED = "2021-01-01"


def day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> str:
    return (first + datetime.timedelta(days=rng.randrange((last - first).days + 1))).isoformat()


@dataclass
class Op:
    kind: str
    args: list
    ids: list
    expect: int = 0
    members: list = field(default_factory=list)
    workshop: str | None = None
    rc: int | None = None
    stderr: bytes = b""
    started: float = 0.0
    seconds: float = 0.0
    done: threading.Event = field(default_factory=threading.Event)


class Registry:
    """What every writer intended, had acknowledged (exit 0, logged to an fsynced file), saw refused as a
    conflict, or lost to a kill."""

    def __init__(self, directory: str):
        self.directory = directory
        self.lock = threading.Lock()
        self.batches: list[list[str]] = []
        self.acked_events = 0
        self.conflict_ids: set[str] = set()
        self.killed: list[Op] = []
        self.ack_files: dict[int, object] = {}

    def intend(self, op: Op) -> None:
        if len(op.ids) > 1:
            with self.lock:
                self.batches.append(list(op.ids))

    def acknowledge(self, writer: int, op: Op) -> None:
        with self.lock:
            handle = self.ack_files.get(writer)
            if handle is None:
                handle = open(os.path.join(self.directory, f"acked-{writer}.log"), "a", encoding="utf-8")
                self.ack_files[writer] = handle
            handle.write(" ".join(op.ids) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
            self.acked_events += len(op.ids)

    def acked(self) -> set[str]:
        """Every id acknowledged so far, read back from the fsynced logs."""
        with self.lock:
            ids: set[str] = set()
            for name in os.listdir(self.directory):
                if name.startswith("acked-") and name.endswith(".log"):
                    with open(os.path.join(self.directory, name), encoding="utf-8") as handle:
                        for line in handle:
                            ids.update(line.split())
            return ids

    def batch_list(self) -> list[list[str]]:
        with self.lock:
            return list(self.batches)

    def conflicts(self) -> set[str]:
        with self.lock:
            return set(self.conflict_ids)

    def close(self) -> None:
        with self.lock:
            for handle in self.ack_files.values():
                handle.close()
            self.ack_files.clear()


class History:
    """One writer's share of the history."""

    def __init__(self, writer: int, collaborative: str, rng: random.Random, work_dir: str):
        self.writer = writer
        self.collaborative = collaborative
        self.rng = rng
        self.work_dir = work_dir
        self.counter = 0
        self.members: list[str] = []  # acknowledged: safe to name in later events
        self.workshops: list[str] = []
        self.join_day: dict[str, str] = {}

    def _slug(self, kind: str) -> str:
        self.counter += 1
        return f"w{self.writer}-{kind}{self.counter}"

    def _join_line(self, member: str, event_id: str) -> dict:
        day = day_between(self.rng, datetime.date(2021, 2, 1), datetime.date(2021, 12, 31))
        self.join_day[member] = day
        return {
            "id": event_id, "type": "MemberJoined", "occurredAt": day, "recordedBy": f"writer-{self.writer}",
            "data": {
                "collaborative": self.collaborative, "member": member, "sector": self.rng.choice(SECTORS),
                "name": f"Member {member}",
            },
        }

    def _workshop_day(self) -> str:
        return day_between(self.rng, datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))

    def batch(self, largest: int) -> Op:
        """An import of fresh members' joins and a workshop they (and a few earlier members) attended."""
        count = self.rng.randint(1, largest)
        lines, ids, members = [], [], []
        for _ in range(count):
            member, event_id = self._slug("m"), seeded_uuid(self.rng)
            lines.append(self._join_line(member, event_id))
            ids.append(event_id)
            members.append(member)
        self.rng.shuffle(lines)  # the joins in any order; the workshop comes last
        workshop, event_id = self._slug("ws"), seeded_uuid(self.rng)
        earlier = self.rng.sample(self.members, min(len(self.members), self.rng.randint(0, 3)))
        lines.append({
            "id": event_id, "type": "WorkshopHeld", "occurredAt": self._workshop_day(),
            "data": {
                "workshop": workshop, "collaboratives": [self.collaborative], "kind": "collaborative",
                "mode": self.rng.choice(["online", "in-person"]), "attendees": members + earlier,
                "guests": self.rng.randint(0, 5),
            },
        })
        ids.append(event_id)
        path = os.path.join(self.work_dir, f"batch-w{self.writer}-{self.counter}.ndjson")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("".join(json.dumps(line, sort_keys=True) + "\n" for line in lines))
        return Op("batch", ["import", path], ids, members=members, workshop=workshop)

    def join(self) -> Op:
        member, event_id = self._slug("m"), seeded_uuid(self.rng)
        line = self._join_line(member, event_id)
        data = line["data"]
        args = [
            "record", "member-joined", "--collaborative", self.collaborative, "--member", member, "--sector",
            data["sector"], "--name", data["name"], "--on", line["occurredAt"], "--id", event_id,
        ]
        return Op("join", args, [event_id], members=[member])

    def workshop(self, expect_new_stream: bool) -> Op:
        workshop, event_id = self._slug("ws"), seeded_uuid(self.rng)
        args = [
            "record", "workshop", "--workshop", workshop, "--collaborative", self.collaborative, "--kind",
            "convening", "--mode", "online", "--on", self._workshop_day(), "--id", event_id,
        ]
        for member in self.rng.sample(self.members, min(len(self.members), self.rng.randint(0, 4))):
            args += ["--attendee", member]
        if expect_new_stream:
            args += ["--expect-version", "0"]
        return Op("workshop", args, [event_id], workshop=workshop)

    def stale_join(self) -> Op:
        """A join expecting the collaborative's stream at version 1, long past: must be refused with 73."""
        op = self.join()
        op.kind, op.expect, op.members = "stale-join", 73, []
        op.args += ["--expect-version", "1"]
        return op

    def stale_workshop(self) -> Op:
        """A workshop re-using an acknowledged workshop's slug, expecting its stream not to exist: 73."""
        if not self.workshops:
            return self.stale_join()
        event_id = seeded_uuid(self.rng)
        args = [
            "record", "workshop", "--workshop", self.rng.choice(self.workshops), "--collaborative",
            self.collaborative, "--kind", "convening", "--mode", "online", "--on", self._workshop_day(), "--id",
            event_id, "--expect-version", "0",
        ]
        return Op("stale-workshop", args, [event_id], expect=73)

    def acknowledged(self, op: Op) -> None:
        self.members += op.members
        if op.workshop:
            self.workshops.append(op.workshop)


class DurationStats:
    """A moving average of how long each kind of append takes, to aim kills inside a process's life."""

    def __init__(self):
        self.lock = threading.Lock()
        self.average: dict[str, float] = {}

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            old = self.average.get(kind)
            self.average[kind] = seconds if old is None else old * 0.8 + seconds * 0.2

    def estimate(self, kind: str) -> float:
        with self.lock:
            return self.average.get(kind, 0.1)


class Writer(threading.Thread):
    """Appends operations of `weights` to a store until `stop` is set or `deadline` passes; every
    acknowledged append is logged; any exit other than the expected one, or SIGKILL, is a failure."""

    def __init__(
        self, index: int, binary: str, store: str, env: dict, history: History, weights: dict[str, int],
        registry: Registry, tally: Tally, stop: threading.Event, deadline: float, stats: DurationStats,
        largest_batch: int = 20,
    ):
        super().__init__(daemon=True, name=f"writer-{index}")
        self.index = index
        self.binary = binary
        self.store = store
        self.env = env
        self.history = history
        self.weights = weights
        self.registry = registry
        self.tally = tally
        self.stop = stop
        self.deadline = deadline
        self.stats = stats
        self.largest_batch = largest_batch
        self.lock = threading.Lock()
        self.live: tuple[subprocess.Popen, Op] | None = None
        self.appends = 0
        self.conflicts = 0

    def next_op(self) -> Op:
        kind = self.history.rng.choices(list(self.weights), weights=list(self.weights.values()))[0]
        if kind == "batch":
            return self.history.batch(self.largest_batch)
        if kind == "join":
            return self.history.join()
        if kind == "workshop":
            return self.history.workshop(expect_new_stream=self.history.rng.random() < 0.5)
        if kind == "stale-join":
            return self.history.stale_join()
        if kind == "stale-workshop":
            return self.history.stale_workshop()
        raise ValueError(kind)

    def run(self) -> None:
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            op = self.next_op()
            self.registry.intend(op)
            op.started = time.monotonic()
            process = subprocess.Popen(
                [self.binary, *op.args, "--store", self.store], stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env,
            )
            with self.lock:
                self.live = (process, op)
            _, op.stderr = process.communicate()
            op.seconds = time.monotonic() - op.started
            with self.lock:
                self.live = None
            op.rc = process.returncode
            self.finish(op)
            op.done.set()

    def finish(self, op: Op) -> None:
        if op.rc == -9:
            with self.registry.lock:
                self.registry.killed.append(op)
            return
        if op.rc == 0 and op.expect == 0:
            self.registry.acknowledge(self.index, op)
            self.history.acknowledged(op)
            self.stats.add(op.kind, op.seconds)
            self.appends += 1
            return
        if op.rc == 73 and op.expect == 73:
            with self.registry.lock:
                self.registry.conflict_ids.update(op.ids)
            self.conflicts += 1
            text = op.stderr.decode("utf-8", "replace")
            self.tally.check(
                text.count("\n") == 1 and "conflict" in text, f"writer {self.index}: {op.kind} conflict is one line",
                repr(text))
            return
        self.tally.check(
            False, f"writer {self.index}: {op.kind} exited {op.rc} (expected {op.expect})",
            f"args={op.args} stderr={op.stderr.decode('utf-8', 'replace')[:400]!r}")


def live_processes(writers: list[Writer]) -> list[tuple[Writer, subprocess.Popen, Op]]:
    found = []
    for writer in writers:
        with writer.lock:
            if writer.live:
                found.append((writer, *writer.live))
    return found
