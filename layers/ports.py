"""Ports: harbours and port areas, with berths and container capacity.

Ports are sites, not lines: they are drawn and exported, and their links to other regions
are the lines that reach them (bridges, channels). Classes: ``container`` (a port with a
TEU capacity or ``port:type=container``) and ``port``. Capacity is the number of berths
(``berths`` tag); ``teu`` (container capacity per year) is kept beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from layers.base import LayerSpec, Style, Tags, parse_count


def classify(value: str) -> str | None:
    """Any ``harbour`` value other than ``no`` is a port; refined to container by ``extra``."""
    return None if value == "no" else "port"


def port_value(tags: Tags) -> str | None:
    """Port areas are often tagged ``landuse=port`` or ``industrial=port`` only."""
    if "port" in (tags.get("landuse"), tags.get("industrial")):
        return "yes"
    return None


def berths(tags: Tags, oneway: int) -> tuple[int | None, str]:
    """Number of berths from ``berths``."""
    return parse_count(tags.get("berths"))


def extra(tags: Tags) -> dict[str, Any]:
    """Keep the TEU capacity; ports with one, or tagged container, are ``container``."""
    teu, _ = parse_count(tags.get("teu"))
    out: dict[str, Any] = {"teu": teu}
    if teu or tags.get("port:type") == "container":
        out["class"] = "container"
    return out


def style(attrs: Mapping[str, Any]) -> Style:
    """Navy outline, heavier for container ports."""
    return Style(color="#1b2631", weight=4.0 if attrs.get("class") == "container" else 2.0)


LAYER = LayerSpec(
    name="ports",
    label="Ports",
    geometry="point",
    main_key="harbour",
    osm_tags={"harbour": True, "landuse": "port", "industrial": "port"},
    classify=classify,
    capacity=berths,
    main_value=port_value,
    capacity_unit="berths",
    style=style,
    main_classes=(),
    extra=extra,
)
