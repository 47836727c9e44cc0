"""A Shapefile's text read in its own encoding when no .cpg names it (geo/io/dbf_text.py).

GDAL reads the ``.dbf`` of a Shapefile with no ``.cpg`` and no language-driver byte as
ISO-8859-1: a GBK file's ``沪杭高速公路`` came out as ``»¦º¼¸ßËÙ¹«Â·``, and a boundaries
file's ``浙江省`` could not be named with ``--region``. The files here are written by GDAL
(pyogrio) in the encoding asked for, then their ``.cpg`` removed, as happens when files are
passed around.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.io.dbf_text import TEXT_ENCODING, shapefile_text_encoding
from geo.io.sources import load_source
from geo.io.user_files import read_vector
from helpers.synthetic import CRS, box, line

ROADS = ["沪杭高速公路", "申嘉湖高速（嘉兴段）", "G60 沪昆高速"]


def _shapefile(path: Path, frame: gpd.GeoDataFrame, encoding: str, *, cpg: bool = False) -> Path:
    """``frame`` written as a Shapefile with its text in ``encoding``; its .cpg kept or not."""
    pyogrio.write_dataframe(frame, path, encoding=encoding)
    if not cpg:
        path.with_suffix(".cpg").unlink()
    assert path.with_suffix(".dbf").read_bytes()[29] == 0  # no language-driver byte either
    return path


def _roads(names: list[str]) -> gpd.GeoDataFrame:
    lines = [line((5, 2 + i), (15, 2 + i)) for i in range(len(names))]
    frame = {"name": names, "highway": ["motorway"] * len(names)}
    return gpd.GeoDataFrame(frame, geometry=lines, crs=CRS).to_crs(4326)


def _regions() -> gpd.GeoDataFrame:
    polygons = {"浙江省": box(0, 0, 10, 10), "上海市": box(10, 0, 20, 10)}
    return gpd.GeoDataFrame({"name": list(polygons)}, geometry=list(polygons.values()), crs=CRS)


def test_a_gbk_shapefile_without_cpg_is_counted_with_its_chinese_names_and_a_note(tmp_path):
    regions = _shapefile(tmp_path / "省界.shp", _regions(), "GBK")
    roads = _shapefile(tmp_path / "roads.shp", _roads(ROADS), "GBK")
    source = load_source(str(regions), line_files=[f"highways={roads}"])
    assert set(source.region_set.names) == {"浙江省", "上海市"}
    assert sorted(source.layers["highways"]["name"]) == sorted(ROADS)
    notes = [w for w in source.region_set.warnings if "GBK" in w.en]
    assert [n.en.split(" has no .cpg")[0] for n in notes] == [
        "The boundaries file 省界.shp",
        "The highways file roads.shp",
    ]
    assert all(".cpg" in n.zh and "GBK" in n.zh for n in notes)


def test_utf8_without_cpg_is_read_as_utf8_without_a_note(tmp_path):
    roads = _shapefile(tmp_path / "roads.shp", _roads(ROADS), "UTF-8")
    frame = read_vector(roads)
    assert list(frame["name"]) == ROADS
    assert frame.attrs[TEXT_ENCODING] == "UTF-8"
    regions = _shapefile(tmp_path / "regions.shp", _regions(), "UTF-8")
    source = load_source(str(regions), line_files=[f"highways={roads}"])
    assert not [w for w in source.region_set.warnings if ".cpg" in w.en]


def test_a_cpg_or_ascii_text_leaves_the_reading_to_gdal(tmp_path):
    named = _shapefile(tmp_path / "named.shp", _roads(ROADS), "GBK", cpg=True)
    frame = read_vector(named)
    assert list(frame["name"]) == ROADS and TEXT_ENCODING not in frame.attrs
    ascii_only = _shapefile(tmp_path / "ascii.shp", _roads(["G60", "S32"]), "GBK")
    assert shapefile_text_encoding(ascii_only) is None


def test_text_in_neither_encoding_is_left_as_gdal_reads_it(tmp_path):
    # "é " is not UTF-8, nor GB18030 (a lead byte before a space): GDAL's ISO-8859-1 stays
    roads = _shapefile(tmp_path / "rues.shp", _roads(["Café de la Gare", "Rue du Pré"]), "latin1")
    assert shapefile_text_encoding(roads) is None
    assert list(read_vector(roads)["name"]) == ["Café de la Gare", "Rue du Pré"]


def test_a_zipped_gbk_shapefile_without_cpg(tmp_path):
    roads = _shapefile(tmp_path / "roads.shp", _roads(ROADS), "GBK")
    archive = tmp_path / "roads.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for part in sorted(tmp_path.glob("roads.*")):
            if part != archive:
                out.write(part, part.name)
    frame = read_vector(archive)
    assert sorted(frame["name"]) == sorted(ROADS)
    assert frame.attrs[TEXT_ENCODING] == "GB18030"
    assert roads.exists()  # nothing the user gave is changed


def _dbf(width: int, values: list[bytes]) -> bytes:
    """A dBASE III table of one text field ``name`` of ``width`` bytes, LDID 0."""
    header = struct.pack("<BBBBIHH20x", 3, 126, 1, 1, len(values), 32 + 32 + 1, 1 + width)
    field = struct.pack("<11sc4xBB14x", b"name", b"C", width, 0)
    rows = b"".join(b" " + v.ljust(width, b" ") for v in values)
    return header + field + b"\r" + rows + b"\x1a"


def test_a_value_cut_inside_a_character_at_its_fields_end_still_decodes(tmp_path):
    whole = "沪杭高速".encode("gbk")  # 8 bytes, cut to 7 by a writer with a 7-byte field
    (tmp_path / "cut.shp").write_bytes(b"")
    (tmp_path / "cut.dbf").write_bytes(_dbf(7, [whole[:7], "申苏".encode("gbk")]))
    assert shapefile_text_encoding(tmp_path / "cut.shp") == "GB18030"
    # the same bytes ending short of the field are not a cut value: not GB18030 text
    (tmp_path / "cut.dbf").write_bytes(_dbf(9, [whole[:7]]))
    assert shapefile_text_encoding(tmp_path / "cut.shp") is None


HANZI = "浙江省上海市苏州嘉兴湖州杭州高速公路铁路航道管道接轨申苏沪杭甬宁（）、，"


@settings(max_examples=25, deadline=None)
@given(
    names=st.lists(
        st.text(alphabet=HANZI + "ABCGS0123456789 -", min_size=1, max_size=12).filter(
            lambda s: s.strip() == s and any(c in HANZI for c in s)
        ),
        min_size=1,
        max_size=4,
    )
)
def test_gbk_text_without_cpg_comes_back_as_written(tmp_path_factory, names):
    folder = tmp_path_factory.mktemp("gbk")
    roads = _shapefile(folder / "roads.shp", _roads(names), "GBK")
    assert list(read_vector(roads)["name"]) == names


@pytest.mark.parametrize("encoding", ["GBK", "UTF-8"])
def test_the_encoding_found_is_the_one_written(tmp_path, encoding):
    roads = _shapefile(tmp_path / "roads.shp", _roads(ROADS), encoding)
    assert shapefile_text_encoding(roads) == {"GBK": "GB18030", "UTF-8": "UTF-8"}[encoding]


def _zip(archive: Path, *shapefiles: Path) -> Path:
    """The Shapefiles' files zipped side by side, as a user zips a folder's contents."""
    with zipfile.ZipFile(archive, "w") as out:
        for shp in shapefiles:
            for part in sorted(shp.parent.glob(f"{shp.stem}.*")):
                out.write(part, part.name)
    return archive


def test_a_zip_of_shapefiles_is_read_by_their_names_as_a_geopackage_is(tmp_path):
    """regions.shp and highways.shp in one zip: the page's one upload holds both (its second
    Shapefile was dropped with only pyogrio's "More than one layer found")."""
    regions = _shapefile(tmp_path / "regions.shp", _regions(), "GBK")
    roads = _shapefile(tmp_path / "highways.shp", _roads(ROADS), "GBK")
    source = load_source(str(_zip(tmp_path / "both.zip", regions, roads)))
    assert set(source.region_set.names) == {"浙江省", "上海市"}
    assert sorted(source.layers["highways"]["name"]) == sorted(ROADS)
    notes = [w.en.split(" has no .cpg")[0] for w in source.region_set.warnings if ".cpg" in w.en]
    assert notes == ["The boundaries file both.zip", "The highways layer of both.zip"]


def test_a_zips_shapefile_named_after_no_kind_is_said_not_read(tmp_path):
    regions = _shapefile(tmp_path / "省界.shp", _regions(), "UTF-8", cpg=True)
    roads = _shapefile(tmp_path / "roads.shp", _roads(ROADS), "UTF-8", cpg=True)
    source = load_source(str(_zip(tmp_path / "mine.zip", regions, roads)))
    assert set(source.region_set.names) == {"浙江省", "上海市"} and not source.layers
    assert any(w.en.startswith("The layer(s) roads of mine.zip are not read") for w in
               source.region_set.warnings)
