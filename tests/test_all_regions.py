"""``crossings FILE --all-regions``: every border of an admin level of an OSM file, in one reading.

The command's table is compared, text for text, with the overview of the same regions
counted from every line of the file as the reference reader reads it
(``tests/helpers/osm_reference.py``): on a generated file whose borders are known (a 5 x 2
layout of provinces: 13 neighbouring pairs) and on the real Monaco and Andorra extracts
(``../shared``, skipped without them) at admin level 2, the only level whose relations they
hold. The refusals are one sentence, exit 2.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.osm_synth import COLUMNS, ROWS
from geo.cli import main
from geo.io.border_report import render_border_table
from geo.io.osm_boundaries import region_set_from_osm
from geo.io.osm_file import OSM_SOURCE
from geo.io.sources import _osm_coverage
from geo.overview import overview
from geo.rules import CrossingRules
from tests.helpers.osm_reference import read_osm_reference
from tests.helpers.paths import ANDORRA, MONACO, SHARED_OSM

LAYERS = ("highways", "railways", "waterways", "pipelines", "ports")


@pytest.fixture(scope="module")
def generated(synth_pbf: Callable[[int, int], Path]) -> Path:
    return synth_pbf(60_000, 3)


def _reference_table(path: Path, admin_level: int) -> str:
    """The overview of every pair at ``admin_level``, counted from every line of the file."""
    data = read_osm_reference(path, LAYERS)
    rules = CrossingRules()
    regions = region_set_from_osm(
        data, admin_level=admin_level, maritime_gap_m=rules.maritime_gap_m
    )
    table = overview(
        data.layers,
        regions,
        rules=rules,
        data_year=data.data_year,
        coverage=_osm_coverage(path.name, data, regions),
    )
    attribution = f"Data © {OSM_SOURCE}; https://www.openstreetmap.org/copyright"
    return render_border_table(table, "table", source=path.name, attribution=attribution)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["crossings", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _borders(table: str) -> set[frozenset[str]]:
    # The table's rows, not the indented borders of the coverage notes under it.
    lines = [line for line in table.splitlines() if " – " in line and not line.startswith(" ")]
    rows = [line.split("  ")[0] for line in lines]
    return {frozenset(row.split(" – ")) for row in rows}


def test_every_border_of_a_generated_file_in_one_reading(generated, capsys) -> None:
    code, out, err = _run(capsys, str(generated), "--all-regions")  # admin level 4 by default
    assert code == 0, err
    neighbours = set()
    for i, j in itertools.product(range(COLUMNS), range(ROWS)):
        for di, dj in ((1, 0), (0, 1)):
            if i + di < COLUMNS and j + dj < ROWS:
                neighbours.add(frozenset({f"Province {i}{j}", f"Province {i + di}{j + dj}"}))
    assert len(neighbours) == 13
    assert _borders(out) == neighbours
    assert out == _reference_table(generated, 4)


@pytest.mark.parametrize("name", [MONACO.name, ANDORRA.name])
def test_every_border_of_a_real_extract_as_every_line_counts(name, capsys) -> None:
    path = SHARED_OSM / name
    if not path.is_file():
        pytest.skip(f"{name} is not in ../shared/osm (the shared data is absent)")
    code, out, err = _run(capsys, str(path), "--all-regions", "--admin-level", "2")
    assert code == 0, err
    assert _borders(out)  # Monaco–France; Andorra–Spain and Andorra–France
    assert out == _reference_table(path, 2)


def test_all_regions_refuses_a_region(generated, capsys) -> None:
    code, _, err = _run(capsys, str(generated), "--all-regions", "--region", "Province 00")
    assert code == 2
    assert err.startswith("jiegui: --all-regions counts every border, --region Province 00")
    assert "\n" not in err.strip()


def test_all_regions_is_a_border_table_beside_the_others(generated, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["crossings", str(generated), "--all-regions", "--compare", "2006", "2024"])
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_all_regions_is_for_osm_files(capsys) -> None:
    code, _, err = _run(capsys, "yrd", "--all-regions")
    assert code == 2
    assert err.startswith("jiegui: --all-regions chooses the regions of an OpenStreetMap file")
    assert "use --overview" in err and "\n" not in err.strip()


def test_a_level_that_does_not_assemble_names_the_levels_that_do(capsys) -> None:
    """Andorra's extract holds no whole province (level 4): the error names levels 2 and 7."""
    if not ANDORRA.is_file():
        pytest.skip(f"{ANDORRA.name} is not in ../shared/osm (the shared data is absent)")
    code, _, err = _run(capsys, str(ANDORRA), "--all-regions")  # admin level 4 by default
    assert code == 2
    assert "admin_level 4 could be assembled" in err
    # Andorra itself, and its seven parishes but Canillo (2 member ways missing)
    assert "do assemble (number of regions): 2 (1), 7 (6)" in err
    assert "--admin-level 2" in err and "\n" not in err.strip()
    # and the level it names works
    code, _, err = _run(capsys, str(ANDORRA), "--all-regions", "--admin-level", "2")
    assert code == 0, err


def test_a_partly_covered_border_of_an_extract_says_so_as_the_plain_count_does(capsys) -> None:
    """Andorra–España lies partly outside the extract: the overview says so, as the count does."""
    if not ANDORRA.is_file():
        pytest.skip(f"{ANDORRA.name} is not in ../shared/osm (the shared data is absent)")
    code, out, err = _run(capsys, str(ANDORRA), "--region", "Andorra", "--format", "json")
    assert code == 0, err
    plain = json.loads(out)
    partly = {(p["a"], p["b"], p["layer"]) for p in plain["pairs"] if p["partly"]}
    assert partly  # the extract holds only part of its borders
    every = ("--all-regions", "--admin-level", "2")
    code, out, err = _run(capsys, str(ANDORRA), *every, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    got = {
        (b["a"], b["b"], layer)
        for b in data["borders"]
        for layer, cell in b["layers"].items()
        if cell["partly"]
    }
    assert got == partly
    assert [(c["a"], c["b"], c["layers"], c["reason"], c["note"]) for c in data["coverage"]] == [
        (c["a"], c["b"], c["layers"], c["reason"], c["note"]) for c in plain["coverage"]
    ]
    code, text, err = _run(capsys, str(ANDORRA), *every)
    assert code == 0, err
    for entry in plain["coverage"]:
        assert entry["note"]["en"] in text and entry["note"]["zh"] in text
    row = next(line for line in text.splitlines() if line.startswith("Andorra – España"))
    assert "partly covered" in row
    code, csv_text, err = _run(capsys, str(ANDORRA), *every, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff"))))
    spain = next(r for r in rows if r["b"] == "España")
    assert spain["highways_partly"] == "True"
    reason = next(c["reason"] for c in plain["coverage"] if c["b"] == "España")
    assert reason["en"] in spain["coverage_note_en"]
    assert reason["zh"] in spain["coverage_note_zh"]
    assert spain["as_of"] == str(data["year"]) and spain["basis"] == "open"
