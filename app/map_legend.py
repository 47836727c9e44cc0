"""The map's legend: what the map draws, and only that, from the styles that draw it.

Each layer's part lists the swatches :meth:`layers.base.LayerSpec.legend` makes from the
features drawn, with the layer's own ``style``: a colour per class drawn and, where the
lines drawn have more than one pattern (or one that is not solid), a pattern per status
drawn (in the neutral :data:`STATUS_SWATCH`, named in the layer's own words:
:func:`geo.labels.status_label`). The interfaces' part lists the marker styles drawn
(size, no data, not open), the context's the styles its layers are drawn with
(:data:`app.map_context.CONTEXT_STYLES`).
Every swatch carries ``data-kind``, ``data-color`` and ``data-dash``: the legend can be
read back and checked against what is drawn (``tests/test_map_legend.py``).

Each part is a ``div.group`` with ``data-legend`` naming the map's group it stands for; the
map's script hides it while that group is switched off (``static/jiegui/map.js``). Texts
are in the page's language (:func:`app.language.current`); text from data is escaped.
Nothing here imports streamlit or folium.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.labels import say
from app.language import current
from app.map_html import MARKER_LINE, escape_text
from geo.labels import LAYER_LABELS, class_label, status_label
from layers import LegendEntry, drawing, get_layer

#: The colour of a status's swatch: a line pattern (or a hollow point) in a neutral grey,
#: so that it reads as "this pattern means open / under construction" and not as one
#: more class: drawn in the first class's colour, a gas pipeline's "open" swatch looked
#: exactly like its "gas" swatch beside it.
STATUS_SWATCH = "#707b7c"


def _attrs(kind: str, color: str, dash: str | None, **extra: str) -> str:
    more = "".join(f' data-{k}="{escape_text(v)}"' for k, v in extra.items())
    return (
        f'data-kind="{kind}" data-color="{escape_text(color)}" '
        f'data-dash="{escape_text(dash or "")}"{more}'
    )


def line_swatch(color: str, weight: float, dash: str | None) -> str:
    """An inline SVG line of a colour, weight and dash pattern."""
    dash_attr = f' stroke-dasharray="{escape_text(dash)}"' if dash else ""
    return (
        '<svg width="30" height="10" aria-hidden="true"><line x1="1" y1="5" x2="29" y2="5" '
        f'stroke="{escape_text(color)}" stroke-width="{min(weight, 8):.1f}"{dash_attr}/></svg>'
    )


def marker_swatch(
    color: str, radius: float, *, fill: str | None = None, dash: str | None = None
) -> str:
    """An inline SVG circle: outline ``color``, filled with ``fill`` (hollow when None)."""
    size = int(2 * radius + 4)
    dash_attr = f' stroke-dasharray="{escape_text(dash)}"' if dash else ""
    return (
        f'<svg width="{size}" height="{size}" aria-hidden="true"><circle cx="{size / 2}" '
        f'cy="{size / 2}" r="{radius}" stroke="{escape_text(color)}" stroke-width="1.5" '
        f'fill="{escape_text(fill) if fill else "none"}"{dash_attr}/></svg>'
    )


def area_swatch(color: str, fill: str) -> str:
    """An inline SVG rectangle: an area's outline and fill."""
    return (
        '<svg width="22" height="12" aria-hidden="true"><rect x="1" y="1" width="20" height="10" '
        f'rx="3" stroke="{escape_text(color)}" fill="{escape_text(fill)}"/></svg>'
    )


def _colon() -> str:
    """What follows a part's title: a full-width colon in Chinese."""
    return "：" if current() == "zh" else ": "


def _entry(swatch: str, label: str, attrs: str) -> str:
    return f'<span class="entry" {attrs}>{swatch}{escape_text(label)}</span>'


def layer_group(name: str, entries: Sequence[LegendEntry], drawn: int, total: int) -> str:
    """The legend's part for one layer: its swatches (:meth:`layers.base.LayerSpec.legend`).

    Parameters
    ----------
    name
        The layer kind.
    entries
        Its legend entries, made from the features drawn.
    drawn, total
        Features drawn and features in the layer: the part says so when fewer are drawn.
    """
    spec = get_layer(name)
    lang = current()
    point = spec.geometry == "point"
    joiner = "、" if lang == "zh" else ", "
    parts = []
    for entry in entries:
        style = entry.style
        if entry.kind == "class":
            label = joiner.join(class_label(name, k, lang) for k in entry.keys)
            color = style.color
        else:
            label = joiner.join(status_label(name, k, lang) for k in entry.keys)
            color = STATUS_SWATCH
        swatch = (
            marker_swatch(color, 5, fill=color if entry.kind == "class" else None)
            if point
            else line_swatch(color, style.weight + 1, style.dash_array)
        )
        parts.append(_entry(swatch, label, _attrs(entry.kind, color, style.dash_array)))
    note = ""
    if drawn < total:
        showing = escape_text(say("legend_showing", drawn=drawn, total=total))
        note = f' <span class="jiegui-note">{showing}</span>'
    title = LAYER_LABELS.get(name, {"en": spec.label, "zh": spec.label})[lang]
    return (
        f'<div class="group" data-legend="{escape_text(name)}"><b>{escape_text(title)}</b>'
        f"{note}{_colon()}{''.join(parts)}</div>"
    )


def border_swatch(style: Mapping[str, Any], halo: Mapping[str, Any]) -> str:
    """An inline SVG of the border counted: its dashed line over its halo."""

    def line(part: Mapping[str, Any]) -> str:
        dash = part.get("dashArray")
        dash_attr = f' stroke-dasharray="{escape_text(dash)}"' if dash else ""
        return (
            f'<line x1="1" y1="6" x2="33" y2="6" stroke="{escape_text(part["color"])}" '
            f'stroke-width="{float(part["weight"]):.1f}"{dash_attr}/>'
        )

    return f'<svg width="34" height="12" aria-hidden="true">{line(halo)}{line(style)}</svg>'


def border_group(style: Mapping[str, Any], halo: Mapping[str, Any]) -> str:
    """The legend's part for the border counted (:data:`app.map_geojson.BORDER_STYLE`).

    Parameters
    ----------
    style, halo
        The Leaflet path options of its dashed line and of the halo under it.
    """
    entry = _entry(
        border_swatch(style, halo),
        say("legend_border_counted"),
        _attrs("border", str(style["color"]), style.get("dashArray")),
    )
    title = escape_text(say("legend_border"))
    return f'<div class="group" data-legend="border"><b>{title}</b>{_colon()}{entry}</div>'


def interfaces_group(markers: Sequence[Mapping[str, Any]]) -> str:
    """The legend's part for the interface markers drawn: their size, and what sets some apart.

    Parameters
    ----------
    markers
        The markers' Leaflet styles (``radius``, ``fillOpacity``, ``dashArray``).
    """
    hollow = any(m.get("fillOpacity") == drawing.MARKER_FILL_UNKNOWN for m in markers)
    dashed = sorted({str(m["dashArray"]) for m in markers if m.get("dashArray")})
    parts = [
        _entry(
            marker_swatch(MARKER_LINE, 3, fill=MARKER_LINE)
            + marker_swatch(MARKER_LINE, 6, fill=MARKER_LINE),
            say("legend_marker_size"),
            _attrs("marker", MARKER_LINE, None, what="size"),
        )
    ]
    if hollow:
        parts.append(
            _entry(marker_swatch(MARKER_LINE, 5), say("legend_marker_no_data"),
                   _attrs("marker", MARKER_LINE, None, what="no-data"))
        )  # fmt: skip
    for dash in dashed:
        parts.append(
            _entry(
                marker_swatch(MARKER_LINE, 5, fill="#ffffff", dash=dash),
                say("legend_marker_not_open"),
                _attrs("marker", MARKER_LINE, dash, what="not-open"),
            )
        )
    title = escape_text(say("interfaces"))
    return (
        f'<div class="group" data-legend="interfaces"><b>{title}</b>{_colon()}'
        f"{''.join(parts)}</div>"
    )


def context_group(styles: Mapping[str, Mapping[str, Any]], *, cities: bool) -> str:
    """The legend's part for the context: a swatch per layer drawn, and the cities' dot.

    Parameters
    ----------
    styles
        ``{layer: Leaflet path options}`` the context is drawn with, in drawing order
        (:data:`app.map_context.CONTEXT_STYLES`).
    cities
        Whether city labels (a dot and a name) are drawn.
    """
    parts = []
    for name, style in styles.items():
        color = str(style["color"])
        if "fillColor" in style:
            swatch = area_swatch(color, str(style["fillColor"]))
        else:
            swatch = line_swatch(
                color, float(style.get("weight", 1.0)) + 0.5, style.get("dashArray")
            )
        parts.append(
            _entry(
                swatch,
                say(f"context_{name}"),
                _attrs("context", color, style.get("dashArray"), layer=name),
            )
        )
    if cities:
        parts.append(
            _entry(marker_swatch("#ffffff", 3, fill="#555555"), say("context_city"),
                   _attrs("label", "#555555", None, layer="city"))
        )  # fmt: skip
    title = escape_text(say("map_context"))
    return (
        f'<div class="group" data-legend="context"><b>{title}</b>{_colon()}'
        f"{''.join(parts)}</div>"
    )


def legend_html(groups: Sequence[str], more: Sequence[str] = ()) -> str:
    """The whole legend, open: the parts given, then a folded part: ``more`` and how to read.

    The context's part (coast, lakes, rivers, cities, which read without a key) and the
    note on line weights are folded under one line ("More" / "更多") that opens on a click:
    open, they made the English legend some 300 px tall, taller than the half of the
    page's map (560 px then) it may take, so it scrolled. The printed sheet opens every fold.

    Parameters
    ----------
    groups
        The parts (:func:`border_group`, :func:`layer_group`, :func:`interfaces_group`),
        in the order listed.
    more
        The parts folded with the note (:func:`context_group`).
    """
    note = f'<div class="group jiegui-note">{escape_text(say("legend_note"))}</div>'
    folded = (
        f'<details class="jiegui-more"><summary>{escape_text(say("legend_more"))}</summary>'
        f"{''.join(more)}{note}</details>"
    )
    return (
        f"<details open><summary>{escape_text(say('legend'))}</summary>"
        f"{''.join(groups)}{folded}</details>"
    )


__all__ = [
    "STATUS_SWATCH",
    "area_swatch",
    "border_group",
    "border_swatch",
    "context_group",
    "interfaces_group",
    "layer_group",
    "legend_html",
    "line_swatch",
    "marker_swatch",
]
