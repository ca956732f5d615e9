#!/usr/bin/env bash
# The HTML report in a real browser (issue 7, item 1): builds `chronicle`, loads the demo history into a
# temporary store, writes `report html` for it (and for an empty store), validates the pages with
# html5lib in strict mode, renders them with headless Chromium to PNG and PDF, and checks that the
# screenshot is not blank, that the Okabe–Ito colours of the charts were drawn, and that the browser's
# DOM holds every chart (svg[role=img] with an id, a <title> and a <desc>) the JSON output names.
#
# Usage: bash scripts/test_html.sh [-v] [--bin PATH] [--keep]
#   SCRATCH_PATH=.build-html bash scripts/test_html.sh     # build and use that scratch path
#   --keep leaves the pages and images in the temporary directory (printed) to look at.
# Needs chromium (Debian package) and Python html5lib and Pillow: scripts/setup installs them.
# Last line: "N passed, N failed"; exit status 1 when anything failed.
set -u
cd "$(dirname "$0")/.."

VERBOSE=0
KEEP=0
BIN=""
while [ $# -gt 0 ]; do
    case "$1" in
        -v) VERBOSE=1 ;;
        --keep) KEEP=1 ;;
        --bin) BIN="$2"; shift ;;
        *) echo "usage: $0 [-v] [--bin PATH] [--keep]" >&2; exit 2 ;;
    esac
    shift
done

PY=${PYTHON:-python3}
TMP=$(mktemp -d)
if [ "$KEEP" = 1 ]; then echo "test_html: files in $TMP" >&2; else trap 'rm -rf "$TMP"' EXIT; fi

passed=0
failed=0
ok() { passed=$((passed + 1)); [ "$VERBOSE" = 1 ] && echo "ok: $*"; return 0; }
ko() { failed=$((failed + 1)); echo "FAIL: $*"; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

# ------------------------------------------------------------------ 0. tools
if [ -z "$BIN" ]; then
    scratch="${SCRATCH_PATH:-.build}"
    if swift build -q --scratch-path "$scratch" --product chronicle >"$TMP/build.log" 2>&1; then
        BIN="$(swift build --scratch-path "$scratch" --show-bin-path)/chronicle"
    else
        ko "swift build: $(tail -5 "$TMP/build.log")"; finish
    fi
fi
if [ -x "$BIN" ]; then ok "chronicle binary $BIN"; else ko "no chronicle binary at $BIN"; finish; fi
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROMIUM" ]; then ok "chromium at $CHROMIUM"; else ko "chromium is not installed (run scripts/setup)"; finish; fi
if "$PY" -c 'import html5lib, PIL' 2>/dev/null; then ok "python html5lib and Pillow"; else ko "python html5lib or Pillow missing (run scripts/setup)"; finish; fi

# ------------------------------------------------------- 1. the pages themselves
# The demo's events were recorded up to 2024-09-16; a later clock sees them all.
export CHRONICLE_NOW=2025-01-01T00:00:00Z CHRONICLE_USER=test-html NO_COLOR=1
unset CHRONICLE_STORE
if "$BIN" demo --store "$TMP/demo" >"$TMP/demo.log" 2>&1; then ok "demo store"; else ko "demo: $(tail -3 "$TMP/demo.log")"; finish; fi
if "$BIN" report html --store "$TMP/demo" --out "$TMP/demo.html" --as-of 2024-08-31 --json >"$TMP/demo.json" 2>"$TMP/demo.err"; then
    ok "report html on the demo store"
else
    ko "report html: $(cat "$TMP/demo.err")"; finish
fi
if "$PY" scripts/validate_json.py Schemas/output/report-html.v1.schema.json "$TMP/demo.json" >/dev/null 2>&1; then
    ok "--json output matches its schema"
else
    ko "--json output does not match Schemas/output/report-html.v1: $(cat "$TMP/demo.json")"
fi
"$BIN" init --store "$TMP/empty" >/dev/null 2>&1
if "$BIN" report html --store "$TMP/empty" --out "$TMP/empty.html" >/dev/null 2>"$TMP/empty.err"; then
    ok "report html on an empty store"
else
    ko "report html on an empty store: $(cat "$TMP/empty.err")"
fi
"$BIN" report html --store "$TMP/demo" --out "$TMP/demo-again.html" --as-of 2024-08-31 >/dev/null 2>&1
if cmp -s "$TMP/demo.html" "$TMP/demo-again.html"; then ok "same store, D and K: same bytes"; else ko "two runs differ"; fi

# Strict HTML5 parsing, and the checks a parser does not make (ids, labels, no external resource).
for page in demo empty; do
    out=$("$PY" - "$TMP/$page.html" <<'PY' 2>&1
import re, sys, html5lib
text = open(sys.argv[1], "rb").read()
parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
try:
    doc = parser.parse(text)
except Exception as error:
    line, col = parser.errors[0][0] if parser.errors else ("?", "?")
    print(f"not valid HTML5 at line {line}, column {col}: {error}")
    sys.exit(1)
problems = []
ids = [e.get("id") for e in doc.iter() if e.get("id")]
dupes = sorted({i for i in ids if ids.count(i) > 1})
if dupes: problems.append(f"duplicate ids {dupes}")
known = set(ids)
for e in doc.iter():
    for ref in (e.get("aria-labelledby") or "").split():
        if ref not in known: problems.append(f"aria-labelledby names a missing id {ref}")
    for attr in ("src", "href", "xlink:href"):
        value = e.get(attr)
        if value and not value.startswith("#"): problems.append(f"external {attr}={value}")
    if e.tag in ("script", "link", "iframe", "object", "embed", "img"): problems.append(f"<{e.tag}> element")
if doc.find(".//title") is None or not (doc.find(".//title").text or "").strip(): problems.append("no page <title>")
if re.search(rb"url\((?!#)", text): problems.append("url() to something outside the page")
if b"@media print" not in text: problems.append("no print style")
print("; ".join(problems) if problems else "ok")
sys.exit(1 if problems else 0)
PY
)
    if [ $? -eq 0 ]; then ok "$page.html is valid HTML5 (html5lib strict) and self-contained"; else ko "$page.html: $out"; fi
done

# ------------------------------------------------------------- 2. the browser
chrome() {  # chrome OUTPUT-LOG ARGS...: headless Chromium with a throw-away profile, at most 60 s
    local log=$1; shift
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
        --no-first-run --user-data-dir="$TMP/profile" "$@" 2>"$log"
}
chrome "$TMP/shot.log" --screenshot="$TMP/demo.png" --window-size=1200,4000 "file://$TMP/demo.html" >/dev/null
if [ -s "$TMP/demo.png" ]; then ok "screenshot written"; else ko "no screenshot: $(tail -3 "$TMP/shot.log")"; fi
chrome "$TMP/dom.log" --dump-dom "file://$TMP/demo.html" >"$TMP/demo.dom.html"
if [ -s "$TMP/demo.dom.html" ]; then ok "DOM dumped"; else ko "no DOM: $(tail -3 "$TMP/dom.log")"; fi
chrome "$TMP/pdf.log" --no-pdf-header-footer --print-to-pdf="$TMP/demo.pdf" "file://$TMP/demo.html" >/dev/null
chrome "$TMP/empty-shot.log" --screenshot="$TMP/empty.png" --window-size=1200,2000 "file://$TMP/empty.html" >/dev/null

out=$("$PY" - "$TMP/demo.png" <<'PY' 2>&1
import sys
from PIL import Image
image = Image.open(sys.argv[1]).convert("RGB")
width, height = image.size
# (count, colour) per distinct colour: every figure below is a sum over these, not over the pixels.
counts = image.getcolors(width * height) or []
colours = len(counts)
ink = sum(n for n, p in counts if min(p) < 235) / (width * height)
def near(target, tolerance=24):
    return sum(n for n, p in counts if all(abs(a - b) <= tolerance for a, b in zip(p, target)))
okabe_ito = {"blue": (0x00, 0x72, 0xB2), "vermillion": (0xD5, 0x5E, 0x00), "bluish green": (0x00, 0x9E, 0x73), "sky blue": (0x56, 0xB4, 0xE9)}
found = {name: near(rgb) for name, rgb in okabe_ito.items()}
problems = []
if (width, height) != (1200, 4000): problems.append(f"size {width}x{height}")
if colours < 200: problems.append(f"only {colours} distinct colours")
if ink < 0.04: problems.append(f"only {ink:.1%} of the pixels are not white")
problems += [f"no {name} pixels" for name, count in found.items() if count < 200]
print(f"{colours} colours, {ink:.1%} ink, " + ", ".join(f"{n} {c}" for n, c in found.items()) + ("; " + "; ".join(problems) if problems else ""))
sys.exit(1 if problems else 0)
PY
)
if [ $? -eq 0 ]; then ok "screenshot is not blank: $out"; else ko "screenshot: $out"; fi

out=$("$PY" - "$TMP/empty.png" <<'PY' 2>&1
import sys
from PIL import Image
image = Image.open(sys.argv[1]).convert("RGB")
counts = image.getcolors(image.size[0] * image.size[1]) or []
ink = sum(n for n, p in counts if min(p) < 235) / (image.size[0] * image.size[1])
print(f"{ink:.1%} ink")
sys.exit(0 if ink > 0.005 else 1)
PY
)
if [ $? -eq 0 ]; then ok "empty store's page renders its notes: $out"; else ko "empty store's page is blank: $out"; fi

out=$("$PY" - "$TMP/demo.dom.html" "$TMP/demo.json" <<'PY' 2>&1
import json, sys
from html.parser import HTMLParser
class Charts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.charts, self.current, self.children = [], None, {}
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg" and attrs.get("role") == "img" and attrs.get("id"):
            self.current = attrs["id"]
            self.charts.append(attrs["id"])
            self.children[self.current] = {"labelledby": (attrs.get("aria-labelledby") or "").split(), "ids": set()}
        elif self.current and tag in ("title", "desc") and attrs.get("id"):
            self.children[self.current]["ids"].add(attrs["id"])
    def handle_endtag(self, tag):
        if tag == "svg": self.current = None
parser = Charts()
parser.feed(open(sys.argv[1], encoding="utf-8").read())
expected = json.load(open(sys.argv[2]))["charts"]
problems = []
if parser.charts != expected: problems.append(f"the DOM has {parser.charts}, --json names {expected}")
kinds = ["attendance", "membership", "sectors", "progress", "succession", "coaching"]
for kind in kinds:
    if not any(c == f"chart-{kind}" or c.startswith(f"chart-{kind}-") for c in parser.charts):
        problems.append(f"no {kind} chart")
for chart, info in parser.children.items():
    if sorted(info["labelledby"]) != sorted(info["ids"]) or len(info["ids"]) != 2:
        problems.append(f"{chart}: labelled by {info['labelledby']}, holds title/desc {sorted(info['ids'])}")
print(f"{len(parser.charts)} charts, every kind present" + ("; " + "; ".join(problems) if problems else ""))
sys.exit(1 if problems else 0)
PY
)
if [ $? -eq 0 ]; then ok "browser DOM: $out"; else ko "browser DOM: $out"; fi

if [ -s "$TMP/demo.pdf" ] && head -c 5 "$TMP/demo.pdf" | grep -q '%PDF-'; then
    pages=$("$PY" -c 'import re, sys; print(len(re.findall(rb"/Type\s*/Page(?![a-z])", open(sys.argv[1], "rb").read())))' "$TMP/demo.pdf")
    if [ "${pages:-0}" -ge 3 ]; then ok "prints to PDF ($pages pages)"; else ko "PDF has ${pages:-0} pages"; fi
else
    ko "no PDF: $(tail -3 "$TMP/pdf.log")"
fi

finish
