"""Inland waterways: rivers and canals, with their navigation class.

Classes: ``canal``, ``river`` and ``stream`` (``stream`` is kept so that small rivers
crossing a border are seen, and is reported separately). Capacity is not a count here:
the navigation class is read from China's ``NSIW`` tag (grades I-VII, "high-grade" meaning
grade IV or better) or Europe's ``CEMT`` tag and kept as text in ``waterway_class``;
``capacity`` holds the China grade as a number (1 best) where the tag gives one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from layers.base import LayerSpec, Style, Tags

_CLASSES = {"river": "river", "canal": "canal", "stream": "stream"}
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7}


def classify(value: str) -> str | None:
    """Class of a waterway from its ``waterway`` value (ditches and drains excluded)."""
    return _CLASSES.get(value)


def navigation_grade(tags: Tags, oneway: int) -> tuple[int | None, str]:
    """China's navigation grade (1-7) from ``NSIW``, flagged when absent."""
    raw = tags.get("NSIW", "").strip().upper()
    if not raw:
        return None, "missing" if not tags.get("CEMT") else "CEMT class only"
    if raw in _ROMAN:
        return _ROMAN[raw], ""
    return None, f"unparsed value {raw!r}"


def extra(tags: Tags) -> dict[str, Any]:
    """Keep the navigation class as written (``NSIW`` first, then ``CEMT``)."""
    return {"waterway_class": tags.get("NSIW") or tags.get("CEMT") or ""}


def style(attrs: Mapping[str, Any]) -> Style:
    """Blue lines, heavier for canals and graded waterways."""
    grade = attrs.get("capacity")
    weight = 2.0 if attrs.get("class") == "stream" else 3.0
    if grade:
        weight += max(0, 5 - int(grade))
    return Style(color="#2874a6", weight=weight)


LAYER = LayerSpec(
    name="waterways",
    label="Inland waterways",
    geometry="line",
    main_key="waterway",
    osm_tags={"waterway": ["river", "canal", "stream"]},
    classify=classify,
    capacity=navigation_grade,
    capacity_unit="navigation grade",
    style=style,
    capacity_total="min",
    main_classes=("river", "canal"),
    extra=extra,
)
