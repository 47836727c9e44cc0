"""Interfaces: transitions grouped the way planners count border links.

Two transitions between the same two regions in the same layer are one interface when
(parameters in :class:`geo.rules.CrossingRules`):

* they belong to the same named route — a shared ref, else (both without refs) the same
  name — and lie within ``cluster_distance_m`` of each other; or
* they are the two carriageways of a divided road: one-way features of the same route
  key (ref, else name, else class) carrying traffic in opposite directions within
  ``carriageway_pair_m``; or
* they are crossings of the same line (a line wandering back and forth over the border)
  within ``cluster_distance_m``.

Grouping is single-linkage (a chain of such links is one interface). An interface counts
each line once: ``carriageways`` is the number of distinct lines (or pairs of lines joined
at the border) in it, and its lanes are the sum of their lanes; when any of them lacks lane
data the interface's lanes stay unknown and it is flagged.

Identity (:func:`interface_ids`): an interface is named by its layer, its region pair and
the line it is anchored on, ``highways/Shanghai–Zhejiang/yrd:hwy-g60-hu-hang``, so that
the same physical interface keeps its id in every year and for every set of statuses
counted, rather than a number that depends on what else is counted.

The work is done on arrays, one entry per transition: pairs of transitions that may be
linked are found by a join on a shared token (ref, name or feature row, within the same
region pair) over a grid of cells as wide as the linking distance, and interfaces are the
connected components of the links.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from geo.crossings import Transition
from geo.errors import layer_spec
from geo.grouping import components
from geo.projection import WGS84
from geo.rules import CrossingRules

STATUS_ORDER = ("open", "construction", "proposed", "cancelled", "disused", "abandoned", "")

INTERFACE_COLUMNS = [
    "id",
    "a",
    "b",
    "layer",
    "class",
    "ref",
    "name",
    "carriageways",
    "lanes",
    "lanes_per_carriageway",
    "lanes_missing",
    "capacity",
    "capacity_unit",
    "bridge",
    "tunnel",
    "status",
    "via",
    "along",
    "lon",
    "lat",
    "source_ids",
]

#: Feature attributes read for each transition (from its first row).
_ATTRIBUTES = ("ref", "name", "class", "status", "capacity", "capacity_unit", "bridge", "tunnel")
#: Kinds of route key: a transition's refs, else its name, else its class.
_REF, _NAME, _CLASS = 0, 1, 2
#: Groups of at most this many points get their mean from one sequential sum, which is
#: what ``numpy.mean`` computes for so few values (it sums longer runs pairwise).
_SEQUENTIAL_MEAN_MAX = 7


def _refs(value: object) -> set[str]:
    return {r for r in str(value or "").split(";") if r}


def _status_rank(status: str) -> int:
    """Place of a status in :data:`STATUS_ORDER` (the best first), unknown ones last."""
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else 99


def _map(values: np.ndarray, func: Callable[[object], object]) -> np.ndarray:
    """``[func(v) for v in values]`` as an object array, calling ``func`` once per value."""
    codes, uniques = pd.factorize(values)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[:-1] = [func(u) for u in uniques]
    out = mapped[codes]
    for k in np.flatnonzero(codes < 0):  # missing values, each mapped on its own
        out[k] = func(values[k])
    return out


def _codes(values: np.ndarray) -> np.ndarray:
    """Integer codes equal exactly where the values compare equal (``NaN`` equals nothing)."""
    codes, uniques = pd.factorize(values)
    missing = np.flatnonzero(codes < 0)
    if len(missing):
        codes = codes.astype(np.int64)
        is_none = np.array([values[k] is None for k in missing], dtype=bool)
        codes[missing[is_none]] = len(uniques)
        codes[missing[~is_none]] = len(uniques) + 1 + np.arange((~is_none).sum())
    return codes.astype(np.int64)


def _bools(values: np.ndarray) -> np.ndarray:
    """``bool(v)`` of each value."""
    if values.dtype == bool:
        return values
    if pd.api.types.infer_dtype(values, skipna=False) == "boolean":  # Python bools only
        return values.astype(bool)
    return np.fromiter((bool(v) for v in values), dtype=bool, count=len(values))


def _runs(*keys: np.ndarray) -> np.ndarray:
    """Start of each run of equal consecutive key tuples (keys sorted, non-empty)."""
    change = np.zeros(len(keys[0]), dtype=bool)
    change[0] = True
    for key in keys:
        change[1:] |= key[1:] != key[:-1]
    return np.flatnonzero(change)


@dataclass
class _Table:
    """Transitions as arrays, one entry per transition (row entries for ``owner``/``pos``)."""

    xy: np.ndarray
    pair: np.ndarray  # code of (a, b)
    direction: np.ndarray
    owner: np.ndarray  # transition of each (transition, feature row) entry
    pos: np.ndarray  # position in ``features`` of that row
    attrs: dict[str, np.ndarray]  # the attributes standing for it (see _table)
    tokens: list[tuple[str, ...]]  # sorted refs of each transition
    kind: np.ndarray  # route key kind (_REF, _NAME or _CLASS)
    key: np.ndarray  # code of the route key
    named: np.ndarray  # has a name (truthy), used only without refs
    name_code: np.ndarray
    class_code: np.ndarray


def _table(transitions: Sequence[Transition], features: pd.DataFrame) -> _Table:
    """Arrays of the transitions and of the attributes standing for them.

    A transition's attributes are its first line's, with the refs of its first two lines
    merged and the second line's name when the first has none.
    """
    n = len(transitions)
    counts = np.fromiter((len(t.rows) for t in transitions), dtype=np.int64, count=n)
    owner = np.repeat(np.arange(n), counts)
    labels = [row for t in transitions for row in t.rows]
    pos = features.index.get_indexer(labels)
    if (pos < 0).any():
        raise KeyError(labels[int(np.flatnonzero(pos < 0)[0])])
    start = np.cumsum(counts) - counts
    first = pos[start]
    columns = {c: features[c].to_numpy(dtype=object) for c in _ATTRIBUTES}
    attrs = {c: values[first] for c, values in columns.items()}
    tokens = list(_map(attrs["ref"], lambda v: tuple(sorted(_refs(v)))))
    ref_text = _map(attrs["ref"], lambda v: ";".join(sorted(_refs(v))))  # ";".join(tokens)
    for i in np.flatnonzero(counts > 1).tolist():
        second = pos[start[i] + 1]
        merged = sorted(_refs(attrs["ref"][i]) | _refs(columns["ref"][second]))
        attrs["ref"][i] = ref_text[i] = ";".join(merged)
        tokens[i] = tuple(merged)
        if not attrs["name"][i]:
            attrs["name"][i] = columns["name"][second]

    a = pd.factorize(np.array([t.a for t in transitions], dtype=object))[0]
    b = pd.factorize(np.array([t.b for t in transitions], dtype=object))[0]
    names = attrs["name"]
    named = _bools(names)
    has_ref = np.fromiter(map(bool, tokens), dtype=bool, count=n)
    kind = np.where(has_ref, _REF, np.where(named, _NAME, _CLASS))
    text = np.empty(n, dtype=object)
    text[has_ref] = ref_text[has_ref]
    text[kind == _NAME] = _map(names[kind == _NAME], str)
    text[kind == _CLASS] = _map(attrs["class"][kind == _CLASS], str)
    return _Table(
        xy=np.stack(
            [
                np.fromiter((t.x for t in transitions), dtype=float, count=n),
                np.fromiter((t.y for t in transitions), dtype=float, count=n),
            ],
            axis=1,
        ),
        pair=a.astype(np.int64) * (b.max() + 1) + b,
        direction=np.fromiter((t.direction for t in transitions), dtype=np.int64, count=n),
        owner=owner,
        pos=pos,
        attrs=attrs,
        tokens=tokens,
        kind=kind,
        key=pd.factorize(kind.astype(str).astype(object) + "\0" + text)[0],
        named=named,
        name_code=_codes(names),
        class_code=_codes(attrs["class"]),
    )


def _near_pairs(
    xy: np.ndarray,
    left: np.ndarray,
    left_key: np.ndarray,
    right: np.ndarray,
    right_key: np.ndarray,
    distance: float,
    *,
    symmetric: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(i, j)``, ``i < j``, of a left and a right entry with equal keys and cells.

    Points are binned in square cells a little wider than ``distance``, so every pair at
    most ``distance`` apart lies in one cell or in two neighbouring ones. With
    ``symmetric`` the left and right entries are the same and each pair comes once per
    shared key.
    """
    cell = max(float(distance), 1.0) * (1.0 + 1e-6)
    cells = np.floor(xy / cell).astype(np.int64)
    offsets = [(0, 0), (1, -1), (1, 0), (1, 1), (0, 1)]
    if not symmetric:
        offsets += [(-1, 1), (-1, 0), (-1, -1), (0, -1)]
    codes = _cell_codes(
        np.concatenate([left_key, right_key]), np.concatenate([cells[left], cells[right]])
    )
    if codes is None:  # too many keys and cells for one 64-bit code: join on the columns
        return _near_pairs_merged(left, left_key, right, right_key, cells, offsets, symmetric)
    code, stride_x = codes
    left_code = code[: len(left)]
    right_code = code[len(left) :]
    found_i, found_j = [], []
    for dx, dy in offsets:
        a, b = _equal_pairs(left_code, right_code - dx * stride_x - dy)
        i, j = left[a], right[b]
        if symmetric and (dx, dy) == (0, 0):
            i, j = i[i < j], j[i < j]
        found_i.append(np.minimum(i, j))
        found_j.append(np.maximum(i, j))
    return np.concatenate(found_i), np.concatenate(found_j)


def _cell_codes(keys: np.ndarray, cells: np.ndarray) -> tuple[np.ndarray, int] | None:
    """One int64 per (key, cell x, cell y), with room for a neighbouring cell on each side.

    Returns the codes and the stride of x (y's is 1), or None when they would not fit.
    """
    if len(keys) == 0:
        return np.zeros(0, dtype=np.int64), 0
    low = cells.min(axis=0) - 1
    span = cells.max(axis=0) - low + 2
    n_keys = int(keys.max()) - int(keys.min()) + 1
    if float(n_keys) * float(span[0]) * float(span[1]) >= 2.0**62:
        return None
    stride_x = int(span[1])
    stride_key = stride_x * int(span[0])
    code = (keys.astype(np.int64) - int(keys.min())) * stride_key
    code += (cells[:, 0] - low[0]) * stride_x + (cells[:, 1] - low[1])
    return code, stride_x


def _equal_pairs(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of positions ``(a, b)`` with ``left[a] == right[b]`` (a sort-merge join)."""
    order = np.argsort(right, kind="stable")
    ordered = right[order]
    lo = np.searchsorted(ordered, left, side="left")
    counts = np.searchsorted(ordered, left, side="right") - lo
    a = np.repeat(np.arange(len(left)), counts)
    first = np.repeat(lo - (np.cumsum(counts) - counts), counts)
    return a, order[np.arange(len(a)) + first]


def _near_pairs_merged(
    left: np.ndarray,
    left_key: np.ndarray,
    right: np.ndarray,
    right_key: np.ndarray,
    cells: np.ndarray,
    offsets: list[tuple[int, int]],
    symmetric: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_near_pairs` by a pandas join on the key and cell columns (any size)."""
    lhs = pd.DataFrame({"i": left, "k": left_key, "cx": cells[left, 0], "cy": cells[left, 1]})
    found_i, found_j = [], []
    for dx, dy in offsets:
        rhs = pd.DataFrame(
            {"j": right, "k": right_key, "cx": cells[right, 0] - dx, "cy": cells[right, 1] - dy}
        )
        joined = lhs.merge(rhs, on=["k", "cx", "cy"])
        i, j = joined["i"].to_numpy(), joined["j"].to_numpy()
        if symmetric and (dx, dy) == (0, 0):
            i, j = i[i < j], j[i < j]
        found_i.append(np.minimum(i, j))
        found_j.append(np.maximum(i, j))
    return np.concatenate(found_i), np.concatenate(found_j)


def _within(
    xy: np.ndarray, i: np.ndarray, j: np.ndarray, limit: float, reach: float
) -> tuple[np.ndarray, np.ndarray]:
    """Distances of pairs and whether they are at most ``limit`` and found within ``reach``.

    ``reach`` is the distance the candidate pairs were originally sought within (GEOS
    ``dwithin``); it is checked only where rounding could tell it from ``limit``.
    """
    d = xy[i] - xy[j]
    dist = np.hypot(d[:, 0], d[:, 1])
    ok = dist <= limit
    edge = np.flatnonzero(ok & (dist >= reach * (1.0 - 1e-9)))
    if len(edge):
        ok[edge] = shapely.dwithin(shapely.points(xy[i[edge]]), shapely.points(xy[j[edge]]), reach)
    return dist, ok


def _links(table: _Table, rules: CrossingRules) -> tuple[np.ndarray, np.ndarray]:
    """Links between transitions of one interface (pairs ``i < j``)."""
    n = len(table.xy)
    reach = max(rules.cluster_distance_m, rules.carriageway_pair_m)
    # Same line (a shared feature row), same ref, or same name where neither has a ref:
    # each such tie is a token shared by the two transitions.
    n_tok = np.fromiter(map(len, table.tokens), dtype=np.int64, count=n)
    ref_tok = pd.factorize(np.array([r for t in table.tokens for r in t], dtype=object))[0]
    name_owner = np.flatnonzero((table.kind != _REF) & table.named)
    n_ref = ref_tok.max() + 1 if len(ref_tok) else 0
    n_name = table.name_code.max() + 1
    owner = np.concatenate([np.repeat(np.arange(n), n_tok), name_owner, table.owner])
    token = np.concatenate(
        [ref_tok, n_ref + table.name_code[name_owner], n_ref + n_name + table.pos]
    )
    token = pd.factorize(table.pair[owner] * (n_ref + n_name + table.pos.max() + 1) + token)[0]
    i, j = _near_pairs(
        table.xy, owner, token, owner, token, rules.cluster_distance_m, symmetric=True
    )
    pairs = np.unique(i * n + j)
    i, j = pairs // n, pairs % n
    _, ok = _within(table.xy, i, j, rules.cluster_distance_m, reach)
    route_i, route_j = i[ok], j[ok]
    linked = route_i * n + route_j

    # Carriageways: opposite one-way transitions of the same class and region pair.
    forward = np.flatnonzero(table.direction == 1)
    backward = np.flatnonzero(table.direction == -1)
    cls = table.pair * (table.class_code.max() + 1) + table.class_code
    i, j = _near_pairs(
        table.xy,
        forward,
        cls[forward],
        backward,
        cls[backward],
        rules.carriageway_pair_m,
        symmetric=False,
    )
    dist, ok = _within(table.xy, i, j, rules.carriageway_pair_m, reach)
    # Their route keys agree, or one carriageway carries neither ref nor name: mappers
    # often name only one carriageway of a divided road, the other is still its partner.
    kind, key = table.kind, table.key
    ok &= (kind[i] == _CLASS) | (kind[j] == _CLASS) | (key[i] == key[j])
    ok &= ~np.isin(i * n + j, linked)  # already linked as one route or line
    dist, i, j = dist[ok], i[ok], j[ok]
    # A divided road has two carriageways: each transition pairs with at most one
    # opposite partner, the nearest first.
    paired: set[int] = set()
    chosen: list[int] = []
    for k in np.lexsort((j, i, dist)).tolist():
        a, b = int(i[k]), int(j[k])
        if a not in paired and b not in paired:
            paired.update((a, b))
            chosen.append(k)
    return np.concatenate([route_i, i[chosen]]), np.concatenate([route_j, j[chosen]])


def group_interfaces(
    transitions: list[Transition],
    features: pd.DataFrame,
    *,
    layer: str,
    crs: CRS,
    rules: CrossingRules,
) -> gpd.GeoDataFrame:
    """Group a layer's transitions into interfaces.

    Parameters
    ----------
    transitions
        Transitions found in the layer.
    features
        The layer's normalised feature attributes, by row (see ``layers.base``).
    layer
        The layer's name.
    crs
        The metric CRS of the transitions' coordinates.
    rules
        The crossing rules.

    Returns
    -------
    GeoDataFrame
        One row per interface with the columns of :data:`INTERFACE_COLUMNS`, point
        geometry in WGS84.
    """
    if not transitions:
        return gpd.GeoDataFrame(columns=INTERFACE_COLUMNS, geometry=gpd.GeoSeries([], crs=WGS84))
    table = _table(transitions, features)
    smallest = components(len(transitions), *_links(table, rules))
    frame = _interface_frame(transitions, table, smallest, features, layer)
    to_wgs84 = Transformer.from_crs(crs, WGS84, always_xy=True)
    lon, lat = to_wgs84.transform(frame["x"].to_numpy(), frame["y"].to_numpy())
    frame["lon"] = np.round(lon, 6)
    frame["lat"] = np.round(lat, 6)
    frame = frame.sort_values(["a", "b", "class", "lon", "lat"]).reset_index(drop=True)
    frame["id"] = interface_ids(frame, layer)
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs=WGS84)
    return gpd.GeoDataFrame(frame[INTERFACE_COLUMNS], geometry=geometry, crs=WGS84)


#: Separates the parts of an interface id (layer, region pair, anchor line).
ID_SEPARATOR = "/"
#: Joins the two regions of the pair in an interface id (as documented borders are written).
PAIR_JOIN = "–"
#: Put before the number that tells apart interfaces sharing a base id.
COLLISION_MARK = "#"

#: Characters an interface id keeps besides letters and digits (of any script); any other
#: becomes ``_``, so that an id holds no markup (``<``, ``&``, quotes, ``{``, ``$`` ...) from
#: a region name or a source id and can be put anywhere as it is.
ID_CHARACTERS = frozenset(" -_.:/–#(),+")

_DIGITS = re.compile(r"(\d+)")

#: A character :func:`id_text` replaces: for ``str`` patterns ``\w`` is exactly
#: ``str.isalnum()`` or ``_`` (one of :data:`ID_CHARACTERS`).
_NOT_ID = re.compile("[^\\w" + re.escape("".join(sorted(ID_CHARACTERS))) + "]")


def id_text(text: str) -> str:
    """``text`` with every character other than letters, digits and :data:`ID_CHARACTERS` as ``_``.

    Letters and digits of any script, as ``str.isalnum`` tells them (one regular expression:
    a character at a time in Python took 0.08 s of the 4,719 interfaces of the 57 MB
    benchmark file).

    Examples
    --------
    >>> id_text("Provence-Alpes-Côte d'Azur <b>")
    'Provence-Alpes-Côte d_Azur _b_'
    """
    return _NOT_ID.sub("_", text)


#: A :func:`natural_key`.
NaturalKey = tuple[tuple[int, int | str], ...]


def natural_key(text: str) -> NaturalKey:
    """A sort key reading runs of digits as numbers: ``osm:way/9`` before ``osm:way/10``.

    Examples
    --------
    >>> sorted(["osm:way/10", "osm:way/9", "osm:node/11"], key=natural_key)
    ['osm:node/11', 'osm:way/9', 'osm:way/10']
    """
    return tuple(
        (1, int(part)) if part.isdigit() else (0, part) for part in _DIGITS.split(text) if part
    )


def anchor_id(source_ids: str) -> str:
    """The source feature an interface is named after: the smallest of its lines' ids.

    ``source_ids`` is the ``;``-separated list of an interface; ids compare as
    :func:`natural_key` does, so in OpenStreetMap data the anchor is the way of smallest
    number, usually the oldest: a carriageway or a new line added later to the same
    interface sorts after it and leaves the anchor, and so the id, as it was.
    """
    ids = [s for s in str(source_ids or "").split(";") if s]
    return min(ids, key=natural_key) if ids else ""


def interface_ids(frame: pd.DataFrame, layer: str) -> list[str]:
    """Ids of interfaces that stay the same across years, statuses and input order.

    Parameters
    ----------
    frame
        Interfaces of one layer with ``a``, ``b``, ``source_ids``, ``lon``, ``lat`` (and
        ``class``, ``ref``, ``name``, which break ties).
    layer
        The layer's name.

    Returns
    -------
    list of str
        One id per row, in row order, unique among the rows.

    Notes
    -----
    An id is ``LAYER/A–B/ANCHOR``: the layer, the two regions in sorted order joined by an
    en dash, and the anchor line (:func:`anchor_id`, the smallest id of the source features
    forming the interface), e.g. ``highways/Shanghai–Zhejiang/yrd:hwy-g60-hu-hang`` or
    ``highways/France métropolitaine–Monaco/osm:way/93207286``. It is built from what the
    data say of the interface, never from its place in a list, so it does not depend on the
    order of the input features, on which other interfaces are counted (other years,
    statuses or regions), nor on the region a run is focused on.

    One line can form several interfaces on one border (a line that leaves a region and
    comes back farther on: the Changxing–Huzhou–Shanghai waterway crosses the
    Jiangsu–Zhejiang border twice). Rows sharing a base id are ordered west to east (by
    ``lon``, then ``lat``, then class, ref, name and source ids): the first keeps the base
    id, the next ones get ``#2``, ``#3`` ... in that order (the first free number, should
    a base id itself end so). Characters other than letters, digits and
    :data:`ID_CHARACTERS` become ``_`` (:func:`id_text`), so that no markup from the data
    reaches an id; two names that differ only there are told apart as collisions. Ids are
    to be compared whole, not parsed: region names and source ids may hold the separators.

    The id changes only when the interface's anchor does: when a line whose id sorts
    before the anchor's joins the interface (a second carriageway or a parallel line of
    the same route within the clustering distance), or when the data give the same link
    another id.
    """
    a = frame["a"].astype(str).to_numpy(dtype=object)
    b = frame["b"].astype(str).to_numpy(dtype=object)
    bases = [
        id_text(ID_SEPARATOR.join((layer, PAIR_JOIN.join(sorted((x, y))), anchor_id(ids))))
        for x, y, ids in zip(a, b, frame["source_ids"])
    ]

    texts = {
        c: frame[c].fillna("").astype(str).tolist() if c in frame else [""] * len(frame)
        for c in ("class", "ref", "name", "source_ids")
    }
    lon = frame["lon"].to_numpy(dtype=float)
    lat = frame["lat"].to_numpy(dtype=float)

    def order(k: int) -> tuple[str, float, float, str, str, str, NaturalKey]:
        return (
            bases[k], float(lon[k]), float(lat[k]), texts["class"][k], texts["ref"][k],
            texts["name"][k], natural_key(texts["source_ids"][k]),
        )  # fmt: skip

    counts: dict[str, int] = {}
    for base in bases:
        counts[base] = counts.get(base, 0) + 1
    out = list(bases)
    taken = {base for base in bases if counts[base] == 1}
    shared = [k for k, base in enumerate(bases) if counts[base] > 1]
    for k in sorted(shared, key=order):
        candidate, n = bases[k], 1
        while candidate in taken:
            n += 1
            candidate = f"{bases[k]}{COLLISION_MARK}{n}"
        taken.add(candidate)
        out[k] = candidate
    return out


def _most_common(group: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group, the code seen most often (the first seen among equals), else -1.

    Entries are in the order they are seen in.
    """
    out = np.full(n_groups, -1, dtype=np.int64)
    if not len(codes):
        return out
    order = np.lexsort((np.arange(len(codes)), codes, group))
    g, c = group[order], codes[order]
    starts = _runs(g, c)
    counts = np.diff(np.append(starts, len(g)))
    best = np.lexsort((order[starts], -counts, g[starts]))
    best = best[_runs(g[starts][best])]
    out[g[starts][best]] = c[starts][best]
    return out


def _joined(group: np.ndarray, texts: np.ndarray, n_groups: int) -> list[str]:
    """Per group, its distinct texts sorted and joined by ``;``."""
    out = [""] * n_groups
    if not len(texts):
        return out
    # Most groups have one text: only the others need sorting, each on its own.
    order = np.argsort(group, kind="stable")
    g, words = group[order], texts[order].tolist()
    starts = _runs(g)
    size = np.diff(np.append(starts, len(g)))
    for k in np.flatnonzero(size == 1).tolist():
        out[int(g[starts[k]])] = words[starts[k]]
    for k in np.flatnonzero(size > 1).tolist():
        start = int(starts[k])
        out[int(g[start])] = ";".join(sorted(set(words[start : start + int(size[k])])))
    return out


def _any(group: np.ndarray, flags: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group, whether any of its entries is flagged."""
    return np.bincount(group, weights=flags, minlength=n_groups) > 0


def _means(group: np.ndarray, values: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Per group, ``values[members].mean()`` to the last bit.

    ``numpy.mean`` sums a handful of values one after the other (as ``bincount`` does)
    and longer runs pairwise, so larger groups are averaged one by one.
    """
    out = np.bincount(group, weights=values, minlength=len(size)) / size
    large = np.flatnonzero(size > _SEQUENTIAL_MEAN_MAX)
    if len(large):
        order = np.argsort(group, kind="stable")
        ends = np.cumsum(size)
        for g in large.tolist():
            out[g] = values[order[ends[g] - size[g] : ends[g]]].mean()
    return out


def _lanes(
    table: _Table, group: np.ndarray, n_groups: int, layer: str
) -> tuple[np.ndarray, list[list[int | None]], np.ndarray, list[int | None]]:
    """Carriageways, lanes of each, whether any lacks them, and the total, per interface.

    Transitions of one interface sharing a feature row are one line (a carriageway); its
    lanes are the capacity of its first transition. Lines are listed in the order they
    were last added to, that is by their last transition.
    """
    n = len(group)
    row_group = group[table.owner]
    order = np.lexsort((table.owner, table.pos, row_group))
    owner, pos, row_group = table.owner[order], table.pos[order], row_group[order]
    same = np.flatnonzero((row_group[1:] == row_group[:-1]) & (pos[1:] == pos[:-1]))
    line = components(n, owner[same], owner[same + 1])
    line_first, line_of = np.unique(line, return_inverse=True)
    line_last = np.zeros(len(line_first), dtype=np.int64)
    np.maximum.at(line_last, line_of, np.arange(n))
    line_group = group[line_first]
    listed = np.lexsort((line_last, line_group))
    capacities = table.attrs["capacity"][line_first[listed]]
    missing = np.asarray(pd.isna(capacities), dtype=bool)
    values = np.zeros(len(capacities), dtype=np.int64)
    known = capacities[~missing]
    if pd.api.types.infer_dtype(known, skipna=False) == "integer":  # ints: no int() needed
        values[~missing] = known.astype(np.int64)
    else:
        values[~missing] = [int(c) for c in known]
    lanes: list[int | None] = list(values.tolist())
    for k in np.flatnonzero(missing).tolist():
        lanes[k] = None
    carriageways = np.bincount(line_group, minlength=n_groups)
    bounds = np.cumsum(carriageways).tolist()
    starts = [0, *bounds[:-1]]
    per_line = [lanes[s:e] for s, e in zip(starts, bounds)]
    lacking = _any(line_group[listed], missing, n_groups)
    # Every interface has a line; the lines of each are consecutive in ``values``.
    combine = {"sum": np.add, "min": np.minimum, "max": np.maximum}
    how = layer_spec(layer).capacity_total
    total: list[int | None] = (
        combine[how].reduceat(values, starts).tolist() if len(values) else [None] * n_groups
    )
    for g in np.flatnonzero(lacking).tolist():
        total[g] = None
    return carriageways, per_line, lacking, total


def _interface_frame(
    transitions: Sequence[Transition],
    table: _Table,
    smallest: np.ndarray,
    features: pd.DataFrame,
    layer: str,
) -> pd.DataFrame:
    """Attributes of the interfaces, one row each, in the order of their first transition.

    ``smallest`` gives each transition's interface by the interface's first transition.
    """
    n = len(transitions)
    attrs = table.attrs
    heads, group = np.unique(smallest, return_inverse=True)
    n_groups = len(heads)
    size = np.bincount(group, minlength=n_groups)
    carriageways, per_line, lacking, total = _lanes(table, group, n_groups, layer)
    class_codes, class_names = pd.factorize(_map(attrs["class"], str))
    named = np.flatnonzero(table.named)
    name_codes, names = pd.factorize(_map(attrs["name"][named], str))
    name_pick = _most_common(group[named], name_codes, n_groups)
    name_list = [*names.tolist(), ""]  # -1, no name, picks ""
    # The best status: the first member's among those ranking first.
    rank = _map(attrs["status"], lambda s: _status_rank(str(s))).astype(np.int64)
    best = np.lexsort((np.arange(n), rank, group))
    best = best[_runs(group[best])]
    n_tok = np.fromiter(map(len, table.tokens), dtype=np.int64, count=n)
    ref_words = np.array([r for t in table.tokens for r in t], dtype=object)
    ids = features["id"].astype(str).to_numpy(dtype=object)
    heads_list = heads.tolist()
    water = np.fromiter((t.via == "water" for t in transitions), dtype=bool, count=n)
    along = np.fromiter((bool(t.along) for t in transitions), dtype=bool, count=n)
    return pd.DataFrame(
        {
            "a": [transitions[h].a for h in heads_list],
            "b": [transitions[h].b for h in heads_list],
            "layer": layer,
            "class": class_names[_most_common(group, class_codes, n_groups)].tolist(),
            "ref": _joined(np.repeat(group, n_tok), ref_words, n_groups),
            "name": [name_list[k] for k in name_pick.tolist()],
            "carriageways": carriageways,
            "lanes": pd.array(total if layer == "highways" else [None] * n_groups, "Int64"),
            "lanes_per_carriageway": per_line,
            "lanes_missing": lacking,
            "capacity": pd.array(total, dtype="Int64"),
            "capacity_unit": _map(attrs["capacity_unit"][heads], str).tolist(),
            "bridge": _any(group, _bools(attrs["bridge"]), n_groups),
            "tunnel": _any(group, _bools(attrs["tunnel"]), n_groups),
            "status": _map(attrs["status"][best], str).tolist(),
            "via": np.where(_any(group, water, n_groups), "water", "land").tolist(),
            "along": _any(group, along, n_groups),
            "x": _means(group, table.xy[:, 0], size),
            "y": _means(group, table.xy[:, 1], size),
            "source_ids": _joined(group[table.owner], _map(ids[table.pos], str), n_groups),
        }
    )
