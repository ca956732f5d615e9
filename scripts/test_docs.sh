#!/usr/bin/env bash
# Builds the EventLog documentation (Sources/EventLog/EventLog.docc) with warnings as errors, so that a broken
# symbol link or a snippet that is gone fails the tests. Its code examples are the package's snippets
# (Snippets/*.swift), which `swift build` compiles (the end-to-end tests run them); their symbol graph is
# written by scripts/snippet_symbols.py, so no documentation plugin is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
docc="$(command -v docc || true)"
if [ -z "$docc" ]; then docc="$(dirname "$(readlink -f "$(command -v swift)")")/docc"; fi

# The symbol graphs of the package's modules, from the built modules (no rebuild with other flags).
graphs="$(swift package dump-symbol-graph 2>&1 | sed -n 's/^Files written to //p' | tail -1)"
[ -d "$graphs" ] || { echo "test_docs: swift package dump-symbol-graph wrote no symbol graphs" >&2; exit 1; }
mkdir "$work/graphs"
cp "$graphs"/EventLog.symbols.json "$work/graphs/"
for extension in "$graphs"/EventLog@*.symbols.json; do [ -e "$extension" ] && cp "$extension" "$work/graphs/"; done
python3 scripts/snippet_symbols.py "$work/graphs"

"$docc" convert Sources/EventLog/EventLog.docc --additional-symbol-graph-dir "$work/graphs" \
    --warnings-as-errors --output-path "$work/EventLog.doccarchive" >"$work/docc.log" 2>&1 \
    || { cat "$work/docc.log" >&2; echo "test_docs: the EventLog documentation has warnings" >&2; exit 1; }
# Each snippet's code is in the built pages (a snippet DocC could not find would have been an error too).
for snippet in Snippets/*.swift; do
    name="$(basename "$snippet" .swift)"
    grep -rqF "$(grep -m1 -E '^\s*let ' "$snippet" | sed 's/^ *//')" "$work/EventLog.doccarchive/data" \
        || { echo "test_docs: the code of snippet $name is not in the documentation" >&2; exit 1; }
done
echo "test_docs: EventLog documentation built without warnings ($(ls Snippets/*.swift | wc -l) snippets)"
