"""Counts per region pair, layer and class: routes, interfaces, lanes, km along the border.

Each row also says whether the data cover that border and layer (``covered``, ``partly``;
:mod:`geo.coverage`): where they do not, its zeros mean "not looked at", not "none".

Also the rows of one pair (:func:`pair_mask`, the one filter the page, the downloads and
the comparison with documents share), the totals per layer shown for a pair
(:func:`layer_totals`) and the counts per pair and layer of the border tables
(:func:`pair_layer_counts`, :mod:`geo.overview`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from geo.coverage import COVERED, Coverage
from geo.errors import layer_spec
from geo.grouping import components
from geo.values import is_missing
from layers import total_capacity

SUMMARY_COLUMNS = [
    "a",
    "b",
    "pair_kind",
    "layer",
    "class",
    "routes",
    "interfaces",
    "lanes",
    "lanes_missing",
    "capacity",
    "capacity_unit",
    "along_km",
    "covered",
    "partly",
]


def count_routes(interfaces: pd.DataFrame) -> int:
    """Distinct routes among interfaces.

    Refs name routes, and the refs carried together by one interface (``G60;G92``, two
    route numbers of one road) are one route; interfaces sharing any ref are the same route.
    Interfaces without a ref count once per name, and unnamed ones each count as a route.
    """
    codes = np.zeros(len(interfaces), dtype=np.int64)
    return int(_route_counts(interfaces, codes, 1)[0]) if len(interfaces) else 0


def pair_mask(frame: pd.DataFrame, region: str, neighbour: str | None = None) -> pd.Series:
    """Which rows of ``frame`` are between ``region`` and ``neighbour``, in either order.

    Parameters
    ----------
    frame
        Rows with ``a`` and ``b`` region columns: interfaces, summary rows.
    region
        One side of the pair.
    neighbour
        The other side; None for every row that has ``region`` on either side.

    Returns
    -------
    pandas.Series
        Booleans on ``frame``'s index.

    Examples
    --------
    >>> rows = pd.DataFrame({"a": ["X", "Y", "X"], "b": ["Y", "X", "Z"]})
    >>> pair_mask(rows, "Y", "X").tolist(), pair_mask(rows, "X").tolist()
    ([True, True, False], [True, True, True])
    """
    a, b = frame["a"], frame["b"]
    if neighbour is None:
        return (a == region) | (b == region)
    return ((a == region) & (b == neighbour)) | ((a == neighbour) & (b == region))


def pair_interfaces(
    interfaces: pd.DataFrame, region: str, neighbour: str | None = None
) -> pd.DataFrame:
    """Interfaces between ``region`` and ``neighbour``, in either order (:func:`pair_mask`).

    All of ``region``'s interfaces when ``neighbour`` is None; an empty frame as it is.
    """
    if interfaces.empty:
        return interfaces
    return interfaces[pair_mask(interfaces, region, neighbour)]


def layer_totals(interfaces: pd.DataFrame, layer_names: Sequence[str]) -> pd.DataFrame:
    """Routes, interfaces and capacity per layer, for the cards of one region pair.

    Parameters
    ----------
    interfaces
        Interfaces (:data:`geo.interfaces.INTERFACE_COLUMNS`), usually of one pair
        (:func:`pair_interfaces`).
    layer_names
        Layers to report, in order; point layers (ports) are skipped.

    Returns
    -------
    pandas.DataFrame
        ``layer``, ``label``, ``routes``, ``interfaces``, ``capacity`` (missing when no
        interface has it), ``capacity_label`` (e.g. ``"lanes"``, ``"best navigation
        grade"``), ``capacity_short`` (``"best grade"``) and ``missing`` (interfaces
        without capacity data). Capacities combine
        as the layer says (:attr:`layers.base.LayerSpec.capacity_total`); missing ones
        are never guessed.
    """
    rows = []
    for name in layer_names:
        spec = layer_spec(name)
        if spec.geometry != "line":
            continue
        sub = interfaces[interfaces["layer"] == name] if len(interfaces) else interfaces
        missing = sub["lanes_missing"].astype(bool) if len(sub) else pd.Series(dtype=bool)
        known = [int(c) for c in sub.loc[~missing, "capacity"] if not is_missing(c)]
        prefix = {"min": "best ", "max": "largest "}.get(spec.capacity_total, "")
        unit = spec.capacity_unit.replace("_mm", " (mm)").replace("_", " ")
        short = {"min": "best ", "max": "max "}.get(spec.capacity_total, "") + re.split(
            r"[ _]", spec.capacity_unit
        )[-1 if spec.capacity_total == "min" else 0]
        rows.append(
            {
                "layer": name,
                "label": spec.label,
                "routes": count_routes(sub) if len(sub) else 0,
                "interfaces": len(sub),
                "capacity": total_capacity(known, spec.capacity_total),
                "capacity_label": prefix + unit,
                "capacity_short": short,
                "missing": int(missing.sum()),
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "layer", "label", "routes", "interfaces", "capacity", "capacity_label",
            "capacity_short", "missing",
        ],
    )  # fmt: skip
    frame["capacity"] = pd.array(frame["capacity"].tolist(), dtype="Int64")
    return frame


def summarise(
    interfaces: pd.DataFrame,
    along: pd.DataFrame,
    pairs: pd.DataFrame,
    layers: Iterable[str],
    *,
    coverage: Coverage | None = None,
    as_of: int | None = None,
) -> pd.DataFrame:
    """Summary rows per pair, layer and class.

    Parameters
    ----------
    interfaces
        Interfaces of all layers (:data:`geo.interfaces.INTERFACE_COLUMNS`).
    along
        Rows ``a``, ``b``, ``layer``, ``class``, ``metres`` of line length along borders.
    pairs
        The region pairs to report (``a``, ``b``, ``kind``); a pair and layer with no
        interface gets a row with ``class`` None and zero counts.
    layers
        The layers that were counted.
    coverage
        What the data cover (:class:`geo.coverage.Coverage`); every border and layer when
        None.
    as_of
        The year counted (a border may be covered only from a year on).

    Returns
    -------
    pandas.DataFrame
        :data:`SUMMARY_COLUMNS`; ``covered`` and ``partly`` are those of the row's pair
        and layer (:meth:`geo.coverage.Coverage.cover`).
    """
    layers = list(layers)
    counts = _interface_counts(interfaces)
    metres = _along_metres(along)
    classes: dict[tuple[object, object, object], set[Any]] = {}
    for a, b, layer, cls in [*counts, *metres]:
        classes.setdefault((a, b, layer), set()).add(cls)
    rows = []
    for pair in pairs.itertuples(index=False):
        for layer in layers:
            spec = layer_spec(layer)
            cover = coverage.cover(pair.a, pair.b, layer, as_of=as_of) if coverage else COVERED
            for cls in sorted(classes.get((pair.a, pair.b, layer), ())) or [None]:
                key = (pair.a, pair.b, layer, cls)
                n, missing, routes, unit, known = counts.get(key, (0, 0, 0, None, []))
                capacity = total_capacity(known, spec.capacity_total)
                rows.append(
                    {
                        "a": pair.a,
                        "b": pair.b,
                        "pair_kind": pair.kind,
                        "layer": layer,
                        "class": cls,
                        "routes": routes,
                        "interfaces": n,
                        "lanes": (capacity or 0) if layer == "highways" else None,
                        "lanes_missing": missing,
                        "capacity": capacity,
                        "capacity_unit": unit if n else spec.capacity_unit,
                        "along_km": round(metres.get(key, 0.0) / 1000.0, 3),
                        "covered": cover.covered,
                        "partly": cover.partly,
                    }
                )
    frame = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    for column in ("lanes", "capacity"):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    return frame


_KEYS = ["a", "b", "layer", "class"]


def _group_codes(
    frame: pd.DataFrame, keys: Sequence[str] = _KEYS
) -> tuple[np.ndarray, list[tuple[object, ...]]]:
    """Group number of each row by ``keys`` (``a``, ``b``, ``layer``, ``class``), and keys.

    Missing values form groups of their own; keys are the values of a group's first row.
    """
    columns = [frame[column].to_numpy(dtype=object) for column in keys]
    codes = np.zeros(len(frame), dtype=np.int64)
    for values in columns:
        numbers, uniques = pd.factorize(values, use_na_sentinel=False)
        _, codes = np.unique(codes * len(uniques) + numbers, return_inverse=True)
    _, first = np.unique(codes, return_index=True)
    return codes, list(zip(*(values[first] for values in columns)))


def _split(values: np.ndarray, codes: np.ndarray, groups: int) -> list[np.ndarray]:
    """``values`` per group number in ``codes``, each in row order."""
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(1, groups))
    return np.split(values[order], bounds)


def _distinct(codes: np.ndarray, values: np.ndarray, groups: int) -> np.ndarray:
    """Number of distinct ``values`` per group number in ``codes``."""
    if len(values) == 0:
        return np.zeros(groups, dtype=np.int64)
    value_codes, uniques = pd.factorize(values)
    pairs = np.unique(codes * len(uniques) + value_codes)
    return np.bincount(pairs // len(uniques), minlength=groups)


def pair_layer_counts(
    interfaces: pd.DataFrame,
) -> dict[tuple[object, ...], tuple[int, int, int, str, list[int]]]:
    """Counts per ``(a, b, layer)``, all classes together.

    Each is: interfaces, interfaces without capacity data, routes (:func:`count_routes` of
    the group), the capacity unit of the first interface and the capacities of the
    interfaces whose capacity is known, in row order. The pair is as the rows give it
    (``a``, ``b`` in that order).
    """
    return _interface_counts(interfaces, ["a", "b", "layer"])


def _interface_counts(
    interfaces: pd.DataFrame, keys: Sequence[str] = _KEYS
) -> dict[tuple[object, ...], tuple[int, int, int, str, list[int]]]:
    """Counts per ``keys`` (``(a, b, layer, class)``).

    Each is: interfaces, lanes missing, routes, the capacity unit of the first interface
    and the capacities of the interfaces whose lanes are known.
    """
    if interfaces.empty:
        return {}
    codes, found = _group_codes(interfaces, keys)
    groups = len(found)
    size = np.bincount(codes, minlength=groups)
    missing_rows = interfaces["lanes_missing"].astype(bool).to_numpy()
    missing = np.bincount(codes[missing_rows], minlength=groups)
    _, first = np.unique(codes, return_index=True)
    units = interfaces["capacity_unit"].to_numpy(dtype=object)[first]
    capacity = interfaces["capacity"]
    known_rows = ~missing_rows & capacity.notna().to_numpy()
    if pd.api.types.is_integer_dtype(capacity.dtype):
        values = capacity.to_numpy(dtype=np.int64, na_value=0)[known_rows]
    else:
        values = np.array([int(c) for c in capacity.to_numpy(dtype=object)[known_rows]])
    known = _split(values, codes[known_rows], groups)
    routes = _route_counts(interfaces, codes, groups)
    return {
        key: (int(size[g]), int(missing[g]), int(routes[g]), str(units[g]), known[g].tolist())
        for g, key in enumerate(found)
    }


def _route_counts(interfaces: pd.DataFrame, codes: np.ndarray, groups: int) -> np.ndarray:
    """Distinct routes per group, as :func:`count_routes` defines them."""
    counts, token_codes = _ref_tokens(interfaces["ref"].to_numpy(dtype=object))
    has_ref = counts > 0
    # One node per (group, ref token); the tokens of one interface are one route.
    row = np.repeat(np.arange(len(counts)), counts)
    _, node = np.unique(
        codes[row] * (token_codes.max(initial=0) + 1) + token_codes, return_inverse=True
    )
    n_nodes = int(node.max(initial=-1)) + 1
    same_row = np.flatnonzero(row[1:] == row[:-1])
    roots = components(n_nodes, node[same_row], node[same_row + 1])
    group_of = np.zeros(n_nodes, dtype=np.int64)
    group_of[node] = codes[row]
    ref_routes = _distinct(group_of, roots, groups) if n_nodes else np.zeros(groups, np.int64)
    names = interfaces["name"].to_numpy(dtype=object)
    named = ~has_ref & _mapped(names, bool).astype(bool)
    anonymous = ~has_ref & ~named
    return (
        ref_routes
        + _distinct(codes[named], _mapped(names[named], str), groups)
        + np.bincount(codes[anonymous], minlength=groups)
    )


def _mapped(values: np.ndarray, func: Callable[[object], object]) -> np.ndarray:
    """``[func(v) for v in values]`` as an object array, calling ``func`` once per value.

    Missing values (None, NaN) are mapped one by one, as they need not compare equal.
    """
    codes, uniques = pd.factorize(values)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[:-1] = [func(u) for u in uniques]
    out = mapped[codes]
    for k in np.flatnonzero(codes < 0).tolist():
        out[k] = func(values[k])
    return out


def _ref_tokens(refs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ref tokens of each row (:func:`refs_of` of ``str(ref or "")``), as codes.

    Returns
    -------
    (counts, codes)
        The number of tokens of each row, and the code of each token, rows one after
        the other; equal tokens have equal codes.
    """
    row_list, uniques = pd.factorize(refs)
    values = list(uniques)
    missing = np.flatnonzero(row_list < 0)  # None and NaN, each a value of its own
    if len(missing):
        row_list = row_list.astype(np.int64)
        row_list[missing] = len(values) + np.arange(len(missing))
        values += [refs[k] for k in missing.tolist()]
    unique_lists = [refs_of(str(r or "")) for r in values]
    sizes = np.fromiter(map(len, unique_lists), dtype=np.int64, count=len(unique_lists))
    flat = pd.factorize(np.array([t for ts in unique_lists for t in ts], dtype=object))[0]
    starts = np.cumsum(sizes) - sizes
    counts = sizes[row_list]
    owner = np.repeat(np.arange(len(refs)), counts)
    within = np.arange(len(owner)) - (np.cumsum(counts) - counts)[owner]
    return counts, flat[starts[row_list[owner]] + within].astype(np.int64)


def refs_of(ref: str) -> list[str]:
    """The ref tokens of a ``;``-separated ref."""
    return [t for t in ref.split(";") if t]


def _along_metres(along: pd.DataFrame) -> dict[tuple[object, ...], float]:
    """Metres along borders per ``(a, b, layer, class)``, each group summed in row order."""
    if along.empty:
        return {}
    codes, keys = _group_codes(along)
    metres = _split(along["metres"].to_numpy(dtype=float), codes, len(keys))
    return {key: float(np.nansum(metres[g])) for g, key in enumerate(keys)}
