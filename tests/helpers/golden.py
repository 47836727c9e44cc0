"""Record the command line's JSON outputs that the layout refactor must keep byte-identical.

Run from the project root: ``python -m tests.helpers.golden`` writes
``tests/golden/cli_outputs.json.gz`` (case name -> the exact text ``python -m geo crossings``
printed). ``tests/test_cli_golden.py`` runs the same cases and compares. Re-record only when a
change of output is intended, and say so in the commit.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json

from geo.cli import main

from .paths import ROOT, SHARED_OSM

GOLDEN = ROOT / "tests" / "golden" / "cli_outputs.json.gz"
ALL_STATUSES = "open,construction,proposed,cancelled,disused,abandoned"


def cases() -> dict[str, list[str]]:
    """Case name -> ``python -m geo`` arguments (the embedded dataset, Monaco, Andorra)."""
    found: dict[str, list[str]] = {}
    for year in range(1990, 2027):
        base = ["crossings", "yrd", "--as-of", str(year), "--format", "json"]
        found[f"yrd-{year}"] = base
        found[f"yrd-{year}-all-statuses"] = [*base, "--status", ALL_STATUSES]
    extracts = {"monaco": "monaco-2012-06-29.osm.gz", "andorra": "andorra-2013-05-28.osm.pbf"}
    for name, extract in extracts.items():
        found[name] = ["crossings", str(SHARED_OSM / extract), "--format", "json"]
    return found


def run(argv: list[str]) -> str:
    """What ``python -m geo ARGV`` prints on stdout (it must succeed)."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(argv)
    if code != 0:
        raise RuntimeError(f"python -m geo {' '.join(argv)} exited with {code}")
    return buffer.getvalue()


def load() -> dict[str, str]:
    """The recorded outputs."""
    return json.loads(gzip.decompress(GOLDEN.read_bytes()).decode("utf-8"))


if __name__ == "__main__":
    outputs = {name: run(argv) for name, argv in cases().items()}
    text = json.dumps(outputs, ensure_ascii=False, sort_keys=True).encode("utf-8")
    GOLDEN.write_bytes(gzip.compress(text, 9, mtime=0))
    print(f"Wrote {len(outputs)} outputs to {GOLDEN}")
