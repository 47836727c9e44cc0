"""GCJ-02 and BD-09 <-> WGS84: reference values from independent implementations,
properties, loading.

Reference values (not computed by this project):

* ``EVILTRANSFORM``: the test vectors of googollee/eviltransform (BSD-2-Clause), the same
  three points in its ``python/test.py``, ``go/transform_test.go`` and ``c/test.c``:
  ``(wgsLat, wgsLng, gcjLat, gcjLng)`` for Shanghai, Shenzhen and Beijing. Its tests check
  the forward formula to 1e-6 degrees and its exact inverse to 0.5 m.
* ``GCOORD``: hujiulong/gcoord (MIT), ``test/unit/crs/WGS84.spec.ts`` and
  ``test/unit/crs/GCJ02.spec.ts``: ``[123, 45]`` (lon, lat) to GCJ-02 and back; and
  ``test/unit/crs/BD09.spec.ts`` with the BD-09 cases of the other two: ``[123, 45]`` from
  GCJ-02 and WGS84 to BD-09, and from BD-09 to GCJ-02 and WGS84 (8 decimals, checked there
  to 5).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from geo.analysis import count_crossings
from geo.datum import (
    BD09_CONVERTED_NOTE,
    CONVERTED_NOTE,
    bd09_to_gcj02,
    bd09_to_wgs84,
    bd09_to_wgs84_frame,
    china_tile_offset_m,
    conversion_note,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    gcj02_to_wgs84_frame,
    in_china,
    vertex_shifts_m,
    wgs84_to_bd09,
    wgs84_to_bd09_frame,
    wgs84_to_gcj02,
    wgs84_to_gcj02_frame,
)
from geo.errors import CRSError, InvalidParameterError
from geo.io.sources import load_source
from geo.io.user_files import mark_converted

GEOD = Geod(ellps="WGS84")

EVILTRANSFORM = [
    # wgsLat, wgsLng, gcjLat, gcjLng
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # beijing
]
GCOORD_WGS = (123.0, 45.0)
GCOORD_GCJ_OF_WGS = (123.00607541, 45.00197815)  # WGS84.to.GCJ02([123, 45])
GCOORD_WGS_OF_GCJ = (122.99395597, 44.99804071)  # GCJ02.to.WGS84([123, 45])
GCOORD_BD_OF_GCJ = (123.00636499, 45.00636899)  # GCJ02.to.BD09([123, 45])
GCOORD_BD_OF_WGS = (123.0124491, 45.0083293)  # WGS84.to.BD09([123, 45])
GCOORD_GCJ_OF_BD = (122.99363304, 44.99365430)  # BD09.to.GCJ02([123, 45])
GCOORD_WGS_OF_BD = (122.98762210, 44.99171540)  # BD09.to.WGS84([123, 45])

# The Yangtze River Delta (Shanghai, southern Jiangsu, Zhejiang, eastern Anhui).
YRD_LON = st.floats(min_value=118.0, max_value=122.5)
YRD_LAT = st.floats(min_value=28.0, max_value=33.0)


def metres(lon_a, lat_a, lon_b, lat_b) -> np.ndarray:
    return np.asarray(GEOD.inv(lon_a, lat_a, lon_b, lat_b)[2])


# --- reference values ------------------------------------------------------------------


@pytest.mark.parametrize(("wgs_lat", "wgs_lon", "gcj_lat", "gcj_lon"), EVILTRANSFORM)
def test_forward_matches_eviltransform(wgs_lat, wgs_lon, gcj_lat, gcj_lon):
    lon, lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
    assert abs(lon - gcj_lon) < 1e-9 and abs(lat - gcj_lat) < 1e-9


@pytest.mark.parametrize(("wgs_lat", "wgs_lon", "gcj_lat", "gcj_lon"), EVILTRANSFORM)
def test_inverse_recovers_eviltransform_points_within_a_centimetre(
    wgs_lat, wgs_lon, gcj_lat, gcj_lon
):
    lon, lat = gcj02_to_wgs84(gcj_lon, gcj_lat)
    assert metres(lon, lat, wgs_lon, wgs_lat) < 0.01


def test_matches_gcoord_both_ways():
    lon, lat = wgs84_to_gcj02(*GCOORD_WGS)
    assert metres(lon, lat, *GCOORD_GCJ_OF_WGS) < 0.01
    lon, lat = gcj02_to_wgs84(*GCOORD_WGS)
    # gcoord stops its own iteration earlier: agree within 5 cm
    assert metres(lon, lat, *GCOORD_WGS_OF_GCJ) < 0.05


def test_iteration_beats_the_one_step_inverse():
    """The usual shortcut (subtract the shift computed at the GCJ-02 point) is metres off."""
    wgs_lat, wgs_lon, gcj_lat, gcj_lon = EVILTRANSFORM[0]
    fwd_lon, fwd_lat = wgs84_to_gcj02(gcj_lon, gcj_lat)
    one_step = (2 * gcj_lon - fwd_lon, 2 * gcj_lat - fwd_lat)
    assert metres(*one_step, wgs_lon, wgs_lat) > 0.1
    assert metres(*gcj02_to_wgs84(gcj_lon, gcj_lat), wgs_lon, wgs_lat) < 0.01


# --- BD-09 (Baidu): GCJ-02 moved once more ---------------------------------------------


def test_bd09_forward_at_a_point_worked_by_hand():
    """GCJ-02 (123, 45) to BD-09, worked from the formula rather than by running it.

    With x_pi = pi * 3000 / 180: 45 * x_pi = 750 pi, whose sine is 0, and 123 * x_pi =
    2050 pi, whose cosine is 1. So z = hypot(123, 45) exactly and theta = atan2(45, 123)
    + 3e-6; z cos(theta) + 0.0065 and z sin(theta) + 0.006 are the point (123, 45)
    rotated by 3e-6 rad and moved by (0.0065, 0.006):
    lon = 123 cos(3e-6) - 45 sin(3e-6) + 0.0065 = 123.006365 - 5.5e-10,
    lat = 45 cos(3e-6) + 123 sin(3e-6) + 0.006 = 45.006369 - 2.0e-10.
    hujiulong/gcoord's GCJ02.to.BD09([123, 45]) is these to 8 decimals.
    """
    a = 3e-6
    by_hand = (
        123 * np.cos(a) - 45 * np.sin(a) + 0.0065,
        45 * np.cos(a) + 123 * np.sin(a) + 0.006,
    )
    assert abs(by_hand[0] - 123.006365) < 1e-9 and abs(by_hand[1] - 45.006369) < 1e-9
    lon, lat = gcj02_to_bd09(123.0, 45.0)
    assert abs(lon - by_hand[0]) < 1e-12 and abs(lat - by_hand[1]) < 1e-12
    assert abs(lon - GCOORD_BD_OF_GCJ[0]) < 1e-8 and abs(lat - GCOORD_BD_OF_GCJ[1]) < 1e-8


def test_bd09_matches_gcoord():
    lon, lat = wgs84_to_bd09(*GCOORD_WGS)
    assert metres(lon, lat, *GCOORD_BD_OF_WGS) < 0.01
    # Baidu's one-step inverse, which gcoord uses too
    assert metres(*bd09_to_gcj02(*GCOORD_WGS), *GCOORD_GCJ_OF_BD) < 0.01
    # gcoord's BD-09 to WGS84 starts from that one-step inverse (cm off): within 25 cm
    assert metres(*bd09_to_wgs84(*GCOORD_WGS), *GCOORD_WGS_OF_BD) < 0.25


def test_iteration_beats_baidus_one_step_inverse():
    """Baidu's published inverse misses by centimetres (8 cm in Shanghai); iterated, < 1 cm."""
    gcj = (121.4737, 31.2304)
    bd = gcj02_to_bd09(*gcj)
    assert metres(*bd09_to_gcj02(*bd), *gcj) > 0.05
    wgs = gcj02_to_wgs84(*gcj)
    assert metres(*bd09_to_wgs84(*bd), *wgs) < 0.01


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(YRD_LON, YRD_LAT), min_size=1, max_size=50))
def test_bd09_yrd_round_trip_through_gcj02_within_a_centimetre(points):
    lon, lat = np.array(points).T
    bd_lon, bd_lat = gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))
    assert np.all(
        (metres(lon, lat, bd_lon, bd_lat) > 900) & (metres(lon, lat, bd_lon, bd_lat) < 1400)
    )
    back_lon, back_lat = bd09_to_wgs84(bd_lon, bd_lat)
    assert np.all(metres(back_lon, back_lat, lon, lat) < 0.01)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=73.0, max_value=135.0), st.floats(min_value=18.0, max_value=53.0))
def test_bd09_round_trip_within_a_centimetre_anywhere_in_china(lon, lat):
    back = bd09_to_wgs84(*gcj02_to_bd09(*wgs84_to_gcj02(lon, lat)))
    assert metres(*back, lon, lat) < 0.01


def test_bd09_frames_keep_crs_and_refuse_projected_data():
    frame = gpd.GeoDataFrame(
        {"name": ["a", "b"]},
        geometry=[shapely.LineString([(120.9, 30.8, 5.0), (121.1, 30.9, 7.0)]), shapely.Point()],
        crs="EPSG:4326",
    )
    bd = wgs84_to_bd09_frame(frame, what="test")
    back = bd09_to_wgs84_frame(bd, what="test")
    assert back.crs == frame.crs and list(back.columns) == list(frame.columns)
    assert np.all(vertex_shifts_m(frame.geometry, bd.geometry) > 900)
    assert np.all(vertex_shifts_m(frame.geometry, back.geometry) < 0.01)
    assert back.geometry.iloc[0].has_z and back.geometry.iloc[1].is_empty
    projected = gpd.GeoDataFrame(geometry=[shapely.Point(300_000, 3_400_000)], crs=32651)
    with pytest.raises(CRSError, match=r"but BD-09 conversion.*drop --datum bd09") as error:
        bd09_to_wgs84_frame(projected, what="The highways file roads.gpkg")
    assert "GCJ-02" not in str(error.value)


# --- properties --------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(YRD_LON, YRD_LAT), min_size=1, max_size=50))
def test_yrd_shift_is_400_to_700_m_east_south_east_and_round_trips(points):
    lon, lat = np.array(points).T
    gcj_lon, gcj_lat = wgs84_to_gcj02(lon, lat)
    azimuth, _, shift = GEOD.inv(lon, lat, gcj_lon, gcj_lat)
    assert np.all((shift > 400) & (shift < 700))
    assert np.all((np.asarray(azimuth) > 90) & (np.asarray(azimuth) < 135))
    back_lon, back_lat = gcj02_to_wgs84(gcj_lon, gcj_lat)
    assert np.all(metres(back_lon, back_lat, lon, lat) < 0.01)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=73.0, max_value=135.0), st.floats(min_value=18.0, max_value=53.0))
def test_round_trip_within_a_centimetre_anywhere_in_china(lon, lat):
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert metres(*back, lon, lat) < 0.01


@given(
    st.one_of(
        st.tuples(st.floats(-180, 71.9), st.floats(-90, 90)),
        st.tuples(st.floats(137.9, 180), st.floats(-90, 90)),
        st.tuples(st.floats(-180, 180), st.floats(56, 90)),
        st.tuples(st.floats(-180, 180), st.floats(-90, 0.8)),
    )
)
def test_identity_outside_china(point):
    lon, lat = point
    assert not in_china(lon, lat)
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)


def test_in_china():
    assert in_china([121.47, 2.35, 116.4], [31.23, 48.85, 39.9]).tolist() == [True, False, True]


# --- frames ------------------------------------------------------------------------------


def test_frame_conversion_keeps_crs_columns_z_and_vertex_count():
    frame = gpd.GeoDataFrame(
        {"name": ["a", "b", "c", "d"]},
        geometry=[
            shapely.LineString([(120.9, 30.8, 5.0), (121.1, 30.9, 7.0)]),
            shapely.box(120.0, 30.0, 120.5, 30.5),
            shapely.Point(2.35, 48.85),  # Paris: outside China, unchanged
            shapely.LineString(),
        ],
        crs="EPSG:4326",
    )
    gcj = wgs84_to_gcj02_frame(frame, what="test")
    back = gcj02_to_wgs84_frame(gcj, what="test")
    for out in (gcj, back):
        assert out.crs == frame.crs and list(out.columns) == list(frame.columns)
        assert shapely.get_num_coordinates(out.geometry.values).tolist() == [2, 5, 1, 0]
    assert back.geometry.iloc[0].has_z
    assert shapely.get_coordinates(back.geometry.iloc[0], include_z=True)[:, 2].tolist() == [5, 7]
    assert back.geometry.iloc[2].equals(frame.geometry.iloc[2])
    shifts = vertex_shifts_m(frame.geometry, gcj.geometry)
    assert len(shifts) == 8 and shifts[-1] == 0 and np.all(shifts[:-1] > 400)
    assert np.all(vertex_shifts_m(frame.geometry, back.geometry) < 0.01)
    assert frame.geometry.iloc[0].coords[0] == (120.9, 30.8, 5.0)  # the input is untouched


def test_frame_without_crs_is_declared_lon_lat():
    frame = gpd.GeoDataFrame(geometry=[shapely.Point(121.0, 31.0)])
    assert gcj02_to_wgs84_frame(frame, what="x").crs.to_epsg() == 4326


def test_projected_or_non_degree_frames_are_refused():
    point = shapely.Point(300_000, 3_400_000)
    projected = gpd.GeoDataFrame(geometry=[point], crs="EPSG:32651")
    with pytest.raises(CRSError, match=r"projected CRS.*EPSG:4326"):
        gcj02_to_wgs84_frame(projected, what="The highways file roads.gpkg")
    with pytest.raises(CRSError, match="not longitude/latitude"):
        gcj02_to_wgs84_frame(gpd.GeoDataFrame(geometry=[point]), what="x")


def test_mark_converted_and_note():
    frame = gpd.GeoDataFrame(
        {"source": ["amap.geojson", None]}, geometry=[shapely.Point(0, 0)] * 2, crs=4326
    )
    assert mark_converted(frame)["source"].tolist() == [
        f"amap.geojson; {CONVERTED_NOTE}",
        CONVERTED_NOTE,
    ]
    note = conversion_note(np.array([480.0, 500.0, 560.0]), files=["a.gpkg", "b.geojson"])
    assert "a.gpkg, b.geojson" in note.en and "median of 500 m" in note.en and "480-560" in note.en
    assert "中位数 500 米" in note.zh and "480-560 米" in note.zh
    assert "nothing was moved" in conversion_note(np.zeros(3), files=["c.geojson"]).en
    assert "未作移动" in conversion_note(np.zeros(3), files=["c.geojson"]).zh


def test_bd09_marks_and_note_name_bd09():
    frame = gpd.GeoDataFrame(
        {"source": ["baidu.geojson"]}, geometry=[shapely.Point(0, 0)], crs=4326
    )
    assert BD09_CONVERTED_NOTE == "converted from BD-09 to WGS84"
    assert mark_converted(frame, "bd09")["source"].tolist() == [
        f"baidu.geojson; {BD09_CONVERTED_NOTE}"
    ]
    note = conversion_note(np.array([1100.0, 1150.0]), files=["b.gpkg"], datum="bd09")
    assert note.en.startswith("b.gpkg converted from BD-09 to WGS84: 2 vertices")
    assert "已从 BD-09 转换为 WGS84" in note.zh and "GCJ-02" not in note.en + note.zh
    empty = conversion_note(np.zeros(0), files=["c.gpkg"], datum="bd09")
    assert "BD-09" in empty.en and "BD-09" in empty.zh and "GCJ-02" not in empty.en


# --- loading: a synthetic WGS84 pair near Jiaxing, and its GCJ-02 copy -------------------

BORDER_LON = 121.0


def write_pair(folder: Path, *, datum: str) -> tuple[Path, Path]:
    """Two provinces split at 121 E and two roads crossing, in WGS84, GCJ-02 or BD-09."""
    folder.mkdir(parents=True, exist_ok=True)
    regions = gpd.GeoDataFrame(
        {"name": ["Zhejiang", "Shanghai"]},
        geometry=shapely.segmentize(
            [
                shapely.box(120.8, 30.7, BORDER_LON, 31.0),
                shapely.box(BORDER_LON, 30.7, 121.2, 31.0),
            ],
            0.002,
        ),
        crs="EPSG:4326",
    )
    roads = gpd.GeoDataFrame(
        {
            "highway": ["motorway", "primary"],
            "ref": ["G60", "S1"],
            "lanes": ["6", "4"],
            "source": ["survey", ""],
        },
        geometry=shapely.segmentize(
            [
                shapely.LineString([(120.9, 30.80), (121.1, 30.84)]),
                shapely.LineString([(120.9, 30.95), (121.1, 30.91)]),
            ],
            0.002,
        ),
        crs="EPSG:4326",
    )
    if datum == "gcj02":
        regions = wgs84_to_gcj02_frame(regions, what="test")
        roads = wgs84_to_gcj02_frame(roads, what="test")
    elif datum == "bd09":
        regions = wgs84_to_bd09_frame(regions, what="test")
        roads = wgs84_to_bd09_frame(roads, what="test")
    regions_path, roads_path = folder / "provinces.gpkg", folder / "roads.geojson"
    regions.to_file(regions_path)
    roads.to_file(roads_path)
    return regions_path, roads_path


def crossing_points(regions_path: Path, roads_path: Path, *, datum: str = "wgs84"):
    source = load_source(str(regions_path), [f"highways={roads_path}"], datum=datum)
    result = count_crossings(source.layers, source.region_set, region="Zhejiang")
    points = result.interfaces.to_crs(4326)
    return (
        source,
        result,
        {ref: (geom.x, geom.y) for ref, geom in zip(points["ref"], points.geometry)},
    )


def test_gcj02_files_loaded_with_the_datum_cross_where_the_wgs84_ones_do(tmp_path):
    _, wgs_result, wgs = crossing_points(*write_pair(tmp_path / "wgs", datum="wgs84"))
    gcj_files = write_pair(tmp_path / "gcj", datum="gcj02")
    source, gcj_result, converted = crossing_points(*gcj_files, datum="gcj02")
    _, _, raw = crossing_points(*gcj_files)

    assert set(wgs) == set(converted) == set(raw) == {"G60", "S1"}
    for ref in wgs:
        assert metres(*converted[ref], *wgs[ref]) < 1.0
        assert 400 < metres(*raw[ref], *wgs[ref]) < 700  # why the flag matters
        assert abs(converted[ref][0] - BORDER_LON) < 1e-5

    pd.testing.assert_frame_equal(
        gcj_result.summary.reset_index(drop=True), wgs_result.summary.reset_index(drop=True)
    )
    roads = source.layers["highways"]
    assert roads.crs.to_epsg() == 4326
    assert all(s.endswith(CONVERTED_NOTE) for s in roads["source"])
    assert "survey; " + CONVERTED_NOTE in set(roads["source"])
    notes = [w.en for w in gcj_result.warnings if "converted from GCJ-02" in w.en]
    assert len(notes) == 1 and "provinces.gpkg, roads.geojson" in notes[0]
    median = float(notes[0].split("median of ")[1].split(" m")[0])
    assert 480 <= median <= 500  # measured on these files: Jiaxing, ~486 m


def test_bd09_files_loaded_with_the_datum_cross_where_the_wgs84_ones_do(tmp_path):
    _, wgs_result, wgs = crossing_points(*write_pair(tmp_path / "wgs", datum="wgs84"))
    bd_files = write_pair(tmp_path / "bd", datum="bd09")
    source, bd_result, converted = crossing_points(*bd_files, datum="bd09")
    _, _, raw = crossing_points(*bd_files)

    assert set(wgs) == set(converted) == set(raw) == {"G60", "S1"}
    for ref in wgs:
        assert metres(*converted[ref], *wgs[ref]) < 1.0
        assert metres(*raw[ref], *wgs[ref]) > 900  # GCJ-02's offset and Baidu's on top
    pd.testing.assert_frame_equal(
        bd_result.summary.reset_index(drop=True), wgs_result.summary.reset_index(drop=True)
    )
    roads = source.layers["highways"]
    assert all(s.endswith(BD09_CONVERTED_NOTE) for s in roads["source"])
    notes = [w.en for w in bd_result.warnings if "converted from BD-09" in w.en]
    assert len(notes) == 1 and "provinces.gpkg, roads.geojson" in notes[0]


def test_gcj02_is_refused_for_osm_and_embedded_data_and_unknown_datums(tmp_path):
    osm = tmp_path / "extract.osm"
    osm.write_text("<osm version='0.6'></osm>")
    with pytest.raises(InvalidParameterError, match="WGS84 by definition"):
        load_source(str(osm), datum="gcj02")
    with pytest.raises(InvalidParameterError, match="embedded dataset 'yrd' is WGS84"):
        load_source("yrd", datum="gcj02")
    with pytest.raises(InvalidParameterError, match="Unknown datum 'bd10'"):
        load_source("yrd", datum="bd10")
    with pytest.raises(InvalidParameterError, match="drop --datum bd09"):
        load_source(str(osm), datum="bd09")
    with pytest.raises(InvalidParameterError, match="drop --datum bd09"):
        load_source("yrd", datum="bd09")


def test_projected_line_file_with_gcj02_is_refused(tmp_path):
    regions_path, roads_path = write_pair(tmp_path, datum="gcj02")
    projected = tmp_path / "roads_utm.gpkg"
    gpd.read_file(roads_path).to_crs(32651).to_file(projected)
    with pytest.raises(CRSError, match=r"The highways file roads_utm\.gpkg is in the projected"):
        load_source(str(regions_path), [f"highways={projected}"], datum="gcj02")


def test_china_tile_offsets():
    # Shanghai: GCJ-02 moves points some 300-700 m; BD-09 farther; none outside China.
    gcj = china_tile_offset_m(121.47, 31.23)
    assert 300 < gcj < 700
    assert china_tile_offset_m(121.47, 31.23, system="BD-09") > gcj + 300
    assert china_tile_offset_m(7.42, 43.73) == 0.0  # Monaco
    with pytest.raises(InvalidParameterError, match="Unknown coordinate system"):
        china_tile_offset_m(121.47, 31.23, system="BD-10")
