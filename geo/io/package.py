"""The fetched-GeoPackage format: what ``python -m geo fetch`` writes and any source reads.

A package ``x.gpkg`` holds these tables, all WGS84:

* ``regions`` (:data:`REGIONS_TABLE`): the region polygons the band was built from;
* ``border_stretches`` (:data:`STRETCHES_TABLE`): which side is which along every border,
  so that the neighbours known only by name in an OSM extract survive;
* ``band`` (:data:`BAND_TABLE`): the band the features were taken from;
* one table per layer, in the common schema (:data:`layers.COMMON_COLUMNS`).

Beside it, ``x.manifest.json`` (:func:`manifest_path`) records the query, the time, the osmnx
version, the regions and their warnings, the data timestamp and the ODbL attribution
(:data:`ATTRIBUTION`). :func:`write_package` writes both; :func:`is_package`,
:func:`region_set_from_package` and :func:`read_manifest` read them back
(:func:`geo.io.sources.load_source` opens a package like any other source). How the
features are gathered is :mod:`geo.io.fetch`'s business, not this module's.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
from pyproj import CRS

from geo import settings
from geo.band import Band
from geo.errors import InputFileError, OutputFileError, short_reason
from geo.io.atomic import check_writable, staged
from geo.io.export import for_gpkg, pair_slug
from geo.io.osm_file import OSM_SOURCE
from geo.io.user_files import read_vector
from geo.projection import WGS84, metric_crs_for
from geo.regions import RegionSet, pairs_from_stretches

#: Tables of a fetched package besides the layers.
REGIONS_TABLE = "regions"
STRETCHES_TABLE = "border_stretches"
BAND_TABLE = "band"
#: Attribution every fetched package carries.
ATTRIBUTION = f"Data © {OSM_SOURCE}; https://www.openstreetmap.org/copyright"


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
    """

    region_set: RegionSet
    band: Band
    layers: dict[str, gpd.GeoDataFrame]
    manifest: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


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
        raise InputFileError(f"The output {out.name} must end in .gpkg; give e.g. border.gpkg.")
    targets = [out, manifest_path(out)]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise InputFileError(
            f"{existing[0]} already exists; choose another --out or add --force to replace it."
        )
    if not out.parent.is_dir():
        raise InputFileError(f"The folder {out.parent} does not exist; create it or change --out.")
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
    try:
        for name, frame in tables.items():
            for_gpkg(frame).to_file(temp, layer=name, driver="GPKG", engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise OutputFileError(
            f"Could not write {out} ({short_reason(exc)}); check the free space, or choose "
            "another output path."
        ) from None


def is_package(layer_names: Sequence[str]) -> bool:
    """Whether a GeoPackage with these tables was written by :func:`write_package`."""
    return REGIONS_TABLE in layer_names and STRETCHES_TABLE in layer_names


def region_set_from_package(path: str | Path, *, maritime_gap_m: float = 30000.0) -> RegionSet:
    """Restore the :class:`RegionSet` stored in a fetched package.

    Its regions, border stretches, and the warnings raised when they were built (kept in
    the manifest).
    """
    regions = read_vector(path, layer=REGIONS_TABLE)
    stretches = read_vector(path, layer=STRETCHES_TABLE)
    metric = metric_crs_for(tuple(regions.to_crs(WGS84).total_bounds))
    regions = regions.to_crs(metric)
    stretches = stretches.to_crs(metric)
    stretches["b"] = stretches["b"].fillna("")
    pairs = pairs_from_stretches(stretches, maritime_gap_m=maritime_gap_m)
    # What was wrong with the regions when they were built (an incomplete relation ...)
    # still holds: the package keeps those warnings in its manifest.
    warnings = list(read_manifest(path).get("regions", {}).get("warnings", []))
    return RegionSet(regions, stretches, pairs, CRS(metric), warnings)


def read_manifest(package: str | Path) -> dict[str, Any]:
    """The manifest beside a package, or an empty dict when there is none."""
    path = manifest_path(package)
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))



__all__ = [
    "ATTRIBUTION",
    "BAND_TABLE",
    "REGIONS_TABLE",
    "STRETCHES_TABLE",
    "FetchResult",
    "check_output",
    "is_package",
    "manifest_path",
    "new_package_path",
    "read_manifest",
    "region_set_from_package",
    "write_package",
]
