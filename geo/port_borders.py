"""Which border a port belongs to: the port is on it, or a link across it reaches the port.

Ports are sites, not lines, so they have no crossings of their own. A port is set beside a
border A–B (its berths and TEU counted in that border's row of the overview) when, in the
year counted and among the statuses counted:

* **reached across the border**: a line feature of an interface between A and B (a
  bridge, a road, a railway, a pipeline that crosses A–B) has an end within
  :data:`PORT_REACH_M` of the port. A link built to reach a port ends at it; a road that
  merely passes near a port does not make it a border port. Yangshan (in Zhejiang, on the
  Shengsi islands) is reached from Shanghai by the Donghai Bridge, whose end is the port:
  it belongs to the Zhejiang–Shanghai border, as the 2006 report counts it. The port need
  not lie in A or B's interior near the border: it is wherever the link ends.
* **on the border**: the port lies within :data:`PORT_REACH_M` of the land border between
  A and B (a river port straddling it).

A port may belong to several borders (reached from two neighbours, or on a border and
reached across another); its berths and TEU then appear in each of their rows, so port
capacities of different borders do not add up. A port no counted link reaches and on no
border belongs to none: a Shanghai port reached only by Shanghai roads is not a border port.

The geometry is tested once (:func:`port_sites`); which links exist is read per year
(:func:`border_ports`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.lifecycle import status_at, value_at
from geo.regions import RegionSet

#: How near (metres) a link's end, or a land border, must be to a port to reach it.
PORT_REACH_M = 2_000.0

#: Columns of :func:`border_ports`.
PORT_LINK_COLUMNS = [
    "a", "b", "port", "name", "class", "status", "berths", "teu", "how", "via",
]  # fmt: skip


@dataclass(frozen=True)
class PortSites:
    """Which line features end at each port and which land borders each port is on.

    Attributes
    ----------
    reached_by
        Port id -> ids of the line features (any layer, any status) with an end within
        the reach of the port.
    on_borders
        Port id -> the land borders within reach, each as a sorted ``(a, b)``.
    """

    reached_by: dict[str, frozenset[str]]
    on_borders: dict[str, tuple[tuple[str, str], ...]]


def ports_and_sites(
    layers: Mapping[str, gpd.GeoDataFrame], region_set: RegionSet, *, reach_m: float
) -> tuple[gpd.GeoDataFrame | None, PortSites | None]:
    """The source's ``ports`` layer and its sites (:func:`port_sites`), or two Nones.

    Without a ``ports`` layer: ``(None, None)``. What the overview, the comparison and the
    timeline set beside borders.
    """
    ports = layers.get("ports")
    if ports is None:
        return None, None
    return ports, port_sites(ports, layers, region_set, reach_m=reach_m)


def port_sites(
    ports: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    region_set: RegionSet,
    *,
    reach_m: float = PORT_REACH_M,
) -> PortSites:
    """Test once which line ends and land borders lie within ``reach_m`` of each port.

    Parameters
    ----------
    ports
        The ports layer (points or polygons, any CRS).
    layers
        ``{layer name: features}``; the line layers' feature ends are tested.
    region_set
        The regions; its land stretches are the borders.
    reach_m
        Distance in metres (measured in the region set's metric CRS).
    """
    if ports.empty:
        return PortSites({}, {})
    crs = region_set.crs
    sites = ports.to_crs(crs).geometry.to_numpy()
    port_ids = ports["id"].astype(str).to_numpy()
    tree = shapely.STRtree(sites)
    reached: dict[str, set[str]] = {pid: set() for pid in port_ids}
    for frame in layers.values():
        if not np.isin(shapely.get_type_id(frame.geometry.to_numpy()), (1, 5)).any():
            continue  # no lines: the ports layer itself, an empty layer
        metric = frame.to_crs(crs).geometry.to_numpy()
        parts, owner = shapely.get_parts(metric, return_index=True)
        lines = shapely.get_type_id(parts) == 1
        parts, owner = parts[lines], owner[lines]
        ids = frame["id"].astype(str).to_numpy()
        for end in (0, -1):
            points = shapely.get_point(parts, end)
            near_end, near_port = tree.query(points, predicate="dwithin", distance=reach_m)
            for e, p in zip(near_end.tolist(), near_port.tolist()):
                reached[port_ids[p]].add(str(ids[owner[e]]))
    stretches = region_set.stretches
    land = stretches[stretches["kind"] == "land"]
    on: dict[str, set[tuple[str, str]]] = {pid: set() for pid in port_ids}
    if not land.empty:
        border_tree = shapely.STRtree(land.geometry.to_numpy())
        near_port, near_stretch = border_tree.query(sites, predicate="dwithin", distance=reach_m)
        a, b = land["a"].to_numpy(dtype=object), land["b"].to_numpy(dtype=object)
        for p, s in zip(near_port.tolist(), near_stretch.tolist()):
            if a[s] and b[s]:
                first, second = sorted((str(a[s]), str(b[s])))
                on[port_ids[p]].add((first, second))
    return PortSites(
        {pid: frozenset(ids) for pid, ids in reached.items()},
        {pid: tuple(sorted(pairs)) for pid, pairs in on.items()},
    )


def border_ports(
    sites: PortSites,
    ports: pd.DataFrame,
    interfaces: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    as_of: int | None,
    statuses: Sequence[str],
    today: int | None = None,
) -> pd.DataFrame:
    """The ports of each border in a year: one row per border and port.

    Parameters
    ----------
    sites
        :func:`port_sites` of the ports.
    ports
        The ports layer (``id``, ``name``, ``class``, ``status``, ``capacity`` = berths,
        optionally ``teu`` and the lifecycle columns of :mod:`geo.lifecycle`).
    interfaces
        The interfaces counted that year (:func:`geo.analysis.count_crossings`).
    pairs
        The borders reported, ``a`` and ``b`` oriented as the rows should be (a summary's
        pairs): other borders are left out.
    as_of
        The year (the data as tagged when None).
    statuses
        The statuses (that year) of the ports counted.
    today
        The year the data's tags describe (:func:`geo.lifecycle.status_at`).

    Returns
    -------
    pandas.DataFrame
        :data:`PORT_LINK_COLUMNS`: the border (``a``, ``b``), the port's ``id`` as ``port``,
        ``name``, ``class``, ``status`` and ``berths`` that year, ``teu`` (missing when
        unknown), ``how`` (``"reached"`` or ``"on_border"``) and ``via`` (the ids of the
        interfaces reaching it, ``;``-separated, ``""`` on a border).
    """
    if ports.empty or pairs.empty:
        return pd.DataFrame(columns=PORT_LINK_COLUMNS)
    oriented = {frozenset((a, b)): (a, b) for a, b in zip(pairs["a"], pairs["b"])}
    status = status_at(ports, as_of, today=today).to_numpy(dtype=object)
    berths = value_at(ports, "capacity", as_of).to_numpy(dtype=object)
    column = {
        c: ports[c].to_numpy(dtype=object) if c in ports.columns else np.full(len(ports), None)
        for c in ("id", "name", "class")
    }
    column["teu"] = value_at(ports, "teu", as_of).to_numpy(dtype=object)
    links = list(
        zip(
            interfaces.get("a", []),
            interfaces.get("b", []),
            interfaces.get("id", []),
            [set(str(s or "").split(";")) for s in interfaces.get("source_ids", [])],
        )
    )
    rows: list[dict[str, Any]] = []
    for k in np.flatnonzero(np.isin(status, list(statuses))).tolist():
        pid = str(column["id"][k])
        found: dict[tuple[str, str], tuple[str, list[str]]] = {}
        reaching = sites.reached_by.get(pid, frozenset())
        for a, b, iid, sources in links if reaching else ():
            key = oriented.get(frozenset((a, b)))
            if key is not None and reaching & sources:
                found.setdefault(key, ("reached", []))[1].append(str(iid))
        for pair in sites.on_borders.get(pid, ()):
            key = oriented.get(frozenset(pair))
            if key is not None:
                found.setdefault(key, ("on_border", []))
        rows.extend(
            {
                "a": a, "b": b, "port": pid, "name": column["name"][k],
                "class": column["class"][k], "status": status[k], "berths": berths[k],
                "teu": column["teu"][k], "how": how, "via": ";".join(via),
            }
            for (a, b), (how, via) in found.items()
        )
    frame = pd.DataFrame(rows, columns=PORT_LINK_COLUMNS)
    for name in ("berths", "teu"):
        frame[name] = pd.array(
            [None if pd.isna(v) else int(v) for v in frame[name]], dtype="Int64"
        )
    return frame
