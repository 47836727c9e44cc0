"""Railways, counted in tracks.

Classes, decided in this order (the first that applies):

1. ``service``: tracks tagged ``service=siding|yard|spur|crossover`` (any ``service``
   value). OSM tags sidings, yard tracks, spurs and crossovers this way instead of
   ``usage``; they are not lines of the network, so they get their own class, reported
   beside the main lines and never mixed into their counts (nor flagged as clipped).
2. ``maglev``: ``railway=maglev``, ``maglev=yes``, or ``monorail=maglev`` (the tagging of the
   Shanghai maglev varies between ``railway=monorail`` and ``railway=rail`` with these).
3. ``high_speed``: ``highspeed=yes``; or ``usage=main`` with a ``maxspeed`` of 200 km/h or
   more (``mph`` converted; the highest value of a list) on a line that does not carry only
   freight (``railway:traffic_mode=freight``).
4. From the (lifecycle-resolved) ``railway`` value: ``conventional`` (``rail``,
   ``narrow_gauge``), ``urban`` (``subway``, ``light_rail``, ``tram``, ``monorail``),
   ``other`` (``funicular``, ``preserved``).

The same rules apply to lifecycle forms: ``railway=construction`` + ``construction=rail`` +
``highspeed=yes`` is a ``high_speed`` line under construction, ``construction:railway=maglev``
a maglev one. ``railway=disused``/``abandoned`` without a ``disused=*``/``abandoned=*`` value
says nothing of what ran there and is not in the layer.

Capacity is ``tracks`` (:func:`layers.base.parse_count`: ``1;2`` counts 1, noted); when it
is missing, the parallel track lines that cross together are counted by the interface
instead. ``usage``, ``railway:traffic_mode``, ``service``, ``maxspeed`` and
``electrified`` are kept beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from layers.base import LayerSpec, Style, Tags, is_yes, max_speed_kmh, parse_count

#: Speed from which a main line counts as high speed, km/h (UIC: 200 for upgraded lines).
HIGH_SPEED_KMH = 200

_CLASSES = {
    "rail": "conventional",
    "narrow_gauge": "conventional",
    "maglev": "maglev",
    "subway": "urban",
    "light_rail": "urban",
    "tram": "urban",
    "monorail": "urban",
    "funicular": "other",
    "preserved": "other",
}


def classify(value: str) -> str | None:
    """Base class of a railway from its (lifecycle-resolved) ``railway`` value."""
    return _CLASSES.get(value)


def tracks(tags: Tags, oneway: int) -> tuple[int | None, str]:
    """Tracks of one railway line, from the ``tracks`` tag."""
    return parse_count(tags.get("tracks"))


def refined_class(tags: Tags, base: str) -> str:
    """The class of a railway given its base class (see the module docstring)."""
    if tags.get("service"):
        return "service"
    if is_yes(tags.get("maglev")) or tags.get("monorail") == "maglev" or base == "maglev":
        return "maglev"
    if tags.get("highspeed") == "yes":
        return "high_speed"
    freight_only = tags.get("railway:traffic_mode") == "freight"
    fast = (max_speed_kmh(tags.get("maxspeed")) or 0) >= HIGH_SPEED_KMH
    if tags.get("usage") == "main" and fast and not freight_only:
        return "high_speed"
    return base


def extra(tags: Tags) -> dict[str, Any]:
    """Keep usage, traffic mode, service and speed; the class itself is set by ``refine``."""
    return {
        "electrified": tags.get("electrified", ""),
        "usage": tags.get("usage", ""),
        "traffic_mode": tags.get("railway:traffic_mode", ""),
        "service": tags.get("service", ""),
        "maxspeed_kmh": max_speed_kmh(tags.get("maxspeed")),
    }


_COLORS = {
    "high_speed": "#6c3483",
    "maglev": "#1abc9c",
    "conventional": "#2c3e50",
    "urban": "#2980b9",
    "service": "#95a5a6",
    "other": "#7f8c8d",
}


def style(attrs: Mapping[str, Any]) -> Style:
    """Dark lines by class, weight by tracks, dashed unless open."""
    return Style(
        color=_COLORS.get(str(attrs.get("class")), "#34495e"),
        weight=2.0 + min(float(attrs.get("capacity") or 1), 4.0),
        dash_array=None if attrs.get("status", "open") == "open" else "8 6",
    )


#: Speeds (km/h) assumed per class for routing when a line has no ``maxspeed``: high-speed
#: lines 250 (China's 250–350 km/h lines at their lower design speed), the Shanghai maglev
#: 300 (its service speed), conventional main lines 120, urban rail 60, service track 30;
#: ``main`` is a main line of unknown class (a rail graph without classes). Assumptions
#: for comparing scenarios, not timetables.
SPEED_KMH = {
    "high_speed": 250.0,
    "maglev": 300.0,
    "conventional": 120.0,
    "urban": 60.0,
    "service": 30.0,
    "other": 60.0,
    "main": 120.0,
}

LAYER = LayerSpec(
    name="railways",
    label="Railways",
    geometry="line",
    main_key="railway",
    osm_tags={"railway": True, "construction:railway": True, "proposed:railway": True},
    classify=classify,
    capacity=tracks,
    capacity_unit="tracks",
    style=style,
    main_classes=("high_speed", "maglev", "conventional"),
    classes=("high_speed", "maglev", "conventional", "urban", "service", "other"),
    refine=refined_class,
    extra=extra,
    speed_kmh=SPEED_KMH,
    rule_keys=(
        "tracks",
        "service",
        "maglev",
        "monorail",
        "highspeed",
        "railway:traffic_mode",
        "maxspeed",
        "usage",
        "electrified",
    ),
)
