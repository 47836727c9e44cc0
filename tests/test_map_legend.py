"""The map's legend lists what the map draws, every style of it and nothing else.

The legend is made from the layers' specs (``layers/``) and the styles of what is drawn;
these tests read the legend back (its swatches carry ``data-kind``, ``data-color`` and
``data-dash``) and compare it with the styles in the map's GeoJSON, on the embedded data in
every counting basis and year, and on made-up data with many classes and statuses.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

import pytest

from app import map_context, webmap
from app.language import speaking
from app.map_legend import STATUS_SWATCH
from geo.basis import BASES
from geo.datum import WGS84_DATUM
from geo.labels import status_label
from helpers import synthetic as syn
from layers import STATUSES, drawing

KNOWN = drawing.MARKER_FILL_KNOWN  # a marker of known capacity; paler ones have none

_GROUP = re.compile(r'<div class="group" data-legend="([^"]+)">(.*?)</div>', re.DOTALL)
_ENTRY = re.compile(r'<span class="entry" ([^>]*)>')
_ATTR = re.compile(r'data-([a-z]+)="([^"]*)"')


def legend_entries(legend: str) -> dict[str, list[dict[str, str]]]:
    """``{group key: [entry attributes]}`` read back from the legend's HTML."""
    groups: dict[str, list[dict[str, str]]] = {}
    for key, body in _GROUP.findall(legend):
        groups[key] = [dict(_ATTR.findall(attrs)) for attrs in _ENTRY.findall(body)]
    return groups


def drawn_styles(content: webmap.MapContent) -> dict[str, list[dict[str, Any]]]:
    """``{layer name: [feature style]}`` of the lines and points the map draws."""
    styles: dict[str, list[dict[str, Any]]] = {}
    for key, (_, text) in zip(content.groups, content.layers, strict=False):
        styles[key] = [f["properties"]["style"] for f in json.loads(text)["features"]]
    return styles


def assert_legend_matches_drawing(content: webmap.MapContent) -> None:
    legend = legend_entries(content.legend)
    drawn = drawn_styles(content)
    assert set(legend) == {*content.groups, "context"}
    for layer, styles in drawn.items():
        entries = legend[layer]
        combos = {(s["color"], s.get("dashArray", "")) for s in styles}
        class_colors = {e["color"] for e in entries if e["kind"] == "class"}
        # Every colour drawn is a class's swatch, and every class swatch is drawn.
        assert class_colors == {s["color"] for s in styles}, layer
        # Every line pattern drawn is in the legend, and every pattern listed is drawn.
        assert {e["dash"] for e in entries} == {s.get("dashArray", "") for s in styles}, layer
        # Each class swatch is a style the map draws (no made-up combination); a status
        # swatch is a pattern drawn, in the neutral grey (not one class's colour, which
        # read as that class: a pipeline's "open" swatch was the "gas" swatch again).
        for entry in entries:
            if entry["kind"] == "status":
                assert entry["color"] == STATUS_SWATCH, (layer, entry)
                assert entry["dash"] in {dash for _, dash in combos}, (layer, entry)
            else:
                assert (entry["color"], entry["dash"]) in combos, (layer, entry)
    markers = [f["properties"]["style"] for f in content.interfaces]
    marker_entries = legend.get("interfaces", [])
    assert bool(markers) == ("interfaces" in legend)
    assert {e["dash"] for e in marker_entries if e.get("what") == "not-open"} == {
        m["dashArray"] for m in markers if "dashArray" in m
    }
    hollow = any(m["fillOpacity"] < KNOWN for m in markers)
    assert hollow == any(e.get("what") == "no-data" for e in marker_entries)
    all_class_colors = {e["color"] for g in drawn for e in legend[g] if e["kind"] == "class"}
    assert {m["fillColor"] for m in markers} <= all_class_colors
    context = {e["layer"]: e for e in legend["context"] if e["kind"] == "context"}
    assert set(context) == set(map_context.CONTEXT_STYLES)
    for name, style in map_context.CONTEXT_STYLES.items():
        assert context[name]["color"] == style["color"]
        assert context[name]["dash"] == style.get("dashArray", "")


@pytest.fixture(scope="module")
def yrd_loaded():
    from app import views

    return views.load("yrd", views.source_stamp("yrd"), WGS84_DATUM)


def _yrd_content(loaded, statuses, as_of, neighbour="Shanghai", language="en"):
    import dataclasses

    from app import views

    query = dataclasses.replace(
        views.first_query(loaded), statuses=tuple(statuses), as_of=as_of, neighbour=neighbour
    )
    result = views.count(loaded, query)
    shown = views.what_is_shown(loaded, result, query)
    return webmap.map_content(
        shown.regions, shown.layers, shown.interfaces, highlight=query.highlight,
        language=language,
    )  # fmt: skip


@pytest.mark.parametrize("basis", sorted(BASES))
@pytest.mark.parametrize("as_of", [None, 2006, 2030])
def test_the_embedded_data_legend_lists_every_drawn_style_and_only_those(yrd_loaded, basis, as_of):
    content = _yrd_content(yrd_loaded, BASES[basis].statuses, as_of, neighbour="Jiangsu")
    assert content.layers, "nothing drawn: the test would prove nothing"
    assert_legend_matches_drawing(content)


def test_every_status_at_once(yrd_loaded):
    content = _yrd_content(yrd_loaded, STATUSES, 2030, neighbour=None)
    statuses = {
        s.get("dashArray", "") for styles in drawn_styles(content).values() for s in styles
    }
    assert len(statuses) > 2, "too few line patterns drawn to test the statuses' entries"
    assert_legend_matches_drawing(content)


def test_the_open_gas_pipeline_is_dotted_in_the_legend_too(yrd_loaded):
    content = _yrd_content(yrd_loaded, ("open",), None, neighbour="Jiangsu")
    [pipe] = drawn_styles(content)["pipelines"][:1]
    entries = legend_entries(content.legend)["pipelines"]
    gas = next(e for e in entries if e["kind"] == "class")
    assert gas["dash"] == pipe["dashArray"]  # the swatch has the drawn pattern
    status = next(e for e in entries if e["kind"] == "status")
    assert status["dash"] == pipe["dashArray"]
    # ...and says what it is: in service; nothing in the legend calls a pattern "not open".
    group = re.search(r'data-legend="pipelines">(.*?)</div>', content.legend).group(1)
    assert "in service" in re.sub("<[^>]+>", " ", group)
    assert "not open" not in content.legend.replace("legend_marker", "")
    assert "dashed" not in content.legend
    # The status's swatch does not look like a class's: the same pattern in another colour.
    assert (status["color"], status["dash"]) != (gas["color"], gas["dash"])


@pytest.mark.parametrize(
    ("language", "word", "wrong"), [("zh", "已投产", "已通车"), ("en", "in service", "open")]
)
def test_a_pipeline_is_in_service_not_open_to_traffic(yrd_loaded, language, word, wrong):
    content = _yrd_content(yrd_loaded, ("open",), None, neighbour="Jiangsu", language=language)
    group = re.search(r'data-legend="pipelines">(.*?)</div>', content.legend).group(1)
    status = re.findall(r'data-kind="status"[^>]*>(?:<svg.*?</svg>)([^<]*)</span>', group)
    assert status == [word]
    assert wrong not in re.sub("<[^>]+>", " ", group).replace(word, "")
    # Roads and railways are still open to traffic.
    assert status_label("highways", "open", language) == wrong


def test_made_up_classes_and_statuses():
    regions = syn.regions({"A": syn.box(0, 0, 50, 50), "B": syn.box(50, 0, 100, 50)})
    rows = []
    for n, (highway, status) in enumerate(
        [("motorway", None), ("trunk", "construction"), ("primary", "proposed"),
         ("motorway", "construction"), ("secondary", None)]
    ):  # fmt: skip
        line = syn.line((10, 5 + 8 * n), (90, 5 + 8 * n))
        tags = {"highway": highway, "lanes": "2", "geometry": line}
        if status:
            tags = {**tags, "highway": status, status: highway}
        rows.append(tags)
    railways = syn.features(
        "railways",
        [
            {"railway": "rail", "geometry": syn.line((10, 3), (90, 3))},
            {"railway": "construction", "construction": "rail",
             "geometry": syn.line((10, 48), (90, 48))},
        ],
    )  # fmt: skip
    layers = {"highways": syn.features("highways", rows), "railways": railways}
    from geo.analysis import count_crossings

    result = count_crossings(layers, regions, statuses=("open", "construction", "proposed"))
    content = webmap.map_content(regions.regions.to_crs(4326), layers, result.interfaces)
    assert_legend_matches_drawing(content)
    kinds = defaultdict(list)
    for e in legend_entries(content.legend)["highways"]:
        kinds[e["kind"]].append(e)
    assert len(kinds["class"]) == 4 and len(kinds["status"]) == 2  # open; construction+proposed


def test_the_legend_speaks_the_page_language(yrd_loaded):
    def shown(language: str) -> str:  # the legend's text as read, without its markup
        legend = _yrd_content(yrd_loaded, ("open",), None, language=language).legend
        return re.sub("<[^>]+>", " ", legend)

    zh, en = shown("zh"), shown("en")
    for word in ("图例", "公路", "高速公路", "接口", "湖泊"):
        assert word in zh
    for word in ("Legend", "Highways", "motorway", "Interfaces", "lake"):
        assert word in en and word not in zh
    with speaking("zh"):  # the page's language is the default
        from app.map_legend import legend_html

        assert "图例" in legend_html([])
