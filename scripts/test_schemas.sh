#!/usr/bin/env bash
# Self-test of Schemas/ and scripts/validate_json.py.
#
# Checks that every schema file is a valid draft 2020-12 schema with the right
# $id, that the schemas say what EVENTS.md says (types, required/optional
# fields, closed enumerations), and feeds the validator good lines (must pass)
# and bad lines (must fail) for every event type, through the input envelope,
# the export envelope and the per-type data schemas.
#
# Usage: bash scripts/test_schemas.sh [-v]
# Last line: "N passed, N failed"; exit status 1 when anything failed.
set -u
cd "$(dirname "$0")/.."

VERBOSE=0
[ "${1:-}" = "-v" ] && VERBOSE=1

PY=${PYTHON:-python3}
VALIDATE="scripts/validate_json.py"
IN=Schemas/envelope/line-input.v1.schema.json
EX=Schemas/envelope/line-export.v1.schema.json
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); [ "$VERBOSE" = 1 ] && echo "ok: $*"; return 0; }
ko() { failed=$((failed + 1)); echo "FAIL: $*"; }

# expect_valid NAME SCHEMA JSON-LINE
# expect_invalid NAME SCHEMA JSON-LINE [TEXT-EXPECTED-IN-OUTPUT]
# Each line is queued in $TMP/cases.tsv and checked by check_cases, in one Python process, as
# `printf '%s\n' JSON-LINE | validate_json.py --ndjson SCHEMA -` would check it (its function `check`, which
# the command line runs); the command line itself is tested in section 5. A valid line must give exit 0 and
# exactly "ok: 1 document(s)"; an invalid one exit 1, "<stdin>:1: $..." lines, and the expected text.
expect_valid() { printf 'valid\t%s\t%s\t\t%s\n' "$1" "$2" "$3" >> "$TMP/cases.tsv"; }
expect_invalid() { printf 'invalid\t%s\t%s\t%s\t%s\n' "$1" "$2" "${4:-}" "$3" >> "$TMP/cases.tsv"; }

# --------------------------------------------------------------------------
# Good input lines: one per type with every optional field, plus variants.
cat > "$TMP/good.ndjson" <<'EOF'
{"id":"3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7b","type":"CollaborativeFormed","schemaVersion":1,"occurredAt":"2021-09-01","recordedBy":"advisor-oldham","data":{"collaborative":"oldham","name":"Oldham","anchorOrganisation":"Oldham Council Education Service","programmeStart":"2021-09-01"}}
{"type":"MemberJoined","occurredAt":"2021-11-15","recordedBy":"advisor-oldham","data":{"collaborative":"oldham","member":"ol-17","name":"A. Teacher","sector":"secondary-school","organisation":"Hathershaw College"}}
{"type":"MemberDetailsChanged","occurredAt":"2022-09-01","data":{"member":"ol-17","name":"A. Teacher","sector":"secondary-school","organisation":"Another Academy"}}
{"type":"MemberLeft","occurredAt":"2023-07-20","data":{"collaborative":"oldham","member":"ol-17","reason":"role-change","note":"Became a headteacher elsewhere."}}
{"type":"RoleAssigned","occurredAt":"2021-10-01","data":{"collaborative":"oldham","role":"subgroup-lead","subgroup":"transitions","member":"ol-3","appointment":"self-appointed","succeeds":"ol-2"}}
{"type":"RoleEnded","occurredAt":"2022-10-01","data":{"collaborative":"oldham","role":"subgroup-lead","subgroup":"transitions","member":"ol-3","reason":"Moved to another sub-group."}}
{"type":"SubGroupFormed","occurredAt":"2021-10-01","data":{"collaborative":"oldham","subgroup":"transitions","title":"Transitions pilot","aim":"Support pupils moving from primary to secondary school."}}
{"type":"SubGroupMemberJoined","occurredAt":"2021-10-02","data":{"subgroup":"transitions","member":"ol-3"}}
{"type":"SubGroupMemberLeft","occurredAt":"2022-03-02","data":{"subgroup":"transitions","member":"ol-3","reason":"Capacity."}}
{"type":"SubGroupRedefined","occurredAt":"2022-04-01","data":{"subgroup":"transitions","title":"Transitions and inclusion","aim":"A wider aim.","reason":"Merged with the inclusion drop-ins."}}
{"type":"SubGroupStatusChanged","occurredAt":"2022-05-01","data":{"subgroup":"transitions","status":"in-progress","note":"Pilot in two schools."}}
{"type":"MilestoneReached","occurredAt":"2022-06-01","data":{"subgroup":"transitions","kind":"pilot-started","title":"Pilot started","note":"Two schools."}}
{"type":"WorkshopHeld","occurredAt":"2023-10-12","data":{"workshop":"xl-2023","collaboratives":["oldham","worcestershire","east-sussex"],"kind":"cross-locality","mode":"online","title":"Cross-locality workshop 2023","attendees":["ol-3","wo-1"],"guests":4}}
{"type":"CoachingSessionHeld","occurredAt":"2022-02-01","data":{"collaborative":"oldham","subgroup":"transitions","kind":"one-to-one","advisor":"advisor-oldham","attendees":["ol-3"],"minutes":45}}
{"type":"SurveyWaveClosed","occurredAt":"2023-07-31","data":{"collaborative":"oldham","wave":"2023","invited":44,"responded":30}}
{"type":"EventRetracted","occurredAt":"2023-08-01","data":{"event":"3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7b","reason":"Recorded against the wrong member."}}
{"type":"PersonalDataErased","occurredAt":"2024-09-01","data":{"member":"ol-17","reason":"Erasure request received 2024-08-30."}}
{"type":"MemberJoined","occurredAt":"2021-11-15T10:00:00Z","data":{"collaborative":"oldham","member":"ol-18","sector":"parent-carer-forum"}}
{"type":"MemberJoined","occurredAt":"2021-11-15T10:00:00.123456Z","data":{"collaborative":"oldham","member":"0","sector":"other"}}
{"type":"MemberJoined","occurredAt":"2021-11-15T10:00:00+01:00","data":{"collaborative":"oldham","member":"ol-19","sector":"camhs"}}
{"type":"MemberJoined","occurredAt":"2021-11-15T10:00:00.5-05:30","data":{"collaborative":"oldham","member":"ol-20","sector":"health"}}
{"type":"MemberDetailsChanged","occurredAt":"2022-09-01","data":{"member":"ol-17"}}
{"type":"RoleAssigned","occurredAt":"2021-10-01","data":{"collaborative":"oldham","role":"anchor","member":"ol-1","appointment":"formal"}}
{"type":"RoleAssigned","occurredAt":"2021-10-01","data":{"collaborative":"oldham","role":"advisor","subgroup":"transitions","member":"advisor-oldham","appointment":"interim"}}
{"type":"RoleEnded","occurredAt":"2022-10-01","data":{"collaborative":"oldham","role":"anchor","member":"ol-1"}}
{"type":"WorkshopHeld","occurredAt":"2021-11-15","data":{"workshop":"ol-convening-1","collaboratives":["oldham"],"kind":"convening","mode":"in-person","attendees":[]}}
{"type":"CoachingSessionHeld","occurredAt":"2024-01-10","data":{"collaborative":"oldham","kind":"drop-in","advisor":"advisor-oldham","attendees":[],"minutes":0}}
{"type":"SurveyWaveClosed","occurredAt":"2023-07-31","data":{"collaborative":"oldham","wave":"2023 (autumn)","invited":0,"responded":0}}
{"type":"EventRetracted","occurredAt":"2023-08-01","data":{"event":"3F1C2A9E-5B7D-4C1E-9A2B-0C3D4E5F6A7B","reason":"Upper-case id."}}
{"id":"3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7b","type":"MemberJoined","schemaVersion":1,"occurredAt":"2021-11-15","recordedAt":"2021-11-20T09:12:03Z","recordedBy":"advisor-oldham","seq":2,"stream":"collaborative-oldham","streamVersion":2,"hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","data":{"collaborative":"oldham","member":"ol-17","sector":"secondary-school"}}
EOF

# Good export lines: every field present.
cat > "$TMP/good-export.ndjson" <<'EOF'
{"id":"3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7b","type":"CollaborativeFormed","schemaVersion":1,"occurredAt":"2021-09-01","recordedAt":"2021-09-02T08:00:00Z","recordedBy":"advisor-oldham","seq":1,"stream":"collaborative-oldham","streamVersion":1,"hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","data":{"collaborative":"oldham","name":"Oldham","anchorOrganisation":"Oldham Council","programmeStart":"2021-09-01"}}
{"id":"3F1C2A9E-5B7D-4C1E-9A2B-0C3D4E5F6A7C","type":"MemberJoined","schemaVersion":1,"occurredAt":"2021-11-15T10:00:00+00:00","recordedAt":"2021-11-20T09:12:03.123Z","recordedBy":"","seq":2,"stream":"member-ol-17","streamVersion":1,"hash":"fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210","data":{"collaborative":"oldham","member":"ol-17","sector":"secondary-school","organisation":"Hathershaw College"}}
{"id":"3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7d","type":"MemberLeft","schemaVersion":1,"occurredAt":"2022-11-15","recordedAt":"2022-11-20T09:12:03Z","recordedBy":"x","seq":3,"stream":"collaborative-oldham","streamVersion":3,"hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","sealed":{"key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="},"data":{"collaborative":"oldham","member":"ol-17","reason":"other","note":"moved away"}}
{"id":"3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7d","type":"MemberLeft","schemaVersion":1,"occurredAt":"2022-11-15","recordedAt":"2022-11-20T09:12:03Z","recordedBy":"x","seq":3,"stream":"collaborative-oldham","streamVersion":3,"hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","sealed":{"erased":{"note":"q2m0b2RlbGxvd29ybGRoZWxsb3dvcmxkaGVsbG8="}},"data":{"collaborative":"oldham","member":"ol-17","reason":"other"}}
EOF

# Named bad input lines: NAME<TAB>TEXT-EXPECTED-IN-OUTPUT<TAB>JSON
cat > "$TMP/bad.tsv" <<'EOF'
unknown data field	Additional properties are not allowed	{"type":"MemberJoined","occurredAt":"2021-11-15","data":{"collaborative":"oldham","member":"ol-17","sector":"health","colour":"blue"}}
unknown envelope field	Additional properties are not allowed	{"type":"MemberJoined","occurredAt":"2021-11-15","extra":1,"data":{"collaborative":"oldham","member":"ol-17","sector":"health"}}
unknown sector	$.data.sector	{"type":"MemberJoined","occurredAt":"2021-11-15","data":{"collaborative":"oldham","member":"ol-17","sector":"police"}}
enum is case-sensitive	$.data.sector	{"type":"MemberJoined","occurredAt":"2021-11-15","data":{"collaborative":"oldham","member":"ol-17","sector":"Health"}}
unknown leave reason	$.data.reason	{"type":"MemberLeft","occurredAt":"2023-07-20","data":{"collaborative":"oldham","member":"ol-17","reason":"bored"}}
unknown role	$.data.role	{"type":"RoleEnded","occurredAt":"2022-10-01","data":{"collaborative":"oldham","role":"chair","member":"ol-1"}}
bad slug (upper case)	$.data.member	{"type":"MemberJoined","occurredAt":"2021-11-15","data":{"collaborative":"oldham","member":"OL-17","sector":"health"}}
bad slug (leading hyphen)	$.data.collaborative	{"type":"MemberJoined","occurredAt":"2021-11-15","data":{"collaborative":"-oldham","member":"ol-17","sector":"health"}}
bad slug (space)	$.data.subgroup	{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","data":{"subgroup":"trans itions","member":"ol-17"}}
bad slug (underscore)	$.data.workshop	{"type":"WorkshopHeld","occurredAt":"2021-11-15","data":{"workshop":"ws_1","collaboratives":["oldham"],"kind":"launch","mode":"online","attendees":[]}}
bad slug (trailing newline)	$.data.member	{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","data":{"subgroup":"transitions","member":"ol-17\n"}}
bad slug (65 chars)	$.data.member	{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","data":{"subgroup":"transitions","member":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}
bad slug (empty)	$.data.member	{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","data":{"subgroup":"transitions","member":""}}
bad slug in attendees	$.data.attendees[1]	{"type":"WorkshopHeld","occurredAt":"2021-11-15","data":{"workshop":"ws-1","collaboratives":["oldham"],"kind":"launch","mode":"online","attendees":["ol-1","Ol 2"]}}
bad slug in collaboratives	$.data.collaboratives[0]	{"type":"WorkshopHeld","occurredAt":"2021-11-15","data":{"workshop":"ws-1","collaboratives":["Oldham"],"kind":"launch","mode":"online","attendees":[]}}
bad slug in advisor	$.data.advisor	{"type":"CoachingSessionHeld","occurredAt":"2022-02-01","data":{"collaborative":"oldham","kind":"group","advisor":"Advisor","attendees":[]}}
bad slug in succeeds	$.data.succeeds	{"type":"RoleAssigned","occurredAt":"2021-10-01","data":{"collaborative":"oldham","role":"anchor","member":"ol-1","appointment":"formal","succeeds":"ol 0"}}
missing required data field	'sector' is a required property	{"type":"MemberJoined","occurredAt":"2021-11-15","data":{"collaborative":"oldham","member":"ol-17"}}
missing type	'type' is a required property	{"occurredAt":"2021-11-15","data":{"collaborative":"oldham","member":"ol-17","sector":"health"}}
missing occurredAt	'occurredAt' is a required property	{"type":"MemberJoined","data":{"collaborative":"oldham","member":"ol-17","sector":"health"}}
missing data	'data' is a required property	{"type":"MemberJoined","occurredAt":"2021-11-15"}
data not an object	$.data	{"type":"MemberJoined","occurredAt":"2021-11-15","data":[]}
subgroup-lead without subgroup	'subgroup' is a required property	{"type":"RoleAssigned","occurredAt":"2021-10-01","data":{"collaborative":"oldham","role":"subgroup-lead","member":"ol-3","appointment":"formal"}}
duplicate attendees (workshop)	$.data.attendees	{"type":"WorkshopHeld","occurredAt":"2021-11-15","data":{"workshop":"ws-1","collaboratives":["oldham"],"kind":"launch","mode":"online","attendees":["ol-1","ol-2","ol-1"]}}
duplicate attendees (coaching)	$.data.attendees	{"type":"CoachingSessionHeld","occurredAt":"2022-02-01","data":{"collaborative":"oldham","kind":"group","advisor":"advisor-oldham","attendees":["ol-1","ol-1"]}}
duplicate collaboratives	$.data.collaboratives	{"type":"WorkshopHeld","occurredAt":"2021-11-15","data":{"workshop":"ws-1","collaboratives":["oldham","oldham"],"kind":"launch","mode":"online","attendees":[]}}
empty collaboratives list	$.data.collaboratives	{"type":"WorkshopHeld","occurredAt":"2021-11-15","data":{"workshop":"ws-1","collaboratives":[],"kind":"launch","mode":"online","attendees":[]}}
attendees not a list	$.data.attendees	{"type":"WorkshopHeld","occurredAt":"2021-11-15","data":{"workshop":"ws-1","collaboratives":["oldham"],"kind":"launch","mode":"online","attendees":"ol-1"}}
negative guests	$.data.guests	{"type":"WorkshopHeld","occurredAt":"2021-11-15","data":{"workshop":"ws-1","collaboratives":["oldham"],"kind":"launch","mode":"online","attendees":[],"guests":-1}}
fractional minutes	$.data.minutes	{"type":"CoachingSessionHeld","occurredAt":"2022-02-01","data":{"collaborative":"oldham","kind":"group","advisor":"advisor-oldham","attendees":[],"minutes":30.5}}
count as string	$.data.invited	{"type":"SurveyWaveClosed","occurredAt":"2023-07-31","data":{"collaborative":"oldham","wave":"2023","invited":"44","responded":30}}
count as boolean	$.data.responded	{"type":"SurveyWaveClosed","occurredAt":"2023-07-31","data":{"collaborative":"oldham","wave":"2023","invited":44,"responded":true}}
empty name	$.data.name	{"type":"MemberJoined","occurredAt":"2021-11-15","data":{"collaborative":"oldham","member":"ol-17","sector":"health","name":""}}
empty reason	$.data.reason	{"type":"PersonalDataErased","occurredAt":"2024-09-01","data":{"member":"ol-17","reason":""}}
null optional field	$.data.note	{"type":"MemberLeft","occurredAt":"2023-07-20","data":{"collaborative":"oldham","member":"ol-17","reason":"other","note":null}}
programmeStart not a date	$.data.programmeStart	{"type":"CollaborativeFormed","occurredAt":"2021-09-01","data":{"collaborative":"oldham","name":"Oldham","anchorOrganisation":"Oldham Council","programmeStart":"2021-09"}}
programmeStart impossible day	$.data.programmeStart	{"type":"CollaborativeFormed","occurredAt":"2021-09-01","data":{"collaborative":"oldham","name":"Oldham","anchorOrganisation":"Oldham Council","programmeStart":"2021-02-30"}}
retracted event not a UUID	$.data.event	{"type":"EventRetracted","occurredAt":"2023-08-01","data":{"event":"3f1c2a9e5b7d4c1e9a2b0c3d4e5f6a7b","reason":"No hyphens."}}
unknown type	$.type	{"type":"MemberArrived","occurredAt":"2021-11-15","data":{}}
data of another type	'sector' is a required property	{"type":"MemberJoined","occurredAt":"2021-11-15","data":{"subgroup":"transitions","member":"ol-17"}}
bad id	$.id	{"id":"not-a-uuid","type":"SubGroupMemberJoined","occurredAt":"2021-11-15","data":{"subgroup":"transitions","member":"ol-17"}}
schemaVersion 0	$.schemaVersion	{"schemaVersion":0,"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","data":{"subgroup":"transitions","member":"ol-17"}}
schemaVersion as string	$.schemaVersion	{"schemaVersion":"1","type":"SubGroupMemberJoined","occurredAt":"2021-11-15","data":{"subgroup":"transitions","member":"ol-17"}}
schemaVersion 2 (no such schema)	$.schemaVersion	{"schemaVersion":2,"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","data":{"subgroup":"transitions","member":"ol-17"}}
occurredAt day-first	$.occurredAt	{"type":"SubGroupMemberJoined","occurredAt":"15/11/2021","data":{"subgroup":"transitions","member":"ol-17"}}
occurredAt impossible month	$.occurredAt	{"type":"SubGroupMemberJoined","occurredAt":"2021-13-01","data":{"subgroup":"transitions","member":"ol-17"}}
occurredAt without zone	$.occurredAt	{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15T10:00:00","data":{"subgroup":"transitions","member":"ol-17"}}
occurredAt without seconds	$.occurredAt	{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15T10:00Z","data":{"subgroup":"transitions","member":"ol-17"}}
occurredAt hour 25	$.occurredAt	{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15T25:00:00Z","data":{"subgroup":"transitions","member":"ol-17"}}
occurredAt a number	$.occurredAt	{"type":"SubGroupMemberJoined","occurredAt":20211115,"data":{"subgroup":"transitions","member":"ol-17"}}
recordedAt not UTC	$.recordedAt	{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","recordedAt":"2021-11-20T09:12:03+01:00","data":{"subgroup":"transitions","member":"ol-17"}}
seq 0	$.seq	{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","seq":0,"data":{"subgroup":"transitions","member":"ol-17"}}
streamVersion 0	$.streamVersion	{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","streamVersion":0,"data":{"subgroup":"transitions","member":"ol-17"}}
hash upper case	$.hash	{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","hash":"0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef","data":{"subgroup":"transitions","member":"ol-17"}}
hash too short	$.hash	{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","hash":"0123456789abcdef","data":{"subgroup":"transitions","member":"ol-17"}}
recordedBy not a string	$.recordedBy	{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","recordedBy":7,"data":{"subgroup":"transitions","member":"ol-17"}}
duplicate JSON key	duplicate key	{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","data":{"subgroup":"transitions","member":"ol-17","member":"ol-18"}}
NaN is not JSON	invalid JSON	{"type":"WorkshopHeld","occurredAt":"2021-11-15","data":{"workshop":"ws-1","collaboratives":["oldham"],"kind":"launch","mode":"online","attendees":[],"guests":NaN}}
not JSON	invalid JSON	{"type":"MemberJoined",
not an object	$	["MemberJoined"]
EOF

# Named bad export lines.
cat > "$TMP/bad-export.tsv" <<'EOF'
export sealed key and erased	$.sealed	{"id":"3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7d","type":"MemberLeft","schemaVersion":1,"occurredAt":"2022-11-15","recordedAt":"2022-11-20T09:12:03Z","recordedBy":"x","seq":3,"stream":"collaborative-oldham","streamVersion":3,"hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","sealed":{"key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=","erased":{"note":"AAAA"}},"data":{"collaborative":"oldham","member":"ol-17","reason":"other"}}
export sealed field not personal	$.sealed	{"id":"3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7d","type":"MemberLeft","schemaVersion":1,"occurredAt":"2022-11-15","recordedAt":"2022-11-20T09:12:03Z","recordedBy":"x","seq":3,"stream":"collaborative-oldham","streamVersion":3,"hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","sealed":{"erased":{"sector":"q2m0b2RlbGxvd29ybGRoZWxsb3dvcmxkaGVsbG8="}},"data":{"collaborative":"oldham","member":"ol-17","reason":"other"}}
export missing recordedAt	'recordedAt' is a required property	{"id":"3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7b","type":"SubGroupMemberJoined","schemaVersion":1,"occurredAt":"2021-11-15","recordedBy":"x","seq":1,"stream":"s","streamVersion":1,"hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","data":{"subgroup":"transitions","member":"ol-17"}}
export missing id	'id' is a required property	{"type":"SubGroupMemberJoined","schemaVersion":1,"occurredAt":"2021-11-15","recordedAt":"2021-11-20T09:12:03Z","recordedBy":"x","seq":1,"stream":"s","streamVersion":1,"hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","data":{"subgroup":"transitions","member":"ol-17"}}
export missing hash	'hash' is a required property	{"id":"3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7b","type":"SubGroupMemberJoined","schemaVersion":1,"occurredAt":"2021-11-15","recordedAt":"2021-11-20T09:12:03Z","recordedBy":"x","seq":1,"stream":"s","streamVersion":1,"data":{"subgroup":"transitions","member":"ol-17"}}
export recordedAt with offset	$.recordedAt	{"id":"3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7b","type":"SubGroupMemberJoined","schemaVersion":1,"occurredAt":"2021-11-15","recordedAt":"2021-11-20T09:12:03+00:00","recordedBy":"x","seq":1,"stream":"s","streamVersion":1,"hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","data":{"subgroup":"transitions","member":"ol-17"}}
export recordedAt a date	$.recordedAt	{"id":"3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7b","type":"SubGroupMemberJoined","schemaVersion":1,"occurredAt":"2021-11-15","recordedAt":"2021-11-20","recordedBy":"x","seq":1,"stream":"s","streamVersion":1,"hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","data":{"subgroup":"transitions","member":"ol-17"}}
export bad data	$.data.member	{"id":"3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7b","type":"SubGroupMemberJoined","schemaVersion":1,"occurredAt":"2021-11-15","recordedAt":"2021-11-20T09:12:03Z","recordedBy":"x","seq":1,"stream":"s","streamVersion":1,"hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","data":{"subgroup":"transitions","member":"OL"}}
export unknown field	Additional properties are not allowed	{"id":"3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7b","type":"SubGroupMemberJoined","schemaVersion":1,"occurredAt":"2021-11-15","recordedAt":"2021-11-20T09:12:03Z","recordedBy":"x","seq":1,"stream":"s","streamVersion":1,"hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","retracted":false,"data":{"subgroup":"transitions","member":"ol-17"}}
EOF

# ---------------------------------------------------------------- 1. schemas
# Static checks, and the catalog of EVENTS.md written out independently of
# the schemas: it is compared with them here and drives the mutations in 4.
cat > "$TMP/catalog.py" <<'PY'
SECTOR = ["primary-school", "secondary-school", "special-school", "alternative-provision",
          "virtual-school", "la-education", "la-early-help", "la-send-inclusion", "social-care",
          "health", "camhs", "educational-psychology", "parent-carer-forum", "voluntary-sector",
          "programme-staff", "other"]
ROLE = ["anchor", "advisor", "subgroup-lead", "pcf-representative"]
# type: (required, optional, {enum field: values}, slug fields, slug-list fields, count fields)
CATALOG = {
    "CollaborativeFormed": (["collaborative", "name", "anchorOrganisation", "programmeStart"], [], {}, ["collaborative"], [], []),
    "MemberJoined": (["collaborative", "member", "sector"], ["name", "organisation"], {"sector": SECTOR}, ["collaborative", "member"], [], []),
    "MemberDetailsChanged": (["member"], ["name", "sector", "organisation"], {"sector": SECTOR}, ["member"], [], []),
    "MemberLeft": (["collaborative", "member", "reason"], ["note"],
                   {"reason": ["capacity", "relevance", "role-change", "left-organisation", "programme-ended", "other", "unknown"]},
                   ["collaborative", "member"], [], []),
    "RoleAssigned": (["collaborative", "role", "member", "appointment"], ["subgroup", "succeeds"],
                     {"role": ROLE, "appointment": ["formal", "self-appointed", "interim"]},
                     ["collaborative", "subgroup", "member", "succeeds"], [], []),
    "RoleEnded": (["collaborative", "role", "member"], ["subgroup", "reason"], {"role": ROLE},
                  ["collaborative", "subgroup", "member"], [], []),
    "SubGroupFormed": (["collaborative", "subgroup", "title", "aim"], [], {}, ["collaborative", "subgroup"], [], []),
    "SubGroupMemberJoined": (["subgroup", "member"], [], {}, ["subgroup", "member"], [], []),
    "SubGroupMemberLeft": (["subgroup", "member"], ["reason"], {}, ["subgroup", "member"], [], []),
    "SubGroupRedefined": (["subgroup", "aim", "reason"], ["title"], {}, ["subgroup"], [], []),
    "SubGroupStatusChanged": (["subgroup", "status"], ["note"],
                              {"status": ["planned", "in-progress", "delivered", "embedded", "extended", "paused", "stalled", "closed"]},
                              ["subgroup"], [], []),
    "MilestoneReached": (["subgroup", "kind", "title"], ["note"],
                         {"kind": ["plan-agreed", "terms-of-reference", "pilot-started", "pilot-completed", "service-launched",
                                   "expanded", "funding-secured", "evidence-gathered", "handed-over", "other"]},
                         ["subgroup"], [], []),
    "WorkshopHeld": (["workshop", "collaboratives", "kind", "mode", "attendees"], ["title", "guests"],
                     {"kind": ["launch", "convening", "collaborative", "cross-locality"], "mode": ["in-person", "online"]},
                     ["workshop"], ["collaboratives", "attendees"], ["guests"]),
    "CoachingSessionHeld": (["collaborative", "kind", "advisor", "attendees"], ["subgroup", "minutes"],
                            {"kind": ["one-to-one", "group", "drop-in", "catch-up", "leadership", "admin-support", "consultation"]},
                            ["collaborative", "subgroup", "advisor"], ["attendees"], ["minutes"]),
    "SurveyWaveClosed": (["collaborative", "wave", "invited", "responded"], [], {}, ["collaborative"], [], ["invited", "responded"]),
    "EventRetracted": (["event", "reason"], [], {}, [], [], []),
    "PersonalDataErased": (["member", "reason"], [], {}, ["member"], [], []),
}
TEXT = {"name": 200, "title": 200, "organisation": 200, "anchorOrganisation": 200, "wave": 200,
        "aim": 2000, "reason": 2000, "note": 2000}
PY

run_py() { # run_py SCRIPT: the script prints "passed failed" on its last line
    local out last
    out=$(PYTHONPATH="$TMP" "$PY" - "$@" 2>&1)
    last=$(printf '%s\n' "$out" | tail -n 1)
    printf '%s\n' "$out" | sed '$d'
    if [[ "$last" =~ ^([0-9]+)\ ([0-9]+)$ ]]; then
        passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
    else
        ko "python check crashed: $last"
    fi
}

run_py "$VERBOSE" <<'PY'
import json, sys
from pathlib import Path
from jsonschema import Draft202012Validator, SchemaError
from catalog import CATALOG
verbose = sys.argv[1] == "1"
passed = failed = 0
def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
        if verbose: print(f"ok: {what}")
    else:
        failed += 1
        print(f"FAIL: {what}")

BASE = "https://chronicle.example/schemas/"
files = sorted(p for p in Path("Schemas").rglob("*.schema.json"))
ids = {}
for path in files:
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as e:
        check(False, f"{path} is JSON: {e}"); continue
    try:
        Draft202012Validator.check_schema(schema); ok = True
    except SchemaError as e:
        ok = False; print(f"  {path}: {e.message}")
    check(ok, f"{path} is a valid draft 2020-12 schema")
    check(schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema", f"{path} declares draft 2020-12")
    rel = path.relative_to("Schemas").as_posix()
    check(schema.get("$id") == BASE + rel, f"{path} has $id {BASE + rel}")
    check(schema.get("$id") not in ids, f"{path} has a unique $id")
    ids[schema.get("$id")] = path

event_files = {p.name.removesuffix(".v1.schema.json") for p in Path("Schemas/events").glob("*.v1.schema.json")}
check(event_files == set(CATALOG), f"one data schema per type in EVENTS.md (extra {sorted(event_files - set(CATALOG))}, missing {sorted(set(CATALOG) - event_files)})")

def resolve(schema, node):
    while "$ref" in node and node["$ref"].startswith("#/$defs/"):
        node = {**schema["$defs"][node["$ref"].split("/")[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    return node

for t, (req, opt, enums, slugs, lists, counts) in CATALOG.items():
    path = Path(f"Schemas/events/{t}.v1.schema.json")
    if not path.exists():
        continue
    s = json.loads(path.read_text())
    check(s.get("type") == "object" and s.get("additionalProperties") is False, f"{t}: closed object")
    check(sorted(s.get("required", [])) == sorted(req), f"{t}: required is {req} (schema: {s.get('required')})")
    check(sorted(s.get("properties", {})) == sorted(req + opt), f"{t}: properties are {req + opt} (schema: {sorted(s.get('properties', {}))})")
    for field, values in enums.items():
        got = resolve(s, s["properties"].get(field, {})).get("enum")
        check(got == values, f"{t}.{field}: enum exactly as EVENTS.md (schema: {got})")

for env in ("line-input", "line-export"):
    s = json.loads(Path(f"Schemas/envelope/{env}.v1.schema.json").read_text())
    check(sorted(s["properties"]["type"]["enum"]) == sorted(CATALOG), f"{env}: type enum lists every type")
    refs = {b["then"]["properties"]["data"]["$ref"] for b in s.get("allOf", []) if "then" in b}
    check(refs == {f"../events/{t}.v1.schema.json" for t in CATALOG}, f"{env}: dispatches every type to its data schema")
    check(s.get("additionalProperties") is False, f"{env}: closed object")
exp = json.loads(Path("Schemas/envelope/line-export.v1.schema.json").read_text())
check(sorted(exp["required"]) == sorted(["id", "type", "schemaVersion", "occurredAt", "recordedAt", "recordedBy", "seq", "stream", "streamVersion", "hash", "data"]), "line-export: every field required")
inp = json.loads(Path("Schemas/envelope/line-input.v1.schema.json").read_text())
check(sorted(inp["required"]) == ["data", "occurredAt", "type"], "line-input: only type, occurredAt, data required")
print(passed, failed)
PY

# ------------------------------------------------------- 2. good lines pass
out=$("$PY" "$VALIDATE" --ndjson "$IN" "$TMP/good.ndjson" 2>&1); rc=$?
n=$(grep -c . "$TMP/good.ndjson")
if [ $rc -eq 0 ] && [ "$out" = "ok: $n document(s)" ]; then ok "good input file"; else ko "good input file (rc=$rc): $out"; fi
while IFS= read -r line; do
    expect_valid "good input: ${line:0:90}" "$IN" "$line"
done < "$TMP/good.ndjson"
while IFS= read -r line; do
    expect_valid "good export: ${line:0:90}" "$EX" "$line"
done < "$TMP/good-export.ndjson"
# The data object alone against each type's schema (first line of each type).
"$PY" - "$TMP/good.ndjson" "$TMP" <<'PY'
import json, sys
seen = set()
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d["type"] in seen: continue
    seen.add(d["type"])
    with open(f"{sys.argv[2]}/data-{d['type']}.json", "w") as f:
        json.dump(d["data"], f, indent=2)
PY
for f in "$TMP"/data-*.json; do
    t=$(basename "$f" .json); t=${t#data-}
    out=$("$PY" "$VALIDATE" "Schemas/events/$t.v1.schema.json" "$f" 2>&1); rc=$?
    if [ $rc -eq 0 ] && [ "$out" = "ok: 1 document(s)" ]; then ok "data schema $t"; else ko "data schema $t (rc=$rc): $out"; fi
done
# A good input line is not a valid export line (fields missing).
expect_invalid "input line is not an export line" "$EX" "$(head -n 2 "$TMP/good.ndjson" | tail -n 1)" "is a required property"

# ----------------------------------------------------- 3. named bad lines fail
while IFS=$'\t' read -r name want json; do
    expect_invalid "$name" "$IN" "$json" "$want"
done < "$TMP/bad.tsv"
while IFS=$'\t' read -r name want json; do
    expect_invalid "$name" "$EX" "$json" "$want"
done < "$TMP/bad-export.tsv"

# The lines queued by expect_valid and expect_invalid above.
check_cases() {
run_py "$TMP/cases.tsv" "$VERBOSE" <<'PY'
import sys
from pathlib import Path
sys.path.insert(0, "scripts")
import validate_json
cases, verbose = sys.argv[1], sys.argv[2] == "1"
cache = validate_json.Cache()
passed = failed = 0
for row in open(cases, encoding="utf-8"):
    kind, name, schema, want, line = row.rstrip("\n").split("\t", 4)
    status, out, err = validate_json.check(Path(schema), (line + "\n").encode(), "<stdin>", True, None, cache)
    text = "\n".join(out + err)
    if kind == "valid":
        problem = None if status == 0 and text == "ok: 1 document(s)" else f"expected valid, rc={status}"
    elif status != 1:
        problem = f"expected exit 1, got {status}"
    elif not any(o.startswith("<stdin>:1: $") for o in out):
        problem = "output not FILE:LINE: PATH: MSG"
    elif want and want not in text:
        problem = f"output lacks '{want}'"
    else:
        problem = None
    if problem is None:
        passed += 1
        if verbose: print(f"ok: {name}")
    else:
        failed += 1
        print(f"FAIL: {name} ({problem}): {text}")
print(passed, failed)
PY
}
check_cases

# ------------------------------------------- 4. mutations of every event type
# From the full good line of each type: drop each required field, add an
# unknown field, set every enum to each allowed and to an unknown value, break
# every slug, empty/over-long/non-string text, bad counts and lists. Every
# expected-valid line goes in one NDJSON file and must pass; every
# expected-invalid line goes in another and each line must be reported.
run_py "$TMP/good.ndjson" "$IN" "$VALIDATE" "$VERBOSE" <<'PY'
import copy, json, re, subprocess, sys
from catalog import CATALOG, TEXT
good_file, schema, validate, verbose = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
full = {}
for line in open(good_file):
    d = json.loads(line)
    full.setdefault(d["type"], d)

valid, invalid = [], []
def variant(base, desc, change, expect_ok):
    line = copy.deepcopy(base)
    change(line["data"])
    (valid if expect_ok else invalid).append((f"{base['type']}: {desc}", json.dumps(line)))
def setf(k, v): return lambda d: d.__setitem__(k, v)
def delf(*ks): return lambda d: [d.pop(k, None) for k in ks]

for t, (req, opt, enums, slugs, lists, counts) in CATALOG.items():
    if t not in full:
        invalid.append((f"{t}: no good example", "{}")); continue
    base = full[t]
    missing = [f for f in req + opt if f not in base["data"]]
    if missing:
        print(f"FAIL: good example of {t} lacks {missing}")
    variant(base, "unknown field", setf("comment", "x"), False)
    variant(base, "data empty", lambda d: d.clear(), False)
    for f in req:
        variant(base, f"missing {f}", delf(f), False)
        variant(base, f"{f} null", setf(f, None), False)
    for f in opt:
        if t == "RoleAssigned" and f == "subgroup":
            variant(base, "no subgroup, role anchor", lambda d: (d.pop("subgroup"), d.__setitem__("role", "anchor")), True)
            continue
        variant(base, f"without optional {f}", delf(f), True)
        variant(base, f"{f} null", setf(f, None), False)
    if t == "RoleAssigned":
        variant(base, "minimal", lambda d: (delf(*opt)(d), d.__setitem__("role", "advisor")), True)
    else:
        variant(base, "minimal", delf(*opt), True)
    for f, values in enums.items():
        for v in values:
            variant(base, f"{f}={v}", setf(f, v), True)
        variant(base, f"{f} unknown", setf(f, "not-in-the-list"), False)
        variant(base, f"{f} upper case", setf(f, values[0].upper()), False)
        variant(base, f"{f} empty", setf(f, ""), False)
    for f in slugs:
        for v in ["a", "0", "a-", "a" * 64, "ol-17-b2"]:
            variant(base, f"{f}={v!r}", setf(f, v), True)
        for v in ["", "A", "-a", "a_b", "a b", "a.b", "é", "a" * 65, "ol-17\n", 17]:
            variant(base, f"{f}={v!r}", setf(f, v), False)
    for f in lists:
        variant(base, f"{f} with bad slug", setf(f, ["ol-1", "Ol-2"]), False)
        variant(base, f"{f} duplicate", setf(f, ["ol-1", "ol-2", "ol-1"]), False)
        variant(base, f"{f} not a list", setf(f, "ol-1"), False)
        variant(base, f"{f} with 65-char slug", setf(f, ["a" * 65]), False)
        variant(base, f"{f} many", setf(f, [f"m-{i}" for i in range(50)]), True)
        variant(base, f"{f} empty", setf(f, []), f != "collaboratives")
    for f in counts:
        for v in [0, 1, 44, 100000]:
            variant(base, f"{f}={v}", setf(f, v), True)
        for v in [-1, 1.5, "3", True, None]:
            variant(base, f"{f}={v!r}", setf(f, v), False)
    for f in req + opt:
        if f in TEXT and f not in enums:  # MemberLeft.reason is an enum
            n = TEXT[f]
            variant(base, f"{f} of {n} chars", setf(f, "x" * n), True)
            variant(base, f"{f} unicode", setf(f, "Zoë O’Brien – SENCo"), True)
            variant(base, f"{f} of {n + 1} chars", setf(f, "x" * (n + 1)), False)
            variant(base, f"{f} empty", setf(f, ""), False)
            variant(base, f"{f} a number", setf(f, 2023), False)
    if "programmeStart" in req:
        for v in ["2021-09-01", "2024-02-29"]:
            variant(base, f"programmeStart={v}", setf("programmeStart", v), True)
        for v in ["2021-9-1", "01/09/2021", "2021-09-01T00:00:00Z", "2023-02-29", "2021-00-10", ""]:
            variant(base, f"programmeStart={v!r}", setf("programmeStart", v), False)
    if "event" in req:
        variant(base, "event upper case", setf("event", "3F1C2A9E-5B7D-4C1E-9A2B-0C3D4E5F6A7B"), True)
        for v in ["", "3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7", "{3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7b}", "3f1c2a9e-5b7d-4c1e-9a2b-0c3d4e5f6a7g", 1]:
            variant(base, f"event={v!r}", setf("event", v), False)
    if t == "RoleAssigned":
        variant(base, "subgroup-lead without subgroup", lambda d: (d.pop("subgroup"), d.__setitem__("role", "subgroup-lead")), False)
    # Envelope-level variants carried on every type.
    for occ in ["2021-11-15", "2021-11-15T10:00:00Z", "2021-11-15T10:00:00.250Z", "2021-11-15T10:00:00+01:00", "2021-11-15T23:59:59-08:00"]:
        line = dict(base, occurredAt=occ); valid.append((f"{t}: occurredAt {occ}", json.dumps(line)))
    for occ in ["", "2021-11-15 10:00:00Z", "2021-11-15T10:00:00", "2021-02-29", "2021-11-15T10:61:00Z", "2021-11-15Z", "yesterday"]:
        line = dict(base, occurredAt=occ); invalid.append((f"{t}: occurredAt {occ!r}", json.dumps(line)))
    other = next(o for o in CATALOG if o != t and o in full)
    invalid.append((f"{t}: data of {other}", json.dumps(dict(full[other], type=t))))
    valid.append((f"{t}: schemaVersion 1", json.dumps(dict(base, schemaVersion=1))))
    invalid.append((f"{t}: schemaVersion 2", json.dumps(dict(base, schemaVersion=2))))

passed = failed = 0
def run(lines):
    path = f"{good_file}.{len(lines)}.{'v' if lines is valid else 'i'}.ndjson"
    with open(path, "w") as f:
        f.write("".join(l + "\n" for _, l in lines))
    p = subprocess.run([sys.executable, validate, "--ndjson", schema, path], capture_output=True, text=True)
    reported = set()
    for out in p.stdout.splitlines():
        m = re.match(re.escape(path) + r":(\d+): \$", out)
        if m: reported.add(int(m.group(1)))
    return p, reported

p, reported = run(valid)
for i, (desc, line) in enumerate(valid, 1):
    if i in reported:
        failed += 1
        print(f"FAIL: expected valid: {desc}: " + "; ".join(l[:300] for l in p.stdout.splitlines() if re.search(rf":{i}: ", l)))
    else:
        passed += 1
        if verbose: print(f"ok: valid: {desc}")
if p.returncode != 0 and not reported:
    failed += 1; print(f"FAIL: validator on valid mutations: rc={p.returncode} {p.stderr.strip()}")
if not p.returncode and p.stdout.strip() != f"ok: {len(valid)} document(s)":
    failed += 1; print(f"FAIL: unexpected summary: {p.stdout.strip()}")

p, reported = run(invalid)
for i, (desc, line) in enumerate(invalid, 1):
    if i in reported:
        passed += 1
        if verbose: print(f"ok: invalid: {desc}")
    else:
        failed += 1
        print(f"FAIL: expected invalid: {desc}: {line[:300]}")
if p.returncode != 1:
    failed += 1; print(f"FAIL: validator on invalid mutations: rc={p.returncode} {p.stderr.strip()}")
print(passed, failed)
PY

# ------------------------------------------------- 5. the validator's own CLI
printf '%s\n%s\n\n%s\n' \
  '{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","data":{"subgroup":"transitions","member":"ol-17"}}' \
  '{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","data":{"subgroup":"transitions","member":"OL"}}' \
  '{"type":"SubGroupMemberJoined","occurredAt":"2021-11-15","data":{"subgroup":"Transitions","member":"ol-17"}}' > "$TMP/mixed.ndjson"
out=$("$PY" "$VALIDATE" --ndjson "$IN" "$TMP/mixed.ndjson" 2>&1); rc=$?
expected="$TMP/mixed.ndjson:2: \$.data.member: 'OL' does not match '^[a-z0-9][a-z0-9-]*\$'
$TMP/mixed.ndjson:4: \$.data.subgroup: 'Transitions' does not match '^[a-z0-9][a-z0-9-]*\$'"
if [ $rc -eq 1 ] && [ "$out" = "$expected" ]; then ok "ndjson: failures reported as FILE:LINE: PATH: MESSAGE"; else ko "ndjson line numbers (rc=$rc): $out"; fi

printf '{\n  "subgroup": "transitions",\n  "member": "ol-17"\n}\n' > "$TMP/doc.json"
out=$("$PY" "$VALIDATE" Schemas/events/SubGroupMemberJoined.v1.schema.json "$TMP/doc.json" 2>&1); rc=$?
if [ $rc -eq 0 ] && [ "$out" = "ok: 1 document(s)" ]; then ok "single multi-line JSON document"; else ko "single document (rc=$rc): $out"; fi
out=$("$PY" "$VALIDATE" Schemas/events/SubGroupMemberJoined.v1.schema.json < "$TMP/doc.json" 2>&1); rc=$?
if [ $rc -eq 0 ]; then ok "document on stdin by default"; else ko "stdin default (rc=$rc): $out"; fi
out=$("$PY" "$VALIDATE" 2>&1); rc=$?
if [ $rc -eq 2 ]; then ok "no arguments: exit 2"; else ko "no arguments: exit $rc"; fi
out=$("$PY" "$VALIDATE" Schemas/nope.schema.json "$TMP/doc.json" 2>&1); rc=$?
if [ $rc -eq 2 ]; then ok "missing schema: exit 2"; else ko "missing schema: exit $rc"; fi
out=$("$PY" "$VALIDATE" "$IN" "$TMP/does-not-exist.ndjson" 2>&1); rc=$?
if [ $rc -eq 2 ]; then ok "missing input file: exit 2"; else ko "missing input file: exit $rc"; fi
printf '{"type": "object", "required": 3}\n' > "$TMP/broken.schema.json"
out=$("$PY" "$VALIDATE" "$TMP/broken.schema.json" "$TMP/doc.json" 2>&1); rc=$?
if [ $rc -eq 2 ]; then ok "invalid schema: exit 2"; else ko "invalid schema: exit $rc"; fi
: > "$TMP/empty.ndjson"
out=$("$PY" "$VALIDATE" --ndjson "$IN" "$TMP/empty.ndjson" 2>&1); rc=$?
if [ $rc -eq 0 ] && [ "$out" = "ok: 0 document(s)" ]; then ok "empty NDJSON file"; else ko "empty NDJSON (rc=$rc): $out"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
