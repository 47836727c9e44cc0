"""What the app shows of a source, computed once per data state and kept on disk.

The page (``streamlit_app.py``) keeps these results in Streamlit's caches while it runs,
keyed by the same inputs; :mod:`app.result_cache` keeps them across restarts, so a new
server shows the embedded data's first view without loading, counting or drawing again.
Every function takes what identifies its result: the loaded source (keyed by the source as
the user named it, its file stamp (:func:`source_stamp`) and datum) and the page's choices as
one :class:`app.query.PageQuery`; results also depend on the year the data describe
(:func:`data_today`). Counts and maps of another year than the data's own
are kept in memory only: a restarted server opens on the data's year, and writing every
year the slider passed through cost 10-15 ms of each change. Nothing here imports
streamlit.
"""

from __future__ import annotations

import dataclasses
import glob
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from app import map_context, result_cache, webmap
from app.border_views import cover_notes, layer_covers
from app.language import current
from app.map_geojson import region_shapes
from app.query import PageQuery
from app.result_cache import remembered
from geo import names_zh
from geo.analysis import CrossingResult, count_crossings
from geo.basis import BASES, DEFAULT_BASIS
from geo.coverage import Coverage
from geo.datum import WGS84_DATUM
from geo.feature_facts import interface_facts
from geo.focus import counted_border, focus_extent
from geo.io import datasets
from geo.io.package import manifest_path
from geo.io.read_progress import ProgressCallback
from geo.io.report import interface_records
from geo.io.sources import Source, load_source
from geo.labels import LANGUAGES, Language
from geo.lifecycle import current_year, layers_at, year_range
from geo.overview import PORTS, Overview, overview_of
from geo.pair_export import PairExport
from geo.pair_export import pair_export as build_pair_export
from geo.port_borders import PORT_REACH_M, PortSites, ports_and_sites
from geo.reconcile import (
    compare_with_documents,
    computed_value,
    default_pair,
    documented_years,
)
from geo.summary import layer_totals, pair_interfaces
from geo.text import Bilingual
from layers import REGISTRY

#: The statuses the page counts until the user chooses others: the default basis's.
DEFAULT_STATUSES: tuple[str, ...] = BASES[DEFAULT_BASIS].statuses


@dataclass(frozen=True)
class Loaded:
    """A loaded source and what the page derives from it once.

    Attributes
    ----------
    source
        The regions and layers.
    regions_wgs84
        The regions in WGS84, for the map.
    years
        First and last year in the layers' lifecycle data, None when there are none.
    key
        What identifies it: the source as named, its resolved location, stamp and datum.
    region_shapes
        The regions' outlines as the map draws them (:func:`app.map_geojson.region_shapes`),
        made once: for detailed outlines they took most of the map's content.
    names_zh
        ``{feature id: Chinese name}`` of the layers' features that have one
        (:func:`feature_names_zh`), for the tables shown in Chinese.
    """

    source: Source
    regions_wgs84: gpd.GeoDataFrame
    years: tuple[int, int] | None
    key: tuple[str, str, str, str]
    region_shapes: tuple[str, ...] = ()
    names_zh: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Shown:
    """What the page shows for one data state: regions, layers and the pair's interfaces."""

    regions: gpd.GeoDataFrame
    layers: dict[str, gpd.GeoDataFrame]
    interfaces: pd.DataFrame
    summary: pd.DataFrame


@dataclass(frozen=True)
class PairTables:
    """What the page shows of a pair beside the map, derived once per data state.

    Attributes
    ----------
    totals
        Routes, interfaces and capacity per layer (:func:`geo.summary.layer_totals`).
    table
        The pair's interfaces as the interface table lists them (:data:`TABLE_COLUMNS`).
    covers
        Per layer, whether the data cover the pair (:func:`app.border_views.layer_covers`).
    notes
        Why a border shown is not wholly covered, and what would cover it
        (:func:`app.border_views.cover_notes`).
    """

    totals: pd.DataFrame
    table: pd.DataFrame
    covers: pd.DataFrame
    notes: tuple[Bilingual, ...] = ()


#: The interface table's columns from the count.
TABLE_COLUMNS: tuple[str, ...] = (
    "id", "b", "layer", "class", "ref", "name", "carriageways", "lanes",
    "lanes_per_carriageway", "capacity", "capacity_unit", "bridge", "tunnel", "status", "via",
    "lon", "lat", "source_ids",
)  # fmt: skip

#: The columns after them: the facts of the interfaces' features
#: (:func:`geo.feature_facts.interface_facts`), which :mod:`app.interface_table` shows.
FACT_COLUMNS: tuple[str, ...] = (
    "name_zh", "name_en", "start_year", "end_year", "accuracy_m", "confidence",
)  # fmt: skip


def source_files(source: str) -> list[Path]:
    """The files a source is read from, as far as they exist.

    An embedded dataset's folder; else the file, a Shapefile's sidecars (``.dbf``, ``.prj``
    ... of the same name) and a fetched package's manifest (:func:`geo.io.package.manifest_path`).
    """
    if "\0" in source:  # no file can be named so (and the OS calls would raise)
        return []
    folder = datasets.dataset_dir(source)
    if folder is not None:
        return sorted(f for f in folder.rglob("*") if f.is_file())
    path = Path(source)
    if not path.is_file():
        return []
    files = [path, manifest_path(path)]
    if path.suffix.lower() == ".shp":
        files += sorted(p for p in path.parent.glob(glob.escape(path.stem) + ".*") if p != path)
    return [f for f in files if f.is_file()]


def source_stamp(source: str) -> str:
    """A fingerprint of a source's files, so caches reload when the data change.

    Parameters
    ----------
    source
        A file path or an embedded dataset name.

    Returns
    -------
    str
        A hash of the names, sizes and modification times of :func:`source_files`;
        ``""`` when there is no such file or dataset (loading then reports it).
    """
    files = source_files(source)
    if not files:
        return ""
    digest = hashlib.sha256()
    for file in files:
        stat = file.stat()
        digest.update(f"{file.name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return f"{len(files)}-{digest.hexdigest()[:16]}"


def feature_names_zh(layers: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """``{feature id: Chinese name}`` of the layers' features that have one (``name_zh``).

    The command line's (:func:`geo.names_zh.feature_names_zh`), so both name them alike.
    """
    return names_zh.feature_names_zh(layers.values())


def data_today(loaded: Loaded) -> int:
    """The year the data describe (an OSM extract's), else this year: "now" for the rules."""
    return loaded.source.data_year or current_year()


def year_span(loaded: Loaded) -> tuple[int, int]:
    """The page's year slider: the data's first year to their last, "now" included."""
    today = data_today(loaded)
    first, last = loaded.years or (today, today)
    return min(first, today), max(last, today)


def _location(path: str) -> str:
    """The resolved folder of an embedded dataset, else the resolved file path."""
    if "\0" in path:  # no file can be named so; loading says it does not exist
        return path
    folder = datasets.dataset_dir(path)
    return str(folder if folder is not None else Path(path).expanduser().resolve())


def load(
    path: str, stamp: str, datum: str, *, progress: ProgressCallback | None = None
) -> Loaded:
    """Load a source with every layer kind (:func:`geo.io.sources.load_source`).

    Parameters
    ----------
    path
        A file path or an embedded dataset name.
    stamp
        The source's file stamp (:func:`source_stamp`): a changed file is loaded again.
    datum
        ``"wgs84"``, ``"gcj02"`` or ``"bd09"`` (see :mod:`geo.datum`).
    progress
        Told how the reading of an OSM file goes (:mod:`geo.io.read_progress`) when it is
        read now; not part of what is remembered.
    """
    key = (path, _location(path), stamp, datum)

    def compute() -> Loaded:
        source = load_source(path, layer_names=tuple(REGISTRY), datum=datum, progress=progress)
        regions = source.region_set.regions.to_crs(4326)
        years = year_range(source.layers)
        return Loaded(
            source, regions, years, key, region_shapes(regions), feature_names_zh(source.layers)
        )

    return remembered("source", key, compute)


def count(loaded: Loaded, query: PageQuery, *, every_pair: bool = False) -> CrossingResult:
    """The region's crossings with all its neighbours (:func:`geo.analysis.count_crossings`).

    Counted for the query's region, year, statuses and layers, with the source's coverage
    (:attr:`geo.io.sources.Source.coverage`: the summary says which borders are covered);
    the neighbour is not part of it, so the result is kept under
    :attr:`app.query.PageQuery.all_neighbours`. ``every_pair``: every pair of the source
    instead of the region's (for the overview's switch).
    """
    source = loaded.source

    def compute() -> CrossingResult:
        chosen = {n: source.layers[n] for n in query.layer_names if n in source.layers}
        return count_crossings(
            chosen,
            source.region_set,
            region=None if every_pair else query.region,
            as_of=query.as_of,
            statuses=query.statuses,
            data_year=source.data_year,
            coverage=source.coverage,
        )

    key = (*loaded.key, data_today(loaded), query.all_neighbours, every_pair)
    return remembered("crossings", key, compute, on_disk=query.as_of is None)


def sites(loaded: Loaded) -> PortSites | None:
    """Which line ends and borders lie near each port (:func:`geo.port_borders.port_sites`).

    Computed once per source (the year does not change it); None without a ports layer.
    """
    source = loaded.source
    if PORTS not in source.layers:
        return None

    def compute() -> PortSites | None:
        return ports_and_sites(source.layers, source.region_set, reach_m=PORT_REACH_M)[1]

    return remembered("port-sites", loaded.key, compute)


def overview(
    loaded: Loaded, result: CrossingResult, query: PageQuery, *, every_pair: bool = False
) -> Overview:
    """Every border of the region (of the source: ``every_pair``) and layer, in the query's year.

    Parameters
    ----------
    loaded
        The loaded source.
    result
        Its count for the query (:func:`count`, with the same ``every_pair``).
    query
        The page's choices: year, statuses, layers (ports among them adds the ports).
    every_pair
        Every pair of the source, not only the region's borders.
    """
    source = loaded.source

    def compute() -> Overview:
        with_ports = PORTS in query.layer_names and PORTS in source.layers
        return overview_of(
            result,
            as_of=query.as_of,
            statuses=query.statuses,
            region=None if every_pair else query.region,
            ports=source.layers[PORTS] if with_ports else None,
            sites=sites(loaded) if with_ports else None,
            data_year=source.data_year,
        )

    key = (*loaded.key, data_today(loaded), query.all_neighbours, every_pair)
    return remembered("overview", key, compute, on_disk=query.as_of is None)


def against_documents(loaded: Loaded, region: str) -> pd.DataFrame | None:
    """An embedded dataset's documented figures beside computed ones (None without any)."""
    source = loaded.source
    if source.folder is None:
        return None

    def compute() -> pd.DataFrame | None:
        years = documented_years(source.folder)
        return compare_with_documents(source, years[0], region=region) if years else None

    return remembered("documents", (*loaded.key, data_today(loaded), region), compute)


def page_beside_report(loaded: Loaded, query: PageQuery) -> list[float | None] | None:
    """The report's measures counted in the page's basis, at the report's year.

    One value per row of :func:`against_documents` (None for a layer the page does not
    count), from a count of the query's statuses and layers at the documented year
    (:func:`geo.reconcile.computed_value`); None when the source has no documented figures.
    Kept on disk by the region, statuses and layers, the only choices it depends on (not
    the page's year or neighbour): the server computes it for every named basis as it
    starts (:func:`prepare_first_view`), so that a change of basis need not count the
    report's year as well.
    """
    documented = against_documents(loaded, query.region)
    if documented is None or documented.empty:
        return None
    year = int(documented["as_of"].iat[0])

    def compute() -> list[float | None]:
        at_year = dataclasses.replace(
            query.all_neighbours, as_of=None if year == data_today(loaded) else year
        )
        result = count(loaded, at_year)
        ports = loaded.source.layers.get(PORTS, pd.DataFrame())
        return [
            computed_value(
                row.measure, row.layer, row.border, result, ports, year, statuses=query.statuses
            )
            if row.layer in query.layer_names
            else None
            for row in documented.itertuples(index=False)
        ]

    key = (*loaded.key, data_today(loaded), query.region, query.statuses, query.layer_names)
    return remembered("beside", key, compute)


def what_is_shown(loaded: Loaded, result: CrossingResult, query: PageQuery) -> Shown:
    """The layers at the year and statuses and the pair's interfaces, for map and downloads.

    Parameters
    ----------
    loaded
        The loaded source.
    result
        Its crossings for the query (:func:`count`).
    query
        The page's choices ``result`` was counted with, and the neighbour shown.
    """
    return Shown(
        regions=loaded.regions_wgs84,
        layers=layers_at(
            {n: loaded.source.layers[n] for n in query.layer_names},
            as_of=query.as_of,
            statuses=query.statuses,
            today=loaded.source.data_year,
        ),
        interfaces=pair_interfaces(result.interfaces, query.region, query.neighbour),
        summary=result.summary,
    )


def pair_export(
    loaded: Loaded, result: CrossingResult, query: PageQuery, year: int
) -> PairExport:
    """The tables of the page's downloads (:func:`geo.pair_export.pair_export`).

    What the page shows, of the pair shown: the layers chosen, read in the query's year and
    statuses, the pair's interfaces of ``result`` (:func:`count`), the ports the overview
    sets beside the pair (:func:`overview`), the coverage; ``year`` is the year shown.
    """
    source = loaded.source
    tagged = {n: source.layers[n] for n in query.layer_names if n in source.layers}
    ports: list[str] = []
    if PORTS in tagged:
        links = overview(loaded, result, query).ports
        ports = [str(p) for p in pair_interfaces(links, query.region, query.neighbour)["port"]]
    return build_pair_export(
        tagged=tagged,
        interfaces=result.interfaces,
        summary=result.summary,
        regions=loaded.regions_wgs84,
        region=query.region,
        neighbour=query.neighbour,
        year=year,
        as_of=query.as_of,
        statuses=query.statuses,
        today=source.data_year,
        port_ids=ports,
        coverage=source.coverage,
    )


def pair_tables(
    result: CrossingResult,
    query: PageQuery,
    coverage: Coverage | None = None,
    layers: Mapping[str, pd.DataFrame] | None = None,
    names_zh: Mapping[str, str] | None = None,
) -> PairTables:
    """The cards' totals and the interface table of a pair (see :class:`PairTables`).

    Parameters
    ----------
    result
        The region's crossings (:func:`count`).
    query
        The page's choices: the pair (``neighbour`` None for all the region's neighbours)
        and the layers counted, one card each.
    coverage
        The source's coverage, for the notes on borders not wholly covered.
    layers
        The source's layers, whose features' facts fill :data:`FACT_COLUMNS` (empty
        without them).
    names_zh
        The regions' Chinese names, for the coverage notes in Chinese (the page's).
    """
    region, neighbour = query.region, query.neighbour
    shown = pair_interfaces(result.interfaces, region, neighbour)
    records = pd.DataFrame(interface_records(result), columns=[*TABLE_COLUMNS, "a"])
    table = pair_interfaces(records, region, neighbour)[list(TABLE_COLUMNS)]
    facts = interface_facts(table, layers or {})
    table = table.assign(**{c: [getattr(f, c) for f in facts] for c in FACT_COLUMNS})
    totals = layer_totals(shown, query.layer_names)
    covers = layer_covers(result.summary, region, neighbour, query.layer_names)
    notes = cover_notes(
        coverage, result.summary, region, neighbour, query.layer_names, query.as_of, names_zh
    )
    return PairTables(totals, table.reset_index(drop=True), covers, notes)


def map_content(
    loaded: Loaded, result: CrossingResult, query: PageQuery, language: Language | None = None
) -> webmap.MapContent:
    """What the map draws for one data state (:func:`app.webmap.map_content`).

    In ``language`` (the page's, :func:`app.language.current`, when None: the tooltips,
    popups, legend and labels are written in it), which is part of the key it is kept
    under. It opens on the border in focus and its interfaces
    (:func:`geo.focus.focus_extent`).
    """
    lang: Language = language or current()

    def compute() -> webmap.MapContent:
        shown = what_is_shown(loaded, result, query)
        interfaces = shown.interfaces
        points = zip(interfaces["lon"], interfaces["lat"]) if len(interfaces) else ()
        focus = focus_extent(loaded.source.region_set, query.region, query.neighbour, points)
        return webmap.map_content(
            shown.regions,
            shown.layers,
            interfaces,
            highlight=query.highlight,
            region_shapes=loaded.region_shapes or None,
            focus=focus,
            language=lang,
            border=counted_border(loaded.source.region_set, query.region, query.neighbour),
        )

    key = (*loaded.key, data_today(loaded), query, lang)
    return remembered("map", key, compute, on_disk=query.as_of is None)


def default_layers(source: Source) -> tuple[str, ...]:
    """The layer kinds the page shows until the user chooses: all the source has."""
    return tuple(n for n in REGISTRY if n in source.layers)


def first_query(loaded: Loaded) -> PageQuery:
    """The query a page opens on for a loaded source: what its widgets start with.

    The source's default pair (:func:`geo.reconcile.default_pair`), every layer
    (:func:`default_layers`), :data:`DEFAULT_STATUSES` and the year the data describe.
    """
    path, _, stamp, datum = loaded.key
    source = loaded.source
    region, neighbour = default_pair(source.region_set.names, source.folder)
    return PageQuery(
        path, stamp, datum, region, neighbour, None, DEFAULT_STATUSES, default_layers(source)
    )


def first_view(path: str) -> tuple[Loaded, PageQuery]:
    """The source at ``path`` loaded (or read from disk) and the query its page opens on."""
    loaded = load(path, source_stamp(path), WGS84_DATUM)
    return loaded, first_query(loaded)


def prepare_first_view(path: str) -> None:
    """Compute, or read from disk, everything the page's first view of ``path`` needs.

    The page opens on :func:`first_query`, in either language. The server calls this as it
    starts (``server.py``), so the first browser finds the results on disk and the map's
    context made.
    """
    loaded, query = first_view(path)
    result = count(loaded, query)
    map_context.context_json()  # the map's context, made once per process (0.1 s here)
    for language in LANGUAGES:
        map_content(loaded, result, query, language)
    against_documents(loaded, query.region)
    # What the page's second run shows (the tables follow the map), then the report's
    # measures in every named basis, so that changing the basis need not count them.
    overview(loaded, result, query)
    for basis in BASES.values():
        page_beside_report(loaded, dataclasses.replace(query, statuses=basis.statuses))


# The code stamp of this process, taken once the engine is imported: results are stored
# under the code that computes them even if the files change while the server runs.
result_cache.code_stamp()
