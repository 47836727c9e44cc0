"""``crossings --neighbour``: one border of ``--region``, as ``export`` and ``resilience`` take it.

In every mode and format the rows of that border are those the count of every border of
the region gives; an unknown neighbour, or one that does not border the region, is
refused with the sentence ``export`` says.
"""

from __future__ import annotations

import contextlib
import io
import json

import pandas as pd
import pytest

from geo.cli import main


def cli(*argv: str) -> tuple[int, str, str]:
    """``python -m geo ARGV`` run in-process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def ok(*argv: str) -> str:
    code, out, err = cli(*argv)
    assert code == 0, err
    return out


def one_sentence(err: str) -> str:
    message = err.strip()
    assert message.startswith("jiegui: ") and "\n" not in message, err
    assert "Traceback" not in err
    return message


def test_the_count_of_one_border_is_that_border_of_the_regions_count():
    whole = json.loads(ok("crossings", "yrd", "--region", "Shanghai", "--format", "json"))
    one = json.loads(
        ok("crossings", "yrd", "--region", "上海", "--neighbour", "浙江", "--format", "json")
    )
    assert {p["b"] for p in whole["pairs"]} == {"Jiangsu", "Zhejiang"}
    assert one["pairs"] == [p for p in whole["pairs"] if p["b"] == "Zhejiang"]
    assert one["interfaces"] == [i for i in whole["interfaces"] if i["b"] == "Zhejiang"]
    assert one["interfaces"] and {c["b"] for c in one["coverage"]} == {"Zhejiang"}
    table = ok("crossings", "yrd", "--region", "Shanghai", "--neighbour", "Zhejiang")
    assert "Shanghai – Zhejiang (land border)" in table and "Jiangsu" not in table
    argv = ["--region", "Shanghai", "--neighbor", "zhejiang", "--format", "geojson"]
    features = json.loads(ok("crossings", "yrd", *argv))["features"]
    assert [f["id"] for f in features] == [i["id"] for i in one["interfaces"]]


def test_the_documented_figures_beside_one_border_are_that_borders():
    table = ok("crossings", "yrd", "--region", "Zhejiang", "--neighbour", "Shanghai",
               "--as-of", "2006")  # fmt: skip
    lines = table.splitlines()
    documented = [line for line in lines if line.startswith("  ") and " documented " in line]
    assert documented and all(line.split()[0] == "Zhejiang–Shanghai" for line in documented)


def test_the_border_tables_of_one_border_are_its_rows_of_the_regions_tables():
    def rows(*mode: str) -> dict:
        return json.loads(ok("crossings", "yrd", "--region", "Shanghai", *mode, "--format", "json"))

    whole, one = rows("--overview"), rows("--overview", "--neighbour", "Zhejiang")
    assert one["neighbour"] == "Zhejiang" and whole["neighbour"] is None
    assert one["borders"] == [b for b in whole["borders"] if b["b"] == "Zhejiang"]
    assert one["ports"] and {p["b"] for p in one["ports"]} == {"Zhejiang"}  # Yangshan
    whole, one = (rows("--compare", "2000", "2020", *n) for n in ((), ("--neighbour", "Zhejiang")))
    assert one["counts"] == [c for c in whole["counts"] if c["b"] == "Zhejiang"]
    assert one["changes"] == [c for c in whole["changes"] if c["b"] == "Zhejiang"]
    line = rows("--timeline", "2004", "2006", "--neighbour", "Zhejiang")
    assert line["rows"] and {(r["a"], r["b"]) for r in line["rows"]} == {("Shanghai", "Zhejiang")}
    assert {(d["a"], d["b"]) for d in line["documented"]} <= {("Shanghai", "Zhejiang")}
    csv = ok("crossings", "yrd", "--region", "Shanghai", "--neighbour", "Zhejiang",
             "--overview", "--format", "csv")  # fmt: skip
    frame = pd.read_csv(io.StringIO(csv.removeprefix("\ufeff")))
    assert list(zip(frame["a"], frame["b"])) == [("Shanghai", "Zhejiang")]
    table = ok("crossings", "yrd", "--region", "Shanghai", "--neighbour", "Zhejiang", "--overview")
    assert table.splitlines()[1].startswith("The border Shanghai – Zhejiang, ")
    assert "Shanghai – Jiangsu" not in table


@pytest.mark.parametrize(
    ("neighbour", "needle"),
    [
        ("Atlantis", "No region called 'Atlantis' in this data"),
        ("Anhui", "Anhui does not border Shanghai in this data; its neighbours are Jiangsu, "
                  "Zhejiang."),
    ],
)  # fmt: skip
def test_a_wrong_neighbour_is_refused_as_export_refuses_it(tmp_path, neighbour, needle):
    said = []
    for argv in (
        ["crossings", "yrd"],
        ["crossings", "yrd", "--overview"],
        ["export", "yrd", "--out", str(tmp_path / "x.zip")],
    ):
        code, out, err = cli(*argv, "--region", "Shanghai", "--neighbour", neighbour)
        assert code == 2 and out == ""
        said.append(one_sentence(err))
    assert needle in said[0] and len(set(said)) == 1


def test_a_neighbour_without_a_region_is_refused():
    code, out, err = cli("crossings", "yrd", "--neighbour", "Zhejiang")
    assert code == 2 and out == ""
    assert "no --region is given; add the region whose border it is" in one_sentence(err)
    code, _, err = cli("crossings", "yrd", "--neighbour", "Zhejiang", "--lang", "zh")
    assert code == 2 and "没有给出 --region" in one_sentence(err)


@pytest.mark.shared
def test_one_border_of_an_osm_extract(andorra_path):
    argv = ["crossings", str(andorra_path), "--region", "Andorra", "--format", "json"]
    whole = json.loads(ok(*argv))
    one = json.loads(ok(*argv, "--neighbour", "Spain"))
    assert {p["b"] for p in whole["pairs"]} == {"España", "France métropolitaine"}
    assert one["pairs"] == [p for p in whole["pairs"] if p["b"] == "España"]
    assert one["interfaces"] == [i for i in whole["interfaces"] if i["b"] == "España"]
