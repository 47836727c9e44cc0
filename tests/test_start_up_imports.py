"""Counting an OpenStreetMap file loads none of the libraries only other commands use.

``python -m geo crossings FILE.osm.pbf`` imports the whole engine at start-up, but the
libraries of fetching (requests, osmnx), routing (scipy), GDAL's files (pyogrio), the Dask
client (distributed, asyncio) and the documented figures (yaml) are imported inside the
functions that use them: loading them cost every run about 0.4 s of CPU (benchmarks/README.md).
Here the command runs in a fresh interpreter, as a user runs it, and its ``sys.modules`` is
read at the end, so an import moved back to a module's top fails this test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.osm_synth import generate
from helpers.paths import ROOT

#: Top-level packages a count of an OSM file must not import.
LAZY = ("scipy", "requests", "urllib3", "osmnx", "networkx", "pyogrio", "distributed",
        "dask", "asyncio", "yaml")  # fmt: skip

RUN = r"""
import json, sys
from geo.cli import main
code = main(json.loads(sys.argv[1]))
with open(sys.argv[2], "w", encoding="utf-8") as out:
    json.dump({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}, out)
"""


@pytest.fixture(scope="module")
def osm_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("start-up") / "provinces.osm.pbf"
    generate(path, nodes=20_000, seed=5)
    return path


def _modules_after(argv: list[str], tmp_path: Path) -> set[str]:
    """The top-level packages imported by ``python -m geo ARGV``'s run, in a fresh process."""
    report = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(argv), str(report)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["code"] == 0, done.stderr[-2000:]
    return set(result["modules"])


@pytest.mark.parametrize(
    "options",
    [["--format", "json"], ["--format", "table"], ["--all-regions"]],
    ids=["json", "table", "all-regions"],
)
def test_counting_an_osm_file_imports_none_of_the_other_commands_libraries(
    osm_file: Path, tmp_path: Path, options: list[str]
):
    modules = _modules_after(["crossings", str(osm_file), *options], tmp_path)
    assert {"geo", "osmium", "geopandas"} <= modules  # the run read the file
    imported = sorted(modules & set(LAZY))
    assert not imported, f"imported at start-up, though counting does not use them: {imported}"


def test_the_check_sees_a_library_that_is_imported(osm_file: Path, tmp_path: Path):
    # The same check on a command that routes: scipy is then imported, and seen.
    fetched = tmp_path / "band.gpkg"
    argv = ["fetch", "--osm-file", str(osm_file), "--admin-level", "4", "--region", "Province 00",
            "--out", str(fetched)]  # fmt: skip
    assert {"pyogrio"} <= _modules_after(argv, tmp_path)
