"""Pipelines (``man_made=pipeline``), counted by diameter.

Classes are the substance (``gas``, ``oil``, ``water``, ``other``). Capacity is the
``diameter`` in millimetres where tagged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from layers.base import LayerSpec, Style, Tags, parse_count


def classify(value: str) -> str | None:
    """Pipelines are selected by ``man_made=pipeline``; the class comes from ``extra``."""
    return "other" if value == "pipeline" else None


def diameter(tags: Tags, oneway: int) -> tuple[int | None, str]:
    """Diameter in millimetres from ``diameter``."""
    raw = tags.get("diameter", "").removesuffix("mm").strip()
    return parse_count(raw or None)


def extra(tags: Tags) -> dict[str, Any]:
    """Class by substance (``gas`` also for ``natural_gas``/``cng``)."""
    substance = tags.get("substance", tags.get("type", ""))
    cls = {"gas": "gas", "natural_gas": "gas", "cng": "gas", "oil": "oil", "water": "water"}
    return {"class": cls.get(substance, "other"), "substance": substance}


def style(attrs: Mapping[str, Any]) -> Style:
    """Orange dotted lines for gas, brown for oil, dashed unless open."""
    color = {"gas": "#f39c12", "oil": "#6e2c00", "water": "#3498db"}.get(
        str(attrs.get("class")), "#7f8c8d"
    )
    return Style(
        color=color, weight=3.0, dash_array="2 6" if attrs.get("status") == "open" else "8 6"
    )


LAYER = LayerSpec(
    name="pipelines",
    label="Pipelines",
    geometry="line",
    main_key="man_made",
    osm_tags={"man_made": "pipeline"},
    classify=classify,
    capacity=diameter,
    capacity_unit="diameter_mm",
    style=style,
    capacity_total="max",
    main_classes=("gas", "oil"),
    extra=extra,
)
