#!/usr/bin/env python3
"""An independent check of Chronicle's stored and exported format, written from FORMAT.md alone.

    python3 scripts/verify_format.py --store DIR [--export FILE]
    python3 scripts/verify_format.py --export FILE

With --store it opens the LMDB store read-only and, for every event, decodes the envelope, recomputes the
hash chain, decodes the payload per the binary layouts (or the canonical JSON of earlier stores), opens
every sealed field whose key is stored, and checks every index entry and count. With --export it rebuilds
each line's stored payload and envelope from the line alone and recomputes its hash and the chain, and
re-renders the line to check that its bytes are canonical. Given both, the export's hashes must be the
store's. Prints one summary line and exits 0, or names the first fault and exits 1.

It imports nothing of Chronicle's: if the code and FORMAT.md part ways, this script fails.
"""

import argparse
import base64
import hashlib
import hmac
import json
import struct
import sys
import uuid

import lmdb
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMATS = (2, 3)  # FORMAT.md "Format number": 3 only records that layout 2 payloads may be present
ZERO_HASH = bytes(32)
SHORT, LONG = 200, 2000
SEAL_OVERHEAD = 28  # 12-byte nonce + 16-byte tag

ENUMS = {
    "Sector": ["primary-school", "secondary-school", "special-school", "alternative-provision", "virtual-school",
               "la-education", "la-early-help", "la-send-inclusion", "social-care", "health", "camhs",
               "educational-psychology", "parent-carer-forum", "voluntary-sector", "programme-staff", "other"],
    "LeaveReason": ["capacity", "relevance", "role-change", "left-organisation", "programme-ended", "other",
                    "unknown"],
    "Role": ["anchor", "advisor", "subgroup-lead", "pcf-representative"],
    "Appointment": ["formal", "self-appointed", "interim"],
    "SubGroupStatus": ["planned", "in-progress", "delivered", "embedded", "extended", "paused", "stalled", "closed"],
    "MilestoneKind": ["plan-agreed", "terms-of-reference", "pilot-started", "pilot-completed", "service-launched",
                      "expanded", "funding-secured", "evidence-gathered", "handed-over", "other"],
    "WorkshopKind": ["launch", "convening", "collaborative", "cross-locality"],
    "WorkshopMode": ["in-person", "online"],
    "CoachingKind": ["one-to-one", "group", "drop-in", "catch-up", "leadership", "admin-support", "consultation"],
}

# (name, kind, required, argument): the fields of each type, in payload order (FORMAT.md "Fields by type").
# Kinds: slug, text (argument: maximum characters), enum (argument: the enumeration), count, day, id,
# slugs (argument: whether the list may be empty), personal (argument: maximum), organisation (argument: maximum).
TYPES = {
    "CollaborativeFormed": [("collaborative", "slug", True, None), ("name", "text", True, SHORT),
                            ("anchorOrganisation", "text", True, SHORT), ("programmeStart", "day", True, None)],
    "MemberJoined": [("collaborative", "slug", True, None), ("member", "slug", True, None),
                     ("name", "personal", False, SHORT), ("sector", "enum", True, "Sector"),
                     ("organisation", "organisation", False, SHORT)],
    "MemberDetailsChanged": [("member", "slug", True, None), ("name", "personal", False, SHORT),
                             ("sector", "enum", False, "Sector"), ("organisation", "organisation", False, SHORT)],
    "MemberLeft": [("collaborative", "slug", True, None), ("member", "slug", True, None),
                   ("reason", "enum", True, "LeaveReason"), ("note", "personal", False, LONG)],
    "RoleAssigned": [("collaborative", "slug", True, None), ("role", "enum", True, "Role"),
                     ("subgroup", "slug", False, None), ("member", "slug", True, None),
                     ("appointment", "enum", True, "Appointment"), ("succeeds", "slug", False, None)],
    "RoleEnded": [("collaborative", "slug", True, None), ("role", "enum", True, "Role"),
                  ("subgroup", "slug", False, None), ("member", "slug", True, None),
                  ("reason", "personal", False, LONG)],
    "SubGroupFormed": [("collaborative", "slug", True, None), ("subgroup", "slug", True, None),
                       ("title", "text", True, SHORT), ("aim", "text", True, LONG)],
    "SubGroupMemberJoined": [("subgroup", "slug", True, None), ("member", "slug", True, None)],
    "SubGroupMemberLeft": [("subgroup", "slug", True, None), ("member", "slug", True, None),
                           ("reason", "personal", False, LONG)],
    "SubGroupRedefined": [("subgroup", "slug", True, None), ("title", "text", False, SHORT),
                          ("aim", "text", True, LONG), ("reason", "text", True, LONG)],
    "SubGroupStatusChanged": [("subgroup", "slug", True, None), ("status", "enum", True, "SubGroupStatus"),
                              ("note", "text", False, LONG)],
    "MilestoneReached": [("subgroup", "slug", True, None), ("kind", "enum", True, "MilestoneKind"),
                         ("title", "text", True, SHORT), ("note", "text", False, LONG)],
    "WorkshopHeld": [("workshop", "slug", True, None), ("collaboratives", "slugs", True, False),
                     ("kind", "enum", True, "WorkshopKind"), ("mode", "enum", True, "WorkshopMode"),
                     ("title", "text", False, SHORT), ("attendees", "slugs", True, True),
                     ("guests", "count", False, None)],
    "CoachingSessionHeld": [("collaborative", "slug", True, None), ("subgroup", "slug", False, None),
                            ("kind", "enum", True, "CoachingKind"), ("advisor", "slug", True, None),
                            ("attendees", "slugs", True, True), ("minutes", "count", False, None)],
    "SurveyWaveClosed": [("collaborative", "slug", True, None), ("wave", "text", True, SHORT),
                         ("invited", "count", True, None), ("responded", "count", True, None)],
    "EventRetracted": [("event", "id", True, None), ("reason", "text", True, LONG)],
    "PersonalDataErased": [("member", "slug", True, None), ("reason", "text", True, LONG)],
}

# The stream of each type: the prefix and the field whose slug follows it ("retractions" has none).
STREAMS = {
    "CollaborativeFormed": "collaborative", "MemberJoined": "collaborative", "MemberLeft": "collaborative",
    "RoleAssigned": "collaborative", "RoleEnded": "collaborative", "SubGroupFormed": "collaborative",
    "CoachingSessionHeld": "collaborative", "SurveyWaveClosed": "collaborative",
    "MemberDetailsChanged": "member", "PersonalDataErased": "member",
    "SubGroupMemberJoined": "subgroup", "SubGroupMemberLeft": "subgroup", "SubGroupRedefined": "subgroup",
    "SubGroupStatusChanged": "subgroup", "MilestoneReached": "subgroup", "WorkshopHeld": "workshop",
}

DAY_RANGE = (-719_528, 2_932_896)  # 0000-01-01 ... 9999-12-31
MICROS_PER_DAY = 86_400_000_000
ENVELOPE_DAY_RANGE = (-(2**63) // MICROS_PER_DAY + 1, (2**63 - 1) // MICROS_PER_DAY)
INSTANT_RANGE = (-(1 << 62), 1 << 62)


class Fault(Exception):
    pass


# ---------------------------------------------------------------- calendar and text of times

def civil(days):
    """(year, month, day) of a day number (days since 1970-01-01, proleptic Gregorian)."""
    shifted = days + 719_468
    era = shifted // 146_097
    doe = shifted - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (1 if month <= 2 else 0), month, day


def days_from_civil(year, month, day):
    y = year - 1 if month <= 2 else year
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    return era * 146_097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719_468


def day_text(days):
    year, month, day = civil(days)
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_day(text):
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or not (text[:4] + text[5:7] + text[8:]).isdigit():
        raise Fault(f"{text!r} is not YYYY-MM-DD")
    days = days_from_civil(int(text[:4]), int(text[5:7]), int(text[8:]))
    if day_text(days) != text:
        raise Fault(f"{text!r} is not a calendar date")
    return days


def instant_text(micros):
    """RFC 3339 UTC: YYYY-MM-DDTHH:MM:SSZ, with .ffffff only when the microseconds are not zero."""
    days, in_day = divmod(micros, MICROS_PER_DAY)
    seconds, fraction = divmod(in_day, 1_000_000)
    text = f"{day_text(days)}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return text + (f".{fraction:06d}" if fraction else "") + "Z"


def occurred_text(kind, value):
    return day_text(value) if kind == 0 else instant_text(value)


def parse_canonical_instant(text):
    """The instant of a canonical instant text (as instant_text writes it), or a Fault."""
    if len(text) < 20 or text[10] != "T" or not text.endswith("Z"):
        raise Fault(f"{text!r} is not a canonical UTC instant")
    days = parse_day(text[:10])
    hh, mm, ss = text[11:13], text[14:16], text[17:19]
    micros = (days * 86_400 + int(hh) * 3600 + int(mm) * 60 + int(ss)) * 1_000_000
    if len(text) > 20:
        micros += int(text[20:26])
    if instant_text(micros) != text:
        raise Fault(f"{text!r} is not a canonical UTC instant")
    return micros


# ---------------------------------------------------------------- canonical JSON

def canonical(value):
    """Canonical JSON bytes: keys sorted by UTF-8 bytes, no whitespace, minimal escapes (FORMAT.md)."""
    out = bytearray()
    write_json(value, out)
    return bytes(out)


ESCAPES = {0x22: b'\\"', 0x5C: b"\\\\", 0x0A: b"\\n", 0x0D: b"\\r", 0x09: b"\\t", 0x08: b"\\b", 0x0C: b"\\f"}


def write_string(text, out):
    out += b'"'
    for byte in text.encode("utf-8"):
        if byte in ESCAPES:
            out += ESCAPES[byte]
        elif byte < 0x20:
            out += b"\\u00%02x" % byte
        else:
            out.append(byte)
    out += b'"'


def write_json(value, out):
    if value is None:
        out += b"null"
    elif value is True:
        out += b"true"
    elif value is False:
        out += b"false"
    elif isinstance(value, int):
        out += str(value).encode()
    elif isinstance(value, str):
        write_string(value, out)
    elif isinstance(value, list):
        out += b"["
        for index, element in enumerate(value):
            if index:
                out += b","
            write_json(element, out)
        out += b"]"
    elif isinstance(value, dict):
        out += b"{"
        for index, key in enumerate(sorted(value, key=lambda k: k.encode("utf-8"))):
            if index:
                out += b","
            write_string(key, out)
            out += b":"
            write_json(value[key], out)
        out += b"}"
    else:
        raise Fault(f"no canonical form for {value!r}")


def parse_json(raw, what):
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise Fault(f"{what} is not JSON: {error}")


# ---------------------------------------------------------------- varints, slugs, sealing

def varint(value):
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def is_slug(text):
    return 0 < len(text) <= 64 and text[0] != "-" and all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in text)


def seal(text, key, event_id, field):
    nonce = hmac.new(key, event_id + field.encode("utf-8"), hashlib.sha256).digest()[:12]
    return nonce + AESGCM(key).encrypt(nonce, text.encode("utf-8"), None)


def open_sealed(sealed, key, event_id, field):
    """The text of a sealed value; a Fault unless its nonce is the one FORMAT.md derives and it opens."""
    nonce = hmac.new(key, event_id + field.encode("utf-8"), hashlib.sha256).digest()[:12]
    if sealed[:12] != nonce:
        raise Fault(f"data.{field}: the nonce is not HMAC-SHA256(key, id ‖ field)[:12]")
    try:
        return AESGCM(key).decrypt(sealed[:12], sealed[12:], None).decode("utf-8")
    except Exception:
        raise Fault(f"data.{field}: does not open with the member's key")


def uuid_text(raw):
    return str(uuid.UUID(bytes=raw))


# ---------------------------------------------------------------- binary payload

class Reader:
    def __init__(self, data):
        self.data, self.offset = data, 1

    def take(self, field, count):
        if count > len(self.data) - self.offset:
            raise Fault(f"data.{field}: ends early")
        part = self.data[self.offset:self.offset + count]
        self.offset += count
        return part

    def byte(self, field):
        return self.take(field, 1)[0]

    def varint(self, field):
        value, shift = 0, 0
        while True:
            byte = self.byte(field)
            if shift > 63 or (shift == 63 and byte > 1):
                raise Fault(f"data.{field}: number out of range")
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                if byte == 0 and shift > 0:
                    raise Fault(f"data.{field}: number not in its shortest form")
                return value
            shift += 7

    def utf8(self, field, count, maximum):
        try:
            text = self.take(field, count).decode("utf-8")
        except UnicodeDecodeError:
            raise Fault(f"data.{field}: text is not UTF-8")
        if not text:
            raise Fault(f"data.{field}: empty text")
        if len(text) > maximum:
            raise Fault(f"data.{field}: longer than {maximum} characters")
        return text

    def slug_body(self, field, length):
        text = self.take(field, length).decode("ascii", errors="replace")
        if not is_slug(text):
            raise Fault(f"data.{field}: {text!r} is not a slug")
        return text


def decode_binary(type_name, payload):
    """(fields, personal): the payload's JSON `data` (sealed text as {"sealed": base64}) and its sealed bytes."""
    layout = payload[0]
    reader, data, sealed = Reader(payload), {}, {}
    for name, kind, required, argument in TYPES[type_name]:
        value = None
        if kind == "slug":
            length = reader.byte(name)
            value = reader.slug_body(name, length) if length else None
        elif kind == "text" or (kind == "organisation" and layout == 1):
            stored = reader.varint(name)
            value = reader.utf8(name, stored - 1, argument) if stored else None
        elif kind == "enum":
            code = reader.byte(name)
            if code > len(ENUMS[argument]):
                raise Fault(f"data.{name}: value code {code} is not defined")
            value = ENUMS[argument][code - 1] if code else None
        elif kind == "count":
            stored = reader.varint(name)
            value = stored - 1 if stored else None
        elif kind == "day":
            days = struct.unpack(">i", reader.take(name, 4))[0]
            if not DAY_RANGE[0] <= days <= DAY_RANGE[1]:
                raise Fault(f"data.{name}: day {days} out of range")
            value = day_text(days)
        elif kind == "id":
            value = uuid_text(reader.take(name, 16))
        elif kind == "slugs":
            count = reader.varint(name)
            value = []
            for _ in range(count):
                length = reader.byte(name)
                if length == 0:
                    raise Fault(f"data.{name}: empty slug in a list")
                slug = reader.slug_body(name, length)
                if slug in value:
                    raise Fault(f"data.{name}: {slug} is listed twice")
                value.append(slug)
            if not value and not argument:
                raise Fault(f"data.{name}: empty list")
        elif kind in ("personal", "organisation"):
            personal_kind = reader.byte(name)
            if personal_kind == 1:
                value = reader.utf8(name, reader.varint(name), argument)
            elif personal_kind == 2:
                raw = reader.take(name, reader.varint(name))
                if len(raw) < SEAL_OVERHEAD:
                    raise Fault(f"data.{name}: sealed text too short")
                sealed[name] = raw
                value = {"sealed": base64.b64encode(raw).decode()}
            elif personal_kind != 0:
                raise Fault(f"data.{name}: personal text kind {personal_kind} is not defined")
            if kind == "organisation" and value is None:
                raise Fault(f"data.{name}: layout 2 without a value")
        if value is None and required:
            raise Fault(f"data.{name}: required field is absent")
        if value is not None:
            data[name] = value
    if reader.offset != len(payload):
        raise Fault(f"data: {len(payload) - reader.offset} bytes after the last field")
    if layout == 2 and "organisation" not in data:
        raise Fault("data: layout 2 without an organisation")
    return data, sealed


def encode_binary(type_name, data, organisation_in_clear=False):
    """The binary layout of `data` (personal values: a string is plain, {"sealed": base64} sealed)."""
    layout = 1
    out = bytearray([1])
    for name, kind, required, argument in TYPES[type_name]:
        value = data.get(name)
        if value is None and required:
            raise Fault(f"data.{name}: required field is missing")
        if kind == "organisation" and not organisation_in_clear and value is not None:
            layout = 2
        if kind == "slug":
            out += bytes([len(value)]) + value.encode() if value is not None else b"\x00"
        elif kind == "text" or (kind == "organisation" and organisation_in_clear):
            if isinstance(value, dict):
                raise Fault(f"data.{name}: sealed where the layout keeps text")
            out += varint(len(value.encode("utf-8")) + 1) + value.encode("utf-8") if value is not None else b"\x00"
        elif kind == "enum":
            if value is not None and value not in ENUMS[argument]:
                raise Fault(f"data.{name}: {value!r} is not a {argument}")
            out.append(ENUMS[argument].index(value) + 1 if value is not None else 0)
        elif kind == "count":
            out += varint(value + 1) if value is not None else b"\x00"
        elif kind == "day":
            out += struct.pack(">i", parse_day(value))
        elif kind == "id":
            out += uuid.UUID(value).bytes
        elif kind == "slugs":
            out += varint(len(value))
            for slug in value:
                out += bytes([len(slug)]) + slug.encode()
        elif kind in ("personal", "organisation"):
            if value is None:
                out.append(0)
            elif isinstance(value, dict):
                raw = base64.b64decode(value["sealed"])
                out += b"\x02" + varint(len(raw)) + raw
            else:
                out += b"\x01" + varint(len(value.encode("utf-8"))) + value.encode("utf-8")
    out[0] = layout
    return bytes(out)


def personal_fields(type_name):
    return [name for name, kind, _, _ in TYPES[type_name] if kind in ("personal", "organisation")]


def member_of(type_name, data):
    return data.get("member") if personal_fields(type_name) else None


def check_payload(type_name, schema_version, payload):
    """Decodes a stored payload: (data, sealed bytes by field, kind) where kind is "binary" or "json"."""
    if type_name not in TYPES:
        raise Fault(f"unknown event type {type_name!r}")
    if not payload:
        raise Fault("empty payload")
    if payload[0] in (1, 2):
        if schema_version != 1:
            raise Fault(f"a binary payload in schema version {schema_version}")
        data, sealed = decode_binary(type_name, payload)
        if encode_binary(type_name, data) != payload and encode_binary(type_name, data, True) != payload:
            raise Fault("the binary payload does not encode back to its bytes")
        return data, sealed, "binary"
    if payload[:1] != b"{":
        raise Fault(f"payload starts with byte {payload[0]}: neither a layout byte nor JSON")
    data = parse_json(payload, "payload")
    if canonical(data) != payload:
        raise Fault("JSON payload is not canonical JSON")
    sealed = {name: base64.b64decode(data[name]["sealed"])
              for name in personal_fields(type_name) if isinstance(data.get(name), dict)}
    if schema_version == 1:
        encode_binary(type_name, data)  # every field as the type defines it
    return data, sealed, "json"


# ---------------------------------------------------------------- envelope

def decode_body(body):
    """The envelope fields of an event body (encoding version 1)."""
    try:
        version, seq, raw_id, stream_version, recorded_at, kind, occurred, schema = struct.unpack_from(
            ">BQ16sQqBqH", body, 0)
        offset = 1 + 8 + 16 + 8 + 8 + 1 + 8 + 2
        strings = []
        for _ in range(3):
            (length,) = struct.unpack_from(">H", body, offset)
            if len(body) < offset + 2 + length:
                raise Fault("body ends early")
            strings.append(body[offset + 2:offset + 2 + length].decode("utf-8"))
            offset += 2 + length
        (payload_length,) = struct.unpack_from(">I", body, offset)
        payload = body[offset + 4:]
    except (struct.error, UnicodeDecodeError) as error:
        raise Fault(f"body does not decode: {error}")
    if version != 1:
        raise Fault(f"encoding version {version}")
    if len(payload) != payload_length:
        raise Fault(f"payload of {len(payload)} bytes, its length says {payload_length}")
    if kind > 1:
        raise Fault(f"occurredAt kind {kind}")
    if not (ENVELOPE_DAY_RANGE if kind == 0 else INSTANT_RANGE)[0] <= occurred <= (
            ENVELOPE_DAY_RANGE if kind == 0 else INSTANT_RANGE)[1]:
        raise Fault(f"occurredAt {occurred} out of range")
    if not INSTANT_RANGE[0] <= recorded_at <= INSTANT_RANGE[1]:
        raise Fault(f"recordedAt {recorded_at} out of range")
    return dict(seq=seq, id=raw_id, streamVersion=stream_version, recordedAt=recorded_at, kind=kind,
                occurred=occurred, schemaVersion=schema, type=strings[0], stream=strings[1], recordedBy=strings[2],
                payload=payload)


def encode_body(e):
    out = struct.pack(">BQ16sQqBqH", 1, e["seq"], e["id"], e["streamVersion"], e["recordedAt"], e["kind"],
                      e["occurred"], e["schemaVersion"])
    for name in ("type", "stream", "recordedBy"):
        raw = e[name].encode("utf-8")
        out += struct.pack(">H", len(raw)) + raw
    return out + struct.pack(">I", len(e["payload"])) + e["payload"]


def chain(previous, body):
    return hashlib.sha256(previous + body).digest()


def sort_key(kind, occurred):
    return occurred * MICROS_PER_DAY if kind == 0 else occurred


def expected_stream(type_name, data):
    prefix = STREAMS.get(type_name)
    return "retractions" if prefix is None else f"{prefix}-{data[prefix]}"


# ---------------------------------------------------------------- the store

def u64(value):
    return struct.pack(">Q", value)


def verify_store(directory):
    env = lmdb.open(directory, readonly=True, lock=False, max_dbs=16, subdir=True)
    names = ["meta", "events", "ids", "streams", "types", "occurred", "tags", "checkpoints", "keys"]
    with env.begin() as txn:
        dbs = {}
        for name in names:
            try:
                dbs[name] = env.open_db(name.encode(), txn=txn, create=False, dupsort=(name == "tags"))
            except lmdb.NotFoundError:
                # Only the tag index may be missing: stores written before it have none until opened for writing.
                if name != "tags":
                    raise Fault(f"no database {name!r}")
        meta = dict(txn.cursor(dbs["meta"]))
        if len(meta.get(b"format", b"")) != 4:
            raise Fault("meta: no 4-byte format number")
        format_number = struct.unpack(">I", meta[b"format"])[0]
        if format_number not in FORMATS:
            raise Fault(f"meta: format {format_number}, this verifier reads {FORMATS}")
        head = meta.get(b"head", b"")
        if len(head) != 48:
            raise Fault("meta: head is not 48 bytes")
        head_seq, head_hash, head_recorded = struct.unpack(">Q32sq", head)
        keys = {bytes(k): bytes(v) for k, v in txn.cursor(dbs["keys"])}
        for subject, key in keys.items():
            if len(key) != 32 or not subject.startswith(b"member-") or not is_slug(subject[7:].decode(errors="replace")):
                raise Fault(f"keys: entry {subject!r} is not member-<slug> → 32 bytes")

        previous, last_recorded, count = ZERO_HASH, None, 0
        streams, layouts, opened = {}, {"binary": 0, "json": 0}, 0
        cursor = txn.cursor(dbs["events"])
        for raw_key, record in cursor:
            count += 1
            where = f"events seq {count}"
            if raw_key != u64(count):
                raise Fault(f"{where}: key {bytes(raw_key).hex()} (seqs must run 1, 2, 3 …)")
            if len(record) <= 32:
                raise Fault(f"{where}: record too short")
            body, stored_hash = bytes(record[:-32]), bytes(record[-32:])
            try:
                e = decode_body(body)
                if e["seq"] != count:
                    raise Fault(f"body says seq {e['seq']}")
                if chain(previous, body) != stored_hash:
                    raise Fault("hash is not SHA-256(previous hash ‖ body)")
                if encode_body(e) != body:
                    raise Fault("body does not re-encode to its bytes")
                if last_recorded is not None and e["recordedAt"] < last_recorded:
                    raise Fault("recordedAt decreases")
                data, sealed, kind = check_payload(e["type"], e["schemaVersion"], e["payload"])
                layouts[kind] += 1
                if e["schemaVersion"] == 1 and expected_stream(e["type"], data) != e["stream"]:
                    raise Fault(f"stream {e['stream']!r}, the payload says {expected_stream(e['type'], data)!r}")
                member = member_of(e["type"], data)
                key = keys.get(f"member-{member}".encode()) if member else None
                for field, raw in sealed.items():
                    if key is not None:
                        open_sealed(raw, key, e["id"], field)
                        opened += 1
                version = streams.get(e["stream"], 0) + 1
                if e["streamVersion"] != version:
                    raise Fault(f"stream version {e['streamVersion']}, expected {version}")
                streams[e["stream"]] = version
                if txn.get(e["id"], db=dbs["ids"]) != u64(count):
                    raise Fault("ids: the event's id does not map to its seq")
                if txn.get(e["stream"].encode() + b"\x00" + u64(version), db=dbs["streams"]) != u64(count):
                    raise Fault("streams: no entry (stream, version) → seq")
                if txn.get(e["type"].encode() + b"\x00" + u64(count), db=dbs["types"]) != b"":
                    raise Fault("types: no entry (type, seq)")
                occurred_key = struct.pack(">Q", (sort_key(e["kind"], e["occurred"]) & (2**64 - 1)) ^ (1 << 63))
                if txn.get(occurred_key + u64(count), db=dbs["occurred"]) != b"":
                    raise Fault("occurred: no entry (valid-time key, seq)")
            except KeyError as missing:
                raise Fault(f"{where}: no member {missing}")
            except (Fault, TypeError, ValueError) as fault:
                raise Fault(f"{where}: {fault}")
            previous, last_recorded = stored_hash, e["recordedAt"]
        if (head_seq, head_hash) != (count, previous) or (count and head_recorded != last_recorded):
            raise Fault(f"meta: head (seq {head_seq}) is not the last event (seq {count})")
        for name, expected in (("ids", count), ("streams", count), ("types", count), ("occurred", count)):
            entries = txn.stat(dbs[name])["entries"]
            if entries != expected:
                raise Fault(f"{name}: {entries} entries for {expected} events")
        tags_through = struct.unpack(">Q", meta[b"tags"])[0] if b"tags" in meta else 0
        if tags_through > count:
            raise Fault("meta: the tag index is said complete beyond the head")
        for tag, seq in txn.cursor(dbs["tags"]) if "tags" in dbs else []:
            if len(seq) != 8 or not 1 <= struct.unpack(">Q", seq)[0] <= count:
                raise Fault(f"tags: entry {bytes(tag)!r} is not a stored seq")
        for name, value in txn.cursor(dbs["checkpoints"]):
            if len(value) < 8 or struct.unpack(">Q", value[:8])[0] > count:
                raise Fault(f"checkpoints: {bytes(name)!r} has no position within the log")
    env.close()
    return dict(format=format_number, events=count, head=previous, layouts=layouts, opened=opened, keys=len(keys))


def store_hashes(directory):
    env = lmdb.open(directory, readonly=True, lock=False, max_dbs=16, subdir=True)
    with env.begin() as txn:
        db = env.open_db(b"events", txn=txn, create=False)
        result = [bytes(record[-32:]) for _, record in txn.cursor(db)]
    env.close()
    return result


# ---------------------------------------------------------------- an export

LINE_KEYS = ["id", "seq", "type", "schemaVersion", "occurredAt", "recordedAt", "recordedBy", "stream",
             "streamVersion", "hash"]


def render_line(line):
    """The line as `export` writes it: FORMAT.md "Export lines" (fixed key order, canonical values)."""
    out = bytearray()
    for index, name in enumerate(LINE_KEYS + (["sealed"] if "sealed" in line else [])):
        out += b'{"' if index == 0 else b',"'
        out += name.encode() + b'":' + canonical(line[name])
    return bytes(out + b',"data":' + canonical(line["data"]) + b"}")


def payload_candidates(line):
    """The stored payloads an export line may stand for, in the order a restore tries them."""
    type_name, data, sealed = line["type"], dict(line["data"]), line.get("sealed")
    fields = personal_fields(type_name)
    event_id = uuid.UUID(line["id"]).bytes
    stored = dict(data)
    if sealed is not None:
        if "key" in sealed:
            key = base64.b64decode(sealed["key"])
            for field in fields:
                if isinstance(data.get(field), str):
                    stored[field] = {"sealed": base64.b64encode(seal(data[field], key, event_id, field)).decode()}
        else:
            for field, value in sealed["erased"].items():
                if field not in fields or field in data:
                    raise Fault(f"sealed.erased.{field}: not a personal field left out of data")
                stored[field] = {"sealed": value}
    in_clear = dict(stored)
    if "organisation" in fields and isinstance(data.get("organisation"), str):
        in_clear["organisation"] = data["organisation"]
    if line["schemaVersion"] == 1:  # the latest version: binary layouts only (FORMAT.md "Export lines")
        makers = [lambda: encode_binary(type_name, stored),
                  lambda: encode_binary(type_name, in_clear, organisation_in_clear=True)]
    else:
        makers = [lambda: canonical(stored), lambda: canonical(in_clear)]
    for make in makers:
        try:
            yield make()
        except Fault:
            continue  # a layout that cannot hold this line's fields (an organisation sealed, for layout 1)


def verify_export(path, store_hash_list=None):
    previous, count = ZERO_HASH, 0
    with open(path, "rb") as file:
        for number, raw in enumerate(file, start=1):
            raw = raw.rstrip(b"\n")
            if not raw:
                continue
            try:
                line = parse_json(raw, "the line")
                if render_line(line) != raw:
                    raise Fault("the line is not as `export` renders it (key order, canonical values)")
                count += 1
                if line["seq"] != count:
                    raise Fault(f"seq {line['seq']}, expected {count}")
                occurred = line["occurredAt"]
                kind, value = (0, parse_day(occurred)) if len(occurred) == 10 else (1, parse_canonical_instant(occurred))
                if str(uuid.UUID(line["id"])) != line["id"]:
                    raise Fault("id is not a lower-case UUID")
                envelope = dict(seq=count, id=uuid.UUID(line["id"]).bytes, streamVersion=line["streamVersion"],
                                recordedAt=parse_canonical_instant(line["recordedAt"]), kind=kind, occurred=value,
                                schemaVersion=line["schemaVersion"], type=line["type"], stream=line["stream"],
                                recordedBy=line["recordedBy"])
                expected = bytes.fromhex(line["hash"])
                for payload in payload_candidates(line):
                    if chain(previous, encode_body(dict(envelope, payload=payload))) == expected:
                        break
                else:
                    raise Fault("no payload the line stands for gives its hash after the previous line's")
                if store_hash_list is not None and (count > len(store_hash_list) or store_hash_list[count - 1] != expected):
                    raise Fault("the hash is not the store's event's")
            except KeyError as missing:
                raise Fault(f"{path} line {number}: no member {missing}")
            except (Fault, TypeError, ValueError) as fault:
                raise Fault(f"{path} line {number}: {fault}")
            previous = expected
    if store_hash_list is not None and count != len(store_hash_list):
        raise Fault(f"{path}: {count} lines for {len(store_hash_list)} stored events")
    return count, previous


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="a store directory (opened read-only)")
    parser.add_argument("--export", action="append", default=[], help="an export (NDJSON); may be repeated")
    args = parser.parse_args()
    if not args.store and not args.export:
        parser.error("give --store, --export or both")
    try:
        hashes = None
        if args.store:
            result = verify_store(args.store)
            hashes = store_hashes(args.store)
            print(f"verify_format: {args.store}: format {result['format']}, {result['events']} events "
                  f"({result['layouts']['binary']} binary payloads, {result['layouts']['json']} JSON), "
                  f"{result['keys']} keys, {result['opened']} sealed fields opened; head {result['head'].hex()}")
        for path in args.export:
            count, head = verify_export(path, hashes)
            print(f"verify_format: {path}: {count} lines; head {head.hex()}")
    except (Fault, lmdb.Error, OSError) as fault:
        print(f"verify_format: {fault}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
