"""The Streamlit page's logic, run in-process with AppTest (the browser tests are test_e2e)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from app import webmap
from geo import settings
from helpers.paths import ROOT


def page() -> AppTest:
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)


def opened() -> AppTest:
    """The page after its first two runs: in a browser the drawn map's report is the second."""
    return page().run().run()


def interfaces_of(at: AppTest):
    """The interface table (the page shows the overview and the report's figures too)."""
    [table] = [d.value for d in at.dataframe if {"id", "lanes"} <= set(d.value.columns)]
    return table


def _asks_for(at: AppTest) -> list[str]:
    """What the map is asked to report (st_folium's returned_objects)."""
    [component] = [c for c in at.get("component_instance") if "st_folium" in c.proto.component_name]
    return json.loads(component.proto.json_args)["returned_objects"]


def test_the_tables_follow_once_the_map_reports_that_it_is_drawn():
    at = page().run()
    assert not at.exception
    assert len(at.dataframe) == 0  # the first run: the map and the cards only
    assert any("their table follows once the map is drawn" in c.value for c in at.caption)
    # The map reports its view once drawn (and after each move, for the page's link), which
    # reruns the page; and its count of clicks (a what-if ring clicked twice is read twice).
    assert _asks_for(at) == [webmap.CLICK_REPORT, webmap.CLICK_COUNT, "center", "zoom"]
    at.run()
    assert {"id", "lanes"} <= set(at.dataframe[0].value.columns)
    assert any("measure" in d.value.columns for d in at.dataframe)
    assert _asks_for(at) == [webmap.CLICK_REPORT, webmap.CLICK_COUNT, "center", "zoom"]


def test_page_opens_on_the_embedded_dataset_at_the_zhejiang_shanghai_border():
    at = page().run()
    assert not at.exception
    assert at.selectbox[1].value == "Zhejiang"
    assert at.selectbox[2].value == "Shanghai"
    assert "Zhejiang – Shanghai" in at.caption[0].value
    assert len(at.metric) >= 6


@pytest.mark.shared
def test_page_counts_monaco(monaco_path):
    at = page().run()
    at.text_input(key="source_path").set_value(str(monaco_path)).run()
    assert not at.exception
    assert at.selectbox[1].value == "Monaco"
    table = interfaces_of(at)
    primary = table[(table["layer"] == "highways") & (table["class"] == "primary")]
    assert len(primary) == 5
    assert any("ODbL" in c.value for c in at.caption)


def test_page_reports_a_missing_file_in_one_sentence(tmp_path):
    at = page().run()
    at.text_input(key="source_path").set_value(str(tmp_path / "missing.osm")).run()
    assert not at.exception
    assert "does not exist" in at.error[0].value


def test_data_without_lines_still_show_what_the_loader_noted(tmp_path):
    # With no layer to count, the page stopped before its warnings: a feature left out or a
    # layer of lines not read (named roads, not highways) went unsaid, which the command
    # line says.
    import geopandas as gpd
    import shapely

    package = tmp_path / "mine.gpkg"
    regions = gpd.GeoDataFrame(
        {"name": ["A", "B", "C"]},
        geometry=[shapely.box(120, 30, 121, 31), shapely.box(121, 30, 122, 31), None],
        crs=4326,
    )
    regions.to_file(package, layer="regions")
    roads = gpd.GeoDataFrame(
        {"highway": ["primary"]}, geometry=[shapely.LineString([(120.5, 30.5), (121.5, 30.5)])],
        crs=4326,
    )
    roads.to_file(package, layer="roads")
    at = page().run()
    at.text_input(key="source_path").set_value(str(package)).run()
    assert not at.exception and not at.error
    assert "no lines to count" in at.info[0].value
    shown = [w.value.replace("\\", "") for w in at.warning]
    assert len(shown) == 2
    assert "1 feature(s) that were left out" in shown[0]
    assert "The layer(s) roads of mine.gpkg are not read" in shown[1]


def _report(at: AppTest):
    [table] = [d.value for d in at.dataframe if "measure" in d.value.columns]
    return table


def test_page_sets_the_reports_figures_beside_the_computed_ones():
    at = opened()
    table = _report(at)
    lanes = table[(table["border"] == "Zhejiang – Shanghai") & (table["measure"] == "lanes")]
    assert lanes["Documented"].tolist() == [22.0]
    assert lanes["explanation"].str.len().gt(20).all()


def test_the_english_report_table_shows_labels_not_the_datas_keys():
    # The review's screenshot showed layer "highways", measure "teu_phase1" and the border
    # "Zhejiang–Shanghai" on the English page (only the Chinese one was translated).
    table = _report(opened())
    layers = set(table["layer"])
    assert layers == {"Highways", "Inland waterways", "Ports"}
    assert not {m for m in table["measure"] if "_" in m}
    assert "container capacity of phase 1 (TEU/year, design)" in set(table["measure"])
    assert set(table["border"]) == {"Zhejiang – Shanghai", "Zhejiang – Jiangsu"}
    headers = [c for c in table.columns if c not in ("border", "layer", "measure", "basis",
                                                      "explanation")]  # fmt: skip
    assert headers and all(h[:1].isupper() for h in headers), headers


def _card_metric(at: AppTest, label: str):
    [metric] = [m for m in at.metric if m.label == label]
    return metric


def test_the_pipelines_card_gives_its_unit_and_its_unknowns_as_the_overview_does():
    # The review: "Max diameter 711" had no unit, and the "(2 unknown)" of the overview's
    # cell was only in the card's help.
    at = opened()
    pipes = interfaces_of(at).query("layer == 'pipelines'")
    unknown = int(pipes["capacity"].isna().sum())
    assert unknown and len(pipes) > unknown  # some known, some not: the case reviewed
    diameter = _card_metric(at, "Max diameter (mm)")
    assert diameter.value == f"{int(pipes['capacity'].max()):,}"
    assert diameter.delta == f"({unknown} unknown)"
    assert _card_metric(at, "Lanes").delta == ""  # every highway interface has lanes

    zh = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    zh.query_params["lang"] = "zh"
    zh.run().run()
    assert _card_metric(zh, "最大管径（毫米）").delta == f"（{unknown}个未知）"


def test_a_card_whose_interfaces_all_lack_the_capacity_reads_a_question_mark():
    at = opened()
    at.selectbox[2].set_value("Anhui").run()
    rails = interfaces_of(at).query("layer == 'railways'")
    assert len(rails) and rails["capacity"].isna().all()
    tracks = _card_metric(at, "Tracks")
    assert (tracks.value, tracks.delta) == ("?", f"({len(rails)} unknown)")


def _fetch_panel(at: AppTest, *, from_file: str | None = None, url: str | None = None) -> None:
    """Fill the sidebar's fetch panel and press Fetch."""
    at.number_input(key="fetch-band").set_value(1.0)
    if from_file is not None:
        at.radio(key="fetch-from").set_value("file").run()
        at.text_input(key="fetch-where-False").set_value(from_file).run()
    else:
        at.text_input(key="fetch-where-True").set_value(url).run()
    at.button(key="fetch-run").click().run()


@pytest.mark.shared
def test_fetch_panel_offline_then_open_the_package(monaco_path, tmp_path, monkeypatch):
    monkeypatch.setenv("JIEGUI_FETCH_DIR", str(tmp_path))
    at = page().run()
    at.text_input(key="source_path").set_value(str(monaco_path)).run()
    before = interfaces_of(at)
    _fetch_panel(at, from_file=str(monaco_path))
    assert not at.exception and not at.error
    [package] = list(tmp_path.glob("osm-monaco-*.gpkg"))
    assert package.name.startswith("osm-monaco-all-")  # the page shows all neighbours
    assert (tmp_path / (package.stem + ".manifest.json")).is_file()
    assert at.session_state["fetched"] == str(package)
    at.button(key="fetch-open").click().run()
    assert at.text_input(key="source_path").value == str(package)
    assert not at.exception and not at.error
    after = interfaces_of(at)
    columns = ["layer", "class", "source_ids"]
    assert sorted(map(tuple, after[columns].astype(str).to_numpy())) == sorted(
        map(tuple, before[columns].astype(str).to_numpy())
    )
    assert any("ODbL" in c.value for c in at.caption)


@pytest.mark.shared
def test_fetch_panel_online_through_osmnx(monaco_path, tmp_path, monkeypatch):
    from helpers.overpass_stub import Extract, OverpassStub

    monkeypatch.setenv("JIEGUI_FETCH_DIR", str(tmp_path))
    monkeypatch.setenv(settings.OSMNX.variable, str(tmp_path / "cache"))
    at = page().run()
    at.text_input(key="source_path").set_value(str(monaco_path)).run()
    with OverpassStub(Extract.read(monaco_path)) as stub:
        _fetch_panel(at, url=stub.overpass_url)
        assert len(stub.interpreter_queries()) == 5  # one per layer, ports included
    assert not at.exception and not at.error
    assert len(list(tmp_path.glob("osm-monaco-*.gpkg"))) == 1


def test_fetch_panel_says_what_went_wrong(tmp_path, monkeypatch):
    monkeypatch.setenv("JIEGUI_FETCH_DIR", str(tmp_path))
    at = page().run()
    _fetch_panel(at, from_file=str(tmp_path / "nowhere.osm.pbf"))
    assert not at.exception
    assert "does not exist" in at.error[0].value
    assert list(tmp_path.glob("*.gpkg")) == []


def test_gcj02_files_are_converted_when_ticked(tmp_path):
    import geopandas as gpd
    from test_datum import write_pair

    regions_path, roads_path = write_pair(tmp_path, datum="gcj02")
    package = tmp_path / "gcj.gpkg"
    gpd.read_file(regions_path).to_file(package, layer="regions")
    gpd.read_file(roads_path).to_file(package, layer="highways")
    at = page().run()
    at.text_input(key="source_path").set_value(str(package)).run()
    shown = lambda: [w.value.replace("\\", "") for w in at.warning]  # noqa: E731 (unescaped)
    assert not any("GCJ-02" in w for w in shown())
    at.checkbox(key="gcj02").check().run()
    assert not at.exception
    assert any("converted from GCJ-02 to WGS84" in w and "median of 4" in w for w in shown())


def test_bd09_files_are_converted_when_ticked_and_the_boxes_exclude_each_other(tmp_path):
    import geopandas as gpd
    from test_datum import write_pair

    regions_path, roads_path = write_pair(tmp_path, datum="bd09")
    package = tmp_path / "baidu.gpkg"
    gpd.read_file(regions_path).to_file(package, layer="regions")
    gpd.read_file(roads_path).to_file(package, layer="highways")
    at = page().run()
    at.text_input(key="source_path").set_value(str(package)).run()
    shown = lambda: [w.value.replace("\\", "") for w in at.warning]  # noqa: E731 (unescaped)
    at.checkbox(key="gcj02").check().run()
    assert any("converted from GCJ-02 to WGS84" in w for w in shown())
    at.checkbox(key="bd09").check().run()
    assert not at.exception
    assert not at.checkbox(key="gcj02").value  # ticking BD-09 unticked GCJ-02
    assert any("converted from BD-09 to WGS84" in w and "median of 1" in w for w in shown())
    assert not any("GCJ-02 to WGS84" in w for w in shown())
    at.checkbox(key="gcj02").check().run()
    assert not at.checkbox(key="bd09").value


def test_the_server_prepares_exactly_the_first_view_the_page_shows(tmp_path, monkeypatch):
    # server.py computes the first view as it starts; the page's first run must then find
    # every result on disk and compute none itself (the same keys, the same defaults).
    import streamlit as st

    import server
    from app import result_cache

    monkeypatch.setenv(settings.RESULTS.variable, str(tmp_path / "results"))
    st.cache_data.clear()
    st.cache_resource.clear()
    from geo.basis import BASES
    from geo.labels import LANGUAGES

    # The first view (its map in each language), its overview, and the report's measures in
    # each named basis (each a count at the report's year), so that a change of basis need
    # not count them.
    made = {"source": 1, "map": len(LANGUAGES), "documents": 1, "overview": 1,
            "crossings": 1 + len(BASES), "beside": len(BASES)}  # fmt: skip
    before = {kind: result_cache.computed_count(kind) for kind in made}
    assert server.prepare()
    prepared = {kind: result_cache.computed_count(kind) for kind in made}
    assert {k: prepared[k] - before[k] for k in made} == made
    at = page().run()
    assert not at.exception
    assert {kind: result_cache.computed_count(kind) for kind in made} == prepared
    assert len(at.metric) >= 6
    at.run()  # the tables, once the map has reported: still nothing computed
    assert {kind: result_cache.computed_count(kind) for kind in made} == prepared
    at.radio(key="basis").set_value("planned").run()
    assert result_cache.computed_count("beside") == prepared["beside"]
