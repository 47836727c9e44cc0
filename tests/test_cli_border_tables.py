"""``crossings --overview``, ``--compare A B`` and ``--timeline`` on the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from geo.cli import main
from geo.io.border_report import BOM
from geo.io.sources import load_source
from geo.lifecycle import current_year
from helpers.paths import ROOT


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def test_overview_table_has_a_row_per_border_of_the_region():
    proc = run_cli("crossings", "yrd", "--region", "Zhejiang", "--overview", "--as-of", "2006",
                   "--status", "open,construction")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[1] == (
        "Borders of Zhejiang, as of 2006, open + under construction: "
        "routes / interfaces / capacity per layer"
    )
    assert lines[3].split()[:3] == ["Border", "Highways", "(lanes)"]
    shanghai = next(line for line in lines if line.startswith("Zhejiang – Shanghai"))
    assert "4 / 4 / 26" in shanghai and "IV (1 unknown)" in shanghai
    # Yangshan in 2006: phases 1 and 2 open (9 berths), their design TEU added up (the data's)
    teu = json.loads(load_source("yrd").layers["ports"].iloc[0]["teu_by_year"])["2006"]
    assert shanghai.endswith(f"1, 9, {teu:,}")
    assert any("reached across it by S2 Donghai Bridge" in line for line in lines)


def test_overview_csv_out_is_written_whole_with_a_bom(tmp_path):
    out = tmp_path / "borders.csv"
    args = ("crossings", "yrd", "--overview", "--as-of", "2024", "--format", "csv", "--out")
    proc = run_cli(*args, str(out))
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data.startswith(BOM.encode("utf-8"))
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert list(table.columns[:5]) == ["as_of", "basis", "statuses", "a", "b"]
    assert set(table["as_of"]) == {2024} and set(table["statuses"]) == {"open"}
    assert set(table["basis"]) == {"open"}
    assert "waterways_best_grade_roman" in table.columns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["borders.csv"]  # nothing left over
    again = run_cli(*args, str(out))
    assert again.returncode == 2 and "--force" in again.stderr
    assert out.read_bytes() == data


def test_the_overview_csv_of_the_data_as_they_stand_names_the_year_counted():
    """Without --as-of the rows carry the year the data describe (yrd's: this year)."""
    proc = run_cli("crossings", "yrd", "--region", "Zhejiang", "--overview", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(io.StringIO(proc.stdout.removeprefix(BOM)))
    assert set(table["as_of"]) == {current_year()}
    assert set(table["basis"]) == {"open"}
    # Zhejiang–Anhui's highways are partly covered: the plain count says so, and so does this.
    plain = run_cli("crossings", "yrd", "--region", "Zhejiang", "--format", "json")
    partly = {p["b"] for p in json.loads(plain.stdout)["pairs"]
              if p["layer"] == "highways" and p["covered"] and p["partly"]}  # fmt: skip
    assert "Anhui" in partly
    assert set(table.loc[table["highways_partly"], "b"]) == partly
    assert table.set_index("b").loc["Anhui", "coverage_note_en"].startswith(
        "highways partly covered: "
    )


def test_compare_json_and_timeline_csv():
    proc = run_cli("crossings", "yrd", "--region", "Zhejiang", "--compare", "2006", "2024",
                   "--format", "json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["kind"], data["years"], data["statuses"]) == ("compare", [2006, 2024], ["open"])
    assert {"counts", "changes", "caption", "source", "attribution"} <= set(data)
    assert all(isinstance(change["years"], list) for change in data["changes"])
    proc = run_cli("crossings", "yrd", "--region", "Zhejiang", "--timeline", "2000", "2010",
                   "--format", "csv")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    rows, documented = proc.stdout.removeprefix(BOM).split("\n\n")
    table = pd.read_csv(io.StringIO(rows))
    assert list(table.columns[:4]) == ["year", "basis", "statuses", "a"]
    assert (table["year"].min(), table["year"].max()) == (2000, 2010)
    points = pd.read_csv(io.StringIO(documented))
    assert set(points["year"]) == {2006}


def test_compare_marks_a_partly_covered_border_in_text_json_and_csv():
    # Zhejiang–Shanghai: only expressways authored (highways partly covered), every railway.
    args = ("crossings", "yrd", "--region", "Zhejiang", "--compare", "2006", "2024")
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    header = next(line for line in lines if line.startswith("Border "))
    row = next(line for line in lines if line.startswith("Zhejiang – Shanghai"))
    highways = row[header.index("Highways"):header.index("Railways")].strip()
    railways = row[header.index("Railways"):header.index("Inland")].strip()
    assert highways.endswith(", partly covered") and " -> " in highways, highways
    assert "partly" not in railways
    coverage = lines.index("Coverage (覆盖范围):")
    assert coverage < next(k for k, line in enumerate(lines) if line.startswith("What changed"))
    assert any(line.startswith("    Partly covered (Zhejiang–Shanghai: highways)")
               for line in lines[coverage:])  # fmt: skip
    data = json.loads(run_cli(*args, "--format", "json").stdout)
    flags = {(r["b"], r["layer"]): (r["covered"], r["partly"]) for r in data["counts"]}
    assert flags[("Shanghai", "highways")] == (True, True)
    assert flags[("Shanghai", "railways")] == (True, False)
    [entry] = [c for c in data["coverage"] if c["b"] == "Shanghai" and c["layers"] == ["highways"]]
    assert entry["partly"] and (entry["first_year"], entry["last_year"]) == (2006, 2024)
    counts = run_cli(*args, "--format", "csv").stdout.removeprefix(BOM).split("\n\n")[0]
    table = pd.read_csv(io.StringIO(counts), keep_default_na=False).set_index(["b", "layer"])
    assert bool(table.loc[("Shanghai", "highways"), "partly"])
    assert table.loc[("Shanghai", "highways"), "coverage_note_en"] == (
        "highways partly covered: " + entry["reason"]["en"]
    )
    assert table.loc[("Shanghai", "highways"), "coverage_note_zh"].startswith("公路部分覆盖：")


@pytest.mark.shared
def test_compare_marks_a_border_an_osm_extract_holds_in_part(andorra_path):
    # The extract's bounds hold only part of the Andorra–España border: partly covered in
    # both years, as the overview says it, in Chinese with --lang zh.
    args = ("crossings", str(andorra_path), "--region", "Andorra", "--layers", "highways",
            "--compare", "2010", "2013")  # fmt: skip
    data = json.loads(run_cli(*args, "--format", "json").stdout)
    [row] = [r for r in data["counts"] if r["b"] == "España" and r["layer"] == "highways"]
    assert (row["covered"], row["partly"]) == (True, True)
    [entry] = [c for c in data["coverage"] if c["b"] == "España"]
    assert andorra_path.name in entry["reason"]["en"] and entry["partly"]
    overview = run_cli(*args[:-3], "--overview", "--as-of", "2013", "--format", "json")
    view = json.loads(overview.stdout)
    [border] = [b for b in view["borders"] if b["b"] == "España"]
    assert border["layers"]["highways"]["partly"] is True
    proc = run_cli(*args, "--lang", "zh")
    assert proc.returncode == 0, proc.stderr
    spain = next(line for line in proc.stdout.splitlines() if line.startswith("Andorra – España"))
    assert "，部分覆盖" in spain and "partly" not in spain
    assert "    部分覆盖（Andorra–España：公路）" in proc.stdout  # no Chinese name in the file


@pytest.mark.parametrize(
    "mode",
    [
        ("--overview", "--as-of", "2024"),
        ("--compare", "2006", "2024"),
        ("--timeline", "2004", "2006"),
    ],
)
def test_with_lang_zh_the_cells_say_partly_and_not_covered_in_chinese(mode):
    # Every other line is Chinese too, the figures the same and the grid aligned:
    # tests/test_border_tables_zh.py.
    args = ("crossings", "yrd", "--region", "Zhejiang", *mode)
    english, chinese = run_cli(*args), run_cli(*args, "--lang", "zh")
    assert english.returncode == chinese.returncode == 0, chinese.stderr
    table = chinese.stdout.partition("覆盖范围：")[0]
    assert "，部分覆盖" in table and "未覆盖" in table
    assert "partly covered" not in chinese.stdout.lower()
    assert "not covered" not in chinese.stdout.lower()
    # The English table says them in English, and its notes in both languages.
    table_en, notes, rest_en = english.stdout.partition("Coverage (覆盖范围):")
    assert ", partly covered" in table_en and "not covered" in table_en
    assert notes and "Partly covered (Zhejiang–" in rest_en and "部分覆盖（Zhejiang–" in rest_en


def test_the_interfaces_output_is_unchanged_by_the_new_options(capsys):
    assert main(["crossings", "yrd", "--as-of", "2006", "--format", "json"]) == 0
    assert "kind" not in json.loads(capsys.readouterr().out)


def test_the_border_tables_take_the_ports_layer(capsys):
    # --layers ports was refused ("Unknown layer ports") though ports are a layer of yrd and
    # the border tables show them: named alone, every line layer is counted, for the links
    # that set each port on its border (the Donghai Bridge sets Yangshan on Shanghai–Zhejiang).
    argv = ["crossings", "yrd", "--region", "Shanghai", "--as-of", "2006"]
    assert main([*argv, "--overview", "--layers", "ports"]) == 0
    out = capsys.readouterr().out
    assert "Ports (ports, berths, TEU)" in out
    assert "Shanghai – Zhejiang: Yangshan Deep-Water Port" in out
    assert "reached across it by S2 Donghai Bridge" in out
    assert main([*argv, "--overview"]) == 0
    assert capsys.readouterr().out == out  # the same table as without --layers
    assert main(["crossings", "yrd", "--region", "Shanghai", "--compare", "2004", "2006",
                 "--layers", "highways,ports", "--format", "json"]) == 0  # fmt: skip
    changes = json.loads(capsys.readouterr().out)["changes"]
    assert any(c["layer"] == "ports" and c["b"] == "Zhejiang" for c in changes), changes


def test_the_plain_count_refuses_ports_saying_why_and_where_they_are(capsys):
    for layers in ("ports", "highways,ports"):
        assert main(["crossings", "yrd", "--layers", layers]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.startswith("jiegui: ") and err.count("\n") == 1, err
        assert "a port is a site, not a line, so it has no crossing of its own" in err
        assert "add --overview" in err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--compare", "2024", "2006"], "give the earlier year first, e.g. 2006 2024"),
        (["--compare", "nan", "2024"], "--compare takes whole years such as 2006 (got 'nan')"),
        (["--compare", "2006.5", "2024"], "got '2006.5'"),
        (["--compare", "1700", "2024"], "from 1800 to 2100"),
        (["--compare", "2006", "2024", "--as-of", "2006"], "drop --as-of"),
        (["--timeline", "2026", "1990"], "--timeline 1990 2026"),
        (["--timeline", "1990", "2000", "2010"], "at most two years"),
        (["--timeline", "inf"], "--timeline takes whole years"),
        (["--timeline", "3000"], "between 1800 and 2100"),
        (["--timeline", "--as-of", "2006"], "drop --as-of"),
        (["--format", "csv"], "--format csv is for the border tables"),
        (["--overview", "--format", "geojson"], "--overview gives a table, not map features"),
        (["--overview", "--as-of", "1700"], "--as-of must be between 1800 and 2100"),
        (["--overview", "--region", "Atlantis"], "No region called 'Atlantis'"),
    ],
)
def test_mistakes_are_one_sentence_and_exit_2(capsys, args, needle):
    assert main(["crossings", "yrd", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("jiegui: ") and "\n" not in err
    assert needle in err, err
