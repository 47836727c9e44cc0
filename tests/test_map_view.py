"""What the map opens on and how close it goes: the border in focus, the features' accuracy.

Also the offline context and the labels as the map's script receives them: the context's
coded lines decode to the simplified Natural Earth lines, labels come in both languages,
and the route numbers never overlap the context's labels.
"""

from __future__ import annotations

import json
import math
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from app import map_context, views, webmap
from geo.accuracy import HALO_SPAN_PX, METRES_PER_PIXEL_Z0, halo, zoom_for_accuracy
from geo.datum import WGS84_DATUM
from geo.errors import InvalidParameterError
from geo.focus import border_line, focus_extent
from geo.io.context import CONTEXT_DIR, context_layers
from geo.label_layout import Label, overlapping
from geo.projection import metric_crs_for

# ------------------------------------------------------------------------------ accuracy


@settings(max_examples=80, deadline=None)
@given(st.floats(20.0, 40.0), st.floats(150.0, 200_000.0))
def test_the_accuracy_circle_spans_at_most_the_span_at_its_zoom(lat, metres):
    zoom = zoom_for_accuracy(lat, metres, max_zoom=13, min_zoom=0)
    pixels = 2 * metres / (METRES_PER_PIXEL_Z0 * math.cos(math.radians(lat)) / 2**zoom)
    assert pixels <= HALO_SPAN_PX + 1e-6
    if zoom < 13:  # the next zoom would make it larger than that
        assert 2 * pixels > HALO_SPAN_PX


def test_a_feature_of_unknown_or_fine_accuracy_gets_the_closest_zoom():
    assert zoom_for_accuracy(30.0, None, max_zoom=13) == 13
    assert zoom_for_accuracy(30.0, 50.0, max_zoom=13) == 13
    assert zoom_for_accuracy(30.0, float("nan"), max_zoom=13) == 13
    # Lines of the embedded data, accurate to 4-30 km, stay at a regional scale.
    assert zoom_for_accuracy(30.8, 4000, max_zoom=13) <= 11
    assert zoom_for_accuracy(30.8, 30000, max_zoom=13) <= 9


@pytest.mark.parametrize("radius", [500.0, 4000.0, 30000.0])
def test_the_halo_is_a_circle_of_the_radius_in_metres(radius):
    lon, lat = 120.99, 30.87
    circle = halo(lon, lat, radius)
    crs = metric_crs_for((lon - 1, lat - 1, lon + 1, lat + 1))
    frame = gpd.GeoSeries([circle, shapely.Point(lon, lat)], crs=4326).to_crs(crs)
    ring = shapely.get_coordinates(frame.iloc[0].exterior)
    centre = np.asarray(frame.iloc[1].coords[0])
    distances = np.hypot(*(ring - centre).T)
    assert distances == pytest.approx(radius, rel=0.01)


def test_a_halo_needs_a_positive_radius():
    with pytest.raises(InvalidParameterError, match="positive radius"):
        halo(120.0, 30.0, 0.0)


# ---------------------------------------------------------------------------------- focus


@pytest.fixture(scope="module")
def loaded():
    return views.load("yrd", views.source_stamp("yrd"), WGS84_DATUM)


def test_the_focus_is_the_pairs_border_and_its_interfaces(loaded):
    regions = loaded.source.region_set
    line = border_line(regions, "Zhejiang", "Jiangsu")
    assert len(line) and line.length.sum() > 100_000  # metres
    line = line.to_crs(4326)
    point = (121.9, 30.9)  # an interface out at sea, east of the land border
    west, south, east, north = focus_extent(regions, "Zhejiang", "Jiangsu", [point])
    bw, bs, _be, bn = line.total_bounds
    assert (west, south, north) == pytest.approx((bw, bs, bn)) and east == pytest.approx(121.9)
    zhejiang = regions.regions.set_index("name").to_crs(4326).loc["Zhejiang"].geometry.bounds
    assert (east - west) * (north - south) < 0.25 * (zhejiang[2] - zhejiang[0]) * (
        zhejiang[3] - zhejiang[1]
    )  # far less than the whole province
    # With no pair, the interfaces; with nothing at all, nothing.
    assert focus_extent(regions, "Zhejiang", None, [(120.0, 30.0), (121.0, 31.0)]) == (
        120.0, 30.0, 121.0, 31.0,
    )  # fmt: skip
    assert focus_extent(regions, "Zhejiang", None, []) is None


def test_the_page_map_opens_on_the_border_in_focus(loaded):
    query = views.first_query(loaded)
    result = views.count(loaded, query)
    content = views.map_content(loaded, result, query)
    (south, west), (north, east) = content.bounds
    shown = views.what_is_shown(loaded, result, query).interfaces
    assert west <= shown["lon"].min() and east >= shown["lon"].max()
    assert south <= shown["lat"].min() and north >= shown["lat"].max()
    zhejiang = loaded.regions_wgs84.set_index("name").loc["Zhejiang"].geometry.bounds
    assert (east - west) < 0.5 * (zhejiang[2] - zhejiang[0])  # not all of Zhejiang


# ------------------------------------------------------------------- the border counted


def _rgb_distance(a: str, b: str) -> float:
    """How far apart two ``#rrggbb`` colours are (Euclidean, in RGB units)."""
    rgb = [[int(c.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)] for c in (a, b)]
    return math.dist(*rgb)


def _other_colours(content: webmap.MapContent) -> dict[str, str]:
    """Every colour the map draws but the border's: classes, markers, context, regions."""
    from layers import REGISTRY, drawing, get_layer

    colours = {}
    for name in REGISTRY:
        spec = get_layer(name)
        for cls in spec.classes:
            for status in ("open", "construction"):
                style = spec.style({"class": cls, "status": status, "capacity": None})
                colours[f"{name} {cls}"] = style.color
    for name, style in map_context.CONTEXT_STYLES.items():
        colours[f"context {name}"] = style["color"]
    for n, feature in enumerate(json.loads(content.regions)["features"]):
        colours[f"region {n}"] = feature["properties"]["style"]["color"]
    colours["marker"] = drawing.MARKER_LINE
    colours["selected"] = webmap.SELECTED_COLOR
    return colours


@pytest.mark.parametrize("neighbour", ["Jiangsu", None])
def test_the_border_counted_is_drawn_in_a_style_of_its_own(loaded, neighbour):
    import dataclasses

    from geo.focus import counted_border

    query = dataclasses.replace(views.first_query(loaded), region="Zhejiang", neighbour=neighbour)
    content = views.map_content(loaded, views.count(loaded, query), query, "en")
    halo, line = json.loads(content.border)["features"]
    style = line["properties"]["style"]
    assert halo["properties"]["style"]["weight"] > style["weight"] >= 3
    assert style.get("dashArray") and "jiegui-border" in style["className"]
    # A colour far from every other drawn: not the focus outline's near-twin of rail's.
    for what, colour in _other_colours(content).items():
        assert _rgb_distance(style["color"], colour) > 90, what
    # It is the border counted: the land stretches of the pair (or of the region).
    expected = counted_border(loaded.source.region_set, "Zhejiang", neighbour).to_crs(4326)
    drawn = shapely.from_geojson(json.dumps(line["geometry"]))
    assert shapely.hausdorff_distance(drawn, shapely.union_all(expected.to_numpy())) < 0.02
    # ...and the legend says so, in its own part, with the same colour and pattern.
    part = re.search(r'<div class="group" data-legend="border">(.*?)</div>', content.legend)
    assert part and "the border counted" in part.group(1)
    assert f'data-color="{style["color"]}"' in part.group(1)
    assert f'data-dash="{style["dashArray"]}"' in part.group(1)
    # Drawn only, taking no pointer: the regions under it keep their tooltips.
    script = webmap.draw_map(content).get_root().render()
    assert script.count("interactive: false,") == 1


def test_the_border_legend_speaks_chinese(loaded):
    query = views.first_query(loaded)
    content = views.map_content(loaded, views.count(loaded, query), query, "zh")
    part = re.search(r'data-legend="border"><b>(.*?)</b>(.*?)</div>', content.legend)
    assert part and part.group(1) == "边界" and "本图统计的边界" in part.group(2)
    assert part.group(2).startswith("：")


def test_the_regions_in_focus_are_not_outlined_in_a_rail_colour(loaded):
    query = views.first_query(loaded)
    content = views.map_content(loaded, views.count(loaded, query), query, "en")
    focus = {
        f["properties"]["style"]["color"]
        for f in json.loads(content.regions)["features"]
        if "jiegui-focus" in f["properties"]["style"]["className"]
    }
    assert focus
    classes = {k: v for k, v in _other_colours(content).items() if not k.startswith("region")}
    for colour in focus:
        for what, other in classes.items():
            assert _rgb_distance(colour, other) > 60, what


def test_no_border_is_drawn_when_none_is_given(loaded):
    query = views.first_query(loaded)
    shown = views.what_is_shown(loaded, views.count(loaded, query), query)
    content = webmap.map_content(shown.regions, shown.layers, shown.interfaces)
    assert content.border == "" and 'data-legend="border"' not in content.legend
    html = webmap.draw_map(content).get_root().render()
    assert '"className": "jiegui-border' not in html and "Border counted" not in html


def test_a_selected_interface_is_shown_no_closer_than_its_accuracy_allows(loaded):
    query = views.first_query(loaded)
    content = views.map_content(loaded, views.count(loaded, query), query)
    stated = [f for f in content.interfaces if f["properties"]["accuracy_m"]]
    assert stated, "the embedded data state no accuracy: the test would prove nothing"
    for feature in stated:
        metres = feature["properties"]["accuracy_m"]
        (lat, _lon), zoom = webmap.selection_view(content, feature["properties"]["id"])
        assert zoom == zoom_for_accuracy(lat, metres, max_zoom=webmap.SELECTED_ZOOM)
        assert zoom < webmap.SELECTED_ZOOM
        group = webmap.selection_layer(content, feature["properties"]["id"])
        html = group.get_root().render() if group._parent else _render(group)
        assert "jiegui-halo" in html and "jiegui-halo-legend" in html
        assert f"{metres / 1000:g} km" in html


def _render(group) -> str:
    import folium

    fmap = folium.Map(tiles=None)
    group.add_to(fmap)
    return fmap.get_root().render()


def test_the_accuracy_of_an_interface_is_its_least_accurate_features(loaded):
    query = views.first_query(loaded)
    content = views.map_content(loaded, views.count(loaded, query), query)
    layers = views.what_is_shown(loaded, views.count(loaded, query), query).layers
    stated = {
        str(i): float(a)
        for frame in layers.values()
        for i, a in zip(frame["id"], frame["accuracy_m"], strict=True)
    }
    for feature in content.interfaces:
        sources = feature["properties"]["id"].split("/")[-1]
        assert feature["properties"]["accuracy_m"] == stated[sources]


# ------------------------------------------------------------------- context and labels


def test_the_context_decodes_to_the_simplified_lines_within_the_quantum():
    data = json.loads(map_context.context_json())
    layers = context_layers()
    q = data["q"]
    for name, kind in map_context.CONTEXT_DRAWN:
        simple = shapely.simplify(
            layers[name].geometry.to_numpy(), map_context.DISPLAY_TOLERANCE_DEG,
            preserve_topology=True,
        )  # fmt: skip
        expected = [
            shapely.get_coordinates(ring)
            for geom in simple
            for part in shapely.get_parts(geom)
            for ring in ([part.exterior, *part.interiors] if kind == "polygon" else [part])
        ]
        decoded = [
            np.cumsum(np.asarray(ring).reshape(-1, 2), axis=0) * q
            for shape in data[name]
            for ring in shape
        ]
        assert len(decoded) == len(expected), name
        for got, want in zip(decoded, expected, strict=True):
            assert np.abs(got - want).max() <= q / 2 + 1e-9
    size = len(map_context.context_json())
    raw = sum((CONTEXT_DIR / f"{n}.geojson").stat().st_size for n, _ in map_context.CONTEXT_DRAWN)
    assert size < raw / 3, (size, raw)  # what the map sends is a fraction of the files


def test_labels_come_in_the_page_language():
    zh = {row[2] for row in map_context.context_label_rows("zh")}
    en = {row[2] for row in map_context.context_label_rows("en")}
    assert {"上海", "杭州", "太湖", "浙江省"} <= zh
    assert {"Shanghai", "Hangzhou", "Zhejiang"} <= en
    assert not zh & {"Shanghai", "Hangzhou"}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_route_numbers_never_overlap_the_context_labels(loaded, language):
    query = views.first_query(loaded)
    content = views.map_content(loaded, views.count(loaded, query), query, language)
    routes = json.loads(content.labels)
    assert routes and all(r[3] == "ref" for r in routes)
    assert {r[2] for r in routes} <= {
        map_context.route_text(f["properties"]["ref"]) for f in content.interfaces
    }
    context = map_context.placed_labels(language)  # rivers' names among them
    assert any(lb.kind == "river" for lb, _ in context)
    labels = [lb for lb, _ in context] + [
        Label(r[1], r[0], r[2], "ref", gap_px=r[6]) for r in routes
    ]
    zooms = [z for _, z in context] + [r[4] for r in routes]
    for zoom in map_context.ROUTE_ZOOMS:
        assert overlapping(labels, zooms, zoom) == [], zoom


@pytest.mark.parametrize("language", ["zh", "en"])
def test_rivers_are_named_along_their_lines_apart_from_every_other_label(language):
    placed = map_context.placed_labels(language)
    rivers = [(lb, z) for lb, z in placed if lb.kind == "river"]
    want = {"zh": {"长江", "钱塘江", "淮河"}, "en": {"Yangtze River", "Qiantang River"}}
    assert want[language] <= {lb.text for lb, _ in rivers}
    other = {"zh": "Qiantang River", "en": "钱塘江"}[language]
    assert other not in {lb.text for lb, _ in rivers}
    lines = map_context.context_layers()["rivers"].geometry.union_all()
    for lb, zoom in rivers:
        # On its river (the point is on the line), from the zoom of its floor at the earliest.
        assert lines.distance(shapely.Point(lb.lon, lb.lat)) < 1e-3, lb
        assert zoom >= lb.floor
    labels = [lb for lb, _ in placed]
    zooms = [z for _, z in placed]
    for zoom in map_context.ROUTE_ZOOMS:
        assert overlapping(labels, zooms, zoom) == [], zoom
    # The map's script gets each river's turn with it.
    rows = [r for r in map_context.context_label_rows(language) if r[3] == "river"]
    assert len(rows) == len(rivers) and any(r[7] for r in rows)


def test_the_context_file_the_page_fetches_is_the_context():
    # static/jiegui/context.json is written by scripts/build_map_context.py from data/context.
    path = map_context.STATIC_ROOT / map_context.CONTEXT_FILE
    assert path.read_bytes() == map_context.context_json().encode("utf-8")
    version = map_context.context_file_version()
    assert version is not None
    assert map_context.context_url("/app/static/") == f"/app/static/jiegui/context.json?v={version}"


def test_the_page_map_fetches_the_context_and_a_standalone_map_carries_it(loaded, monkeypatch):
    query = views.first_query(loaded)
    content = views.map_content(loaded, views.count(loaded, query), query, "en")
    context = map_context.context_json()
    served = webmap.draw_map(content).get_root().render()
    assert context not in served
    assert json.dumps(map_context.context_url("/app/static")) in served
    standalone = webmap.draw_map(content, assets="inline").get_root().render()
    assert context in standalone
    assert "jiegui/context.json" not in standalone
    # Without the file (a checkout whose data changed without the script) it goes inline.
    monkeypatch.setattr(map_context, "context_url", lambda prefix: None)
    fallback = webmap.draw_map(content).get_root().render()
    assert context in fallback
    assert len(fallback.encode()) - len(served.encode()) > 0.95 * len(context.encode())


# ------------------------------------------------------ the map's height, room for the legend


def test_the_map_frame_is_sized_by_the_window_or_by_the_height_chosen():
    from app.language import speaking
    from app.map_html import MAP_STYLE
    from app.map_size import FRAME_SELECTOR, MAP_HEIGHTS, frame_css, map_height_label

    fitted = frame_css("fit")
    # Taller on a large screen, never under 440 px nor over 1000 px; a window whose title
    # wraps (narrower than 1200 px) leaves 50 px more above the map.
    fit = "clamp(440px, calc(100vh - 250px), 1000px)"
    assert f"{FRAME_SELECTOR} {{ height: {fit} !important; }}" in fitted
    assert "@media (max-width: 1199px)" in fitted and "calc(100vh - 300px)" in fitted
    assert frame_css("no such choice") == fitted
    for choice, height in MAP_HEIGHTS.items():
        if height is not None:
            assert frame_css(choice) == f"{FRAME_SELECTOR} {{ height: {height}px !important; }}"
    # In the frame, the map fills it (st_folium gives its element a fixed height).
    assert "#map_div { height: 100vh !important; }" in MAP_STYLE
    with speaking("en"):
        assert map_height_label("fit") == "Fit the window"
        assert map_height_label("large") == "Large (800 px)"
    with speaking("zh"):
        assert map_height_label("fit") == "适应窗口"
        assert map_height_label("large") == "大（800 像素）"


def _legend_config(fmap) -> dict:
    """The legend's part of the map's ``JieguiMap.init`` config (``app.map_elements.MapKit``)."""
    from app.map_elements import MapKit

    kits = [c for c in fmap._children.values() if isinstance(c, MapKit)]
    assert len(kits) == 1
    return json.loads(kits[0].config)["legend"]


def test_a_map_fitted_to_the_border_tells_its_legend_how_to_fit_it_again(loaded):
    from app.link_state import MapView
    from app.print_sheet import SheetText, sheet_html

    query = views.first_query(loaded)
    content = views.map_content(loaded, views.count(loaded, query), query, "en")
    (south, west), (north, east) = content.bounds
    # Fitted as folium fits it, so map.js can fit it again with room for the legend.
    assert _legend_config(webmap.draw_map(content))["fit"] == {
        "bounds": [[south, west], [north, east]],
        "padding": [list(webmap.FIT_PADDING[0]), list(webmap.FIT_PADDING[1])],
        "maxZoom": webmap.FIT_MAX_ZOOM,
    }
    # A map opening at a view (a link's, where the user left it) keeps that view.
    assert _legend_config(webmap.draw_map(content, view=((30.9, 121.0), 9)))["fit"] is None
    # So does the printed sheet of the page's view; with none, it fits as the page does.
    text = SheetText(title="t", subtitle="s", attribution="a", made="m", north="N")
    at_view = sheet_html(content, text, view=MapView(30.9, 121.0, 9))
    assert '"fit":null' in at_view and "fitBounds" not in at_view
    fitted = sheet_html(content, text)
    assert '"fit":{"bounds"' in fitted and "fitBounds" in fitted
