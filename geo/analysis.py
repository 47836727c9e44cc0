"""The whole crossing computation: layers + regions -> interfaces, summary, warnings."""

from __future__ import annotations

import gc
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo.border_index import BorderIndex, lent_border_index
from geo.coverage import Coverage
from geo.crossings import ChunkResult, join_stubs, scan_lines
from geo.errors import InvalidParameterError, layer_spec
from geo.interfaces import INTERFACE_COLUMNS, group_interfaces
from geo.labels import LAYER_LABELS
from geo.lifecycle import network_at, overdue_at, overdue_warning
from geo.loose_ends import loose_ends_near_border
from geo.projection import WGS84, require_crs
from geo.regions import RegionSet, orient
from geo.rules import CrossingRules
from geo.sea_links import resolve_sea_links
from geo.summary import summarise
from geo.text import Bilingual
from layers import LayerSpec

#: Lines handled per chunk: bounds the memory of the vectorised steps.
CHUNK_LINES = 50_000

#: The along rows' columns and their types. Fixed, so that a layer's rows come out alike
#: whatever other layers are counted with it: an empty layer's rows were objects, and
#: concatenated with another layer's they made that layer's ``a`` and ``b`` objects too.
ALONG_DTYPES = {"a": "str", "b": "str", "layer": "str", "class": "str", "metres": "float64"}


@dataclass
class CrossingResult:
    """Everything one run computes.

    Attributes
    ----------
    interfaces
        One row per interface (all layers), WGS84 points.
    summary
        One row per region pair, layer and class (:data:`geo.summary.SUMMARY_COLUMNS`).
    warnings
        Problems the user should know about, each one sentence (one per layer for
        features overdue in the ``as_of`` year, see :func:`geo.lifecycle.overdue_at`).
    region_set
        The regions, borders and pairs used.
    rules
        The rules used.
    along
        Line lengths along borders (``a``, ``b``, ``layer``, ``class``, ``metres``).
    statuses
        The statuses counted (:mod:`geo.basis` names and captions them).
    as_of
        The year counted; None for the network as the data stand.
    coverage
        What the data cover (:mod:`geo.coverage`); None: every border and layer.
    """

    interfaces: gpd.GeoDataFrame
    summary: pd.DataFrame
    warnings: list[Bilingual]
    region_set: RegionSet
    rules: CrossingRules
    along: pd.DataFrame = field(default_factory=pd.DataFrame)
    statuses: tuple[str, ...] = ("open",)
    as_of: int | None = None
    coverage: Coverage | None = None


def frame_chunks(
    frame: gpd.GeoDataFrame, chunk_lines: int = CHUNK_LINES
) -> Iterator[gpd.GeoDataFrame]:
    """Split a layer into chunks of ``chunk_lines`` features, keeping the row numbers."""
    for start in range(0, len(frame), chunk_lines):
        yield frame.iloc[start : start + chunk_lines]


@dataclass
class LayerCount:
    """Interfaces, along-border lengths and warnings of one layer."""

    interfaces: gpd.GeoDataFrame
    along: pd.DataFrame
    warnings: list[Bilingual]


def count_layer(
    chunks: Iterable[gpd.GeoDataFrame],
    index: BorderIndex,
    crs: CRS,
    *,
    layer: str,
    rules: CrossingRules,
    workers: int = 1,
) -> LayerCount:
    """Count the interfaces of one line layer, streamed in chunks.

    Parameters
    ----------
    chunks
        GeoDataFrames of features with the common attribute columns, any CRS; row labels
        must be unique across chunks (they identify features in the results). Only the
        attributes of features that cross or reach a border are kept between chunks, so a
        large layer can be generated or read piece by piece.
    index
        :func:`geo.border_index.build_border_index` of the region set.
    crs
        The region set's metric CRS.
    layer
        The layer's name.
    rules
        The crossing rules.
    workers
        Threads scanning chunks at once; 1 scans in the calling thread. Most of the scan
        runs in numpy and GEOS, which release the GIL, so two threads on two cores scan
        about 1.5 times as fast as one. At most two chunks per thread are in flight, so
        memory stays bounded.

    Notes
    -----
    Crossings do not depend on how the layer is cut into chunks (lines split at a border
    are joined after all chunks are scanned). The clipped-line warning does: a line end
    counts as loose when no other line *of its chunk* touches it, so small chunks can
    report more such ends.
    """
    with _cyclic_gc_paused():
        return _count_layer(chunks, index, crs, layer=layer, rules=rules, workers=workers)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (reference counting goes on), then restore it.

    A layer's scan and grouping allocate millions of small objects (transitions, tuples,
    pandas internals); every few hundred of them trigger a collection, every so often one
    that walks every tracked object alive, and while it runs, with the GIL held, the
    scanning threads wait: about 0.5-0.9 s of the 3.9-4.2 s the benchmark's 20 M segments
    took. The scan makes few reference cycles, so memory does not grow meanwhile; whatever
    cycles it leaves are collected once the collector runs again. Nested calls and a
    collector already disabled are respected.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _count_layer(
    chunks: Iterable[gpd.GeoDataFrame],
    index: BorderIndex,
    crs: CRS,
    *,
    layer: str,
    rules: CrossingRules,
    workers: int,
) -> LayerCount:
    """:func:`count_layer`, with the collector as the caller left it."""
    scanned = scan_layer(chunks, index, crs, layer=layer, rules=rules, workers=workers)
    return finish_layer(scanned, index, crs, layer=layer, rules=rules)


@dataclass
class LayerScan:
    """What the scan of a layer's lines finds, before stubs, sea links and grouping.

    Attributes
    ----------
    scan
        Transitions, stubs, sea ends and lines, along lengths and gap rows, all chunks
        merged in chunk order.
    features
        The attributes (no geometry) of the features that appear in ``scan``, by row label,
        in label order.
    loose
        Loose line ends near a border ``(label, metres, id)`` (the clipped-line warning).

    Notes
    -----
    Every entry of ``scan`` is found from one line alone (a line's transitions do not
    depend on the other lines), so the scan of a subset of the lines is the scan of all of
    them restricted to the subset (:meth:`restricted`); only ``loose`` depends on the other
    lines of a chunk. :mod:`geo.timeline` relies on this to scan the lines of every year
    once.
    """

    scan: ChunkResult
    features: pd.DataFrame
    loose: list[tuple[object, float, str]]

    def restricted(self, rows: set[object], features: pd.DataFrame) -> LayerScan:
        """The scan of only the lines labelled ``rows``, with ``features`` as attributes.

        Loose ends are left out: whether an end is loose depends on the other lines of its
        chunk, so the clipped-line warning cannot be restricted (it is empty).

        Parameters
        ----------
        rows
            Row labels kept.
        features
            The attributes of (at least) the kept rows that :attr:`scan` involves, by label,
            in label order: e.g. with the status and capacity of another year.
        """
        kept = ChunkResult(
            transitions=[t for t in self.scan.transitions if all(r in rows for r in t.rows)],
            stubs=[s for s in self.scan.stubs if s.row in rows],
            skipped_gap=[r for r in self.scan.skipped_gap if r in rows],
            sea_ends=[e for e in self.scan.sea_ends if e.row in rows],
            sea_lines=[line for line in self.scan.sea_lines if line.row in rows],
        )
        for key, metres in self.scan.along_m.items():
            if key[2] in rows:
                kept.along_m[key] += metres
        return LayerScan(kept, features, [])


def scan_layer(
    chunks: Iterable[gpd.GeoDataFrame],
    index: BorderIndex,
    crs: CRS,
    *,
    layer: str,
    rules: CrossingRules,
    workers: int = 1,
) -> LayerScan:
    """Scan a layer's lines chunk by chunk (the first half of :func:`count_layer`).

    Parameters are those of :func:`count_layer`; the cyclic collector is paused as there.
    """
    with _cyclic_gc_paused():
        spec = layer_spec(layer)
        scan = ChunkResult()
        kept: list[pd.DataFrame] = []
        loose: list[tuple[object, float, str]] = []
        for part, ends, involved in _scanned(chunks, index, crs, spec, rules, workers):
            scan.merge(part)
            loose.extend(ends)
            if involved is not None:
                kept.append(involved)
        features = (
            pd.concat(kept) if kept else pd.DataFrame(columns=["id", "class", "oneway"])
        )
        features = features[~features.index.duplicated()]
        return LayerScan(scan, features, loose)


def finish_layer(
    scanned: LayerScan, index: BorderIndex, crs: CRS, *, layer: str, rules: CrossingRules
) -> LayerCount:
    """Join stubs and sea links, group interfaces, measure along (the end of :func:`count_layer`).

    Parameters
    ----------
    scanned
        :func:`scan_layer`'s result, or a :meth:`LayerScan.restricted` one.
    index, crs, layer, rules
        As for :func:`count_layer`.
    """
    with _cyclic_gc_paused():
        scan, features = scanned.scan, scanned.features
        joined, dead = join_stubs(scan.stubs, features, index, rules)
        joined += resolve_sea_links(
            scan.sea_ends, scan.sea_lines, features, tolerance=rules.join_tolerance_m,
            index=index,
        )
        interfaces = group_interfaces(
            scan.transitions + joined, features, layer=layer, crs=crs, rules=rules
        )
        keys = list(scan.along_m)
        along = pd.DataFrame(
            {
                "a": [a for a, _, _ in keys],
                "b": [b for _, b, _ in keys],
                "layer": layer,
                "class": features["class"].to_numpy(dtype=object)[
                    features.index.get_indexer([row for _, _, row in keys])
                ],
                "metres": list(scan.along_m.values()),
            },
            columns=list(ALONG_DTYPES),
        ).astype(ALONG_DTYPES)
        warnings = _layer_warnings(layer, features, scan.skipped_gap, dead)
        crossing = {row for t in scan.transitions + joined for row in t.rows}
        loose = sorted(
            (item for item in scanned.loose if item[0] not in crossing), key=lambda item: item[1]
        )
        if loose:
            ids = ", ".join(fid for _, _, fid in loose[:6])
            more = f" and {len(loose) - 6} more" if len(loose) > 6 else ""
            span = (
                f"{loose[0][1]:.0f}"
                if len(loose) == 1
                else f"{loose[0][1]:.0f}-{loose[-1][1]:.0f}"
            )
            more_zh = f" 等另外 {len(loose) - 6} 条" if len(loose) > 6 else ""
            warnings.append(
                Bilingual(
                    f"{len(loose)} main {layer} line(s) stop {span} m short of a border with "
                    f"nothing beyond ({ids}{more}): the data was probably clipped there, so "
                    "crossings at those places cannot be counted.",
                    f"{len(loose)} 条主要{_layer_zh(layer)}线路在距边界 {span} 米处中断，"
                    f"对侧没有延续（{ids}{more_zh}）：数据可能在此被裁切，这些位置的跨界无法统计。",
                )
            )
        return LayerCount(interfaces, along, warnings)


ChunkOutput = tuple[ChunkResult, list[tuple[object, float, str]], pd.DataFrame | None]


def scan_chunk(
    chunk: gpd.GeoDataFrame, index: BorderIndex, crs: CRS, spec: LayerSpec, rules: CrossingRules
) -> ChunkOutput:
    """Scan one chunk of a layer.

    Returns its results, its loose ends ``(label, metres, id)`` and the attributes of the
    features that appear in the results (None when none do).
    """
    require_crs(chunk, what=f"The {spec.name} layer")
    metric = chunk if CRS(chunk.crs) == crs else chunk.to_crs(crs)
    geoms = metric.geometry.values.to_numpy()
    if (shapely.get_type_id(geoms) == 1).all():
        lines, owner = geoms, np.arange(len(geoms))
    else:
        lines, owner = shapely.get_parts(geoms, return_index=True)
    usable = (shapely.get_type_id(lines) == 1) & ~shapely.is_empty(lines)
    lines, owner = lines[usable], owner[usable]
    labels = metric.index.to_numpy()[owner]
    oneway = metric["oneway"].fillna(0).astype(int).to_numpy()[owner]
    coordinates = shapely.get_coordinates(lines, return_index=True)
    part = scan_lines(lines, labels, oneway, index, rules, coordinates)
    ends = loose_ends_near_border(
        metric,
        index,
        main_classes=spec.main_classes,
        near_m=rules.noise_m,
        far_m=rules.clip_warning_m,
        parts=(lines, owner, *coordinates) if usable.all() else None,
    )
    loose = []
    if ends:
        ids = metric.loc[[label for label, _ in ends], "id"].astype(str)
        loose = [(label, metres, fid) for (label, metres), fid in zip(ends, ids)]
    involved = part.rows()
    attrs = None
    if involved:
        # The few rows first, then without the geometry: dropping a column of the whole
        # chunk first copied every column (3.6 against 1.3 ms on the embedded data). Row
        # labels are unique (count_layer's contract), so each label has one position.
        rows = metric.iloc[metric.index.get_indexer(sorted(involved))]
        attrs = pd.DataFrame(rows.drop(columns=rows.geometry.name))
    return part, loose, attrs


def _scanned(
    chunks: Iterable[gpd.GeoDataFrame],
    index: BorderIndex,
    crs: CRS,
    spec: LayerSpec,
    rules: CrossingRules,
    workers: int,
) -> Iterator[ChunkOutput]:
    """Scan the chunks, in this thread or in ``workers`` threads; results come in order."""
    chunks = (chunk for chunk in chunks if not chunk.empty)
    if workers <= 1:
        for chunk in chunks:
            yield scan_chunk(chunk, index, crs, spec, rules)
        return
    local = threading.local()

    def scan(chunk: gpd.GeoDataFrame) -> ChunkOutput:
        if not hasattr(local, "index"):
            local.index = index.thread_copy()
        return scan_chunk(chunk, local.index, crs, spec, rules)

    with ThreadPoolExecutor(workers) as pool:
        pending: deque[Future[ChunkOutput]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(scan, chunk))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def pair_of(
    region_set: RegionSet, region: str | None, neighbour: str | None
) -> tuple[str | None, str | None]:
    """The data's names of a focus ``region`` and of its ``neighbour``, from any of their names.

    Raises
    ------
    InvalidParameterError
        When a ``neighbour`` is given without a ``region``.
    UnknownRegionError
        When either is not in the data, or the neighbour does not border the region
        (:meth:`geo.regions.RegionSet.require_neighbour`).
    """
    if neighbour is not None and region is None:
        raise InvalidParameterError(
            Bilingual(
                f"A neighbour ({neighbour}) is the other side of a region's border, and no "
                "region is given; name the region whose border it is too.",
                f"相邻地区（{neighbour}）是某个地区边界的另一侧，但没有给出地区；"
                "请同时给出这条边界所属的地区。",
            )
        )
    if region is None:
        return None, None
    region = region_set.require(region)  # any of its names: the data's from here on
    if neighbour is not None:
        neighbour = region_set.require_neighbour(region, neighbour)
    return region, neighbour


def count_crossings(
    layers: Mapping[str, gpd.GeoDataFrame],
    region_set: RegionSet,
    *,
    rules: CrossingRules | None = None,
    region: str | None = None,
    as_of: int | None = None,
    statuses: Sequence[str] = ("open",),
    chunk_lines: int = CHUNK_LINES,
    workers: int = 1,
    data_year: int | None = None,
    coverage: Coverage | None = None,
    neighbour: str | None = None,
) -> CrossingResult:
    """Count the cross-border interfaces of line layers.

    Parameters
    ----------
    layers
        ``{layer name: features}`` with the common attribute columns of
        :mod:`layers.base` and a CRS.
    region_set
        Regions, border stretches and pairs.
    rules
        Crossing rules; the defaults when ``None``.
    region
        Report only pairs involving this region.
    as_of
        Year at which to take the network (status from ``start_year``); today when None.
    statuses
        Statuses (in the ``as_of`` year) of the features that are counted.
    chunk_lines
        Lines per chunk in the vectorised scan.
    workers
        Threads scanning chunks at once (see :func:`count_layer`).
    data_year
        The year the tags describe (an OSM extract's timestamp): a construction site whose
        expected opening is before it is overdue (:mod:`geo.lifecycle`); the current year
        when None.
    coverage
        Which borders and layers the data cover (:attr:`geo.io.sources.Source.coverage`);
        the summary says so per row (``covered``, ``partly``). Every border and layer
        when None.
    neighbour
        With ``region``, report only its border with this region (any of its names): the
        rows of that border exactly as counting every border of ``region`` gives them
        (the lines are counted on every border alike, and the others' rows left out).

    Returns
    -------
    CrossingResult
        Its interfaces carry ``overdue``: whether any of their features is still tagged as
        under construction after its opening date (:func:`geo.lifecycle.overdue_at`). Their
        ids are stable (:func:`geo.interfaces.interface_ids`).
    """
    rules = rules or CrossingRules()
    region, neighbour = pair_of(region_set, region, neighbour)
    with lent_border_index(region_set, rules) as index:
        interfaces, along, overdue_ids, warnings = _count_layers(
            layers, region_set, index, rules, as_of, statuses, chunk_lines, workers, data_year
        )
    counted_layers = [n for n in layers if layer_spec(n).geometry == "line"]
    return crossing_result(
        interfaces,
        along,
        region_set.focus(region, neighbour),
        region=region,
        neighbour=neighbour,
        layers=counted_layers,
        overdue_ids=overdue_ids,
        warnings=warnings,
        rules=rules,
        statuses=statuses,
        as_of=as_of,
        coverage=coverage,
    )


def crossing_result(
    interfaces: gpd.GeoDataFrame,
    along: pd.DataFrame,
    focus: RegionSet,
    *,
    region: str | None,
    layers: Sequence[str],
    overdue_ids: set[str],
    warnings: list[Bilingual],
    rules: CrossingRules,
    statuses: Sequence[str] = ("open",),
    as_of: int | None = None,
    coverage: Coverage | None = None,
    neighbour: str | None = None,
) -> CrossingResult:
    """The result of a count from its layers' interfaces and along rows (all pairs).

    The last step of :func:`count_crossings`, shared with :mod:`geo.timeline`: marks the
    overdue interfaces, keeps and orients the pairs of ``region`` (all when None) and
    summarises them.

    Parameters
    ----------
    interfaces
        The interfaces of every counted layer, concatenated in layer order.
    along
        Their along-border rows.
    focus
        The regions counted on, focused on ``region`` (:meth:`geo.regions.RegionSet.focus`).
    region
        Report only pairs involving this region.
    layers
        The (line) layers counted, in order.
    overdue_ids
        Ids of the features overdue in the year counted.
    warnings
        The run's warnings, kept as they are.
    rules
        The crossing rules used.
    statuses
        The statuses counted.
    as_of
        The year counted (None: today).
    coverage
        Which borders and layers the data cover (see :func:`count_crossings`).
    neighbour
        With ``region``, keep only its border with this region (the data's name; ``focus``
        then holds that pair alone: :meth:`geo.regions.RegionSet.focus`).
    """
    interfaces["overdue"] = [
        any(fid in overdue_ids for fid in str(ids).split(";")) for ids in interfaces["source_ids"]
    ]
    if region is not None:
        interfaces = orient(
            interfaces[(interfaces["a"] == region) | (interfaces["b"] == region)], region
        )
        along = orient(along[(along["a"] == region) | (along["b"] == region)], region)
        if neighbour is not None:
            interfaces = interfaces[interfaces["b"] == neighbour]
            along = along[along["b"] == neighbour]
    pairs = _pairs_with_links(focus, interfaces)
    summary = summarise(interfaces, along, pairs, layers, coverage=coverage, as_of=as_of)
    return CrossingResult(
        interfaces.reset_index(drop=True),
        summary,
        warnings,
        focus,
        rules,
        along,
        statuses=tuple(statuses),
        as_of=as_of,
        coverage=coverage,
    )


def _count_layers(
    layers: Mapping[str, gpd.GeoDataFrame],
    region_set: RegionSet,
    index: BorderIndex,
    rules: CrossingRules,
    as_of: int | None,
    statuses: Sequence[str],
    chunk_lines: int,
    workers: int,
    data_year: int | None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, set[str], list[Bilingual]]:
    """:func:`count_crossings`' layers, each at the year and statuses, on one index.

    Returns the interfaces, the along-border rows, the ids of overdue features and the
    warnings (the region set's first).
    """
    warnings = list(region_set.warnings)
    counts: list[LayerCount] = []
    overdue_ids: set[str] = set()
    for name, frame in layers.items():
        if layer_spec(name).geometry != "line" or frame.empty:
            continue
        overdue = overdue_at(frame, as_of, today=data_year)
        late = overdue_warning(name, frame, overdue)
        if late:
            warnings.append(late)
            overdue_ids.update(frame.loc[overdue, "id"].astype(str))
        counted = network_at(frame.assign(overdue=overdue), as_of, statuses, today=data_year)
        counted = counted.reset_index(drop=True)
        result = count_layer(
            frame_chunks(counted, chunk_lines),
            index,
            region_set.crs,
            layer=name,
            rules=rules,
            workers=workers,
        )
        counts.append(result)
        warnings.extend(result.warnings)
    interfaces, along = join_layer_counts(counts)
    return interfaces, along, overdue_ids, warnings


def join_layer_counts(counts: Sequence[LayerCount]) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The interfaces (WGS84) and along rows of several layers, one after the other.

    Both are new frames: changing them leaves the layers' counts as they were. Layers with
    no along rows are left out of their concatenation, as frames of other column types
    would change the types of the others' (:data:`ALONG_DTYPES`).
    """
    frames = [c.along for c in counts if not c.along.empty]
    along = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=list(ALONG_DTYPES)).astype(ALONG_DTYPES)
    )
    return _concat([c.interfaces for c in counts]), along


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return gpd.GeoDataFrame(columns=INTERFACE_COLUMNS, geometry=gpd.GeoSeries([], crs=WGS84))
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=WGS84)


def _pairs_with_links(region_set: RegionSet, interfaces: pd.DataFrame) -> pd.DataFrame:
    """The region set's pairs plus any pair that only links reveal (e.g. over open sea)."""
    pairs = region_set.pairs[["a", "b", "kind"]]
    seen = {tuple(sorted(ab)) for ab in zip(pairs["a"], pairs["b"])}
    revealed: dict[tuple[str, str], dict[str, str]] = {}
    for a, b in zip(interfaces["a"], interfaces["b"]):
        key = tuple(sorted((a, b)))
        if key not in seen:
            revealed.setdefault(key, {"a": a, "b": b, "kind": "maritime"})
    extra = pd.DataFrame([revealed[key] for key in sorted(revealed)], columns=["a", "b", "kind"])
    return pd.concat([pairs, extra], ignore_index=True)


def _layer_warnings(
    layer: str, features: pd.DataFrame, gap_rows: list[int], dead_ends: int
) -> list[Bilingual]:
    out = []
    if gap_rows:
        ids = ", ".join(sorted({str(features.at[r, "id"]) for r in gap_rows})[:5])
        out.append(
            Bilingual(
                f"{len(set(gap_rows))} {layer} feature(s) leave a region through a part of its "
                f"boundary that is missing from the data ({ids}); they are not counted.",
                f"{len(set(gap_rows))} 个{_layer_zh(layer)}要素经由数据中缺失的一段行政区边界"
                f"离开该地区（{ids}），未被统计。",
            )
        )
    if dead_ends:
        out.append(
            Bilingual(
                f"{dead_ends} {layer} line end(s) stop exactly at a border with no continuation "
                "on the other side; they are not counted as crossings.",
                f"{dead_ends} 个{_layer_zh(layer)}线端恰好止于边界，对侧没有延续，不计为跨界。",
            )
        )
    return out


def _layer_zh(layer: str) -> str:
    """A layer's name in Chinese (``公路``), for the warnings' sentences."""
    return LAYER_LABELS.get(layer, {}).get("zh", layer)
