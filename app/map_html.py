r"""The map's HTML: data text escaped, region tooltips and the map's style sheet.

Every text that comes from data (names, refs, classes, regions, attribution) is passed
through :func:`escape_text` before it enters HTML: HTML-escaped, and with `` ` ``, ``$``
and ``\`` written as character references, since folium puts tooltip and popup HTML
inside JavaScript template literals. Elements carrying such text are added to the figure
as literal text, never compiled as Jinja templates (:mod:`app.map_elements`).

Everything here takes plain values (a feature's attributes, a layer's spec) and returns
HTML text; nothing draws, reads files or imports folium. The features' and interfaces'
tooltips and popups are :mod:`app.popups`', the legend :mod:`app.map_legend`'s.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from geo.values import is_missing
from layers import drawing

#: The map's own style sheet: popups, tooltips and Leaflet's controls (the legend's, the
#: labels' and the notices' are in ``static/jiegui/map.css``). In ``st_folium``'s frame the
#: map (``#map_div``) fills the frame, whose height the page sets (:mod:`app.map_size`).
MAP_STYLE = """<style>
#map_div { height: 100vh !important; }
.leaflet-container { background: #cfe1f1; font-family: system-ui, "Noto Sans CJK SC",
  "WenQuanYi Micro Hei", sans-serif; }
.jiegui-popup table { border-collapse: collapse; font-size: 12px; }
.jiegui-popup th { text-align: left; padding: 1px 8px 1px 0; color: #555; font-weight: 600;
  vertical-align: top; white-space: nowrap; }
.jiegui-popup td { padding: 1px 0; overflow-wrap: anywhere; }
.jiegui-popup .jiegui-quote { color: #333; }
.jiegui-popup { max-height: 300px; overflow-y: auto; }
.jiegui-popup .jiegui-sources { margin: 0; padding-left: 1.3em; }
.jiegui-popup .jiegui-note { font-size: 11px; margin-top: 3px; }
.leaflet-tooltip { font-size: 12px; }
.leaflet-control-layers { font-size: 12px; }
.leaflet-control-attribution { font-size: 10px; line-height: 1.3; max-width: 55%; }
</style>"""

#: Outline colour of interface markers (and of their legend swatches).
MARKER_LINE = drawing.MARKER_LINE


# ------------------------------------------------------------------------------ escaping


def escape_text(value: object) -> str:
    r"""Return data text safe to put in the map's HTML.

    Parameters
    ----------
    value
        Any value; ``None`` and missing values give ``""``.

    Returns
    -------
    str
        ``html.escape(str(value))`` with `` ` ``, ``$`` and ``\`` as character
        references, so the text also stays inert inside folium's JavaScript template
        literals. A name like ``<img src=x onerror=alert(1)>`` shows as text.
    """
    if is_missing(value):
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def css_token(text: str) -> str:
    """Return ``text`` as a CSS class name (``"highways-9"`` stays, ``"a b"`` gives ``"a_b"``).

    Characters other than letters, digits, ``-`` and ``_`` become ``_``.

    Interface markers carry ``jiegui-interface`` and ``css_token("jiegui-if-" + id)``;
    drawn features ``jiegui-feature`` and ``jiegui-<layer>``.
    """
    return re.sub(r"[^A-Za-z0-9_-]", "_", text)


# -------------------------------------------------------------------- tooltips, popups


def route_label(attrs: Mapping[str, Any]) -> str:
    """A feature's ref and name (``"G60 / G92 Hangzhou Bay Bridge"``), or ``"(unnamed)"``."""
    parts = [str(attrs.get(k) or "").replace(";", " / ") for k in ("ref", "name")]
    return " ".join(p for p in parts if p) or "(unnamed)"


def _number(value: object) -> str:
    """``4.0`` as ``4``; other values as they are."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def capacity_text(value: object, unit: str) -> str:
    """``"4 lanes"``, or ``"lanes unknown"`` when the value is missing."""
    unit = unit.replace("_", " ")
    return f"{_number(value)} {unit}" if not is_missing(value) else f"{unit} unknown"


def region_tip(name: object, name_zh: object) -> str:
    """Tooltip HTML of a region: its name in bold, then its Chinese name when it has one."""
    extra = f"<br>{escape_text(name_zh)}" if isinstance(name_zh, str) and name_zh else ""
    return f"<b>{escape_text(name)}</b>{extra}"


# ------------------------------------------------------- swatches (the rings' legend)


def dot_swatch(color: str, radius: float, *, hollow: bool = False) -> str:
    """An inline SVG circle of a colour and radius, for a legend (the rings', app.compare_map)."""
    fill = "none" if hollow else escape_text(color)
    size = int(2 * radius + 4)
    return (
        f'<svg width="{size}" height="{size}" aria-hidden="true"><circle cx="{size / 2}" '
        f'cy="{size / 2}" r="{radius}" stroke="{escape_text(color)}" stroke-width="2" '
        f'fill="{fill}" fill-opacity="0.8"/></svg>'
    )
