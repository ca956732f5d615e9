#!/usr/bin/env python3
"""Tests of scripts/bench that need no chronicle binary: its sizes measured by a stand-in."""

import importlib.machinery
import importlib.util
import json
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

BENCH = Path(__file__).resolve().parent / "bench"


def load_bench():
    loader = importlib.machinery.SourceFileLoader("bench", str(BENCH))
    spec = importlib.util.spec_from_loader("bench", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


class StoppedRun(Exception):
    """What stops the stand-in's second size (as a ^C or a timeout of the machine would)."""


class FakeBench:
    """Measures the first size, and is stopped in the second after its first figure."""

    def __init__(self, args, chronicle, baselines, work):
        self.notes, self.failures = [], []
        self.on_progress = None

    def size(self, n, results):
        result = results[n] = {"events": n}
        result["import"] = {"events_per_second": {"median": 1234.0}}
        self.on_progress()  # as Bench.measure saves each figure it takes
        if n > 1_000:
            raise StoppedRun()
        result["store"] = "/nowhere"


class BenchResultsTests(unittest.TestCase):
    def test_a_run_stopped_in_a_later_size_leaves_every_figure_it_took(self):
        bench = load_bench()
        with tempfile.TemporaryDirectory() as directory:
            out = Path(directory) / "results.json"
            argv = ["bench", "--sizes", "1000,2000", "--out", str(out), "--work", str(Path(directory) / "work")]
            with mock.patch.object(sys, "argv", argv), mock.patch.object(bench, "ensure_tools"), \
                    mock.patch.object(bench, "build", return_value="chronicle"), \
                    mock.patch.object(bench, "compile_baselines", return_value={}), \
                    mock.patch.object(bench, "Bench", FakeBench), mock.patch.object(bench, "log"):
                with self.assertRaises(StoppedRun):
                    bench.main()
            document = json.loads(out.read_text())
            figure = {"import": {"events_per_second": {"median": 1234.0}}}
            self.assertEqual(document["sizes"],
                             {"1000": {"events": 1000, **figure}, "2000": {"events": 2000, **figure}})
            self.assertFalse(document["complete"])
            self.assertEqual(sorted(p.name for p in Path(directory).iterdir() if p.name != "work"), ["results.json"])


if __name__ == "__main__":
    unittest.main()
