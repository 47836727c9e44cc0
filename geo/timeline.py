"""Growth over time: routes, interfaces and capacity per border and layer, year by year.

:func:`timeline` gives the long table of :mod:`geo.overview` for every year from the data's
first to the current one, with the documented figures of an embedded dataset
(:func:`documented_points`) so that a chart can mark them.

**How it is fast.** Counting each year from scratch (:func:`geo.analysis.count_crossings`
37 times) took 3.6 s for 1990-2026 on the embedded dataset. But the geometry does not
change with the year, only which features are in the network and their status and
capacity. :func:`results_by_year` therefore:

1. finds every feature of a line layer that is in the network (has one of the statuses)
   in *any* of the years, and scans those lines once (:func:`geo.analysis.scan_layer`):
   a line's transitions, stubs, sea ends and along lengths do not depend on the other
   lines (:class:`geo.analysis.LayerScan`);
2. per year, keeps the scan's entries of the lines in that year's network
   (:meth:`geo.analysis.LayerScan.restricted`), with that year's status and capacity,
   and joins stubs, sea links and interfaces as a count does
   (:func:`geo.analysis.finish_layer`);
3. does step 2 once per distinct *state* of a layer: the features of its scan in the
   network, with their status and capacity. Years with the same state share its result,
   and years whose layers all share their states share one whole result.

The results are those of :func:`geo.analysis.count_crossings` at each year (a test checks
every year 1990-2026 on ``yrd`` and a synthetic case), clipped-line warning included: a
line end is loose when no other line of its chunk touches it, so the ends of each year's
network are checked as a count checks them (once per distinct network, a few
milliseconds), when a count would scan that network in one chunk. Two limits remain for
layers of more than ``chunk_lines`` lines: the clipped-line warning is then not given (a
count's chunks of a year's network are not the history's), and the order in which
transitions are met can differ from a count's, which may only change which of two equal
candidates a tie picks. ``benchmarks/timeline_benchmark.py`` times both ways.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis import (
    CHUNK_LINES,
    CrossingResult,
    LayerCount,
    LayerScan,
    crossing_result,
    finish_layer,
    frame_chunks,
    join_layer_counts,
    pair_of,
    scan_layer,
)
from geo.basis import get_basis
from geo.border_index import BorderIndex, lent_border_index
from geo.coverage import BorderNote, Coverage, border_notes
from geo.errors import InvalidParameterError, layer_spec
from geo.labels import years_caption
from geo.lifecycle import (
    check_year,
    current_year,
    overdue_at,
    overdue_warning,
    status_at,
    value_at,
    year_range,
)
from geo.loose_ends import loose_ends_near_border
from geo.overview import TOTAL_COLUMNS, border_totals
from geo.port_borders import PORT_REACH_M, PortSites, border_ports, ports_and_sites
from geo.reconcile import load_documented
from geo.regions import RegionSet
from geo.rules import CrossingRules
from geo.text import Bilingual
from geo.values import is_missing

#: Columns of the timeline's table: the year, then :data:`geo.overview.TOTAL_COLUMNS`.
TIMELINE_COLUMNS = ["year", *TOTAL_COLUMNS]

#: Columns of :func:`documented_points`.
DOCUMENTED_COLUMNS = [
    "a", "b", "layer", "class", "measure", "column", "year", "value", "statuses",
    "quote_zh", "quote_en", "source",
]  # fmt: skip

#: The timeline column each documented measure (:mod:`geo.reconcile`) is a point of.
MEASURE_COLUMNS = {
    "expressways": "routes",
    "routes": "routes",
    "waterways": "routes",
    "interfaces": "interfaces",
    "lanes": "capacity",
    "berths": "capacity",
    "teu": "teu",
}


@dataclass(frozen=True)
class Timeline:
    """Routes, interfaces and capacity per border and layer, year by year.

    Attributes
    ----------
    first_year, last_year
        The years covered, both included.
    statuses
        The statuses counted in every year.
    region
        The focus region, None for every pair.
    neighbour
        With ``region``, the one neighbour whose border is reported; None for all.
    rows
        :data:`TIMELINE_COLUMNS`: one row per year, border and layer.
    documented
        The documented figures to mark (:func:`documented_points`).
    caption
        ``{"en": ..., "zh": ...}``: the years and the statuses counted.
    coverage_notes
        The borders and layers not wholly covered in some of the years, why, what would
        cover them, and the years each note holds for (:func:`geo.coverage.border_notes`).
    """

    first_year: int
    last_year: int
    statuses: tuple[str, ...]
    region: str | None
    rows: pd.DataFrame
    documented: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=DOCUMENTED_COLUMNS)
    )
    caption: dict[str, str] = field(default_factory=dict)
    coverage_notes: tuple[BorderNote, ...] = ()
    neighbour: str | None = None


def timeline_years(
    layers: Mapping[str, pd.DataFrame], data_year: int | None = None
) -> tuple[int, int]:
    """The default years of a timeline: the data's first year to the current one.

    The first is the earliest ``start_year`` (:func:`geo.lifecycle.year_range`); the last
    is the year the data describe (``data_year``), else this year. Data without years give
    the last year alone.
    """
    last = data_year or current_year()
    found = year_range(layers)
    first = min(found[0], last) if found else last
    return first, last


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The lifecycle columns of a layer as a plain frame (read every year: faster so)."""
    return pd.DataFrame(frame[[c for c in _LIFECYCLE if c in frame.columns]])


#: The columns :mod:`geo.lifecycle` reads (status, years, histories, capacity, id).
_LIFECYCLE = (
    "id", "status", "start_year", "works_start_year", "end_year", "check_year",
    "status_by_year", "capacity", "capacity_by_year",
)  # fmt: skip


def _key(values: Iterable[object]) -> tuple[Hashable, ...]:
    """Values as a hashable key; missing values (None, NaN, NA) all as None."""
    return tuple(None if is_missing(v) else v for v in values)


@dataclass
class _LayerYear:
    """One layer in one year: its state's key and count, and its overdue features."""

    key: tuple[Hashable, ...]
    count: LayerCount
    late: Bilingual | None
    overdue_ids: frozenset[str]


class _LayerHistory:
    """A layer scanned once for the union of its networks over the years."""

    def __init__(
        self,
        name: str,
        frame: gpd.GeoDataFrame,
        years: Sequence[int],
        statuses: Sequence[str],
        today: int | None,
        index: BorderIndex,
        region_set: RegionSet,
        rules: CrossingRules,
        chunk_lines: int,
        workers: int,
    ) -> None:
        self.name, self.frame, self.today = name, _plain(frame), today
        self.index, self.crs, self.rules = index, region_set.crs, rules
        self.chunk_lines = chunk_lines
        self.statuses = list(statuses)
        self.status = {
            y: status_at(self.frame, y, today=today).to_numpy(dtype=object) for y in years
        }
        present = [np.isin(self.status[y], self.statuses) for y in years]
        union = np.flatnonzero(np.logical_or.reduce(present)) if present else np.array([], int)
        # Row labels are positions in the layer: a year's network is a subset in that order.
        base = frame.assign(overdue=False).iloc[union]
        base.index = union
        self.scanned: LayerScan = scan_layer(
            frame_chunks(base, chunk_lines), index, self.crs, layer=name, rules=rules,
            workers=workers,
        )  # fmt: skip
        # The union's lines in the metric CRS, for each year's loose ends (_loose).
        self.metric = base if base.crs == self.crs else base.to_crs(self.crs)
        self.ids = frame["id"].astype(str).to_numpy()
        self.loose_by_network: dict[bytes, tuple[tuple[object, float, str], ...]] = {}
        self.involved = self.scanned.features.index.to_numpy(dtype=np.int64)
        # Capacities are read for the lines the scan involves only.
        self.capacities = self.frame.iloc[self.involved]
        self.counts: dict[tuple[Hashable, ...], LayerCount] = {}

    def at(self, year: int) -> _LayerYear:
        """The layer's count in ``year`` (shared by the years of the same state)."""
        overdue = overdue_at(self.frame, year, today=self.today)
        late, overdue_ids = None, frozenset[str]()
        if overdue.any():
            late = overdue_warning(self.name, self.frame, overdue)
            overdue_ids = frozenset(self.frame.loc[overdue, "id"].astype(str))
        status = self.status[year]
        kept = np.isin(status[self.involved], self.statuses)
        rows = self.involved[kept]
        capacity = value_at(self.capacities, "capacity", year).to_numpy(dtype=object)[kept]
        loose = self._loose(status)
        key = (tuple(rows.tolist()), _key(status[rows]), _key(capacity), loose)
        if key not in self.counts:
            features = self.scanned.features.loc[rows].copy()
            features["status"] = pd.Series(status[rows], index=features.index, dtype=object)
            features["capacity"] = pd.Series(capacity, index=features.index, dtype=object)
            features["overdue"] = overdue.to_numpy(dtype=bool)[rows]
            restricted = self.scanned.restricted(set(rows.tolist()), features)
            restricted = LayerScan(restricted.scan, restricted.features, list(loose))
            self.counts[key] = finish_layer(
                restricted, self.index, self.crs, layer=self.name, rules=self.rules
            )
        return _LayerYear(key, self.counts[key], late, overdue_ids)


    def _loose(self, status: np.ndarray) -> tuple[tuple[object, float, str], ...]:
        """The loose ends near a border of the network of one year's ``status``.

        As a count finds them (:func:`geo.analysis.scan_chunk`) when it scans that network
        in one chunk; none otherwise (see the module docstring). Once per network.
        """
        network = np.flatnonzero(np.isin(status, self.statuses))
        if len(network) > self.chunk_lines:
            return ()
        key = network.tobytes()
        if key not in self.loose_by_network:
            ends = loose_ends_near_border(
                self.metric.loc[network],
                self.index,
                main_classes=layer_spec(self.name).main_classes,
                near_m=self.rules.noise_m,
                far_m=self.rules.clip_warning_m,
            )
            positions = np.asarray([label for label, _ in ends], dtype=np.int64)
            ids = self.ids[positions].tolist()
            self.loose_by_network[key] = tuple(
                (label, metres, fid) for (label, metres), fid in zip(ends, ids, strict=True)
            )
        return self.loose_by_network[key]


def results_by_year(
    layers: Mapping[str, gpd.GeoDataFrame],
    region_set: RegionSet,
    years: Iterable[int],
    *,
    statuses: Sequence[str] = ("open",),
    region: str | None = None,
    rules: CrossingRules | None = None,
    data_year: int | None = None,
    chunk_lines: int = CHUNK_LINES,
    workers: int = 1,
    coverage: Coverage | None = None,
    neighbour: str | None = None,
) -> dict[int, CrossingResult]:
    """:func:`geo.analysis.count_crossings` at each of ``years``, computed together.

    Parameters
    ----------
    layers, region_set, statuses, region, rules, data_year, chunk_lines, workers, coverage
    neighbour
        As for :func:`geo.analysis.count_crossings`.
    years
        The years (each checked by :func:`geo.lifecycle.check_year`).

    Returns
    -------
    dict
        ``{year: result}`` in the order of ``years``. Years whose networks are the same
        share one result object: do not change it. The results carry every warning of a
        count but the clipped-line one (see the module docstring).
    """
    years = [check_year(y, Bilingual("a timeline year", "时间线的年份")) for y in years]
    rules = rules or CrossingRules()
    region, neighbour = pair_of(region_set, region, neighbour)  # the data's from here on
    counted = [n for n in layers if layer_spec(n).geometry == "line"]
    focus = region_set.focus(region, neighbour)
    out: dict[int, CrossingResult] = {}
    with lent_border_index(region_set, rules) as index:
        histories = [
            _LayerHistory(
                name, frame, years, statuses, data_year, index, region_set, rules,
                chunk_lines, workers,
            )
            for name, frame in layers.items()
            if layer_spec(name).geometry == "line" and not frame.empty
        ]
        shared: dict[tuple[Hashable, ...], CrossingResult] = {}
        for year in years:
            parts = [history.at(year) for history in histories]
            key = (
                tuple((p.key, p.late, p.overdue_ids) for p in parts),
                _uncovered_in(coverage, year),
            )
            if key not in shared:
                shared[key] = _result(
                    parts, region_set, focus, region, counted, rules,
                    statuses=statuses, as_of=year, coverage=coverage, neighbour=neighbour,
                )  # fmt: skip
            out[year] = shared[key]
    return out


def _result(
    parts: Sequence[_LayerYear],
    region_set: RegionSet,
    focus: RegionSet,
    region: str | None,
    counted: Sequence[str],
    rules: CrossingRules,
    *,
    statuses: Sequence[str],
    as_of: int,
    coverage: Coverage | None,
    neighbour: str | None = None,
) -> CrossingResult:
    """One year's result from its layers' counts, as :func:`count_crossings` makes it."""
    warnings = list(region_set.warnings)
    overdue_ids: set[str] = set()
    for part in parts:
        if part.late:
            warnings.append(part.late)
            overdue_ids.update(part.overdue_ids)
        warnings.extend(part.count.warnings)
    interfaces, along = join_layer_counts([p.count for p in parts])
    return crossing_result(
        interfaces, along, focus, region=region, layers=counted,
        overdue_ids=overdue_ids, warnings=warnings, rules=rules, statuses=statuses,
        as_of=as_of, coverage=coverage, neighbour=neighbour,
    )  # fmt: skip


def _uncovered_in(coverage: Coverage | None, year: int) -> frozenset[tuple[str, str, str]]:
    """The borders and layers covered only from a year after ``year`` (their cover changes)."""
    if coverage is None:
        return frozenset()
    return frozenset(
        key
        for key, cover in coverage.cells.items()
        if cover.since is not None and year < cover.since
    )


def timeline(
    layers: Mapping[str, gpd.GeoDataFrame],
    region_set: RegionSet,
    *,
    first_year: int | None = None,
    last_year: int | None = None,
    statuses: Sequence[str] = ("open",),
    region: str | None = None,
    rules: CrossingRules | None = None,
    data_year: int | None = None,
    folder: Path | None = None,
    workers: int = 1,
    port_reach_m: float = PORT_REACH_M,
    coverage: Coverage | None = None,
    results: Mapping[int, CrossingResult] | None = None,
    neighbour: str | None = None,
) -> Timeline:
    """Routes, interfaces and capacity per border and layer for every year of a span.

    Parameters
    ----------
    layers
        ``{layer name: features}``; line layers are counted, ``ports`` set beside their
        borders (:mod:`geo.port_borders`).
    region_set
        The regions.
    first_year, last_year
        The span, both included; by default :func:`timeline_years`.
    statuses
        The statuses counted in each year (a counting basis's statuses).
    region
        The focus region; None for every pair.
    rules
        Crossing rules; the defaults when None.
    data_year
        The year the data's tags describe.
    folder
        An embedded dataset's folder: its documented figures become
        :attr:`Timeline.documented`.
    workers
        Threads scanning lines.
    port_reach_m
        How near a port a link's end or a border must be.
    coverage
        Which borders and layers the data cover (:attr:`geo.io.sources.Source.coverage`):
        uncovered cells are missing, never 0; every border when None.
    results
        :func:`results_by_year` of (at least) the span's years, counted with the same
        layers, regions, statuses, region, rules, data year and coverage: a caller that
        keeps them for other uses (the page compares two years with them) need not count
        again. Counted here when None.
    neighbour
        With ``region``, only its border with this region (any of its names); ``results``,
        when given, must be counted with it too.

    Returns
    -------
    Timeline

    Raises
    ------
    InvalidParameterError
        When a year is out of range or the first is after the last.
    """
    default_first, default_last = timeline_years(layers, data_year)
    first = check_year(
        default_first if first_year is None else first_year, Bilingual("the first year", "起始年份")
    )
    last = check_year(
        default_last if last_year is None else last_year, Bilingual("the last year", "结束年份")
    )
    if first > last:
        raise InvalidParameterError(
            Bilingual(
                f"The timeline's first year {first} is after its last year {last}; give the "
                f"earlier year first, e.g. {last} {first}.",
                f"时间线的起始年份 {first} 晚于结束年份 {last}，请把较早的年份放在前面，"
                f"例如 {last} {first}。",
            )
        )
    years = range(first, last + 1)
    region, neighbour = pair_of(region_set, region, neighbour)  # any of their names
    if results is None:
        results = results_by_year(
            layers, region_set, years, statuses=statuses, region=region, rules=rules,
            data_year=data_year, workers=workers, coverage=coverage, neighbour=neighbour,
        )  # fmt: skip
    else:
        missing = [y for y in years if y not in results]
        if missing:
            listed = ", ".join(map(str, missing[:5]))
            raise InvalidParameterError(
                Bilingual(
                    f"The results given to the timeline lack the year(s) {listed}; count "
                    f"every year from {first} to {last}.",
                    f"提供给时间线的结果缺少 {listed} 年，请统计 {first} 到 {last} 的每一年。",
                )
            )
        results = {y: results[y] for y in years}
    ports, sites = ports_and_sites(layers, region_set, reach_m=port_reach_m)
    tables = _yearly_totals(results, ports, sites, statuses, data_year)
    rows = pd.concat(tables, ignore_index=True)
    rows.insert(0, "year", np.repeat(list(results), [len(t) for t in tables]))
    borders = zip(rows["a"], rows["b"])
    notes = border_notes(coverage, borders, dict.fromkeys(rows["layer"]), list(years))
    return Timeline(
        first_year=first,
        last_year=last,
        statuses=tuple(statuses),
        region=region,
        rows=rows[TIMELINE_COLUMNS],
        documented=documented_points(
            folder, region=region, layers=list(layers), neighbour=neighbour
        ),
        caption=years_caption(first, last, statuses, span=True),
        coverage_notes=notes,
        neighbour=neighbour,
    )


def _yearly_totals(
    results: Mapping[int, CrossingResult],
    ports: gpd.GeoDataFrame | None,
    sites: PortSites | None,
    statuses: Sequence[str],
    data_year: int | None,
) -> list[pd.DataFrame]:
    """The long table of each year, in order; one per distinct result and ports' state."""
    seen: dict[tuple[Hashable, ...], pd.DataFrame] = {}
    tables = []
    plain = _plain(ports) if ports is not None and sites is not None else None
    for year, result in results.items():
        state: tuple[Hashable, ...] = ()
        if plain is not None:
            status = status_at(plain, year, today=data_year)
            state = (_key(status), _key(value_at(plain, "capacity", year)))
        key = (id(result), state)
        if key not in seen:
            links = None
            if ports is not None and sites is not None:
                pairs = result.summary[["a", "b"]].drop_duplicates()
                links = border_ports(
                    sites, ports, result.interfaces, pairs, as_of=year, statuses=statuses,
                    today=data_year,
                )  # fmt: skip
            seen[key] = border_totals(result.interfaces, result.summary, links)
        tables.append(seen[key])
    return tables


def documented_points(
    folder: Path | None,
    *,
    region: str | None = None,
    layers: Sequence[str] = (),
    neighbour: str | None = None,
) -> pd.DataFrame:
    """The documented figures of an embedded dataset, as points of the timeline.

    Parameters
    ----------
    folder
        The dataset's folder (``documented.csv``); None gives no points.
    region
        Keep only borders of this region, oriented with it first.
    layers
        Keep only these layers (all when empty).
    neighbour
        With ``region``, keep only its border with this region.

    Returns
    -------
    pandas.DataFrame
        :data:`DOCUMENTED_COLUMNS`: the border (``a``, ``b``), ``layer``, ``class`` (the
        documented highway measures are of the ``motorway`` class, see
        :mod:`geo.reconcile`; ``""`` otherwise), the documented ``measure``, the timeline
        ``column`` it is a point of, ``year``, ``value``, the ``statuses`` it counts (those
        of the figure's ``basis`` in ``documented.csv``, :mod:`geo.basis`, joined by ``+``:
        the 2006 report counts links open or under construction, Yangshan's berths open),
        the quotes and the source.
    """
    if folder is None:
        return pd.DataFrame(columns=DOCUMENTED_COLUMNS)
    rows: list[dict[str, Any]] = []
    for doc in load_documented(folder).to_dict("records"):
        a, _, b = str(doc["border"]).partition("–")
        if region is not None and region not in (a, b):
            continue
        if region is not None and b == region:
            a, b = b, a
        if neighbour is not None and b != neighbour:
            continue
        if layers and doc["layer"] not in layers:
            continue
        rows.append(
            {
                "a": a,
                "b": b,
                "layer": doc["layer"],
                "class": "motorway" if doc["layer"] == "highways" else "",
                "measure": doc["measure"],
                "column": MEASURE_COLUMNS.get(str(doc["measure"]), str(doc["measure"])),
                "year": int(doc["as_of"]),
                "value": float(doc["value"]),
                "statuses": "+".join(get_basis(str(doc["basis"])).statuses),
                "quote_zh": doc.get("quote_zh", ""),
                "quote_en": doc.get("quote_en", ""),
                "source": doc.get("source", ""),
            }
        )
    return pd.DataFrame(rows, columns=DOCUMENTED_COLUMNS)

