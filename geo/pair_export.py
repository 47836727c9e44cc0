"""What the exports of one border hold: its features, interfaces, history, regions and counts.

The page and the command line export one border (a region and a neighbour, or a region and
all its neighbours) in one year and counting basis. :func:`pair_export` derives every table
of that export from the source's layers as tagged and the count; :mod:`geo.io.export`
writes them as files. Nothing here writes files.

**The pair's features.** A layer's table holds the features *of that border*: for a line
layer, the features an interface between the two regions is on (their ids are in the
interfaces' ``source_ids``: each crosses the border, or runs along it, in the year and
basis shown); for ports, the ports the overview sets beside that border
(:mod:`geo.port_borders`: reached by a link across it, or on it). The other lines of the
layers shown, such as the Jiangsu–Zhejiang expressways in a Zhejiang–Shanghai export, are
in a table of their own, :data:`OTHER_LINKS`, with a few columns, drawn faintly: context,
never counted. ``regions`` holds the two regions (the region and each of its neighbours
when the export is of all of them).

**Columns.** Each capacity has a column of its own instead of one ``capacity`` column
(:func:`capacity_columns`): ``lanes``, ``lanes_forward`` and ``lanes_backward`` for
highways, ``tracks``, ``grade`` (China's navigation grade as a number, 1 the best) with
``grade_roman``, ``diameter_mm``, and ``berths`` with ``teu`` for ports, in the year
shown. Names are in Chinese and English (``name_zh``, ``name_en``; the data's own ``name``
stays). The years of a feature's life are columns (``opened``, ``closed``, ``widened``;
:func:`geo.history.life_years`) and its whole history is a long table
(:func:`geo.history.feature_history`), instead of JSON text. Every row carries the year
shown (``as_of``) and the basis (``basis``).

Directional lanes are those of the feature's geometry: a one-way carriageway has all its
lanes forward (``oneway=1``) or backward (``oneway=-1``) and none the other way; a two-way
road has them when its data give ``lanes:forward`` and ``lanes:backward`` and its lanes in
the year shown are its lanes as tagged; otherwise they are unknown, never halved.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.analysis import count_crossings
from geo.basis import basis_for, ordered_statuses
from geo.coverage import Coverage
from geo.errors import layer_spec
from geo.history import HISTORY_COLUMNS, capacity_column, feature_history, life_years
from geo.labels import grade_text
from geo.lifecycle import current_year, layers_at
from geo.port_borders import PORT_REACH_M, border_ports, ports_and_sites
from geo.projection import WGS84, require_crs
from geo.regions import RegionSet
from geo.rules import CrossingRules
from geo.summary import SUMMARY_COLUMNS, pair_interfaces, pair_mask
from layers.base import parse_count

#: The table of the lines shown that are not on the border (context).
OTHER_LINKS = "other_links"
#: Columns of :data:`OTHER_LINKS`.
OTHER_LINK_COLUMNS = [
    "id", "layer", "class", "ref", "name_zh", "name_en", "status", "as_of", "basis",
]  # fmt: skip

#: The first columns of a layer's table, before its capacity columns.
FEATURE_HEAD = [
    "id", "layer", "class", "ref", "name_zh", "name_en", "name", "status",
    "opened", "closed", "widened",
]  # fmt: skip
#: Columns after the capacity columns (``oneway`` for lines only).
FEATURE_TAIL = ["bridge", "tunnel", "oneway", "capacity_note", "as_of", "basis"]
#: Columns of the data left out of the exports: replaced by the columns above.
REPLACED = (
    "capacity", "capacity_unit", "capacity_by_year", "status_by_year", "start_year",
    "end_year",
)  # fmt: skip

#: Columns of the interfaces' table.
INTERFACE_EXPORT_COLUMNS = [
    "id", "a", "b", "layer", "class", "ref", "name_zh", "name_en", "name", "status",
    "opened", "closed", "widened", "carriageways", "lanes", "lanes_per_carriageway",
    "lanes_missing", "tracks", "grade", "grade_roman", "diameter_mm", "bridge", "tunnel",
    "via", "along", "overdue", "lon", "lat", "source_ids", "as_of", "basis",
]  # fmt: skip

#: Columns of the counts' table: the year and basis, the summary's, coverage.
COUNT_EXPORT_COLUMNS = [
    "as_of", "basis", "a", "b", "pair_kind", "layer", "class", "routes", "interfaces",
    "lanes", "lanes_missing", "tracks", "grade", "grade_roman", "diameter_mm", "along_km",
    "covered", "partly", "coverage", "coverage_note_en", "coverage_note_zh",
]  # fmt: skip

#: Columns of the regions' table.
REGION_COLUMNS = ["name", "name_zh", "name_en", "role"]

#: ``coverage`` of a count row.
COVERED, PARTLY, NOT_COVERED = "covered", "partly covered", "not covered"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class PairExport:
    """Every table of one border's export (see the module docstring).

    Attributes
    ----------
    region, neighbour
        The border: ``neighbour`` None for all the region's neighbours.
    year
        The year shown (the year the data describe when no year was chosen).
    statuses
        The statuses counted.
    basis
        The basis's name, else the statuses joined by ``+`` (:func:`basis_name`).
    layers
        ``{layer: the pair's features}``, WGS84, the columns of :func:`feature_columns`.
    other_links
        The other lines shown (:data:`OTHER_LINK_COLUMNS`), WGS84.
    interfaces
        The pair's interfaces (:data:`INTERFACE_EXPORT_COLUMNS`), WGS84 points.
    history
        The history of the pair's features (:data:`geo.history.HISTORY_COLUMNS` with
        ``name_zh`` and ``name_en``), then ``as_of`` and ``basis``: which features it holds
        (each with its whole history) is the year's and the basis's.
    regions
        The pair's regions (:data:`REGION_COLUMNS`), WGS84.
    counts
        The pair's counts (:data:`COUNT_EXPORT_COLUMNS`).
    """

    region: str
    neighbour: str | None
    year: int
    statuses: tuple[str, ...]
    basis: str
    layers: dict[str, gpd.GeoDataFrame]
    other_links: gpd.GeoDataFrame
    interfaces: gpd.GeoDataFrame
    history: pd.DataFrame
    regions: gpd.GeoDataFrame
    counts: pd.DataFrame


def basis_name(statuses: Sequence[str]) -> str:
    """A basis as the exports name it: its name (:data:`geo.basis.BASES`), else the statuses.

    Examples
    --------
    >>> basis_name(["construction", "open"]), basis_name(["open", "disused"])
    ('open+construction', 'open+disused')
    """
    ordered = ordered_statuses(statuses)
    basis = basis_for(ordered)
    return basis.name if basis is not None else "+".join(ordered)


def capacity_columns(layer: str) -> list[str]:
    """The capacity columns of a layer's table, its capacity's column first.

    Examples
    --------
    >>> capacity_columns("highways"), capacity_columns("ports")
    (['lanes', 'lanes_forward', 'lanes_backward'], ['berths', 'teu'])
    """
    main = capacity_column(layer)
    extra = {"lanes": ["lanes_forward", "lanes_backward"], "grade": ["grade_roman"]}
    return [main, *extra.get(main, []), *(["teu"] if main == "berths" else [])]


def has_han(text: object) -> bool:
    """Whether a text holds Chinese characters."""
    return isinstance(text, str) and bool(_HAN.search(text))


def names_zh_en(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Chinese and English names of each row.

    ``name_zh`` and ``name_en`` when the data have them; otherwise ``name``, as the
    Chinese name when it is written in Chinese characters and as the English one when it
    is not; ``""`` when unknown.
    """
    n = len(frame)
    name = _texts(frame, "name", n)
    zh, en = _texts(frame, "name_zh", n), _texts(frame, "name_en", n)
    zh = [z or (m if has_han(m) else "") for z, m in zip(zh, name)]
    en = [e or (m if m and not has_han(m) else "") for e, m in zip(en, name)]
    return zh, en


def _texts(frame: pd.DataFrame, column: str, n: int) -> list[str]:
    if column not in frame.columns:
        return [""] * n
    return [v if isinstance(v, str) else "" for v in frame[column].tolist()]


def _int_list(values: Sequence[object]) -> list[int | None]:
    """Whole numbers (ints, floats, numpy or pandas numbers) as ints; None for the rest."""
    out: list[int | None] = []
    for value in values:
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            out.append(None)
            continue
        out.append(int(number) if math.isfinite(number) else None)
    return out


def _ints(values: Sequence[object]) -> pd.api.extensions.ExtensionArray:
    """:func:`_int_list` as a nullable integer column."""
    return pd.array(_int_list(values), dtype="Int64")


def _directional(
    shown: pd.DataFrame, tagged: pd.DataFrame
) -> tuple[list[int | None], list[int | None]]:
    """``lanes_forward`` and ``lanes_backward`` of highways (see the module docstring)."""
    lanes = _int_list(shown["capacity"].tolist())
    as_tagged = _int_list(tagged.reindex(shown.index)["capacity"].tolist())
    n = len(shown)
    oneway = _int_list(shown["oneway"].tolist()) if "oneway" in shown.columns else [0] * n
    raw_f = _texts(shown, "lanes_forward_raw", n)
    raw_b = _texts(shown, "lanes_backward_raw", n)
    forward: list[int | None] = []
    backward: list[int | None] = []
    for total, tagged_total, way, f, b in zip(lanes, as_tagged, oneway, raw_f, raw_b):
        if total is None:
            forward.append(None)
            backward.append(None)
        elif way in (1, -1):
            forward.append(total if way == 1 else 0)
            backward.append(0 if way == 1 else total)
        else:
            same = tagged_total == total
            forward.append(parse_count(f or None)[0] if same else None)
            backward.append(parse_count(b or None)[0] if same else None)
    return forward, backward


def feature_columns(
    shown: gpd.GeoDataFrame,
    tagged: pd.DataFrame,
    layer: str,
    life: pd.DataFrame,
    stamp: Mapping[str, object],
) -> gpd.GeoDataFrame:
    """A layer's features with the export's columns, in WGS84.

    Parameters
    ----------
    shown
        The features in the year shown (:func:`geo.lifecycle.layers_at`).
    tagged
        The same features as tagged (same index), for the directional lanes.
    layer
        The layer's name.
    life
        :func:`geo.history.life_years`, indexed by feature id.
    stamp
        ``as_of`` and ``basis`` of every row.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`FEATURE_HEAD`, :func:`capacity_columns`, :data:`FEATURE_TAIL`, then the
        data's other columns (without :data:`REPLACED`).
    """
    require_crs(shown, what=f"the {layer} layer")
    data = shown.to_crs(WGS84) if shown.crs != WGS84 else shown
    out = _head(data, layer, life)
    for column, values in _capacities(data, tagged, layer).items():
        out[column] = values
    point = layer_spec(layer).geometry == "point"
    for column in FEATURE_TAIL:
        if column in stamp:
            out[column] = stamp[column]
        elif column in data.columns and not (column == "oneway" and point):
            out[column] = data[column].tolist()
    used = {*out.columns, *REPLACED, data.geometry.name, *(["oneway"] if point else [])}
    for column in data.columns:
        if column not in used:
            out[column] = data[column].tolist()
    frame = gpd.GeoDataFrame(out, geometry=data.geometry.tolist(), crs=WGS84)
    return frame.reset_index(drop=True)


def _head(data: pd.DataFrame, layer: str, life: pd.DataFrame) -> pd.DataFrame:
    """The :data:`FEATURE_HEAD` columns of a layer's features."""
    out = pd.DataFrame(index=data.index)
    zh, en = names_zh_en(data)
    years = life.reindex(data["id"].astype(str).tolist()) if len(life) else None
    for column in FEATURE_HEAD:
        if column == "name_zh":
            out[column] = zh
        elif column == "name_en":
            out[column] = en
        elif column in ("opened", "closed", "widened"):
            out[column] = _ints(years[column].tolist() if years is not None else [None] * len(out))
        elif column == "layer":
            out[column] = layer
        else:
            out[column] = data[column].tolist() if column in data.columns else ""
    return out


def _capacities(
    data: pd.DataFrame, tagged: pd.DataFrame, layer: str
) -> dict[str, pd.api.extensions.ExtensionArray | list[str]]:
    """The :func:`capacity_columns` of a layer's features, in the year shown."""
    n = len(data)
    capacity = _ints(data["capacity"].tolist() if "capacity" in data.columns else [None] * n)
    main = capacity_column(layer)
    out: dict[str, pd.api.extensions.ExtensionArray | list[str]] = {main: capacity}
    if main == "lanes":
        forward, backward = _directional(data, tagged)
        out["lanes_forward"], out["lanes_backward"] = _ints(forward), _ints(backward)
    if main == "grade":
        out["grade_roman"] = [grade_text(g) for g in capacity]
    if main == "berths":
        out["teu"] = _ints(data["teu"].tolist() if "teu" in data.columns else [None] * n)
    return out


def interface_columns(
    interfaces: pd.DataFrame,
    features: Mapping[str, pd.DataFrame],
    stamp: Mapping[str, object],
) -> gpd.GeoDataFrame:
    """The pair's interfaces with the export's columns, as WGS84 points.

    Parameters
    ----------
    interfaces
        The pair's interfaces (:data:`geo.interfaces.INTERFACE_COLUMNS`).
    features
        The pair's features by layer (:func:`feature_columns`): each interface takes the
        Chinese and English name of the first feature it is on that has one, ``opened``
        the earliest of theirs, ``widened`` the latest, and ``closed`` the latest when
        all of them closed.
    stamp
        ``as_of`` and ``basis`` of every row.
    """
    known = {
        str(fid): (zh, en, opened, closed, widened)
        for frame in features.values()
        for fid, zh, en, opened, closed, widened in zip(
            *(frame[c] for c in ("id", "name_zh", "name_en", "opened", "closed", "widened"))
        )
    }
    rows = []
    for record in interfaces.drop(columns=["geometry"], errors="ignore").to_dict("records"):
        ids = [s for s in str(record.get("source_ids") or "").split(";") if s]
        found = [known[i] for i in ids if i in known]
        layer = str(record["layer"])
        unit = capacity_column(layer)
        capacity = record.get("capacity")
        opened = [y for y in _int_list([f[2] for f in found]) if y is not None]
        closed = [y for y in _int_list([f[3] for f in found]) if y is not None]
        widened = [y for y in _int_list([f[4] for f in found]) if y is not None]
        per_line = record.get("lanes_per_carriageway")
        row = {
            **record,
            "name_zh": next((f[0] for f in found if f[0]), ""),
            "name_en": next((f[1] for f in found if f[1]), ""),
            "opened": min(opened) if opened else None,
            "closed": max(closed) if found and len(closed) == len(found) else None,
            "widened": max(widened) if widened else None,
            "lanes_per_carriageway": list(per_line) if isinstance(per_line, list) else per_line,
            "tracks": capacity if unit == "tracks" else None,
            "grade": capacity if unit == "grade" else None,
            "diameter_mm": capacity if unit == "diameter_mm" else None,
            **stamp,
        }
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[*INTERFACE_EXPORT_COLUMNS])
    for column in ("opened", "closed", "widened", "carriageways", "lanes", "tracks", "grade",
                   "diameter_mm"):  # fmt: skip
        frame[column] = _ints(frame[column].tolist())
    frame["grade_roman"] = [grade_text(g) for g in frame["grade"]]
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs=WGS84)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=WGS84)


def count_columns(
    summary: pd.DataFrame,
    region: str,
    neighbour: str | None,
    layer_names: Sequence[str],
    *,
    as_of: int | None,
    stamp: Mapping[str, object],
    coverage: Coverage | None,
) -> pd.DataFrame:
    """The pair's summary rows with the year, the basis, split capacities and coverage.

    ``coverage`` reads ``covered``, ``partly covered`` or ``not covered``; the note is why
    a border and layer is not wholly covered (:meth:`geo.coverage.Coverage.reason`), in
    English and Chinese, ``""`` when it is.
    """
    keep = pair_mask(summary, region, neighbour) & summary["layer"].isin(list(layer_names))
    rows = summary.loc[keep, [c for c in SUMMARY_COLUMNS if c in summary.columns]]
    out = rows.reset_index(drop=True).copy()
    units = [capacity_column(str(layer)) for layer in out["layer"]]
    capacity = _ints(out["capacity"].tolist()) if "capacity" in out.columns else None
    for column in ("tracks", "grade", "diameter_mm"):
        values = [
            capacity[k] if capacity is not None and unit == column else None
            for k, unit in enumerate(units)
        ]
        out[column] = _ints(values)
    out["grade_roman"] = [grade_text(g) for g in out["grade"]]
    states, notes_en, notes_zh = [], [], []
    for a, b, layer, covered, partly in zip(
        out["a"], out["b"], out["layer"], out["covered"], out["partly"]
    ):
        states.append(PARTLY if covered and partly else COVERED if covered else NOT_COVERED)
        reason = None
        if coverage is not None and not (covered and not partly):
            cover = coverage.cover(str(a), str(b), str(layer), as_of=as_of)
            reason = coverage.reason(cover, str(layer))
        notes_en.append(reason.en if reason else "")
        notes_zh.append(reason.zh if reason else "")
    out["coverage"], out["coverage_note_en"], out["coverage_note_zh"] = states, notes_en, notes_zh
    for column, value in stamp.items():
        out[column] = value
    return out[[c for c in COUNT_EXPORT_COLUMNS if c in out.columns]]


def region_rows(
    regions: gpd.GeoDataFrame, region: str, neighbours: Collection[str]
) -> gpd.GeoDataFrame:
    """The pair's regions (``role``: ``focus`` or ``neighbour``) in WGS84."""
    require_crs(regions, what="the regions")
    data = regions.to_crs(WGS84) if regions.crs != WGS84 else regions
    data = data[data["name"].isin([region, *neighbours])]
    zh, en = names_zh_en(data)
    out = pd.DataFrame(
        {
            "name": data["name"].tolist(),
            "name_zh": zh,
            "name_en": en,
            "role": ["focus" if n == region else "neighbour" for n in data["name"]],
        }
    )
    return gpd.GeoDataFrame(out, geometry=data.geometry.tolist(), crs=WGS84)


def pair_export(
    *,
    tagged: Mapping[str, gpd.GeoDataFrame],
    interfaces: pd.DataFrame,
    summary: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    region: str,
    neighbour: str | None,
    year: int,
    as_of: int | None,
    statuses: Sequence[str],
    today: int | None = None,
    port_ids: Collection[str] = (),
    coverage: Coverage | None = None,
) -> PairExport:
    """Every table of one border's export (see the module docstring).

    Parameters
    ----------
    tagged
        The layers exported, as the source holds them (not read at a year).
    interfaces
        The interfaces of the count (:func:`geo.analysis.count_crossings` with ``as_of``,
        ``statuses`` and ``today``); those of the pair are kept.
    summary
        The count's summary rows (:attr:`geo.analysis.CrossingResult.summary`).
    regions
        The source's regions.
    region, neighbour
        The border (``neighbour`` None: all the region's neighbours).
    year
        The year shown: ``as_of``, or the year the data describe when ``as_of`` is None.
    as_of, statuses, today
        What was counted (:func:`geo.lifecycle.layers_at`).
    port_ids
        The ports of this border (:attr:`geo.overview.Overview.ports` of the pair).
    coverage
        The source's coverage, for the counts' notes.
    """
    basis = basis_name(statuses)
    stamp = {"as_of": year, "basis": basis}
    shown = layers_at(tagged, as_of=as_of, statuses=statuses, today=today)
    pair = pair_interfaces(interfaces, region, neighbour)
    on_border = {s for ids in pair["source_ids"] for s in str(ids or "").split(";") if s}
    ports = {str(p) for p in port_ids}
    kept: dict[str, tuple[gpd.GeoDataFrame, pd.DataFrame]] = {}
    others = []
    histories = []
    for name, frame in shown.items():
        point = layer_spec(name).geometry == "point"
        ids = frame["id"].astype(str) if len(frame) else pd.Series([], dtype=str)
        mine = ids.isin(ports if point else on_border).to_numpy(dtype=bool)
        if point and "province" in frame.columns:
            # Sites of a region (cities with a document's figures): those of the border's
            # regions, whether or not a link reaches them.
            mine = frame["province"].isin([region, *neighbours_of(summary, region, neighbour)])
            mine = mine.to_numpy(dtype=bool)
        kept[name] = (frame[mine], tagged[name].loc[frame.index[mine]])
        if not point and (~mine).any():
            others.append(_other_links(frame[~mine], name, stamp))
        if mine.any():
            histories.append(feature_history(kept[name][1], name, today=today))
    history = pd.concat(histories, ignore_index=True) if histories else feature_history(
        pd.DataFrame(), "highways"
    )
    life = life_years(history)
    layers = {
        name: feature_columns(frame, tagged_rows, name, life, stamp)
        for name, (frame, tagged_rows) in kept.items()
    }
    history = _named_history(history, layers)
    for column, value in stamp.items():  # which features it holds is the year's and basis's
        history[column] = value
    neighbours = (
        [neighbour]
        if neighbour is not None
        else sorted({str(b if a == region else a) for a, b in _pairs(summary, region)})
    )
    return PairExport(
        region=region,
        neighbour=neighbour,
        year=year,
        statuses=ordered_statuses(statuses),
        basis=basis,
        layers=layers,
        other_links=_concat_links(others),
        interfaces=interface_columns(pair, layers, stamp),
        history=history,
        regions=region_rows(regions, region, neighbours),
        counts=count_columns(
            summary, region, neighbour, list(tagged), as_of=as_of, stamp=stamp, coverage=coverage
        ),
    )


def neighbours_of(summary: pd.DataFrame, region: str, neighbour: str | None) -> list[str]:
    """The neighbour exported, or all of ``region``'s neighbours in the count's summary."""
    if neighbour is not None:
        return [neighbour]
    return sorted({str(b if a == region else a) for a, b in _pairs(summary, region)})


def _pairs(summary: pd.DataFrame, region: str) -> list[tuple[object, object]]:
    rows = summary[pair_mask(summary, region)]
    return list(zip(rows["a"], rows["b"]))


def _other_links(
    frame: gpd.GeoDataFrame, layer: str, stamp: dict[str, object]
) -> gpd.GeoDataFrame:
    """The lines of ``layer`` shown with no interface on the border: context, never counted.

    ``stamp``: the year shown and the basis (``as_of``, ``basis``), in every row as in every
    other table (which lines it holds depends on them).
    """
    data = frame.to_crs(WGS84) if frame.crs != WGS84 else frame
    zh, en = names_zh_en(data)
    out = pd.DataFrame(
        {
            "id": data["id"].astype(str).tolist(),
            "layer": layer,
            "class": data["class"].tolist(),
            "ref": data["ref"].tolist() if "ref" in data.columns else "",
            "name_zh": zh,
            "name_en": en,
            "status": data["status"].tolist(),
            **stamp,
        }
    )
    return gpd.GeoDataFrame(out, geometry=data.geometry.tolist(), crs=WGS84)


def _concat_links(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    if not frames:
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype=object) for c in OTHER_LINK_COLUMNS},
            geometry=gpd.GeoSeries([], crs=WGS84),
        )
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=WGS84)


def _named_history(history: pd.DataFrame, layers: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The history with each feature's Chinese and English names after its ref."""
    names = {
        str(fid): (zh, en)
        for frame in layers.values()
        for fid, zh, en in zip(frame["id"], frame["name_zh"], frame["name_en"])
    }
    out = history.copy()
    at = HISTORY_COLUMNS.index("ref") + 1
    out.insert(at, "name_en", [names.get(str(f), ("", ""))[1] for f in out["id"]])
    out.insert(at, "name_zh", [names.get(str(f), ("", ""))[0] for f in out["id"]])
    return out


def count_and_export(
    layers: Mapping[str, gpd.GeoDataFrame],
    region_set: RegionSet,
    *,
    region: str,
    neighbour: str | None,
    as_of: int | None,
    statuses: Sequence[str],
    data_year: int | None = None,
    coverage: Coverage | None = None,
    rules: CrossingRules | None = None,
    workers: int = 1,
) -> PairExport:
    """Count a source's region and export one of its borders, as the page does.

    Parameters
    ----------
    layers
        The layers to export (line layers are counted; a ``ports`` layer is set beside
        the borders it belongs to, :mod:`geo.port_borders`).
    region_set
        The regions.
    region, neighbour
        The border (``neighbour`` None: all the region's neighbours).
    as_of, statuses
        The year (None: the data as tagged, named by ``data_year`` or this year) and the
        statuses counted.
    data_year, coverage, rules, workers
        As for :func:`geo.analysis.count_crossings`.

    Raises
    ------
    geo.errors.UnknownRegionError
        When ``region`` is not in the data, or ``neighbour`` is not one of its neighbours.
    """
    region = region_set.require(region)  # any of its names (geo.region_names): the data's
    if neighbour is not None:
        neighbour = region_set.require_neighbour(region, neighbour)
    lines = {n: f for n, f in layers.items() if layer_spec(n).geometry == "line"}
    result = count_crossings(
        lines, region_set, rules=rules, region=region, as_of=as_of, statuses=statuses,
        data_year=data_year, workers=workers, coverage=coverage,
    )  # fmt: skip
    ports, sites = ports_and_sites(layers, region_set, reach_m=PORT_REACH_M)
    port_ids: list[str] = []
    if ports is not None and sites is not None:
        links = border_ports(
            sites, ports, result.interfaces, result.summary[["a", "b"]].drop_duplicates(),
            as_of=as_of, statuses=statuses, today=data_year,
        )  # fmt: skip
        port_ids = [str(p) for p in pair_interfaces(links, region, neighbour)["port"]]
    return pair_export(
        tagged=layers,
        interfaces=result.interfaces,
        summary=result.summary,
        regions=region_set.regions,
        region=region,
        neighbour=neighbour,
        year=as_of if as_of is not None else (data_year or current_year()),
        as_of=as_of,
        statuses=statuses,
        today=data_year,
        port_ids=port_ids,
        coverage=coverage,
    )
