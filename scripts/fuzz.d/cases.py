"""The generator of scripts/fuzz: broken NDJSON files and broken `record` arguments, each certain to be
refused, built around a small base history. Case N is made from its own Random(f"{seed}/{N}"), so any case
can be replayed alone (scripts/fuzz --seed S --only N)."""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field

NOW = "2024-06-01T10:00:00Z"  # CHRONICLE_NOW of every run: "today" is 2024-06-01 in London


def fixed_id(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"


BASE_LINES = [
    (1, "CollaborativeFormed", "2021-01-01", {
        "collaborative": "fz", "name": "Fuzz Collaborative", "anchorOrganisation": "Fuzz Council",
        "programmeStart": "2021-01-01"}),
    (2, "MemberJoined", "2021-02-01", {"collaborative": "fz", "member": "fz-a", "sector": "programme-staff"}),
    (3, "MemberJoined", "2021-02-01", {"collaborative": "fz", "member": "fz-b", "sector": "health", "name": "B"}),
    (4, "MemberJoined", "2021-02-01", {"collaborative": "fz", "member": "fz-c", "sector": "camhs"}),
    (5, "MemberJoined", "2021-02-01", {"collaborative": "fz", "member": "fz-x", "sector": "social-care"}),
    (6, "MemberLeft", "2021-06-01", {"collaborative": "fz", "member": "fz-x", "reason": "capacity"}),
    (7, "SubGroupFormed", "2021-03-01", {"collaborative": "fz", "subgroup": "fz-sg", "title": "SEND", "aim": "Aim"}),
    (8, "SubGroupMemberJoined", "2021-03-05", {"subgroup": "fz-sg", "member": "fz-b"}),
    (9, "RoleAssigned", "2021-02-10", {
        "collaborative": "fz", "role": "advisor", "member": "fz-a", "appointment": "formal"}),
    (10, "WorkshopHeld", "2021-04-01", {
        "workshop": "fz-ws-1", "collaboratives": ["fz"], "kind": "launch", "mode": "in-person",
        "attendees": ["fz-a", "fz-b"]}),
    (11, "CoachingSessionHeld", "2021-05-01", {
        "collaborative": "fz", "kind": "one-to-one", "advisor": "fz-a", "attendees": ["fz-b"]}),
    (12, "SurveyWaveClosed", "2021-12-01", {"collaborative": "fz", "wave": "2021", "invited": 10, "responded": 5}),
]


def base_ndjson() -> bytes:
    lines = [
        {"id": fixed_id(n), "type": t, "occurredAt": day, "recordedBy": "fuzz-base", "data": data}
        for n, t, day, data in BASE_LINES
    ]
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


ACTIVE = ["fz-a", "fz-b", "fz-c"]
SECTORS = ["primary-school", "secondary-school", "health", "social-care", "camhs", "other", "la-early-help"]
WORKSHOP_KINDS = ["launch", "convening", "collaborative", "cross-locality"]
COACHING_KINDS = ["one-to-one", "group", "drop-in", "catch-up", "leadership", "admin-support", "consultation"]
MILESTONES = ["plan-agreed", "terms-of-reference", "pilot-started", "pilot-completed", "service-launched"]
INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc3", b"\xc0\x80", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
                b"\x80", b"\xf8\x88\x80\x80\x80", b"\xc3\x28", b"\xe2\x82"]
IMPOSSIBLE_DATES = [
    "2022-02-30", "2022-13-01", "2022-00-10", "2022-12-32", "2021-02-29", "2022-04-31", "2022-1-1", "22-01-01",
    "2022/01/01", "", " 2022-01-01", "2022-01-01 ", "2022-01-01T10:00Z", "2022-01-01T24:00:01Z",
    "2022-01-01T10:00:00+25:00", "2022-01-01T10:61:00Z", "2022-01-01T10:00:00", "2022-02-29T10:00:00Z",
    "2022-01-01T10:00:00.Z", "+2022-01-01", "2022-01-01T", "01-01-2022", "2022-W01-1", "yesterday", "2022-01",
    "2022-01-01T10:00:00+0100", "2022-01-01T10:00:00ZZ", "２０２２-01-01", "2022-01-01\u0000",
]
FUTURE_DATES = ["2024-06-02", "2024-12-31", "2025-01-01", "2099-12-31", "9999-12-31", "2024-06-02T00:00:00+01:00",
                "2024-06-02T12:00:00Z", "2030-06-01T10:00:00Z"]
BAD_UUIDS = [
    "", "x", "1234", "not-a-uuid", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "{UUID}", "UUID0", "UUID-", "urn:uuid:UUID",
    "UUIDNODASH", " UUID", "UUID ", "UUID\n", "0000000-0000-4000-8000-000000000001",
]
BAD_SLUGS = ["FZ-A", "fz a", "-fz", "fz_a", "", "a" * 65, "fz/a", "é", "fz-a\t", "fz.a", "Oldham", " fz", "fz\u200b"]


@dataclass
class Case:
    number: int
    category: str
    description: str
    kind: str  # "import" or "record"
    payload: bytes = b""
    args: list = field(default_factory=list)
    line: int | None = None  # the line an import's error must name, when certain
    dry_run: bool = False


class Maker:
    """Valid fresh events and their mutations for one case."""

    def __init__(self, seed: int, number: int):
        self.rng = random.Random(f"{seed}/{number}")
        self.number = number
        self.counter = 0

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.number}-{self.counter}"

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def day(self, first: tuple, last: tuple) -> str:
        import datetime
        start, end = datetime.date(*first), datetime.date(*last)
        return (start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))).isoformat()

    def line(self, type_name: str, day: str, data: dict) -> dict:
        line = {"id": self.uid(), "type": type_name, "occurredAt": day, "data": data}
        if self.rng.random() < 0.3:
            line["recordedBy"] = "fuzzer"
        if self.rng.random() < 0.2:
            line["schemaVersion"] = 1
        return line

    # --- valid, self-contained events (dated 2022–2023, after the base history) -------------------------

    def join(self, member: str | None = None) -> dict:
        data = {"collaborative": "fz", "member": member or self.fresh("fzn"), "sector": self.rng.choice(SECTORS)}
        if self.rng.random() < 0.5:
            data["name"] = self.rng.choice(["Ann", "Bo Li", "Zoë Ñúñez", "O'Brien", "名前", "A \"quoted\" name"])
        if self.rng.random() < 0.3:
            data["organisation"] = "Some School"
        return self.line("MemberJoined", self.day((2022, 1, 1), (2022, 3, 31)), data)

    def workshop(self, extra_members: list) -> dict:
        pool = ACTIVE + extra_members
        data = {
            "workshop": self.fresh("fzw"), "collaboratives": ["fz"], "kind": self.rng.choice(WORKSHOP_KINDS),
            "mode": self.rng.choice(["online", "in-person"]),
            "attendees": self.rng.sample(pool, self.rng.randint(0, len(pool))),
        }
        if self.rng.random() < 0.4:
            data["guests"] = self.rng.randint(0, 30)
        if self.rng.random() < 0.4:
            data["title"] = "Workshop title"
        return self.line("WorkshopHeld", self.day((2022, 4, 1), (2023, 12, 31)), data)

    def coaching(self, extra_members: list) -> dict:
        pool = ["fz-b", "fz-c"] + extra_members
        kind = self.rng.choice(COACHING_KINDS)
        # Rule one-to-one-attendees: a one-to-one session has at most one attendee.
        most = 1 if kind == "one-to-one" else len(pool)
        data = {
            "collaborative": "fz", "kind": kind, "advisor": "fz-a",
            "attendees": self.rng.sample(pool, self.rng.randint(0, most)),
        }
        if self.rng.random() < 0.4:
            data["minutes"] = self.rng.randint(5, 120)
        return self.line("CoachingSessionHeld", self.day((2022, 4, 1), (2023, 12, 31)), data)

    def survey(self) -> dict:
        invited = self.rng.randint(1, 100)
        data = {"collaborative": "fz", "wave": self.fresh("wave"), "invited": invited,
                "responded": self.rng.randint(0, invited)}
        return self.line("SurveyWaveClosed", self.day((2022, 4, 1), (2023, 12, 31)), data)

    def milestone(self) -> dict:
        data = {"subgroup": "fz-sg", "kind": self.rng.choice(MILESTONES), "title": "A milestone"}
        return self.line("MilestoneReached", self.day((2022, 4, 1), (2023, 12, 31)), data)

    def details(self, extra_members: list) -> dict:
        data = {"member": self.rng.choice(["fz-c"] + extra_members), "organisation": "New Place"}
        return self.line("MemberDetailsChanged", self.day((2022, 4, 1), (2023, 12, 31)), data)

    def valid_batch(self, count: int) -> list:
        """`count` valid lines: fresh joins first on the timeline, then events that may name them."""
        lines, joined = [], []
        for _ in range(count):
            choice = self.rng.random()
            if choice < 0.3 or not lines:
                line = self.join()
                joined.append(line["data"]["member"])
            elif choice < 0.55:
                line = self.workshop(joined)
            elif choice < 0.7:
                line = self.coaching(joined)
            elif choice < 0.8:
                line = self.survey()
            elif choice < 0.9:
                line = self.milestone()
            else:
                line = self.details(joined)
            lines.append(line)
        self.rng.shuffle(lines)  # validity is judged on the timeline, not in file order
        return lines

    def any_valid(self) -> dict:
        return self.rng.choice([self.join, lambda: self.workshop([]), lambda: self.coaching([]), self.survey,
                                self.milestone, lambda: self.details([])])()


def encode(line) -> bytes:
    return json.dumps(line, ensure_ascii=False).encode()


def string_paths(line: dict) -> list:
    """(container, key) of every string value in a line, data included."""
    paths = [(line, key) for key, value in line.items() if isinstance(value, str)]
    paths += [(line["data"], key) for key, value in line["data"].items() if isinstance(value, str)]
    return paths


def replace_json_string(encoded: bytes, value: str, insert: bytes, rng: random.Random) -> bytes | None:
    """`encoded` with raw bytes inserted inside the JSON string `value` (first occurrence)."""
    needle = json.dumps(value, ensure_ascii=False).encode()
    at = encoded.find(needle)
    if at < 0:
        return None
    inside = at + 1 + rng.randint(0, len(needle) - 2)
    return encoded[:inside] + insert + encoded[inside:]
