"""Damaged stores (issue 16, item 8): flip bytes in copies of a store and run every kind of command on each.

A small store is built once (`demo`). Each trial copies its data.mdb, flips one to three bytes (most of them
aimed at the pages that hold data: leaf, branch and overflow pages, where a flip changes what a read sees;
some anywhere), then runs verify, status, log, a report, export and record on the copy. Checked for each:
  * no command crashes (a signal, a trap, exit 70: `crash_problem`);
  * `verify` exits 0, 1 (a fault found) or 74 (a store it cannot read);
  * a damaged copy never accepts a write silently: when `record` exits 0 on a copy `verify` passed, `verify`
    passes after it; on a copy `verify` found damaged, `record` must refuse when the damage reaches the head
    (the last event, its hash, the head record: what an append checks), and when it appends, the damage lies
    deeper and `verify` still finds a fault afterwards (the write did not hide it).
"""

from __future__ import annotations

import os
import re
import shutil
import struct

from harness import Store, copy_store, crash_problem

P_BRANCH, P_LEAF, P_OVERFLOW, P_META = 0x01, 0x02, 0x04, 0x08


def page_kinds(data: bytes) -> tuple[int, dict[int, list[int]]]:
    """The page size and the page numbers of each kind (branch, leaf, overflow) of an LMDB data file."""
    # Meta page 0: a 16-byte page header, then magic, version, address, map size, two 48-byte database
    # records; the page size is the first database record's md_pad.
    page_size = struct.unpack_from("<I", data, 16 + 4 + 4 + 8 + 8)[0]
    if page_size not in (4096, 8192, 16384, 65536):
        page_size = 4096
    kinds: dict[int, list[int]] = {P_BRANCH: [], P_LEAF: [], P_OVERFLOW: []}
    pgno = 2
    while (pgno + 1) * page_size <= len(data):
        flags = struct.unpack_from("<H", data, pgno * page_size + 10)[0]
        count = 1
        if flags & P_OVERFLOW:
            kinds[P_OVERFLOW].append(pgno)
            count = max(1, struct.unpack_from("<I", data, pgno * page_size + 12)[0])
        elif flags & P_LEAF:
            kinds[P_LEAF].append(pgno)
        elif flags & P_BRANCH:
            kinds[P_BRANCH].append(pgno)
        pgno += min(count, 1 << 16)
    return page_size, kinds


def flip_offsets(rng, data: bytes, page_size: int, kinds: dict[int, list[int]]) -> list[int]:
    """Where to flip: one to three offsets, each aimed at a page that holds data (7 in 8) or anywhere."""
    offsets = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        roll = rng.random()
        kind = P_LEAF if roll < 0.55 else P_BRANCH if roll < 0.7 else P_OVERFLOW if roll < 0.875 else None
        pages = kinds.get(kind) if kind else None
        if not pages:
            offsets.append(rng.randrange(len(data)))
            continue
        start = rng.choice(pages) * page_size
        if rng.random() < 0.3:
            # The page header and the node offsets after it: counts and positions.
            offsets.append(start + rng.randrange(0, 64))
        else:
            offsets.append(start + rng.randrange(16, page_size))
    return offsets


def record_args(trial: int) -> list:
    return [
        "record", "member-joined", "--collaborative", "east-sussex", "--member", f"flip-{trial}", "--sector",
        "secondary-school", "--on", "2024-09-01", "--id", f"00000000-0000-4000-8000-{trial:012d}",
    ]


def fault_signature(result, report) -> tuple:
    """What verify found, comparable before and after an append: its exit status, and the first fault's seq
    and problem with the numbers that an append moves (counts, the head) left out."""
    if report is None:
        return (result.rc, None, re.sub(r"\d+", "#", result.err))
    fault = report.get("fault") or {}
    return (result.rc, fault.get("seq"), re.sub(r"\d+", "#", fault.get("problem") or ""))


def run_flip_test(context, flips_wanted: int) -> None:
    print(f"== flips: {flips_wanted} damaged copies of a store", flush=True)
    tally = context.tally
    rng = context.child_rng()
    base = Store(context.binary, os.path.join(context.work_dir, "flip-base"), context.env)
    base.must(["demo"])
    with open(os.path.join(base.path, "data.mdb"), "rb") as file:
        original = file.read()
    page_size, kinds = page_kinds(original)
    copy_dir = os.path.join(context.work_dir, "flip-copy")
    damaged = refused = accepted_with_older_damage = moved = 0
    for trial in range(flips_wanted):
        data = bytearray(original)
        offsets = flip_offsets(rng, data, page_size, kinds)
        for offset in offsets:
            data[offset] ^= rng.choice((1 << rng.randrange(8), rng.randrange(1, 256)))
        shutil.rmtree(copy_dir, ignore_errors=True)
        copy_store(base.path, copy_dir)
        with open(os.path.join(copy_dir, "data.mdb"), "wb") as file:
            file.write(data)
        store = Store(context.binary, copy_dir, context.env)
        where = f"trial {trial} (flips at {', '.join(hex(o) for o in offsets)})"
        verify, report = store.verify()
        if verify.rc != 0:
            damaged += 1
        results = [verify]
        for args in (
            ["status"], ["log", "--json"], ["report", "attendance", "--collaborative", "east-sussex"],
            ["export"],
        ):
            results.append(store.run(args, timeout=60))
        record = store.run(record_args(trial), timeout=60)
        results.append(record)
        for result in results:
            problem = crash_problem(result)
            tally.check(problem is None, f"flips: {result.args[1]} on {where}", f"{problem}: {result.brief()}")
        tally.check(verify.rc in (0, 1, 74), f"flips: verify's exit status on {where}", verify.brief())
        if record.rc != 0:
            refused += verify.rc != 0
            continue
        after, after_report = store.verify()
        if verify.rc == 0:
            tally.check(after.rc == 0, f"flips: verify after a record on a sound copy, {where}", after.brief())
            continue
        # A write onto a copy verify found damaged is not silent only if the damage lies before the head,
        # which an append checks (the last event, its hash and the head record), and the write does not
        # hide it: verify still finds a fault afterwards (which may move: LMDB rewrites a damaged index page
        # it inserts into). Refusing every such write would take a whole verify per append.
        accepted_with_older_damage += 1
        tally.check(
            after.rc != 0, f"flips: a record on a damaged copy made verify pass, {where}",
            f"before: {verify.brief()} after: {after.brief()}")
        if fault_signature(after, after_report) != fault_signature(verify, report):
            moved += 1

    print(
        f"flips: {damaged} of {flips_wanted} copies found damaged by verify; record refused {refused} of them "
        f"and appended to {accepted_with_older_damage} whose damage lies before the head (verify's first fault "
        f"moved in {moved})",
        flush=True)
    shutil.rmtree(copy_dir, ignore_errors=True)
