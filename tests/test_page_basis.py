"""The page's counting basis, coverage and overview, run in-process (AppTest) and below it.

The browser tests of the same (a row clicked, files downloaded) are in test_e2e_basis.py.
"""

from __future__ import annotations

import dataclasses
import doctest
import io
import json
import string
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import app.labels
import app.overview_view
from app import views
from app.border_views import layer_covers, not_covered_text, overview_display, overview_notes
from app.labels import TEXT, both, layer_text, say
from app.language import use
from app.overview_view import focus_for
from app.page_text import zh_places
from app.report_view import report_table
from geo.basis import BASES, caption
from geo.io import border_report, export
from geo.overview import PORTS
from geo.pair_export import count_and_export
from helpers.paths import ROOT

PAIR = "Zhejiang – Shanghai"  # as the page names a border


def page() -> AppTest:
    """The page after its first two runs (the tables follow once the map reports)."""
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run().run()


def cards(at: AppTest) -> dict[str, dict[str, str]]:
    """The cards' metrics by layer label: ``{"Highways": {"Routes": "4", ...}}``."""
    out: dict[str, dict[str, str]] = {}
    labels = [m.value.strip("*") for m in at.markdown if m.value.startswith("**")]
    metrics = list(at.metric)
    for label in labels:
        out[label] = {}
    # Three metrics per covered card, in the cards' order.
    covered = [label for label in labels if label not in not_covered_cards(at)]
    for n, label in enumerate(covered):
        for metric in metrics[3 * n : 3 * n + 3]:
            out[label][metric.label] = metric.value
    return out


def not_covered_cards(at: AppTest) -> list[str]:
    """The labels of the cards that read "not covered" (the line after each card's label)."""
    values = [m.value for m in at.markdown]
    return [
        values[n].strip("*")
        for n in range(len(values) - 1)
        if values[n].startswith("**") and not_covered_text() in values[n + 1]
    ]


def report(at: AppTest) -> pd.DataFrame:
    [table] = [d.value for d in at.dataframe if "measure" in d.value.columns]
    return table


def overview(at: AppTest) -> pd.DataFrame:
    [table] = [d.value for d in at.dataframe if say("border") in d.value.columns]
    return table


def figures(table: pd.DataFrame, column: str) -> dict[str, float]:
    """The report's highway measures of the default pair in ``column``."""
    rows = table[(table["border"] == PAIR) & (table["layer"] == "Highways")]
    return dict(zip(rows["measure"], rows[column]))


def from_cards(at: AppTest) -> dict[str, float]:
    highways = cards(at)["Highways"]
    return {
        "expressways": float(highways["Routes"]),
        "interfaces": float(highways["Interfaces"]),
        "lanes": float(highways["Lanes"]),
    }


# ------------------------------------------------------------------- one basis, said once


def test_the_sidebar_chooses_a_named_basis_and_every_caption_says_it():
    at = page()
    assert not at.exception
    assert at.radio(key="basis").value == "open"
    assert at.radio(key="basis").options == [
        say("custom") if n == "custom" else b.label.en
        for n, b in [*BASES.items(), ("custom", None)]  # type: ignore[union-attr]
    ]
    year = at.slider(key="year").value
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert sum(f"as of {year}, open" in c for c in captions) >= 4  # title, cards, overview, export


def test_cards_and_report_agree_at_2006_under_either_basis():
    at = page()
    at.slider(key="year").set_value(2006).run()
    assert at.radio(key="basis").value == "open"
    table = report(at)
    page_column = say("page_column", basis=BASES["open"].label)
    assert from_cards(at) == figures(table, page_column) == {
        "expressways": 2.0, "interfaces": 2.0, "lanes": 14.0,
    }  # fmt: skip
    assert from_cards(at) != figures(table, say("report_column"))

    at.button(key="as-report-report").click().run()  # "Count as the report does"
    assert not at.exception
    assert at.radio(key="basis").value == "open+construction"
    assert at.slider(key="year").value == 2006
    table = report(at)
    assert page_column not in table.columns  # the page counts as the report: one column
    assert from_cards(at) == figures(table, say("report_column")) == {
        "expressways": 4.0, "interfaces": 4.0, "lanes": 26.0,
    }  # fmt: skip
    assert at.button(key="as-report-sidebar").disabled
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert any("The page counts as the report does" in c for c in captions)


def test_count_as_the_report_does_sets_the_year_from_any_other():
    at = page()
    at.radio(key="basis").set_value("planned").run()
    at.button(key="as-report-sidebar").click().run()
    assert (at.radio(key="basis").value, at.slider(key="year").value) == (
        "open+construction", 2006,
    )  # fmt: skip


def test_custom_statuses_are_one_choice_away_and_captioned_by_their_names():
    at = page()
    at.radio(key="basis").set_value("custom").run()
    assert at.multiselect(key="statuses").value == ["open"]
    at.multiselect(key="statuses").set_value(["disused", "open"]).run()
    assert not at.exception
    assert any("statuses open, disused" in c.value for c in at.caption)
    at.multiselect(key="statuses").set_value([]).run()
    assert say("choose_status") in [i.value for i in at.info]


def test_the_overview_offers_csv_and_xlsx():
    # Their file names (with the year and basis) are checked in the browser: AppTest does not
    # see a deferred download's name.
    labels = [b.label for b in page().get("download_button")]
    assert {say("overview_csv"), say("overview_xlsx")} <= set(labels)


# -------------------------------------------------------------------------------- coverage


def test_an_uncovered_border_reads_not_covered_never_zero():
    at = page()
    at.selectbox(key="neighbour").set_value("Anhui").run()
    assert not at.exception
    # Zhejiang–Anhui: expressways partly authored (issue 15); waterways and pipelines not.
    cards = not_covered_cards(at)
    assert {"Inland waterways", "Pipelines"} <= set(cards) and "Highways" not in cards
    notes = [c.value for c in at.caption if "Not covered" in c.value]
    assert notes and "python -m geo fetch" in notes[0]
    assert "zhejiang-anhui.gpkg" in notes[0]
    row = overview(at).set_index(say("border")).loc["Zhejiang – Anhui"]
    assert pd.isna(row["Pipelines: largest diameter (mm)"])  # shown as "not covered", never 0
    assert row[say("coverage")].startswith("partly cover")  # expressways authored there


def test_all_neighbours_mark_what_is_partly_covered():
    at = page()
    at.selectbox(key="neighbour").set_value("All neighbours").run()
    badges = [m.value for m in at.markdown if "badge" in m.value]
    assert len(badges) == 4 and all(say("partly") in b for b in badges)
    assert any(
        say("borders_covered", covered=2, total=5) in c.value for c in at.caption
    ), [c.value for c in at.caption]


def test_layer_covers_of_one_border_and_of_all():
    loaded = views.load("yrd", views.source_stamp("yrd"), "wgs84")
    query = views.first_query(loaded)
    summary = views.count(loaded, query).summary
    layers = ["highways", "railways", "waterways", "pipelines", PORTS]
    one = layer_covers(summary, "Zhejiang", "Shanghai", layers).set_index("layer")
    assert one["state"].to_dict() == {
        "highways": "partly", "railways": "covered", "waterways": "partly",
        "pipelines": "partly",  # the Sichuan–East main line (2010) and the 甬沪宁 crude branch
    }  # fmt: skip
    anhui = layer_covers(summary, "Zhejiang", "Anhui", layers).set_index("layer")
    assert anhui.loc["highways", "state"] == "partly"  # two expressways authored
    assert anhui.loc["pipelines", "state"] == "not"
    every = layer_covers(summary, "Zhejiang", None, layers).set_index("layer")
    assert every.loc["waterways", "state"] == "partly"  # 2 of 5 borders
    assert (every.loc["waterways", "borders"], every.loc["waterways", "covered_borders"]) == (5, 2)
    # Railways are authored on all five of Zhejiang's borders (Anhui and Fujian partly).
    assert (every.loc["railways", "borders"], every.loc["railways", "covered_borders"]) == (5, 5)


# -------------------------------------------------------------------------------- overview


@pytest.fixture(scope="module")
def yrd_2006() -> tuple[views.Loaded, views.PageQuery]:
    loaded = views.load("yrd", views.source_stamp("yrd"), "wgs84")
    query = dataclasses.replace(
        views.first_query(loaded), as_of=2006, statuses=BASES["open+construction"].statuses
    )
    return loaded, query


def test_the_overview_csv_is_the_command_lines(yrd_2006):
    loaded, query = yrd_2006
    view = views.overview(loaded, views.count(loaded, query), query)
    cli = subprocess.run(
        [sys.executable, "-m", "geo", "crossings", "yrd", "--region", "Zhejiang", "--overview",
         "--as-of", "2006", "--basis", "open+construction", "--format", "csv"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    assert border_report.overview_csv(view) == cli
    assert cli.startswith("\ufeff")


def test_the_overview_workbook_says_its_basis_and_year(yrd_2006):
    loaded, query = yrd_2006
    view = views.overview(loaded, views.count(loaded, query), query)
    data = border_report.overview_xlsx(view, source="yrd", attribution="someone")
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert list(sheets) == list(border_report.XLSX_SHEETS)
    rows = sheets["overview"]
    csv = pd.read_csv(io.StringIO(border_report.overview_csv(view).lstrip("\ufeff")))
    pd.testing.assert_frame_equal(rows, csv, check_dtype=False)
    about = dict(zip(sheets["basis"]["field"], sheets["basis"]["value"]))
    assert about["basis"] == "open+construction" and str(about["as_of"]) == "2006"
    assert about["caption_zh"] == "2006年，已通车及在建"
    headers = sheets["columns"].set_index("column")
    assert headers.loc["highways_lanes", "zh"] == "公路：车道"


def test_the_overview_shows_not_covered_grades_and_partly_covered_cells(yrd_2006):
    loaded, query = yrd_2006
    view = views.overview(loaded, views.count(loaded, query), query)
    shown = overview_display(view, border_header="Border", coverage_header="Coverage")
    values = shown.values.set_index("Border")
    text = shown.text.set_index("Border")
    partly = shown.partly.set_axis(shown.values["Border"])
    grade = "Inland waterways: best navigation grade"
    assert text.loc["Zhejiang – Shanghai", grade] == "IV (1 unknown)"
    assert values.loc["Zhejiang – Shanghai", grade] == 4  # sorted by the number
    assert text.loc["Zhejiang – Shanghai", "Highways: lanes"] == "26"
    # Yangshan's TEU of 2006 (phases 1 and 2), as the data give it by year
    teu = json.loads(
        (ROOT / "data" / "yrd" / "ports.geojson").read_text(encoding="utf-8")
    )["features"][0]["properties"]["teu_by_year"]
    expected = f"{json.loads(teu)['2006']:,}"
    assert text.loc["Zhejiang – Shanghai", "Ports: container capacity (TEU/year)"] == expected
    assert text.loc["Zhejiang – Anhui", "Pipelines: largest diameter (mm)"] == not_covered_text()
    assert pd.isna(values.loc["Zhejiang – Anhui", "Pipelines: largest diameter (mm)"])
    assert text.loc["Zhejiang – Jiangsu", "Pipelines: largest diameter (mm)"] == "? (1 unknown)"
    assert values.loc["Zhejiang – Jiangsu", "Pipelines: largest diameter (mm)"] == 0
    # The Chinese page's cell says it with full-width brackets, as its cards do.
    use("zh")
    try:
        zh = overview_display(view, border_header="边界", coverage_header="覆盖").text.set_index(
            "边界"
        )
    finally:
        use("en")
    row, column = list(text.index).index("Zhejiang – Shanghai"), list(text.columns).index(grade)
    cell = zh.iloc[row, column]
    known, n = text.loc["Zhejiang – Shanghai", grade].removesuffix(" unknown)").split(" (")
    assert cell == f"{known}（{n}个未知）"
    # Missing values are exactly the cells not covered (the table's placeholder says so).
    numbers = shown.values.columns[1:-1]
    assert (shown.values[numbers].isna() == (shown.text[numbers] == not_covered_text())).all().all()
    assert partly.loc["Zhejiang – Shanghai", "Highways: routes"]
    assert not partly.loc["Zhejiang – Shanghai", "Railways: routes"]
    assert "Pipelines" in values.loc["Zhejiang – Shanghai", "Coverage"]


def test_the_page_overview_csv_of_the_year_shown_carries_that_year_and_basis():
    """The page counts the year the data describe as ``as_of=None``: its CSV names the year."""
    loaded = views.load("yrd", views.source_stamp("yrd"), "wgs84")
    query = views.first_query(loaded)
    assert query.as_of is None
    view = views.overview(loaded, views.count(loaded, query), query)
    rows = pd.read_csv(io.StringIO(border_report.overview_csv(view).lstrip("\ufeff")))
    assert set(rows["as_of"]) == {views.data_today(loaded)}
    assert set(rows["basis"]) == {export.basis_slug(query.statuses)}


def test_the_overview_says_why_borders_are_partly_covered_in_the_page_language(yrd_2006):
    loaded, query = yrd_2006
    view = views.overview(loaded, views.count(loaded, query), query)
    coverage = loaded.source.coverage
    names_zh = zh_places(loaded.source.region_set.regions)
    notes = overview_notes(view, coverage, names_zh)
    layers = ["highways", "railways", "waterways", "pipelines"]
    expected = coverage.notes("Zhejiang", "Anhui", layers, as_of=2006, names_zh=names_zh)
    assert expected and all(note in notes for _, _, note in expected)
    assert any(n.zh.startswith(f"部分覆盖（{names_zh['Zhejiang']}–{names_zh['Anhui']}：公路")
               for n in notes)  # fmt: skip
    # The table's partly covered cells are the overview's own (the command line's).
    shown = overview_display(view, border_header="Border", coverage_header="Coverage")
    partly = shown.partly.set_axis(shown.values["Border"])
    table = view.table.set_index("b")
    for border, flags in partly.iterrows():
        b = border.split(" – ")[1]
        assert flags["Highways: routes"] == bool(table.loc[b, "highways_partly"]), border
    # Under the page's overview (as it opens: the data as they stand), folded: its notes.
    first = views.first_query(loaded)
    opened = views.overview(loaded, views.count(loaded, first), first)
    count = len(overview_notes(opened, coverage, names_zh))
    at = page()
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert f"{say('overview_coverage_notes')} ({count})" in labels
    # The cards' box has a title of its own (two boxes of one title read as one twice).
    assert sum(label.startswith(say("coverage_notes")) for label in labels) == 1


def test_the_every_pair_switch_shows_borders_without_the_region(yrd_2006):
    loaded, query = yrd_2006
    view = views.overview(
        loaded, views.count(loaded, query, every_pair=True), query, every_pair=True
    )
    pairs = set(zip(view.table["a"], view.table["b"]))
    assert any("Zhejiang" not in pair for pair in pairs)
    at = page()
    at.toggle(key="every-pair").set_value(True).run()
    assert not at.exception
    assert say("overview_all") in [h.value for h in at.subheader]
    assert len(overview(at)) == len(pairs)


def test_a_row_focuses_its_border():
    pairs = (("Zhejiang", "Anhui"), ("Jiangsu", "Zhejiang"), ("Anhui", "Jiangsu"))
    assert focus_for([0], pairs, "Zhejiang") == (None, "Anhui")
    assert focus_for([1], pairs, "Zhejiang") == (None, "Jiangsu")
    assert focus_for([2], pairs, "Zhejiang") == ("Anhui", "Jiangsu")
    assert focus_for([], pairs, "Zhejiang") == (None, "All neighbours")
    assert focus_for([7], pairs, "Zhejiang") == (None, "All neighbours")


def test_the_report_table_states_each_figures_basis():
    loaded = views.load("yrd", views.source_stamp("yrd"), "wgs84")
    documented = views.against_documents(loaded, "Zhejiang")
    query = views.first_query(loaded)
    page_values = views.page_beside_report(loaded, query)
    table = report_table(documented, page_values, ("open",), BASES["open+construction"])
    assert set(table["basis"]) == {"open + under construction", "open"}
    assert say("page_column", basis=BASES["open"].label) in table.columns
    report_basis = BASES["open+construction"]
    same = report_table(documented, page_values, ("construction", "open"), report_basis)
    assert say("report_column") in same.columns and len(same.columns) == len(table.columns) - 1


# ------------------------------------------------------------------- exports and labels


def test_export_files_carry_the_year_and_basis():
    source = views.load("yrd", views.source_stamp("yrd"), "wgs84").source
    pair = count_and_export(
        {"highways": source.layers["highways"]}, source.region_set, region="Zhejiang",
        neighbour="Shanghai", as_of=2006, statuses=("construction", "open"),
    )  # fmt: skip
    files = export.export_files(pair, dataset="yrd")
    name, data, _ = files["interfaces"]
    assert name == "jiegui-yrd-zhejiang-shanghai-2006-open-construction-interfaces.geojson"
    collection = json.loads(data)
    assert collection["basis"]["name"] == "open+construction"
    assert collection["basis"]["caption"]["zh"] == "2006年，已通车及在建"
    assert {f["properties"]["basis"] for f in collection["features"]} == {"open+construction"}
    assert {f["properties"]["as_of"] for f in collection["features"]} == {2006}
    counts = pd.read_csv(io.BytesIO(files["counts"][1]), encoding="utf-8-sig")
    assert list(counts.columns[:2]) == ["as_of", "basis"]
    package = gpd.read_file(io.BytesIO(files["gpkg"][1]), layer="interfaces")
    assert set(package["basis"]) == {"open+construction"}
    assert export.basis_slug(["disused", "open"]) == "open+disused"


def test_the_export_texts_read_in_chinese():
    use("zh")
    try:
        assert say("export") == "导出"
        assert say("download_layer", layer=layer_text("waterways")) == "内河航道（GeoJSON）"
        assert "QGIS" in say("download_zip") and "（ZIP）" in say("download_zip")
        assert "2006年" in say("export_caption", caption=caption(["open"], 2006))
    finally:
        use("en")
    assert say("download_layer", layer=layer_text("waterways")) == "Inland waterways (GeoJSON)"


def test_every_page_text_is_in_english_and_chinese_with_the_same_placeholders():
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}  # noqa: E731
    for key, text in TEXT.items():
        assert text.en.strip() and text.zh.strip(), key
        assert fields(text.en) == {f.removesuffix("_zh") for f in fields(text.zh)}, key
    assert both("not_covered") == "not covered 未覆盖"


@pytest.mark.parametrize("module", [app.labels, app.overview_view, export])
def test_docstring_examples(module):
    assert doctest.testmod(module).failed == 0
