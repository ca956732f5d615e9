#!/usr/bin/env python3
"""Self-test of scripts/demo/generate_demo.py (standard library only).

    python3 scripts/demo/test_generate_demo.py

1. Generates the demo twice into temporary directories: both runs succeed and are
   byte-identical (determinism).
2. Plants one rule violation at a time in a copy of the output and checks that
   `generate_demo.py --check-only` refuses every one (exit 1), so the checker that
   guards the demo is known to bite.
Exit 0 when all pass.
"""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
import tempfile
from pathlib import Path

GEN = Path(__file__).resolve().parent / "generate_demo.py"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(GEN), *args], capture_output=True, text=True)


def load(d: Path):
    rows = [line.split("\t") for line in (d / "batches.tsv").read_text().splitlines()]
    return [[n, r, [json.loads(x) for x in (d / f"{n}.ndjson").read_text().splitlines()]] for n, r in rows]


def save(d: Path, batches) -> None:
    d.mkdir(parents=True)
    (d / "batches.tsv").write_text("".join(f"{n}\t{r}\n" for n, r, _ in batches))
    for n, _, lines in batches:
        (d / f"{n}.ndjson").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))


def find(batches, pred):
    for bi, (_, _, lines) in enumerate(batches):
        for li, line in enumerate(lines):
            if pred(line):
                return bi, li
    raise AssertionError("event to mutate not found")


def line(batches, pred):
    bi, li = find(batches, pred)
    return batches[bi][2][li]


def copy_of(ev: dict, new_id: str) -> dict:
    dup = json.loads(json.dumps(ev))
    dup["id"] = new_id
    return dup


def inactive_attendee(b):
    line(b, lambda x: x["type"] == "WorkshopHeld" and x["data"]["workshop"] == "ol-ws-06")["data"]["attendees"].append("ol-10")


def late_leave_invalidates_stored_later_event(b):
    for t in ("MemberLeft", "RoleEnded"):
        line(b, lambda x: x["type"] == t and x["data"]["member"] == "wo-14")["occurredAt"] = "2022-05-20"


def leave_still_holding_role(b):
    bi, li = find(b, lambda x: x["type"] == "RoleEnded" and x["data"]["member"] == "wo-14")
    del b[bi][2][li]


def future_date(b):
    b[5][2][0]["occurredAt"] = "2023-01-02"


def workshop_slug_reused_without_retraction(b):
    bi, li = find(b, lambda x: x["type"] == "EventRetracted")
    del b[bi][2][li]


def recorded_at_does_not_increase(b):
    b[10][1] = b[9][1]


def advisor_not_staff(b):
    line(b, lambda x: x["type"] == "CoachingSessionHeld" and x["occurredAt"] > "2022-10-01")["data"]["advisor"] = "ol-03"


def subgroup_of_other_collaborative(b):
    line(b, lambda x: x["type"] == "CoachingSessionHeld"
         and x["data"].get("subgroup", "").startswith("ol-"))["data"]["subgroup"] = "wo-fair-access"


def role_assigned_to_current_holder(b):
    ev = line(b, lambda x: x["type"] == "RoleAssigned" and x["data"]["member"] == "ol-03")
    b[-1][2].append(copy_of(ev, "00000000-0000-4000-8000-000000000001"))


def attendee_on_leave_day(b):
    ev = line(b, lambda x: x["type"] == "WorkshopHeld" and x["data"]["workshop"] == "ol-ws-07")
    ev["occurredAt"] = "2023-06-02"  # ol-15 leaves that day
    ev["data"]["attendees"] = sorted(set(ev["data"]["attendees"]) | {"ol-15"})


def join_while_active(b):
    dup = copy_of(line(b, lambda x: x["type"] == "MemberJoined" and x["data"]["member"] == "ol-03"),
                  "00000000-0000-4000-8000-000000000002")
    dup["occurredAt"] = "2022-02-01"
    b[60][2].append(dup)


def subgroup_join_before_formed(b):
    line(b, lambda x: x["type"] == "SubGroupMemberJoined" and x["data"]["member"] == "ol-20")["occurredAt"] = "2022-06-01"


def output_only_field(b):
    b[3][2][0]["recordedAt"] = b[3][1]


def retract_twice(b):
    b[-1][2].append(copy_of(line(b, lambda x: x["type"] == "EventRetracted"), "00000000-0000-4000-8000-000000000003"))


MUTATIONS = [inactive_attendee, late_leave_invalidates_stored_later_event, leave_still_holding_role, future_date,
             workshop_slug_reused_without_retraction, recorded_at_does_not_increase, advisor_not_staff,
             subgroup_of_other_collaborative, role_assigned_to_current_holder, attendee_on_leave_day,
             join_while_active, subgroup_join_before_formed, output_only_field, retract_twice]


def main() -> int:
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "a", Path(tmp) / "b"
        for d in (a, b):
            p = run(str(d), "--quiet", "--no-schema-check")
            if p.returncode != 0:
                print(f"FAIL generate: {p.stderr.strip()}")
                return 1
        cmp = filecmp.dircmp(a, b)
        same = not cmp.left_only and not cmp.right_only and not filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)[1]
        print(("ok  " if same else "FAIL") + " deterministic: two runs are byte-identical")
        failures += not same
        for mutate in MUTATIONS:
            batches = load(a)
            mutate(batches)
            d = Path(tmp) / mutate.__name__
            save(d, batches)
            p = run("--check-only", str(d), "--no-schema-check")
            caught = p.returncode == 1
            failures += not caught
            print(("ok  " if caught else "FAIL") + f" refuses {mutate.__name__}: {(p.stderr or p.stdout).strip()[:160]}")
    print("all passed" if not failures else f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
