"""Invariants of the interface count (hypothesis): reversing a line, splitting it at
arbitrary points, or translating everything changes nothing."""

from __future__ import annotations

import itertools

import geopandas as gpd
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.analysis import count_crossings
from geo.regions import region_set_from_polygons
from helpers.synthetic import CRS, X0, Y0, features

# Two regions with a jagged shared border, and a third, an island across the water.
BORDER = [(10, 0), (9, 3), (11, 5), (10, 7), (10.5, 10)]
REGION_A = shapely.Polygon([(0, 0), *BORDER, (0, 10)])
REGION_B = shapely.Polygon([(20, 0), *BORDER, (20, 10)][::-1]).buffer(0)
ISLAND = shapely.box(25, 4, 28, 6)

coordinate = st.tuples(st.floats(1, 27), st.floats(0.5, 9.5))


def km(geom: shapely.Geometry, dx: float = 0.0, dy: float = 0.0) -> shapely.Geometry:
    return shapely.affinity.affine_transform(geom, [1000, 0, 0, 1000, X0 + dx, Y0 + dy])


def count(lines: list[shapely.LineString], dx: float = 0.0, dy: float = 0.0) -> int:
    regions = gpd.GeoDataFrame(
        {"name": ["A", "B", "I"]},
        geometry=[km(g, dx, dy) for g in (REGION_A, REGION_B, ISLAND)],
        crs=CRS,
    )
    rows = [{"highway": "primary", "ref": "X1", "geometry": km(g, dx, dy)} for g in lines]
    result = count_crossings(
        {"highways": features("highways", rows)}, region_set_from_polygons(regions, crs=CRS)
    )
    return len(result.interfaces)


def split(line: shapely.LineString, fractions: list[float]) -> list[shapely.LineString]:
    cuts = sorted({0.0, *fractions, 1.0})
    return [
        shapely.ops.substring(line, a, b, normalized=True)
        for a, b in itertools.pairwise(cuts)
        if (b - a) * line.length > 1e-6
    ]


polyline = st.lists(coordinate, min_size=2, max_size=7, unique=True).map(shapely.LineString)
common = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(polyline)
def test_reversing_a_line_keeps_the_count(line):
    assert count([line]) == count([line.reverse()])


@common
@given(polyline, st.lists(st.floats(0.001, 0.999), min_size=1, max_size=6))
def test_splitting_a_line_keeps_the_count(line, fractions):
    assert count([line]) == count(split(line, fractions))


@common
@given(polyline, st.floats(-50_000, 50_000), st.floats(-50_000, 50_000))
def test_translating_everything_keeps_the_count(line, dx, dy):
    assert count([line]) == count([line], dx, dy)


# The near-pairs join (geo.interfaces) on one 64-bit code per key and cell must find exactly
# the pairs the column join finds, for keys and cells of any sign and size.
points = st.lists(
    st.tuples(st.integers(0, 5), st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)),
    min_size=0,
    max_size=40,
)


@settings(deadline=None)  # a pandas merge per case: over 200 ms on a loaded machine
@given(points, points, st.floats(1, 5e5), st.booleans())
def test_the_coded_near_pairs_join_equals_the_column_join(lefts, rights, distance, symmetric):
    import numpy as np

    from geo import interfaces

    if symmetric:
        rights = lefts
    rows = lefts + ([] if symmetric else rights)
    xy = np.array([(x, y) for _, x, y in rows], dtype=float).reshape(-1, 2)
    keys = np.array([k for k, _, _ in rows], dtype=np.int64)
    left = np.arange(len(lefts))
    right = left if symmetric else np.arange(len(lefts), len(rows))
    coded = interfaces._near_pairs(
        xy, left, keys[left], right, keys[right], distance, symmetric=symmetric
    )
    cell = max(float(distance), 1.0) * (1.0 + 1e-6)
    cells = np.floor(xy / cell).astype(np.int64)
    offsets = [(0, 0), (1, -1), (1, 0), (1, 1), (0, 1)]
    if not symmetric:
        offsets += [(-1, 1), (-1, 0), (-1, -1), (0, -1)]
    merged = interfaces._near_pairs_merged(
        left, keys[left], right, keys[right], cells, offsets, symmetric
    )
    assert sorted(zip(*map(list, coded))) == sorted(zip(*map(list, merged)))
