"""Cities: prefecture-level cities with the figures a document gives of them.

The 2006 Zhejiang report gives figures of its cities' cooperation with Shanghai and
Jiangsu: projects and investment brought in, farm produce supplied to Shanghai, projects
with Shanghai's universities. The embedded dataset draws each city the report gives a
figure of as a point at its GeoNames place, with its figures (``scripts/build_sites.py``).

Cities are sites, not lines: they are drawn, listed and exported, never counted as
crossings. They come only from an embedded dataset or the user's files (a ``class`` column,
or ``place=city``): OpenStreetMap has no such figures, so the layer is not read from OSM
data or fetched (:attr:`LayerSpec.osm_tags` is empty; :data:`layers.OSM_LAYERS`).

Classes: ``prefecture_city`` (地级市), the only one. Capacity is the number of projects
brought in (``projects``), when given. The circle's *area* grows with the agreed
investment (``agreed_yuan``): a proportional symbol, so that a city with three times the
investment covers three times the area; a city without that figure gets the smallest circle.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from layers.base import LayerSpec, Style, Tags, parse_count

#: The colour of the cities' circles.
COLOR = "#1e8449"
#: Radius (px) of a circle per square root of a billion yuan of agreed investment.
PX_PER_SQRT_BN = 4.0
#: The smallest radius (px): a city without an investment figure, or a tiny one.
MIN_RADIUS = 6.0


def classify(value: str) -> str | None:
    """``place=city`` in a user's file is a prefecture city; nothing else belongs."""
    return "prefecture_city" if value == "city" else None


def projects(tags: Tags, oneway: int) -> tuple[int | None, str]:
    """The number of projects brought in, from ``projects``."""
    return parse_count(tags.get("projects"))


def radius(agreed_yuan: object) -> float:
    """The circle's radius in pixels: its area proportional to the agreed investment.

    Examples
    --------
    >>> radius(14_270_000_000) > radius(5_000_000_000) > radius(None) == MIN_RADIUS
    True
    """
    try:
        value = float(agreed_yuan)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return MIN_RADIUS
    if not math.isfinite(value) or value <= 0:
        return MIN_RADIUS
    return max(MIN_RADIUS, round(PX_PER_SQRT_BN * math.sqrt(value / 1e9), 2))


def style(attrs: Mapping[str, Any]) -> Style:
    """Green circles, their area by agreed investment (see the module docstring)."""
    return Style(color=COLOR, weight=2.0, radius=radius(attrs.get("agreed_yuan")))


LAYER = LayerSpec(
    name="cities",
    label="Cities",
    geometry="point",
    main_key="place",
    osm_tags={},
    classify=classify,
    capacity=projects,
    capacity_unit="projects",
    style=style,
    classes=("prefecture_city",),
    rule_keys=("projects",),
)
