"""The page's two years and timeline below the page: counts, files, rings, chart and texts.

What the page's comparison and growth chart are made of (:mod:`app.year_history`,
:mod:`app.compare_tables`, :mod:`app.compare_map`, :mod:`app.timeline_chart`,
:mod:`app.years_text`), checked against the engine and the command line. Expected values
are computed from the data here (independent counts of each year), never typed in. The page
itself is in test_years_page (AppTest) and test_e2e_years (a browser).
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import string
from functools import cache

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from app import (
    compare_tables,
    interface_table,
    language,
    timeline_chart,
    views,
    webmap,
    year_history,
)
from app import years_text as tx
from app.compare_map import RING_COLORS, change_layer, change_positions, ring_features
from app.map_elements import GroupLegend
from app.page_text import zh_places
from app.query import PageQuery
from geo.analysis import count_crossings
from geo.basis import BASES, statuses_label
from geo.cli import build_parser, run_crossings
from geo.compare import compare_years
from geo.io import border_report
from geo.io.border_report import BOM
from geo.labels import LAYER_LABELS
from geo.summary import pair_interfaces
from layers import REGISTRY

G60 = "highways/Shanghai–Zhejiang/yrd:hwy-g60-hu-hang"
REGION, NEIGHBOUR = "Zhejiang", "Shanghai"


@cache
def loaded() -> views.Loaded:
    return views.load("yrd", views.source_stamp("yrd"), "wgs84")


def span() -> tuple[int, int]:
    """The page's year slider: the data's first year to the year they describe, at least."""
    first, last = loaded().years or (0, 0)
    today = views.data_today(loaded())
    return min(first, today), max(last, today)


def query(statuses: tuple[str, ...] = ("open",), neighbour: str | None = NEIGHBOUR) -> PageQuery:
    return PageQuery(
        "yrd", loaded().key[2], "wgs84", REGION, neighbour, None, statuses,
        views.default_layers(loaded().source),
    )  # fmt: skip


@cache
def history(statuses: tuple[str, ...] = ("open",)) -> year_history.YearHistory:
    return year_history.year_history(loaded(), query(statuses), *span())


def cli(*args: str) -> str:
    return run_crossings(build_parser().parse_args(["crossings", "yrd", *args]))


def interface_ids(year: int, statuses: tuple[str, ...] = ("open",)) -> set[str]:
    """The ids of the Zhejiang–Shanghai interfaces in ``year``, counted on their own."""
    source = loaded().source
    result = count_crossings(
        source.layers, source.region_set, region=REGION, as_of=year, statuses=statuses,
        coverage=source.coverage,
    )  # fmt: skip
    return set(pair_interfaces(result.interfaces, REGION, NEIGHBOUR)["id"])


# ---------------------------------------------------------------- the counts and files


@pytest.mark.parametrize("basis", ["open", "open+construction"])
def test_a_comparison_from_the_history_is_the_engines_comparison(basis):
    statuses = BASES[basis].statuses
    page = year_history.compare(loaded(), query(statuses), history(statuses), 2024, 2006)
    source = loaded().source
    engine = compare_years(
        {n: source.layers[n] for n in query().layer_names}, source.region_set, 2006, 2024,
        statuses=statuses, region=REGION, data_year=source.data_year, coverage=source.coverage,
    )  # fmt: skip
    assert (page.year_a, page.year_b) == (2006, 2024)
    assert_frame_equal(page.counts, engine.counts)
    assert_frame_equal(page.changes, engine.changes)


def test_the_comparison_files_are_the_command_lines():
    whole = year_history.compare(loaded(), query(), history(), 2006, 2024)
    every_border = year_history.pair_comparison(whole, REGION, None)
    source = loaded().source
    files = year_history.comparison_files(
        every_border, source=source.name, attribution=source.attribution
    )
    for fmt in ("csv", "json"):
        expected = cli("--region", REGION, "--compare", "2006", "2024", "--format", fmt)
        assert files[fmt].decode("utf-8") == expected
    assert files["csv"].startswith(BOM.encode("utf-8"))
    # One border: the rows of that border only, as the command line gives them.
    border = year_history.pair_comparison(whole, REGION, NEIGHBOUR)
    data = json.loads(
        year_history.comparison_files(border, source="yrd", attribution="")["json"]
    )
    everything = json.loads(files["json"])
    assert data["counts"] == [r for r in everything["counts"] if r["b"] == NEIGHBOUR]
    assert data["changes"] == [r for r in everything["changes"] if r["b"] == NEIGHBOUR]


def _csv_tables(text: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, _, documented = text.removeprefix(BOM).partition("\n\n")
    return pd.read_csv(io.StringIO(rows)), pd.read_csv(io.StringIO(documented))


def test_the_timeline_csv_of_a_border_is_the_command_lines_for_that_border():
    line = year_history.pair_timeline(history().timeline, REGION, NEIGHBOUR)
    page_rows, page_documented = _csv_tables(year_history.timeline_file(line).decode("utf-8"))
    rows, documented = _csv_tables(cli("--region", REGION, "--timeline", "--format", "csv"))
    expected_rows = rows[(rows["a"] == REGION) & (rows["b"] == NEIGHBOUR)]
    # check_dtype=False: a column holding a blank ("not covered") on another border reads as
    # floats from the whole region's file, as integers from this border's.
    assert_frame_equal(page_rows, expected_rows.reset_index(drop=True), check_dtype=False)
    expected_points = documented[(documented["a"] == REGION) & (documented["b"] == NEIGHBOUR)]
    assert_frame_equal(page_documented, expected_points.reset_index(drop=True))
    assert len(page_rows) > 0 and len(page_documented) > 0


def test_g60_keeps_its_id_from_2006_to_2024():
    for year in (2006, 2024):
        result = history().results[year]
        assert G60 in set(result.interfaces["id"]), year
        assert G60 in interface_ids(year)


def test_what_changed_on_zhejiang_shanghai_2006_2024_are_the_data_own_openings():
    before, after = interface_ids(2006), interface_ids(2024)
    whole = year_history.compare(loaded(), query(), history(), 2006, 2024)
    changes = year_history.pair_comparison(whole, REGION, NEIGHBOUR).changes
    opened = changes[changes["change"] == "opened"]
    assert set(opened["id"]) == after - before
    assert set(changes.loc[changes["change"] == "closed", "id"]) == before - after
    assert G60 not in set(changes["id"])  # there in both years, unchanged
    assert opened["years"].map(len).gt(0).all()  # each opening is dated by the data
    assert opened["sources"].map(len).gt(0).all()
    table = compare_tables.change_table(
        year_history.pair_comparison(whole, REGION, NEIGHBOUR), with_border=False
    )
    assert list(table["id"]) == list(changes["id"])
    assert set(table["change"]) >= {"opened"}
    headers = compare_tables.change_headers(2006, 2024)
    assert headers["id"] == tx.text("col_id") and headers["before"] == "In 2006"


def test_what_changed_dates_a_new_interface_as_the_interface_table_does():
    # 2006 (the report's year and basis, open + under construction) against today, as a
    # reviewer compared them: each interface new since and open today is "opened" in the
    # year the interface table's "Opened" column gives it (the Shanghai–Hangzhou HSR 2010,
    # not 2009 when works began); one still building is "construction started".
    statuses = BASES["open+construction"].statuses
    today = views.data_today(loaded())
    whole = year_history.compare(loaded(), query(statuses), history(statuses), 2006, today)
    border = year_history.pair_comparison(whole, REGION, NEIGHBOUR)
    table = compare_tables.change_table(border, with_border=False).set_index("id")
    source = loaded().source
    result = count_crossings(
        source.layers, source.region_set, region=REGION, statuses=statuses,
        coverage=source.coverage,
    )  # fmt: skip
    tables = views.pair_tables(result, query(statuses), None, source.layers).table
    opened_in = dict(zip(tables["id"], interface_table.planner_table(tables)["opened"]))
    new = border.changes[border.changes["change"] == "opened"]
    assert {"open", "construction"} <= set(new["status_b"])
    for row in new.to_dict("records"):
        shown = table.loc[row["id"]]
        if row["status_b"] == "open":
            assert shown["change"] == "opened", row["id"]
            # Where the table has no opening year (the West–East II branch, open "by 2013"),
            # the data's first year open dates it.
            assert shown["years"] == opened_in[row["id"]] or not opened_in[row["id"]]
        else:
            assert shown["change"] == "construction started", row["id"]
    hsr = new[new["source_ids"].map(tuple) == ("yrd:rail-hu-hang-hsr",)]["id"].item()
    assert table.loc[hsr, "years"] == opened_in[hsr] == "2010"


# --------------------------------------------------------------------------- the cards


def test_the_change_card_counts_as_the_cards_do():
    # With the later year on the slider, the card's figures of it are the cards' own.
    today = views.data_today(loaded())
    whole = year_history.compare(loaded(), query(), history(), 2006, today)
    rows = compare_tables.card_rows(whole, REGION, NEIGHBOUR, query().layer_names)
    page = loaded().source
    result = count_crossings(
        {n: page.layers[n] for n in query().layer_names}, page.region_set, region=REGION,
        as_of=today,
    )  # fmt: skip
    cards = views.pair_tables(result, query()).totals.set_index("layer")
    for row in rows[rows["layer"].isin(cards.index)].to_dict("records"):
        card = cards.loc[row["layer"]]
        if row["covered"]:
            assert (row["routes_b"], row["interfaces_b"]) == (card["routes"], card["interfaces"])
    text = compare_tables.card_markdown(rows)
    # Pipelines: the 甬沪宁 crude line (open 2004-05-20, 浙江日报) in 2006, and the Sichuan–East
    # line (2010, 人民日报 2010-09-01) and the West–East II Shanghai branch (supplying Shanghai
    # by 2013, econ.taiwan.cn 2014-01-06) too in 2024 (sources/links/pipelines.yaml).
    # Both partly covered on this border (only some lines authored): marked so.
    assert "**Pipelines** \\(partly covered\\): routes 1 → 3" in text
    assert re.search(
        r"\*\*Highways\*\* \\\(partly covered\\\): routes \d+ → \d+ \\\(\\\+\d+\\\)", text
    ), text


def _yangshan() -> tuple[dict[str, object], int, int, int]:
    """The port, the phase its data give no berths for, that phase's year, berths in 2006."""
    ports = loaded().source.layers["ports"]
    [port] = ports.to_dict("records")
    [blank] = [p for p in json.loads(port["phases"]) if p["berths"] is None]
    berths = json.loads(port["capacity_by_year"])
    in_2006 = berths[max(y for y in berths if int(y) <= 2006)]
    return port, int(blank["phase"]), int(str(blank["opened"])[:4]), in_2006


def test_the_card_and_table_say_why_yangshans_berths_are_unknown():
    # Yangshan's phase IV (2017) has no berth figure, so its berths are unknown from then
    # on: the card and table say so, in both languages, instead of a bare "–".
    port, phase, year, in_2006 = _yangshan()
    today = views.data_today(loaded())
    ports = loaded().source.layers["ports"]
    whole = year_history.compare(loaded(), query(), history(), 2006, today)
    rows = compare_tables.card_rows(whole, REGION, NEIGHBOUR, query().layer_names, ports=ports)
    border = year_history.pair_comparison(whole, REGION, NEIGHBOUR)
    why = f"the data have no berth figure for {port['name_en']}'s phase {phase}, opened in {year}"
    card = compare_tables.card_markdown(rows).replace("\\", "")
    assert f"berths {in_2006} → unknown ({why})" in card, card
    table = compare_tables.change_table(border, with_border=False, ports=ports)
    [after] = table.loc[table["id"] == port["id"], "after"]
    assert after == f"unknown ({why}), open"
    with language.speaking("zh"):
        card = compare_tables.card_markdown(rows)
        why_zh = f"数据未给出{port['name_zh']} {year} 年投产的第 {phase} 期泊位数"
        assert f"泊位 {in_2006} → 未知（{why_zh}）" in card, card
        table = compare_tables.change_table(border, with_border=False, ports=ports)
        [after] = table.loc[table["id"] == port["id"], "after"]
        assert after == f"未知（{why_zh}），已通车"
    # Before phase IV the berths are known: nothing to explain.
    earlier = year_history.compare(loaded(), query(), history(), 2006, year - 1)
    rows = compare_tables.card_rows(earlier, REGION, NEIGHBOUR, query().layer_names, ports=ports)
    assert "unknown" not in compare_tables.card_markdown(rows)


def test_the_change_card_marks_a_partly_covered_layer_and_says_why():
    # Zhejiang–Shanghai: only expressways authored (highways partly covered), every railway;
    # the card marks the layers partly covered in either year, as the cards' badge does.
    whole = year_history.compare(loaded(), query(), history(), 2006, 2024)
    border = year_history.pair_comparison(whole, REGION, NEIGHBOUR)
    rows = compare_tables.card_rows(whole, REGION, NEIGHBOUR, query().layer_names)
    counts = border.counts.set_index("layer")
    lines = [n for n in query().layer_names if n in counts.index and n != "ports"]
    partly = {n: bool(counts.loc[n, "partly"]) for n in lines}
    assert partly["highways"] and not partly["railways"]
    assert rows.set_index("layer").loc[lines, "partly"].to_dict() == partly
    card = compare_tables.card_markdown(rows).replace("\\", "")
    for name, flag in partly.items():
        label = LAYER_LABELS[name]["en"]
        assert (f"**{label}** (partly covered): " in card) is flag, (name, card)
        assert (f"**{label}**: " in card) is not flag, (name, card)
    # Why: the border's notes of both years, worded for the page as the overview's are.
    source = loaded().source
    names_zh = zh_places(source.region_set.regions)
    notes = compare_tables.coverage_notes(border, source.coverage, names_zh)
    assert notes and len(notes) == len(border.coverage_notes)
    assert all(n.b == NEIGHBOUR for n in border.coverage_notes)  # this border's only
    expected = [
        source.coverage.note(n.a, n.b, list(n.layers), as_of=2024, names_zh=names_zh)
        for n in border.coverage_notes
    ]
    assert list(notes) == expected
    assert any(n.en.startswith("Partly covered (Zhejiang–Shanghai: highways)") for n in notes)
    with language.speaking("zh"):
        card = compare_tables.card_markdown(rows)
        assert "**公路**（部分覆盖）：" in card and "**铁路**：" in card
        assert any(n.zh.startswith("部分覆盖（浙江省–上海市：公路）") for n in notes), notes


def test_a_change_cell_says_both_figures_and_the_change():
    assert compare_tables.change_cell(14, 26) == "14 → 26 (+12)"
    assert compare_tables.change_cell(4, 4) == "4 (±0)"
    assert compare_tables.change_cell(None, None) == "–"
    assert compare_tables.change_cell(4, 3, grade=True) == "IV → III (better)"
    assert compare_tables.change_cell(3, 5, grade=True) == "III → V (worse)"


# ---------------------------------------------------------------------------- the map


def _content(year: int) -> webmap.MapContent:
    as_of = None if year == views.data_today(loaded()) else year
    q = query()
    q = PageQuery(q.path, q.stamp, q.datum, q.region, q.neighbour, as_of, q.statuses,
                  q.layer_names)  # fmt: skip
    return views.map_content(loaded(), views.count(loaded(), q), q)


def test_rings_circle_the_changed_interfaces_drawn_and_dash_the_others():
    whole = year_history.compare(loaded(), query(), history(), 2006, 2024)
    border = year_history.pair_comparison(whole, REGION, NEIGHBOUR)
    places = change_positions(border, loaded().source.layers["ports"])
    opened = set(border.changes.loc[border.changes["change"] == "opened", "id"])
    # The map of 2024 draws the interfaces opened since 2006: rings around their markers.
    later = _content(2024)
    rings = {f["properties"]["id"]: f for f in ring_features(
        border.changes, places, later, map_year=2024)}  # fmt: skip
    assert set(rings) == set(border.changes["id"])
    markers = {f["properties"]["id"]: f for f in later.interfaces}
    for iid in opened:
        style = rings[iid]["properties"]["style"]
        assert style["color"] == RING_COLORS["opened"] and "dashArray" not in style
        assert style["radius"] > markers[iid]["properties"]["style"]["radius"]
        assert rings[iid]["geometry"] == markers[iid]["geometry"]
    # The map of 2006 has none of them: dashed rings alone at their places.
    earlier = ring_features(border.changes, places, _content(2006), map_year=2006)
    for ring in earlier:
        if ring["properties"]["id"] in opened:
            assert ring["properties"]["style"]["dashArray"]
            assert "not on this map (2006)" in ring["properties"]["tip"]


def test_the_ring_layer_has_its_legend_and_escapes_names():
    whole = year_history.compare(loaded(), query(), history(), 2006, 2024)
    border = year_history.pair_comparison(whole, REGION, NEIGHBOUR)
    evil = border.changes.assign(name="<img src=x onerror=alert(1)>{{ 7*7*7*7*7*7*7 }}")
    border = dataclasses.replace(border, changes=evil)
    content = _content(2024)
    group = change_layer(border, content, map_year=2024, compared_year=2006)
    assert group is not None
    legends = [c for c in group._children.values() if isinstance(c, GroupLegend)]
    assert len(legends) == 1 and "Compared with 2006" in legends[0].html
    assert "opened" in legends[0].html and "新增" not in legends[0].html  # the page's language
    fmap = webmap.draw_map(content)
    group.add_to(fmap)
    html = fmap.get_root().render()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "{{ 7*7*7*7*7*7*7 }}" in html and "823543" not in html  # text, never a template


# -------------------------------------------------------------------------- the chart


def test_the_chart_draws_the_timeline_at_each_change_and_the_reports_figures():
    line = year_history.pair_timeline(history().timeline, REGION, NEIGHBOUR)
    frame = timeline_chart.chart_frame(line, query().layer_names, summed=False)
    assert list(frame.columns) == timeline_chart.FRAME_COLUMNS
    counted = frame[frame["kind"] == "counted"]
    rows = line.rows.set_index(["year", "layer"])
    for record in counted.to_dict("records"):  # every point is the timeline's value
        assert rows.loc[(record["year"], record["layer"]), record["measure"]] == record["value"]
    highways = counted[(counted["layer"] == "highways") & (counted["measure"] == "interfaces")]
    steps = rows.xs("highways", level="layer")["interfaces"]
    assert list(highways.loc[highways["changed"], "year"]) == [
        y for y, v in steps.items() if y > line.first_year and v != steps.get(y - 1)
    ]
    assert (highways["year"].min(), highways["year"].max()) == (line.first_year, line.last_year)
    # A grade or a diameter: not in the capacity panel.
    assert counted.query("layer == 'waterways' and measure == 'capacity'").empty
    assert counted.query("layer == 'pipelines' and measure == 'capacity'").empty
    documented = frame[frame["kind"] == "documented"]
    expected = line.documented[line.documented["column"].isin(timeline_chart.MEASURES)]
    assert len(documented) == len(expected) > 0
    assert set(documented["basis"]) == {
        statuses_label(s.split("+")).en for s in expected["statuses"]
    }
    assert "open + under construction" in set(documented["basis"])


def test_the_chart_adds_the_borders_up_for_all_neighbours_and_clips_to_the_years_shown():
    line = year_history.pair_timeline(history().timeline, REGION, None)
    frame = timeline_chart.chart_frame(line, query().layer_names, summed=True, years=(2000, 2020))
    assert (frame["year"].min(), frame["year"].max()) == (2000, 2020)
    assert (frame["kind"] == "counted").all()  # the report's figures are per border
    at_2020 = line.rows.query("year == 2020 and layer == 'highways' and covered")
    drawn = frame.query("layer == 'highways' and measure == 'interfaces'")
    assert drawn.iloc[-1]["value"] == at_2020["interfaces"].sum()


def test_the_chart_spec_is_vega_lite_and_its_images_are_drawn_here():
    line = year_history.pair_timeline(history().timeline, REGION, NEIGHBOUR)
    frame = timeline_chart.chart_frame(line, query().layer_names, summed=False)
    spec = timeline_chart.growth_chart(
        frame, years=(line.first_year, line.last_year), title="Zhejiang – Shanghai <b>"
    ).to_dict()
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert spec["facet"]["column"]["field"] == "measure_label"
    svg = timeline_chart.chart_image(spec, "svg").decode("utf-8")
    assert svg.startswith("<svg") and "Zhejiang – Shanghai &lt;b&gt;" in svg
    assert "Routes" in svg
    png = timeline_chart.chart_image(spec, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


# -------------------------------------------------------------------------- the texts


def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_every_text_is_in_english_and_chinese_with_the_same_values():
    for key, text in tx.TEXTS.items():
        assert text.en.strip() and text.zh.strip(), key
        en, zh = (_fields(t) for t in (text.en, text.zh))
        assert en == zh, key
        if key not in ("absent",):
            assert text.en != text.zh, key


def test_labels_in_both_languages_and_values_are_not_templates():
    assert tx.both("col_change") == "Change · 变化"  # for text that carries both
    assert tx.text("legend_title", year="{year}") == "Compared with {year}"
    assert tx.pick({"en": "a", "zh": "b"}) == "a"


def test_every_layer_has_a_chart_colour_and_label():
    for name in REGISTRY:
        assert re.fullmatch(r"#[0-9a-f]{6}", timeline_chart.layer_color(name))
        assert timeline_chart.layer_label(name)


@pytest.fixture
def in_chinese():
    """The page's texts in Chinese for one test (:func:`app.language.speaking`)."""
    with language.speaking("zh"):
        yield


def test_in_chinese_the_card_table_rings_and_chart_read_chinese(in_chinese):
    whole = year_history.compare(loaded(), query(), history(), 2006, 2024)
    border = year_history.pair_comparison(whole, REGION, NEIGHBOUR)
    card = compare_tables.card_markdown(
        compare_tables.card_rows(whole, REGION, NEIGHBOUR, query().layer_names)
    )
    # Pipelines: 甬沪宁 (2004) in 2006; with 川气东送 (2010) and 西二线 (by 2013) in 2024.
    # Chinese punctuation (：，（）), never the English ": ", ", " and "(...)".
    assert "**公路**（部分覆盖）：线路 2 → 4（" in card and "车道" in card
    assert "**管道**（部分覆盖）：线路 1 → 3" in card
    assert "），接口" in card and not re.search(r": |, |[()]", card.replace("\\", "")), card
    assert compare_tables.change_cell(5, 3, grade=True) == "V → III（提升）"
    table = compare_tables.change_table(border, with_border=False, names_zh=loaded().names_zh)
    headers = compare_tables.change_headers(2006, 2024)
    assert [headers[c] for c in list(table.columns)[:3]] == ["图层", "变化", "线路"]
    assert headers["after"] == "2024 年"
    assert any(v.startswith("6 车道，") for v in table["after"])
    assert "申嘉湖高速公路" in " ".join(table["link"])  # Chinese names where the data have them
    assert set(table["change"]) >= {"新增"}
    rings = ring_features(border.changes, change_positions(border), _content(2024), map_year=2024)
    assert any("新增" in r["properties"]["tip"] for r in rings)
    line = year_history.pair_timeline(history().timeline, REGION, NEIGHBOUR)
    frame = timeline_chart.chart_frame(line, query().layer_names, summed=False)
    assert {"公路", "铁路"} <= set(frame["layer_label"])
    assert "车道" in set(frame["unit"]) and "已通车及在建" in set(frame["basis"])


def test_the_command_line_names_a_new_link_still_building_as_the_page_does():
    """``crossings --compare``: "construction started", not "opened", for a link still building."""
    statuses = BASES["open+construction"].statuses
    whole = year_history.compare(loaded(), query(statuses), history(statuses), 2006, 2026)
    text = border_report.compare_table(whole, source="yrd", attribution="")
    new = whole.changes[whole.changes["change"] == "opened"]
    building = new[new["status_b"] == "construction"]
    assert len(building) > 0
    for row in building.to_dict("records"):
        line = next(x for x in text.splitlines() if f"({row['id']})" in x)
        assert line.split()[1:3] == ["construction", "started"], line
    for row in new[new["status_b"] == "open"].to_dict("records"):
        line = next(x for x in text.splitlines() if f"({row['id']})" in x)
        assert line.split()[1] == "opened", line
