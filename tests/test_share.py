"""The view in the URL (app.link_state, app.share_view), on the page with AppTest and below.

A page writes what it shows into its URL; a page opened with those parameters shows the
same; every value a link carries is checked against what the page offers, and a hostile
one (huge, unknown, a path, not a number) is left out with a note, never an exception.
The browser's side (the address bar, a second browser, the map's zoom) is
tests/test_e2e_share.py.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from streamlit import config
from streamlit.testing.v1 import AppTest

from app import language, link_state
from app.link_state import Link, MapView, page_params
from app.query import Keys
from geo import settings
from geo.io import datasets
from helpers.paths import ROOT
from layers import REGISTRY

REGIONS = ROOT / "data" / "yrd" / "regions.geojson"


def page() -> AppTest:
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)


def opened(params: dict[str, str]) -> AppTest:
    """The page's first run, opened with a link's ``params``."""
    at = page()
    at.query_params.update(params)
    return at.run()


def written(at: AppTest) -> dict[str, str]:
    """The URL's parameters after a run."""
    return {k: str(v) for k, v in at.query_params.items()}


def notes(at: AppTest) -> str:
    """What the page says about a link (the warning under its title), unescaped."""
    return "\n".join(
        w.value.replace("\\", "") for w in at.warning if "link" in w.value or "链接" in w.value
    )


def map_args(at: AppTest) -> dict[str, Any]:
    [component] = [c for c in at.get("component_instance") if "st_folium" in c.proto.component_name]
    return json.loads(component.proto.json_args)


_OPENS_AT = re.compile(r"center: \[([-\d.]+), ([-\d.]+)\],.*?\"zoom\": (\d+),", re.DOTALL)


def opens_at(at: AppTest) -> tuple[list[float], int] | None:
    """The view the drawn map's script opens at; None when it fits its border instead."""
    script = map_args(at)["script"]
    if "fitBounds(" in script:
        return None
    found = _OPENS_AT.search(script)
    assert found, "a map neither fitted nor opening at a view"
    return [float(found[1]), float(found[2])], int(found[3])


def box(at: AppTest, label: str):
    return next(s for s in at.selectbox if s.label == label)


@pytest.fixture(autouse=True)
def english():
    """Each test's own language: a run in this thread may have switched it."""
    language.use("en")
    yield
    language.use("en")


# --------------------------------------------------------------------- what is written


def test_a_page_writes_what_it_shows_into_its_url():
    at = page().run()
    assert not at.exception
    params = written(at)
    loaded_layers = [n for n in REGISTRY if n in params["layers"].split(",")]
    assert params["src"] == "yrd"
    assert (params["region"], params["nb"]) == (
        box(at, "Focus region").value,
        box(at, "Neighbour").value,
    )
    assert params["layers"].split(",") == loaded_layers == at.multiselect(key=Keys.LAYERS).value
    assert int(params["year"]) == at.slider(key=Keys.YEAR).value
    assert params["basis"] == at.radio(key=Keys.BASIS).value
    assert params["lang"] == "en"
    assert "lat" not in params  # the map has not reported its view yet
    # The link shown is the URL's parameters.
    [code] = at.code
    assert (
        code.value.startswith("?") and "src=yrd" in code.value and "region=Zhejiang" in code.value
    )


def test_the_url_follows_the_sidebar():
    at = page().run()
    at.selectbox(key=Keys.NEIGHBOUR).set_value("Jiangsu").run()
    at.multiselect(key=Keys.LAYERS).set_value(["highways", "railways"]).run()
    at.slider(key=Keys.YEAR).set_value(2006).run()
    at.radio(key=Keys.BASIS).set_value("open+construction").run()
    params = written(at)
    assert (params["nb"], params["layers"], params["year"], params["basis"]) == (
        "Jiangsu", "highways,railways", "2006", "open+construction",
    )  # fmt: skip
    at.selectbox(key=Keys.NEIGHBOUR).set_value("All neighbours").run()
    assert written(at)["nb"] == link_state.ALL_NEIGHBOURS


def reporting(monkeypatch: pytest.MonkeyPatch, report: dict[str, Any]) -> None:
    """Make the map report ``report`` (AppTest has no browser to draw it), as a browser does:
    the component's value returned and kept under the map's key."""
    import streamlit_folium

    real = streamlit_folium.st_folium

    def drawn(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        import streamlit as st

        st.session_state[Keys.MAP] = report
        return report

    monkeypatch.setattr(streamlit_folium, "st_folium", drawn)


def test_the_map_view_goes_into_the_url_once_the_map_reports_it(monkeypatch):
    at = page().run()
    reporting(monkeypatch, {"center": {"lat": 30.812345678, "lng": 120.9}, "zoom": 9})
    at.run()
    params = written(at)
    assert (params["lat"], params["lon"], params["z"]) == ("30.81235", "120.90000", "9")
    assert map_args(at)["center"] is None  # the map is never sent back where it is


def test_a_map_drawn_anew_opens_where_it_was_left_and_a_new_border_is_fitted(monkeypatch):
    at = page().run()
    assert opens_at(at) is None  # a fresh view fits the border
    reporting(monkeypatch, {"center": {"lat": 30.91234, "lng": 120.87654}, "zoom": 11})
    at.run()
    assert opens_at(at) is None  # the same map: its script (and iframe) unchanged
    at.slider(key=Keys.YEAR).set_value(2010).run()  # another map, for the same border
    assert opens_at(at) == ([30.91234, 120.87654], 11)
    assert (written(at)["lat"], written(at)["z"]) == ("30.91234", "11")
    at.radio(key=Keys.BASIS).set_value("open+construction").run()
    assert opens_at(at) == ([30.91234, 120.87654], 11)
    at.selectbox(key=Keys.NEIGHBOUR).set_value("Jiangsu").run()  # a new border
    assert opens_at(at) is None


# ------------------------------------------------------------------- what is read back


LINK = {
    "src": "yrd",
    "region": "Zhejiang",
    "nb": "Jiangsu",
    "layers": "highways,waterways",
    "year": "2006",
    "cmp": "2024",
    "basis": "open+construction",
    "lang": "en",
    "lat": "31.00000",
    "lon": "120.50000",
    "z": "10",
}


def test_a_link_opens_the_view_it_names():
    at = opened(LINK)
    assert not at.exception and not notes(at)
    assert box(at, "Focus region").value == "Zhejiang"
    assert box(at, "Neighbour").value == "Jiangsu"
    assert at.multiselect(key=Keys.LAYERS).value == ["highways", "waterways"]
    assert at.slider(key=Keys.YEAR).value == 2006
    assert at.selectbox(key=Keys.COMPARE_YEAR).value == 2024
    assert at.radio(key=Keys.BASIS).value == "open+construction"
    assert "Zhejiang – Jiangsu" in at.caption[0].value and "2006" in at.caption[0].value
    # The map opens at the link's view (in its script: not fitted, then moved).
    assert opens_at(at) == ([31.0, 120.5], 10)
    assert map_args(at)["center"] is None
    assert written(at) == LINK  # the page writes back what it was opened with


def test_a_link_written_by_the_page_opens_the_same_page(monkeypatch):
    first = page().run()
    first.selectbox(key=Keys.REGION).set_value("Jiangsu").run()
    first.multiselect(key=Keys.LAYERS).set_value(["railways"]).run()
    first.radio(key=Keys.BASIS).set_value("planned").run()
    reporting(monkeypatch, {"center": {"lat": 32.1, "lng": 119.2}, "zoom": 8})
    first.run()
    link = written(first)
    monkeypatch.undo()
    second = opened(link)
    assert not second.exception and not notes(second)
    assert written(second) == link
    for key in (Keys.REGION, Keys.NEIGHBOUR):
        assert second.selectbox(key=key).value == first.selectbox(key=key).value
    assert second.multiselect(key=Keys.LAYERS).value == ["railways"]
    assert second.radio(key=Keys.BASIS).value == "planned"
    assert opens_at(second) == ([32.1, 119.2], 8)


def test_custom_statuses_and_a_plus_read_as_a_space():
    at = opened({"basis": "custom", "status": "open,disused,bogus"})
    assert at.radio(key=Keys.BASIS).value == "custom"
    assert at.multiselect(key=Keys.STATUSES).value == ["open", "disused"]
    assert "status: “bogus”" in notes(at)
    assert written(at)["status"] == "open,disused"
    # "open+construction" typed into an address bar arrives as "open construction".
    assert opened({"basis": "open construction"}).radio(key=Keys.BASIS).value == "open+construction"


def test_a_linked_interface_is_selected_and_shown():
    at = page().run()
    [table] = [d.value for d in at.run().dataframe if {"id", "lanes"} <= set(d.value.columns)]
    iid = str(table["id"].iloc[0])
    linked = opened({"iface": iid})
    assert not linked.exception and not notes(linked)
    assert written(linked)["iface"] == iid
    assert any(s.value == "Selected interface" for s in linked.subheader)
    args = map_args(linked)
    assert "jiegui-selected" in (args["feature_group"] or "")
    assert args["zoom"] is not None and args["center"] is not None  # the map goes to it


def interface_rows(at: AppTest) -> tuple[str, Any]:
    """The interface table's key and frame (shown from a session's second run)."""
    [table] = [d for d in at.dataframe if d.key and d.key.startswith("interfaces-")]
    return table.key, table.value


def test_a_linked_interface_is_the_tables_selected_row_and_a_row_selected_goes_into_the_url():
    at = page().run()
    _, frame = interface_rows(at.run())
    iid, other = str(frame["id"].iloc[2]), str(frame["id"].iloc[4])
    linked = opened({"iface": iid}).run()  # the second run shows the table
    key, frame = interface_rows(linked)
    assert linked.session_state[key]["selection"]["rows"] == [2]
    assert str(frame["id"].iloc[2]) == iid and written(linked)["iface"] == iid
    assert "jiegui-selected" in (map_args(linked)["feature_group"] or "")
    assert "Selected interface" not in [s.value for s in linked.subheader]  # the row shows it
    linked.run()  # the table's own selection from now on
    assert linked.session_state[key]["selection"]["rows"] == [2]
    assert written(linked)["iface"] == iid
    # The user selects another row: the URL follows.
    linked.session_state[key] = {"selection": {"rows": [4], "columns": [], "cells": []}}
    linked.run()
    assert written(linked)["iface"] == other
    linked.session_state[key] = {"selection": {"rows": [], "columns": [], "cells": []}}
    linked.run()
    assert "iface" not in written(linked)


def test_a_link_in_chinese_says_its_notes_in_chinese():
    at = opened({"lang": "zh", "year": "abc"})
    assert written(at)["lang"] == "zh"
    assert "本页由链接打开" in notes(at) and "year：“abc”" in notes(at)
    assert at.expander[0].label == "分享与打印本地图"


def test_notes_stay_until_the_view_is_changed():
    at = opened({"region": "Atlantis"})
    assert "region: “Atlantis”" in notes(at)
    at.run()  # the map's report: still the link's page
    assert "Atlantis" in notes(at)
    at.slider(key=Keys.YEAR).set_value(2010).run()
    assert not notes(at)


# ---------------------------------------------------------------------- hostile links

HUGE = "x" * 100_000

HOSTILE = [
    ({"region": HUGE}, "region: longer than 256 characters"),
    ({"layers": "highways,teleports"}, "layers: “teleports”"),
    ({"layers": ",".join(["highways"] * 20)}, "layers: more than 16 items"),
    ({"src": "../../etc/passwd"}, "src: “../../etc/passwd”"),
    ({"src": "/etc/passwd"}, "src: “/etc/passwd”"),
    ({"src": "data:../outside/secret.geojson"}, "src: “data:../outside/secret.geojson”"),
    ({"year": "abc"}, "year: “abc”"),
    ({"year": "99999999999999999999"}, "year: “99999999999999999999”"),
    ({"year": "1e3"}, "year: “1e3”"),
    ({"cmp": "-1"}, "cmp: “-1”"),
    ({"z": "NaN", "lat": "30", "lon": "120"}, "lat, lon, z"),
    ({"lat": "1e999", "lon": "120", "z": "8"}, "lat, lon, z"),
    ({"lat": "95", "lon": "120", "z": "8"}, "lat, lon, z"),
    ({"lat": "30", "lon": "inf", "z": "8"}, "lat, lon, z"),
    ({"lat": "30", "lon": "120", "z": "99"}, "lat, lon, z"),
    ({"lat": "30"}, "lat, lon, z"),
    ({"nb": "<script>alert(1)</script>"}, "nb: “<script>alert(1)</script>”"),
    ({"basis": "everything"}, "basis: “everything”"),
    ({"lang": "fr"}, "lang: “fr”"),
    ({"iface": "highways/../../etc/passwd"}, "iface: “highways/../../etc/passwd”"),
]


@pytest.mark.parametrize(("params", "said"), HOSTILE, ids=[s for _, s in HOSTILE])
def test_a_hostile_value_is_left_out_with_a_note(params, said):
    at = opened(params)
    assert not at.exception and not at.error
    assert said in notes(at)
    # The rest of the page is the page's own first view.
    assert box(at, "Focus region").value == "Zhejiang"
    assert box(at, "Neighbour").value == "Shanghai"
    out = written(at)
    assert len(out) <= len(link_state.PARAMS) and all(
        len(v) <= link_state.MAX_CHARS for v in out.values()
    )
    for name, value in params.items():
        assert out.get(name) != value  # nothing hostile is written back
    assert map_args(at)["center"] is None and opens_at(at) is None  # fitted to the border


def test_repeated_and_unknown_parameters():
    at = page()
    at.query_params["year"] = ["1990", "2006"]  # the last one counts, as in st.query_params
    at.query_params["utm_source"] = "mail"
    at.run()
    assert not at.exception and not notes(at)
    assert at.slider(key=Keys.YEAR).value == 2006
    assert "utm_source" not in written(at)


def own_file(path: Path) -> Path:
    """A GeoPackage of two regions and a motorway across their border."""
    gpd.GeoDataFrame(
        {"name": ["A", "B"]},
        geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
        crs="EPSG:4326",
    ).to_file(path, layer="regions", driver="GPKG")
    gpd.GeoDataFrame(
        {"highway": ["motorway"], "lanes": ["2"], "oneway": ["no"]},
        geometry=[shapely.LineString([(0.5, 0.5), (1.5, 0.5)])],
        crs="EPSG:4326",
    ).to_file(path, layer="highways", driver="GPKG")
    return path


def test_a_path_is_never_a_source_nor_in_the_url(tmp_path):
    secret = own_file(tmp_path / "secret.gpkg")
    at = opened({"src": str(secret)})
    assert "src: “/" in notes(at)  # the visitor's own text, said back (its start)
    assert written(at)["src"] == "yrd"
    assert str(secret) not in json.dumps(dict(at.session_state.items()), default=str)
    # A path typed in (one's own machine) is opened but never written into the link.
    at.text_input(key=Keys.SOURCE_PATH).set_value(str(secret)).run()
    assert not at.exception and not at.error
    assert box(at, "Focus region").value == "A"
    assert "src" not in written(at) and written(at)["region"] == "A"
    assert str(tmp_path) not in at.code[0].value
    assert any("does not name this source" in c.value for c in at.caption)
    # Data with nothing to count stop the page before its map: the URL follows even so.
    regions_only = tmp_path / "regions.geojson"
    shutil.copy(REGIONS, regions_only)
    at.text_input(key=Keys.SOURCE_PATH).set_value(str(regions_only)).run()
    assert not at.exception and not at.code
    assert str(tmp_path) not in json.dumps(written(at))
    assert written(at)["region"] == box(at, "Focus region").value


@pytest.fixture
def streamlit_options():
    """Streamlit's configuration is the process's: put back what a hosted page changes."""
    saved = {o: config.get_option(o) for o in ("client.showErrorDetails", "server.maxUploadSize")}
    yield
    for option, value in saved.items():
        config.set_option(option, value)


def test_hosted_links_name_listed_files_only(tmp_path, monkeypatch, streamlit_options):
    data, fetched, outside = tmp_path / "data", tmp_path / "fetched", tmp_path / "outside"
    for folder in (data / "sub", fetched, outside):
        folder.mkdir(parents=True)
    shutil.copy(REGIONS, data / "sub" / "regions.geojson")
    shutil.copy(REGIONS, outside / "secret.geojson")
    monkeypatch.setenv(settings.HOSTED.variable, "1")
    monkeypatch.setenv(settings.DATA.variable, str(data))
    monkeypatch.setenv(settings.FETCHED.variable, str(fetched))
    monkeypatch.setenv(settings.UPLOADS.variable, str(tmp_path / "up"))
    at = opened({"src": "data:sub/regions.geojson"})
    assert not at.exception and not at.error and not notes(at)
    assert at.selectbox(key=Keys.SHARED_FILE).value == "data:sub/regions.geojson"
    assert written(at)["src"] == "data:sub/regions.geojson"
    for forged in (
        "data:../outside/secret.geojson",
        f"data:{outside}/secret.geojson",
        str(outside),
    ):
        at = opened({"src": forged})
        assert not at.exception and not at.error
        assert at.selectbox(key=Keys.SHARED_FILE).value is None
        assert written(at)["src"] == "yrd"
        assert str(tmp_path) not in notes(at)  # hosted: no path said back, not even its own


# ------------------------------------------------------------------------- the parts


def test_link_values_are_read_only_as_offered():
    link = Link.of({"region": "B", "layers": "a,,c", "year": "2006", "lat": "30.1"})
    assert link.choice("region", ["A", "B"]) == "B"
    assert link.names("layers", ["a", "b", "c"]) == ["a", "c"]
    assert link.year("year", 2007, 2024) is None
    assert link.view() is None
    assert [n.key for n in link.notes] == ["link_year", "link_view"]
    assert Link.of({"layers": ""}).names("layers", ["a"]) == []  # nothing chosen, on purpose
    assert not Link.of({"elsewhere": "1"})


def test_map_view_rounds_and_refuses_what_is_no_place():
    assert MapView.of(30.123456789, 120.987654321, 9.4) == MapView(30.12346, 120.98765, 9)
    assert MapView.of(float("nan"), 0, 1) is None
    assert MapView.reported({"zoom": 6}) is None  # st_folium's value before the map reports
    assert MapView.reported({"center": {"lat": 30, "lng": 120}, "zoom": 7}) == MapView(30, 120, 7)
    assert MapView.reported({"center": {"lat": "x", "lng": 120}, "zoom": 7}) is None


def test_page_params_are_in_order_and_bounded():
    params = page_params(
        source=None, region="R" * 300, neighbour=None, layers=["a", "b"], year=2006,
        compare=None, basis="open", statuses=None, language="zh",
        view=MapView(1.0, 2.0, 3), interface="i",
    )  # fmt: skip
    assert list(params) == ["nb", "layers", "year", "basis", "lang", "lat", "lon", "z", "iface"]
    assert params["nb"] == "*" and params["layers"] == "a,b"


def test_every_source_the_page_offers_has_a_link_name():
    assert all(
        Link.of({"src": n}).choice("src", datasets.available()) == n for n in datasets.available()
    )


# ------------------------------------------------------- a region by any of its names

NAMED = [
    {"region": "江苏", "neighbour": "浙江省"},
    {"region": "jiangsu", "nb": "zhejiang"},
    {"region": "江苏省", "nb": "Zhejiang Province"},
    {"region": " JIANGSU ", "neighbor": "浙江"},
]


@pytest.fixture(scope="module")
def canonical() -> AppTest:
    return opened({"region": "Jiangsu", "nb": "Zhejiang"})


@pytest.mark.parametrize("params", NAMED, ids=["zh+neighbour", "lower", "suffixes", "spaces"])
def test_a_link_names_a_region_by_any_of_its_names(params, canonical):
    at = opened(params)
    assert not at.exception and not notes(at)
    assert (box(at, "Focus region").value, box(at, "Neighbour").value) == ("Jiangsu", "Zhejiang")
    # The URL is written with the data's names: the canonical link, the same map.
    assert written(at) == written(canonical)
    assert written(at)["region"] == "Jiangsu" and written(at)["nb"] == "Zhejiang"
    assert map_args(at)["script"] == map_args(canonical)["script"]


def test_a_misspelt_region_in_a_chinese_link_is_one_note_naming_the_closest():
    at = opened({"lang": "zh", "region": "Jaingsu", "nb": "上海"})
    assert not at.exception and not at.error
    [warning] = [w for w in at.warning if "链接" in w.value]
    said = warning.value.replace("\\", "")
    assert "region：没有名为“Jaingsu”的地区；是否指Jiangsu (江苏省)？" in said
    assert at.selectbox(key=Keys.REGION).value == "Zhejiang"  # the page's own first view
    assert written(at)["region"] == "Zhejiang" and written(at)["nb"] == "Shanghai"


def test_a_name_of_two_regions_is_left_out_naming_both():
    regions = link_state.RegionNames.of(["吉林省", "吉林市", "长春市"])
    link = Link.of({"region": "吉林", "nb": "长春"})
    assert link.choice("region", ["吉林省", "吉林市"], regions=regions) is None
    assert link.choice("nb", ["长春市"], regions=regions) == "长春市"
    [note] = link.notes
    assert note.key == "link_region_ambiguous"
    with language.speaking("zh"):
        assert note.text() == "region：“吉林”可指多个地区（吉林市; 吉林省），请给出全称"
    said = "region: “吉林” names more than one region (吉林市; 吉林省); give its full name"
    assert note.text() == said


# ------------------------------------------------------- the datum of one's own files


def gcj02_package(folder: Path, *, datum: str = "gcj02") -> Path:
    """Zhejiang and Shanghai split at 121 E, two roads across, in ``datum`` (test_datum)."""
    from test_datum import write_pair

    regions_path, roads_path = write_pair(folder / "parts", datum=datum)
    package = folder / f"{datum}.gpkg"
    gpd.read_file(regions_path).to_file(package, layer="regions")
    gpd.read_file(roads_path).to_file(package, layer="highways")
    return package


def boxes(at: AppTest) -> tuple[bool, bool]:
    """The boxes "My GIS files are in GCJ-02" and "... in BD-09"."""
    return at.checkbox(key=Keys.GCJ02).value, at.checkbox(key=Keys.BD09).value


def converted_from(at: AppTest) -> list[str]:
    """The page's notes that the files were converted (unescaped)."""
    return [w.value.replace("\\", "") for w in at.warning if "converted from" in w.value]


def crossings_at_121_e(at: AppTest) -> bool:
    """Whether the interfaces lie on the border as drawn in WGS84 (121 E, within ~50 m).

    Read as WGS84, the GCJ-02 or BD-09 file's border and roads lie ~0.5-1.1 km off it.
    """
    _, frame = interface_rows(at)
    return len(frame) == 2 and bool(((frame["lon"].astype(float) - 121.0).abs() < 5e-4).all())


@pytest.fixture
def hosted_datum(tmp_path, monkeypatch, streamlit_options) -> str:
    """A hosted server whose list holds a GCJ-02 file; its listed name."""
    data, fetched = tmp_path / "data", tmp_path / "fetched"
    for folder in (data, fetched):
        folder.mkdir()
    package = gcj02_package(tmp_path)
    package.rename(data / package.name)
    monkeypatch.setenv(settings.HOSTED.variable, "1")
    monkeypatch.setenv(settings.DATA.variable, str(data))
    monkeypatch.setenv(settings.FETCHED.variable, str(fetched))
    monkeypatch.setenv(settings.UPLOADS.variable, str(tmp_path / "up"))
    return "data:gcj02.gpkg"


def test_a_hosted_files_link_carries_its_datum(hosted_datum):
    # The sender views the listed file in GCJ-02: the URL says so.
    first = opened({"src": hosted_datum}).run()
    assert not first.exception and boxes(first) == (False, False)
    assert "datum" not in written(first)
    # Read as WGS84 (what the receiver saw before the link carried the datum): ~0.5 km off.
    assert not converted_from(first) and not crossings_at_121_e(first)
    first.checkbox(key=Keys.GCJ02).check().run()
    link = written(first)
    assert (link["src"], link["datum"]) == (hosted_datum, "gcj02")
    assert list(link)[:3] == ["src", "datum", "region"]
    # The receiver opens it ticked and converted, as the sender saw it.
    second = opened(link)
    assert not second.exception and not second.error and not notes(second)
    assert boxes(second) == (True, False)
    assert any("from GCJ-02 to WGS84" in w and "median of 4" in w for w in converted_from(second))
    assert crossings_at_121_e(second.run())
    assert written(second)["datum"] == "gcj02"


def test_a_bogus_datum_is_left_out_with_a_note_in_the_pages_language(hosted_datum):
    at = opened({"src": hosted_datum, "datum": "bogus"})
    assert not at.exception and not at.error
    assert "datum: “bogus”" in notes(at)
    assert boxes(at) == (False, False) and not converted_from(at)
    assert "datum" not in written(at) and written(at)["src"] == hosted_datum
    at = opened({"src": hosted_datum, "datum": "wgs84", "lang": "zh"})
    assert "datum：“wgs84”不在可选范围内" in notes(at)


def test_a_local_paths_datum_ticks_its_box_and_unticks_the_other(tmp_path):
    package = gcj02_package(tmp_path, datum="bd09")
    at = page()
    at.session_state[Keys.SOURCE_PATH] = str(package)  # typed in before the link is read
    at.session_state[Keys.GCJ02] = True
    at.query_params["datum"] = "bd09"
    at.run()
    assert not at.exception and not at.error and not notes(at)
    assert boxes(at) == (False, True)
    assert any("from BD-09 to WGS84" in w for w in converted_from(at))
    assert crossings_at_121_e(at.run())
    # A path is never in the link, its datum is (the sender's files were in BD-09).
    assert "src" not in written(at) and written(at)["datum"] == "bd09"


def test_an_embedded_dataset_has_no_datum_in_its_link():
    at = opened({"src": "yrd", "datum": "gcj02"})
    assert not at.exception and not at.error
    assert "datum: “gcj02” is the datum of one's own files" in notes(at)
    assert boxes(at) == (False, False) and not converted_from(at)
    assert "datum" not in written(at)
    # A box ticked while the dataset is shown (disabled, as it is then): no datum either.
    at = page()
    at.session_state[Keys.GCJ02] = True
    at.run()
    assert not at.exception and at.checkbox(key=Keys.GCJ02).disabled
    assert written(at)["src"] == "yrd" and "datum" not in written(at)


def test_link_datum_is_read_only_for_a_source_it_applies_to():
    assert Link.of({"datum": "gcj02"}).datum(applies=True) == "gcj02"
    assert Link.of({"datum": " BD09 "}).datum(applies=True) == "bd09"
    absent = Link.of({"src": "yrd"})
    assert absent.datum(applies=True) is None and absent.datum(applies=False) is None
    assert not absent.notes
    for value, key in [("gcj02", "link_datum_embedded"), ("bogus", "link_unknown")]:
        link = Link.of({"datum": value})
        assert link.datum(applies=False) is None
        assert [n.key for n in link.notes] == [key]
    for value in ("bogus", "wgs84", "gcj-02", "", "gcj02,bd09"):
        link = Link.of({"datum": value})
        assert link.datum(applies=True) is None and [n.key for n in link.notes] == ["link_unknown"]
    link = Link.of({"datum": "bd09"})
    link.datum(applies=False)
    [note] = link.notes
    said = "datum: “bd09” is the datum of one's own files; the source shown is an embedded dataset"
    assert note.text().startswith(said)
    with language.speaking("zh"):
        assert note.text().startswith("datum：“bd09”是用户自有文件的坐标系")


def test_page_params_write_a_datum_only_when_it_is_not_wgs84():
    common: dict[str, Any] = dict(
        source="data:a.gpkg", region="A", neighbour="B", layers=["highways"], year=2006,
        compare=None, basis="open", statuses=None, language="en", view=None, interface=None,
    )  # fmt: skip
    for datum in ("gcj02", "bd09"):
        params = page_params(**common, datum=datum)
        assert list(params)[:3] == ["src", "datum", "region"] and params["datum"] == datum
        assert Link.of(params).datum(applies=True) == datum  # read back as written
    for datum in ("wgs84", None):
        assert "datum" not in page_params(**common, datum=datum)
    assert "datum" not in page_params(**common)
    assert link_state.DATUM in link_state.PARAMS
    from geo.datum import DATUMS, WGS84_DATUM

    assert set(link_state.LINK_DATUMS) == set(DATUMS) - {WGS84_DATUM}  # the boxes' datums
