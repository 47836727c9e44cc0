"""One border's what-if analysis: the count's interfaces, the network around them, the measures.

The interfaces are those the crossing count gives for the border (same year, statuses and
rules); the network is, per layer, the lines of ``network`` (a road or rail graph given
apart, such as the embedded dataset's) or else the source's own lines of that layer, as
they stand in the year counted, within the band around the border. Places default to the
populated places given (Natural Earth's, :func:`geo.io.places.default_places`); when a side
has none in the band, the network node nearest the middle of that side's part of the band
stands for it, named after the region.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Transformer

from geo.analysis import count_crossings
from geo.border_network import (
    BAND_M,
    PLACE_SNAP_M,
    TIE_M,
    border_lines,
    border_network,
    lines_in_band,
    snap_places,
)
from geo.errors import InvalidParameterError, layer_spec
from geo.lifecycle import network_at
from geo.network import build_network, join_loose_ends
from geo.projection import WGS84
from geo.regions import RegionSet
from geo.resilience import CRITICAL_MIN, ResilienceResult, check_close, resilience
from geo.rules import CrossingRules
from geo.text import Bilingual

#: Largest connector (m) joining a loose end of the source's own lines to a given graph:
#: the embedded graph has no road within 8.4 km of the Donghai Bridge's Shanghai end
#: (Luchaogang), which a shorter limit would leave hanging.
CONNECT_M = 10_000.0
#: Layers a trip can be routed on.
ROUTABLE_LAYERS = ("highways", "railways")


def what_if(
    layers: Mapping[str, gpd.GeoDataFrame],
    region_set: RegionSet,
    a: str,
    b: str,
    *,
    layer_names: Sequence[str] = ROUTABLE_LAYERS,
    network: Mapping[str, gpd.GeoDataFrame] | None = None,
    places: gpd.GeoDataFrame | None = None,
    band_m: float = BAND_M,
    tie_m: float = TIE_M,
    close: Sequence[Sequence[str]] | None = None,
    critical_min: float = CRITICAL_MIN,
    as_of: int | None = None,
    statuses: Sequence[str] = ("open",),
    rules: CrossingRules | None = None,
    connect_m: float | None = CONNECT_M,
    pairs: bool = False,
) -> list[ResilienceResult]:
    """Min cut and closure impacts of the border ``a``–``b``, one result per layer.

    Parameters
    ----------
    layers
        The source's layers (what the crossing count reads).
    region_set
        The regions.
    a, b
        The border's two regions (names as the region set has them).
    layer_names
        The layers analysed (each must be routable).
    network
        ``{layer: lines}`` routed on with the source's own lines of that layer. Lines
        with lifecycle columns (a fetched package's network) are taken as they stand in
        the year counted, like the source's own; an own line whose ``id`` the network has
        too (the same OpenStreetMap way) is routed on once.
    places
        Points with ``name``, ``population`` (and ``name_zh``, ``name_en``); None: each
        side's middle stands for it. The source's ports (layer ``ports``) join them with
        no population (:func:`_port_places`).
    band_m
        Half-width (m) of the band around the border whose network is kept.
    tie_m
        Largest distance (m) from an interface to the network edges tied to it.
    close
        Sets of interface ids closed together; by default each interface alone. Each id
        must be an interface of ``a``'s count (on any of its borders, so that one list
        serves every border of ``a``); those of this border are closed here.
    critical_min
        Added minutes that make an interface critical.
    as_of, statuses, rules
        As for :func:`geo.analysis.count_crossings`.
    connect_m
        Largest straight connector (m) joining a loose end of the source's own lines to
        ``network`` (a graph of other data, where the own lines meet it only nearby); None
        to join none (a network of the same data: they meet where they share a node, and
        a dead end is a dead end).
    pairs
        Also close every two of a layer's interfaces closed alone together
        (:func:`geo.resilience.resilience`), in the same pass.

    Returns
    -------
    list of ResilienceResult
        One per layer of ``layer_names``.

    Raises
    ------
    UnknownInterfaceError
        When an id of ``close`` is no interface of ``a``'s count in ``layer_names``.
    """
    for name in layer_names:
        if name not in ROUTABLE_LAYERS:
            raise InvalidParameterError(
                Bilingual(
                    f"Layer {name} cannot be routed on: choose from {', '.join(ROUTABLE_LAYERS)}.",
                    f"图层 {name} 无法用于路径计算：请从 {', '.join(ROUTABLE_LAYERS)} 中选择。",
                )
            )
    sites = _port_places(layers.get("ports"), as_of, statuses)
    if places is not None and len(sites):
        places = gpd.GeoDataFrame(
            pd.concat([places.to_crs(WGS84), sites.to_crs(WGS84)], ignore_index=True),
            geometry="geometry",
            crs=WGS84,
        )
    counted = {k: v for k, v in layers.items() if k in layer_names}
    found = count_crossings(
        counted, region_set, rules=rules, region=a, as_of=as_of, statuses=statuses
    ).interfaces
    check_close(close, found["id"].astype(str), a, layer_names)
    pair = found[((found["a"] == a) & (found["b"] == b)) | ((found["a"] == b) & (found["b"] == a))]
    # The band is around the border and the border's interfaces: a sea link's interface
    # (the Donghai Bridge's, at the island coast) may lie far from the land border.
    to_metric = Transformer.from_crs(WGS84, region_set.crs, always_xy=True)
    ix, iy = to_metric.transform(pair["lon"].to_numpy(float), pair["lat"].to_numpy(float))
    border = shapely.union_all([border_lines(region_set, a, b), *shapely.points(ix, iy)])
    out = []
    for name in layer_names:
        own = layers.get(name)
        own = _empty_lines(region_set) if own is None else _in_year(own, as_of, statuses)
        own = lines_in_band(own.assign(layer=name), border, band_m, region_set.crs)
        graph = (network or {}).get(name)
        speeds = {name: layer_spec(name).speed_kmh}
        if graph is None:
            built = build_network(own, region_set.crs, speeds)
        else:
            # The graph and the source's own lines: a link the graph lacks (a bridge) is
            # routed on too, its loose ends joined to the graph.
            if "status" in graph:  # dated lines: the network of the year counted
                graph = _in_year(graph, as_of, statuses)
            near = lines_in_band(graph.assign(layer=name), border, band_m, region_set.crs)
            if "id" in near and "id" in own:  # the same way in both: routed on once
                own = own[~own["id"].isin(set(near["id"]))]
            both = pd.concat([near, own], ignore_index=True)
            built = build_network(
                gpd.GeoDataFrame(both, geometry="geometry", crs=region_set.crs),
                region_set.crs,
                speeds,
            )
            if connect_m is not None:
                ends = built.edges["feature"].to_numpy() >= len(near)
                built = join_loose_ends(built, ends, connect_m)
        net = border_network(built, region_set, a, b, pair[pair["layer"] == name], tie_m=tie_m)
        middles = _side_middles(region_set, a, b, band_m)
        if places is None:
            snapped = snap_places(
                net, middles, region_set, band_m=band_m, snap_m=2 * band_m, near=border
            )
        else:
            snapped = snap_places(
                net, places, region_set, band_m=band_m, snap_m=PLACE_SNAP_M, near=border
            )
        if places is not None and set(snapped.table["side"]) != {0, 1}:
            extra = snap_places(
                net, middles, region_set, band_m=band_m, snap_m=2 * band_m, near=border
            )
            missing = set(extra.table["side"]) - set(snapped.table["side"])
            table = pd.concat(
                [snapped.table, extra.table[extra.table["side"].isin(missing)]],
                ignore_index=True,
            )
            snapped = type(snapped)(table, snapped.dropped, snapped.dropped_zh)
        of_layer = pair[pair["layer"] == name]
        mine = of_layer["id"].astype(str)
        picked = _picked(close, set(mine))
        result = resilience(
            net, snapped, name, close=picked, critical_min=critical_min, pairs=pairs
        )
        if mine.empty:
            result.warnings.append(
                Bilingual(
                    f"The count has no {name} interface on the {a}–{b} border: nothing to close.",
                    f"统计中 {a}—{b} 边界没有 {name} 接口：无可关闭的接口。",
                )
            )
        elif picked == []:
            result.warnings.append(
                Bilingual(
                    f"None of the interfaces to close is a {name} interface of the {a}–{b} "
                    "border, so none is closed here (leave out the ids to close each alone).",
                    f"要关闭的接口都不是 {a}—{b} 边界的 {name} 接口，此处未关闭任何接口"
                    "（不指定接口则逐一单独关闭）。",
                )
            )
        result.interfaces = _named(result.interfaces, pair)
        result.sources = dict(zip(mine, of_layer["source_ids"].astype(str), strict=True))
        joined = built.edges[built.edges["class"] == "connector"]
        if len(joined):
            longest = float(joined["length_m"].max()) / 1000
            result.warnings.append(
                Bilingual(
                    f"{len(joined)} end(s) of the data's own lines were joined to the network "
                    f"by straight connectors (the longest {longest:.1f} km).",
                    f"数据自身线路的 {len(joined)} 个端点以直线连接段接入网络"
                    f"（最长 {longest:.1f} 公里）。",
                )
            )
        out.append(result)
    return out


def _picked(close: Sequence[Sequence[str]] | None, mine: set[str]) -> list[list[str]] | None:
    """The part of each set of ``close`` that is of this border and layer (``mine``).

    ``close`` may hold the ids of every border of the region and of every layer (one list
    for a run over all its neighbours); each border and layer closes its own part of each
    set, and a set with none is left out. None (each interface alone) stays None.
    """
    if close is None:
        return None
    parts = [[i for i in s if i in mine] for s in close]
    return [p for p in parts if p]


def border_neighbours(region_set: RegionSet, a: str, neighbour: str | None = None) -> list[str]:
    """The neighbours of ``a`` whose borders can be analysed: those with a whole boundary.

    Routing needs each side's area: a neighbour known only by its border (an incomplete
    boundary in an extract) is left out, or refused when asked for by name.

    Parameters
    ----------
    region_set
        The regions.
    a
        The region (as the region set names it).
    neighbour
        The one neighbour asked for (any of its names), or None for every neighbour.

    Returns
    -------
    list of str
        The neighbours to analyse, never empty.

    Raises
    ------
    InvalidParameterError
        When no border is left to analyse, saying why: ``a`` has no neighbour in the data,
        or none of its neighbours has a whole boundary there (the Monaco extract of 2012
        holds France's border with Monaco but not France: before, the command printed only
        its footer).
    """
    # A neighbour named is checked as crossings and export check it: one of a's neighbours.
    others = [region_set.require_neighbour(a, neighbour)] if neighbour else region_set.neighbours(a)
    if not others:
        raise InvalidParameterError(
            Bilingual(
                f"{a} shares no border with another region in these data, so there is no "
                "border to analyse: choose a region with neighbours or use a bigger extract.",
                f"数据中 {a} 与其他地区没有共同边界，没有可分析的边界：请选择有相邻地区的地区"
                "或使用范围更大的数据。",
            )
        )
    shaped = [b for b in others if b in region_set.names]
    if not shaped:
        names_en, names_zh = ", ".join(others), "、".join(others)
        raise InvalidParameterError(
            Bilingual(
                f"{names_en} {'has' if len(others) == 1 else 'have'} no complete boundary in "
                f"these data, so no trip across {a}'s borders can be routed: use a bigger "
                "extract or choose another region.",
                f"数据中 {names_zh} 的边界不完整，无法计算跨越 {a} 边界的出行：请使用范围"
                "更大的数据或选择其他地区。",
            )
        )
    return shaped


def _named(rows: pd.DataFrame, interfaces: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with each interface's ``ref`` and ``name`` (a set closed together: joined)."""
    names = interfaces.set_index(interfaces["id"].astype(str))
    refs, labels = [], []
    for ident in rows["id"].astype(str):
        parts = [p for p in ident.split(",") if p in names.index]
        refs.append(" + ".join(str(names.at[p, "ref"] or "") for p in parts))
        labels.append(" + ".join(str(names.at[p, "name"] or "") for p in parts))
    out = rows.copy()
    out.insert(1, "ref", refs)
    out.insert(2, "name", labels)
    return out


def _port_places(
    ports: gpd.GeoDataFrame | None, as_of: int | None, statuses: Sequence[str]
) -> gpd.GeoDataFrame:
    """The source's ports as places of no population.

    Trips to them weigh nothing in the averages, but a closure that cuts a port off
    disconnects its pairs (and is critical).
    """
    if ports is None or ports.empty:
        return gpd.GeoDataFrame({"name": []}, geometry=gpd.GeoSeries([], crs=WGS84))
    kept = network_at(ports, as_of, statuses)
    names = kept["name"].astype(str)
    return gpd.GeoDataFrame(
        {
            "name": names,
            "name_zh": kept["name_zh"].astype(str) if "name_zh" in kept else names,
            "name_en": kept["name_en"].astype(str) if "name_en" in kept else names,
            "population": 0.0,
        },
        geometry=shapely.point_on_surface(kept.geometry.to_numpy()),
        crs=ports.crs,
    )


def _in_year(
    lines: gpd.GeoDataFrame, as_of: int | None, statuses: Sequence[str]
) -> gpd.GeoDataFrame:
    """The lines in the network of ``as_of`` with a status of ``statuses`` (open by default)."""
    kept = network_at(lines, as_of, statuses)
    return gpd.GeoDataFrame(kept, geometry="geometry", crs=lines.crs)


def _empty_lines(region_set: RegionSet) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"layer": [], "class": []}, geometry=gpd.GeoSeries([], crs=region_set.crs)
    )


def _side_middles(region_set: RegionSet, a: str, b: str, band_m: float) -> gpd.GeoDataFrame:
    """One point per side: the middle of that side's part of the band, named after it."""
    border = border_lines(region_set, a, b)
    band = shapely.buffer(border, band_m)
    regions = region_set.regions.set_index("name")
    rows = []
    for name in (a, b):
        part = shapely.intersection(regions.geometry[name], band)
        zh = str(regions["name_zh"][name]) if "name_zh" in regions else ""
        en = str(regions["name_en"][name]) if "name_en" in regions else ""
        rows.append(
            {
                "name": name,
                "name_zh": zh or name,
                "name_en": en or name,
                "population": 1.0,
                "geometry": shapely.point_on_surface(part),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=region_set.crs)
