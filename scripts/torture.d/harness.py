"""Shared helpers of scripts/torture and scripts/fuzz: finding the binary, running it, reading a store,
and counting checks. Python 3.11 standard library only."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def find_binary(explicit: str | None) -> str:
    """The `chronicle` binary: --bin, else $CHRONICLE_BIN, else built with `swift build` (debug)."""
    path = explicit or os.environ.get("CHRONICLE_BIN")
    if path:
        if not os.access(path, os.X_OK):
            sys.exit(f"not an executable: {path}")
        return os.path.abspath(path)
    print("== building chronicle (set CHRONICLE_BIN or --bin to skip)", file=sys.stderr, flush=True)
    subprocess.run(["swift", "build", "-q", "--product", "chronicle"], cwd=ROOT, check=True)
    bin_dir = subprocess.run(
        ["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    return os.path.join(bin_dir, "chronicle")


def base_env(now: str | None = None) -> dict[str, str]:
    """A clean environment for the binary: no store or clock leaking in from the caller."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHRONICLE_")}
    env["CHRONICLE_USER"] = "torture"
    if now:
        env["CHRONICLE_NOW"] = now
    return env


@dataclass
class Result:
    args: list
    rc: int
    stdout: bytes
    stderr: bytes
    seconds: float

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", "replace")

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", "replace")

    def brief(self, limit: int = 300) -> str:
        shown = [a if len(a) < 80 else a[:60] + f"…({len(a)} chars)" for a in map(str, self.args[1:])]
        text = f"rc={self.rc} args={shown} stderr={self.err[:limit]!r}"
        if self.stdout:
            text += f" stdout={self.out[:limit]!r}"
        return text


def run(binary: str, args: list, env: dict, input: bytes | None = None, timeout: float = 120) -> Result:
    start = time.monotonic()
    try:
        done = subprocess.run(
            [binary, *args], input=input, capture_output=True, env=env, timeout=timeout,
            stdin=None if input is not None else subprocess.DEVNULL,
        )
        rc, out, err = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as timeout_error:
        rc, out, err = -999, timeout_error.stdout or b"", (timeout_error.stderr or b"") + b" [TIMEOUT]"
    return Result([binary, *args], rc, out, err, time.monotonic() - start)


CRASH_MARKERS = (
    b"Fatal error", b"Stack dump", b"Current stack trace", b"Backtrace", b"backtrace", b"Segmentation fault",
    b"Illegal instruction", b"SIGSEGV", b"SIGBUS", b"SIGILL", b"SIGTRAP", b"Assertion failed", b"Abort",
)


def crash_problem(result: Result) -> str | None:
    """Why `result` looks like a crash (signal, exit >= 128 or 70, a trap's text), or None."""
    if result.rc == -999:
        return "timed out"
    if result.rc < 0:
        return f"killed by signal {-result.rc}"
    if result.rc >= 128:
        return f"exit {result.rc} (a signal)"
    if result.rc == 70:
        return "exit 70 (internal software error)"
    for marker in CRASH_MARKERS:
        if marker in result.stderr:
            return f"stderr shows {marker.decode()!r}"
    return None


def one_line_problem(result: Result) -> str | None:
    """Why stderr is not exactly one non-empty line, or None."""
    text = result.stderr
    if not text.strip():
        return "stderr is empty"
    body = text[:-1] if text.endswith(b"\n") else text
    if b"\n" in body or b"\r" in body:
        lines = body.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        return f"stderr has {lines} lines"
    return None


class Tally:
    """Counts checks; prints each failure (up to a limit) and the final `N passed, N failed` line."""

    def __init__(self, max_printed: int = 40):
        self.passed = 0
        self.failed = 0
        self.max_printed = max_printed
        self.lock = threading.Lock()
        self.printed = 0

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        with self.lock:
            if ok:
                self.passed += 1
            else:
                self.failed += 1
                if self.printed < self.max_printed:
                    print(f"FAIL {what}" + (f": {detail}" if detail else ""), flush=True)
                    self.printed += 1
                elif self.printed == self.max_printed:
                    print("… (further failures not printed)", flush=True)
                    self.printed += 1
        return ok

    def summary(self) -> str:
        return f"{self.passed} passed, {self.failed} failed"


def seeded_uuid(rng) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class Store:
    """One store directory and the binary that reads it."""

    def __init__(self, binary: str, path: str, env: dict):
        self.binary = binary
        self.path = path
        self.env = env

    def run(self, args: list, input: bytes | None = None, timeout: float = 120) -> Result:
        return run(self.binary, [*args, "--store", self.path], self.env, input=input, timeout=timeout)

    def must(self, args: list, input: bytes | None = None) -> Result:
        result = self.run(args, input=input)
        if result.rc != 0:
            raise RuntimeError(f"setup step failed: {result.brief()}")
        return result

    def verify(self) -> tuple[Result, dict | None]:
        """`verify --json`: the result and its parsed report (None when it is not JSON)."""
        result = self.run(["verify", "--json"])
        try:
            return result, json.loads(result.stdout)
        except ValueError:
            return result, None

    def head(self) -> tuple[int, str] | None:
        _, report = self.verify()
        if not report:
            return None
        return report["head"]["seq"], report["head"]["hash"]

    def export(self) -> tuple[Result, list[dict] | None]:
        result = self.run(["export"])
        if result.rc != 0:
            return result, None
        try:
            return result, [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
        except ValueError:
            return result, None


def snapshot_problems(events: list[dict], acked: set[str], batches: list[list[str]] | None) -> list[str]:
    """What is wrong with one reader's view of the log: seq not 1..N, an id twice, an acknowledged id
    missing, a batch partly present."""
    problems = []
    seqs = [event.get("seq") for event in events]
    if seqs != list(range(1, len(events) + 1)):
        first = next((i for i, s in enumerate(seqs) if s != i + 1), None)
        problems.append(f"seq not gapless 1..{len(events)} (first off at position {first}: {seqs[first]})")
    ids = [event.get("id") for event in events]
    present = set(ids)
    if len(present) != len(ids):
        seen, twice = set(), []
        for event_id in ids:
            if event_id in seen:
                twice.append(event_id)
            seen.add(event_id)
        problems.append(f"{len(twice)} ids present more than once, e.g. {twice[0]}")
    missing = acked - present
    if missing:
        problems.append(f"{len(missing)} acknowledged ids missing, e.g. {sorted(missing)[0]}")
    for batch in batches or []:
        count = sum(1 for event_id in batch if event_id in present)
        if 0 < count < len(batch):
            problems.append(f"batch of {len(batch)} partly present ({count}), first id {batch[0]}")
            break
    return problems


def make_private_dir(path: str) -> None:
    os.makedirs(path, mode=0o700, exist_ok=True)


def copy_store(source: str, destination: str) -> None:
    """A file copy of a store that no process is writing (data.mdb only; LMDB makes a new lock file)."""
    make_private_dir(destination)
    shutil.copyfile(os.path.join(source, "data.mdb"), os.path.join(destination, "data.mdb"))
    os.chmod(os.path.join(destination, "data.mdb"), 0o600)


HEX64 = re.compile(r"^[0-9a-f]{64}$")
