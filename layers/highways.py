"""Highways: roads for motor vehicles, counted in lanes.

Classes follow OSM's road hierarchy: ``motorway`` (expressway), ``trunk``, ``primary``,
``secondary``, ``tertiary``, ``link`` (any ``*_link`` slip road) and ``minor``
(unclassified, residential, living street, service, road). Footways, paths, cycleways,
steps and tracks are not in this layer: a planner's border count is of roads for motor
vehicles.

Capacity is the number of lanes of one line: ``lanes`` of a one-way carriageway; for a
two-way road ``lanes``, else ``lanes:forward`` + ``lanes:backward``. Missing or unparsable
values stay missing and are flagged (``capacity_note``); nothing is assumed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from layers.base import LayerSpec, Style, Tags, parse_count

MAIN = ("motorway", "trunk", "primary", "secondary", "tertiary")
MINOR = ("unclassified", "residential", "living_street", "service", "road", "busway")


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
    if total is not None or oneway:
        if total is None and oneway:
            directional = tags.get("lanes:forward" if oneway > 0 else "lanes:backward")
            value, _ = parse_count(directional)
            if value is not None:
                return value, "from lanes:forward/backward"
        return total, note
    forward, _ = parse_count(tags.get("lanes:forward"))
    backward, _ = parse_count(tags.get("lanes:backward"))
    if forward is not None and backward is not None:
        return forward + backward, "lanes:forward + lanes:backward"
    return None, note


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
    """Raw lane tags, kept so a planner can check how lanes were read."""
    return {
        "lanes_raw": tags.get("lanes", ""),
        "lanes_forward_raw": tags.get("lanes:forward", ""),
        "lanes_backward_raw": tags.get("lanes:backward", ""),
    }


LAYER = LayerSpec(
    name="highways",
    label="Highways",
    geometry="line",
    main_key="highway",
    osm_tags={"highway": True, "construction:highway": True, "proposed:highway": True},
    classify=classify,
    capacity=lanes,
    capacity_unit="lanes",
    style=style,
    main_classes=("motorway", "trunk", "primary", "secondary", "tertiary"),
    implied_oneway=implied_oneway,
    extra=extra,
)
