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

# EventLog's symbol graph, extracted from the built module (no rebuild with other flags). Only EventLog's is
# needed: `swift package dump-symbol-graph` extracts every module of the package, about a minute on two cores;
# it stays the fallback should the direct extraction fail (a new C module among EventLog's imports, say).
mkdir "$work/graphs"
bin="$(swift build --show-bin-path)"
module_maps=()
for map in Sources/*/module.modulemap "${bin%/*/*}"/checkouts/*/Sources/*/include/module.modulemap; do
    [ -e "$map" ] && module_maps+=(-Xcc "-fmodule-map-file=$PWD/${map#"$PWD/"}")
done
if ! swift symbolgraph-extract -module-name EventLog -target "$(uname -m)-unknown-linux-gnu" -I "$bin/Modules" \
    "${module_maps[@]}" -minimum-access-level public -skip-inherited-docs -output-dir "$work/graphs" \
    >"$work/extract.log" 2>&1; then
    graphs="$(swift package dump-symbol-graph 2>&1 | sed -n 's/^Files written to //p' | tail -1)"
    [ -d "$graphs" ] || { echo "test_docs: swift package dump-symbol-graph wrote no symbol graphs" >&2; exit 1; }
    cp "$graphs"/EventLog.symbols.json "$work/graphs/"
    for extension in "$graphs"/EventLog@*.symbols.json; do [ -e "$extension" ] && cp "$extension" "$work/graphs/"; done
fi
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
