"""The overview: every border and layer in a year, ports on the border they belong to."""

from __future__ import annotations

import io
import json
from functools import cache

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.analysis import count_crossings
from geo.compare import CHANGE_COLUMNS, CHANGE_KINDS, COUNT_CHANGE_COLUMNS
from geo.io.border_report import BOM, overview_csv, overview_table, render_border_table
from geo.io.report import to_json_dict
from geo.io.sources import Source, load_source
from geo.labels import (
    CHANGE_LABELS,
    LANGUAGES,
    LAYER_LABELS,
    NOT_COVERED,
    PORT_HOW_LABELS,
    STATUS_LABELS,
    column_label,
    grade_text,
)
from geo.lifecycle import current_year
from geo.overview import (
    TOTAL_COLUMNS,
    border_totals,
    capacity_name,
    overview,
    overview_of,
    wide_columns,
    wide_table,
)
from geo.port_borders import PORT_LINK_COLUMNS, border_ports, port_sites
from geo.summary import count_routes
from geo.timeline import DOCUMENTED_COLUMNS, TIMELINE_COLUMNS
from helpers import synthetic as syn
from layers import REGISTRY

TODAY = 2026


@cache
def yrd() -> Source:
    return load_source("yrd", layer_names=tuple(REGISTRY))


def test_yrd_in_2006_as_the_report_counts():
    source = yrd()
    view = overview(
        source.layers, source.region_set, as_of=2006, statuses=("open", "construction"),
        region="Zhejiang", data_year=TODAY,
    )  # fmt: skip
    assert list(view.totals.columns) == TOTAL_COLUMNS
    rows = view.totals.set_index(["b", "layer"])
    assert rows.loc[("Shanghai", "highways"), ["routes", "interfaces", "capacity"]].tolist() == [
        4, 4, 26,
    ]  # fmt: skip
    assert rows.loc[("Jiangsu", "highways"), ["routes", "interfaces", "capacity"]].tolist() == [
        3, 3, 14,
    ]  # fmt: skip
    # Waterways: the best (lowest) grade number; interfaces without a grade are counted.
    assert rows.loc[("Shanghai", "waterways"), "capacity"] == 4
    assert rows.loc[("Jiangsu", "waterways"), "capacity_missing"] == 2
    # Yangshan is reached from Shanghai by the Donghai Bridge: it is on that border only.
    # Its berths and TEU are those of the phases open in 2006 (phases 1 and 2), as authored.
    assert rows.loc[("Shanghai", "ports"), ["interfaces", "capacity", "teu"]].tolist() == [
        1, 9, _authored_teu(source, 2006),
    ]  # fmt: skip
    assert rows.loc[("Jiangsu", "ports"), "interfaces"] == 0
    port = view.ports.iloc[0]
    assert (port["b"], port["port"], port["how"]) == ("Shanghai", "yrd:port-yangshan", "reached")
    bridge = view.interfaces[view.interfaces["id"] == port["via"]]
    assert bridge["source_ids"].tolist() == ["yrd:hwy-s2-donghai-bridge"]
    assert view.caption == {
        "en": "as of 2006, open + under construction",
        "zh": "2006年，已通车及在建",
    }


def _authored_teu(source, year):
    """Yangshan's TEU of ``year`` as its phases give it (``teu_by_year`` of the data)."""
    history = json.loads(source.layers["ports"].iloc[0]["teu_by_year"])
    return history[max(y for y in history if int(y) <= year)]


def test_the_wide_table_has_one_row_per_border_and_a_column_per_layer_measure():
    source = yrd()
    view = overview(source.layers, source.region_set, as_of=2024, data_year=TODAY)
    table = view.table
    pairs = source.region_set.pairs
    assert len(table) == len(pairs)
    assert list(table.columns) == wide_columns(["highways", "railways", "waterways", "pipelines",
                                                "ports"])  # fmt: skip
    shanghai = table[(table["a"] == "Shanghai") & (table["b"] == "Zhejiang")].iloc[0]
    assert shanghai["highways_lanes"] == 26 and shanghai["waterways_best_grade"] == 3
    assert shanghai["ports_count"] == 1 and shanghai["ports_teu"] == _authored_teu(source, 2024)
    assert table["highways_covered"].dtype == bool


def test_every_column_of_the_border_tables_has_a_label_in_both_languages():
    columns = {
        *wide_columns(list(REGISTRY)), "as_of", "basis", "statuses", "coverage_note_en",
        "coverage_note_zh", *TOTAL_COLUMNS,
        *COUNT_CHANGE_COLUMNS, *CHANGE_COLUMNS, *TIMELINE_COLUMNS, *DOCUMENTED_COLUMNS,
        *PORT_LINK_COLUMNS,
    }  # fmt: skip
    for column in sorted(columns):
        english, chinese = column_label(column, "en"), column_label(column, "zh")
        assert chinese != column and chinese != english, column
        assert english, column
    assert column_label("waterways_best_grade", "zh") == "内河航道：最高航道等级"
    assert column_label("routes_change") == "routes (change)"
    assert column_label("capacity_a", "zh") == "通行能力（A 年）"
    assert set(CHANGE_KINDS) == set(CHANGE_LABELS)
    for labels in (CHANGE_LABELS, STATUS_LABELS, PORT_HOW_LABELS, LAYER_LABELS):
        assert all(set(label) == set(LANGUAGES) for label in labels.values())


def test_capacity_names_and_grades():
    assert [capacity_name(n) for n in ("highways", "railways", "waterways", "pipelines",
                                       "ports")] == [
        "lanes", "tracks", "best_grade", "max_diameter", "berths"
    ]  # fmt: skip
    assert [grade_text(g) for g in (1, 4, 7, 0, 8, None, "x")] == ["I", "IV", "VII", "", "", "",
                                                                   ""]  # fmt: skip


def test_a_border_and_layer_not_covered_has_no_count_and_reads_not_covered():
    source = yrd()
    result = count_crossings(source.layers, source.region_set, as_of=2024, region="Zhejiang")
    summary = result.summary.copy()
    # The coverage the dataset will state: only Shanghai and Jiangsu are covered.
    summary["covered"] = summary["b"].isin(["Shanghai", "Jiangsu"])
    summary.loc[(summary["b"] == "Jiangsu") & (summary["layer"] == "pipelines"), "covered"] = False
    totals = border_totals(result.interfaces, summary, pd.DataFrame(columns=PORT_LINK_COLUMNS))
    anhui = totals[totals["b"] == "Anhui"]
    assert not anhui["covered"].any()
    counts = ["routes", "interfaces", "capacity", "capacity_missing", "teu"]
    assert anhui[counts].isna().all().all()  # never 0
    jiangsu = totals[totals["b"] == "Jiangsu"].set_index("layer")
    assert jiangsu.loc["pipelines", counts].isna().all()
    assert jiangsu.loc["highways", "covered"] and jiangsu.loc["ports", "covered"]
    view = overview_of(result, as_of=2024, statuses=("open",), region="Zhejiang")
    shown = overview_table(
        view.__class__(**{**view.__dict__, "totals": totals}), source="yrd", attribution=""
    )
    anhui_line = next(line for line in shown.splitlines() if line.startswith("Zhejiang – Anhui"))
    assert anhui_line.count(NOT_COVERED["en"]) == 5 and " 0 " not in anhui_line
    assert NOT_COVERED["zh"] == "未覆盖"


def test_without_a_covered_column_every_border_is_covered():
    source = yrd()
    result = count_crossings(source.layers, source.region_set, as_of=2024)
    summary = result.summary.drop(columns=["covered", "partly"])
    assert border_totals(result.interfaces, summary)["covered"].all()


def test_without_coverage_every_border_is_covered():
    source = yrd()
    result = count_crossings(source.layers, source.region_set, as_of=2024)  # coverage=None
    assert result.summary["covered"].all()
    assert border_totals(result.interfaces, result.summary)["covered"].all()


def test_with_the_dataset_coverage_uncovered_borders_have_no_counts():
    source = yrd()
    view = overview(
        source.layers, source.region_set, as_of=2024, region="Zhejiang",
        coverage=source.coverage,
    )  # fmt: skip
    rows = view.totals.set_index(["b", "layer"])
    assert not rows.loc[("Anhui", "pipelines"), "covered"]
    assert pd.isna(rows.loc[("Anhui", "pipelines"), "routes"])
    assert rows.loc[("Shanghai", "highways"), "covered"]
    assert rows.loc[("Shanghai", "highways"), "routes"] >= 1


def _partly_covered_yrd():
    """Zhejiang's borders as the data stand, with the dataset's coverage, and its count."""
    source = yrd()
    args = dict(region="Zhejiang", data_year=TODAY, coverage=source.coverage)
    view = overview(source.layers, source.region_set, **args)
    result = count_crossings(source.layers, source.region_set, **args)
    return source, view, result


def test_a_partly_covered_border_says_so_in_every_output_as_the_plain_count_does():
    source, view, result = _partly_covered_yrd()
    summary = result.summary
    # The long and wide tables: partly where the plain count's rows say so.
    expected = {
        (a, b, layer): bool(group["covered"].all() and group["partly"].any())
        for (a, b, layer), group in summary.groupby(["a", "b", "layer"], sort=False)
    }
    assert any(expected.values()) and not all(expected.values())
    lines = view.totals[view.totals["layer"] != "ports"]
    got = {(a, b, layer): bool(p) for a, b, layer, p in
           zip(lines["a"], lines["b"], lines["layer"], lines["partly"])}  # fmt: skip
    assert got == expected
    wide = view.table.set_index("b")
    for (_, b, layer), partly in expected.items():
        assert bool(wide.loc[b, f"{layer}_partly"]) == partly, (b, layer)
    # The text: each partly covered cell says so, and each border's notes follow the table,
    # in both languages, as the coverage words them.
    text = overview_table(view, source="yrd", attribution="")
    anhui = next(line for line in text.splitlines() if line.startswith("Zhejiang – Anhui"))
    cells = [c for c in anhui.split("  ")[1:] if c.strip()]
    partly_layers = [lay for (_, b, lay), p in expected.items() if b == "Anhui" and p]
    assert partly_layers and sum(c.strip().endswith(", partly covered") for c in cells) == len(
        partly_layers
    )
    layers = ["highways", "railways", "waterways", "pipelines"]
    notes = source.coverage.notes("Zhejiang", "Anhui", layers)
    assert notes
    for _, _, note in notes:
        assert note.en in text and note.zh in text
    # JSON: partly beside covered, and the plain count's coverage entries.
    data = json.loads(render_border_table(view, "json", source="yrd", attribution=""))
    border = next(b for b in data["borders"] if b["b"] == "Anhui")
    for layer in layers:
        assert border["layers"][layer]["partly"] is expected[("Zhejiang", "Anhui", layer)]
    plain = to_json_dict(result, source="yrd", attribution="")["coverage"]
    assert [(c["a"], c["b"], c["layers"], c["note"]) for c in data["coverage"]] == [
        (c["a"], c["b"], c["layers"], c["note"]) for c in plain
    ]
    # CSV: {layer}_partly, and why, in English and Chinese.
    rows = pd.read_csv(io.StringIO(overview_csv(view).lstrip(BOM))).set_index("b")
    for (_, b, layer), partly in expected.items():
        assert bool(rows.loc[b, f"{layer}_partly"]) == partly, (b, layer)
    for names, cover, _ in notes:
        reason = source.coverage.reason(cover, names[0])
        assert reason.en in rows.loc["Anhui", "coverage_note_en"]
        zh = source.coverage.reason(cover, names[0], in_chinese=True).zh
        assert zh in rows.loc["Anhui", "coverage_note_zh"]
    assert rows.loc["Anhui", "coverage_note_zh"].startswith("公路部分覆盖：")
    wholly = [b for b in rows.index if not any(
        expected.get(("Zhejiang", b, lay)) for lay in layers
    ) and rows.loc[b, [f"{lay}_covered" for lay in layers]].all()]  # fmt: skip
    assert all(pd.isna(rows.loc[b, "coverage_note_en"]) for b in wholly)


@pytest.mark.parametrize(("as_of", "data_year"), [(None, 2013), (None, None), (2006, 2013)])
def test_the_overview_csv_carries_the_year_counted_and_the_basis(as_of, data_year):
    source = yrd()
    statuses = ("open", "construction")
    result = count_crossings(
        source.layers, source.region_set, as_of=as_of, statuses=statuses, data_year=data_year
    )
    view = overview_of(result, as_of=as_of, statuses=statuses, data_year=data_year)
    year = as_of if as_of is not None else data_year or current_year()
    assert view.year == year
    rows = pd.read_csv(io.StringIO(overview_csv(view).lstrip(BOM)))
    assert list(rows.columns[:5]) == ["as_of", "basis", "statuses", "a", "b"]
    assert set(rows["as_of"]) == {year}
    assert set(rows["basis"]) == {"open+construction"}
    data = json.loads(render_border_table(view, "json", source="yrd", attribution=""))
    assert (data["as_of"], data["year"]) == (as_of, year)  # null: the data as tagged


def test_capacities_are_never_guessed():
    source = yrd()
    view = overview(source.layers, source.region_set, as_of=2024, region="Zhejiang")
    rows = view.totals.set_index(["b", "layer"])
    before = overview(source.layers, source.region_set, as_of=1990, region="Zhejiang")
    rows_1990 = before.totals.set_index(["b", "layer"])
    # A sum over no interface is 0 (no expressway crossed into Anhui in 1990); a best grade
    # or a largest diameter over none is unknown.
    assert rows_1990.loc[("Anhui", "highways"), "interfaces"] == 0
    assert rows_1990.loc[("Anhui", "highways"), "capacity"] == 0
    # Lanes the data do not give are unknown, not 0 (G50 into Anhui carries none):
    # the total is the sum of the lanes given, and the rest are counted as missing.
    anhui = rows.loc[("Anhui", "highways")]
    found = count_crossings(
        {"highways": source.layers["highways"]}, source.region_set, as_of=2024, region="Zhejiang"
    ).interfaces
    found = found[(found["a"] == "Anhui") | (found["b"] == "Anhui")]
    lanes = pd.to_numeric(found["lanes"], errors="coerce")
    assert anhui["interfaces"] == len(found) >= 2 and lanes.isna().sum() >= 1
    assert anhui["capacity_missing"] == lanes.isna().sum()
    assert anhui["capacity"] == lanes.sum() or (lanes.isna().all() and pd.isna(anhui["capacity"]))
    assert pd.isna(rows.loc[("Anhui", "waterways"), "capacity"])
    # The one Jiangsu pipeline has no diameter: unknown, and counted as such.
    assert pd.isna(rows.loc[("Jiangsu", "pipelines"), "capacity"])
    assert rows.loc[("Jiangsu", "pipelines"), "capacity_missing"] == 1


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(year=st.integers(1990, 2026), construction=st.booleans())
def test_the_totals_add_up_to_the_interfaces_counted(year, construction):
    source = yrd()
    statuses = ("open", "construction") if construction else ("open",)
    result = count_crossings(source.layers, source.region_set, as_of=year, statuses=statuses)
    totals = border_totals(result.interfaces, result.summary)
    assert totals["interfaces"].sum() == len(result.interfaces)
    assert (totals["routes"] <= totals["interfaces"]).all()
    for row in totals.to_dict("records"):
        mine = result.interfaces[
            (result.interfaces["a"] == row["a"]) & (result.interfaces["b"] == row["b"])
            & (result.interfaces["layer"] == row["layer"])
        ]  # fmt: skip
        assert row["routes"] == count_routes(mine)
        assert row["capacity_missing"] == int(mine["lanes_missing"].sum())
    wide = wide_table(totals)
    assert wide["highways_interfaces"].sum() == (result.interfaces["layer"] == "highways").sum()


# ------------------------------------------------------------------- ports, synthetic


def _point(x_km: float, y_km: float) -> shapely.Point:
    return shapely.Point(syn.X0 + x_km * 1000, syn.Y0 + y_km * 1000)


@cache
def harbour() -> tuple[object, dict[str, gpd.GeoDataFrame]]:
    """A and B side by side, the island C; four ports, each a case of the rule."""
    regions = syn.regions(
        {"A": syn.box(0, 0, 10, 10), "B": syn.box(10, 0, 20, 10), "C": syn.box(30, 0, 35, 5)}
    )
    roads = syn.features(
        "highways",
        [
            # A bridge from B ending at the island's port.
            {"highway": "motorway", "ref": "S2", "lanes": "6", "bridge": "yes",
             "geometry": syn.line((18, 3), (32, 3))},
            # A road inside A ending at A's inland port: no border.
            {"highway": "primary", "ref": "X1", "geometry": syn.line((1, 1), (2, 2))},
            # A road from B ending at a port in A, 4 km from the border.
            {"highway": "primary", "ref": "S5", "geometry": syn.line((15, 9), (6, 9))},
            # A road across A-B passing 1.4 km from A's inland port, not ending there.
            {"highway": "primary", "ref": "S7", "geometry": syn.line((0.5, 6), (3, 3), (15, 3))},
        ],
    )  # fmt: skip
    ports = syn.features(
        "ports",
        [
            {"harbour": "yes", "name": "Island port", "berths": "9", "teu": "2200000",
             "start_date": "2005", "geometry": _point(32, 3)},
            {"harbour": "yes", "name": "Inland port", "berths": "3", "geometry": _point(2, 2)},
            {"harbour": "yes", "name": "Border river port", "geometry": syn.box(9.5, 5, 10.5, 6)},
            {"harbour": "yes", "name": "Port reached from B", "berths": "2",
             "geometry": _point(6, 9)},
        ],
    )  # fmt: skip
    return regions, {"highways": roads, "ports": ports}


def test_a_port_belongs_to_the_border_it_is_on_or_reached_across():
    regions, layers = harbour()
    view = overview(layers, regions, as_of=2010, data_year=TODAY)
    found = {(r["a"], r["b"], r["name"], r["how"]) for r in view.ports.to_dict("records")}
    assert found == {
        ("B", "C", "Island port", "reached"),
        ("A", "B", "Border river port", "on_border"),
        ("A", "B", "Port reached from B", "reached"),
    }
    rows = view.totals.set_index(["a", "b", "layer"])
    assert rows.loc[("B", "C", "ports"), ["interfaces", "capacity", "teu"]].tolist() == [
        1, 9, 2_200_000,
    ]  # fmt: skip
    # Two ports on A-B; one has no berths: the known ones add up, the other is counted.
    counts = ["interfaces", "capacity", "capacity_missing"]
    assert rows.loc[("A", "B", "ports"), counts].tolist() == [2, 2, 1]
    assert pd.isna(rows.loc[("A", "B", "ports"), "teu"])


def test_a_port_counts_only_in_the_years_it_and_its_link_exist():
    regions, layers = harbour()
    before = overview(layers, regions, as_of=2004, data_year=TODAY)
    assert "Island port" not in set(before.ports["name"])
    result = count_crossings(layers, regions, as_of=2010)
    sites = port_sites(layers["ports"], layers, regions)
    no_links = border_ports(
        sites, layers["ports"], result.interfaces.iloc[0:0], result.summary[["a", "b"]],
        as_of=2010, statuses=("open",),
    )  # fmt: skip
    assert set(no_links["how"]) == {"on_border"}  # without the links only the border port


def test_the_reach_is_a_parameter():
    regions, layers = harbour()
    near = overview(layers, regions, as_of=2010, port_reach_m=100.0)
    assert "Border river port" in set(near.ports["name"])  # it straddles the border
    far = overview(layers, regions, as_of=2010, port_reach_m=1500.0)
    assert "Inland port" not in set(far.ports["name"])  # S7 passes it, does not end there
