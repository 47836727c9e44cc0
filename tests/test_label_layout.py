"""The label placement rule (:mod:`geo.label_layout`), on made-up labels."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.label_layout import (
    ROUTE_STYLES,
    STYLES,
    ZOOMS,
    Label,
    assign_min_zoom,
    label_box,
    overlapping,
    place_after,
    rank_floor,
    text_width_px,
    to_pixels,
)


def test_pixels_are_leaflets():
    assert to_pixels(0.0, 0.0, 0) == (128.0, 128.0)
    x, y = to_pixels(120.0, 30.0, 10)
    assert round(x) == 218453 and round(y) == 108154  # as Leaflet projects it at zoom 10


def test_rank_floors():
    assert rank_floor("region", 9) == 6
    ranks = (0, 2, 3, 4, 5, 6, 7, 8)
    assert [rank_floor("city", r, 1e6) for r in ranks] == [6, 6, 7, 7, 8, 8, 9, 9]
    assert rank_floor("city", 4, 2_500_000) == 6 and rank_floor("city", 0, 9e6) == 6
    assert [rank_floor("lake", r) for r in (3, 4, 5, 7, 9)] == [7, 7, 8, 9, 9]


def test_a_label_at_the_same_point_as_an_earlier_one_never_shows():
    first = Label(120.0, 30.0, "杭州", "city")
    assert assign_min_zoom([first, Label(120.0, 30.0, "杭州市", "city")]) == [6, None]


def test_a_near_label_waits_for_the_zoom_that_separates_them():
    a = Label(120.0, 30.0, "甲", "city")
    b = Label(120.0, 30.03, "乙", "city")  # about 3.3 km north
    a_zoom, b_zoom = assign_min_zoom([a, b])
    assert a_zoom == 6 and b_zoom is not None and b_zoom > 6
    assert boxes_apart(a, b, b_zoom) and not boxes_apart(a, b, b_zoom - 1)


def boxes_apart(a: Label, b: Label, zoom: int) -> bool:
    return overlapping([a, b], [zoom, zoom], zoom) == []


def test_a_floor_holds_a_label_back():
    assert assign_min_zoom([Label(120.0, 30.0, "x", "city", floor=9)]) == [9]


def test_text_width_counts_cjk_as_one_em():
    assert text_width_px("上海市", STYLES["region"]) == 3 * STYLES["region"].font_px
    box = label_box(Label(0.0, 0.0, "AB", "city"), 0)
    assert box[0] < 128.0 < box[2]  # a city's box holds its dot


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(118.0, 122.0),
            st.floats(28.0, 32.0),
            st.text(alphabet="上海杭州Suzhou ", min_size=1, max_size=8),
            st.sampled_from(sorted(STYLES)),
            st.integers(6, 11),
        ),
        max_size=25,
    )
)
def test_assigned_min_zooms_never_overlap(rows):
    labels = [Label(lon, lat, text, kind, floor) for lon, lat, text, kind, floor in rows]
    zooms = assign_min_zoom(labels)
    for label, zoom in zip(labels, zooms):
        assert zoom is None or label.floor <= zoom <= ZOOMS[-1]
    for zoom in ZOOMS:
        assert overlapping(labels, zooms, zoom) == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(120.0, 121.0),
            st.floats(30.0, 31.0),
            st.text(alphabet="上海杭州GS0123 ", min_size=1, max_size=8),
            st.sampled_from([*sorted(STYLES), "ref"]),
            st.integers(6, 11),
            st.floats(0.0, 20.0),
        ),
        min_size=1,
        max_size=25,
    ),
    st.integers(0, 25),
)
def test_placing_after_is_placing_in_one_go(rows, split):
    """Labels placed after others get the zooms they would get placed with them in one go."""
    labels = [
        Label(lon, lat, text, kind, floor, gap if kind == "ref" else None)
        for lon, lat, text, kind, floor, gap in rows
    ]
    zooms = range(6, 14)
    whole = assign_min_zoom(labels, zooms)
    first = min(split, len(labels))
    placed = [(lb, z) for lb, z in zip(labels[:first], whole[:first]) if z is not None]
    assert place_after(placed, labels[first:], zooms) == whole[first:]


def test_a_route_number_clears_its_marker_and_the_context_label_before_it():
    city = Label(120.0, 30.0, "嘉兴", "city")
    ref = Label(120.0, 30.0, "G60", "ref", gap_px=14.0)
    assert label_box(ref, 8)[2] - label_box(ref, 8)[0] > text_width_px("G60", ROUTE_STYLES["ref"])
    assert place_after([(city, 6)], [ref], range(6, 14)) == [None]  # one point: never together
    near = Label(120.02, 30.0, "G60", "ref", gap_px=14.0)  # 2 km east
    [zoom] = place_after([(city, 6)], [near], range(6, 14))
    assert zoom is not None and zoom > 6
    assert overlapping([city, near], [6, zoom], zoom) == []
    assert overlapping([city, near], [6, zoom - 1], zoom - 1) != []


@pytest.mark.parametrize("angle", [0.0, 30.0, -45.0, 90.0, -89.0])
def test_a_turned_label_covers_the_upright_box_round_its_turned_text(angle):
    from geo.label_layout import RIVER_STYLES

    style = RIVER_STYLES["river"]
    label = Label(120.0, 30.0, "Qiantang River", "river", angle_deg=angle)
    left, top, right, bottom = label_box(label, 9)
    x, y = to_pixels(120.0, 30.0, 9)
    w = text_width_px(label.text, style) + 2 * style.pad_px
    h = style.font_px * style.line_height + 2 * style.pad_px
    turn = math.radians(angle)
    corners = [
        (
            x + dx * math.cos(turn) - dy * math.sin(turn),
            y + dx * math.sin(turn) + dy * math.cos(turn),
        )
        for dx in (-w / 2, w / 2)
        for dy in (-h / 2, h / 2)
    ]
    assert min(c[0] for c in corners) == pytest.approx(left)
    assert max(c[0] for c in corners) == pytest.approx(right)
    assert min(c[1] for c in corners) == pytest.approx(top)
    assert max(c[1] for c in corners) == pytest.approx(bottom)
