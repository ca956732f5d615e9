#!/usr/bin/env bash
# Runs scripts/verify_format.py, the format's verifier written from FORMAT.md alone, on stores the binary
# makes and on their exports: the demo store, and a generated history of 2,000 events (personal data sealed,
# members erased) with an event whose valid time is an instant, and a restored export of binary layout 1.
#
#     bash scripts/test_format.sh PATH/TO/chronicle
set -euo pipefail
cd "$(dirname "$0")/.."
chronicle="$1"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CHRONICLE_NOW=2025-09-01T12:00:00Z

"$chronicle" demo --store "$work/demo" >/dev/null
"$chronicle" init --store "$work/generated" >/dev/null
"$chronicle" generate --events 2000 --seed 7 --out "$work/generated.ndjson"
"$chronicle" import --store "$work/generated" "$work/generated.ndjson" >/dev/null
member="$(grep -m1 -o '"type":"MemberJoined".*"member":"[^"]*"' "$work/generated.ndjson" | sed 's/.*"member":"\([^"]*\)"$/\1/')"
printf '%s\n' "{\"type\":\"MemberDetailsChanged\",\"occurredAt\":\"2025-08-31T17:45:30.25+01:00\",\"data\":{\"member\":\"$member\",\"organisation\":\"Oldham Care Organisation\"}}" \
    | "$chronicle" import --store "$work/generated" - >/dev/null

for store in demo generated; do
    "$chronicle" export --store "$work/$store" >"$work/$store-export.ndjson"
    python3 scripts/verify_format.py --store "$work/$store" --export "$work/$store-export.ndjson"
done

# Binary layout 1 (an organisation stored in clear), as a build before layout 2 exported it, restored here.
fixture=Tests/Fixtures/export-before-binary-layout-2.ndjson
"$chronicle" init --store "$work/layout-1" >/dev/null
"$chronicle" import --store "$work/layout-1" "$fixture" >/dev/null
python3 scripts/verify_format.py --store "$work/layout-1" --export "$fixture"
