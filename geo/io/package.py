"""The fetched-GeoPackage format: what ``python -m geo fetch`` writes and any source reads.

A package ``x.gpkg`` holds these tables, all WGS84:

* ``regions`` (:data:`REGIONS_TABLE`): the region polygons the band was built from;
* ``border_stretches`` (:data:`STRETCHES_TABLE`): which side is which along every border,
  so that the neighbours known only by name in an OSM extract survive;
* ``band`` (:data:`BAND_TABLE`): the band the features were taken from;
* one table per layer, in the common schema (:data:`layers.COMMON_COLUMNS`);
* with ``fetch --network-km``, one table per routable layer named ``network_<layer>``
  (:func:`network_table`): the main roads or main railways in the wider network band, in
  the same schema, which ``resilience`` routes on (:func:`geo.io.sources.package_network`).

Beside it, ``x.manifest.json`` (:func:`manifest_path`) records the query, the time, the osmnx
version, the regions and their warnings, the source (``{"kind": "file", "name": ...}`` for
an OSM file: its name, not its path, so that a package passed around names no server
folder; ``{"kind": "overpass", "url": ...}`` online), the data timestamp and the ODbL
attribution (:data:`ATTRIBUTION`). :func:`write_package` writes both; :func:`is_package`,
:func:`region_set_from_package` and :func:`read_manifest` read them back
(:func:`geo.io.sources.load_source` opens a package like any other source). How the
features are gathered is :mod:`geo.io.fetch`'s business, not this module's.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any

import geopandas as gpd
import shapely
from pyproj import CRS

from geo import settings
from geo.band import Band
from geo.errors import InputFileError, OutputFileError, PackageError, short_reason
from geo.io.atomic import check_writable, staged
from geo.io.export import for_gpkg, pair_slug
from geo.io.osm_file import OSM_SOURCE
from geo.io.user_files import read_vector
from geo.io.validate import check_coordinates, check_readable, usable_features
from geo.projection import WGS84, metric_crs_for
from geo.regions import RegionSet, pairs_from_stretches
from geo.text import Bilingual

#: Tables of a fetched package besides the layers.
REGIONS_TABLE = "regions"
STRETCHES_TABLE = "border_stretches"
BAND_TABLE = "band"
#: Prefix of a package's network tables (``network_highways``, ``network_railways``).
NETWORK_PREFIX = "network_"
#: Attribution every fetched package carries.
ATTRIBUTION = f"Data © {OSM_SOURCE}; https://www.openstreetmap.org/copyright"
#: The same in Chinese (a Chinese text report's last line).
ATTRIBUTION_ZH = "数据 © OpenStreetMap 贡献者（ODbL 1.0）；https://www.openstreetmap.org/copyright"


@dataclass
class FetchResult:
    """What :func:`geo.io.fetch.fetch` gathered: a package's content.

    :func:`write_package` writes it; it lives here, with the format, so that this module
    needs nothing of :mod:`geo.io.fetch`.

    Attributes
    ----------
    region_set
        The regions the band was built from.
    band
        The band.
    layers
        ``{layer name: features}`` in the common schema, WGS84.
    manifest
        The manifest (JSON-ready).
    warnings
        Problems worth telling the user.
    network
        ``{layer name: main lines}`` of the wider network band (empty: none fetched).
    """

    region_set: RegionSet
    band: Band
    layers: dict[str, gpd.GeoDataFrame]
    manifest: dict[str, Any]
    warnings: list[Bilingual] = field(default_factory=list)
    network: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)


def network_table(layer: str) -> str:
    """The name of a package's network table of ``layer``: ``network_highways``."""
    return f"{NETWORK_PREFIX}{layer}"


def new_package_path(region: str | None, neighbour: str | None) -> Path:
    """A new, unused package path for a fetch of this border, in the fetch folder.

    The folder is :data:`geo.settings.FETCHED` (``$JIEGUI_FETCH_DIR``); the name holds the
    border and the UTC time, so nothing earlier is ever replaced.
    """
    folder = settings.FETCHED.path()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    base = f"osm-{pair_slug(region or 'all', neighbour)}-{stamp}"
    out = folder / f"{base}.gpkg"
    n = 1
    while out.exists() or manifest_path(out).exists():
        n += 1
        out = folder / f"{base}-{n}.gpkg"
    return out


def manifest_path(package: str | Path) -> Path:
    """Where the manifest of a package lives: ``x.gpkg`` → ``x.manifest.json``."""
    package = Path(package)
    return package.with_name(package.stem + ".manifest.json")


def check_output(out: str | Path, *, force: bool = False) -> list[Path]:
    """Check that a package can be written at ``out``; return it and its manifest's path.

    Called before a download starts, so that a long fetch does not end in a refusal.
    """
    out = Path(out)
    if out.suffix.lower() != ".gpkg":
        raise InputFileError(
            Bilingual(
                f"The output {out.name} must end in .gpkg; give e.g. border.gpkg.",
                f"输出文件 {out.name} 的扩展名应为 .gpkg，例如 border.gpkg。",
            )
        )
    targets = [out, manifest_path(out)]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise InputFileError(
            Bilingual(
                f"{existing[0]} already exists; choose another --out or add --force to "
                "replace it.",
                f"{existing[0]} 已存在，请换一个 --out，或加上 --force 覆盖它。",
            )
        )
    if not out.parent.is_dir():
        raise InputFileError(
            Bilingual(
                f"The folder {out.parent} does not exist; create it or change --out.",
                f"文件夹 {out.parent} 不存在，请先创建它，或修改 --out。",
            )
        )
    for target in targets:
        check_writable(target, force=True)  # a folder in the way, a read-only folder
    return targets


def write_package(result: FetchResult, out: str | Path, *, force: bool = False) -> list[Path]:
    """Write the GeoPackage and its manifest; nothing existing is overwritten unless ``force``.

    Both files are written under temporary names in the target folder and renamed into place
    only when complete (:func:`geo.io.atomic.staged`): an interrupted or failed run leaves no
    half-written file behind, and ``force`` replaces the old files only with complete ones.

    Returns
    -------
    list of Path
        The package and the manifest.
    """
    out = Path(out)
    targets = check_output(out, force=force)
    rs = result.region_set
    tables: dict[str, gpd.GeoDataFrame] = {
        REGIONS_TABLE: rs.regions.to_crs(WGS84),
        STRETCHES_TABLE: rs.stretches.to_crs(WGS84),
        BAND_TABLE: gpd.GeoDataFrame(
            {"note": [result.band.note], "area_km2": [result.band.area_km2]},
            geometry=[result.band.polygon],
            crs=WGS84,
        ),
        **result.layers,
        **{network_table(name): frame for name, frame in result.network.items()},
    }
    manifest = json.dumps(result.manifest, indent=2, ensure_ascii=False) + "\n"
    # The package is renamed into place first, its manifest last: a manifest beside a package
    # says that the package is complete.
    with staged(targets[1], force=force) as temp_manifest, staged(out, force=force) as temp_gpkg:
        _write_tables(tables, temp_gpkg, out)
        temp_manifest.write_text(manifest, encoding="utf-8")
    return targets


def _write_tables(tables: dict[str, gpd.GeoDataFrame], temp: Path, out: Path) -> None:
    """Write the tables into the GeoPackage ``temp``; GDAL's write errors become one sentence."""
    from pyogrio.errors import DataLayerError, DataSourceError  # only a fetch writes: lazily

    try:
        for name, frame in tables.items():
            for_gpkg(frame).to_file(temp, layer=name, driver="GPKG", engine="pyogrio")
    except (DataSourceError, DataLayerError) as exc:
        reason = short_reason(exc)
        raise OutputFileError(
            Bilingual(
                f"Could not write {out} ({reason}); check the free space, or choose "
                "another output path.",
                f"无法写出 {out}，请检查剩余空间，或换一个输出路径。",
            )
        ) from None


def is_package(layer_names: Sequence[str]) -> bool:
    """Whether a GeoPackage with these tables was written by :func:`write_package`."""
    return REGIONS_TABLE in layer_names and STRETCHES_TABLE in layer_names


def region_set_from_package(path: str | Path, *, maritime_gap_m: float = 30000.0) -> RegionSet:
    """Restore the :class:`RegionSet` stored in a fetched package.

    Its regions, border stretches, and the warnings raised when they were built (kept in
    the manifest).

    Raises
    ------
    PackageError
        When a table lacks a column or the regions table is empty (or the manifest is
        broken, see :func:`read_manifest`).
    GeometryDataError
        When a geometry cannot be read or a coordinate is NaN or out of range.
    """
    path = Path(path)
    regions = _package_table(path, REGIONS_TABLE, ("name",))
    stretches = _package_table(path, STRETCHES_TABLE, ("a", "b", "kind"))
    if regions.empty:
        raise PackageError(
            Bilingual(
                f"The {REGIONS_TABLE} table of {path.name} holds no regions; fetch the "
                "package again.",
                f"{path.name} 的 {REGIONS_TABLE} 表中没有地区，请重新获取数据包。",
            )
        )
    warnings = manifest_warnings(read_manifest(path))
    if not regions.geometry.is_valid.all():
        bad = int((~regions.geometry.is_valid).sum())
        regions["geometry"] = shapely.make_valid(regions.geometry.values)
        warnings.append(
            Bilingual(
                f"{bad} region polygon(s) of {path.name} were invalid and have been repaired; "
                "fetch the package again if the borders look wrong.",
                f"{path.name} 中有 {bad} 个行政区多边形无效，已修复；"
                "如边界看起来不对，请重新获取数据包。",
            )
        )
    metric = metric_crs_for(tuple(regions.to_crs(WGS84).total_bounds))
    regions = regions.to_crs(metric)
    stretches = stretches.to_crs(metric)
    stretches["b"] = stretches["b"].fillna("")
    pairs = pairs_from_stretches(stretches, maritime_gap_m=maritime_gap_m)
    # What was wrong with the regions when they were built (an incomplete relation ...)
    # still holds: the package keeps those warnings in its manifest.
    return RegionSet(regions, stretches, pairs, CRS(metric), warnings)


def _package_table(path: Path, table: str, columns: Sequence[str]) -> gpd.GeoDataFrame:
    """A table of a package with these columns, readable geometries and usable coordinates."""
    frame = read_vector(path, layer=table)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        listed = ", ".join(map(repr, missing))
        raise PackageError(
            Bilingual(
                f"The {table} table of {path.name} has no {listed} column; it was not written "
                "by 'python -m geo fetch' or was changed since: fetch the package again.",
                f"{path.name} 的 {table} 表缺少 {listed} 列：它不是由 'python -m geo fetch' "
                "写出的，或之后被改动过，请重新获取数据包。",
            )
        )
    what = Bilingual(f"The {table} table of {path.name}", f"{path.name} 的 {table} 表")
    check_readable(frame, what=what)
    frame, _ = usable_features(frame, what=what, lines=False)
    check_coordinates(frame, what=what)
    return frame


def check_package_table(frame: gpd.GeoDataFrame, layer: str, path: Path) -> gpd.GeoDataFrame:
    """A package's layer table as read, once it is known to be in the common schema.

    Raises
    ------
    PackageError
        When it lacks the ``class`` column every layer table of a package has.
    """
    if "class" not in frame.columns:
        raise PackageError(
            Bilingual(
                f"The {layer} table of {path.name} has no 'class' column; it was not written "
                "by 'python -m geo fetch' or was changed since: fetch the package again.",
                f"{path.name} 的 {layer} 表缺少 'class' 列：它不是由 'python -m geo fetch' "
                "写出的，或之后被改动过，请重新获取数据包。",
            )
        )
    return frame


def read_manifest(package: str | Path) -> dict[str, Any]:
    """The manifest beside a package, or an empty dict when there is none.

    Raises
    ------
    PackageError
        When it is not UTF-8 JSON, or not of the shape :func:`write_package` writes (an
        object; ``source`` and ``regions`` objects; ``attribution``, ``source.data_timestamp``
        and ``source.path`` text; ``regions.warnings`` and ``regions.warnings_zh`` lists of
        text).

    Notes
    -----
    Packages fetched before the manifest recorded the OSM file's name kept its full path
    under ``source.path``; it is read back as ``source.name``, the base name, so that no
    server folder is shown or passed on.
    """
    path = manifest_path(package)
    if not path.is_file():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        reason, name = short_reason(exc), Path(package).name
        raise PackageError(
            Bilingual(
                f"The manifest {path.name} is not UTF-8 JSON ({reason}); fetch the package "
                f"again, or delete the manifest to open {name} without it.",
                f"清单文件 {path.name} 不是 UTF-8 编码的 JSON，"
                f"请重新获取数据包，或删除该清单文件后单独打开 {name}。",
            )
        ) from None
    problem = _manifest_problem(manifest)
    if problem:
        name = Path(package).name
        raise PackageError(
            Bilingual(
                f"The manifest {path.name} is not of the shape 'python -m geo fetch' writes "
                f"({problem.en}); fetch the package again, or delete the manifest to open "
                f"{name} without it.",
                f"清单文件 {path.name} 的结构与 'python -m geo fetch' 写出的不符（{problem.zh}），"
                f"请重新获取数据包，或删除该清单文件后单独打开 {name}。",
            )
        )
    source = manifest.get("source", {})
    if "path" in source:  # an older package: the OSM file's full path
        source.setdefault("name", PureWindowsPath(source.pop("path")).name)  # "/" or "\\"
    return manifest


def manifest_warnings(manifest: dict[str, Any]) -> list[Bilingual]:
    """The regions' warnings a manifest keeps, in English and Chinese.

    ``regions.warnings`` holds the English sentences and ``regions.warnings_zh`` the Chinese
    ones, in the same order; a package fetched before the Chinese were kept (no
    ``warnings_zh``, or a list of another length) reads its English sentences in both.

    Examples
    --------
    >>> manifest_warnings({"regions": {"warnings": ["a"], "warnings_zh": ["甲"]}})
    [Bilingual(en='a', zh='甲')]
    >>> manifest_warnings({"regions": {"warnings": ["a"]}})
    [Bilingual(en='a', zh='a')]
    """
    regions = manifest.get("regions", {})
    english = [str(w) for w in regions.get("warnings", [])]
    chinese = [str(w) for w in regions.get("warnings_zh", [])]
    if len(chinese) != len(english):
        chinese = english
    return [Bilingual(en, zh) for en, zh in zip(english, chinese, strict=True)]


def _manifest_problem(manifest: object) -> Bilingual | None:
    """What is wrong with a manifest's shape, or "" when nothing (the keys read are checked)."""
    if not isinstance(manifest, dict):
        kind = type(manifest).__name__
        return Bilingual(f"a JSON {kind} instead of an object", f"是 JSON {kind}，而不是对象")
    for key in ("source", "regions"):
        if not isinstance(manifest.get(key, {}), dict):
            return Bilingual(f"{key!r} is not an object", f"{key!r} 不是对象")
    if not isinstance(manifest.get("attribution", ""), str):
        return Bilingual("'attribution' is not text", "'attribution' 不是文本")
    for key in ("data_timestamp", "path"):
        if not isinstance(manifest.get("source", {}).get(key, ""), str):
            return Bilingual(f"'source.{key}' is not text", f"'source.{key}' 不是文本")
    for key in ("warnings", "warnings_zh"):
        warnings = manifest.get("regions", {}).get(key, [])
        if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
            return Bilingual(
                f"'regions.{key}' is not a list of text", f"'regions.{key}' 不是文本列表"
            )
    return None


__all__ = [
    "ATTRIBUTION",
    "ATTRIBUTION_ZH",
    "BAND_TABLE",
    "NETWORK_PREFIX",
    "REGIONS_TABLE",
    "STRETCHES_TABLE",
    "FetchResult",
    "check_output",
    "check_package_table",
    "is_package",
    "manifest_path",
    "network_table",
    "new_package_path",
    "read_manifest",
    "region_set_from_package",
    "write_package",
]
