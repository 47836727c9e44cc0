"""Every border at a glance: routes, interfaces and capacity per border and layer, in a year.

Two shapes of the same figures:

* :func:`border_totals`, the **long** table: one row per border (region pair) and layer
  (:data:`TOTAL_COLUMNS`). It is the data the comparison of two years
  (:mod:`geo.compare`) and the timeline (:mod:`geo.timeline`) are made of, and the JSON
  contract's ``borders[].layers`` (``docs/border-tables.md``).
* :func:`wide_table`, the **wide** table a planner pastes into a report: one row per border,
  columns ``{layer}_{measure}`` (:func:`wide_columns`), headers in English and Chinese from
  :func:`geo.labels.column_label`.

Per line layer: ``routes`` (:func:`geo.summary.count_routes` of the border's interfaces,
all classes together), ``interfaces``, and the capacity the layer counts (its
:class:`layers.LayerSpec`): the **sum** of lanes (highways) or tracks (railways), the
**best** (lowest) navigation grade (waterways; kept as the number 1-7 in data, shown as a
Roman numeral by :func:`geo.labels.grade_text`), the **largest** diameter in mm
(pipelines). Capacities are never guessed: the total is of the interfaces whose capacity is
known, and ``capacity_missing`` counts the others; a sum over no interface is 0, a best or
largest over none is missing, and a sum whose interfaces are all unknown is missing.

Ports (:mod:`geo.port_borders` says which border a port belongs to): ``interfaces`` is the
number of ports, ``capacity`` their berths (sum of the known ones), ``teu`` their container
capacity (sum of the known ones, missing when none is known); ``routes`` is missing.

Coverage: a summary may carry ``covered`` and ``partly`` columns (per pair and layer:
whether the data hold that border's links of that layer, all or only some;
:mod:`geo.coverage`). A border and layer that is not covered has every count missing, never
0, and reads "not covered" (:data:`geo.labels.NOT_COVERED`); one partly covered keeps its
counts and says so (``partly``), as the plain count does; without the columns every border
is wholly covered. Ports are covered on a border where any of its line layers is, and never
"partly": the coverage is stated of line layers only, as the plain count states it. Why a
border is not wholly covered, and what would cover it, is :attr:`Overview.coverage_notes`
(:func:`geo.coverage.border_notes`), from the count's own coverage.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis import CrossingResult, count_crossings, pair_of
from geo.coverage import BorderNote, Coverage, border_notes
from geo.errors import layer_spec
from geo.labels import counting_caption
from geo.lifecycle import current_year
from geo.port_borders import (
    PORT_LINK_COLUMNS,
    PORT_REACH_M,
    PortSites,
    border_ports,
    ports_and_sites,
)
from geo.regions import RegionSet
from geo.rules import CrossingRules
from geo.summary import pair_layer_counts
from geo.text import Bilingual
from layers import total_capacity

#: Columns of the long table (:func:`border_totals`).
TOTAL_COLUMNS = [
    "a", "b", "pair_kind", "layer", "covered", "partly", "routes", "interfaces", "capacity",
    "capacity_unit", "capacity_missing", "teu",
]  # fmt: skip

#: The integer columns of the long table (pandas' nullable ``Int64``: missing is ``<NA>``).
COUNT_COLUMNS = ("routes", "interfaces", "capacity", "capacity_missing", "teu")

#: The point layer reported beside the line layers.
PORTS = "ports"


@dataclass(frozen=True)
class Overview:
    """Every border of a region (or of the source) and layer, in one year.

    Attributes
    ----------
    as_of
        The year counted (None: the data as tagged).
    statuses
        The statuses counted.
    region
        The focus region, None for every pair.
    neighbour
        With ``region``, the one neighbour whose border is reported; None for all.
    totals
        The long table (:data:`TOTAL_COLUMNS`).
    table
        The wide table (:func:`wide_table`).
    ports
        Which ports belong to which border (:data:`geo.port_borders.PORT_LINK_COLUMNS`).
    interfaces
        The interfaces counted (:attr:`geo.analysis.CrossingResult.interfaces`).
    warnings
        The count's warnings.
    caption
        What is counted, ``{"en": ..., "zh": ...}`` (:func:`geo.labels.counting_caption`).
    year
        The year the figures describe: ``as_of``, else (the data as tagged) the year the
        data describe (an OSM extract's), else this year; what the page shows and names its
        files by, and what the CSV's ``as_of`` holds. None only for an overview built
        without it.
    coverage_notes
        The borders and layers not wholly covered, why, and what would cover them
        (:func:`geo.coverage.border_notes`); empty when the count had no coverage.
    """

    as_of: int | None
    statuses: tuple[str, ...]
    region: str | None
    totals: pd.DataFrame
    table: pd.DataFrame
    ports: pd.DataFrame
    interfaces: pd.DataFrame
    warnings: list[Bilingual] = field(default_factory=list)
    caption: dict[str, str] = field(default_factory=dict)
    year: int | None = None
    coverage_notes: tuple[BorderNote, ...] = ()
    neighbour: str | None = None


def counted_year(as_of: int | None, data_year: int | None) -> int:
    """The year a count describes: ``as_of``, else the data's year, else this year.

    The page's year shown (:func:`app.views.data_today` when ``as_of`` is None) and the
    exports' ``as_of`` (:func:`geo.pair_export.count_and_export`) are this year.

    Examples
    --------
    >>> counted_year(2006, 2013), counted_year(None, 2013)
    (2006, 2013)
    """
    if as_of is not None:
        return as_of
    return data_year if data_year is not None else current_year()


def capacity_name(layer: str) -> str:
    """The capacity's name in wide column names (``lanes``, ``best_grade`` ...).

    From the layer's unit and how its capacities combine: ``lanes``, ``tracks``,
    ``best_grade``, ``max_diameter``, ``berths``.

    Examples
    --------
    >>> [capacity_name(n) for n in ("highways", "waterways", "pipelines")]
    ['lanes', 'best_grade', 'max_diameter']
    """
    spec = layer_spec(layer)
    words = re.split(r"[ _]", spec.capacity_unit)
    if spec.capacity_total == "min":
        return "best_" + words[-1]
    if spec.capacity_total == "max":
        return "max_" + words[0]
    return words[0]


def wide_columns(layers: Sequence[str]) -> list[str]:
    """The wide table's columns for ``layers``, in order.

    ``a``, ``b``, ``pair_kind``, then per line layer ``{layer}_covered``,
    ``{layer}_partly``, ``{layer}_routes``, ``{layer}_interfaces``, ``{layer}_{capacity}``
    and ``{layer}_{capacity}_missing`` (:func:`capacity_name`), and for ports
    ``ports_covered``, ``ports_count``, ``ports_berths``, ``ports_berths_missing``,
    ``ports_teu``. Other point layers (cities) have no columns: they are not counted.
    """
    columns = ["a", "b", "pair_kind"]
    for layer in layers:
        if layer == PORTS:
            columns += [f"{PORTS}_{m}" for m in ("covered", "count", "berths", "berths_missing")]
            columns.append(f"{PORTS}_teu")
            continue
        if layer_spec(layer).geometry != "line":
            continue  # other sites (cities) are drawn, never counted at a border
        cap = capacity_name(layer)
        measures = ("covered", "partly", "routes", "interfaces", cap)
        columns += [f"{layer}_{m}" for m in measures]
        columns.append(f"{layer}_{cap}_missing")
    return columns


def _covered(
    summary: pd.DataFrame,
) -> dict[tuple[object, object, object], tuple[bool, bool]]:
    """Per ``(a, b, layer)``: ``(covered, partly)`` as the summary's rows say.

    Covered when all its rows are; partly when covered and any row is partly covered.
    """
    if "covered" not in summary.columns:
        return {}
    partly_rows = summary["partly"] if "partly" in summary.columns else [False] * len(summary)
    out: dict[tuple[object, object, object], tuple[bool, bool]] = {}
    for a, b, layer, covered, partly in zip(
        summary["a"], summary["b"], summary["layer"], summary["covered"], partly_rows
    ):
        key = (a, b, layer)
        was_covered, was_partly = out.get(key, (True, False))
        out[key] = (was_covered and bool(covered), was_partly or bool(partly))
    return {key: (c, c and p) for key, (c, p) in out.items()}


def border_totals(
    interfaces: pd.DataFrame, summary: pd.DataFrame, ports: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The long table: one row per border and layer (see the module docstring).

    Parameters
    ----------
    interfaces
        The interfaces of a count (:attr:`geo.analysis.CrossingResult.interfaces`).
    summary
        Its summary: the borders (``a``, ``b``, ``pair_kind``) and layers reported, in
        order, and ``covered`` when it has it.
    ports
        The ports of each border (:func:`geo.port_borders.border_ports`); None for no
        ports rows.

    Returns
    -------
    pandas.DataFrame
        :data:`TOTAL_COLUMNS`, counts as ``Int64``.
    """
    pairs = dict.fromkeys(zip(summary["a"], summary["b"], summary["pair_kind"]))
    layers = list(dict.fromkeys(summary["layer"]))
    covered = _covered(summary)
    counts = pair_layer_counts(interfaces) if len(interfaces) else {}
    port_rows: dict[tuple[object, object], list[dict[str, Any]]] | None = None
    if ports is not None:
        port_rows = {}
        seen: set[tuple[object, object, object]] = set()
        for record in ports.to_dict("records"):
            key = (record["a"], record["b"], record["port"])
            if key not in seen:
                seen.add(key)
                port_rows.setdefault(key[:2], []).append(record)
    rows: list[tuple[Any, ...]] = []
    for a, b, kind in pairs:
        any_covered = False
        for layer in layers:
            spec = layer_spec(layer)
            is_covered, partly = covered.get((a, b, layer), (True, False))
            any_covered |= is_covered
            n, missing, routes, unit, known = counts.get(
                (a, b, layer), (0, 0, 0, spec.capacity_unit, [])
            )
            capacity = total_capacity(known, spec.capacity_total)
            if capacity is None and n == 0 and spec.capacity_total == "sum":
                capacity = 0
            cover = (is_covered, partly)
            rows.append(_row(a, b, kind, layer, cover, routes, n, capacity, unit, missing, None))
        if port_rows is not None:
            mine = port_rows.get((a, b), [])
            rows.append(_ports_row(a, b, kind, any_covered or not layers, mine))
    columns = list(zip(*rows)) if rows else [()] * len(TOTAL_COLUMNS)
    frame = pd.DataFrame(
        {
            name: pd.array(list(values), dtype="Int64")
            if name in COUNT_COLUMNS
            else pd.array(list(values), dtype=bool if name in _FLAGS else object)
            for name, values in zip(TOTAL_COLUMNS, columns)
        },
        columns=TOTAL_COLUMNS,
    )
    return frame


#: The boolean columns of the long table.
_FLAGS = ("covered", "partly")


def _row(
    a: object,
    b: object,
    kind: object,
    layer: str,
    cover: tuple[bool, bool],
    routes: int | None,
    interfaces: int | None,
    capacity: int | None,
    unit: str,
    missing: int | None,
    teu: int | None,
) -> tuple[Any, ...]:
    """One row of the long table (:data:`TOTAL_COLUMNS`); counts missing when not covered.

    ``cover``: ``(covered, partly)``.
    """
    covered, partly = cover
    if not covered:
        routes = interfaces = capacity = missing = teu = None
    return (a, b, kind, layer, covered, partly and covered, routes, interfaces, capacity, unit,
            missing, teu)  # fmt: skip


def _ports_row(
    a: object, b: object, kind: object, covered: bool, ports: list[dict[str, Any]]
) -> tuple[Any, ...]:
    """The ports row of a border from its ports (each once)."""
    berths = [int(p["berths"]) for p in ports if not pd.isna(p["berths"])]
    teu = [int(p["teu"]) for p in ports if not pd.isna(p["teu"])]
    return _row(
        a,
        b,
        kind,
        PORTS,
        (covered, False),
        None,
        len(ports),
        sum(berths) if berths or not ports else None,
        layer_spec(PORTS).capacity_unit,
        len(ports) - len(berths),
        sum(teu) if teu else (0 if not ports else None),
    )


def wide_table(totals: pd.DataFrame) -> pd.DataFrame:
    """The wide table: one row per border, columns :func:`wide_columns` of its layers.

    Parameters
    ----------
    totals
        A long table (:func:`border_totals`).

    Returns
    -------
    pandas.DataFrame
        ``a``, ``b``, ``pair_kind`` and the ``{layer}_{measure}`` columns; covered and
        partly columns are booleans, the others ``Int64`` (missing where not covered or unknown).
    """
    layers = list(dict.fromkeys(totals["layer"]))
    columns = wide_columns(layers)
    # Plain Python over the long table's columns: a group per border and a frame per group
    # took 20 ms of the page's 45 ms per overview, for a handful of borders.
    rows: dict[tuple[Any, Any, Any], dict[str, Any]] = {}
    names = ["a", "b", "pair_kind", "layer", "covered", "partly", "routes", "interfaces",
             "capacity", "capacity_missing", "teu"]  # fmt: skip
    for a, b, kind, layer, covered, partly, routes, n, capacity, missing, teu in zip(
        *(totals[name].tolist() for name in names)
    ):
        row = rows.setdefault((a, b, kind), {"a": a, "b": b, "pair_kind": kind})
        row[f"{layer}_covered"] = bool(covered)
        if layer == PORTS:
            row[f"{PORTS}_count"] = n
            row[f"{PORTS}_berths"] = capacity
            row[f"{PORTS}_berths_missing"] = missing
            row[f"{PORTS}_teu"] = teu
            continue
        cap = capacity_name(layer)
        row[f"{layer}_partly"] = bool(partly)
        row[f"{layer}_routes"] = routes
        row[f"{layer}_interfaces"] = n
        row[f"{layer}_{cap}"] = capacity
        row[f"{layer}_{cap}_missing"] = missing
    records = list(rows.values())
    data: dict[str, Any] = {}
    for column in columns:
        values = [record.get(column, float("nan")) for record in records]
        if column in ("a", "b", "pair_kind"):
            data[column] = values
        elif column.endswith(("_covered", "_partly")):
            data[column] = np.array([bool(v) for v in values], dtype=bool)
        else:
            data[column] = pd.array(
                [None if pd.isna(v) else int(v) for v in values], dtype="Int64"
            )
    frame = pd.DataFrame(data, columns=columns)  # one frame built at once
    return frame


def overview_of(
    result: CrossingResult,
    *,
    as_of: int | None,
    statuses: Sequence[str],
    region: str | None = None,
    ports: gpd.GeoDataFrame | None = None,
    sites: PortSites | None = None,
    data_year: int | None = None,
    neighbour: str | None = None,
) -> Overview:
    """The overview of a count already made (the page's count, or one of a timeline).

    Parameters
    ----------
    result
        :func:`geo.analysis.count_crossings` at ``as_of`` with ``statuses``.
    as_of, statuses, region, neighbour
        What ``result`` counted.
    ports
        The source's ports layer; None (or empty) for no ports rows.
    sites
        :func:`geo.port_borders.port_sites` of ``ports``; needed when ``ports`` is given.
    data_year
        The year the data's tags describe (:func:`geo.lifecycle.status_at`'s ``today``),
        also the year counted when ``as_of`` is None (:func:`counted_year`).

    The coverage notes are of the count's own coverage (:attr:`CrossingResult.coverage`).
    """
    links = None
    if ports is not None and sites is not None:
        links = border_ports(
            sites, ports, result.interfaces, result.summary[["a", "b"]].drop_duplicates(),
            as_of=as_of, statuses=statuses, today=data_year,
        )  # fmt: skip
    totals = border_totals(result.interfaces, result.summary, links)
    borders = zip(totals["a"], totals["b"])
    layers = dict.fromkeys(totals["layer"])
    return Overview(
        as_of=as_of,
        statuses=tuple(statuses),
        region=region,
        totals=totals,
        table=wide_table(totals),
        ports=links if links is not None else pd.DataFrame(columns=PORT_LINK_COLUMNS),
        interfaces=result.interfaces,
        warnings=list(result.warnings),
        caption=counting_caption(as_of, statuses),
        year=counted_year(as_of, data_year),
        coverage_notes=border_notes(result.coverage, borders, layers, (as_of,)),
        neighbour=neighbour,
    )


def overview(
    layers: Mapping[str, gpd.GeoDataFrame],
    region_set: RegionSet,
    *,
    as_of: int | None = None,
    statuses: Sequence[str] = ("open",),
    region: str | None = None,
    rules: CrossingRules | None = None,
    data_year: int | None = None,
    workers: int = 1,
    port_reach_m: float = PORT_REACH_M,
    coverage: Coverage | None = None,
    neighbour: str | None = None,
) -> Overview:
    """Count every border of ``region`` (of the source when None) and layer in a year.

    Parameters
    ----------
    layers
        ``{layer name: features}``; line layers are counted, a ``ports`` layer is set
        beside the borders it belongs to (:mod:`geo.port_borders`).
    region_set
        The regions.
    as_of
        The year (:func:`geo.analysis.count_crossings`); the data as tagged when None.
    statuses
        The statuses (that year) counted: a counting basis's statuses.
    region
        The focus region; None for every pair of the source.
    rules
        Crossing rules; the defaults when None.
    data_year
        The year the data's tags describe (an OSM extract's timestamp).
    workers
        Threads scanning lines (:func:`geo.analysis.count_layer`).
    port_reach_m
        How near a port a link's end or a border must be (:data:`PORT_REACH_M`).
    coverage
        Which borders and layers the data cover (:attr:`geo.io.sources.Source.coverage`):
        uncovered cells are missing, never 0; every border when None.
    neighbour
        With ``region``, only its border with this region (any of its names;
        :func:`geo.analysis.count_crossings`).

    Returns
    -------
    Overview
    """
    region, neighbour = pair_of(region_set, region, neighbour)  # any of their names
    result = count_crossings(
        layers, region_set, rules=rules, region=region, as_of=as_of, statuses=statuses,
        data_year=data_year, workers=workers, coverage=coverage, neighbour=neighbour,
    )  # fmt: skip
    ports, sites = ports_and_sites(layers, region_set, reach_m=port_reach_m)
    return overview_of(
        result, as_of=as_of, statuses=statuses, region=region, ports=ports, sites=sites,
        data_year=data_year, neighbour=neighbour,
    )  # fmt: skip
