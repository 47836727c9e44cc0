"""Railways, counted in tracks.

Classes: ``high_speed`` (``highspeed=yes``, or ``usage=main`` with ``maxspeed`` >= 200 km/h),
``maglev`` (``railway=maglev``, or ``monorail``/``rail`` with ``maglev=yes`` or
``monorail=maglev``: the tagging of the Shanghai maglev varies), ``conventional``
(``railway=rail``, ``narrow_gauge``), ``urban`` (subway, light rail, tram, monorail) and
``other`` (funicular, preserved). Capacity is ``tracks``; when it is missing, the
parallel track lines that cross together are counted by the interface instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from layers.base import LayerSpec, Style, Tags, parse_count

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


def _max_speed(tags: Tags) -> int | None:
    raw = tags.get("maxspeed", "").split(";")[0].strip()
    return int(raw) if raw.isdigit() else None


def extra(tags: Tags) -> dict[str, Any]:
    """Refine the class (high speed, maglev) and keep electrification and usage."""
    refined = None
    if tags.get("maglev") == "yes" or tags.get("monorail") == "maglev":
        refined = "maglev"
    elif tags.get("highspeed") == "yes" or (
        tags.get("usage") == "main" and (_max_speed(tags) or 0) >= 200
    ):
        refined = "high_speed"
    out: dict[str, Any] = {
        "electrified": tags.get("electrified", ""),
        "usage": tags.get("usage", ""),
    }
    if refined:
        out["class"] = refined
    return out


_COLORS = {
    "high_speed": "#6c3483",
    "maglev": "#1abc9c",
    "conventional": "#2c3e50",
    "urban": "#2980b9",
    "other": "#7f8c8d",
}


def style(attrs: Mapping[str, Any]) -> Style:
    """Dark lines by class, weight by tracks, dashed unless open."""
    return Style(
        color=_COLORS.get(str(attrs.get("class")), "#34495e"),
        weight=2.0 + min(float(attrs.get("capacity") or 1), 4.0),
        dash_array=None if attrs.get("status", "open") == "open" else "8 6",
    )


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
    extra=extra,
)
