"""Broken `chronicle record …` command lines: a valid command for a fresh event, then one defect."""

from __future__ import annotations

from cases import BAD_SLUGS, BAD_UUIDS, FUTURE_DATES, IMPOSSIBLE_DATES, INVALID_UTF8, Maker

# Each template: (subcommand, {flag: value or [values]}, required flags, enum flags, slug flags, count flags).
# The `valid_record` results are run with --dry-run as controls: they must succeed.


def templates(maker: Maker) -> list:
    day = maker.day((2022, 4, 1), (2023, 12, 31))
    return [
        ("member-joined", {"--collaborative": "fz", "--member": maker.fresh("fzn"), "--sector": "health",
                           "--on": maker.day((2022, 1, 1), (2022, 3, 31)), "--name": "Ann"},
         ["--collaborative", "--member", "--sector", "--on"], ["--sector"], ["--collaborative", "--member"], []),
        ("workshop", {"--workshop": maker.fresh("fzw"), "--collaborative": "fz", "--kind": "convening",
                      "--mode": "online", "--on": day, "--attendee": ["fz-a", "fz-b"], "--guests": "3"},
         ["--workshop", "--kind", "--mode", "--on"], ["--kind", "--mode"], ["--workshop", "--collaborative",
                                                                             "--attendee"], ["--guests"]),
        ("coaching-session", {"--collaborative": "fz", "--kind": "group", "--advisor": "fz-a", "--attendee": ["fz-b"],
                              "--on": day, "--minutes": "45"},
         ["--collaborative", "--kind", "--advisor", "--on"], ["--kind"], ["--collaborative", "--advisor",
                                                                          "--attendee"], ["--minutes"]),
        ("survey-wave-closed", {"--collaborative": "fz", "--wave": maker.fresh("wave"), "--invited": "20",
                                "--responded": "7", "--on": day},
         ["--collaborative", "--wave", "--invited", "--responded", "--on"], [], ["--collaborative"],
         ["--invited", "--responded"]),
        ("milestone-reached", {"--subgroup": "fz-sg", "--kind": "pilot-started", "--title": "Pilot", "--on": day},
         ["--subgroup", "--kind", "--title", "--on"], ["--kind"], ["--subgroup"], []),
        ("member-details-changed", {"--member": "fz-c", "--organisation": "New School", "--on": day},
         ["--member", "--on"], [], ["--member"], []),
        ("subgroup-member-joined", {"--subgroup": "fz-sg", "--member": "fz-c", "--on": day},
         ["--subgroup", "--member", "--on"], [], ["--subgroup", "--member"], []),
        ("role-assigned", {"--collaborative": "fz", "--role": "anchor", "--member": "fz-b", "--appointment": "formal",
                           "--on": day},
         ["--collaborative", "--role", "--member", "--appointment", "--on"], ["--role", "--appointment"],
         ["--collaborative", "--member"], []),
        ("member-left", {"--collaborative": "fz", "--member": "fz-c", "--reason": "capacity", "--on": day},
         ["--collaborative", "--member", "--reason", "--on"], ["--reason"], ["--collaborative", "--member"], []),
        ("subgroup-status-changed", {"--subgroup": "fz-sg", "--status": "in-progress", "--on": day},
         ["--subgroup", "--status", "--on"], ["--status"], ["--subgroup"], []),
        ("collaborative-formed", {"--collaborative": maker.fresh("fzc"), "--name": "New", "--anchor-organisation": "A",
                                  "--programme-start": "2022-01-01", "--on": day},
         ["--collaborative", "--name", "--anchor-organisation", "--programme-start", "--on"], [], ["--collaborative"],
         []),
    ]


def to_args(subcommand: str, flags: dict, maker: Maker) -> list:
    args = ["record", subcommand]
    items = list(flags.items())
    maker.rng.shuffle(items)
    for flag, value in items:
        for one in (value if isinstance(value, list) else [value]):
            args += [flag, one]
    if maker.rng.random() < 0.3:
        args += ["--id", maker.uid()]
    if maker.rng.random() < 0.15:
        args += ["--dry-run"]
    return args


def valid_record(maker: Maker) -> list:
    subcommand, flags, *_ = maker.rng.choice(templates(maker))
    return to_args(subcommand, flags, maker)


RULES = [
    ("member-joined", {"--collaborative": "fz", "--member": "fz-a", "--sector": "health", "--on": "2022-05-01"},
     "fz-a joins while active"),
    ("member-left", {"--collaborative": "fz", "--member": "fz-x", "--reason": "capacity", "--on": "2022-05-01"},
     "fz-x leaves again"),
    ("workshop", {"--workshop": "fz-ws-1", "--collaborative": "fz", "--kind": "launch", "--mode": "online",
                  "--on": "2022-05-01"}, "a workshop slug already used"),
    ("workshop", {"--workshop": "NEW", "--collaborative": "fz", "--kind": "launch", "--mode": "online",
                  "--on": "2022-05-01", "--attendee": ["fz-x"]}, "an attendee who has left"),
    ("workshop", {"--workshop": "NEW", "--collaborative": "fz", "--kind": "launch", "--mode": "online",
                  "--on": "2022-05-01", "--attendee": ["fz-a", "fz-a"]}, "an attendee listed twice"),
    ("workshop", {"--workshop": "NEW", "--kind": "launch", "--mode": "online", "--on": "2022-05-01"},
     "a workshop of no collaborative"),
    ("coaching-session", {"--collaborative": "fz", "--kind": "group", "--advisor": "fz-b", "--on": "2022-05-01"},
     "an advisor who is neither programme staff nor an advisor"),
    ("role-ended", {"--collaborative": "fz", "--role": "anchor", "--member": "fz-c", "--on": "2022-05-01"},
     "a role ended by someone who does not hold it"),
    ("role-assigned", {"--collaborative": "fz", "--role": "advisor", "--member": "fz-a", "--appointment": "formal",
                       "--on": "2022-05-01"}, "a role assigned to its current holder"),
    ("subgroup-member-joined", {"--subgroup": "fz-sg", "--member": "fz-b", "--on": "2022-05-01"},
     "a sub-group member joins twice"),
    ("collaborative-formed", {"--collaborative": "fz", "--name": "Again", "--anchor-organisation": "A",
                              "--programme-start": "2022-01-01", "--on": "2022-05-01"}, "a collaborative formed twice"),
    ("member-joined", {"--collaborative": "fz", "--member": "NEW", "--sector": "health", "--on": "2020-05-01"},
     "a join before the collaborative was formed"),
    ("member-left", {"--collaborative": "fz", "--member": "fz-a", "--reason": "capacity", "--on": "2021-03-01"},
     "a late leave dated before a workshop the member attended"),
    ("workshop", {"--workshop": "NEW", "--collaborative": "ghost", "--kind": "launch", "--mode": "online",
                  "--on": "2022-05-01"}, "a collaborative that does not exist"),
    ("workshop", {"--workshop": "NEW", "--collaborative": "fz", "--kind": "launch", "--mode": "online",
                  "--on": "2022-05-01", "--attendee": ["fz-ghost"]}, "an attendee who never joined"),
    ("member-details-changed", {"--member": "fz-ghost", "--sector": "health", "--on": "2022-05-01"},
     "details of a member who never joined"),
    ("subgroup-member-joined", {"--subgroup": "sg-ghost", "--member": "fz-c", "--on": "2022-05-01"},
     "a sub-group that does not exist"),
    ("role-assigned", {"--collaborative": "fz", "--role": "subgroup-lead", "--member": "fz-b",
                       "--appointment": "formal", "--on": "2022-05-01"}, "a subgroup-lead without its sub-group"),
    ("survey-wave-closed", {"--collaborative": "fz", "--wave": "NEW", "--invited": "5", "--responded": "6",
                            "--on": "2022-05-01"}, "more responses than invitations"),
    ("survey-wave-closed", {"--collaborative": "fz", "--wave": "2021", "--invited": "5", "--responded": "1",
                            "--on": "2022-05-01"}, "a survey wave closed twice"),
    ("role-assigned", {"--collaborative": "fz", "--role": "anchor", "--member": "fz-b", "--appointment": "formal",
                       "--succeeds": "fz-b", "--on": "2022-05-01"}, "a holder succeeding themself"),
    ("role-assigned", {"--collaborative": "fz", "--role": "anchor", "--subgroup": "fz-sg", "--member": "fz-b",
                       "--appointment": "formal", "--on": "2022-05-01"}, "a sub-group for an anchor role"),
    ("coaching-session", {"--collaborative": "fz", "--kind": "one-to-one", "--advisor": "fz-a",
                          "--attendee": ["fz-b", "fz-c"], "--on": "2022-05-01"}, "a one-to-one with two attendees"),
]


def broken_record(maker: Maker) -> tuple:
    """(args, description) of one broken `record` command line."""
    subcommand, flags, required, enums, slugs, counts = maker.rng.choice(templates(maker))
    flags = dict(flags)
    kind = maker.rng.choice([
        "missing option", "unknown option", "missing value", "bad enum", "bad slug", "bad date", "future date",
        "bad id", "bad count", "bad expect-version", "rule", "rule", "rule", "invalid UTF-8", "huge", "subcommand",
        "positional", "empty text", "huge by", "long text",
    ])
    if kind == "missing option":
        flag = maker.rng.choice(required)
        del flags[flag]
        return to_args(subcommand, flags, maker), f"{subcommand} without {flag}"
    if kind == "unknown option":
        extra = maker.rng.choice(["--bogus", "--Member", "-x", "--member-slug", "--on-date", "--", "---on", "--verbose"])
        args = to_args(subcommand, flags, maker)
        args.insert(maker.rng.randint(2, len(args)), extra)
        if extra == "--":
            args.append("stray")
        return args, f"{subcommand} with {extra}"
    if kind == "missing value":
        flag = maker.rng.choice(required)
        del flags[flag]
        return to_args(subcommand, flags, maker) + [flag], f"{subcommand} ending with {flag} and no value"
    if kind == "bad enum" and enums:
        flag = maker.rng.choice(enums)
        flags[flag] = maker.rng.choice(["dentistry", "PARTY", flags[flag].upper(), flags[flag] + " ", "", "none"])
        return to_args(subcommand, flags, maker), f"{subcommand} {flag} {flags[flag]!r}"
    if kind in ("bad slug", "bad enum"):
        flag = maker.rng.choice(slugs)
        slug = maker.rng.choice(BAD_SLUGS)
        flags[flag] = [slug] if isinstance(flags[flag], list) else slug
        return to_args(subcommand, flags, maker), f"{subcommand} {flag} {slug[:20]!r}"
    if kind == "bad date":
        date = maker.rng.choice([d for d in IMPOSSIBLE_DATES if "\u0000" not in d])
        flag = "--programme-start" if subcommand == "collaborative-formed" and maker.rng.random() < 0.5 else "--on"
        flags[flag] = date
        return to_args(subcommand, flags, maker), f"{subcommand} {flag} {date!r}"
    if kind == "future date":
        flags["--on"] = maker.rng.choice(FUTURE_DATES)
        return to_args(subcommand, flags, maker), f"{subcommand} --on {flags['--on']}"
    if kind == "bad id":
        text = maker.rng.choice([u for u in BAD_UUIDS if "\n" not in u])
        real = maker.uid()
        text = text.replace("UUIDNODASH", real.replace("-", "")).replace("UUID", real)
        return to_args(subcommand, flags, maker) + ["--id", text], f"{subcommand} --id {text!r}"
    if kind == "bad count" and counts:
        flag = maker.rng.choice(counts)
        flags[flag] = maker.rng.choice(["-1", "abc", "1.5", "99999999999999999999", "", "1e3", "0x10", " 3", "-0.5"])
        return to_args(subcommand, flags, maker), f"{subcommand} {flag} {flags[flag]!r}"
    if kind in ("bad expect-version", "bad count"):
        value = maker.rng.choice(["-1", "abc", "1.5", "99999999999999999999", "", "v1", "18446744073709551616"])
        return to_args(subcommand, flags, maker) + ["--expect-version", value], f"--expect-version {value!r}"
    if kind == "rule":
        subcommand, flags, description = maker.rng.choice(RULES)
        flags = {flag: (maker.fresh("fzw") if value == "NEW" else value) for flag, value in flags.items()}
        return to_args(subcommand, flags, maker), f"{subcommand}: {description}"
    if kind == "invalid UTF-8":
        flag = maker.rng.choice(list(flags))
        bad = maker.rng.choice(INVALID_UTF8)
        value = flags[flag][0] if isinstance(flags[flag], list) else flags[flag]
        raw = value.encode() + bad  # passed as bytes: the argument itself is not UTF-8
        flags[flag] = raw
        return to_args(subcommand, flags, maker), f"{subcommand} {flag} ending in {bad!r}"
    if kind == "huge":
        flag = maker.rng.choice(slugs)
        size = maker.rng.choice([100, 10_000, 100_000])
        flags[flag] = "a" * size
        return to_args(subcommand, flags, maker), f"{subcommand} {flag} of {size} characters"
    if kind == "huge by":
        return to_args(subcommand, flags, maker) + ["--recorded-by", "b" * 70_000], f"{subcommand} --recorded-by of 70000 bytes"
    if kind == "subcommand":
        name = maker.rng.choice(["bogus", "MemberJoined", "member_joined", "", "workshops", "member-joined2"])
        return ["record", name] + to_args(subcommand, flags, maker)[2:], f"record {name!r}"
    if kind == "positional":
        args = to_args(subcommand, flags, maker)
        args.insert(2, maker.rng.choice(["extra", "fz-a", "2022-01-01"]))
        return args, f"{subcommand} with a stray positional argument"
    if kind == "empty text":
        texts = [flag for flag in flags if flag not in slugs + enums + counts + ["--on", "--programme-start"]]
        flag = maker.rng.choice(slugs + texts)
        flags[flag] = ""
        return to_args(subcommand, flags, maker), f"{subcommand} {flag} {flags[flag]!r}"
    if kind == "long text":
        texts = [flag for flag in flags if flag not in slugs + enums + counts + ["--on", "--programme-start"]]
        if texts:
            flag = maker.rng.choice(texts)
            flags[flag] = "t" * maker.rng.choice([2_001, 20_000, 120_000])
            return to_args(subcommand, flags, maker), f"{subcommand} {flag} of {len(flags[flag])} characters"
        return to_args(subcommand, flags, maker) + ["--recorded-by", "b" * 201], f"{subcommand} --recorded-by of 201 characters"
    raise AssertionError(kind)
