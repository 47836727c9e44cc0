"""A GDAL VRT handed over as a user's file must not make Jiegui read other files.

A VRT is a list of files (or URLs) for GDAL to read, recognised by its content whatever the
file is called. On a shared server an upload named ``regions.geojson`` holding a VRT would
read any file the server can: Jiegui refuses it before GDAL opens it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from geo.cli import main
from geo.errors import InputFileError
from geo.io import user_files

SECRET = "SECRET-ROW-7d1f"


def _vrt(tmp_path: Path) -> str:
    target = tmp_path / "private" / "secret.csv"
    target.parent.mkdir()
    target.write_text(f"name,WKT\n{SECRET},\"POLYGON((0 0,1 0,1 1,0 1,0 0))\"\n")
    return (
        "<OGRVRTDataSource><OGRVRTLayer name='secret'>"
        f"<SrcDataSource>{target}</SrcDataSource>"
        "<GeometryType>wkbPolygon</GeometryType><GeometryField encoding='WKT' field='WKT'/>"
        "<LayerSRS>EPSG:4326</LayerSRS></OGRVRTLayer></OGRVRTDataSource>"
    )


def test_gdal_would_read_the_named_file_so_the_refusal_matters(tmp_path):
    import geopandas as gpd

    path = tmp_path / "regions.vrt"
    path.write_text(_vrt(tmp_path))
    assert SECRET in set(gpd.read_file(path, engine="pyogrio")["name"])


@pytest.mark.parametrize("name", ["regions.geojson", "regions.vrt", "regions.gpkg"])
def test_a_vrt_under_any_name_is_refused(tmp_path, name):
    path = tmp_path / name
    path.write_text(_vrt(tmp_path))
    with pytest.raises(InputFileError, match="GDAL VRT file"):
        user_files.read_vector(path)
    assert user_files.file_layers(path) == []


def test_a_vrt_inside_a_zip_is_refused(tmp_path):
    path = tmp_path / "regions.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("regions.geojson", _vrt(tmp_path))
    with pytest.raises(InputFileError, match="GDAL VRT file"):
        user_files.read_vector(path)


def test_the_command_line_refuses_it_in_one_sentence(tmp_path, capsys):
    path = tmp_path / "regions.geojson"
    path.write_text(_vrt(tmp_path))
    assert main(["crossings", str(path), "--format", "json"]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("jiegui: regions.geojson is a GDAL VRT file") and err.count("\n") == 1
    assert SECRET not in out + err
