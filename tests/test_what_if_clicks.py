"""Closing interfaces by clicking their what-if rings: the map's targets and the toggle."""

from __future__ import annotations

import json
from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
import pytest

from app import webmap, what_if_map, what_if_view
from app.labels import say
from app.language import use
from geo.resilience import ResilienceResult

A, B, C = "highways/A–B/x:1", "highways/A–B/x:2", "highways/A–B/x:3"
OPTIONS = {A: "G1 · One", B: "G2 · Two", C: "G3 · Three"}


def _result(critical: dict[str, bool]) -> ResilienceResult:
    rows = [{"id": i, "critical": c} for i, c in critical.items()]
    routes = gpd.GeoDataFrame({"origin": [], "destination": []}, geometry=[], crs=4326)
    empty = pd.DataFrame()
    return ResilienceResult("A", "B", "highways", 2, 1, pd.DataFrame(rows), empty, empty,
                            routes, 0, ())  # fmt: skip


def _content(ids: list[str]) -> SimpleNamespace:
    """What the map draws: one marker per interface (the rings go round them)."""
    return SimpleNamespace(interfaces=[
        {"properties": {"id": i, "style": {"radius": 6.0}},
         "geometry": {"coordinates": [121.0 + k / 10, 30.8]}}
        for k, i in enumerate(ids)
    ])  # fmt: skip


def _report(feature: dict | None, count: int) -> dict:
    """What st_folium returns after a click: Leaflet's toGeoJSON of the layer, the count."""
    return {webmap.CLICK_REPORT: json.loads(json.dumps(feature)), webmap.CLICK_COUNT: count}


@pytest.fixture
def features() -> list[dict]:
    use("en")
    return what_if_map.what_if_features(
        [_result({A: True, B: False, C: False})], [], [B], _content([A, B, C]), OPTIONS, {}
    )


def test_each_ring_has_a_click_target_on_top(features):
    kinds = [f["properties"]["kind"] for f in features]
    targets = [f for f in features if what_if_map.TOGGLE_PROPERTY in f["properties"]]
    rings = [f for f in features if what_if_map.TOGGLE_PROPERTY not in f["properties"]]
    assert sorted(kinds[: len(rings)]) == ["closed", "critical", "open"]
    assert [t["properties"][what_if_map.TOGGLE_PROPERTY] for t in targets] == [A, B, C]
    assert features[-len(targets) :] == targets  # drawn last: they take the clicks
    for ring, target in zip(rings, targets):
        ring_style, hit = ring["properties"]["style"], target["properties"]["style"]
        assert ring_style["interactive"] is False and "tip" not in ring["properties"]
        assert hit["opacity"] == 0.0 and hit["fill"] is False
        # The target's stroke covers the ring's and stops outside the marker (radius 6).
        inner = hit["radius"] - hit["weight"] / 2
        outer = hit["radius"] + hit["weight"] / 2
        assert 6.0 < inner <= ring_style["radius"] - ring_style["weight"] / 2
        assert outer >= ring_style["radius"] + ring_style["weight"] / 2


def test_the_tooltip_says_what_a_click_does(features):
    tips = {
        f["properties"][what_if_map.TOGGLE_PROPERTY]: f["properties"]["tip"]
        for f in features
        if what_if_map.TOGGLE_PROPERTY in f["properties"]
    }
    assert "Click the ring to open it again" in tips[B]  # B is closed
    assert "Click the ring to close it" in tips[A] and "critical" in tips[A]
    use("zh")
    try:
        zh = what_if_map.what_if_features([_result({A: True})], [], [], _content([A]), OPTIONS, {})
        assert "点击圆环关闭此接口" in zh[-1]["properties"]["tip"]
    finally:
        use("en")


def test_a_ring_s_click_is_not_a_marker_selected(features):
    target = features[-1]
    report = _report(target, 1)
    assert what_if_map.clicked_toggle(report) == C
    assert webmap.clicked_interface(report) is None  # the marker's selection is untouched
    marker = _content([A]).interfaces[0]
    assert what_if_map.clicked_toggle(_report(marker, 2)) is None
    for nothing in (None, {}, {webmap.CLICK_REPORT: None}, _report({"properties": 3}, 1)):
        assert what_if_map.clicked_toggle(nothing) is None


def test_a_click_closes_then_opens():
    use("en")
    assert what_if_view.toggled([], A, OPTIONS) == ([A], None, None)
    assert what_if_view.toggled([A], B, OPTIONS) == ([A, B], None, None)
    assert what_if_view.toggled([A, B], A, OPTIONS) == ([B], None, None)
    assert what_if_view.toggled(None, C, OPTIONS) == ([C], None, None)


def test_a_click_on_an_id_not_offered_is_refused():
    use("en")
    closed, error, notice = what_if_view.toggled([A], "highways/X/evil", OPTIONS)
    assert closed == [A] and notice is None
    assert error is not None and "is not an interface of this border" in error


def test_a_crafted_id_is_quoted_short():
    use("en")
    _, error, _ = what_if_view.toggled([], "x" * 100_000, OPTIONS)
    assert error is not None and len(error) < what_if_view.QUOTED_ID + 100


def test_a_click_beyond_the_bound_is_refused_with_a_note():
    use("en")
    options = {f"highways/A–B/x:{k}": str(k) for k in range(what_if_view.MAX_CLOSED + 2)}
    ids = list(options)
    full = ids[: what_if_view.MAX_CLOSED]
    closed, error, notice = what_if_view.toggled(full, ids[-1], options)
    assert closed == full and error is None
    assert notice is not None and f"{what_if_view.MAX_CLOSED} interfaces are closed" in notice
    # Opening one is still possible when the set is full.
    assert what_if_view.toggled(full, full[0], options)[0] == full[1:]


def test_the_scenario_column_is_as_wide_as_its_words():
    from app import what_if_table

    for lang in ("en", "zh"):
        use(lang)
        try:
            scenarios = [say("wi_closed_now"), say("wi_alone")]
            words = [what_if_table.headers()["scenario"], *scenarios]
            width = what_if_table.column_width(words)
            for word in words:  # never narrower than any of them, padding aside
                cjk = sum(1 for ch in word if ord(ch) > 0x2E80)
                least = (cjk + what_if_table.LATIN_EM * (len(word) - cjk)) * 14
                assert width >= least + what_if_table.CELL_PAD_PX
        finally:
            use("en")
    assert what_if_table.column_width(["closed together"]) > what_if_table.column_width(["alone"])
    assert what_if_table.column_width(["同时关闭"]) == what_if_table.column_width(["同时关闭", "a"])
