"""Two years side by side: the counts at each and what changed on each border between them.

:func:`compare_years` counts the network of year A and of year B (the same statuses in
both) and gives:

* ``counts`` (:data:`COUNT_CHANGE_COLUMNS`): per border and layer the long table of
  :mod:`geo.overview` at A and at B and the change, B minus A. For waterways the capacity is
  the best grade *number*, so a negative change is an improvement (grade IV -> III is -1).
* ``changes`` (:data:`CHANGE_COLUMNS`): per border, the interfaces (and ports) that
  changed, one row per kind of change:

  - ``opened``: an interface counted in B and not in A; ``closed``: the reverse;
  - ``widened`` / ``narrowed``: its capacity changed, both known: more lanes or tracks, a
    larger diameter, more berths, or a *better* (lower) navigation grade is ``widened``;
  - ``capacity_data``: its capacity is known in one year and not in the other;
  - ``status``: its status changed (``construction`` -> ``open``).

  Each row names the feature ids of the interface in either year and their ``source``
  (the citations of an embedded dataset, the OSM licence of an extract), and ``years``:
  the years after A up to B in which those features changed in the way the row reports,
  read from their lifecycle data (:mod:`geo.lifecycle`): for ``opened`` the years a
  feature took the status it has in B (one of the statuses counted): its opening when it
  is open in B, the start of works when it is under construction in B. Counting links open
  or under construction, a line begun and opened between A and B is dated by its opening,
  the year the interface tables give it and the change's name says, not by the start of
  works that first put it in the count. For ``closed`` the years one ceased to be counted,
  for ``status`` the years a feature's status changed, for the capacity kinds the years a
  feature's capacity changed or a feature came to be counted or ceased to be. An empty
  list means the data do not date the change. How the change is named to a reader follows
  the status in B (:func:`geo.labels.change_label`: ``opened``, ``construction started``).

Coverage (:mod:`geo.coverage`), as the overview says it: a border and layer is ``covered``
when the data cover it in both years (its counts are missing otherwise, never 0), and
``partly`` when covered and only partly covered in either year (its counts are then of the
links the data hold). :attr:`Comparison.coverage_notes` says why, from the two overviews'
notes: a note that holds in both years once, with ``first_year`` A and ``last_year`` B; one
that holds in one year only, with that year as both.

Interfaces are matched across the years by their ``id`` (:mod:`geo.interfaces`). This is
right only where ids are stable across years; an id that names another interface in the
other year shows as a closed and an opened interface. A is at most B; A equal to B gives
no change.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis import count_crossings, pair_of
from geo.coverage import BorderNote, Coverage
from geo.errors import InvalidParameterError, layer_spec
from geo.labels import years_caption
from geo.lifecycle import check_year, status_at, value_at
from geo.overview import PORTS, Overview, overview_of
from geo.port_borders import PORT_REACH_M, ports_and_sites
from geo.regions import RegionSet
from geo.rules import CrossingRules
from geo.text import Bilingual

#: Columns of :attr:`Comparison.counts`.
COUNT_CHANGE_COLUMNS = [
    "a", "b", "pair_kind", "layer", "covered", "partly",
    "routes_a", "routes_b", "routes_change",
    "interfaces_a", "interfaces_b", "interfaces_change",
    "capacity_a", "capacity_b", "capacity_change", "capacity_unit",
    "capacity_missing_a", "capacity_missing_b",
    "teu_a", "teu_b", "teu_change",
]  # fmt: skip

#: Columns of :attr:`Comparison.changes`.
CHANGE_COLUMNS = [
    "a", "b", "layer", "id", "class", "ref", "name", "change", "capacity_a", "capacity_b",
    "capacity_unit", "status_a", "status_b", "years", "source_ids", "sources",
]  # fmt: skip

#: The integer columns of :attr:`Comparison.counts` (pandas' nullable ``Int64``).
_COUNT_NUMBERS = [
    column
    for column in COUNT_CHANGE_COLUMNS
    if column.startswith(("routes_", "interfaces_", "capacity_", "teu_"))
    and column != "capacity_unit"
]

#: Kinds of change, in the order rows of one interface are listed.
CHANGE_KINDS = ("opened", "closed", "widened", "narrowed", "capacity_data", "status")

@dataclass(frozen=True)
class Comparison:
    """Two years of the same borders side by side.

    Attributes
    ----------
    year_a, year_b
        The years, A <= B.
    statuses
        The statuses counted in both.
    region
        The focus region, None for every pair.
    neighbour
        With ``region``, the one neighbour whose border is reported; None for all.
    counts
        :data:`COUNT_CHANGE_COLUMNS`, one row per border and layer.
    changes
        :data:`CHANGE_COLUMNS`, one row per interface (or port) and kind of change, by
        border in the order of ``counts``.
    overview_a, overview_b
        The overviews of the two years (:class:`geo.overview.Overview`).
    caption
        ``{"en": ..., "zh": ...}``: the years and the statuses counted.
    coverage_notes
        The borders and layers not wholly covered in year A or B, why, and what would cover
        them (:func:`merged_notes` of the two overviews' notes); empty when the counts had no
        coverage.
    """

    year_a: int
    year_b: int
    statuses: tuple[str, ...]
    region: str | None
    counts: pd.DataFrame
    changes: pd.DataFrame
    overview_a: Overview
    overview_b: Overview
    caption: dict[str, str] = field(default_factory=dict)
    coverage_notes: tuple[BorderNote, ...] = ()
    neighbour: str | None = None


def check_years(year_a: object, year_b: object) -> tuple[int, int]:
    """Two years of a comparison, each in range and the earlier first.

    Raises
    ------
    InvalidParameterError
        When a year is not a whole year in range, or A is after B.
    """
    first = check_year(year_a, Bilingual("the first year compared", "对比的第一个年份"))
    second = check_year(year_b, Bilingual("the second year compared", "对比的第二个年份"))
    if first > second:
        raise InvalidParameterError(
            Bilingual(
                f"The years compared are {first} and {second}: give the earlier year first, "
                f"e.g. {second} {first}.",
                f"对比的年份是 {first} 和 {second}，请把较早的年份放在前面，"
                f"例如 {second} {first}。",
            )
        )
    return first, second


def compare_years(
    layers: Mapping[str, gpd.GeoDataFrame],
    region_set: RegionSet,
    year_a: int,
    year_b: int,
    *,
    statuses: Sequence[str] = ("open",),
    region: str | None = None,
    rules: CrossingRules | None = None,
    data_year: int | None = None,
    workers: int = 1,
    port_reach_m: float = PORT_REACH_M,
    coverage: Coverage | None = None,
    neighbour: str | None = None,
) -> Comparison:
    """Count years A and B and set them side by side (see the module docstring).

    Parameters
    ----------
    layers
        ``{layer name: features}``; line layers are counted, ``ports`` set beside their
        borders (:mod:`geo.port_borders`).
    region_set
        The regions.
    year_a, year_b
        The years, A <= B (:func:`check_years`).
    statuses
        The statuses counted in both years (a counting basis's statuses).
    region
        The focus region; None for every pair.
    rules
        Crossing rules; the defaults when None.
    data_year
        The year the data's tags describe.
    workers
        Threads scanning lines.
    port_reach_m
        How near a port a link's end or a border must be.
    coverage
        Which borders and layers the data cover (:attr:`geo.io.sources.Source.coverage`):
        uncovered cells are missing, never 0; every border when None.
    neighbour
        With ``region``, only its border with this region (any of its names).

    Returns
    -------
    Comparison
    """
    year_a, year_b = check_years(year_a, year_b)
    region, neighbour = pair_of(region_set, region, neighbour)  # any of their names
    ports, sites = ports_and_sites(layers, region_set, reach_m=port_reach_m)
    views = []
    for year in (year_a, year_b):
        result = count_crossings(
            layers, region_set, rules=rules, region=region, as_of=year, statuses=statuses,
            data_year=data_year, workers=workers, coverage=coverage, neighbour=neighbour,
        )  # fmt: skip
        views.append(
            overview_of(
                result, as_of=year, statuses=statuses, region=region, ports=ports, sites=sites,
                data_year=data_year, neighbour=neighbour,
            )
        )
    return compare_overviews(views[0], views[1], layers, data_year=data_year)


def compare_overviews(
    first: Overview,
    second: Overview,
    layers: Mapping[str, pd.DataFrame],
    *,
    data_year: int | None = None,
) -> Comparison:
    """Set two overviews of the same borders and statuses side by side.

    Parameters
    ----------
    first, second
        Overviews of years A <= B (:func:`geo.overview.overview_of`), same statuses.
    layers
        The source's layers, for the features' lifecycle data and sources.
    data_year
        The year the data's tags describe.
    """
    if first.as_of is None or second.as_of is None:
        raise InvalidParameterError(
            Bilingual(
                "A comparison needs the year of each overview; count them with as_of set.",
                "对比需要每份总览的统计年份，请在统计时设定 as_of。",
            )
        )
    year_a, year_b = check_years(first.as_of, second.as_of)
    counts = _count_changes(first.totals, second.totals)
    items_a = _items(first.interfaces, first.ports)
    items_b = _items(second.interfaces, second.ports)
    changes = _changes(items_a, items_b, layers, year_a, year_b, first.statuses, data_year)
    order = {pair: k for k, pair in enumerate(dict.fromkeys(zip(counts["a"], counts["b"])))}
    if not changes.empty:
        rank = [order.get(pair, len(order)) for pair in zip(changes["a"], changes["b"])]
        changes = changes.assign(_rank=rank).sort_values("_rank", kind="stable")
        changes = changes.drop(columns="_rank").reset_index(drop=True)
    return Comparison(
        year_a=year_a,
        year_b=year_b,
        statuses=first.statuses,
        region=first.region,
        counts=counts,
        changes=changes,
        overview_a=first,
        overview_b=second,
        caption=years_caption(year_a, year_b, first.statuses, span=False),
        coverage_notes=merged_notes(first.coverage_notes, second.coverage_notes, year_a, year_b),
        neighbour=first.neighbour,
    )


def merged_notes(
    first: Sequence[BorderNote], second: Sequence[BorderNote], year_a: int, year_b: int
) -> tuple[BorderNote, ...]:
    """The coverage notes of years A and B as one list, each note once.

    Parameters
    ----------
    first, second
        The notes of the overviews of A and of B (:attr:`geo.overview.Overview.coverage_notes`).
    year_a, year_b
        The years compared.

    Returns
    -------
    tuple of BorderNote
        By border in the order the notes first name it, then A's notes before those of B
        alone. A note of the same border, layers and cover in both years is given once with
        ``first_year`` A and ``last_year`` B; one of a single year keeps that year as both.
    """
    merged: dict[tuple[object, ...], BorderNote] = {}
    for year, notes in ((year_a, first), (year_b, second)):
        for note in notes:
            key = (note.a, note.b, note.layers, note.cover)
            if key in merged:
                merged[key] = dataclasses.replace(merged[key], last_year=year)
            else:
                merged[key] = dataclasses.replace(note, first_year=year, last_year=year)
    borders = {pair: k for k, pair in enumerate(dict.fromkeys((n.a, n.b) for n in merged.values()))}
    return tuple(sorted(merged.values(), key=lambda note: borders[(note.a, note.b)]))


def _count_changes(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """The long tables of A and B side by side, with B minus A.

    A border that only one year has (a pair revealed by a link over water that exists in
    one year only) had no link in the other: its counts there are those of a border
    without links.
    """
    keys = ["a", "b", "pair_kind", "layer"]
    side_a = {tuple(r[k] for k in keys): r for r in first.to_dict("records")}
    side_b = {tuple(r[k] for k in keys): r for r in second.to_dict("records")}
    rows = []
    for key in dict.fromkeys([*side_a, *side_b]):
        old = side_a.get(key) or _no_links(key)
        new = side_b.get(key) or _no_links(key)
        covered = bool(old["covered"]) and bool(new["covered"])
        row: dict[str, Any] = dict(zip(keys, key))
        row["covered"] = covered
        row["partly"] = covered and (bool(old["partly"]) or bool(new["partly"]))
        for measure in ("routes", "interfaces", "capacity"):
            _side_by_side(row, measure, old, new, covered)
        row["capacity_unit"] = new["capacity_unit"]
        row["capacity_missing_a"] = old["capacity_missing"] if covered else None
        row["capacity_missing_b"] = new["capacity_missing"] if covered else None
        _side_by_side(row, "teu", old, new, covered)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=COUNT_CHANGE_COLUMNS)
    for column in _COUNT_NUMBERS:
        frame[column] = pd.array(
            [None if pd.isna(v) else int(v) for v in frame[column]], dtype="Int64"
        )
    for column in ("covered", "partly"):
        frame[column] = frame[column].astype(bool)
    return frame


def _side_by_side(
    row: dict[str, Any], measure: str, old: dict[str, Any], new: dict[str, Any], covered: bool
) -> None:
    """``{measure}_a``, ``_b`` and ``_change`` (missing when either is, or not covered)."""
    first, second = (old[measure], new[measure]) if covered else (None, None)
    row[f"{measure}_a"], row[f"{measure}_b"] = first, second
    if first is None or second is None or pd.isna(first) or pd.isna(second):
        row[f"{measure}_change"] = None
    else:
        row[f"{measure}_change"] = int(second) - int(first)


def _no_links(key: tuple[Any, ...]) -> dict[str, Any]:
    """The long table's row of a border without any link of the layer."""
    layer = str(key[3])
    spec = layer_spec(layer)
    adds_up = spec.capacity_total == "sum"
    return {
        "covered": True,
        "partly": False,
        "routes": None if layer == PORTS else 0,
        "interfaces": 0,
        "capacity": 0 if adds_up else None,
        "capacity_unit": spec.capacity_unit,
        "capacity_missing": 0,
        "teu": 0 if layer == PORTS else None,
    }


def _items(interfaces: pd.DataFrame, ports: pd.DataFrame) -> pd.DataFrame:
    """Interfaces and border ports as one frame of things that can change."""
    columns = ["a", "b", "layer", "id", "class", "ref", "name", "capacity", "capacity_unit",
               "status", "source_ids"]  # fmt: skip
    frames = []
    if len(interfaces):
        frames.append(pd.DataFrame(interfaces[columns]))
    if len(ports):
        frames.append(
            pd.DataFrame(
                {
                    "a": ports["a"], "b": ports["b"], "layer": PORTS, "id": ports["port"],
                    "class": ports["class"], "ref": "", "name": ports["name"],
                    "capacity": ports["berths"],
                    "capacity_unit": layer_spec(PORTS).capacity_unit,
                    "status": ports["status"], "source_ids": ports["port"],
                }
            ).drop_duplicates(["a", "b", "id"])
        )
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)


def _kinds(layer: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """The kinds of change between an item's two records (None: absent that year)."""
    if before is None:
        return ["opened"]
    if after is None:
        return ["closed"]
    if (before["a"], before["b"]) != (after["a"], after["b"]):
        return ["closed", "opened"]
    kinds = []
    cap_a, cap_b = before["capacity"], after["capacity"]
    if pd.isna(cap_a) != pd.isna(cap_b):
        kinds.append("capacity_data")
    elif not pd.isna(cap_a) and int(cap_a) != int(cap_b):
        more = int(cap_b) > int(cap_a)
        if layer_spec(layer).capacity_total == "min":  # a grade: lower is better
            more = not more
        kinds.append("widened" if more else "narrowed")
    if str(before["status"]) != str(after["status"]):
        kinds.append("status")
    return kinds


def _changes(
    items_a: pd.DataFrame,
    items_b: pd.DataFrame,
    layers: Mapping[str, pd.DataFrame],
    year_a: int,
    year_b: int,
    statuses: Sequence[str],
    data_year: int | None,
) -> pd.DataFrame:
    """One row per item and kind of change between A and B."""
    before = {(r["layer"], r["id"]): r for r in items_a.to_dict("records")}
    after = {(r["layer"], r["id"]): r for r in items_b.to_dict("records")}
    found: list[tuple[dict[str, Any] | None, dict[str, Any] | None, str]] = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        for kind in _kinds(str(key[0]), old, new):
            if kind == "opened" and old is not None:
                found.append((None, new, kind))
            elif kind == "closed" and new is not None:
                found.append((old, None, kind))
            else:
                found.append((old, new, kind))
    history = _History(layers, found, year_a, year_b, statuses, data_year)
    rows = []
    for old, new, kind in found:
        shown = new if new is not None else old
        assert shown is not None
        ids = _ids(old) + [i for i in _ids(new) if i not in _ids(old)]
        rows.append(
            {
                "a": shown["a"],
                "b": shown["b"],
                "layer": shown["layer"],
                "id": shown["id"],
                "class": shown["class"],
                "ref": shown["ref"],
                "name": shown["name"],
                "change": kind,
                "capacity_a": None if old is None else old["capacity"],
                "capacity_b": None if new is None else new["capacity"],
                "capacity_unit": shown["capacity_unit"],
                "status_a": None if old is None else old["status"],
                "status_b": None if new is None else new["status"],
                "years": history.years(str(shown["layer"]), ids, kind),
                "source_ids": ids,
                "sources": history.sources(str(shown["layer"]), ids),
            }
        )
    frame = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    for column in ("capacity_a", "capacity_b"):
        frame[column] = pd.array(
            [None if pd.isna(v) else int(v) for v in frame[column]], dtype="Int64"
        )
    return frame


def _ids(record: dict[str, Any] | None) -> list[str]:
    if record is None:
        return []
    return [i for i in str(record["source_ids"] or "").split(";") if i]


class _History:
    """Status, counted-or-not and capacity of the changed items' features, year by year."""

    def __init__(
        self,
        layers: Mapping[str, pd.DataFrame],
        found: Sequence[tuple[dict[str, Any] | None, dict[str, Any] | None, str]],
        year_a: int,
        year_b: int,
        statuses: Sequence[str],
        today: int | None,
    ) -> None:
        wanted: dict[str, set[str]] = {}
        for old, new, _ in found:
            shown = new if new is not None else old
            assert shown is not None
            wanted.setdefault(str(shown["layer"]), set()).update(_ids(old) + _ids(new))
        self.counted = list(statuses)
        self.status: dict[tuple[str, str], list[object]] = {}
        self.capacity: dict[tuple[str, str], list[object]] = {}
        self.source: dict[tuple[str, str], str] = {}
        kept_frames = {}
        for layer, ids in wanted.items():
            frame = layers.get(layer)
            if frame is None or frame.empty:
                continue
            kept = frame[frame["id"].astype(str).isin(ids)]
            kept_frames[layer] = pd.DataFrame(
                kept[[c for c in kept.columns if c != _geometry_name(kept)]]
            )
        # A status or capacity changes only in a year one of the features' dates names, so
        # year A and those years stand for every year from A to B (a change is dated to
        # the year it shows in, as when every year is read).
        events = set()
        for mine in kept_frames.values():
            events.update(_event_years(mine, year_a, year_b))
        self.years_ab = [year_a, *sorted(events)]
        for layer, mine in kept_frames.items():
            fids = mine["id"].astype(str).tolist()
            by_year_status = [status_at(mine, y, today=today).tolist() for y in self.years_ab]
            by_year_capacity = [value_at(mine, "capacity", y).tolist() for y in self.years_ab]
            sources = mine["source"].astype(str).tolist() if "source" in mine else [""] * len(fids)
            for k, fid in enumerate(fids):
                self.status[(layer, fid)] = [s[k] for s in by_year_status]
                self.capacity[(layer, fid)] = [c[k] for c in by_year_capacity]
                self.source[(layer, fid)] = sources[k]

    def years(self, layer: str, ids: Sequence[str], kind: str) -> list[int]:
        """Years after A up to B in which the features changed as ``kind`` reports."""
        changed: set[int] = set()
        for fid in ids:
            status = self.status.get((layer, fid))
            capacity = self.capacity.get((layer, fid))
            if status is None or capacity is None:
                continue
            last = status[-1]  # the status in B: no status changes after the last event
            for k in range(1, len(self.years_ab)):
                was, now = status[k - 1] in self.counted, status[k] in self.counted
                if kind == "opened":  # took the status it has in B, counted
                    hit = now and status[k] == last and status[k - 1] != last
                elif kind == "closed":
                    hit = was and not now
                elif kind == "status":
                    hit = status[k] != status[k - 1]
                else:  # a capacity, or a line of the interface counted or not
                    hit = was != now or not _same(capacity[k - 1], capacity[k])
                if hit:
                    changed.add(self.years_ab[k])
        return sorted(changed)

    def sources(self, layer: str, ids: Sequence[str]) -> list[str]:
        """The distinct ``source`` texts of the features, in order."""
        found = (self.source.get((layer, fid), "") for fid in ids)
        return list(dict.fromkeys(s for s in found if s))


def _event_years(features: pd.DataFrame, year_a: int, year_b: int) -> set[int]:
    """The years after A up to B in which a feature's status or capacity may change.

    :func:`geo.lifecycle.status_at` and :func:`geo.lifecycle.value_at` compare the year
    with the features' opening, works start and end years (a year ``y`` and ``y + 0.5``
    both change the status in the first whole year not before them) and read
    ``status_by_year`` and ``capacity_by_year`` at their keys; between those years neither
    changes.
    """
    found: set[int] = set()
    for column in ("start_year", "works_start_year", "end_year"):
        if column in features.columns:
            values = pd.to_numeric(features[column], errors="coerce").dropna()
            found.update(math.ceil(float(v)) for v in values)
    for column in ("status_by_year", "capacity_by_year"):
        if column in features.columns:
            for raw in features[column]:
                if isinstance(raw, str) and raw.strip() and raw.strip() != "{}":
                    found.update(int(key) for key in json.loads(raw))
    return {year for year in found if year_a < year <= year_b}


def _same(first: object, second: object) -> bool:
    """Equal values, two missing values being equal."""
    missing = (bool(pd.isna(first)), bool(pd.isna(second)))
    if any(missing):
        return all(missing)
    try:
        return bool(np.equal(int(first), int(second)))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return first == second


def _geometry_name(frame: pd.DataFrame) -> str | None:
    """The geometry column's name of a GeoDataFrame, None for a plain frame."""
    return frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
