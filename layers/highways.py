"""Highways: roads for motor vehicles, counted in lanes.

Classes follow OSM's road hierarchy: ``motorway`` (expressway), ``trunk``, ``primary``,
``secondary``, ``tertiary``, ``link`` (any ``*_link`` slip road) and ``minor``
(unclassified, residential, living street, service, road). Footways, paths, cycleways,
steps and tracks are not in this layer: a planner's border count is of roads for motor
vehicles.

Capacity is the number of lanes of one line (``capacity_note`` says how it was read):

* a one-way carriageway: ``lanes``, else ``lanes:forward`` (``lanes:backward`` when it runs
  against its geometry, ``oneway=-1``);
* a two-way road: ``lanes`` (OSM's total, both directions and any centre turn lane), else
  ``lanes:forward`` + ``lanes:backward`` + ``lanes:both_ways`` when both directions are
  tagged (``lanes:both_ways`` alone, or one direction alone, is not a total: missing). When
  ``lanes`` and the directional sum disagree, ``lanes`` is kept and the note says so.

Values follow :func:`layers.base.parse_count`: a list or range (``2;3``, ``2-3``) counts its
smallest member, the lanes the whole way is known to have, and the note says so;
``2.5``, ``many``, ``-1`` are missing and flagged. Nothing is assumed: no lane count is
derived from the road class.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from layers.base import LIFECYCLE_STATUS, LayerSpec, Style, Tags, max_speed_kmh, parse_count

MAIN = ("motorway", "trunk", "primary", "secondary", "tertiary")
MINOR = ("unclassified", "residential", "living_street", "service", "road", "busway")


#: ``highway`` values worth downloading: the classes above, their slip roads, and the
#: lifecycle values (``highway=construction`` + ``construction=motorway``). Footways, paths,
#: tracks and the like, a large share of the ways in towns, are never asked for.
SELECTED_VALUES: tuple[str, ...] = (
    *MAIN,
    *(f"{value}_link" for value in MAIN),
    *MINOR,
    *LIFECYCLE_STATUS,
)


def classify(value: str) -> str | None:
    """Class of a road from its (lifecycle-resolved) ``highway`` value."""
    if value in MAIN:
        return value
    if value.endswith("_link") and value[: -len("_link")] in MAIN:
        return "link"
    if value in MINOR:
        return "minor"
    return None


def lanes(tags: Tags, oneway: int) -> tuple[int | None, str]:
    """Lanes of one line: a carriageway if one-way, the whole road if two-way."""
    total, note = parse_count(tags.get("lanes"))
    if oneway:
        if total is None:
            key = "lanes:forward" if oneway > 0 else "lanes:backward"
            value, how = parse_count(tags.get(key))
            if value is not None:
                return value, f"from {key}" + (f", {how}" if how else "")
        return total, note
    directional, how = _directional_total(tags)
    if total is None:
        return (directional, how) if directional is not None else (None, note)
    if directional is not None and directional != total:
        disagree = f"lanes={total} kept; {how} gives {directional}"
        return total, f"{note}; {disagree}" if note else disagree
    return total, note


def _directional_total(tags: Tags) -> tuple[int | None, str]:
    """``lanes:forward`` + ``lanes:backward`` (+ ``lanes:both_ways``) when both are tagged."""
    forward, fnote = parse_count(tags.get("lanes:forward"))
    backward, bnote = parse_count(tags.get("lanes:backward"))
    if forward is None or backward is None:
        return None, ""
    both, _ = parse_count(tags.get("lanes:both_ways"))
    how = "lanes:forward + lanes:backward" + (" + lanes:both_ways" if both else "")
    ranged = [n for n in (fnote, bnote) if n.startswith("smallest")]
    return forward + backward + (both or 0), "; ".join([how, *ranged])


def implied_oneway(tags: Tags) -> bool:
    """Motorways and roundabouts are one-way unless tagged otherwise (OSM convention)."""
    return tags.get("highway") == "motorway" or tags.get("junction") in ("roundabout", "circular")


_COLORS = {
    "motorway": "#c0392b",
    "trunk": "#e67e22",
    "primary": "#d4ac0d",
    "secondary": "#7d8c2a",
    "tertiary": "#5d6d7e",
    "link": "#a04000",
    "minor": "#95a5a6",
}


def style(attrs: Mapping[str, Any]) -> Style:
    """Red to grey by class, weight by lanes, dashed unless open."""
    lanes_value = attrs.get("capacity") or 1
    return Style(
        color=_COLORS.get(str(attrs.get("class")), "#7f8c8d"),
        weight=1.5 + min(float(lanes_value), 8.0) * 0.75,
        dash_array=None if attrs.get("status", "open") == "open" else "6 6",
    )


def extra(tags: Tags) -> dict[str, Any]:
    """Raw lane tags, kept so a planner can check how lanes were read; the speed limit.

    ``maxspeed_kmh`` (the highest of a ``maxspeed`` value, km/h; None without a number,
    as ``CN:motorway``) is the speed a route takes on the road (:mod:`geo.network`); a road
    without one takes its class's speed (:data:`SPEED_KMH`).
    """
    return {
        "maxspeed_kmh": max_speed_kmh(tags.get("maxspeed")),
        "lanes_raw": tags.get("lanes", ""),
        "lanes_forward_raw": tags.get("lanes:forward", ""),
        "lanes_backward_raw": tags.get("lanes:backward", ""),
        "lanes_both_ways_raw": tags.get("lanes:both_ways", ""),
    }


#: Free-flow speeds (km/h) assumed per class for routing (:attr:`LayerSpec.speed_kmh`) when
#: a road has no ``maxspeed``. China's Technical Standard of Highway Engineering (JTG
#: B01-2014) sets design speeds of 120/100/80 for expressways, 100/80/60 for first-class,
#: 80/60 for second-class and 40/30 for third-class highways; the values here sit in or
#: just below those ranges for the class OpenStreetMap usually gives each grade (towns and
#: junctions slow real trips). ``main`` is a main road of unknown class (a road graph
#: without classes, such as the embedded dataset's). Assumptions, not measurements: a
#: trip's minutes compare scenarios, they do not predict a journey.
SPEED_KMH = {
    "motorway": 100.0,
    "trunk": 80.0,
    "primary": 60.0,
    "secondary": 50.0,
    "tertiary": 40.0,
    "link": 40.0,
    "minor": 30.0,
    "main": 90.0,
}

#: The road classes of a routable main-road network by default (``fetch --network-km``:
#: motorway to secondary, with the slip roads of any main class, class ``link``, which join
#: them at interchanges). Tertiary and minor roads are left out: in a band 50 km wide they
#: are most of the ways, and a detour between cities runs on the classes above.
NETWORK_CLASSES: tuple[str, ...] = ("motorway", "trunk", "primary", "secondary")

LAYER = LayerSpec(
    name="highways",
    label="Highways",
    geometry="line",
    main_key="highway",
    osm_tags={
        "highway": list(SELECTED_VALUES),
        "construction:highway": True,
        "proposed:highway": True,
    },
    classify=classify,
    capacity=lanes,
    capacity_unit="lanes",
    style=style,
    main_classes=("motorway", "trunk", "primary", "secondary", "tertiary"),
    classes=(*MAIN, "link", "minor"),
    implied_oneway=implied_oneway,
    extra=extra,
    speed_kmh=SPEED_KMH,
    rule_keys=(
        "junction",
        "lanes",
        "lanes:forward",
        "lanes:backward",
        "lanes:both_ways",
        "maxspeed",
    ),
)
