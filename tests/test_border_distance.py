"""Distances from points to borders on the border index's grid equal GEOS's to the last bit."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import example, given, settings
from hypothesis import strategies as st

from geo import border_index
from geo.border_index import build_border_index, geos_point_segment_distance
from geo.crossings import ON_BORDER, _label_on_border
from geo.rules import CrossingRules
from helpers.synthetic import X0, Y0, box, regions


def _zigzag_regions():
    """Two regions whose shared border zigzags (short, long and repeated vertices)."""
    steps = np.linspace(0.0, 10.0, 41)
    border = [(5.0 + 0.7 * np.sin(3.1 * y) + 0.01 * (k % 3), y) for k, y in enumerate(steps)]
    border.insert(20, border[20])  # a zero-length segment
    west = shapely.Polygon([(X0 + x * 1000, Y0 + y * 1000) for x, y in [(0, 0), *border, (0, 10)]])
    east = shapely.Polygon(
        [(X0 + x * 1000, Y0 + y * 1000) for x, y in [*border, (12, 10), (12, 0)]]
    )
    return regions({"West": west, "East": east, "North": box(0, 10, 12, 14)})


RULES = CrossingRules()
INDEX = build_border_index(_zigzag_regions(), RULES)

metres = st.floats(-2_000.0, 14_000.0, allow_nan=False)
near = st.floats(-1.2, 1.2, allow_nan=False)


@given(
    st.lists(st.tuples(metres, metres), min_size=1, max_size=40),
    st.lists(st.tuples(st.integers(0, 10_000), near, near), min_size=0, max_size=40),
    st.sampled_from([0.05, 1.0, 11.0, 61.0, 600.0, 3000.0]),
)
@settings(max_examples=150, deadline=None)
def test_grid_distances_are_those_of_the_tree_of_border_pieces(far, close, within):
    segs = INDEX.seg_xy
    # Points anywhere, and points off a border segment by up to 1.2 times ``within``.
    xy = [(X0 + x, Y0 + y) for x, y in far]
    for k, dx, dy in close:
        x0, y0, x1, y1 = segs[k % len(segs)]
        t = (k % 7) / 6.0
        xy.append((x0 + t * (x1 - x0) + dx * within, y0 + t * (y1 - y0) + dy * within))
    xy = np.array(xy)
    found = INDEX.seg_grid.nearest_distance(xy, within)
    (at, _), dist = INDEX.piece_tree.query_nearest(
        shapely.points(xy), max_distance=within, return_distance=True, all_matches=False
    )
    expected = np.full(len(xy), np.inf)
    expected[at] = dist
    assert np.array_equal(found, expected)


coordinate = st.floats(-1e6, 1e6, allow_nan=False)


@given(st.lists(st.tuples(*[coordinate] * 6), min_size=1, max_size=30), st.booleans())
# Found by CI: the ends differ but the squared length underflows to 0, so GEOS's formula
# gives NaN, and GEOS's least over the line's segments leaves inf.
@example([(0.0, 0.0, 0.0, 0.0, 0.0, 4.264907448163682e-171)], False)
@example([(1.0, 1.0, 0.0, 0.0, 3e-170, 0.0), (1.0, 1.0, 0.0, 0.0, 1e-300, 1e-300)], False)
def test_point_segment_distance_is_geos_to_the_last_bit(cases, degenerate):
    p, a, b = (np.array([c[k : k + 2] for c in cases]) for k in (0, 2, 4))
    if degenerate:
        b = a.copy()  # segments of zero length
    found = geos_point_segment_distance(p[:, 0], p[:, 1], a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    segments = shapely.linestrings(np.stack([a, b], axis=1))
    expected = shapely.distance(shapely.points(p), segments)
    assert np.array_equal(found, expected)


def test_points_off_every_border_segment_find_it_across_grid_cells():
    # The middles of all border segments moved 0.9 * within in eight directions: many land
    # in a grid cell other than the segment's, which the search must still reach.
    segs = INDEX.seg_xy
    middle = (segs[:, :2] + segs[:, 2:]) / 2.0
    for within in (11.0, 600.0, 1000.0, 5000.0):
        angles = np.arange(8) * np.pi / 4
        offsets = 0.9 * within * np.stack([np.cos(angles), np.sin(angles)], axis=1)
        xy = np.concatenate([middle + offset for offset in offsets])
        found = INDEX.seg_grid.nearest_distance(xy, within)
        (at, _), dist = INDEX.piece_tree.query_nearest(
            shapely.points(xy), max_distance=within, return_distance=True, all_matches=False
        )
        expected = np.full(len(xy), np.inf)
        expected[at] = dist
        assert np.isfinite(found).all()
        assert np.array_equal(found, expected)


GRID = [(i, j) for i in range(3) for j in range(3) if (i, j) != (1, 1)]


@pytest.mark.parametrize("within", [0.05, 5.0, 11.0])
@pytest.mark.parametrize("shift", [0.0, 0.01, 0.049, 0.051, 3.0, 8.0])
def test_the_nearest_stretch_is_the_one_of_the_trees_nearest_piece(within, shift):
    # Eight squares around a hole: where land borders meet coasts, segments of several
    # stretches are nearest alike, and the tree decides as it always has.
    squares = {f"R{i}{j}": box(10 * i, 10 * j, 10 * i + 10, 10 * j + 10) for i, j in GRID}
    index = build_border_index(regions(squares), RULES)
    segs = index.seg_xy
    points = shapely.points(
        np.concatenate([segs[:, :2], (segs[:, :2] + segs[:, 2:]) / 2.0]) + shift
    )
    found, stretch, dist = index.nearest_stretches(points, within)
    (at, piece), expected = index.piece_tree.query_nearest(
        points, max_distance=within, return_distance=True, all_matches=False
    )
    assert np.array_equal(found, at)
    assert np.array_equal(stretch, index.piece_stretch[piece])
    assert np.array_equal(dist, expected)
    assert len(found) == len(points) or shift > 0


def test_pieces_on_a_border_take_their_labels_from_the_nearest_stretch():
    index = build_border_index(regions({"A": box(0, 0, 10, 10), "B": box(10, 0, 20, 10)}), RULES)
    mids = shapely.points([(X0 + 5000, Y0), (X0 + 10_000, Y0 + 5000), (X0 + 5000, Y0 + 1)])
    depth = np.array([0.0, 0.0, 1.0])
    labels = np.array([7, 7, 7])
    _label_on_border(labels, mids, depth, index, 11.0)
    # The south coast of A is A's; the land border belongs to neither side; 1 m off stays.
    assert labels.tolist() == [index.names.index("A"), ON_BORDER, 7]


@pytest.mark.parametrize("block", [1, 7, 1 << 20])
def test_pairs_are_the_same_measured_block_by_block(monkeypatch, block):
    segs = INDEX.seg_xy
    xy = np.concatenate([segs[:, :2] + 3.0, (segs[:, :2] + segs[:, 2:]) / 2.0 - 40.0])
    whole = INDEX.seg_grid.pairs_within(xy, 61.0)
    monkeypatch.setattr(border_index, "PAIRS_PER_BLOCK", block)
    found = INDEX.seg_grid.pairs_within(xy, 61.0)
    assert len(whole[0]) > len(xy)
    for a, b in zip(whole, found):
        assert np.array_equal(a, b)
    assert INDEX.seg_grid.pairs_within(xy[:0], 61.0)[0].shape == (0,)
