#!/usr/bin/env python3
"""Writes the symbol graph of the package's snippets (Snippets/*.swift) for `docc convert`.

    python3 scripts/snippet_symbols.py OUTPUT_DIR

DocC's `@Snippet(path: "Chronicle/Snippets/NAME")` shows a snippet from such a graph. The swift-docc-plugin's
`snippet-extract` writes it; this does the same for the subset of the snippet syntax the snippets here use,
so that building the documentation needs no plugin dependency: leading `//!` lines are the explanation,
`// snippet.hide` and `// snippet.show` hide and show the lines that follow (the compiled scaffolding), and
the shown lines lose their common indentation. `swift build` compiles every snippet, so what the
documentation shows is code that compiles.
"""

import json
import pathlib
import sys

PACKAGE = "Chronicle"


def parse(source):
    lines = source.split("\n")
    explanation = []
    while lines and lines[0].startswith("//!"):
        explanation.append(lines.pop(0)[3:].removeprefix(" "))
    shown, visible = [], True
    for line in lines:
        marker = line.strip()
        if marker in ("// snippet.hide", "// snippet.show"):
            visible = marker == "// snippet.show"
        elif visible:
            shown.append(line)
    while shown and not shown[0].strip():
        shown.pop(0)
    while shown and not shown[-1].strip():
        shown.pop()
    indent = min((len(line) - len(line.lstrip(" ")) for line in shown if line.strip()), default=0)
    return explanation, [line[indent:] for line in shown]


def symbol(path):
    explanation, code = parse(path.read_text())
    name = path.stem
    return {
        "identifier": {"precise": f"$snippet__{PACKAGE}.{name}", "interfaceLanguage": "swift"},
        "names": {"title": name},
        "pathComponents": ["Snippets", name],
        "docComment": {"lines": [{"text": line} for line in explanation]},
        "accessLevel": "public",
        "kind": {"identifier": "snippet", "displayName": "Snippet"},
        "snippet": {"language": "swift", "lines": code, "slices": {}},
    }


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    output = pathlib.Path(sys.argv[1])
    output.mkdir(parents=True, exist_ok=True)
    graph = {
        "metadata": {"formatVersion": {"major": 0, "minor": 1, "patch": 0}, "generator": "snippet_symbols.py"},
        "module": {"name": PACKAGE, "platform": {}, "isVirtual": True},
        "symbols": [symbol(path) for path in sorted((root / "Snippets").glob("*.swift"))],
        "relationships": [],
    }
    (output / f"{PACKAGE}-snippets.symbols.json").write_text(json.dumps(graph, indent=1) + "\n")


if __name__ == "__main__":
    main()
