#!/usr/bin/env python3
"""Validate JSON or NDJSON against a Chronicle JSON Schema (draft 2020-12).

An independent check of the contract in EVENTS.md, written without the Swift
code: it uses only the schemas under Schemas/.

Usage:
    python3 scripts/validate_json.py [--ndjson] [--schemas DIR] SCHEMA_PATH [FILE|-]

FILE defaults to standard input ("-"). Without --ndjson, FILE holds one JSON
document; with --ndjson, every non-empty line is validated on its own.

Every schema file under the schemas directory (default: the repository's
Schemas/) is registered by its "$id", so relative "$ref"s such as
"../events/MemberJoined.v1.schema.json" resolve offline.

    python3 scripts/validate_json.py --serve [--schemas DIR]

With --serve, it answers requests on stdin (see serve()) instead: the
end-to-end tests validate thousands of outputs through one process.

Output: "ok: N document(s)" on success, otherwise one line per failure,
"FILE:LINE: <json path>: <message>". Exit status: 0 valid, 1 invalid,
2 usage error (bad arguments, unreadable or invalid schema).

Needs Python >= 3.11 and jsonschema 4.18+ (for the referencing package).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import re
import sys
from pathlib import Path
from typing import Any, Iterator

try:
    import jsonschema
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import ValidationError, best_match
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as exc:  # pragma: no cover - environment problem
    print(f"error: needs jsonschema>=4.18 and referencing: {exc}", file=sys.stderr)
    sys.exit(2)

DEFAULT_SCHEMAS = Path(__file__).resolve().parent.parent / "Schemas"


class UsageError(Exception):
    pass


# ---------------------------------------------------------------- JSON input


class JSONInputError(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise JSONInputError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise JSONInputError(f"{name} is not valid JSON")


def parse_json(text: str) -> Any:
    """Strict RFC 8259 parsing: no NaN/Infinity, no duplicate keys."""
    return json.loads(
        text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants
    )


# ------------------------------------------------------------- ECMA patterns


def ecma_pattern(pattern: str) -> str:
    """Translate an ECMA-262 pattern's '$' to Python's '\\Z'.

    In ECMA-262 (which JSON Schema specifies) '$' without the multiline flag
    matches only at the very end; Python's '$' also matches before a final
    newline, which would let "ol-17\\n" pass as a slug.
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
        elif ch == "$":
            ch = r"\Z"
        out.append(ch)
        i += 1
    return "".join(out)


_pattern_cache: dict[str, re.Pattern[str]] = {}


def _pattern_keyword(validator: Any, patrn: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "string"):
        return
    compiled = _pattern_cache.get(patrn)
    if compiled is None:
        compiled = _pattern_cache[patrn] = re.compile(ecma_pattern(patrn))
    if not compiled.search(instance):
        yield ValidationError(f"{instance!r} does not match {patrn!r}")


StrictValidator = jsonschema.validators.extend(
    Draft202012Validator, {"pattern": _pattern_keyword}
)
# A $ref into another resource picks its validator class from that resource's
# "$schema"; register ours for draft 2020-12 so the ECMA "$" applies there too
# (this only changes the mapping inside this process).
jsonschema.validators.validates("https://json-schema.org/draft/2020-12/schema")(StrictValidator)

# ------------------------------------------------------------------- formats

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATETIME_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})\Z"
)


def make_format_checker() -> FormatChecker:
    # Start from jsonschema's checkers (uuid among them) and replace date and
    # date-time with checks that need no optional packages.
    checker = FormatChecker()

    @checker.checks("date", raises=ValueError)
    def _date(instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        if not _DATE_RE.match(instance):
            return False
        _dt.date.fromisoformat(instance)  # calendar check: no 2021-02-30
        return True

    @checker.checks("date-time", raises=ValueError)
    def _date_time(instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        m = _DATETIME_RE.match(instance)
        if not m:
            return False
        text = instance.replace("t", "T").replace("z", "Z")
        if m.group(1):  # fromisoformat takes at most 6 fractional digits
            text = text.replace(m.group(1), m.group(1)[:7].ljust(7, "0"), 1)
        value = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        offset = value.utcoffset()
        if offset is not None and abs(offset) >= _dt.timedelta(hours=24):
            return False
        return True

    return checker


# ------------------------------------------------------------------ schemas


def load_registry(schema_dir: Path) -> Registry:
    registry: Registry = Registry()
    if not schema_dir.is_dir():
        return registry
    seen: dict[str, Path] = {}
    for path in sorted(schema_dir.rglob("*.json")):
        if "examples" in path.relative_to(schema_dir).parts:
            continue
        try:
            contents = parse_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"{path}: cannot read schema: {exc}") from exc
        if not isinstance(contents, dict):
            continue
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        uris = [path.resolve().as_uri()]
        if isinstance(contents.get("$id"), str):
            uri = contents["$id"]
            if uri in seen and seen[uri] != path.resolve():
                raise UsageError(f"{path}: $id {uri} already used by {seen[uri]}")
            seen[uri] = path.resolve()
            uris.append(uri)
        registry = registry.with_resources((u, resource) for u in uris)
    return registry


def load_schema(path: Path) -> dict[str, Any]:
    try:
        schema = parse_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read schema: {exc}") from exc
    if not isinstance(schema, dict):
        raise UsageError(f"{path}: a schema must be a JSON object")
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise UsageError(f"{path}: not a valid draft 2020-12 schema: {exc.message}") from exc
    if "$id" not in schema:  # let relative $refs resolve against the file
        schema = {"$id": path.resolve().as_uri(), **schema}
    return schema


# --------------------------------------------------------------- validation


def _describe(error: ValidationError) -> str:
    message = error.message
    if error.context:
        # anyOf/oneOf: name the alternative that came closest.
        message += f" ({best_match(error.context).message})"
    return message


def _json_path(error: ValidationError) -> str:
    return error.json_path


def validate_documents(
    validator: Any, name: str, text: str, ndjson: bool
) -> tuple[int, list[str]]:
    failures: list[str] = []
    count = 0
    if ndjson:
        units = [(n, line) for n, line in enumerate(text.split("\n"), start=1)]
        units = [(n, line.rstrip("\r")) for n, line in units if line.strip()]
    else:
        units = [(1, text)]
    for line_no, unit in units:
        count += 1
        try:
            document = parse_json(unit)
        except ValueError as exc:
            where = line_no
            if isinstance(exc, json.JSONDecodeError) and not ndjson:
                where = exc.lineno
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            failures.append(f"{name}:{where}: $: invalid JSON: {msg}")
            continue
        errors = sorted(
            validator.iter_errors(document),
            key=lambda e: (list(map(str, e.absolute_path)), e.message),
        )
        for error in errors:
            failures.append(f"{name}:{line_no}: {_json_path(error)}: {_describe(error)}")
    return count, failures


class Cache:
    """What the server mode keeps from one request to the next: the registry of every schema and each
    schema's validator (it checks many documents against the same few schemas)."""

    def __init__(self) -> None:
        self.registry: Registry | None = None
        self.validators: dict[Path, Any] = {}


def check(
    schema_path: Path, raw: bytes | None, name: str, ndjson: bool, schemas_dir: Path | None,
    cache: Cache | None = None, file: str | None = None,
) -> tuple[int, list[str], list[str]]:
    """Validates `raw` (or, when it is None, the bytes of `file`) against the schema at `schema_path`.

    Returns the exit status and the lines for stdout and stderr that the command line prints.
    """
    try:
        validator = cache.validators.get(schema_path.resolve()) if cache is not None else None
        if validator is None:
            schema = load_schema(schema_path)
            registry = cache.registry if cache is not None else None
            if registry is None:
                registry = load_registry(schemas_dir or DEFAULT_SCHEMAS)
            validator = StrictValidator(
                schema, registry=registry, format_checker=make_format_checker()
            )
            if cache is not None:
                cache.registry = registry
                cache.validators[schema_path.resolve()] = validator
        if raw is None:
            raw = Path(file or "-").read_bytes()
        text = raw.decode("utf-8")
    except (UsageError, OSError) as exc:
        return 2, [], [f"error: {exc}"]
    except UnicodeDecodeError as exc:
        return 1, [f"{file if file is not None else name}:1: $: not UTF-8: {exc}"], []

    if text.startswith("\ufeff"):
        return 1, [f"{name}:1: $: byte order mark is not allowed"], []

    try:
        count, failures = validate_documents(validator, name, text, ndjson)
    except Exception as exc:  # unresolvable $ref and the like: a schema problem
        return 2, [], [f"error: {type(exc).__name__}: {exc}"]
    if failures:
        return 1, failures, []
    return 0, [f"ok: {count} document(s)"], []


def serve(schemas_dir: Path | None) -> int:
    """The server mode (`--serve`), for a test suite that validates thousands of documents: starting Python
    and loading every schema for each would cost more than the checks. Each request on stdin is a JSON
    header line, {"schema": PATH, "ndjson": BOOL, "bytes": N}, followed by the document's N bytes; each
    answer on stdout is one JSON line, {"status": S, "stdout": TEXT, "stderr": TEXT}, holding exactly what
    the command line `validate_json.py [--ndjson] PATH -` would have printed and its exit status. Ends at
    the end of stdin.
    """
    cache = Cache()
    requests = sys.stdin.buffer
    answers = sys.stdout.buffer
    while True:
        header = requests.readline()
        if not header:
            return 0
        try:
            request = json.loads(header)
            schema, ndjson, size = request["schema"], request["ndjson"], request["bytes"]
            if not isinstance(schema, str) or not isinstance(ndjson, bool) or not isinstance(size, int):
                raise ValueError("schema, ndjson or bytes of the wrong type")
        except (ValueError, KeyError, TypeError) as exc:
            print(f"error: a request header that cannot be read: {exc}", file=sys.stderr)
            return 2
        raw = requests.read(size)
        if len(raw) != size:
            print(f"error: a request ended after {len(raw)} of its {size} bytes", file=sys.stderr)
            return 2
        status, out, err = check(Path(schema), raw, "<stdin>", ndjson, schemas_dir, cache)
        answer = {
            "status": status,
            "stdout": "".join(line + "\n" for line in out),
            "stderr": "".join(line + "\n" for line in err),
        }
        answers.write(json.dumps(answer).encode("utf-8") + b"\n")
        answers.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Validate JSON / NDJSON against a Chronicle JSON Schema (draft 2020-12)."
    )
    parser.add_argument("schema", metavar="SCHEMA_PATH", nargs="?", help="schema file to validate against")
    parser.add_argument("file", metavar="FILE", nargs="?", default="-", help="input file, or - for stdin (default)")
    parser.add_argument("--ndjson", action="store_true", help="validate each non-empty line as its own document")
    parser.add_argument(
        "--schemas", metavar="DIR", type=Path, default=None,
        help=f"directory of schemas to register by $id (default: {DEFAULT_SCHEMAS})",
    )
    parser.add_argument(
        "--serve", action="store_true",
        help="answer validation requests on stdin until it ends (see serve()); no SCHEMA_PATH",
    )
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.schemas)
    if args.schema is None:
        parser.error("the following arguments are required: SCHEMA_PATH")

    if args.file == "-":
        name = "<stdin>"
        raw = sys.stdin.buffer.read()
    else:
        name = args.file
        raw = None
    status, out, err = check(Path(args.schema), raw, name, args.ndjson, args.schemas, file=args.file)
    for line in out:
        print(line)
    for line in err:
        print(line, file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
