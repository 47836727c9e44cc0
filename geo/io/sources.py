"""Resolve what the user names as a source into regions and line layers.

A source is one of:

* an OpenStreetMap file (``.osm``, ``.osm.gz``, ``.osm.bz2``, ``.osm.pbf``): regions from its
  boundary relations, layers from its tags; or several, extracts of neighbouring areas, read
  as one (:mod:`geo.io.osm_files`: each file a task, here or on a Dask cluster);
* a boundaries file (GeoJSON, GeoPackage, Shapefile) plus line files given as
  ``LAYER=PATH`` or ``PATH`` (the layer is then inferred); a GeoPackage whose layers are
  named ``regions`` and ``highways``/``railways``/... serves as both;
* a GeoPackage written by ``python -m geo fetch`` (see :mod:`geo.io.package`): its regions,
  border stretches and layers, with the attribution from its manifest;
* the name of an embedded dataset in ``data/`` (see :mod:`geo.io.datasets`).

Each source says which borders and layers it covers (:attr:`Source.coverage`, see
:mod:`geo.coverage`): an embedded dataset by its declaration, an OSM file by its bounds, a
fetched package by its band and layers, the user's files for the layers they supply.

``datum="gcj02"`` (or ``"bd09"``, Baidu's) says the user's files are in GCJ-02 (BD-09), see
:mod:`geo.datum`: they are converted to WGS84 after reading. OpenStreetMap files and
embedded datasets are WGS84 by definition, so asking another datum for them is an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from geo.coverage import EDGE_MARGIN_M, Coverage, declared, supplied, within_area
from geo.datum import WGS84_DATUM, check_datum, conversion_note
from geo.errors import (
    InputFileError,
    InvalidParameterError,
    NoBoundariesError,
    UnknownRegionError,
    layer_spec,
)
from geo.io import datasets
from geo.io.dbf_text import TEXT_ENCODING, encoding_note
from geo.io.osm_boundaries import region_set_from_osm
from geo.io.osm_file import OSM_SOURCE, OsmData, is_osm_file
from geo.io.osm_files import FileMap, read_osm_files, run_here
from geo.io.osm_near_borders import NearBorders
from geo.io.osm_stream import read_osm_fast
from geo.io.package import ATTRIBUTION as FETCH_ATTRIBUTION
from geo.io.package import ATTRIBUTION_ZH as FETCH_ATTRIBUTION_ZH
from geo.io.package import (
    BAND_TABLE,
    check_package_table,
    is_package,
    network_table,
    read_manifest,
    region_set_from_package,
)
from geo.io.read_progress import ProgressCallback
from geo.io.user_files import (
    BOUNDARY_LAYER_NAMES,
    check_file_name,
    file_layers,
    infer_layer,
    is_vector_file,
    mark_converted,
    normalise_user_layer,
    read_vector,
    to_wgs84_datum,
)
from geo.io.validate import check_coordinates, check_osm_coordinates, usable_features
from geo.labels import LAYER_LABELS
from geo.regions import RegionSet, region_set_from_polygons
from geo.text import Bilingual
from layers import LINE_LAYERS, OSM_LAYERS, REGISTRY, LayerSpec


@dataclass
class Source:
    """Regions and layers loaded from one source.

    Attributes
    ----------
    name
        How the source is named in reports.
    region_set
        Regions, border stretches and pairs.
    layers
        ``{layer name: features}`` in the common schema.
    attribution
        Licence and attribution text of the data.
    attribution_zh
        The same in Chinese, "" when the source has none (a text report in Chinese then
        shows :attr:`attribution`): an embedded dataset's ``attribution_zh``, the one of
        OpenStreetMap data.
    folder
        The folder of an embedded dataset (with its documented figures), else None.
    data_year
        The year the data's tags describe, for OpenStreetMap data (its timestamp); None
        when unknown (the lifecycle rules then take the current year).
    coverage
        Which borders and layers the data cover (:mod:`geo.coverage`); None: every one.
    """

    name: str
    region_set: RegionSet
    layers: dict[str, gpd.GeoDataFrame]
    attribution: str
    folder: Path | None = None
    data_year: int | None = None
    coverage: Coverage | None = None
    attribution_zh: str = ""

    @property
    def credit(self) -> Bilingual:
        """The attribution in English and Chinese (the English in both when none is known)."""
        return Bilingual(self.attribution, self.attribution_zh or self.attribution)


def load_source(
    source: str,
    line_files: Sequence[str] = (),
    *,
    region: str | None = None,
    admin_level: int | None = None,
    layer_names: Sequence[str] = LINE_LAYERS,
    name_field: str = "name",
    maritime_gap_m: float = 30000.0,
    datum: str = WGS84_DATUM,
    near_borders_m: float | None = None,
    progress: ProgressCallback | None = None,
    run: FileMap | None = None,
    processes: int = 1,
) -> Source:
    """Load a source (see the module docstring) into a :class:`Source`.

    Parameters
    ----------
    source
        An OSM file, a boundaries file or an embedded dataset name.
    line_files
        Line files added to a boundaries file, as ``LAYER=PATH`` or ``PATH``.
    region
        The region whose borders are reported (decides the OSM admin level).
    admin_level
        OSM admin level of the regions.
    layer_names
        Layers to load.
    name_field
        Column naming the regions in a boundaries file.
    maritime_gap_m
        Regions facing each other across water within this distance form a pair.
    datum
        ``"wgs84"``, ``"gcj02"`` or ``"bd09"``: the datum of the user's files; GCJ-02 and
        BD-09 files are converted to WGS84 and a warning says by how much they moved.
    near_borders_m
        For an OSM file: keep only the lines that come within this distance of a region's
        boundary (or lie outside every region), and those under construction
        (:class:`geo.io.osm_near_borders.NearBorders`); a count with rules reaching no farther
        than this (:attr:`geo.rules.CrossingRules.reach_m`) is the same as with every line.
        Every line when None.
    progress
        For a single OSM file read in this process: called with the read's progress
        (:mod:`geo.io.read_progress`) at each pass and every few seconds (several files,
        or a cluster's tasks, report none).
    run
        For OSM files: where the reading tasks run, one per file
        (:func:`geo.io.cluster.cluster_map`); None reads a single file in one call and
        several one after the other, in this process.
    processes
        For a single OSM file read in this process: 2 reads the second half of its ways in a
        second process (:mod:`geo.io.osm_way_halves`; the command line's choice); 1 in this
        process alone (the page: a server's process).

    Raises
    ------
    InvalidParameterError
        For an unknown datum, or GCJ-02 or BD-09 asked for an OSM file or an embedded
        dataset.
    """
    for name in layer_names:
        layer_spec(name)
    check_datum(datum)
    path = Path(source)
    if is_osm_file(path):
        if datum != WGS84_DATUM:
            raise InvalidParameterError(
                Bilingual(
                    f"{path.name} is OpenStreetMap data, which is WGS84 by definition; drop "
                    f"--datum {datum} (it is only for your own GIS files).",
                    f"{path.name} 是 OpenStreetMap 数据，本来就是 WGS84 坐标，"
                    f"请去掉 --datum {datum}（它只用于您自己的 GIS 文件）。",
                )
            )
        if not all(is_osm_file(item) for item in line_files):
            raise InputFileError(
                Bilingual(
                    "Line files cannot be added to an OSM file source; give the OSM file alone "
                    "(or several OSM files, extracts of neighbouring areas).",
                    "OSM 文件数据源不能再附加线要素文件，请只给出 OSM 文件"
                    "（或几个相邻地区的 OSM 文件）。",
                )
            )
        # Layers OpenStreetMap does not hold (cities) are not read from it.
        near = (
            None
            if near_borders_m is None
            else NearBorders(region, admin_level, maritime_gap_m, near_borders_m)
        )
        wanted = [n for n in layer_names if n in OSM_LAYERS]
        paths = [path, *(Path(item) for item in line_files)]
        if run is None and len(paths) == 1:
            data, built = _read_osm_checked(path, wanted, near, progress, processes)
        else:
            for item in paths:
                if not item.is_file():
                    raise InputFileError(
                        Bilingual(
                            f"OSM file {str(item)!r} does not exist; check the path.",
                            f"找不到 OSM 文件 {str(item)!r}，请检查路径。",
                        )
                    )
                _check_osm_path(item)
            data, built = read_osm_files(paths, wanted, near=near, run=run or run_here)
        region_set = built or _osm_regions(
            path, data, region=region, admin_level=admin_level, maritime_gap_m=maritime_gap_m
        )
        region_set.warnings.extend(data.warnings)
        name = ", ".join(dict.fromkeys(item.name for item in paths))
        return Source(
            name,
            region_set,
            data.layers,
            f"Data © {OSM_SOURCE}; https://www.openstreetmap.org/copyright",
            data_year=data.data_year,
            coverage=_osm_coverage(name, data, region_set),
            attribution_zh=FETCH_ATTRIBUTION_ZH,
        )
    if path.suffix.lower() == ".gpkg" and path.is_file() and is_package(file_layers(path)):
        if datum != WGS84_DATUM:
            raise InvalidParameterError(
                Bilingual(
                    f"{path.name} was fetched from OpenStreetMap, which is WGS84; drop "
                    f"--datum {datum}.",
                    f"{path.name} 是从 OpenStreetMap 获取的，本来就是 WGS84 坐标，"
                    f"请去掉 --datum {datum}。",
                )
            )
        _refuse_line_files(line_files, _package_words(path.name))
        return _load_package(path, layer_names, maritime_gap_m)
    if is_vector_file(path):
        return _load_vector_source(
            path, line_files, layer_names, name_field, maritime_gap_m, datum=datum
        )
    folder = datasets.dataset_dir(source)
    if folder is not None:
        if datum != WGS84_DATUM:
            raise InvalidParameterError(
                Bilingual(
                    f"The embedded dataset {source!r} is WGS84 already; drop --datum {datum} "
                    "(it is only for your own GIS files).",
                    f"内置数据集 {source!r} 已经是 WGS84 坐标，请去掉 --datum {datum}"
                    "（它只用于您自己的 GIS 文件）。",
                )
            )
        _refuse_line_files(line_files, _dataset_words(source, _shown(folder / "regions.geojson")))
        meta = datasets.manifest(source)
        loaded = _load_vector_source(
            folder / "regions.geojson",
            [
                f"{n}={folder / (n + '.geojson')}"
                for n in dict.fromkeys((*layer_names, "ports"))
                if (folder / f"{n}.geojson").is_file()
            ],
            tuple(dict.fromkeys((*layer_names, "ports"))),
            "name",
            maritime_gap_m,
            name=source,
            attribution=str(meta.get("attribution", "")),
        )
        loaded.folder = folder
        loaded.attribution_zh = str(meta.get("attribution_zh", ""))
        loaded.coverage = declared(meta.get("coverage") or {"default": {}}, source=source)
        return loaded
    known = ", ".join(datasets.available())
    raise InputFileError(
        Bilingual(
            f"{source!r} is neither an existing .osm/.osm.pbf or GIS file nor an embedded "
            f"dataset (embedded datasets: {known or 'none yet'}); check the name or path.",
            f"{source!r} 既不是现有的 .osm/.osm.pbf 或 GIS 文件，也不是内置数据集"
            f"（内置数据集：{known or '暂无'}），请检查名称或路径。",
        )
    )


def _package_words(name: str) -> Bilingual:
    """What a fetched package is, and what to do instead of adding line files to it."""
    return Bilingual(
        f"{name} is a package fetched by 'python -m geo fetch', whose coverage is the band it "
        "was fetched for; give it alone, or give a boundaries file followed by your line files",
        f"{name} 是用 'python -m geo fetch' 获取的数据包，其覆盖范围就是获取时的范围；"
        "请单独给出它，或先给出边界文件，再附上您的线要素文件",
    )


def _dataset_words(name: str, regions: Path) -> Bilingual:
    """What an embedded dataset is, and the boundaries file to add line files to instead."""
    return Bilingual(
        f"{name} is an embedded dataset, whose layers, coverage and documented figures are its "
        f"own; give it alone, or give its boundaries file with your line files: "
        f"python -m geo crossings {regions} highways=PATH",
        f"{name} 是内置数据集，其图层、覆盖范围和文献数字都是它自己的；请单独给出它，"
        f"或给出它的边界文件并附上您的线要素文件：python -m geo crossings {regions} highways=PATH",
    )


def _shown(path: Path) -> Path:
    """``path`` as a command typed here would name it: relative to the working folder if in it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _refuse_line_files(line_files: Sequence[str], what: Bilingual) -> None:
    """Refuse line files given after a fetched package or an embedded dataset.

    They are refused rather than added, as they are to an OpenStreetMap file, because such a
    source says what it covers (:attr:`Source.coverage`: a package its band and layers, a
    dataset its declaration) and a dataset carries documented figures to compare with: lines
    added from elsewhere would be counted where the coverage says "not covered", and
    compared with figures they are not part of. Ignoring them, as before, counted without
    them without a word. A user's lines are counted against a boundaries file (a dataset's
    own ``regions.geojson`` serves), for which the coverage is what the files supply.

    Raises
    ------
    InputFileError
        When ``line_files`` is not empty.
    """
    if not line_files:
        return
    listed = ", ".join(line_files)
    raise InputFileError(
        Bilingual(
            f"Line files ({listed}) cannot be added here: {what.en}.",
            f"这里不能附加线要素文件（{listed}）：{what.zh}。",
        )
    )


def _read_osm_checked(
    path: Path,
    layer_names: Sequence[str],
    near: NearBorders | None = None,
    progress: ProgressCallback | None = None,
    processes: int = 1,
) -> tuple[OsmData, RegionSet | None]:
    """Read an OSM file (:func:`read_osm_fast`), refusing a name not UTF-8 and an empty file.

    With ``near``, also the region set the lines were kept for.

    Raises
    ------
    InputFileError
        When the file's name is not UTF-8, the file is empty or a node's location is not a
        number (:func:`read_osm`).
    GeometryDataError
        When a way the reader could not build whole has nodes out of range (:func:`read_osm`).
    """
    _check_osm_path(path)
    return read_osm_fast(path, layer_names, near=near, progress=progress, processes=processes)


def _check_osm_path(path: Path) -> None:
    """Refuse an OSM file whose name is not UTF-8, or that is empty."""
    check_file_name(path)
    if path.is_file() and path.stat().st_size == 0:
        raise InputFileError(
            Bilingual(
                f"{path.name} is empty (0 bytes); give an .osm, .osm.gz, .osm.bz2 or .osm.pbf "
                "file.",
                f"{path.name} 是空文件（0 字节），"
                "请提供 .osm、.osm.gz、.osm.bz2 或 .osm.pbf 文件。",
            )
        )


def _osm_coverage(name: str, data: OsmData, region_set: RegionSet) -> Coverage:
    """The borders an OSM file covers: those inside its bounds (:attr:`OsmData.bounds`)."""
    if data.bounds is None:
        return Coverage("osm", name)
    return within_area(
        region_set,
        shapely.box(*data.bounds),
        kind="osm",
        source=name,
        layers=list(data.layers),
        margin_m=EDGE_MARGIN_M,
        what=Bilingual(f"the extract {name}", f"数据文件 {name} 的"),
    )


def _package_coverage(
    path: Path, manifest: dict[str, Any], region_set: RegionSet, layers: Sequence[str]
) -> Coverage:
    """The borders a fetched package covers: those inside its band, for its layers."""
    band = read_vector(path, layer=BAND_TABLE) if BAND_TABLE in file_layers(path) else None
    if band is not None and not band.empty and band.crs is not None:
        area = shapely.union_all(band.to_crs(4326).geometry.values)
    else:
        bounds = manifest.get("band", {}).get("bounds_wgs84")
        if not bounds or len(bounds) != 4:
            return Coverage("package", path.name)
        area = shapely.box(*map(float, bounds))
    note = str(manifest.get("band", {}).get("note") or "")
    return within_area(
        region_set,
        area,
        kind="package",
        source=path.name,
        layers=layers,
        what=Bilingual(
            f"the band of {path.name}" + (f" ({note})" if note else ""),
            f"数据包 {path.name} 的获取范围",
        ),
    )


def _osm_regions(
    path: Path,
    data: OsmData,
    *,
    region: str | None,
    admin_level: int | None,
    maritime_gap_m: float,
) -> RegionSet:
    """:func:`region_set_from_osm`; when no region can be built, first rule out bad nodes.

    A member way whose nodes are all out of range is not read at all, so it looks missing;
    when the regions cannot be assembled, the member ways missing from the file are looked
    at before the error is passed on (only then: extracts miss many ways of their
    neighbours' relations, and looking costs two passes over the file).
    """
    try:
        return region_set_from_osm(
            data, region=region, admin_level=admin_level, maritime_gap_m=maritime_gap_m
        )
    except (NoBoundariesError, UnknownRegionError):
        members = {ref for rel in data.relations for ref, _ in rel.members}
        check_osm_coordinates(path, members - set(data.boundary_ways))
        raise


def _load_package(path: Path, layer_names: Sequence[str], maritime_gap_m: float) -> Source:
    """A GeoPackage written by ``python -m geo fetch``: regions with their stretches restored."""
    inner = file_layers(path)
    manifest = read_manifest(path)
    region_set = region_set_from_package(path, maritime_gap_m=maritime_gap_m)
    layers = {}
    for name in dict.fromkeys((*layer_names, "ports")):
        if name in inner:
            table = check_package_table(read_vector(path, layer=name), name, path)
            what = Bilingual(f"The {name} table of {path.name}", f"{path.name} 的 {name} 表")
            frame, notes = _usable(table, what, REGISTRY[name])
            layers[name] = normalise_user_layer(frame, REGISTRY[name], source=OSM_SOURCE)
            region_set.warnings.extend(notes)
    attribution = manifest.get("attribution") or FETCH_ATTRIBUTION
    attribution_zh = manifest.get("attribution_zh") or (
        FETCH_ATTRIBUTION_ZH if attribution == FETCH_ATTRIBUTION else ""
    )
    stamp = str(manifest.get("source", {}).get("data_timestamp", ""))
    data_year = int(stamp[:4]) if stamp[:4].isdigit() else None
    coverage = _package_coverage(path, manifest, region_set, list(layers))
    return Source(
        path.name, region_set, layers, attribution, data_year=data_year, coverage=coverage,
        attribution_zh=attribution_zh,
    )  # fmt: skip


def package_network(source: str | Path, layer_names: Sequence[str]) -> dict[str, gpd.GeoDataFrame]:
    """The network a fetched package holds (``fetch --network-km``): ``{layer: main lines}``.

    Read and checked as the package's layers are (the common schema, usable geometries,
    coordinates in range). Empty when ``source`` is not a package, or has no network table
    of these layers (a package fetched without ``--network-km``).

    Raises
    ------
    PackageError
        When a network table lacks the ``class`` column.
    GeometryDataError
        When a coordinate is NaN, infinite or out of range.
    """
    path = Path(source)
    if path.suffix.lower() != ".gpkg" or not path.is_file():
        return {}
    inner = file_layers(path)
    if not is_package(inner):
        return {}
    out = {}
    for name in layer_names:
        table_name = network_table(name)
        if table_name not in inner:
            continue
        table = check_package_table(read_vector(path, layer=table_name), table_name, path)
        what = Bilingual(
            f"The {table_name} table of {path.name}", f"{path.name} 的 {table_name} 表"
        )
        frame, _ = _usable(table, what, REGISTRY[name])
        out[name] = normalise_user_layer(frame, REGISTRY[name], source=OSM_SOURCE)
    return out


def _usable(
    frame: gpd.GeoDataFrame, what: Bilingual, spec: LayerSpec
) -> tuple[gpd.GeoDataFrame, list[Bilingual]]:
    """A layer's usable features (:func:`usable_features`) with checked coordinates.

    Raises
    ------
    GeometryDataError
        When a coordinate is NaN, infinite or out of range.
    """
    if frame.empty and list(frame.columns) == [frame.geometry.name]:  # a GeoJSON of nothing
        return frame, [
            Bilingual(
                f"{what.en} holds no features; nothing of it is counted.",
                f"{what.zh}中没有要素，其中没有可统计的内容。",
            )
        ]
    frame, notes = usable_features(frame, what=what, lines=spec.geometry == "line")
    check_coordinates(frame, what=what)
    return frame, notes


def _layer_zh(name: str) -> str:
    """A layer's name in Chinese (``公路``), for the errors' sentences."""
    return LAYER_LABELS.get(name, {}).get("zh", name)


def split_line_item(item: str) -> tuple[str, Path]:
    """A ``LAYER=PATH`` or ``PATH`` argument as ``(layer or "", path)``.

    The layer is the part before the first ``=`` when that part is a plain word: a path
    such as ``/data/as_of=2024/roads.geojson`` stays whole.
    """
    layer, sep, rest = item.partition("=")
    if sep and layer and "/" not in layer and "\\" not in layer and not Path(item).exists():
        return layer, Path(rest)
    return "", Path(item)


def _load_vector_source(
    path: Path,
    line_files: Sequence[str],
    layer_names: Sequence[str],
    name_field: str,
    maritime_gap_m: float,
    *,
    name: str | None = None,
    attribution: str = "",
    datum: str = WGS84_DATUM,
) -> Source:
    # A GeoPackage's layers, or a zip's Shapefiles, are read by their names (regions, and
    # one per kind: highways.shp); a zip of one Shapefile holds the regions.
    inner = file_layers(path) if path.suffix.lower() in (".gpkg", ".zip") else []
    boundary_layer = next((n for n in BOUNDARY_LAYER_NAMES if n in inner), None)
    if boundary_layer is None and inner and inner[0] in REGISTRY:
        held = ", ".join(inner)
        raise NoBoundariesError(
            Bilingual(
                f"{path.name} holds the layer(s) {held} but no region polygons; add a layer "
                f"of them named {' or '.join(BOUNDARY_LAYER_NAMES)}, or give a boundaries "
                "file first and this one after it as LAYER=PATH.",
                f"{path.name} 中有 {held} 图层，却没有行政区多边形；请添加名为 "
                f"{' 或 '.join(BOUNDARY_LAYER_NAMES)} 的行政区图层，"
                "或先给出边界文件，再以 LAYER=PATH 的形式附上这个文件。",
            )
        )
    shifts: list[np.ndarray] = []
    converted: list[str] = []

    def in_wgs84(frame: gpd.GeoDataFrame, what: Bilingual, file_name: str) -> gpd.GeoDataFrame:
        frame, moved = to_wgs84_datum(frame, datum=datum, what=what)
        if datum != WGS84_DATUM:
            check_coordinates(frame, what=what)  # a file without a CRS is now EPSG:4326
            shifts.append(moved)
            converted.append(file_name)
        return frame

    def marked(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        return mark_converted(frame, datum) if datum != WGS84_DATUM else frame

    # A GeoPackage without a layer of that name: its first layer, named (GDAL's default,
    # which pyogrio takes with a warning: a second line on the command line's stderr).
    regions_layer = boundary_layer or (inner[0] if inner else None)
    boundaries = read_vector(path, layer=regions_layer)
    boundaries_file = Bilingual(f"The boundaries file {path.name}", f"边界文件 {path.name} ")
    check_coordinates(boundaries, what=boundaries_file)
    read_as = encoding_note(boundaries.attrs.get(TEXT_ENCODING), boundaries_file)
    regions = in_wgs84(boundaries, boundaries_file, path.name)
    region_set = region_set_from_polygons(
        regions,
        name_field=name_field,
        maritime_gap_m=maritime_gap_m,
        what=boundaries_file,
    )
    region_set.warnings.extend(read_as)
    layers: dict[str, gpd.GeoDataFrame] = {}
    for layer in (n for n in inner if n in REGISTRY and n in layer_names):
        what = Bilingual(
            f"The {layer} layer of {path.name}", f"{path.name} 中的{_layer_zh(layer)}图层"
        )
        frame = read_vector(path, layer=layer)
        region_set.warnings.extend(encoding_note(frame.attrs.get(TEXT_ENCODING), what))
        frame, notes = _usable(frame, what, REGISTRY[layer])
        region_set.warnings.extend(notes)
        frame = in_wgs84(frame, what, path.name)
        layers[layer] = marked(normalise_user_layer(frame, REGISTRY[layer], source=path.name))
    for item in line_files:
        layer_name, line_path = split_line_item(item)
        frame = read_vector(line_path)
        spec = layer_spec(layer_name) if layer_name else infer_layer(frame, line_path)
        if spec.name not in layer_names:
            continue
        what = Bilingual(
            f"The {spec.name} file {line_path.name}",
            f"{_layer_zh(spec.name)}文件 {line_path.name} ",
        )
        region_set.warnings.extend(encoding_note(frame.attrs.get(TEXT_ENCODING), what))
        frame, notes = _usable(frame, what, spec)
        region_set.warnings.extend(notes)
        frame = in_wgs84(frame, what, line_path.name)
        part = marked(normalise_user_layer(frame, spec, source=line_path.name))
        if spec.name in layers:
            part = part.to_crs(layers[spec.name].crs)
            layers[spec.name] = gpd.GeoDataFrame(
                gpd.pd.concat([layers[spec.name], part], ignore_index=True), crs=part.crs
            )
        else:
            layers[spec.name] = part
    if converted:
        region_set.warnings.append(
            conversion_note(
                np.concatenate(shifts), files=list(dict.fromkeys(converted)), datum=datum
            )
        )
    if regions_layer is not None:
        region_set.warnings.extend(_unread_layers(path, regions_layer))
    return Source(
        name or path.name, region_set, layers, attribution, coverage=supplied(name or path.name)
    )


def _unread_layers(path: Path, regions_layer: str) -> list[Bilingual]:
    """A note on the layers of features in a GeoPackage that are not read, if any.

    Its layers are read by their names: the regions, and one layer per kind. A layer of
    lines named otherwise (``roads``) would be left out without a word, where the same lines
    given as a file of their own are recognised by their columns (:func:`infer_layer`).
    """
    unread = [
        n for n in file_layers(path, with_geometry=True) if n != regions_layer and n not in REGISTRY
    ]
    if not unread:
        return []
    return [
        Bilingual(
            f"The layer(s) {', '.join(unread)} of {path.name} are not read: layers are read by "
            f"their names ({', '.join(REGISTRY)}); rename a layer to count its features.",
            f"{path.name} 中的图层 {'、'.join(unread)} 未被读取：图层按名称读取"
            f"（{'、'.join(REGISTRY)}），请重命名图层以统计其中的要素。",
        )
    ]
