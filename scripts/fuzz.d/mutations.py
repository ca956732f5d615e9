"""Broken NDJSON: each function returns (lines as bytes, description, index of the broken line or None when
the error may be reported elsewhere). Every other line is a valid fresh event."""

from __future__ import annotations

import copy
import json

from cases import (BAD_SLUGS, BAD_UUIDS, FUTURE_DATES, IMPOSSIBLE_DATES, INVALID_UTF8, Maker, encode, fixed_id,
                   replace_json_string, string_paths)


def _bury(maker: Maker, broken: bytes, description: str, named: bool = True, filler_max: int = 12):
    """`broken` among valid lines, at a random position."""
    filler = [encode(line) for line in maker.valid_batch(maker.rng.randint(0, filler_max))]
    at = maker.rng.randint(0, len(filler))
    return filler[:at] + [broken] + filler[at:], description, at if named else None


def truncated(maker: Maker):
    encoded = encode(maker.any_valid())
    cut = maker.rng.randint(1, len(encoded) - 1)
    return _bury(maker, encoded[:cut], f"a line cut at byte {cut} of {len(encoded)}")


WRONG_FOR_STRING = [1, -2.5, True, False, None, [], {}, ["x"], {"a": "b"}]
WRONG_FOR_LIST = ["fz-a", 1, None, {}, True, [1], [None], [["fz-a"]], [{}], [True]]
WRONG_FOR_INT = ["3", 1.5, True, None, [], {}, 1e2, "", [3]]
WRONG_FOR_OBJECT = [[], "x", 1, None, True, [{}]]


def wrong_type(maker: Maker):
    line = maker.any_valid()
    top = ["type", "occurredAt", "id", "data", "schemaVersion"] + (["recordedBy"] if "recordedBy" in line else [])
    if maker.rng.random() < 0.4:
        key = maker.rng.choice(top)
        if key == "data":
            value = maker.rng.choice(WRONG_FOR_OBJECT)
        elif key == "schemaVersion":
            value = maker.rng.choice(["1", 1.5, True, None, [], {}, "latest"])
        else:
            value = maker.rng.choice(WRONG_FOR_STRING)
        line[key] = value
        where = key
    else:
        key = maker.rng.choice(sorted(line["data"]))
        current = line["data"][key]
        if isinstance(current, list):
            value = maker.rng.choice(WRONG_FOR_LIST)
        elif isinstance(current, int):
            value = maker.rng.choice(WRONG_FOR_INT)
        else:
            value = maker.rng.choice(WRONG_FOR_STRING)
        line["data"][key] = value
        where = f"data.{key}"
    return _bury(maker, encode(line), f"{where} = {json.dumps(value)} in a {line['type'] if isinstance(line.get('type'), str) else 'line'}")


UNKNOWN_KEYS = ["extra", "Type", "member_id", "note ", "DATA", "", "attendee", "occurred_at", "ID", "\u00e9",
                "x" * 300, "schema_version", "data.member", "\\u0000"]


def unknown_field(maker: Maker):
    line = maker.any_valid()
    key = maker.rng.choice(UNKNOWN_KEYS)
    value = maker.rng.choice(["x", 1, None, [], {}, True])
    if maker.rng.random() < 0.5:
        line[key] = value
        where = "top level"
    else:
        line["data"][key] = value
        where = f"data of {line['type']}"
    return _bury(maker, encode(line), f"unknown field {key[:20]!r} at the {where}")


UNKNOWN_TYPES = ["Bogus", "memberJoined", "MemberJoined ", "", "MEMBERJOINED", "member-joined", "WorkshopHeld2",
                 "Member Joined", "MemberJoined\u0000", "EventRetractedX", "Ｍember"]
ENUM_FIELDS = {"sector": "dentistry", "kind": "party", "mode": "hybrid", "reason": "bored", "role": "king",
               "appointment": "elected", "status": "done"}


def unknown_type(maker: Maker):
    line = maker.any_valid()
    if maker.rng.random() < 0.5:
        line["type"] = maker.rng.choice(UNKNOWN_TYPES)
        return _bury(maker, encode(line), f"unknown type {line['type']!r}")
    enums = [key for key in line["data"] if key in ENUM_FIELDS]
    if not enums:
        line = maker.join()
        enums = ["sector"]
    key = maker.rng.choice(enums)
    line["data"][key] = maker.rng.choice([ENUM_FIELDS[key], line["data"][key].upper(), line["data"][key] + " ", ""])
    return _bury(maker, encode(line), f"unknown {key} value {line['data'][key]!r}")


def huge_string(maker: Maker):
    size = maker.rng.choice([70_000, 300_000, 1_000_000, 3_000_000])
    huge = "a" * size
    line = maker.join()
    place = maker.rng.choice(["member", "type", "occurredAt", "id", "sector", "key", "recordedBy", "collaborative",
                              "name+bad sector", "name", "organisation"])
    if place in ("member", "sector", "collaborative"):
        line["data"][place] = huge
    elif place == "key":
        line["data"][huge] = 1
    elif place in ("name", "organisation"):  # free text has a length limit too
        line["data"][place] = "n" * size
    elif place == "name+bad sector":
        line["data"]["name"] = "b" * size
        line["data"]["sector"] = "dentistry"
    else:
        line[place] = huge
    return _bury(maker, encode(line), f"a {size}-character string as {place}", filler_max=4)


def invalid_utf8(maker: Maker):
    line = maker.any_valid()
    bad = maker.rng.choice(INVALID_UTF8)
    encoded = encode(line)
    container, key = maker.rng.choice(string_paths(line))
    where = maker.rng.random()
    if where < 0.6:
        broken = replace_json_string(encoded, container[key], bad, maker.rng)
        place = f"in the string of {key}"
    elif where < 0.8:
        broken = replace_json_string(encoded, key, bad, maker.rng)
        place = f"in the key {key}"
    else:
        broken = encoded[:1] + bad + encoded[1:]
        place = "outside any string"
    if broken is None:
        broken = encoded[:-1] + b',"x":"' + bad + b'"}'
        place = "in an added field"
    return _bury(maker, broken, f"invalid UTF-8 {bad!r} {place}")


def deep_nesting(maker: Maker):
    depth = maker.rng.choice([65, 200, 1_000, 10_000, 100_000, 1_000_000])
    shape = maker.rng.choice(["array", "object", "mixed", "unclosed"])
    if shape == "array":
        nested = b"[" * depth + b"]" * depth
    elif shape == "object":
        nested = b'{"a":' * depth + b"1" + b"}" * depth
    elif shape == "mixed":
        nested = b'[{"a":' * depth + b"1" + b"}]" * depth
    else:
        nested = b"[" * depth
    if maker.rng.random() < 0.3:
        broken, place = nested, "as the whole line"
    else:
        line = maker.join()
        key = maker.rng.choice(["member", "name", "extra", "sector"])
        line["data"][key] = "@@NEST@@"
        broken = encode(line).replace(b'"@@NEST@@"', nested)
        place = f"as data.{key}"
    return _bury(maker, broken, f"{shape} nested {depth} deep {place}", filler_max=4)


def impossible_date(maker: Maker):
    date = maker.rng.choice(IMPOSSIBLE_DATES)
    if maker.rng.random() < 0.8:
        line = maker.any_valid()
        line["occurredAt"] = date
        where = "occurredAt"
    else:
        line = maker.line("CollaborativeFormed", "2022-01-01", {
            "collaborative": maker.fresh("fzc"), "name": "N", "anchorOrganisation": "A", "programmeStart": date})
        where = "programmeStart"
    return _bury(maker, encode(line), f"{where} {date!r}")


def future_date(maker: Maker):
    line = maker.any_valid()
    line["occurredAt"] = maker.rng.choice(FUTURE_DATES)
    return _bury(maker, encode(line), f"occurredAt {line['occurredAt']} is after today (2024-06-01)")


def missing_reference(maker: Maker):
    ghost = maker.fresh("ghost")
    options = [
        ("WorkshopHeld", {"workshop": maker.fresh("fzw"), "collaboratives": ["fz"], "kind": "launch",
                          "mode": "online", "attendees": ["fz-a", ghost]}, "a workshop attendee who never joined"),
        ("WorkshopHeld", {"workshop": maker.fresh("fzw"), "collaboratives": ["fz", ghost], "kind": "launch",
                          "mode": "online", "attendees": []}, "a workshop of a collaborative that does not exist"),
        ("MemberLeft", {"collaborative": "fz", "member": ghost, "reason": "capacity"}, "a member who never joined leaves"),
        ("SubGroupMemberJoined", {"subgroup": ghost, "member": "fz-c"}, "a sub-group that does not exist"),
        ("SubGroupMemberJoined", {"subgroup": "fz-sg", "member": ghost}, "a sub-group member who never joined"),
        ("RoleAssigned", {"collaborative": "fz", "role": "anchor", "member": ghost, "appointment": "formal"},
         "a role for a member who never joined"),
        ("CoachingSessionHeld", {"collaborative": "fz", "kind": "group", "advisor": ghost, "attendees": []},
         "a coaching advisor who never joined"),
        ("EventRetracted", {"event": maker.uid(), "reason": "mistake"}, "a retraction of an event that does not exist"),
        ("MemberDetailsChanged", {"member": ghost, "sector": "health"}, "details of a member who never joined"),
        ("MemberJoined", {"collaborative": ghost, "member": maker.fresh("fzn"), "sector": "health"},
         "a join to a collaborative that does not exist"),
        ("MilestoneReached", {"subgroup": ghost, "kind": "other", "title": "T"}, "a milestone of a missing sub-group"),
        ("RoleAssigned", {"collaborative": "fz", "role": "anchor", "member": "fz-c", "appointment": "formal",
                          "succeeds": ghost}, "a role succeeding a member who never joined"),
    ]
    type_name, data, description = maker.rng.choice(options)
    line = maker.line(type_name, maker.day((2022, 4, 1), (2023, 12, 31)), data)
    return _bury(maker, encode(line), description)


def buried_rule(maker: Maker):
    day = maker.day((2022, 4, 1), (2023, 12, 31))
    options = [
        ("MemberJoined", day, {"collaborative": "fz", "member": "fz-a", "sector": "health"},
         "fz-a joins while active", True),
        ("MemberLeft", day, {"collaborative": "fz", "member": "fz-x", "reason": "capacity"},
         "fz-x leaves again", True),
        ("WorkshopHeld", day, {"workshop": maker.fresh("fzw"), "collaboratives": ["fz"], "kind": "launch",
                               "mode": "online", "attendees": ["fz-a", "fz-x"]}, "an attendee who has left", True),
        ("WorkshopHeld", day, {"workshop": "fz-ws-1", "collaboratives": ["fz"], "kind": "launch", "mode": "online",
                               "attendees": []}, "a workshop slug already used", True),
        ("MemberJoined", "2020-06-01", {"collaborative": "fz", "member": maker.fresh("fzn"), "sector": "health"},
         "a join before the collaborative was formed", True),
        ("CoachingSessionHeld", day, {"collaborative": "fz", "kind": "group", "advisor": "fz-b", "attendees": []},
         "an advisor who is neither programme staff nor an advisor", True),
        ("RoleEnded", day, {"collaborative": "fz", "role": "anchor", "member": "fz-c"},
         "a role ended by someone who does not hold it", True),
        ("RoleAssigned", day, {"collaborative": "fz", "role": "advisor", "member": "fz-a", "appointment": "formal"},
         "a role assigned to its current holder", True),
        ("SubGroupMemberJoined", day, {"subgroup": "fz-sg", "member": "fz-b"}, "a sub-group member joins twice", True),
        ("SubGroupMemberLeft", day, {"subgroup": "fz-sg", "member": "fz-c"}, "a sub-group non-member leaves", True),
        ("CollaborativeFormed", day, {"collaborative": "fz", "name": "Again", "anchorOrganisation": "A",
                                      "programmeStart": "2022-01-01"}, "a collaborative formed twice", True),
        ("SubGroupFormed", day, {"collaborative": "fz", "subgroup": "fz-sg", "title": "T", "aim": "A"},
         "a sub-group formed twice", True),
        ("EventRetracted", day, {"event": fixed_id(2), "reason": "mistake"},
         "retracting fz-a's join, which later events need", False),
        ("WorkshopHeld", day, {"workshop": maker.fresh("fzw"), "collaboratives": ["fz"], "kind": "launch",
                               "mode": "online", "attendees": ["fz-a", "fz-a"]}, "an attendee listed twice", True),
        ("WorkshopHeld", day, {"workshop": maker.fresh("fzw"), "collaboratives": [], "kind": "launch",
                               "mode": "online", "attendees": []}, "a workshop of no collaborative", True),
        ("CoachingSessionHeld", day, {"collaborative": "fz", "kind": "group", "advisor": "fz-a",
                                      "attendees": ["fz-x"]}, "a coaching attendee who has left", True),
        ("MemberLeft", "2021-03-01", {"collaborative": "fz", "member": "fz-a", "reason": "capacity"},
         "a late leave dated before a workshop the member attended", False),
        ("RoleAssigned", day, {"collaborative": "fz", "role": "subgroup-lead", "member": "fz-b",
                               "appointment": "formal"}, "a subgroup-lead without its sub-group", True),
        ("MemberLeft", "2021-01-20", {"collaborative": "fz", "member": "fz-c", "reason": "capacity"},
         "a leave dated before the join", False),
        ("SurveyWaveClosed", day, {"collaborative": "fz", "wave": maker.fresh("wave"), "invited": 5,
                                   "responded": 6}, "a survey with more responses than invitations", True),
        ("SurveyWaveClosed", day, {"collaborative": "fz", "wave": "2021", "invited": 5, "responded": 1},
         "a survey wave closed twice", True),
        ("RoleAssigned", day, {"collaborative": "fz", "role": "anchor", "member": "fz-b", "appointment": "formal",
                               "succeeds": "fz-b"}, "a holder succeeding themself", True),
        ("RoleAssigned", day, {"collaborative": "fz", "role": "anchor", "subgroup": "fz-sg", "member": "fz-b",
                               "appointment": "formal"}, "a sub-group for a role other than subgroup-lead", True),
        ("CoachingSessionHeld", day, {"collaborative": "fz", "kind": "one-to-one", "advisor": "fz-a",
                                      "attendees": ["fz-b", "fz-c"]}, "a one-to-one session with two attendees",
         True),
        ("MemberJoined", "0000-01-01", {"collaborative": "fz", "member": maker.fresh("fzn"), "sector": "health"},
         "a join dated in year 0000", True),
    ]
    type_name, when, data, description, named = maker.rng.choice(options)
    return _bury(maker, encode(maker.line(type_name, when, data)), description, named=named, filler_max=30)


def duplicate_id(maker: Maker):
    choice = maker.rng.random()
    if choice < 0.4:
        first, second = maker.any_valid(), maker.any_valid()
        second["id"] = first["id"]
        lines = [encode(first), encode(second)]
        description = "two different events with one id"
    elif choice < 0.7:
        first = maker.any_valid()
        lines = [encode(first), encode(first)]
        description = "the same line twice"
    else:
        line = maker.any_valid()
        line["id"] = fixed_id(maker.rng.randint(1, 12))
        lines = [encode(line)]
        description = "the id of a stored event with other content"
    filler = [encode(line) for line in maker.valid_batch(maker.rng.randint(0, 10))]
    at = maker.rng.randint(0, len(filler))
    gap = maker.rng.randint(0, 3)
    combined = filler[:at] + lines[:1] + filler[at:at + gap] + lines[1:] + filler[at + gap:]
    broken_index = combined.index(lines[-1], at + (1 if len(lines) > 1 else 0))
    return combined, description, broken_index


def bad_uuid(maker: Maker):
    text = maker.rng.choice(BAD_UUIDS)
    real = maker.uid()
    text = text.replace("UUIDNODASH", real.replace("-", "")).replace("UUID", real)
    if maker.rng.random() < 0.75:
        line = maker.any_valid()
        line["id"] = text
        where = "id"
    else:
        line = maker.line("EventRetracted", maker.day((2022, 4, 1), (2023, 12, 31)),
                          {"event": text, "reason": "mistake"})
        where = "the retracted event"
    return _bury(maker, encode(line), f"{where} {text!r} is not a UUID")


def number_out_of_range(maker: Maker):
    options = [
        ("guests", "workshop", ["-1", "-100", "9223372036854775808", "1e400", "99999999999999999999999", "-1e400",
                                "-9223372036854775809", "0.5"]),
        ("minutes", "coaching", ["-1", "-30", "1e400", "18446744073709551616", "2.5"]),
        ("invited", "survey", ["-1", "-9223372036854775808", "1e309"]),
        ("responded", "survey", ["-1", "99999999999999999999"]),
        ("schemaVersion", "top", ["65536", "-1", "99999999999", "2", "1000", "0"]),
    ]
    key, where, values = maker.rng.choice(options)
    value = maker.rng.choice(values)
    if where == "workshop":
        line = maker.workshop([])
    elif where == "coaching":
        line = maker.coaching([])
    elif where == "survey":
        line = maker.survey()
    else:
        line = maker.any_valid()
    if where == "top":
        line[key] = "@@NUM@@"
    else:
        line["data"][key] = "@@NUM@@"
    broken = encode(line).replace(b'"@@NUM@@"', value.encode())
    return _bury(maker, broken, f"{key} {value}")


def empty_input(maker: Maker):
    options = [(b"", "an empty file"), (b"\n", "one empty line"), (b"\n\n\n", "empty lines"),
               (b"   \n\t\n", "blank lines"), (b"\r\n\r\n", "CRLF blank lines"), (b" ", "a space")]
    payload, description = maker.rng.choice(options)
    return [payload], description, None


def missing_field(maker: Maker):
    line = maker.any_valid()
    required_data = {
        "MemberJoined": ["collaborative", "member", "sector"], "WorkshopHeld": ["workshop", "collaboratives", "kind",
                                                                                "mode", "attendees"],
        "CoachingSessionHeld": ["collaborative", "kind", "advisor", "attendees"],
        "SurveyWaveClosed": ["collaborative", "wave", "invited", "responded"],
        "MilestoneReached": ["subgroup", "kind", "title"], "MemberDetailsChanged": ["member"],
    }[line["type"]]
    if maker.rng.random() < 0.4:
        key = maker.rng.choice(["type", "occurredAt", "data"])
        del line[key]
        where = key
    else:
        key = maker.rng.choice(required_data)
        del line["data"][key]
        where = f"data.{key}"
    return _bury(maker, encode(line), f"{where} missing")


def syntax(maker: Maker):
    encoded = encode(maker.any_valid())
    options = [
        (b"[]", "an array line"), (b"1", "a number line"), (b'"x"', "a string line"), (b"null", "null"),
        (b"true", "true"), (encoded + b" x", "trailing garbage"), (encoded + b"}", "an extra brace"),
        (encoded + b",", "a trailing comma"), (encoded + encoded, "two objects on one line"),
        (encoded[:-1] + b',}', "a trailing comma in the object"),
        (encoded.replace(b'"type":', b'"type":"Bogus","type":', 1), "a duplicate key"),
        (encoded.replace(b'"occurredAt": "', b'"occurredAt": "\\x41', 1), "an invalid escape"),
        (encoded.replace(b'"occurredAt": "', b'"occurredAt": "\\u12', 1), "a short unicode escape"),
        (encoded.replace(b'"occurredAt": "', b'"occurredAt": "\\ud800', 1), "an unpaired surrogate escape"),
        (encoded.replace(b'"occurredAt": "', b'"occurredAt": "\x01', 1), "a raw control character in a string"),
        (encoded.replace(b'"occurredAt": "', b'"occurredAt": "\t', 1), "a raw tab in a string"),
        (encoded.replace(b'"occurredAt": "', b'"occurredAt": "\x00', 1), "a NUL byte in a string"),
        (b"\x00" + encoded, "a NUL byte before the object"),
        (encoded.replace(b'"', b"'"), "single quotes"),
        (encoded.replace(b'"type":', b"type:", 1), "an unquoted key"),
        (encoded.replace(b'": ', b'" ', 1), "a missing colon"),
        (encoded.replace(b', "', b' "', 1), "a missing comma"),
        (b"// comment\n"[:-1], "a comment line"),
        (encoded[:1] + b"/* c */" + encoded[1:], "a comment inside"),
        (b"{", "a lone brace"), (b"}", "a closing brace"), (b'{"type"}', "a key without value"),
        (b"\x1b[31m" + encoded, "an escape sequence before the object"),
    ]
    if b'"guests": ' in encoded:
        options += [(encoded.replace(b'"guests": ', b'"guests": 0', 1), "a number with a leading zero"),
                    (encoded.replace(b'"guests": ', b'"guests": +', 1), "a number with a plus sign"),
                    (encoded.replace(b'"guests": ', b'"guests": NaN, "g": ', 1), "NaN")]
    broken, description = maker.rng.choice(options)
    if broken == encoded:
        broken, description = encoded + b" x", "trailing garbage"
    return _bury(maker, broken, description)


def restore_fields(maker: Maker):
    line = maker.any_valid()
    key, value = maker.rng.choice([
        ("seq", 99), ("recordedAt", "2022-01-01T00:00:00Z"), ("hash", "ab" * 32), ("stream", "collaborative-fz"),
        ("streamVersion", 3), ("seq", 0), ("hash", "xyz")])
    line[key] = value
    return _bury(maker, encode(line), f"the output-only field {key} on a new event")


def bad_slug(maker: Maker):
    slug = maker.rng.choice(BAD_SLUGS)
    line = maker.rng.choice([maker.join, lambda: maker.workshop([]), lambda: maker.coaching([])])()
    key = {"MemberJoined": "member", "WorkshopHeld": "workshop", "CoachingSessionHeld": "advisor"}[line["type"]]
    if maker.rng.random() < 0.3 and line["type"] == "WorkshopHeld":
        line["data"]["attendees"] = ["fz-a", slug]
        key = "attendees"
    else:
        line["data"][key] = slug
    return _bury(maker, encode(line), f"{key} {slug[:20]!r} is not a slug")


CATEGORIES = {
    "truncated line": (truncated, 8), "wrong type": (wrong_type, 10), "unknown field": (unknown_field, 6),
    "unknown type or value": (unknown_type, 6), "huge string": (huge_string, 2), "invalid UTF-8": (invalid_utf8, 7),
    "deep nesting": (deep_nesting, 3), "impossible date": (impossible_date, 6), "future date": (future_date, 4),
    "missing reference": (missing_reference, 7), "buried rule violation": (buried_rule, 10),
    "duplicate id": (duplicate_id, 5), "bad UUID": (bad_uuid, 4), "number out of range": (number_out_of_range, 5),
    "empty input": (empty_input, 1), "missing field": (missing_field, 5), "JSON syntax": (syntax, 7),
    "output-only field": (restore_fields, 3), "bad slug": (bad_slug, 4),
}


def deep_copy(line):
    return copy.deepcopy(line)
