"""A corpus of bad and hostile inputs, written on demand into a folder per input.

Every :class:`BadInput` says how to write its files (:attr:`BadInput.write`), how the
command line is run on them (:attr:`BadInput.argv`, with ``{d}`` for the input's folder and
``{out}`` for an empty output folder), and what is acceptable:

* ``"error"``: exit code 2 and one sentence (``jiegui: ...``) holding every word of
  :attr:`BadInput.says`;
* ``"ok"``: exit code 0 and a correct result (:attr:`BadInput.check` on the JSON written);
* ``"either"``: one of the two (a compression bomb, which another part of the project
  limits; data whose mistake cannot be seen, such as GCJ-02 without the flag).

Every input runs through the page too, in the form :attr:`BadInput.on_page` names (the page
takes one source, so an input of several files or of a command-line option reaches it in
another form, said in :attr:`BadInput.page_note`):

* ``"path box"``: :attr:`BadInput.page` is typed into the "path on this machine" box (with the
  GCJ-02 box ticked when the command line says ``--datum gcj02``);
* ``"packed"``: the boundaries file and the line files (``LAYER=PATH``) packed into one
  GeoPackage (:func:`pack`, :class:`Packed`): a layer ``regions`` and one layer per line
  file, which the loader reads as it reads the files;
* ``"widget"``: a numeric option, whose counterpart is one of the page's inputs, or none;
* ``"fetch panel"``: ``fetch``, whose counterpart is the sidebar's fetch panel;
* ``"data folder list"``: a file name no browser can type (not UTF-8), chosen from the list
  of the data folder's files that the page shows in hosted mode.

``tests/test_bad_inputs.py`` runs them; ``python -m tests.helpers.bad_inputs FOLDER`` writes
them all for a look.

The base data: two provinces split at 121° E (Zhejiang west, Shanghai east) and two roads
crossing the border (a motorway G60 and a primary S1); an OpenStreetMap file of the same,
with boundary relations at admin_level 4.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import os
import random
import sqlite3
import sys
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import shapely

Writer = Callable[[Path], None]
Check = Callable[[dict[str, Any]], None]
Expect = Literal["error", "ok", "either"]
#: How an input reaches the page (see the module's docstring).
PageForm = Literal["path box", "packed", "widget", "fetch panel", "data folder list"]
PAGE_FORMS: tuple[PageForm, ...] = (
    "path box", "packed", "widget", "fetch panel", "data folder list"
)

BORDER_LON = 121.0
WEST, EAST, SOUTH, NORTH = 120.8, 121.2, 30.7, 31.0


@dataclass(frozen=True)
class Packed:
    """How an input of several files is packed into one GeoPackage for the page (:func:`pack`).

    The GeoPackage holds the boundaries file as the layer ``regions`` and each line file as
    the layer its ``LAYER=`` names (else the file's stem: a GIS names a layer after its file),
    copied feature by feature through GDAL, geometries as they are (NaN, one-point lines,
    3-D, mixed types). The loader reads such a GeoPackage as it reads the files, but for its
    sentences, which name the layer of the GeoPackage where they named a file. So the
    command line runs on the packed file too, and the page must say what it says.

    Attributes
    ----------
    name
        The GeoPackage's path inside the packing folder; ``""``: the boundaries file's name
        with ``.gpkg`` for its suffix (a hostile name stays hostile).
    expect, says, check
        What is acceptable of the packed file, where it differs from the input's (None: the
        same; the words of :attr:`BadInput.says` that name a file of the input are left out).
    """

    name: str = ""
    expect: Expect | None = None
    says: tuple[str, ...] | None = None
    check: Check | None = None


@dataclass(frozen=True)
class BadInput:
    """One bad input: its files, the command run on them and what is acceptable."""

    name: str
    kind: str
    write: Writer
    argv: tuple[str, ...]
    expect: Expect = "error"
    says: tuple[str, ...] = ()
    check: Check | None = None
    page: str | None = None
    subprocess: bool = False
    note: str = ""
    on_page: PageForm = "path box"
    packed: Packed | None = None
    page_note: str = ""

    def __post_init__(self) -> None:
        assert self.on_page in PAGE_FORMS, self.on_page
        assert (self.page is not None) == (self.on_page == "path box"), self.name
        assert (self.packed is not None) == (self.on_page == "packed"), self.name
        assert self.on_page == "path box" or self.page_note, f"{self.name}: say why"

    def command(self, folder: Path, out: Path) -> list[str]:
        """The command line's arguments for inputs written into ``folder``."""
        return [a.replace("{d}", str(folder)).replace("{out}", str(out)) for a in self.argv]

    def page_path(self, folder: Path) -> str | None:
        """What is typed into the page's path box, or None."""
        return None if self.page is None else self.page.replace("{d}", str(folder))


def command_files(case: BadInput, folder: Path) -> tuple[Path, list[tuple[str, Path]]]:
    """The files a ``crossings`` command reads: its source, and its line files by layer.

    A line file without ``LAYER=`` is given the layer of its file's stem.
    """
    argv = case.command(folder, folder)
    assert argv[0] == "crossings", case.name
    positional = []
    for item in argv[1:]:
        if item.startswith("--"):
            break
        positional.append(item)
    source, *lines = positional
    layers = []
    for item in lines:
        layer, sep, path = item.partition("=")  # as geo.io.sources.split_line_item does
        if not (sep and layer and "/" not in layer):
            layer, path = Path(item).stem, item
        layers.append((layer, Path(path)))
    return Path(source), layers


def pack(case: BadInput, folder: Path, into: Path) -> Path:
    """Pack the files of a ``crossings`` case (written into ``folder``) into one GeoPackage.

    See :class:`Packed` (a case that is not packed for the page is packed as by default).
    Returns the GeoPackage's path, in ``into``.
    """
    import pyogrio.raw

    source, lines = command_files(case, folder)
    target = into / ((case.packed or Packed()).name or source.with_suffix(".gpkg").name)
    target.parent.mkdir(parents=True, exist_ok=True)
    for layer, path in [("regions", source), *lines]:
        gdal_path = f"/vsizip/{path}" if path.suffix == ".zip" else str(path)
        meta, _, geometry, field_data = pyogrio.raw.read(gdal_path)
        pyogrio.raw.write(
            target, geometry, field_data, meta["fields"], layer=layer, driver="GPKG",
            geometry_type=meta["geometry_type"], crs=meta["crs"], append=target.exists(),
        )  # fmt: skip
    return target


# --------------------------------------------------------------------------- base data


def regions_frame(names: Iterable[str] = ("Zhejiang", "Shanghai"), crs: Any = 4326):
    """The two provinces (WGS84 boxes with a vertex every 0.01°)."""
    west, east = list(names)
    return gpd.GeoDataFrame(
        {"name": [west, east]},
        geometry=shapely.segmentize(
            [
                shapely.box(WEST, SOUTH, BORDER_LON, NORTH),
                shapely.box(BORDER_LON, SOUTH, EAST, NORTH),
            ],
            0.01,
        ),
        crs=crs,
    )


def roads_frame(crs: Any = 4326):
    """Two roads crossing the border: a motorway and a primary."""
    return gpd.GeoDataFrame(
        {"highway": ["motorway", "primary"], "ref": ["G60", "S1"], "lanes": ["6", "4"]},
        geometry=shapely.segmentize(
            [
                shapely.LineString([(120.9, 30.80), (121.1, 30.84)]),
                shapely.LineString([(120.9, 30.95), (121.1, 30.91)]),
            ],
            0.01,
        ),
        crs=crs,
    )


def routes(out: dict[str, Any]) -> dict[tuple[str, str], int]:
    """``{(layer, class): routes}`` summed over the pairs of a JSON report."""
    found: dict[tuple[str, str], int] = {}
    for pair in out["pairs"]:
        if not pair["routes"]:
            continue
        key = (pair["layer"], pair["class"])
        found[key] = found.get(key, 0) + int(pair["routes"])
    return found


def counts_both_roads(out: dict[str, Any]) -> None:
    """The correct result on the base data: both roads cross, once each."""
    assert routes(out) == {("highways", "motorway"): 1, ("highways", "primary"): 1}, out


def counts_roads(**expected: int) -> Check:
    """A check that the report counts these routes per highway class."""

    def check(out: dict[str, Any]) -> None:
        want = {("highways", k): v for k, v in expected.items()}
        assert routes(out) == want, routes(out)

    return check


def names_kept(*names: str) -> Check:
    """A check that the regions are these, literally, and both roads cross."""

    def check(out: dict[str, Any]) -> None:
        assert sorted(r["name"] for r in out["regions"]) == sorted(names)
        counts_both_roads(out)

    return check


def warns(*words: str, then: Check = counts_both_roads) -> Check:
    """A check that a warning holds these words, and then ``then``."""

    def check(out: dict[str, Any]) -> None:
        assert any(all(w in x for w in words) for x in out["warnings"]), out["warnings"]
        then(out)

    return check


def geojson_text(frame: gpd.GeoDataFrame) -> str:
    """A frame as GeoJSON text (through pyogrio, as a GIS would write it)."""
    buffer = io.BytesIO()
    frame.to_file(buffer, driver="GeoJSON", engine="pyogrio")
    return buffer.getvalue().decode("utf-8")


# ------------------------------------------------------------------------------ writers


def raw(name: str, data: bytes | str) -> Writer:
    """Write ``data`` as it is."""

    def write(folder: Path) -> None:
        (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    return write


def frame_file(name: str, frame: Callable[[], gpd.GeoDataFrame], **kwargs: Any) -> Writer:
    """Write a GeoDataFrame with geopandas (the driver from the suffix)."""

    def write(folder: Path) -> None:
        frame().to_file(folder / name, engine="pyogrio", **kwargs)

    return write


def gpkg_layers(name: str, **layers: Callable[[], gpd.GeoDataFrame]) -> Writer:
    """A GeoPackage with these layers."""

    def write(folder: Path) -> None:
        for layer, frame in layers.items():
            frame().to_file(folder / name, layer=layer, driver="GPKG", engine="pyogrio")

    return write


def features(name: str, items: list[dict[str, Any]], *, crs: str | None = None) -> Writer:
    """A GeoJSON FeatureCollection of ``(properties, geometry)`` dicts, written by hand.

    Python's json writes NaN and Infinity as bare words, which GDAL reads as numbers.
    """
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": []}
    if crs is not None:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    for item in items:
        geometry = item.get("geometry")
        collection["features"].append(
            {
                "type": "Feature",
                "properties": {k: v for k, v in item.items() if k != "geometry"},
                "geometry": geometry,
            }
        )
    return raw(name, json.dumps(collection, ensure_ascii=False))


def box_ring(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    """A closed ring of a box."""
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def polygon(ring: list[list[float]]) -> dict[str, Any]:
    """A GeoJSON polygon of one ring."""
    return {"type": "Polygon", "coordinates": [ring]}


WEST_RING = box_ring(WEST, SOUTH, BORDER_LON, NORTH)
EAST_RING = box_ring(BORDER_LON, SOUTH, EAST, NORTH)


def unnamed_regions() -> Writer:
    """The two provinces, the second without a name (null)."""
    items = [two_regions()[0], {"name": None, "geometry": polygon(EAST_RING)}]
    return features("unnamed.geojson", items)


def two_regions(west: Any = WEST_RING, east: Any = EAST_RING, **props: Any) -> list[dict[str, Any]]:
    """The two provinces as feature dicts (rings or whole geometries may be replaced)."""

    def geom(g: Any) -> Any:
        return polygon(g) if isinstance(g, list) else g

    west_props = {"name": props.get("west_name", "Zhejiang")}
    east_props = {"name": props.get("east_name", "Shanghai")}
    return [{**west_props, "geometry": geom(west)}, {**east_props, "geometry": geom(east)}]


def line(*points: tuple[float, float] | list[float]) -> dict[str, Any]:
    """A GeoJSON LineString."""
    return {"type": "LineString", "coordinates": [list(p) for p in points]}


G60 = line((120.9, 30.80), (121.1, 30.84))
S1 = line((120.9, 30.95), (121.1, 30.91))


def two_roads(extra: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """The two roads as feature dicts, with extra features after them."""
    return [
        {"highway": "motorway", "ref": "G60", "lanes": "6", "geometry": G60},
        {"highway": "primary", "ref": "S1", "lanes": "4", "geometry": S1},
        *extra,
    ]


def both(*writers: Writer) -> Writer:
    """Run several writers."""

    def write(folder: Path) -> None:
        for w in writers:
            w(folder)

    return write


def good_regions(name: str = "regions.geojson") -> Writer:
    """The base regions."""
    return features(name, two_regions())


def good_roads(name: str = "roads.geojson") -> Writer:
    """The base roads."""
    return features(name, two_roads())


def zipped(name: str, members: dict[str, bytes | Writer]) -> Writer:
    """A zip of members: bytes, or a writer of one file (of any name), stored as the member."""

    def write(folder: Path) -> None:
        staging = folder / ".staging"
        staging.mkdir()
        with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, content in members.items():
                if isinstance(content, bytes):
                    archive.writestr(member, content)
                    continue
                content(staging)
                [path] = list(staging.iterdir())
                archive.write(path, member)
                path.unlink()
        staging.rmdir()

    return write


def renamed(write: Writer, name: str, new_name: str) -> Writer:
    """Write a file, then give it another name (a mislabelled suffix)."""

    def rename(folder: Path) -> None:
        write(folder)
        (folder / name).rename(folder / new_name)

    return rename


def shapefile_zip(name: str, leave_out: tuple[str, ...] = ()) -> Writer:
    """A zipped Shapefile of the base regions, without the parts named in ``leave_out``."""

    def write(folder: Path) -> None:
        staging = folder / ".staging"
        staging.mkdir()
        regions_frame().to_file(staging / "regions.shp", engine="pyogrio")
        with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(staging.iterdir()):
                if path.suffix not in leave_out:
                    archive.write(path, path.name)
                path.unlink()
        staging.rmdir()

    return write


# --------------------------------------------------------------------------- OSM data


def osm_xml(
    *,
    nodes: dict[int, tuple[Any, Any]] | None = None,
    names: tuple[str, str] = ("Zhejiang", "Shanghai"),
    drop_nodes: tuple[int, ...] = (),
    extra: str = "",
    prolog: str = "",
) -> str:
    """The base data as OSM XML: two admin_level 4 relations and a primary road."""
    located = {
        1: (WEST, SOUTH),
        2: (BORDER_LON, SOUTH),
        3: (BORDER_LON, NORTH),
        4: (WEST, NORTH),
        5: (EAST, SOUTH),
        6: (EAST, NORTH),
        20: (120.9, 30.85),
        21: (121.1, 30.85),
    }
    located.update(nodes or {})
    lines = [prolog or "<?xml version='1.0' encoding='UTF-8'?>"]
    lines.append("<osm version='0.6' generator='jiegui-tests'>")
    for ref, (lon, lat) in located.items():
        if ref not in drop_nodes:
            lines.append(f"<node id='{ref}' version='1' lat='{lat}' lon='{lon}'/>")
    ways = {10: [2, 3], 11: [3, 4, 1, 2], 12: [3, 6, 5, 2]}
    for way, refs in ways.items():
        lines.append(f"<way id='{way}' version='1'>")
        lines.extend(f"<nd ref='{r}'/>" for r in refs)
        lines.append("<tag k='boundary' v='administrative'/><tag k='admin_level' v='4'/></way>")
    lines.append(
        "<way id='20' version='1'><nd ref='20'/><nd ref='21'/>"
        "<tag k='highway' v='primary'/><tag k='ref' v='S1'/></way>"
    )
    for rel, (name, outer) in zip((100, 101), ((names[0], 11), (names[1], 12))):
        lines.append(
            f"<relation id='{rel}' version='1'>"
            f"<member type='way' ref='10' role='outer'/><member type='way' ref='{outer}' "
            "role='outer'/><tag k='type' v='boundary'/><tag k='boundary' v='administrative'/>"
            f"<tag k='admin_level' v='4'/><tag k='name' v={quote_attr(name)}/></relation>"
        )
    lines.append(extra)
    lines.append("</osm>")
    return "\n".join(lines) + "\n"


def quote_attr(text: str) -> str:
    """An XML attribute value in quotes."""
    escaped = (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
    return f'"{escaped}"'


def osm_pbf(name: str, xml: str | None = None, *, cut: float | None = None) -> Writer:
    """The OSM data written as PBF by pyosmium; ``cut``: keep only that share of the bytes."""

    def write(folder: Path) -> None:
        import osmium

        source = folder / ".source.osm"
        source.write_text(xml or osm_xml(), encoding="utf-8")
        target = folder / name
        writer = osmium.SimpleWriter(str(target))
        for obj in osmium.FileProcessor(str(source)):
            if isinstance(obj, osmium.osm.Node):
                writer.add_node(obj)
            elif isinstance(obj, osmium.osm.Way):
                writer.add_way(obj)
            else:
                writer.add_relation(obj)
        writer.close()
        source.unlink()
        if cut is not None:
            data = target.read_bytes()
            target.write_bytes(data[: int(len(data) * cut)])

    return write


def counts_osm_road(out: dict[str, Any]) -> None:
    """The correct result on the base OSM data: the primary road crosses once."""
    assert routes(out) == {("highways", "primary"): 1}, out


# ------------------------------------------------------------------------ other bytes


def noise(n: int, seed: int = 12) -> bytes:
    """``n`` random bytes (always the same)."""
    return random.Random(seed).randbytes(n)


def sqlite_file(name: str, statements: str) -> Writer:
    """A SQLite database made by these statements."""

    def write(folder: Path) -> None:
        with sqlite3.connect(folder / name) as db:
            db.executescript(statements)
        db.close()

    return write


def gpkg_without_layers(name: str) -> Writer:
    """A valid GeoPackage whose only feature table was dropped (no layers at all)."""

    def write(folder: Path) -> None:
        path = folder / name
        regions_frame().to_file(path, layer="regions", driver="GPKG", engine="pyogrio")
        with sqlite3.connect(path) as db:
            for table in ("gpkg_contents", "gpkg_geometry_columns", "gpkg_ogr_contents"):
                db.execute(f"DELETE FROM {table}")
            db.execute("DROP TABLE regions")
            for (trigger,) in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'"):
                db.execute(f'DROP TRIGGER "{trigger}"')
        db.close()

    return write


def gpkg_attributes_only(name: str) -> Writer:
    """A GeoPackage holding only a table without geometry."""

    def write(folder: Path) -> None:
        import pandas as pd
        import pyogrio

        table = pd.DataFrame({"name": ["Zhejiang", "Shanghai"]})
        pyogrio.write_dataframe(table, folder / name, layer="names", driver="GPKG")

    return write


def with_coordinates(
    frame: Callable[[], gpd.GeoDataFrame], change: Callable[[np.ndarray], np.ndarray]
) -> Callable[[], gpd.GeoDataFrame]:
    """A frame whose coordinates are changed by ``change`` (an array of x, y)."""

    def make() -> gpd.GeoDataFrame:
        out = frame()
        out["geometry"] = shapely.transform(out.geometry.values, change)
        return out

    return make


def second_value(value: float) -> Callable[[np.ndarray], np.ndarray]:
    """Set the second coordinate's x to ``value`` (rings stay closed)."""

    def change(xy: np.ndarray) -> np.ndarray:
        xy = xy.copy()
        xy[1, 0] = value
        return xy

    return change


def swapped(xy: np.ndarray) -> np.ndarray:
    """Latitude and longitude swapped."""
    return xy[:, ::-1].copy()


def bomb(name: str, inner: str, size: int) -> Writer:
    """A zip whose one member is ``size`` bytes of a valid GeoJSON padded with spaces."""

    def write(folder: Path) -> None:
        text = geojson_text(regions_frame())
        head, tail = text[:-2], text[-2:]
        padding = b" " * max(0, size - len(text))
        with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            z.writestr(inner, head.encode() + padding + tail.encode())

    return write


def compressed(name: str, data: bytes, how: Callable[[bytes], bytes]) -> Writer:
    """``data`` compressed by ``how`` (gzip/bz2)."""
    return lambda folder: (folder / name).write_bytes(how(data))


def gz(data: bytes) -> bytes:
    """gzip without a time stamp (the same bytes every time)."""
    return gzip.compress(data, mtime=0)


# ----------------------------------------------------------------------- fetched packages


def package(
    name: str = "border.gpkg",
    *,
    manifest: str | bytes | None = None,
    stretches: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame] | None = None,
    regions: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame] | None = None,
    highways: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame] | None = None,
) -> Writer:
    """A fetched package of the base data (written by geo's own writer), then spoilt."""

    def write(folder: Path) -> None:
        from geo.io.package import manifest_path
        from geo.io.sources import load_source

        staging = folder / ".staging"
        staging.mkdir()
        features("regions.geojson", two_regions())(staging)
        features("roads.geojson", two_roads())(staging)
        source = load_source(
            str(staging / "regions.geojson"), [f"highways={staging / 'roads.geojson'}"]
        )
        target = folder / name
        rs = source.region_set
        tables = {
            "regions": rs.regions.to_crs(4326),
            "border_stretches": rs.stretches.to_crs(4326),
            "highways": source.layers["highways"].to_crs(4326),
        }
        for table, change in (
            ("regions", regions),
            ("border_stretches", stretches),
            ("highways", highways),
        ):
            if change is not None:
                tables[table] = change(tables[table])
        for table, frame in tables.items():
            frame.to_file(target, layer=table, driver="GPKG", engine="pyogrio")
        good = {
            "source": {"data_timestamp": "2024-05-01T00:00:00Z"},
            "regions": {"warnings": []},
            "attribution": "Data © OpenStreetMap contributors (ODbL 1.0)",
            "features": {"highways": 2},
        }
        text = json.dumps(good) if manifest is None else manifest
        path = manifest_path(target)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        for leftover in staging.iterdir():
            leftover.unlink()
        staging.rmdir()

    return write


def drop_column(column: str) -> Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]:
    """Leave a column out of a table."""
    return lambda frame: frame.drop(columns=[column])


# --------------------------------------------------------------------------- the corpus


def crossings(*files: str, options: tuple[str, ...] = ()) -> tuple[str, ...]:
    """``crossings`` on files of the input's folder, as JSON into the output folder."""
    paths = []
    for item in files:
        layer, sep, name = item.rpartition("=")
        paths.append(f"{layer}{sep}{{d}}/{name}")
    return ("crossings", *paths, "--format", "json", "--out", "{out}/result.json", *options)


def fetch_osm(name: str, *options: str) -> tuple[str, ...]:
    """``fetch --osm-file`` (offline) on a file of the input's folder."""
    return (
        "fetch",
        "--osm-file",
        f"{{d}}/{name}",
        "--layers",
        "highways",
        "--out",
        "{out}/border.gpkg",
        *options,
    )


HOSTILE_NAMES = {
    "script": "<script>alert('x')</script>",
    "template": "{{7*7}} ${7*7} {% print 1 %}",
    "rtl": "\u202eanihsaJ\u202c \u05d9\u05e8\u05d5\u05e9\u05dc\u05d9\u05dd",
    "markdown": "**bold** [link](http://example.com) $x$ `code`",
    "long": "Z" * 5000,
}


#: Why an input of several files runs through the page packed.
PACKED = "the page takes one file: the files packed into one GeoPackage, a layer each"
#: Why a numeric option runs through the page as it does.
WIDGET = (
    "the page's counterpart of the option is an input with bounds, or nothing (the page "
    "then always uses the default); the data run through the page with it"
)
#: Why fetch runs through the page as it does.
FETCH_PANEL = (
    "the page fetches with its fetch panel: the regions typed into the path box, the OSM "
    "file into the panel"
)


def corpus() -> list[BadInput]:  # noqa: C901 (a list, not logic)
    """Every input of the corpus."""
    cases: list[BadInput] = []

    def add(name: str, kind: str, write: Writer, argv: tuple[str, ...], **kw: Any) -> None:
        cases.append(BadInput(name, kind, write, argv, **kw))

    def source_case(
        name: str, kind: str, file: str, write: Writer, *, lines: tuple[str, ...] = (), **kw: Any
    ) -> None:
        if not lines:
            kw.setdefault("page", f"{{d}}/{file}")
        elif kw.setdefault("on_page", "packed") == "packed":
            kw.setdefault("packed", Packed())
            kw.setdefault("page_note", PACKED)
        add(name, kind, write, crossings(file, *lines), **kw)

    # --- empty, truncated and corrupt files, in every format -------------------------
    for suffix in (".geojson", ".gpkg", ".zip", ".shp", ".osm", ".osm.gz", ".osm.bz2", ".osm.pbf"):
        file = "empty" + suffix
        source_case(f"empty{suffix}", "empty", file, raw(file, b""), says=("empty",))
    text = geojson_text(regions_frame())
    source_case(
        "truncated-geojson",
        "truncated",
        "cut.geojson",
        raw("cut.geojson", text[: len(text) // 2]),
        says=("cut.geojson",),
    )
    source_case(
        "truncated-osm-xml",
        "truncated",
        "cut.osm",
        raw("cut.osm", osm_xml()[:900]),
        says=("cut.osm",),
    )
    source_case(
        "truncated-osm-gz",
        "truncated",
        "cut.osm.gz",
        compressed("cut.osm.gz", gz(osm_xml().encode())[:200], lambda b: b),
        says=("cut.osm.gz",),
    )
    source_case(
        "truncated-osm-bz2",
        "truncated",
        "cut.osm.bz2",
        compressed("cut.osm.bz2", bz2.compress(osm_xml().encode())[:300], lambda b: b),
        says=("cut.osm.bz2",),
    )
    source_case(
        "truncated-pbf",
        "truncated",
        "cut.osm.pbf",
        osm_pbf("cut.osm.pbf", cut=0.6),
        says=("cut.osm.pbf",),
        subprocess=True,
    )

    def truncated_gpkg(folder: Path) -> None:
        frame_file("whole.gpkg", regions_frame, driver="GPKG")(folder)
        data = (folder / "whole.gpkg").read_bytes()
        (folder / "cut.gpkg").write_bytes(data[: len(data) // 3])
        (folder / "whole.gpkg").unlink()

    source_case("truncated-gpkg", "truncated", "cut.gpkg", truncated_gpkg, says=("cut.gpkg",))
    for suffix in (".geojson", ".gpkg", ".zip", ".osm.pbf", ".osm.bz2"):
        file = "noise" + suffix
        source_case(f"corrupt{suffix}", "corrupt", file, raw(file, noise(4096)), says=(file,))
    source_case(
        "corrupt-sqlite-header",
        "corrupt",
        "header.gpkg",
        raw("header.gpkg", b"SQLite format 3\x00" + noise(8192)),
        says=("header.gpkg",),
    )
    source_case(
        "invalid-json",
        "corrupt",
        "syntax.geojson",
        raw("syntax.geojson", '{"type": "FeatureCollection", "features": [{"type": }]}'),
        says=("syntax.geojson",),
    )
    source_case(
        "json-not-geojson",
        "corrupt",
        "plain.json",
        raw("plain.json", '{"hello": [1, 2, 3]}'),
        says=("plain.json",),
    )

    # --- mislabelled suffixes ----------------------------------------------------------
    source_case(
        "geojson-named-gpkg",
        "mislabelled",
        "regions.gpkg",
        raw("regions.gpkg", text),
        expect="either",
        check=counts_roads(),
        note="GDAL reads GeoJSON whatever the suffix; regions alone count nothing",
    )
    source_case(
        "gpkg-named-geojson",
        "mislabelled",
        "regions.geojson",
        renamed(frame_file("x.gpkg", regions_frame, driver="GPKG"), "x.gpkg", "regions.geojson"),
        expect="either",
        check=counts_roads(),
    )
    source_case(
        "xml-named-pbf",
        "mislabelled",
        "extract.osm.pbf",
        raw("extract.osm.pbf", osm_xml()),
        says=("extract.osm.pbf",),
    )

    source_case(
        "pbf-named-osm",
        "mislabelled",
        "extract.osm",
        renamed(osm_pbf("x.osm.pbf"), "x.osm.pbf", "extract.osm"),
        says=("extract.osm",),
    )
    source_case(
        "text-named-shp",
        "mislabelled",
        "notes.shp",
        raw("notes.shp", "These are my notes, not a Shapefile.\n"),
        says=("notes.shp",),
    )
    source_case(
        "geojson-named-osm-gz",
        "mislabelled",
        "regions.osm.gz",
        compressed("regions.osm.gz", text.encode(), gz),
        says=("regions.osm.gz",),
    )
    source_case(
        "gzip-named-zip",
        "mislabelled",
        "regions.zip",
        compressed("regions.zip", text.encode(), gz),
        says=("regions.zip",),
    )

    # --- CRS ------------------------------------------------------------------------------
    source_case(
        "shapefile-zip-without-prj",
        "crs",
        "regions.zip",
        shapefile_zip("regions.zip", leave_out=(".prj",)),
        says=("coordinate reference system",),
    )
    source_case(
        "projected-coordinates-labelled-wgs84",
        "crs",
        "utm.geojson",
        raw("utm.geojson", geojson_text(regions_frame().to_crs(32651)).replace(
            '"crs": { "type": "name", "properties": { "name": "urn:ogc:def:crs:EPSG::32651" } },',
            "",
        )),
        says=("utm.geojson", "longitude"),
    )
    source_case(
        "wrong-crs-web-mercator",
        "crs",
        "mercator.gpkg",
        both(
            frame_file(
                "mercator.gpkg", lambda: regions_frame().set_crs(3857, allow_override=True)
            ),
            good_roads(),
        ),
        lines=("highways=roads.geojson",),
        expect="either",
        note="degrees read as metres: regions a few metres wide near 0°, 0°",
    )
    source_case(
        "unusable-crs",
        "crs",
        "odd.geojson",
        features("odd.geojson", two_regions(), crs="urn:ogc:def:crs:EPSG::999999"),
        expect="either",
        check=counts_roads(),
        note="GDAL falls back on WGS84 for a GeoJSON CRS it does not know",
    )
    source_case(
        "projected-crs-is-fine",
        "crs",
        "utm.gpkg",
        both(
            frame_file("utm.gpkg", lambda: regions_frame().to_crs(32651), layer="regions"),
            gpkg_layers("utm.gpkg", highways=lambda: roads_frame().to_crs(32651)),
        ),
        expect="ok",
        check=counts_both_roads,
    )

    def in_gcj02(frame: Callable[[], gpd.GeoDataFrame]) -> Callable[[], gpd.GeoDataFrame]:
        def make() -> gpd.GeoDataFrame:
            from geo.datum import wgs84_to_gcj02_frame

            return wgs84_to_gcj02_frame(frame(), what="test data")

        return make

    gcj = both(
        frame_file("regions.gpkg", in_gcj02(regions_frame)),
        frame_file("roads.geojson", in_gcj02(roads_frame)),
    )
    source_case(
        "gcj02-data-without-the-flag",
        "crs",
        "regions.gpkg",
        gcj,
        lines=("highways=roads.geojson",),
        expect="ok",
        check=counts_both_roads,
        note="both files are shifted alike: the count holds, the positions are ~500 m off",
    )
    add(
        "gcj02-flag-on-projected-data",
        "crs",
        frame_file("utm.gpkg", lambda: regions_frame().to_crs(32651)),
        crossings("utm.gpkg", options=("--datum", "gcj02")),
        says=("utm.gpkg", "projected CRS"),
        page="{d}/utm.gpkg",
        page_note="typed into the path box with the GCJ-02 box ticked (--datum gcj02)",
    )

    # --- coordinates: out of range, NaN, infinite, swapped ----------------------------
    source_case(
        "longitude-out-of-range",
        "coordinates",
        "far.geojson",
        features("far.geojson", two_regions(west=box_ring(500.8, SOUTH, 521.0, NORTH))),
        says=("far.geojson", "longitude"),
    )
    source_case(
        "latitude-out-of-range",
        "coordinates",
        "north.geojson",
        features("north.geojson", two_regions(east=box_ring(BORDER_LON, 95.0, EAST, 99.0))),
        says=("north.geojson", "latitude"),
    )
    source_case(
        "swapped-lat-lon",
        "coordinates",
        "swapped.gpkg",
        frame_file("swapped.gpkg", with_coordinates(regions_frame, swapped)),
        says=("swapped.gpkg", "swapped"),
    )
    source_case(
        "swapped-lat-lon-lines",
        "coordinates",
        "regions.geojson",
        both(good_regions(), frame_file("roads.gpkg", with_coordinates(roads_frame, swapped))),
        lines=("highways=roads.gpkg",),
        says=("roads.gpkg", "swapped"),
    )
    source_case(
        "nan-coordinate",
        "coordinates",
        "nan.gpkg",
        frame_file("nan.gpkg", with_coordinates(regions_frame, second_value(float("nan")))),
        says=("nan.gpkg",),
    )
    source_case(
        "infinite-coordinate",
        "coordinates",
        "inf.gpkg",
        frame_file("inf.gpkg", with_coordinates(regions_frame, second_value(float("inf")))),
        says=("inf.gpkg",),
    )
    source_case(
        "nan-in-geojson-text",
        "coordinates",
        "nan.geojson",
        features("nan.geojson", two_regions(west=[[float("nan"), SOUTH], *WEST_RING[1:]])),
        says=("nan.geojson",),
    )
    source_case(
        "nan-coordinate-in-a-line",
        "coordinates",
        "regions.geojson",
        both(
            good_regions(),
            frame_file("roads.gpkg", with_coordinates(roads_frame, second_value(float("nan")))),
        ),
        lines=("highways=roads.gpkg",),
        says=("roads.gpkg",),
    )

    source_case(
        "nan-in-geojson-ring-closed",
        "coordinates",
        "nan2.geojson",
        features(
            "nan2.geojson",
            two_regions(west=[WEST_RING[0], [float("nan"), SOUTH], *WEST_RING[2:]]),
        ),
        says=("nan2.geojson", "NaN"),
    )
    source_case(
        "infinite-in-a-line-geojson",
        "coordinates",
        "regions.geojson",
        both(
            good_regions(),
            features(
                "roads.geojson",
                two_roads([{"highway": "primary", "geometry": line((120.9, 30.9),
                                                                    (float("inf"), 30.9))}]),
            ),
        ),
        lines=("highways=roads.geojson",),
        says=("roads.geojson",),
    )

    def broken_wkt(folder: Path) -> None:
        frame_file("wkt.gpkg", regions_frame, driver="GPKG")(folder)
        with sqlite3.connect(folder / "wkt.gpkg") as db:
            db.execute(
                "UPDATE gpkg_spatial_ref_sys SET definition = 'GEOGCS[nonsense', "
                "organization = 'NONE', organization_coordsys_id = 0 WHERE srs_id = 4326"
            )
        db.close()

    source_case(
        "crs-wkt-unreadable",
        "crs",
        "wkt.gpkg",
        broken_wkt,
        expect="either",
        says=("wkt.gpkg",),
        check=counts_roads(),
    )
    source_case(
        "no-name-column",
        "names",
        "codes.geojson",
        features("codes.geojson", [{"NAME_1": "A", "geometry": polygon(WEST_RING)}]),
        says=("codes.geojson", "--name-field", "NAME_1"),
    )
    source_case(
        "line-file-without-tags",
        "columns",
        "regions.geojson",
        both(good_regions(), features("roads.geojson", [{"colour": "red", "geometry": G60}])),
        lines=("highways=roads.geojson",),
        says=("roads.geojson", "class"),
    )
    source_case(
        "line-file-of-unknown-layer",
        "columns",
        "regions.geojson",
        both(good_regions(), features("stuff.geojson", [{"colour": "red", "geometry": G60}])),
        lines=("stuff.geojson",),
        says=("stuff.geojson", "LAYER=PATH"),
        packed=Packed(expect="ok", check=warns("stuff", "not read", then=counts_roads())),
        page_note="packed, the file is the layer 'stuff': a line file's kind is told by its "
        "columns, a GeoPackage layer's by its name, so the layer is left out with a warning",
    )

    def folder_with_equals(folder: Path) -> None:
        good_regions()(folder)
        (folder / "as_of=2024").mkdir()
        good_roads()(folder / "as_of=2024")

    add(
        "line-file-in-a-folder-named-with-equals",
        "hostile names",
        folder_with_equals,
        ("crossings", "{d}/regions.geojson", "highways={d}/as_of=2024/roads.geojson",
         "--format", "json", "--out", "{out}/result.json"),
        expect="ok",
        check=counts_both_roads,
        on_page="packed",
        packed=Packed(name="as_of=2024/regions.gpkg"),
        page_note="packed into a GeoPackage in a folder named as_of=2024: the page takes "
        "the typed path whole, as the loader must",
    )

    # --- geometries: empty, null, invalid, one-point lines, 3-D, mixed -------------------
    source_case(
        "null-region-geometry",
        "geometry",
        "nulls.geojson",
        features("nulls.geojson", [*two_regions(), {"name": "Nowhere", "geometry": None}]),
        expect="ok",
        check=counts_roads(),
    )
    source_case(
        "empty-region-geometry",
        "geometry",
        "empties.gpkg",
        frame_file(
            "empties.gpkg",
            lambda: gpd.GeoDataFrame(
                {"name": ["Zhejiang", "Shanghai", "Nowhere"]},
                geometry=[*regions_frame().geometry, shapely.Polygon()],
                crs=4326,
            ),
        ),
        expect="ok",
        check=counts_roads(),
    )
    source_case(
        "all-geometries-null",
        "geometry",
        "void.geojson",
        features("void.geojson", [{"name": n, "geometry": None} for n in "AB"]),
        says=("void.geojson", "polygons"),
    )
    flat = [[WEST, SOUTH], [BORDER_LON, SOUTH], [120.9, SOUTH], [WEST, SOUTH]]
    source_case(
        "region-without-area",
        "geometry",
        "flat.geojson",
        both(features("flat.geojson", two_regions(west=flat)), good_roads()),
        lines=("highways=roads.geojson",),
        expect="ok",
        check=warns("no area", "Zhejiang", then=counts_roads()),
    )
    source_case(
        "no-region-with-area",
        "geometry",
        "flat.geojson",
        features(
            "flat.geojson",
            two_regions(west=flat, east=[[BORDER_LON, NORTH], [EAST, NORTH], [BORDER_LON, NORTH]]),
        ),
        says=("flat.geojson", "no polygon with an area"),
    )
    source_case(
        "no-features-at-all",
        "empty",
        "nothing.geojson",
        raw("nothing.geojson", '{"type": "FeatureCollection", "features": []}'),
        says=("nothing.geojson", "no features"),
    )
    source_case(
        "line-file-of-no-features",
        "empty",
        "regions.geojson",
        both(good_regions(), raw("roads.geojson", '{"type": "FeatureCollection", "features": []}')),
        lines=("highways=roads.geojson",),
        expect="ok",
        check=warns("roads.geojson", "no features", then=counts_roads()),
        packed=Packed(check=warns("highways", "no features", then=counts_roads())),
    )
    source_case(
        "self-intersecting-region",
        "geometry",
        "bowtie.geojson",
        features(
            "bowtie.geojson",
            two_regions(
                west=[[WEST, SOUTH], [BORDER_LON, NORTH], [BORDER_LON, SOUTH], [WEST, NORTH],
                      [WEST, SOUTH]]
            ),
        ),
        expect="ok",
        check=warns("repaired", then=lambda out: None),
    )
    source_case(
        "one-point-lines",
        "geometry",
        "regions.geojson",
        both(
            good_regions(),
            features(
                "roads.geojson",
                two_roads(
                    [
                        {"highway": "primary", "ref": "X1", "geometry": line((120.95, 30.9))},
                        {"highway": "primary", "ref": "X2",
                         "geometry": line((120.95, 30.9), (120.95, 30.9))},
                    ]
                ),
            ),
        ),
        lines=("highways=roads.geojson",),
        expect="ok",
        check=warns("2", "fewer than two"),
    )
    source_case(
        "null-and-empty-lines",
        "geometry",
        "regions.geojson",
        both(
            good_regions(),
            features(
                "roads.geojson",
                two_roads(
                    [
                        {"highway": "primary", "ref": "X1", "geometry": None},
                        {"highway": "primary", "ref": "X2",
                         "geometry": {"type": "LineString", "coordinates": []}},
                    ]
                ),
            ),
        ),
        lines=("highways=roads.geojson",),
        expect="ok",
        check=warns("2", "without a geometry"),
    )
    source_case(
        "three-d-regions-and-lines",
        "geometry",
        "regions.geojson",
        both(
            features(
                "regions.geojson",
                two_regions(
                    west=[[x, y, 12.5] for x, y in WEST_RING],
                    east=[[x, y, 3.0] for x, y in EAST_RING],
                ),
            ),
            features(
                "roads.geojson",
                [
                    {"highway": "motorway", "ref": "G60",
                     "geometry": line((120.9, 30.80, 5.0), (121.1, 30.84, 9.0))},
                    {"highway": "primary", "ref": "S1",
                     "geometry": line((120.9, 30.95, 1.0), (121.1, 30.91, 2.0))},
                ],
            ),
        ),
        lines=("highways=roads.geojson",),
        expect="ok",
        check=counts_both_roads,
    )
    source_case(
        "mixed-geometries",
        "geometry",
        "mixed.geojson",
        both(
            features(
                "mixed.geojson",
                [
                    *two_regions(),
                    {"name": "A point", "geometry": {"type": "Point", "coordinates": [121, 30.8]}},
                    {"name": "A line", "geometry": G60},
                    {"name": "A collection", "geometry": {
                        "type": "GeometryCollection",
                        "geometries": [{"type": "Point", "coordinates": [121, 30.8]}, S1]}},
                ],
            ),
            features(
                "roads.geojson",
                two_roads(
                    [
                        {"highway": "primary", "geometry": polygon(WEST_RING)},
                        {"highway": "primary",
                         "geometry": {"type": "Point", "coordinates": [121, 30.8]}},
                    ]
                ),
            ),
        ),
        lines=("highways=roads.geojson",),
        expect="ok",
        check=lambda out: None,
    )
    source_case(
        "lines-of-multilinestrings",
        "geometry",
        "regions.geojson",
        both(
            good_regions(),
            features(
                "roads.geojson",
                [
                    {"highway": "motorway", "ref": "G60", "geometry": {
                        "type": "MultiLineString",
                        "coordinates": [G60["coordinates"], [[121.15, 30.7], [121.15, 30.75]]]}},
                    {"highway": "primary", "ref": "S1", "geometry": S1},
                ],
            ),
        ),
        lines=("highways=roads.geojson",),
        expect="ok",
        check=counts_both_roads,
    )

    # --- region names: missing, empty, duplicated, hostile --------------------------------
    source_case(
        "null-region-names",
        "names",
        "unnamed.geojson",
        unnamed_regions(),
        says=("unnamed.geojson", "name"),
    )
    source_case(
        "empty-region-names",
        "names",
        "blank.geojson",
        features("blank.geojson", two_regions(east_name="   ")),
        says=("blank.geojson", "name"),
    )
    source_case(
        "only-one-region-name-duplicated",
        "names",
        "twins.geojson",
        both(features("twins.geojson", two_regions(east_name="Zhejiang")), good_roads()),
        lines=("highways=roads.geojson",),
        expect="ok",
        check=counts_roads(),
        note="parts with the same name are one region (dissolved): nothing crosses",
    )
    source_case(
        "numeric-region-names",
        "names",
        "codes.geojson",
        both(
            raw("codes.geojson", json.dumps({"type": "FeatureCollection", "features": [
                {"type": "Feature", "properties": {"name": 330000}, "geometry": polygon(WEST_RING)},
                {"type": "Feature", "properties": {"name": 310000}, "geometry": polygon(EAST_RING)},
            ]})),
            good_roads(),
        ),
        lines=("highways=roads.geojson",),
        expect="ok",
        check=names_kept("330000", "310000"),
    )
    for label, hostile in HOSTILE_NAMES.items():
        source_case(
            f"hostile-name-{label}",
            "hostile names",
            "regions.geojson",
            both(features("regions.geojson", two_regions(east_name=hostile)), good_roads()),
            lines=("highways=roads.geojson",),
            expect="ok",
            check=names_kept("Zhejiang", hostile),
        )
    source_case(
        "hostile-names-in-a-geopackage",
        "hostile names",
        "hostile.gpkg",
        gpkg_layers(
            "hostile.gpkg",
            regions=lambda: regions_frame((HOSTILE_NAMES["script"], HOSTILE_NAMES["rtl"])),
            highways=roads_frame,
        ),
        expect="ok",
        check=names_kept(HOSTILE_NAMES["script"], HOSTILE_NAMES["rtl"]),
    )
    source_case(
        "nul-in-region-name",
        "hostile names",
        "nul.geojson",
        features("nul.geojson", two_regions(east_name="Shang\u0000hai")),
        expect="either",
        check=counts_roads(),
    )
    source_case(
        "hostile-names-in-osm",
        "hostile names",
        "hostile.osm",
        raw("hostile.osm", osm_xml(names=(HOSTILE_NAMES["script"], HOSTILE_NAMES["template"]))),
        expect="ok",
        check=counts_osm_road,
    )
    source_case(
        "non-utf8-geojson",
        "encoding",
        "latin1.geojson",
        raw(
            "latin1.geojson",
            json.dumps(
                {"type": "FeatureCollection", "features": [
                    {"type": "Feature", "properties": {"name": "Zhéjiang"},
                     "geometry": polygon(WEST_RING)},
                    {"type": "Feature", "properties": {"name": "Shànghǎi"},
                     "geometry": polygon(EAST_RING)}]},
                ensure_ascii=False,
            ).encode("latin-1", errors="replace"),
        ),
        expect="either",
        says=("latin1.geojson",),
        check=lambda out: None,
    )
    source_case(
        "utf16-geojson",
        "encoding",
        "utf16.geojson",
        raw("utf16.geojson", text.encode("utf-16")),
        says=("utf16.geojson",),
    )

    def hostile_file_name(name: str) -> Writer:
        return both(raw(name, text.encode()), good_roads())

    for label, name in (
        ("script", "<script>alert(1)<script>.geojson"),
        ("template", "{{7*7}}.geojson"),
        ("rtl", "\u202egpj.geojson"),
        ("long", "r" * 240 + ".geojson"),
        ("spaces-and-quotes", "my 'boundaries' \"2024\".geojson"),
    ):
        source_case(
            f"hostile-file-name-{label}",
            "hostile names",
            name,
            hostile_file_name(name),
            lines=("highways=roads.geojson",),
            expect="ok",
            check=counts_both_roads,
            page_note="packed into a GeoPackage of the same name, with .gpkg for .geojson",
        )
    source_case(
        "missing-line-file-in-hostile-folder",
        "hostile names",
        "regions.geojson",
        good_regions(),
        lines=("highways=<b>nowhere<b>.geojson",),
        says=("does not exist",),
        on_page="path box",
        page="{d}/<b>nowhere<b>.geojson",
        page_note="nothing to pack: the missing file's path is typed into the path box",
    )

    # --- Shapefile zips -------------------------------------------------------------------
    for part in (".shx", ".dbf", ".shp"):
        source_case(
            f"shapefile-zip-without{part}",
            "shapefile zip",
            "regions.zip",
            shapefile_zip("regions.zip", leave_out=(part,)),
            says=("regions.zip", "Shapefile"),
        )
    source_case(
        "shapefile-zip-complete",
        "shapefile zip",
        "regions.zip",
        both(shapefile_zip("regions.zip"), good_roads()),
        lines=("highways=roads.geojson",),
        expect="ok",
        check=counts_both_roads,
    )
    source_case(
        "zip-of-a-readme",
        "shapefile zip",
        "readme.zip",
        zipped("readme.zip", {"README.txt": b"nothing here\n"}),
        says=("readme.zip",),
    )
    source_case(
        "zip-slip",
        "shapefile zip",
        "slip.zip",
        zipped(
            "slip.zip",
            {
                "../../evil.geojson": text.encode(),
                "/tmp/jiegui-evil.geojson": text.encode(),
                "regions/../../../evil.txt": b"x",
            },
        ),
        expect="either",
        check=counts_roads(),
        note="nothing may be written outside; reading the member is fine",
    )
    source_case(
        "nested-zip",
        "shapefile zip",
        "nested.zip",
        zipped("nested.zip", {"inner.zip": shapefile_zip("inner.zip")}),
        says=("nested.zip",),
    )
    source_case(
        "zip-bomb",
        "bomb",
        "bomb.zip",
        bomb("bomb.zip", "regions.geojson", 100_000_000),
        expect="either",
        check=counts_roads(),
        subprocess=True,
        note="100 MB of spaces in 100 kB; another part of the project limits decompression",
    )
    source_case(
        "gzip-bomb-osm",
        "bomb",
        "bomb.osm.gz",
        compressed(
            "bomb.osm.gz",
            osm_xml().replace("</osm>", " " * 150_000_000 + "</osm>").encode(),
            lambda b: gzip.compress(b, 9, mtime=0),
        ),
        expect="either",
        check=counts_osm_road,
        note="150 MB of spaces in an OSM file",
    )

    # --- GeoPackages ------------------------------------------------------------------------
    source_case(
        "gpkg-without-layers",
        "geopackage",
        "nothing.gpkg",
        gpkg_without_layers("nothing.gpkg"),
        says=("nothing.gpkg",),
    )
    source_case(
        "gpkg-attributes-only",
        "geopackage",
        "table.gpkg",
        gpkg_attributes_only("table.gpkg"),
        says=("table.gpkg",),
    )
    source_case(
        "plain-sqlite-named-gpkg",
        "geopackage",
        "db.gpkg",
        sqlite_file("db.gpkg", "CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);"),
        says=("db.gpkg",),
    )
    source_case(
        "gpkg-lines-but-no-regions",
        "geopackage",
        "roads.gpkg",
        gpkg_layers("roads.gpkg", highways=roads_frame),
        says=("roads.gpkg", "no region polygons"),
    )

    # --- OpenStreetMap files ----------------------------------------------------------------
    source_case(
        "osm-good-control",
        "osm",
        "good.osm",
        raw("good.osm", osm_xml()),
        expect="ok",
        check=counts_osm_road,
    )
    source_case(
        "osm-latitude-out-of-range",
        "osm",
        "far.osm",
        raw("far.osm", osm_xml(nodes={4: (WEST, 95.0), 3: (BORDER_LON, 95.0)})),
        says=("far.osm", "latitude"),
    )
    source_case(
        "osm-longitude-out-of-range",
        "osm",
        "far.osm",
        raw("far.osm", osm_xml(nodes={5: (200.0, SOUTH), 6: (200.0, NORTH)})),
        says=("far.osm", "longitude"),
    )
    source_case(
        "osm-swapped-lat-lon",
        "osm",
        "swapped.osm",
        raw("swapped.osm", osm_xml(nodes={k: (lat, lon) for k, (lon, lat) in {
            1: (WEST, SOUTH), 2: (BORDER_LON, SOUTH), 3: (BORDER_LON, NORTH), 4: (WEST, NORTH),
            5: (EAST, SOUTH), 6: (EAST, NORTH), 20: (120.9, 30.85), 21: (121.1, 30.85)}.items()})),
        says=("swapped.osm",),
    )
    source_case(
        "osm-missing-nodes",
        "osm",
        "holes.osm",
        raw("holes.osm", osm_xml(drop_nodes=(3, 4, 20))),
        says=("assembled", "member ways are missing"),
    )
    source_case(
        "osm-nan-coordinates",
        "osm",
        "nan.osm",
        raw("nan.osm", osm_xml(nodes={4: ("nan", "nan")})),
        says=("nan.osm",),
    )
    source_case(
        "osm-no-boundaries",
        "osm",
        "roads.osm",
        raw("roads.osm", "<osm version='0.6'><node id='1' lat='30' lon='120'/></osm>"),
        says=("boundary relations",),
    )
    source_case(
        "osm-entity-expansion",
        "osm",
        "laughs.osm",
        raw(
            "laughs.osm",
            osm_xml(
                prolog="<?xml version='1.0'?>\n<!DOCTYPE osm [<!ENTITY a 'aaaaaaaaaa'>"
                + "".join(f"<!ENTITY {c} '&{p};&{p};&{p};&{p};&{p};&{p};&{p};&{p};&{p};&{p};'>"
                          for p, c in zip("abcdefgh", "bcdefghi"))
                + "]>",
                names=("&i;", "Shanghai"),
            ).replace("\"&amp;i;\"", "\"&i;\""),
        ),
        says=("laughs.osm",),
    )
    source_case(
        "osm-one-node-boundary-way",
        "osm",
        "stub.osm",
        raw("stub.osm", osm_xml().replace("<nd ref='2'/><nd ref='3'/>", "<nd ref='2'/>", 1)),
        expect="either",
        check=counts_osm_road,
    )
    source_case(
        "osm-admin-level-not-a-number",
        "osm",
        "levels.osm",
        raw("levels.osm", osm_xml().replace("v='4'", "v='four'")),
        says=("boundary relations",),
    )
    source_case(
        "pbf-good-control",
        "osm",
        "good.osm.pbf",
        osm_pbf("good.osm.pbf"),
        expect="ok",
        check=counts_osm_road,
    )

    # --- fetched packages ------------------------------------------------------------------
    source_case("package-control", "package", "border.gpkg", package(), expect="ok",
                check=counts_both_roads)
    source_case(
        "package-manifest-not-json",
        "package",
        "border.gpkg",
        package(manifest='{"source": {"data_timestamp": "2024'),
        says=("border.manifest.json",),
    )
    source_case(
        "package-manifest-a-list",
        "package",
        "border.gpkg",
        package(manifest="[1, 2, 3]"),
        says=("border.manifest.json",),
    )
    source_case(
        "package-manifest-wrong-shape",
        "package",
        "border.gpkg",
        package(manifest=json.dumps({"source": "osm", "regions": {"warnings": "none"}})),
        says=("border.manifest.json",),
    )
    source_case(
        "package-manifest-not-utf8",
        "package",
        "border.gpkg",
        package(manifest='{"attribution": "Données ©"}'.encode("latin-1")),
        says=("border.manifest.json",),
    )
    source_case(
        "package-manifest-timestamp-a-number",
        "package",
        "border.gpkg",
        package(manifest=json.dumps({"source": {"data_timestamp": 2024}, "attribution": 7})),
        says=("border.manifest.json",),
    )
    for column in ("b", "kind", "a"):
        source_case(
            f"package-stretches-without-{column}",
            "package",
            "border.gpkg",
            package(stretches=drop_column(column)),
            says=("border.gpkg", "border_stretches", repr(column)),
        )
    source_case(
        "package-regions-without-name",
        "package",
        "border.gpkg",
        package(regions=drop_column("name")),
        says=("border.gpkg", "regions", "'name'"),
    )
    source_case(
        "package-regions-empty",
        "package",
        "border.gpkg",
        package(regions=lambda frame: frame.iloc[0:0]),
        says=("border.gpkg", "regions"),
    )
    source_case(
        "package-layer-without-class",
        "package",
        "border.gpkg",
        package(highways=drop_column("class")),
        says=("border.gpkg", "class"),
    )

    # --- numeric options ------------------------------------------------------------------
    good_osm = raw("good.osm", osm_xml())
    for option, value, word in (
        ("--band-km", "nan", "--band-km"),
        ("--band-km", "inf", "--band-km"),
        ("--band-km", "-2", "--band-km"),
        ("--band-km", "0", "--band-km"),
        ("--sea-gap-km", "nan", "--sea-gap-km"),
        ("--sea-gap-km", "-1", "--sea-gap-km"),
        ("--timeout", "nan", "--timeout"),
        ("--timeout", "0", "--timeout"),
    ):
        add(
            f"fetch{option}={value}",
            "numeric option",
            good_osm,
            fetch_osm("good.osm", option, value),
            says=(word,),
            on_page="widget",
            page_note=WIDGET,
        )
    regions_and_roads = both(good_regions(), good_roads())
    for option, value, word in (
        ("--rule", "along_band_m=nan", "along_band_m"),
        ("--rule", "maritime_gap_m=inf", "maritime_gap_m"),
        ("--rule", "noise_m=-5", "noise_m"),
        ("--as-of", "99999", "--as-of"),
        ("--as-of", "-40", "--as-of"),
        ("--admin-level", "-3", "--admin-level"),
    ):
        add(
            f"crossings{option}={value}",
            "numeric option",
            regions_and_roads,
            crossings("regions.geojson", "highways=roads.geojson", options=(option, value)),
            says=(word,),
            on_page="widget",
            page_note=WIDGET,
        )

    # --- fetch --osm-file on bad OSM files (offline) -----------------------------------
    add(
        "fetch-good-control",
        "fetch",
        good_osm,
        fetch_osm("good.osm", "--region", "Zhejiang"),
        expect="ok",
        on_page="fetch panel",
        page_note=FETCH_PANEL,
    )
    add(
        "fetch-truncated-pbf",
        "fetch",
        osm_pbf("cut.osm.pbf", cut=0.6),
        fetch_osm("cut.osm.pbf"),
        says=("cut.osm.pbf",),
        subprocess=True,
        on_page="fetch panel",
        page_note=FETCH_PANEL,
    )
    add(
        "fetch-osm-out-of-range",
        "fetch",
        raw("far.osm", osm_xml(nodes={4: (WEST, 95.0), 3: (BORDER_LON, 95.0)})),
        fetch_osm("far.osm"),
        says=("far.osm", "latitude"),
        on_page="fetch panel",
        page_note=FETCH_PANEL,
    )
    add(
        "fetch-osm-corrupt",
        "fetch",
        raw("noise.osm.bz2", noise(3000)),
        fetch_osm("noise.osm.bz2"),
        says=("noise.osm.bz2",),
        on_page="fetch panel",
        page_note=FETCH_PANEL,
    )
    add(
        "fetch-boundaries-with-null-names",
        "fetch",
        both(
            good_osm,
            unnamed_regions(),
        ),
        ("fetch", "--boundaries", "{d}/unnamed.geojson", "--osm-file", "{d}/good.osm",
         "--layers", "highways", "--out", "{out}/border.gpkg"),
        says=("unnamed.geojson", "name"),
        on_page="fetch panel",
        page_note=FETCH_PANEL,
    )
    add(
        "fetch-boundaries-broken-package",
        "fetch",
        both(good_osm, package(stretches=drop_column("kind"))),
        ("fetch", "--boundaries", "{d}/border.gpkg", "--osm-file", "{d}/good.osm",
         "--layers", "highways", "--out", "{out}/again.gpkg"),
        says=("border.gpkg", "border_stretches"),
        on_page="fetch panel",
        page_note=FETCH_PANEL,
    )
    # The boundaries are fine and only the road is out of range: the layers' own check
    # (osmnx on .osm, pyosmium on .osm.pbf), not the regions', has to see it.
    far_road = osm_xml(nodes={20: (120.9, 95.0), 21: (121.1, 95.0)})
    add(
        "fetch-osm-highway-out-of-range",
        "fetch",
        raw("far.osm", far_road),
        fetch_osm("far.osm"),
        says=("far.osm", "latitude", "node 20"),
        on_page="fetch panel",
        page_note=FETCH_PANEL,
    )
    add(
        "fetch-pbf-highway-out-of-range",
        "fetch",
        osm_pbf("far.osm.pbf", far_road),
        fetch_osm("far.osm.pbf"),
        says=("far.osm.pbf", "latitude", "node 20"),
        on_page="fetch panel",
        page_note=FETCH_PANEL,
    )
    add(
        "fetch-osm-nan-read-by-osmnx",
        "fetch",
        both(good_regions(), raw("nan.osm", osm_xml(nodes={21: (121.1, "nan")}))),
        fetch_osm("nan.osm", "--boundaries", "{d}/regions.geojson"),
        says=("nan.osm", "not a number"),
        on_page="fetch panel",
        page_note=FETCH_PANEL,
    )
    return cases


#: Why a file whose name is not UTF-8 runs through the page from the data folder's list.
UNTYPABLE = (
    "a browser sends UTF-8 text, so no such name can be typed or uploaded; the page lists "
    "the data folder's files in hosted mode, this one among them"
)


def non_utf8_file_name_case() -> BadInput:
    """A file whose name is not UTF-8 (Linux allows any bytes but ``/`` and NUL)."""
    name = os.fsdecode(b"r\xe9gions.geojson")
    return BadInput(
        "non-utf8-file-name",
        "hostile names",
        lambda d: (d / name).write_bytes(geojson_text(regions_frame()).encode()),
        crossings(name),
        says=("not valid UTF-8", "rename"),
        subprocess=True,
        on_page="data folder list",
        page_note=UNTYPABLE,
    )


def non_utf8_osm_file_name_case() -> BadInput:
    """An OSM file whose name is not UTF-8."""
    name = os.fsdecode(b"extr\xe4kt.osm")
    return BadInput(
        "non-utf8-osm-file-name",
        "hostile names",
        raw(name, osm_xml()),
        crossings(name),
        says=("not valid UTF-8", "rename"),
        on_page="data folder list",
        page_note=UNTYPABLE,
    )


def path_with_nul_case() -> BadInput:
    """A path holding a NUL character (no file can have one; only in-process and the page)."""
    return BadInput(
        "path-with-nul",
        "hostile names",
        good_regions(),
        ("crossings", "{d}/regions\x00.geojson", "--format", "json"),
        says=("does not exist",),
        page="{d}/regions\x00.geojson",
    )


def everything() -> list[BadInput]:
    """The corpus with the inputs whose names only a command line can give."""
    return [*corpus(), non_utf8_file_name_case(), non_utf8_osm_file_name_case(),
            path_with_nul_case()]


def write_all(folder: Path) -> None:
    """Write every input into ``folder/<name>/``."""
    for case in everything():
        target = folder / case.name
        target.mkdir(parents=True)
        case.write(target)


if __name__ == "__main__":
    write_all(Path(sys.argv[1]))
