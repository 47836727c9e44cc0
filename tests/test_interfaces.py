"""Interfaces from transitions: the array implementation against a plain reference.

The reference below is the straightforward per-pair, per-interface formulation of the
rules in :mod:`geo.interfaces` (it was the implementation before the arrays); random
layouts dense in shared rows, refs, names, one-way pairs and exact-distance ties must
give identical frames.
"""

from __future__ import annotations

import random
from collections import Counter

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import CRS

from geo.crossings import Transition
from geo.grouping import DisjointSet
from geo.interfaces import INTERFACE_COLUMNS, STATUS_ORDER, group_interfaces, interface_ids
from geo.projection import WGS84
from geo.rules import CrossingRules
from layers import get_layer, total_capacity

METRIC = CRS.from_epsg(32632)


# ------------------------------------------------------------------------- the reference


def _refs(value):
    return {r for r in str(value or "").split(";") if r}


def _key(f):
    refs = _refs(f["ref"])
    if refs:
        return ("ref", ";".join(sorted(refs)))
    if f["name"]:
        return ("name", str(f["name"]))
    return ("class", str(f["class"]))


def _same_route(fa, fb):
    ra, rb = _refs(fa["ref"]), _refs(fb["ref"])
    if ra or rb:
        return bool(ra & rb)
    return bool(fa["name"]) and fa["name"] == fb["name"]


def _attrs(t, features):
    first = features.loc[t.rows[0]].copy()
    if len(t.rows) > 1:
        other = features.loc[t.rows[1]]
        first["ref"] = ";".join(sorted(_refs(first["ref"]) | _refs(other["ref"])))
        if not first["name"]:
            first["name"] = other["name"]
    return first


def _chains(members, transitions):
    chains = []
    for i in members:
        rows = set(transitions[i].rows)
        for c in [c for c in chains if c & rows]:
            rows |= c
            chains.remove(c)
        chains.append(rows)
    return chains


def reference(transitions, features, *, layer, crs, rules):
    attrs = [_attrs(t, features) for t in transitions]
    keys = [_key(f) for f in attrs]
    xy = np.array([(t.x, t.y) for t in transitions])
    left, right = shapely.STRtree(shapely.points(xy)).query(
        shapely.points(xy),
        predicate="dwithin",
        distance=max(rules.cluster_distance_m, rules.carriageway_pair_m),
    )
    groups = DisjointSet(len(transitions))
    pairs = []
    for i, j in zip(left.tolist(), right.tolist()):
        ti, tj = transitions[i], transitions[j]
        if i >= j or (ti.a, ti.b) != (tj.a, tj.b):
            continue
        dist = float(np.hypot(*(xy[i] - xy[j])))
        same_line = bool(set(ti.rows) & set(tj.rows))
        if dist <= rules.cluster_distance_m and (same_line or _same_route(attrs[i], attrs[j])):
            groups.union(i, j)
        elif (
            dist <= rules.carriageway_pair_m
            and ti.direction * tj.direction == -1
            and (keys[i] == keys[j] or "class" in (keys[i][0], keys[j][0]))
            and attrs[i]["class"] == attrs[j]["class"]
        ):
            pairs.append((dist, i, j))
    paired = set()
    for _, i, j in sorted(pairs):
        if i not in paired and j not in paired:
            paired.update((i, j))
            groups.union(i, j)
    ids = features["id"].astype(str)
    rows = []
    for members in groups.groups():
        chains = _chains(members, transitions)
        firsts = [next(attrs[i] for i in members if set(transitions[i].rows) & c) for c in chains]
        caps = [f["capacity"] for f in firsts]
        known = [int(c) for c in caps if c is not None and not pd.isna(c)]
        missing = len(known) < len(caps)
        total = None if missing else total_capacity(known, get_layer(layer).capacity_total)
        feats = [attrs[i] for i in members]
        names = Counter(str(f["name"]) for f in feats if f["name"])
        statuses = {str(f["status"]) for f in feats}
        rows.append(
            {
                "a": transitions[members[0]].a,
                "b": transitions[members[0]].b,
                "layer": layer,
                "class": Counter(str(f["class"]) for f in feats).most_common(1)[0][0],
                "ref": ";".join(sorted(set().union(*(_refs(f["ref"]) for f in feats)))),
                "name": names.most_common(1)[0][0] if names else "",
                "carriageways": len(chains),
                "lanes": total if layer == "highways" else None,
                "lanes_per_carriageway": [None if pd.isna(c) else int(c) for c in caps],
                "lanes_missing": missing,
                "capacity": total,
                "capacity_unit": str(feats[0]["capacity_unit"]),
                "bridge": any(bool(f["bridge"]) for f in feats),
                "tunnel": any(bool(f["tunnel"]) for f in feats),
                "status": min(statuses, key=lambda s: STATUS_ORDER.index(s)),
                "via": "water" if any(transitions[i].via == "water" for i in members) else "land",
                "along": any(transitions[i].along for i in members),
                "x": float(xy[members, 0].mean()),
                "y": float(xy[members, 1].mean()),
                "source_ids": ";".join(sorted({str(ids[r]) for c in chains for r in c})),
            }
        )
    frame = pd.DataFrame(rows)
    for column in ("lanes", "capacity"):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    points = gpd.GeoSeries(shapely.points(frame[["x", "y"]].to_numpy()), crs=crs).to_crs(WGS84)
    frame["lon"] = points.x.round(6)
    frame["lat"] = points.y.round(6)
    frame = frame.sort_values(["a", "b", "class", "lon", "lat"]).reset_index(drop=True)
    frame["id"] = interface_ids(frame, layer)
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs=WGS84)
    return gpd.GeoDataFrame(frame[INTERFACE_COLUMNS], geometry=geometry, crs=WGS84)


# ---------------------------------------------------------------------------- the layouts


def random_case(seed):
    rng = random.Random(seed)
    labels = rng.sample(range(10_000), rng.randint(1, 40))
    tokens = ["A1", "A2", "E5", "N7", "D2"]

    def ref():
        r = rng.random()
        if r < 0.35:
            return ""
        if r < 0.7:
            return rng.choice(tokens)
        refs = ";".join(rng.sample(tokens, rng.randint(2, 3)))
        return rng.choice([refs, refs + ";", ";" + refs, refs.replace(";", ";;")])

    capacities = rng.choice([[None, 1, 2, 3, 4], [None, 1.0, 2.0, np.nan]])
    features = pd.DataFrame(
        {
            "id": [rng.choice([f"osm:way/{n}", f"osm:way/{n % 7}"]) for n in labels],
            "class": [
                rng.choice(["motorway", "trunk", "primary"][: rng.randint(1, 3)]) for _ in labels
            ],
            "ref": [ref() for _ in labels],
            "name": [rng.choice(["", "", "Rue", "Via", "Strada"]) for _ in labels],
            "status": [rng.choice([*STATUS_ORDER, "open"]) for _ in labels],
            "oneway": 0,
            "bridge": [rng.random() < 0.2 for _ in labels],
            "tunnel": [rng.random() < 0.2 for _ in labels],
            "capacity": pd.Series(
                [rng.choice(capacities) for _ in labels], dtype=object, index=labels
            ),
            "capacity_unit": [rng.choice(["lanes", "tracks"]) for _ in labels],
        },
        index=labels,
    )
    grid = rng.choice([10.0, 50.0, 150.0, 400.0, 1000.0])
    span = rng.choice([3, 10, 40])
    region_pairs = [("A", "B"), ("A", "C"), ("B", "C")][: rng.randint(1, 3)]
    transitions = []
    for _ in range(rng.randint(1, 60)):
        rows = tuple(rng.sample(labels, min(rng.choice([1, 1, 1, 2, 3]), len(labels))))
        if rng.random() < 0.2:
            x, y = rng.uniform(0, span * grid), rng.uniform(0, span * grid)
        else:  # on a grid, some at exact 3-4-5 distances from grid points
            x, y = grid * rng.randint(0, span), grid * rng.randint(0, span)
            if rng.random() < 0.3:
                m = rng.choice([30, 400, 10, 1])
                x, y = x + 3 * m * rng.choice([0, 1]), y + 4 * m * rng.choice([0, 1])
        transitions.append(
            Transition(
                *rng.choice(region_pairs),
                500_000.0 + x,
                5_000_000.0 + y,
                rows,
                rng.choice([-1, 0, 1, 1, -1]),
                rng.choice(["land", "land", "water"]),
                rng.random() < 0.1,
            )
        )
    rules = rng.choice(
        [
            CrossingRules(),
            CrossingRules(cluster_distance_m=500.0),
            CrossingRules(cluster_distance_m=100.0, carriageway_pair_m=300.0),
            CrossingRules(cluster_distance_m=150.0, carriageway_pair_m=150.0),
        ]
    )
    layer = rng.choice(["highways", "railways", "waterways", "pipelines"])
    return transitions, features, {"layer": layer, "crs": METRIC, "rules": rules}


def assert_same(got, expected):
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(expected), check_exact=True)
    assert got.crs == expected.crs
    assert (got.geometry.values == expected.geometry.values).all()


@pytest.mark.parametrize("block", range(4))
def test_matches_the_reference_on_random_layouts(block):
    for seed in range(block * 30, (block + 1) * 30):
        transitions, features, options = random_case(seed)
        assert_same(
            group_interfaces(transitions, features, **options),
            reference(transitions, features, **options),
        )


def _features(rows):
    columns = ["class", "ref", "name", "capacity"]
    frame = pd.DataFrame([dict(zip(columns, values)) for values in rows.values()], index=list(rows))
    frame["capacity"] = frame["capacity"].astype(object)
    return frame.assign(
        id=[f"osm:way/{n}" for n in rows],
        status="open",
        bridge=False,
        tunnel=False,
        capacity_unit="lanes",
    )


def _t(x, rows, direction=0, y=5_000_000.0):
    return Transition("A", "B", 500_000.0 + x, y, rows, direction, "land")


def test_carriageways_pair_one_to_one_nearest_first():
    features = _features({n: ("motorway", "", "", 2) for n in range(1, 5)})
    # 1 and 2 (40 m apart) pair; 3 is 60 m from 2 but 2 is taken; 4 is far from the rest.
    transitions = [_t(0, (1,), 1), _t(40, (2,), -1), _t(100, (3,), 1), _t(5000, (4,), -1)]
    out = group_interfaces(
        transitions, features, layer="highways", crs=METRIC, rules=CrossingRules()
    )
    assert sorted(out["carriageways"]) == [1, 1, 2]
    assert out["lanes"].tolist() == [4, 2, 2]


def test_lines_are_counted_once_and_listed_by_their_last_crossing():
    features = _features({1: ("primary", "N7", "", 1), 2: ("primary", "N7", "", 3)})
    # Line 1 crosses at 0 and 200, line 2 at 100: lines listed by last crossing (2, then 1).
    transitions = [_t(0, (1,)), _t(100, (2,)), _t(200, (1,))]
    [row] = group_interfaces(
        transitions, features, layer="highways", crs=METRIC, rules=CrossingRules()
    ).itertuples()
    assert row.carriageways == 2
    assert row.lanes_per_carriageway == [3, 1]
    assert row.lanes == 4
    assert row.source_ids == "osm:way/1;osm:way/2"


def test_lines_joined_at_the_border_merge_refs_and_take_the_second_name():
    features = _features({1: ("trunk", "E5", "", None), 2: ("trunk", "A1;E5", "Via", 2)})
    [row] = group_interfaces(
        [_t(0, (1, 2))], features, layer="highways", crs=METRIC, rules=CrossingRules()
    ).itertuples()
    assert (row.ref, row.name, row.lanes_missing) == ("A1;E5", "Via", True)
    assert pd.isna(row.lanes)
