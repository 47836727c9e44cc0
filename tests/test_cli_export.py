"""``jiegui export``: one border's files, as the page's Export section gives them.

Run as a user runs it (a subprocess), then read back: the zip's GeoJSON files each with a
QGIS style beside it, the GeoPackage with its ``layer_styles``, and the same features as
the page exports for the same border, year and basis.
"""

from __future__ import annotations

import io
import sqlite3
import zipfile

import geopandas as gpd
import pyogrio
import pytest
from test_cli import assert_user_error, run_cli

from app import views
from app.query import PageQuery
from geo.io import export

ARGS = ["export", "yrd", "--region", "Zhejiang", "--neighbour", "Shanghai", "--as-of", "2006",
        "--basis", "open+construction"]  # fmt: skip
STEM = "jiegui-yrd-zhejiang-shanghai-2006-open-construction"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    zipped, package = folder / "zs.zip", folder / "zs.gpkg"
    for out in (zipped, package):
        proc = run_cli(*ARGS, "--out", str(out))
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith(f"Wrote {out}")
    return zipped, package


def test_the_zip_holds_every_file_with_its_style(written):
    zipped, _ = written
    with zipfile.ZipFile(zipped) as archive:
        names = set(archive.namelist())
        tables = ["highways", "railways", "waterways", "ports", "pipelines", "interfaces",
                  "other_links", "regions"]  # fmt: skip
        for table in tables:
            assert {f"{STEM}-{table}.geojson", f"{STEM}-{table}.qml"} <= names
        assert {f"{STEM}-all.gpkg", f"{STEM}-counts.csv", f"{STEM}-history.csv",
                f"{STEM}-columns.csv"} <= names  # fmt: skip
        highways = gpd.read_file(io.BytesIO(archive.read(f"{STEM}-highways.geojson")))
        others = gpd.read_file(io.BytesIO(archive.read(f"{STEM}-other_links.geojson")))
    assert not set(highways["id"]) & set(others["id"])
    assert (highways["basis"] == "open+construction").all() and (highways["as_of"] == 2006).all()


def test_the_command_line_exports_what_the_page_exports(written):
    zipped, _ = written
    loaded = views.load("yrd", views.source_stamp("yrd"), "wgs84")
    query = PageQuery("yrd", views.source_stamp("yrd"), "wgs84", "Zhejiang", "Shanghai", 2006,
                      ("open", "construction"), tuple(loaded.source.layers))  # fmt: skip
    pair = views.pair_export(loaded, views.count(loaded, query), query, 2006)
    page = export.export_files(pair, dataset="yrd")
    with zipfile.ZipFile(zipped) as archive:
        for key in ("highways", "interfaces", "qml:highways", "counts", "history"):
            name, data, _ = page[key]
            assert archive.read(name) == data, key


def test_the_geopackage_opens_styled(written):
    _, package = written
    tables = {name for name, _ in pyogrio.list_layers(package)}
    assert {"highways", "interfaces", "history", "counts", "columns", "layer_styles"} <= tables
    with sqlite3.connect(package) as connection:
        styled = dict(
            connection.execute(
                "SELECT f_table_name, f_geometry_column FROM layer_styles WHERE useAsDefault"
            )
        )
        geometry = dict(
            connection.execute("SELECT table_name, column_name FROM gpkg_geometry_columns")
        )
    assert styled == geometry


def test_bad_outputs_are_refused_in_one_sentence(written, tmp_path):
    zipped, _ = written
    assert_user_error(run_cli(*ARGS, "--out", str(zipped)), "exists")
    assert_user_error(run_cli(*ARGS, "--out", str(tmp_path / "x.shp")), ".zip", ".gpkg")
    wrong = ["export", "yrd", "--region", "Zhejiang", "--neighbour", "Hainan", "--out",
             str(tmp_path / "x.zip")]  # fmt: skip
    assert_user_error(run_cli(*wrong), "Hainan")
    assert not (tmp_path / "x.zip").exists()
