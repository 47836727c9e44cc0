"""Pipelines (``man_made=pipeline``), counted by diameter.

Classes are the substance, from ``substance=*`` (else the older ``type=*``; the first of a
list): ``gas`` (``gas``, ``natural_gas``, ``cng``, ``lng``), ``oil`` (``oil``, ``crude_oil``
and refined products such as ``fuel``, ``petroleum``, ``diesel``), ``water`` (``water``,
``drinking_water``, ``raw_water``) and ``other`` (sewage, heat, hydrogen, unknown, ...).
The substance as written is kept.

Capacity is the nominal ``diameter`` in millimetres: ``1016``, ``1016 mm``, ``1016mm`` and
``101.6 cm``, ``1.016 m``, ``40"``, ``40 in`` (inches: 25.4 mm) all give 1016 (rounded to
the mm; a decimal comma only with a unit larger than the mm, since ``1,016`` alone may be
either). A list or range gives its smallest value, noted, as for counts; anything else is
missing and flagged. Several pipes at one interface report the largest diameter
(``capacity_total="max"``): diameters do not add up. ``location`` (``underground``,
``underwater``, ``overground``, ``overhead``) and ``usage`` (``transmission``,
``distribution``) are kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from layers.base import LayerSpec, Style, Tags

_SUBSTANCES = {
    **dict.fromkeys(("gas", "natural_gas", "cng", "lng"), "gas"),
    **dict.fromkeys(
        ("oil", "crude_oil", "fuel", "petroleum", "diesel", "gasoline", "kerosene"), "oil"
    ),
    **dict.fromkeys(("water", "drinking_water", "raw_water"), "water"),
}
_LENGTH = re.compile(r"(\d+(?:[.,]\d+)?)\s*(mm|cm|m|in|inch|inches|\"|'')?")
_MM = {None: 1.0, "mm": 1.0, "cm": 10.0, "m": 1000.0, "in": 25.4, "inch": 25.4,
       "inches": 25.4, '"': 25.4, "''": 25.4}


def classify(value: str) -> str | None:
    """Pipelines are selected by ``man_made=pipeline``; the class comes from ``refine``."""
    return "other" if value == "pipeline" else None


def substance(tags: Tags) -> str:
    """The substance as tagged (``substance``, else the older ``type``), first of a list."""
    raw = tags.get("substance") or tags.get("type") or ""
    return raw.split(";")[0].strip().lower()


def refined_class(tags: Tags, cls: str) -> str:
    """Class by substance (see the module docstring)."""
    return _SUBSTANCES.get(substance(tags), "other")


def diameter_mm(raw: str | None) -> tuple[int | None, str]:
    """Nominal diameter in millimetres from a ``diameter`` value, with a note."""
    text = (raw or "").strip()
    if not text:
        return None, "missing"
    parts = [p.strip() for p in re.split(r";|(?<=\d)\s*-\s*(?=\d)", text)]
    values = [_length_mm(part) for part in parts]
    if any(v is None or v <= 0 for v in values):
        return None, f"unparsed value {text!r}"
    known = [v for v in values if v is not None]  # all of them, as checked above
    if len(known) == 1:
        return known[0], ""
    return min(known), f"smallest of {text!r}"


def _length_mm(part: str) -> int | None:
    match = _LENGTH.fullmatch(part.lower())
    if match is None or ("," in match.group(1) and _MM[match.group(2)] == 1.0):
        return None  # "1,016" mm: a thousands separator or a decimal comma, unclear
    return round(float(match.group(1).replace(",", ".")) * _MM[match.group(2)])


def diameter(tags: Tags, oneway: int) -> tuple[int | None, str]:
    """Diameter in millimetres from ``diameter``."""
    return diameter_mm(tags.get("diameter"))


def extra(tags: Tags) -> dict[str, Any]:
    """Keep the substance, location and usage as written."""
    return {
        "substance": substance(tags),
        "location": tags.get("location", ""),
        "usage": tags.get("usage", ""),
    }


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
    osm_tags={"man_made": ["pipeline"], "construction:man_made": ["pipeline"]},
    classify=classify,
    capacity=diameter,
    capacity_unit="diameter_mm",
    style=style,
    capacity_total="max",
    main_classes=("gas", "oil"),
    classes=("gas", "oil", "water", "other"),
    refine=refined_class,
    extra=extra,
    rule_keys=("substance", "type", "diameter", "location", "usage"),
)
