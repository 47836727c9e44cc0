"""Ports: harbours and port areas, with berths and container capacity.

Ports are sites, not lines: they are drawn and exported, and their links to other regions
are the lines that reach them (bridges, channels).

A feature is a port when tagged ``harbour=yes``, ``landuse=port``, ``landuse=harbour``,
``industrial=port`` or ``seamark:type=harbour``. Other ``harbour=*`` values are facilities
*inside* a harbour (``fuel``, ``slipway``, ``drinking_water``, ``harbour_master``,
``customs``): not ports, so not in this layer (the 2012 Monaco extract's only ``harbour``
node is a fuel station).

Classes:

* ``container``: a TEU capacity is tagged, or ``port:type=container``, or ``container`` is
  among the ``seamark:harbour:category`` (or ``harbour:category``) values;
* ``marina``: every harbour category given is a marina (``marina``,
  ``marina_no_facilities``): yacht harbours are kept apart from ports for goods and
  passengers (OSM prefers ``leisure=marina`` for them, which is not in this layer);
* ``port``: the rest.

Capacity is the number of berths (``berths``, a count as in :func:`layers.base.parse_count`).
``teu`` (container capacity per year, ``teu`` or ``capacity:teu``, thousands separators
allowed) and the harbour categories are kept beside it. Both are rare in OSM: missing
values stay missing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from layers.base import LayerSpec, Style, Tags, parse_count

#: ``harbour=*`` values that mean a port; the others are facilities inside one.
PORT_VALUES = ("yes",)
_MARINAS = {"marina", "marina_no_facilities"}
_THOUSANDS = re.compile(r"\d{1,3}(?:[, \u00a0]\d{3})+")


def classify(value: str) -> str | None:
    """``harbour=yes`` is a port (refined by ``refine``); facility values are not."""
    return "port" if value in PORT_VALUES else None


def port_value(tags: Tags) -> str | None:
    """Ports tagged without ``harbour=*``: port land use or an OpenSeaMap harbour."""
    if "port" in (tags.get("landuse"), tags.get("industrial")):
        return "yes"
    if tags.get("landuse") == "harbour" or tags.get("seamark:type") == "harbour":
        return "yes"
    return None


def categories(tags: Tags) -> list[str]:
    """Harbour categories, from ``seamark:harbour:category`` or ``harbour:category``."""
    raw = tags.get("seamark:harbour:category") or tags.get("harbour:category") or ""
    return [part.strip() for part in raw.split(";") if part.strip()]


def parse_teu(raw: str | None) -> int | None:
    """A TEU figure: ``"2200000"``, ``"2,200,000"`` or ``"2 200 000"``; None otherwise."""
    text = (raw or "").strip()
    if _THOUSANDS.fullmatch(text):
        text = re.sub(r"[, \u00a0]", "", text)
    value, note = parse_count(text or None)
    return value if not note else None


def refined_class(tags: Tags, cls: str) -> str:
    """``container``, ``marina`` or ``port`` (see the module docstring)."""
    kinds = categories(tags)
    if teu(tags) or tags.get("port:type") == "container" or "container" in kinds:
        return "container"
    if kinds and set(kinds) <= _MARINAS:
        return "marina"
    return cls


def teu(tags: Tags) -> int | None:
    """Container capacity per year from ``teu`` or ``capacity:teu``."""
    return parse_teu(tags.get("teu") or tags.get("capacity:teu"))


def berths(tags: Tags, oneway: int) -> tuple[int | None, str]:
    """Number of berths from ``berths``."""
    return parse_count(tags.get("berths"))


def extra(tags: Tags) -> dict[str, Any]:
    """Keep the TEU capacity and the harbour categories."""
    return {"teu": teu(tags), "harbour_category": ";".join(categories(tags))}


def style(attrs: Mapping[str, Any]) -> Style:
    """Navy outline, heavier for container ports."""
    return Style(color="#1b2631", weight=4.0 if attrs.get("class") == "container" else 2.0)


LAYER = LayerSpec(
    name="ports",
    label="Ports",
    geometry="point",
    main_key="harbour",
    osm_tags={
        "harbour": True,
        "landuse": ["port", "harbour"],
        "industrial": ["port"],
        "seamark:type": ["harbour"],
    },
    classify=classify,
    capacity=berths,
    main_value=port_value,
    capacity_unit="berths",
    style=style,
    main_classes=(),
    classes=("container", "port", "marina"),
    refine=refined_class,
    extra=extra,
    rule_keys=(
        "landuse",
        "industrial",
        "seamark:type",
        "seamark:harbour:category",
        "harbour:category",
        "port:type",
        "teu",
        "capacity:teu",
        "berths",
    ),
)
