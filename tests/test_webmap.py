"""The map builder: local assets only, escaped text, one shape per feature; and its helpers."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from app import map_assets, map_geojson, map_html, views, webmap
from app.query import PageQuery
from geo.analysis import count_crossings
from geo.datum import china_tile_offset_m
from geo.errors import InvalidParameterError
from geo.io.sources import Source, load_source
from geo.reconcile import default_pair
from geo.summary import layer_totals, pair_interfaces
from helpers import synthetic as syn
from helpers.paths import ROOT
from layers import LINE_LAYERS

EVIL = "<img src=x onerror=alert(1)>"
EVIL_JS = "`${alert(2)}`\\"


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def pair() -> dict:
    """Two regions with a motorway, a proposed railway and a port, named with HTML."""
    regions = syn.regions({EVIL: syn.box(0, 0, 50, 50), "Plain": syn.box(50, 0, 100, 50)})
    highways = syn.features(
        "highways",
        [
            {
                "highway": "motorway",
                "lanes": "3",
                "oneway": "no",
                "ref": "G60",
                "name": f"<b>bold</b>{EVIL_JS}",
                "geometry": syn.line((10, 20), (90, 20)),
            },
            {
                "highway": "primary",
                "name": "Inside",
                "geometry": syn.line((10, 30), (40, 30)),
            },
        ],
    )
    railways = syn.features(
        "railways",
        [
            {
                "railway": "construction",
                "construction": "rail",
                "name": "Future line",
                "geometry": syn.line((10, 10), (90, 10)),
            }
        ],
    )
    ports = syn.features(
        "ports",
        [{"harbour": "yes", "name": EVIL, "geometry": shapely.Point(syn.X0 + 20e3, syn.Y0 + 5e3)}],
    )
    layers = {"highways": highways, "railways": railways, "ports": ports}
    result = count_crossings(layers, regions, region=EVIL, statuses=("open", "construction"))
    return {
        "regions": regions.regions.to_crs(4326),
        "layers": layers,
        "result": result,
    }


def _html(fmap: folium.Map) -> str:
    return fmap.get_root().render()


def _collections(html: str) -> list[dict]:
    """The GeoJSON FeatureCollections the map's script draws, in order."""
    decoder = json.JSONDecoder()
    return [decoder.raw_decode(html, m.end())[0] for m in re.finditer(r"L\.geoJson\(", html)]


def _interface_features(html: str) -> list[dict]:
    return [
        f
        for c in _collections(html)
        for f in c["features"]
        if "jiegui-interface" in f["properties"]["style"]["className"]
    ]


def _build(pair: dict, **kwargs) -> folium.Map:
    return webmap.build_map(
        pair["regions"],
        pair["layers"],
        pair["result"].interfaces,
        attribution=f"Data {EVIL} © someone",
        **kwargs,
    )


# ------------------------------------------------------------------------ offline assets


def test_map_links_only_local_scripts_and_styles(pair):
    fmap = _build(pair)
    html = _html(fmap)
    links = re.findall(r'<script[^>]*\bsrc="([^"]*)"', html) + re.findall(
        r'<link[^>]*\bhref="([^"]*)"', html
    )
    assert links, "the map links no script at all"
    assert not [u for u in links if re.match(r"(https?:)?//", u)], links
    assert all(u.startswith("/app/static/") for u in links), links
    for url in links:  # each link names a vendored file
        assert (map_assets.STATIC_DIR / url.removeprefix("/app/static/")).is_file(), url
    assert map_assets.remote_asset_links(fmap) == []
    # Nothing else in the page fetches from a CDN (anchors in the attribution may link out).
    assert not re.search(r"""(src|href)=["']https?://(cdn|code\.jquery|netdna)""", html)


def test_folium_defaults_are_left_alone_for_other_maps(pair):
    _build(pair)
    assert any("cdn" in url for _, url in folium.Map.default_js)
    assert map_assets.remote_asset_links(folium.Map()) != []  # the guard does see CDN links


def test_inline_assets_make_a_standalone_page(pair, tmp_path):
    fmap = _build(pair, assets="inline")
    html = _html(fmap)
    sources = re.findall(r'<script[^>]*\bsrc="([^"]*)"', html)
    assert sources and all(s.startswith("data:text/javascript;base64,") for s in sources)
    assert "/app/static" not in html
    assert map_assets.remote_asset_links(fmap) == []


def test_asset_prefix_follows_a_base_url():
    assert map_assets.static_url(None) == map_assets.static_url("") == "/app/static"
    assert map_assets.static_url("/jiegui/") == "/jiegui/app/static"
    js, css = map_assets.asset_links("/jiegui/app/static/")
    assert js[0] == ("leaflet", "/jiegui/app/static/leaflet/leaflet.js")
    assert js[1] == ("jiegui_map", "/jiegui/app/static/jiegui/map.js")  # after Leaflet
    assert css == [
        ("leaflet_css", "/jiegui/app/static/leaflet/leaflet.css"),
        ("jiegui_map_css", "/jiegui/app/static/jiegui/map.css"),
    ]


def test_static_files_are_the_documented_versions():
    readme = (map_assets.STATIC_DIR / "README.md").read_text(encoding="utf-8")
    assert "leaflet` 1.9.4" in readme and "jquery` 3" not in readme
    assert sorted(p.name for p in map_assets.STATIC_DIR.iterdir()) == [
        "README.md",
        "jiegui",
        "leaflet",
    ]
    assert "`jiegui/map.js`" in readme and "`jiegui/map.css`" in readme
    assert "`jiegui/context.json`" in readme
    head = (map_assets.STATIC_DIR / "leaflet" / "leaflet.js").read_text(encoding="utf-8")[:200]
    assert "Leaflet 1.9.4" in head


# ------------------------------------------------------------------------------ escaping


def test_html_in_data_is_escaped_everywhere(pair):
    html = _html(_build(pair))
    # Raw markup from data never appears, in HTML or in JSON (where < is \u003c).
    decoded = html
    for code, char in (("\\u003c", "<"), ("\\u003e", ">"), ("\\u0026", "&"), ("<\\/", "</")):
        decoded = decoded.replace(code, char)
    for raw in (EVIL, "<b>bold</b>", "${alert(2)}"):
        assert raw not in decoded
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # tooltips, popups, attribution
    assert "&lt;b&gt;bold&lt;/b&gt;&#96;&#36;{alert(2)}&#96;&#92;" in html


JINJA = "{{ 7*7 }}{% for i in range(3) %}Zq{% endfor %}"


def test_template_code_in_data_is_shown_not_run():
    """Jinja syntax in names, attribution and a tile URL reaches the page as text.

    branca compiles each element's rendered text as a template unless the element adds it
    literally (app.map_elements); the server then ran it: "{{ 7*7 }}" became "49".
    """
    regions = syn.regions({f"R{JINJA}": syn.box(0, 0, 50, 50), "Plain": syn.box(50, 0, 100, 50)})
    highways = syn.features(
        "highways",
        [
            {
                "highway": "motorway",
                "lanes": "2",
                "ref": f"G{JINJA}",
                "name": f"N{JINJA}",
                "geometry": syn.line((10, 20), (90, 20)),
            }
        ],
    )
    result = count_crossings({"highways": highways}, regions)
    assert len(result.interfaces) == 1
    fmap = webmap.build_map(
        regions.regions.to_crs(4326),
        {"highways": highways},
        result.interfaces,
        attribution=f"A{JINJA}",
        tiles="http://localhost:8080/{{ 6*7 }}/{z}/{x}/{y}.png",
        tile_attribution=f"T{JINJA}",
        selected=str(result.interfaces["id"].iat[0]),
    )
    html = _html(fmap)
    for prefix in ("R", "G", "N", "A", "T"):  # region, ref, name, attribution, tiles
        assert f"{prefix}{JINJA}" in html, prefix
    assert "/{{ 6*7 }}/" in html
    for evaluated in ("49Zq", "ZqZq", "/42/"):
        assert evaluated not in html


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("G60", "G60"),
        ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
        ('a"b', "a&quot;b"),
        ("`${x}`\\", "&#96;&#36;{x}&#96;&#92;"),
        (None, ""),
        (float("nan"), ""),
        (pd.NA, ""),
        ("杭州湾跨海大桥", "杭州湾跨海大桥"),
    ],
)
def test_escape_text(text, shown):
    assert map_html.escape_text(text) == shown


def test_css_token():
    assert map_html.css_token("jiegui-if-highways-9") == "jiegui-if-highways-9"
    assert map_html.css_token('a b"<c') == "a_b__c"


# -------------------------------------------------------------------------------- shapes


def test_region_shapes_made_once_give_the_same_content(pair):
    args = (pair["regions"], pair["layers"], pair["result"].interfaces)
    shapes = map_geojson.region_shapes(pair["regions"])
    assert len(shapes) == len(pair["regions"])
    kept = webmap.map_content(*args, highlight=[EVIL], region_shapes=shapes)
    assert kept == webmap.map_content(*args, highlight=[EVIL])


def test_one_shape_per_region_feature_and_interface(pair):
    fmap = _build(pair)
    html = _html(fmap)
    interfaces = pair["result"].interfaces
    assert len(interfaces) == 2  # the motorway and the railway under construction
    markers = _interface_features(html)
    assert sorted(f["properties"]["id"] for f in markers) == sorted(interfaces["id"])
    assert all("jiegui-popup" in f["properties"]["popup"] for f in markers)
    features = sum(len(c["features"]) for c in _collections(html))
    shapes = len(pair["regions"]) + sum(len(f) for f in pair["layers"].values())
    assert features == shapes + len(interfaces)
    assert map_geojson.feature_count(pair["regions"], pair["layers"], interfaces) == shapes + 2


def test_the_map_script_needs_no_jquery(pair):
    # folium's Popup template calls $(...); the map binds its popups itself.
    html = _html(_build(pair))
    script = html[html.index("<script>", html.index("<body>")) :]
    assert "$(" not in script


def test_a_map_drawn_again_from_the_same_content_renders_the_same(pair):
    content = webmap.map_content(pair["regions"], pair["layers"], pair["result"].interfaces)
    assert pickle.loads(pickle.dumps(content)) == content  # cacheable by value

    def script(fmap: folium.Map) -> str:  # folium's random element names aside
        return re.sub(r"_[0-9a-f]{32}", "_", _html(fmap))

    first = webmap.draw_map(content, attribution="A")
    again = webmap.draw_map(pickle.loads(pickle.dumps(content)), attribution="A")
    assert first is not again
    assert script(first) == script(again)
    assert script(webmap.draw_map(content, attribution="B")) != script(first)


def test_layers_are_toggleable_groups_with_a_legend(pair):
    html = _html(_build(pair))
    control = re.search(r"overlays\s*:\s*\{(.*?)\}", html, re.DOTALL).group(1)
    for label in ("Regions", "Highways", "Railways", "Ports", "Interfaces"):
        assert f'"{label}"' in control
    content = webmap.map_content(pair["regions"], pair["layers"], pair["result"].interfaces)
    for entry in ("motorway", "primary road", "conventional", "Interfaces"):
        assert entry in content.legend
    assert webmap._script_json(content.legend)[1:-1] in html  # the map's script carries it


def test_styles_come_from_the_layer_specs(pair):
    html = _html(_build(pair))
    assert '"color": "#c0392b"' in html  # motorway colour of layers/highways.py
    assert '"dashArray": "8 6"' in html  # railway under construction: dashed


def test_interface_popup_says_what_a_planner_reads_not_the_engines_fields(pair):
    html = _html(_build(pair))
    motorway = pair["result"].interfaces.query("layer == 'highways'").iloc[0]
    [popup] = [
        f["properties"]["popup"]
        for f in _interface_features(html)
        if f["properties"]["id"] == motorway["id"]
    ]
    for label in ("Route number", "Border", "Type", "Status", "Lanes"):
        assert f"<th>{label}</th>" in popup
    assert "<td>G60</td>" in popup and "<td>Highways · motorway</td>" in popup
    assert f"<td>{int(motorway['lanes'])} (both directions)</td>" in popup
    for engine in ("<th>a</th>", "<th>b</th>", "carriageways", "per line", "source ids"):
        assert engine not in popup
    # the name is text, never markup: in the popup and in the tooltip
    assert "&lt;b&gt;bold&lt;/b&gt;&#96;&#36;{alert(2)}&#96;&#92;" in popup
    assert "<b>bold</b>" not in popup


def test_markers_grow_with_lanes():
    assert map_geojson.marker_radius("highways", 8) > map_geojson.marker_radius("highways", 4)
    assert map_geojson.marker_radius("highways", None) == map_geojson.marker_radius("waterways", 3)


def test_tiles_are_optional_and_checked(pair):
    plain = _html(_build(pair))
    assert "L.tileLayer" not in plain and webmap.TILED_REGION_STYLE not in plain
    html = _html(_build(pair, tiles="http://localhost:8080/{z}/{x}/{y}.png"))
    assert "http://localhost:8080/{z}/{x}/{y}.png" in html
    # Over tiles the regions' fill is faint, the tiles' notice is wired to the tile layer.
    assert webmap.TILED_REGION_STYLE in html and "fill-opacity: 0.1;" in html
    assert "could not be loaded" in html
    assert "Basemap: localhost:8080" in html
    with pytest.raises(InvalidParameterError, match="lacks"):
        _build(pair, tiles="http://localhost:8080/tiles.png")


def test_map_opens_on_the_highlighted_regions(pair):
    html = _html(_build(pair, highlight=["Plain"]))
    bounds = json.loads(re.search(r"fitBounds\(\s*(\[\[.*?\]\])", html, re.DOTALL).group(1))
    plain = pair["regions"].set_index("name").loc["Plain"].geometry.bounds
    assert bounds[0] == pytest.approx([plain[1], plain[0]])


def test_too_many_features_keep_main_classes_first(pair):
    html = _html(_build(pair, max_features=1))
    assert "(showing 1 of 2)" in html
    assert "Inside" not in html  # the primary road is dropped, the motorway kept


# ------------------------------------------------------- page data from the engine


@pytest.fixture(scope="module")
def yrd():
    return load_source("yrd", layer_names=LINE_LAYERS)


def test_the_map_reads_a_year_as_the_count_does_for_data_of_an_earlier_year():
    """A motorway due to open in 2025, still tagged as construction in 2024 data.

    Counted as open in 2025 when the data describe 2024 (its opening was still ahead
    then); the map must draw it in 2025 too, which it does only if it reads the year
    with the data's year as well.
    """
    region_set = syn.regions({"A": syn.box(0, 0, 50, 50), "B": syn.box(50, 0, 100, 50)})
    road = syn.features(
        "highways",
        [{"highway": "motorway", "lanes": "2", "geometry": syn.line((10, 20), (90, 20))}],
    ).assign(status="construction", start_year=2025)
    source = Source("synthetic", region_set, {"highways": road}, "", data_year=2024)
    loaded = views.Loaded(source, region_set.regions.to_crs(4326), (2025, 2025), ("s",) * 4)
    query = PageQuery("s", "s", "s", "A", "B", 2025, ("open",), ("highways",))
    result = views.count(loaded, query)
    assert len(result.interfaces) == 1
    shown = views.what_is_shown(loaded, result, query)
    assert list(shown.layers["highways"]["status"]) == ["open"]


def test_the_first_view_opens_on_the_first_documented_border(yrd):
    assert default_pair(yrd.region_set.names, yrd.folder) == ("Zhejiang", "Shanghai")
    assert default_pair(["B", "A"]) == ("B", None)


def test_layer_totals_agree_with_the_summary(yrd):
    result = count_crossings(yrd.layers, yrd.region_set, region="Zhejiang")
    shown = pair_interfaces(result.interfaces, "Zhejiang", "Shanghai")
    totals = layer_totals(shown, [*LINE_LAYERS, "ports"]).set_index("layer")
    assert "ports" not in totals.index
    summary = result.summary[result.summary["b"] == "Shanghai"]
    for layer, rows in summary.groupby("layer"):
        assert totals.at[layer, "interfaces"] == rows["interfaces"].sum()
        if rows["class"].nunique() <= 1:
            assert totals.at[layer, "routes"] == rows["routes"].sum()
    lanes = summary.loc[summary["layer"] == "highways", "lanes"].sum()
    assert totals.at["highways", "capacity"] == lanes
    assert totals.at["waterways", "capacity_short"] == "best grade"


# ------------------------------------------------------------------- the page (AppTest)


def _page() -> AppTest:
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)


def _map_args(at: AppTest) -> dict:
    components = [
        c for c in at.get("component_instance")
        if "st_folium" in c.proto.component_name
    ]  # fmt: skip
    assert len(components) == 1
    return json.loads(components[0].proto.json_args)


def test_page_opens_on_the_embedded_dataset_with_a_local_map(yrd):
    at = _page().run().run()  # the second run (the drawn map's report) adds the tables
    assert not at.exception
    assert at.selectbox[0].value == "yrd"
    args = _map_args(at)
    assert args["js_links"] and all(u.startswith("/app/static/") for u in args["js_links"])
    assert all(u.startswith("/app/static/") for u in args["css_links"])
    assert "L.circleMarker" in args["script"]
    table = at.dataframe[0].value
    result = count_crossings(yrd.layers, yrd.region_set, region="Zhejiang")
    expected = pair_interfaces(result.interfaces, "Zhejiang", "Shanghai")
    assert sorted(table["id"]) == sorted(expected["id"])


def test_page_reads_the_network_of_2006(yrd):
    at = _page().run()
    at.slider[0].set_value(2006).run()
    assert not at.exception
    table = at.dataframe[0].value
    result = count_crossings(yrd.layers, yrd.region_set, region="Zhejiang", as_of=2006)
    expected = pair_interfaces(result.interfaces, "Zhejiang", "Shanghai")
    assert sorted(table["id"]) == sorted(expected["id"])
    assert "as of 2006" in at.caption[0].value


def test_page_reports_a_missing_path_in_one_sentence(tmp_path):
    at = _page().run()
    at.text_input(key="source_path").set_value(str(tmp_path / "missing.osm")).run()
    assert not at.exception
    assert "does not exist" in at.error[0].value


def test_markdown_in_names_is_not_rendered(tmp_path):
    path = tmp_path / "md.gpkg"
    regions = gpd.GeoDataFrame(
        {"name": ["A [x](javascript:alert(1)) $y$", "B"]},
        geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
        crs="EPSG:4326",
    )
    regions.to_file(path, layer="regions", driver="GPKG")
    gpd.GeoDataFrame(
        {"highway": ["motorway"], "lanes": ["2"], "oneway": ["no"]},
        geometry=[shapely.LineString([(0.5, 0.5), (1.5, 0.5)])],
        crs="EPSG:4326",
    ).to_file(path, layer="highways", driver="GPKG")
    at = _page().run()
    at.text_input(key="source_path").set_value(str(path)).run()
    assert not at.exception
    caption = at.caption[0].value
    assert r"A \[x\]\(javascript\:alert\(1\)\) \$y\$" in caption


def test_static_serving_is_enabled():
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r"^enableStaticServing\s*=\s*true", config, re.MULTILINE)
    assert Path(ROOT / "static" / "leaflet" / "leaflet.js").is_file()


def test_selected_interface_stands_out_and_the_map_opens_on_it(pair):
    interfaces = pair["result"].interfaces
    target = interfaces.iloc[0]
    html = _html(_build(pair, selected=str(target["id"])))
    assert html.count("jiegui-selected") == 1
    [selected] = [
        f for c in _collections(html) for f in c["features"]
        if "jiegui-selected" in f["properties"]["style"]["className"]
    ]  # fmt: skip
    assert selected["properties"]["id"] == target["id"]
    assert selected["properties"]["style"]["color"] == webmap.SELECTED_COLOR
    assert len(_interface_features(html)) == len(interfaces)  # drawn on top of its marker
    assert "fitBounds" not in html
    assert f'"zoom": {webmap.SELECTED_ZOOM}' in html
    assert re.search(rf"center: \[{target['lat']:.4f}\d*, {target['lon']:.4f}\d*\]", html)
    # An unknown id changes nothing.
    assert _html(_build(pair, selected="nope")).count("jiegui-selected") == 0


def test_selection_is_drawn_apart_from_the_map(pair):
    interfaces = pair["result"].interfaces
    content = webmap.map_content(pair["regions"], pair["layers"], interfaces)
    target = str(interfaces.iloc[1]["id"])
    group = webmap.selection_layer(content, target)
    assert isinstance(group, folium.FeatureGroup) and not group.control
    (lat, lon), zoom = webmap.selection_view(content, target)
    assert (lat, lon) == pytest.approx((interfaces.iloc[1]["lat"], interfaces.iloc[1]["lon"]))
    assert zoom == webmap.SELECTED_ZOOM
    for nothing in (None, "nope"):
        assert webmap.selection_layer(content, nothing) is None
        assert webmap.selection_view(content, nothing) is None


def test_a_clicked_marker_is_known_by_its_feature_id(pair):
    content = webmap.map_content(pair["regions"], pair["layers"], pair["result"].interfaces)
    marker = content.interfaces[1]
    # What st_folium returns for a click: the clicked layer's toGeoJSON(), properties and all.
    report = {webmap.CLICK_REPORT: json.loads(json.dumps(marker))}
    assert webmap.clicked_interface(report) == marker["properties"]["id"]
    region = json.loads(content.regions)["features"][0]
    assert webmap.clicked_interface({webmap.CLICK_REPORT: region}) is None
    for nothing in (None, {}, {webmap.CLICK_REPORT: None}):
        assert webmap.clicked_interface(nothing) is None


@pytest.mark.parametrize(
    ("url", "system"),
    [
        ("https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}&style=8", "GCJ-02"),
        ("https://wprd02.is.autonavi.com/appmaptile?style=7&x={x}&y={y}&z={z}", "GCJ-02"),
        ("https://rt0.map.gtimg.com/tile?z={z}&x={x}&y={y}&styleid=1", "GCJ-02"),
        ("https://maponline0.bdimg.com/tile/?qt=vtile&x={x}&y={y}&z={z}", "BD-09"),
        ("http://localhost:8080/{z}/{x}/{y}.png", None),
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", None),
        ("", None),
    ],
)
def test_tiles_in_chinese_offset_coordinates_are_warned_about(url, system, yrd):
    regions = yrd.region_set.regions
    warning = webmap.tile_warning(url, regions)
    if system is None:
        assert warning is None
        return
    assert system in warning and "WGS84" in warning
    assert warning.count(". ") == 0 and warning.endswith(".")  # one sentence
    west, south, east, north = regions.to_crs(4326).total_bounds
    metres = china_tile_offset_m((west + east) / 2, (south + north) / 2, system=system)
    assert f"about {round(metres, -1):.0f} m" in warning
    assert "hundreds of metres" in webmap.tile_warning(url)  # no regions: not quantified


def test_tiles_outside_china_are_not_warned_about():
    monaco = gpd.GeoDataFrame(geometry=[shapely.box(7.40, 43.72, 7.44, 43.75)], crs=4326)
    assert webmap.tile_warning("https://webrd01.is.autonavi.com/{z}/{x}/{y}", monaco) is None


def test_page_warns_about_offset_tiles():
    at = _page().run()
    assert not at.warning or all("GCJ-02" not in w.value for w in at.warning)
    at.selectbox(key="basemap").set_value("url").run()
    at.text_input(key="tile-url").set_value("https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}")
    at.run()
    assert not at.exception
    assert any("GCJ" in w.value and "WGS84" in w.value for w in at.sidebar.warning)
    assert not at.error  # x, y, z in any order is a tile URL


def test_page_basemap_is_off_by_default_and_openstreetmap_is_one_choice():
    at = _page().run()
    assert "tile.openstreetmap.org" not in _map_args(at)["script"]
    at.selectbox(key="basemap").set_value("osm").run()
    assert not at.exception
    script = _map_args(at)["script"]
    assert webmap.OSM_TILES in script
    assert "OpenStreetMap contributors" in script
    at.selectbox(key="basemap").set_value("none").run()
    assert "tile.openstreetmap.org" not in _map_args(at)["script"]


def _frame_styles(at: AppTest) -> list[str]:
    """The style sheets the page sends for the map's frame (``app.map_size.frame_css``)."""
    from app.map_size import FRAME_SELECTOR

    bodies = [h.proto.body for h in at.get("html")]
    return [b for b in bodies if FRAME_SELECTOR in b]


def test_the_map_fits_the_window_and_a_height_chosen_changes_only_its_frame():
    from app.map_size import COMPONENT_HEIGHT, frame_css

    at = _page().run().run()
    assert not at.exception
    # Sized in the browser, by the window: the server does not know it.
    assert _frame_styles(at) == [f"<style>{frame_css('fit')}</style>"]
    first = _map_args(at)
    assert first["height"] == COMPONENT_HEIGHT
    at.selectbox(key="map-height").set_value("large").run()
    assert not at.exception
    assert _frame_styles(at) == [f"<style>{frame_css('large')}</style>"]
    # The map's message is the same: st_folium keeps its frame, which the style resizes.
    assert _map_args(at) == first


def test_a_rerun_that_changes_nothing_sends_the_same_map():
    at = _page().run()
    first = _map_args(at)
    at.run()  # the drawn map's report in a browser
    second = _map_args(at)
    # The same map, view and questions (its view, for the page's link, and clicks).
    assert second == first
    at.run()
    assert _map_args(at) == second
    assert second["feature_group"] is None and second["center"] is None


def test_a_route_number_from_data_stays_text_in_the_labels():
    """A ref that looks like the map script's placeholders or closes a script is a label."""
    regions = syn.regions({"A": syn.box(0, 0, 50, 50), "B": syn.box(50, 0, 100, 50)})
    refs = ["@group:labels", "@context", "</script><b>x"]
    highways = syn.features(
        "highways",
        [
            {"highway": "motorway", "lanes": "2", "ref": ref,
             "geometry": syn.line((10, 10 + 12 * n), (90, 10 + 12 * n))}
            for n, ref in enumerate(refs)
        ],
    )  # fmt: skip
    result = count_crossings({"highways": highways}, regions)
    layers = {"highways": highways}
    content = webmap.map_content(regions.regions.to_crs(4326), layers, result.interfaces)
    assert sorted(r[2] for r in json.loads(content.labels)) == sorted(refs)
    html = _html(webmap.draw_map(content))
    assert '"@group:labels"' in html and '"@context"' in html  # left as they are
    assert "</script><b>x" not in html and "<\\/script><b>x" in html
