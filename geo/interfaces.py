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
"""

from __future__ import annotations

from collections import Counter

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo.crossings import Transition
from geo.grouping import DisjointSet
from geo.projection import WGS84
from geo.rules import CrossingRules
from layers import get_layer, total_capacity

STATUS_ORDER = ("open", "construction", "proposed", "disused", "abandoned", "")

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


def _refs(value: object) -> set[str]:
    return {r for r in str(value or "").split(";") if r}


def _key(feature: pd.Series) -> tuple[str, str]:
    """Route key of a feature: ("ref", refs) else ("name", name) else ("class", class)."""
    refs = _refs(feature["ref"])
    if refs:
        return ("ref", ";".join(sorted(refs)))
    if feature["name"]:
        return ("name", str(feature["name"]))
    return ("class", str(feature["class"]))


def _same_route(fa: pd.Series, fb: pd.Series) -> bool:
    """Named routes match on a shared ref, or on the name when neither has a ref."""
    ra, rb = _refs(fa["ref"]), _refs(fb["ref"])
    if ra or rb:
        return bool(ra & rb)
    return bool(fa["name"]) and fa["name"] == fb["name"]


def _carriageway_keys_match(first: tuple[str, str], second: tuple[str, str]) -> bool:
    """Route keys of two carriageways agree, or one carriageway carries neither ref nor name.

    Mappers often name only one carriageway of a divided road; the other, unnamed one is
    still its partner (the class and the opposite direction are checked separately).
    """
    return first == second or "class" in (first[0], second[0])


def _chains(members: list[int], transitions: list[Transition]) -> list[set[int]]:
    """Distinct lines in an interface: transitions that share a feature are one line."""
    chains: list[set[int]] = []
    for i in members:
        rows = set(transitions[i].rows)
        touching = [c for c in chains if c & rows]
        for c in touching:
            rows |= c
            chains.remove(c)
        chains.append(rows)
    return chains


def _transition_features(t: Transition, features: pd.DataFrame) -> pd.Series:
    """Attributes standing for a transition: its first line's, with refs and names merged."""
    first = features.loc[t.rows[0]].copy()
    if len(t.rows) > 1:
        other = features.loc[t.rows[1]]
        first["ref"] = ";".join(sorted(_refs(first["ref"]) | _refs(other["ref"])))
        if not first["name"]:
            first["name"] = other["name"]
    return first


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
    attrs = [_transition_features(t, features) for t in transitions]
    keys = [_key(f) for f in attrs]
    xy = np.array([(t.x, t.y) for t in transitions])
    tree = shapely.STRtree(shapely.points(xy))
    left, right = tree.query(
        shapely.points(xy),
        predicate="dwithin",
        distance=max(rules.cluster_distance_m, rules.carriageway_pair_m),
    )
    groups = DisjointSet(len(transitions))
    carriageway_pairs: list[tuple[float, int, int]] = []
    for i, j in zip(left.tolist(), right.tolist()):
        if i >= j:
            continue
        ti, tj = transitions[i], transitions[j]
        if (ti.a, ti.b) != (tj.a, tj.b):
            continue
        dist = float(np.hypot(*(xy[i] - xy[j])))
        same_line = bool(set(ti.rows) & set(tj.rows))
        if dist <= rules.cluster_distance_m and (same_line or _same_route(attrs[i], attrs[j])):
            groups.union(i, j)
        elif (
            dist <= rules.carriageway_pair_m
            and ti.direction * tj.direction == -1
            and _carriageway_keys_match(keys[i], keys[j])
            and attrs[i]["class"] == attrs[j]["class"]
        ):
            carriageway_pairs.append((dist, i, j))
    # A divided road has two carriageways: each transition pairs with at most one
    # opposite partner, the nearest first.
    paired: set[int] = set()
    for _, i, j in sorted(carriageway_pairs):
        if i not in paired and j not in paired:
            paired.update((i, j))
            groups.union(i, j)

    ids = features["id"].astype(str)
    rows = [
        _interface_row(members, transitions, attrs, xy, layer, ids) for members in groups.groups()
    ]
    frame = pd.DataFrame(rows)
    for column in ("lanes", "capacity"):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    points = gpd.GeoSeries(shapely.points(frame[["x", "y"]].to_numpy()), crs=crs).to_crs(WGS84)
    frame["lon"] = points.x.round(6)
    frame["lat"] = points.y.round(6)
    frame = frame.sort_values(["a", "b", "class", "lon", "lat"]).reset_index(drop=True)
    frame["id"] = [f"{layer}-{n + 1}" for n in range(len(frame))]
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs=WGS84)
    return gpd.GeoDataFrame(frame[INTERFACE_COLUMNS], geometry=geometry, crs=WGS84)


def _interface_row(
    members: list[int],
    transitions: list[Transition],
    attrs: list[pd.Series],
    xy: np.ndarray,
    layer: str,
    ids: np.ndarray,
) -> dict[str, object]:
    """Attributes of one interface from its member transitions."""
    chains = _chains(members, transitions)
    first_of_chain = [
        next(attrs[i] for i in members if set(transitions[i].rows) & c) for c in chains
    ]
    capacities = [f["capacity"] for f in first_of_chain]
    known = [int(c) for c in capacities if c is not None and not pd.isna(c)]
    missing = len(known) < len(capacities)
    total = None if missing else total_capacity(known, get_layer(layer).capacity_total)
    feats = [attrs[i] for i in members]
    classes = Counter(str(f["class"]) for f in feats)
    names = Counter(str(f["name"]) for f in feats if f["name"])
    refs = sorted(set().union(*(_refs(f["ref"]) for f in feats)))
    statuses = {str(f["status"]) for f in feats}
    source_ids = sorted({str(ids[row]) for chain in chains for row in chain})
    first = transitions[members[0]]
    return {
        "a": first.a,
        "b": first.b,
        "layer": layer,
        "class": classes.most_common(1)[0][0],
        "ref": ";".join(refs),
        "name": names.most_common(1)[0][0] if names else "",
        "carriageways": len(chains),
        "lanes": total if layer == "highways" else None,
        "lanes_per_carriageway": [None if c is None or pd.isna(c) else int(c) for c in capacities],
        "lanes_missing": missing,
        "capacity": total,
        "capacity_unit": str(feats[0]["capacity_unit"]),
        "bridge": any(bool(f["bridge"]) for f in feats),
        "tunnel": any(bool(f["tunnel"]) for f in feats),
        "status": min(statuses, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else 99),
        "via": "water" if any(transitions[i].via == "water" for i in members) else "land",
        "along": any(transitions[i].along for i in members),
        "x": float(xy[members, 0].mean()),
        "y": float(xy[members, 1].mean()),
        "source_ids": ";".join(source_ids),
    }
