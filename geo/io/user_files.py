"""The user's own GIS files: region polygons and line layers (GeoJSON, GeoPackage, Shapefile).

Line files may carry OpenStreetMap tags (a ``highway``/``railway``/``waterway``/``man_made``
column: they are normalised by the layer's rules) or Jiegui's own schema (a ``class``
column, as Jiegui exports it). Nothing the user gives is modified.

Files in the GCJ-02 or BD-09 datum (Chinese commercial data, see :mod:`geo.datum`) are converted to
WGS84 right after reading when the user says so (:func:`to_wgs84_datum`), and every
converted feature's ``source`` says so (:func:`mark_converted`).

pyogrio (and with it GDAL) is imported inside the functions that read: counting an
OpenStreetMap file never loads it.
"""

from __future__ import annotations

import os
import re
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj.exceptions import CRSError as ProjCRSError
from shapely.errors import GEOSException

from geo import settings
from geo.datum import (
    GCJ02_DATUM,
    WGS84_DATUM,
    check_datum,
    converted_note,
    to_wgs84_frame,
    vertex_shifts_m,
)
from geo.errors import InputFileError, short_reason
from geo.io.dbf_text import TEXT_ENCODING, shapefile_text_encoding
from geo.io.input_limits import check_zip_file
from geo.io.normalised import normalised_frame
from geo.io.validate import UNREADABLE
from geo.labels import LAYER_LABELS
from geo.projection import require_crs
from geo.text import Bilingual
from layers import COMMON_COLUMNS, REGISTRY, LayerSpec

VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip", ".fgb")
BOUNDARY_LAYER_NAMES = ("regions", "boundaries", "provinces")
#: The end of a sentence about a file that cannot be read.
GIVE_GIS_FILE = Bilingual(
    "give a GeoJSON, GeoPackage or (zipped) Shapefile",
    "请提供 GeoJSON、GeoPackage 或（压缩的）Shapefile 文件",
)


def _read_errors() -> tuple[type[Exception], ...]:
    """What the readers raise for a file they cannot read (pyproj's for a CRS it cannot parse)."""
    from pyogrio.errors import DataLayerError, DataSourceError

    return (DataSourceError, DataLayerError, ProjCRSError)


def is_vector_file(path: str | Path) -> bool:
    """Whether ``path`` names a vector file Jiegui reads."""
    return str(path).lower().endswith(VECTOR_SUFFIXES)


def read_vector(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a vector file (a zipped Shapefile too) without modifying it.

    Geometries the reader cannot parse (a polygon ring that is not closed, a line of one
    point) are read as None; how many is kept in ``frame.attrs[UNREADABLE]`` (see
    :mod:`geo.io.validate`, which says what becomes of them). A Shapefile whose text's
    encoding nothing names is read in the one its text decodes in, kept in
    ``frame.attrs[TEXT_ENCODING]`` (:mod:`geo.io.dbf_text`). A zip archive is first
    inflated and counted (:func:`geo.io.input_limits.check_zip_file`), and at most
    :data:`geo.settings.MAX_FEATURES` features are read, so that a compression bomb or an
    oversized file ends in seconds.

    Raises
    ------
    InputFileError
        When the file is missing, empty, damaged, of another format, not UTF-8 text, a
        zip without a whole Shapefile, or a table without geometries.
    InputTooLargeError
        When a zip archive expands past the limits, or the layer holds more features than
        :data:`geo.settings.MAX_FEATURES`.
    """
    path = Path(path)
    check_file_name(path)
    if not path.is_file():
        raise InputFileError(
            Bilingual(
                f"File {path.name!r} does not exist; check the path.",
                f"找不到文件 {path.name!r}，请检查路径。",
            )
        )
    if path.stat().st_size == 0:
        raise InputFileError(
            Bilingual(
                f"{path.name} is empty (0 bytes); {GIVE_GIS_FILE.en}.",
                f"{path.name} 是空文件（0 字节），{GIVE_GIS_FILE.zh}。",
            )
        )
    if path.suffix.lower() == ".zip":
        check_zip_members(path)
    target = _gdal_target(path)  # a zip is counted against the limits first ...
    refuse_references(path)  # ... which also bound the reading of its members' heads
    most = settings.MAX_FEATURES.value()
    if _feature_count(target, layer) > most:  # said before reading, when GDAL knows
        raise settings.MAX_FEATURES.exceeded(_too_many(path, layer))
    encoding = shapefile_text_encoding(path, layer)
    frame = _read_frame(path, target, layer, encoding)
    if not isinstance(frame, gpd.GeoDataFrame):
        inside = f"its layer {layer!r}" if layer else "it"
        inside_zh = f"其中的 {layer!r} 图层" if layer else "它"
        raise InputFileError(
            Bilingual(
                f"{path.name} holds no geometries ({inside} is a table without a geometry "
                f"column); {GIVE_GIS_FILE.en} of features.",
                f"{path.name} 中没有几何图形（{inside_zh}是没有几何列的表格），"
                f"{GIVE_GIS_FILE.zh}，且须含有地理要素。",
            )
        )
    if len(frame) > most:
        raise settings.MAX_FEATURES.exceeded(_too_many(path, layer))
    if encoding is not None:
        frame.attrs[TEXT_ENCODING] = encoding
    return frame


def _too_many(path: Path, layer: str | None) -> Bilingual:
    """The start of the sentence for a layer with more features than the limit."""
    where = f"The layer {layer} of {path.name}" if layer else path.name
    where_zh = f"{path.name} 的 {layer} 图层" if layer else path.name
    return Bilingual(f"{where} holds too many features", f"{where_zh} 中的要素太多")


def _gdal_target(path: Path) -> str:
    """What GDAL opens for ``path``: a zip archive is counted against the limits first."""
    if path.suffix.lower() != ".zip":
        return str(path)
    check_zip_file(path)
    return f"zip://{path}"


def _feature_count(target: str, layer: str | None) -> int:
    """How many features GDAL says the layer holds; -1 when it cannot say or read it.

    Asked before reading rather than reading with ``max_features``, which makes pyogrio
    allocate arrays of that length up front.
    """
    import pyogrio

    unread: tuple[type[Exception], ...] = (
        *_read_errors(),
        ValueError,
        IndexError,
        KeyError,
        TypeError,
        UnboundLocalError,
    )
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"pyogrio\.")
            return int(pyogrio.read_info(target, layer=layer)["features"])
    except unread:
        return -1  # the reader itself then says what is wrong


def _read_frame(
    path: Path, target: str, layer: str | None, encoding: str | None = None
) -> gpd.GeoDataFrame:
    """Read ``target`` (``path``, or a ``zip://`` address of it), mapping the readers' errors.

    ``encoding``: the text's, when GDAL's own choice is not kept (:mod:`geo.io.dbf_text`).
    """
    unread: tuple[type[Exception], ...] = (*_read_errors(), ValueError)
    extra: dict[str, Any] = {} if encoding is None else {"encoding": encoding}
    try:
        return _read(target, layer, **extra)
    except GEOSException:
        pass  # some geometry cannot be parsed: read it as None, below
    except UnicodeDecodeError as exc:
        reason = short_reason(exc)
        raise InputFileError(
            Bilingual(
                f"{path.name} holds text that is not UTF-8 ({reason}); save it with "
                "UTF-8 text (GeoJSON must be UTF-8).",
                f"{path.name} 中有不是 UTF-8 编码的文字，"
                "请以 UTF-8 编码保存（GeoJSON 必须是 UTF-8）。",
            )
        ) from None
    except unread as exc:
        why = _reason(exc, path)
        raise InputFileError(
            Bilingual(
                f"Could not read {path.name} as a GIS file ({why.en}); {GIVE_GIS_FILE.en}.",
                f"无法把 {path.name} 作为 GIS 文件读取（{why.zh}），{GIVE_GIS_FILE.zh}。",
            )
        ) from None
    except IndexError:  # pyogrio's way of saying that GDAL opened it but found no layer
        raise InputFileError(
            Bilingual(
                f"Could not read {path.name} as a GIS file (GDAL finds no layer in it: "
                f"damaged, or a Shapefile without its .shx); {GIVE_GIS_FILE.en}.",
                f"无法把 {path.name} 作为 GIS 文件读取（GDAL 在其中找不到图层：文件已损坏，"
                f"或是缺少 .shx 的 Shapefile），{GIVE_GIS_FILE.zh}。",
            )
        ) from None
    except UnboundLocalError:  # pyogrio 0.13, on a coordinate system it cannot decode
        raise InputFileError(
            Bilingual(
                f"Could not read {path.name} as a GIS file (its coordinate reference system, "
                f"e.g. a Shapefile's .prj, is damaged); {GIVE_GIS_FILE.en}.",
                f"无法把 {path.name} 作为 GIS 文件读取（其坐标参考系已损坏，"
                f"例如 Shapefile 的 .prj 文件），{GIVE_GIS_FILE.zh}。",
            )
        ) from None
    frame = _read(target, layer, on_invalid="ignore", **extra)
    frame.attrs[UNREADABLE] = _unreadable(target, layer)
    return frame


def _read(target: str, layer: str | None, **kwargs: Any) -> gpd.GeoDataFrame:
    """``geopandas.read_file`` through pyogrio (GDAL's format warnings silenced, see below)."""
    with warnings.catch_warnings():
        # GDAL's remarks on a file it reads anyway ("non conformant file extension", "Non
        # closed ring detected") or fails to read (then the error says it) would reach the
        # command line's stderr as Python warnings, beside or instead of its one sentence.
        warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"pyogrio\.")
        warnings.filterwarnings("ignore", message="Invalid WKB", category=RuntimeWarning)
        # NaN coordinates: geo.io.validate.check_coordinates says so, in one sentence.
        warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
        return gpd.read_file(target, layer=layer, engine="pyogrio", **kwargs)


def _unreadable(target: str, layer: str | None) -> int:
    """How many geometries of a file GDAL hands over that shapely cannot parse."""
    import pyogrio.raw

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"pyogrio\.")
        wkb = pyogrio.raw.read(target, layer=layer, columns=[])[2]
    if wkb is None:
        return 0
    present = np.array([g is not None for g in wkb], dtype=bool)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
        parsed = shapely.from_wkb(wkb, on_invalid="ignore")
    return int((present & shapely.is_missing(parsed)).sum())


def _reason(exc: Exception, path: Path) -> Bilingual:
    """A reader's complaint, without the file's full path or GDAL's hint about drivers.

    The usual ones in both languages; any other as the reader words it (in both).
    """
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = text.split("; It might help")[0].split(".; ")[0].rstrip(".")
    for full in (f"/vsizip/{path}", f"/vsizip/{path.resolve()}", str(path.resolve()), str(path)):
        text = text.replace(full, path.name)
    if "not recognized as being in a supported file format" in text:
        return Bilingual(
            "not a format GDAL recognises: damaged, or another format under this name",
            "GDAL 识别不出它的格式：文件已损坏，或是改了扩展名的其他格式",
        )
    sqlite = re.search(r"sqlite3_\w+\(.*\) failed: ([^;]+)", text)
    if sqlite:  # GDAL quotes the SQL that failed on a damaged GeoPackage
        detail = sqlite.group(1).strip()
        return Bilingual(f"a damaged GeoPackage: {detail}", "GeoPackage 已损坏")
    return Bilingual(short_reason(ValueError(text)), "文件内容有误，或已损坏")


def shown_name(name: str) -> str:
    r"""A file name as text that can be shown anywhere: bytes that are not UTF-8 as ``\xNN``.

    Linux allows any bytes in a name; Python hands those that are not UTF-8 over as lone
    surrogates (``os.fsdecode``), which no UTF-8 text (a page, a protobuf message) can hold.
    ``"r\udce9gions.geojson"`` is shown as ``r\xe9gions.geojson``.
    """
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def check_file_name(path: Path) -> None:
    """Refuse a file name that is not valid UTF-8 (Linux allows any bytes; GDAL does not).

    Raises
    ------
    InputFileError
        Naming the file with its odd bytes escaped (:func:`shown_name`).
    """
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        shown = shown_name(path.name)
        raise InputFileError(
            Bilingual(
                f"The file name {shown} is not valid UTF-8 text; rename the file (or its folder).",
                f"文件名 {shown} 不是有效的 UTF-8 文本，请给文件（或其所在文件夹）改名。",
            )
        ) from None


#: What GDAL looks for to open a file as a VRT, whatever its name: a list of other files
#: (or URLs) to read. A file a user hands over must not make the server read others.
_VRT_MARKS = (b"<ogrvrtdatasource", b"<vrtdataset")
_HEAD_BYTES = 64 * 1024


def _is_vrt(head: bytes, name: str) -> bool:
    return name.lower().endswith(".vrt") or any(m in head.lower() for m in _VRT_MARKS)


def refuse_references(path: Path) -> None:
    """Refuse a GDAL VRT file, or a zip holding one, before GDAL opens it.

    A VRT names other files or URLs for GDAL to read: given as a user's file (under any
    name, e.g. ``x.geojson``, since GDAL knows it by its content), it would make the server
    read files the user names. Only the first 64 KB of each file are looked at.

    Raises
    ------
    InputFileError
        When the file, or a member of the zip, is a VRT.
    """
    heads: list[tuple[str, bytes]] = []
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    with archive.open(info) as member:
                        heads.append((info.filename, member.read(_HEAD_BYTES)))
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            ValueError,
            NotImplementedError,
            EOFError,
            RuntimeError,
        ):  # damaged or encrypted: the reader says so
            return
    else:
        with path.open("rb") as file:
            heads.append((path.name, file.read(_HEAD_BYTES)))
    for name, head in heads:
        if _is_vrt(head, name):
            shown = Path(name).name
            raise InputFileError(
                Bilingual(
                    f"{shown} is a GDAL VRT file (a list of other files to read), which "
                    f"Jiegui does not open; {GIVE_GIS_FILE.en} holding the features themselves.",
                    f"{shown} 是 GDAL VRT 文件（列出要读取的其他文件），接轨不打开这类文件；"
                    f"{GIVE_GIS_FILE.zh}，且须直接包含地理要素。",
                )
            )


def _outside(member: str) -> bool:
    """Whether a zip member's name points outside the archive's folder (zip-slip)."""
    parts = member.replace("\\", "/").split("/")
    return member.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]


def check_zip_members(path: Path) -> None:
    """Refuse a zip that holds no whole Shapefile or GIS file, or names outside itself.

    Only the zip's table of contents is read. A Shapefile needs its ``.shp``, ``.shx`` and
    ``.dbf`` (and its ``.prj`` for a CRS, which a later check asks for).

    Raises
    ------
    InputFileError
        When it is not a zip, holds names such as ``../x`` or ``/x``, or holds no
        ``.shp`` (or other GIS file) or a ``.shp`` without its ``.shx`` or ``.dbf``.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputFileError(
            Bilingual(
                f"{path.name} is not a zip archive (damaged, or another format under a .zip "
                "name); give a zipped Shapefile.",
                f"{path.name} 不是 zip 压缩包（已损坏，或是改了 .zip 扩展名的其他格式），"
                "请提供压缩的 Shapefile。",
            )
        ) from None
    outside = [n for n in names if _outside(n)]
    if outside:
        raise InputFileError(
            Bilingual(
                f"{path.name} holds a file named outside the archive ({outside[0]!r}); zip the "
                "Shapefile's files alone, without folders above them.",
                f"{path.name} 中有文件指向压缩包以外的位置（{outside[0]!r}），"
                "请只压缩 Shapefile 的各个文件本身，不要带上层文件夹。",
            )
        )
    lower = {n.lower() for n in names}
    shapefiles = sorted(n for n in names if n.lower().endswith(".shp"))
    for shp in shapefiles:
        stem = shp[:-4]
        missing = [s for s in (".shx", ".dbf") if (stem + s).lower() not in lower]
        if missing:
            raise InputFileError(
                Bilingual(
                    f"{path.name} holds {Path(shp).name} without its {' and '.join(missing)}; "
                    "zip the Shapefile with all its files (.shp, .shx, .dbf and .prj).",
                    f"{path.name} 中的 {Path(shp).name} 缺少 {'、'.join(missing)}，"
                    "请把 Shapefile 的全部文件（.shp、.shx、.dbf 和 .prj）一起压缩。",
                )
            )
    others = [n for n in lower if n.endswith((".geojson", ".json", ".gpkg", ".fgb"))]
    if not shapefiles and not others:
        raise InputFileError(
            Bilingual(
                f"{path.name} holds no Shapefile (a .shp with its .shx and .dbf) or other GIS "
                "file; zip the Shapefile's files.",
                f"{path.name} 中没有 Shapefile（带 .shx 和 .dbf 的 .shp）或其他 GIS 文件，"
                "请压缩 Shapefile 的各个文件。",
            )
        )


def to_wgs84_datum(
    frame: gpd.GeoDataFrame, *, datum: str, what: str | Bilingual
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Bring features read in ``datum`` to WGS84 coordinates.

    Parameters
    ----------
    frame
        The features as read.
    datum
        ``"wgs84"`` (returned as they are), ``"gcj02"`` or ``"bd09"`` (converted; the frame
        must be in a geographic CRS, or have none, which is then declared EPSG:4326).
    what
        How to name the input in error messages, e.g. ``"The highways file roads.geojson"``.

    Returns
    -------
    (GeoDataFrame, numpy.ndarray)
        The features (same CRS) and how far each vertex moved, in metres (empty when
        nothing was converted).

    Raises
    ------
    CRSError
        If GCJ-02 or BD-09 data is in a projected CRS.
    """
    if check_datum(datum) == WGS84_DATUM:
        return frame, np.zeros(0)
    converted = to_wgs84_frame(frame, datum=datum, what=what)
    return converted, vertex_shifts_m(frame.geometry, converted.geometry)


def mark_converted(frame: gpd.GeoDataFrame, datum: str = GCJ02_DATUM) -> gpd.GeoDataFrame:
    """Append "converted from GCJ-02 to WGS84" to the ``source`` of every feature (a copy).

    For ``datum="bd09"``, "converted from BD-09 to WGS84" (:func:`geo.datum.converted_note`).
    """
    note = converted_note(datum)
    out = frame.copy()
    sources = out["source"] if "source" in out.columns else pd.Series("", index=out.index)
    out["source"] = [
        f"{s}; {note}" if isinstance(s, str) and s else note for s in sources
    ]
    return out


def file_layers(path: str | Path, *, with_geometry: bool = False) -> list[str]:
    """Names of the layers inside a (multi-layer) vector file; none when it cannot be read.

    ``with_geometry``: only the layers of features (not the tables without a geometry
    column, such as the styles QGIS keeps in a GeoPackage).
    """
    try:
        target = _gdal_target(Path(path))
        refuse_references(Path(path))
    except (InputFileError, ValueError, OSError):  # InputTooLargeError is a ValueError too
        return []  # read_vector says why (a file that is not there, too)
    import pyogrio

    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"pyogrio\.")
            return [
                str(name)
                for name, geometry in pyogrio.list_layers(target)
                if geometry is not None or not with_geometry
            ]
    except (pyogrio.errors.DataSourceError, ValueError):
        return []


def infer_layer(frame: gpd.GeoDataFrame, path: Path) -> LayerSpec:
    """Which layer a line file holds: from a ``layer`` column, the file name or its tags."""
    if "layer" in frame.columns:
        values = set(frame["layer"].dropna().astype(str))
        if len(values) == 1 and values <= set(REGISTRY):
            return REGISTRY[values.pop()]
    for name, spec in REGISTRY.items():
        if name in path.stem.lower() or name.rstrip("s") in path.stem.lower():
            return spec
    for spec in REGISTRY.values():
        if spec.main_key in frame.columns:
            return spec
    known = ", ".join(REGISTRY)
    raise InputFileError(
        Bilingual(
            f"Cannot tell which layer {path.name} holds; name it as LAYER=PATH "
            f"(LAYER one of {known}).",
            f"无法判断 {path.name} 属于哪个图层，请写成 LAYER=PATH（LAYER 为 {known} 之一）。",
        )
    )


def _layer_file(spec: LayerSpec, source: str) -> Bilingual:
    """How errors name a user's file of one layer."""
    zh = LAYER_LABELS.get(spec.name, {}).get("zh", spec.name)
    return Bilingual(f"The {spec.name} file {source}", f"{zh}文件 {source} ")


def normalise_user_layer(
    frame: gpd.GeoDataFrame, spec: LayerSpec, *, source: str
) -> gpd.GeoDataFrame:
    """Bring a user's line layer to the common attribute schema.

    Parameters
    ----------
    frame
        The features as read; must have a CRS.
    spec
        The layer they belong to.
    source
        What to record as each feature's source when the file has no ``source`` column.
    """
    require_crs(frame, what=_layer_file(spec, source))
    if frame.empty and spec.main_key not in frame.columns and "class" not in frame.columns:
        # a file of no features has no columns either (GeoJSON): an empty layer
        empty = gpd.GeoSeries([], crs=frame.crs)
        return gpd.GeoDataFrame({c: [] for c in COMMON_COLUMNS}, geometry=empty)
    geometry = frame.geometry
    if spec.main_key in frame.columns:
        columns = frame.drop(columns=geometry.name)
        names = list(columns.columns)
        # Column by column into Python values (what to_dict("records") gives, 5 times faster).
        records = zip(*(columns.iloc[:, n].tolist() for n in range(len(names))), strict=True)
        tags = [
            {k: str(v) for k, v in zip(names, record) if v is not None and not pd.isna(v)}
            for record in records
        ]
        table = spec.normalise_table(
            tags,
            [t.get("id") or f"{source}:{n}" for n, t in enumerate(tags)],
            [t.get("source", source) for t in tags],
        )
        out = (
            normalised_frame(table)[list(COMMON_COLUMNS)]
            if table.taken
            else pd.DataFrame(columns=list(COMMON_COLUMNS))
        )
        taken = geometry.values[np.array(table.taken, dtype=np.int64)]
        return gpd.GeoDataFrame(out, geometry=taken, crs=frame.crs)
    if "class" not in frame.columns:
        name = _layer_file(spec, source)
        raise InputFileError(
            Bilingual(
                f"{name.en} has neither a {spec.main_key!r} column (OSM tags) nor a 'class' "
                "column; add one of them.",
                f"{name.zh}既没有 {spec.main_key!r} 列（OSM 标签），也没有 'class' 列，"
                "请添加其中之一。",
            )
        )
    out = pd.DataFrame(frame.drop(columns=geometry.name)).copy()
    defaults: dict[str, Any] = {
        "id": [f"{source}:{n}" for n in range(len(out))],
        "layer": spec.name,
        "ref": "",
        "name": "",
        "status": "open",
        "start_year": None,
        "oneway": 0,
        "bridge": False,
        "tunnel": False,
        "capacity": None,
        "capacity_unit": spec.capacity_unit,
        "capacity_note": "",
        "source": source,
    }
    if "capacity" not in out.columns and spec.capacity_unit in out.columns:
        out["capacity"] = pd.to_numeric(out[spec.capacity_unit], errors="coerce")
    for column, default in defaults.items():
        if column not in out.columns:
            out[column] = default
    out["ref"] = out["ref"].fillna("").astype(str)
    out["name"] = out["name"].fillna("").astype(str)
    out["oneway"] = pd.to_numeric(out["oneway"], errors="coerce").fillna(0).astype(int)
    for flag in ("bridge", "tunnel"):
        out[flag] = out[flag].map(lambda v: bool(v) and not pd.isna(v) and v not in ("no", "0"))
    return gpd.GeoDataFrame(out, geometry=geometry.values, crs=frame.crs)
