"""Text the page writes around the data: its title, pair labels and data shown as itself."""

from __future__ import annotations

import re

#: The page's title, shown above the map and above every message that ends a run early.
TITLE = "Jiegui 接轨 — links across borders"

#: The neighbour choice that shows all the focus region's borders.
ALL_NEIGHBOURS = "All neighbours"


def md(text: object) -> str:
    """Text shown as itself in Streamlit markdown: no links, emphasis, LaTeX or HTML."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(text))


def pair_label(region: str, neighbour: str | None) -> str:
    """``"A – B"``, or ``"A – all neighbours"``."""
    return f"{region} – {neighbour}" if neighbour else f"{region} – all neighbours"


def border_phrase(region: str, neighbour: str | None) -> str:
    """``"the border A–B"``, or ``"the borders of A"``."""
    return f"the border {region}–{neighbour}" if neighbour else f"the borders of {region}"
