"""The page's map as a sheet for a report: one HTML file that needs nothing but itself.

:func:`sheet_html` draws what the page's map draws (:class:`app.webmap.MapContent`, the
selected interface and a comparison's rings) at the page's view, with Leaflet inlined
(:func:`app.map_assets.asset_links` ``"inline"``): the file opens from disk with no server
and no network. Around the map: a title (the border), a line with the source, the year
and the counting basis, and a footer with the attribution and the date; on the map the
legend (opened), Leaflet's scale bar and a north arrow. No basemap tiles: they would need
the tile server.

Two forms of the same sheet:

* ``interactive=True``: the downloadable HTML map, filling the browser's window, with its
  zoom buttons and layer switcher;
* ``interactive=False``: a fixed A4 landscape sheet (:data:`SHEET_WIDTH` ×
  :data:`SHEET_HEIGHT` CSS pixels, a CSS ``@page`` of 297 × 210 mm with no margin) without
  controls to click, which :mod:`geo.io.render` draws as PNG and PDF.

Every text from data (region names, the source's title and attribution) is escaped
(:func:`app.map_html.escape_text`) and added as literal text, never read as a template
(:mod:`app.map_elements`). Nothing here imports streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
from branca.element import Figure

from app.link_state import MapView
from app.map_elements import HtmlControl, Literal
from app.map_html import escape_text
from app.webmap import MapContent, draw_map

#: The printed sheet in CSS pixels: A4 landscape (297 × 210 mm) at 96 px per inch, a pixel
#: short of it each way so that rounding never spills onto a second page.
SHEET_WIDTH = 1122
SHEET_HEIGHT = 793

#: Device pixels per CSS pixel of the PNG: 2244 × 1586 px, about 190 dpi on A4.
PNG_SCALE = 2.0

#: The sheet's ink colour (the interface markers' outline).
INK = "#1b2631"


@dataclass(frozen=True)
class SheetText:
    """The sheet's words, in the page's language (data in them not yet escaped).

    Attributes
    ----------
    title
        The heading: the border shown.
    subtitle
        The source, the year and the counting basis (and a comparison's years).
    attribution
        Where the data come from.
    made
        What made the sheet, and when (the date).
    north
        The north arrow's letter.
    """

    title: str
    subtitle: str
    attribution: str
    made: str
    north: str


def sheet_html(
    content: MapContent,
    text: SheetText,
    *,
    view: MapView | None = None,
    groups: Sequence[folium.FeatureGroup] = (),
    interactive: bool = False,
) -> str:
    """The sheet as one HTML document (see the module docstring).

    Parameters
    ----------
    content
        What the map draws (:func:`app.webmap.map_content`).
    text
        The sheet's words.
    view
        Where the map looks (the page's map as it was last reported); None: the map fits
        ``content.bounds`` as the page's map first does.
    groups
        What the page adds to its map: the selected interface, a comparison's rings
        (:func:`app.compare_view.map_groups`); new objects, not those given to the page's
        map.
    interactive
        The downloadable map (True) or the fixed sheet drawn as PNG and PDF (False).

    Returns
    -------
    str
        A whole HTML document that loads nothing from elsewhere.
    """
    fmap = draw_map(
        content,
        attribution=text.attribution,
        assets="inline",
        view=None if view is None else (view.center, view.zoom),
    )
    for name, child in list(fmap._children.items()):
        if not interactive and isinstance(child, folium.LayerControl):
            del fmap._children[name]
    for group in groups:
        group.add_to(fmap)
    HtmlControl(
        _north_arrow(text.north),
        position="topleft" if interactive else "topright",
        css_class="jiegui-north",
    ).add_to(fmap)
    root = fmap.get_root()
    if not isinstance(root, Figure):
        raise TypeError("a folium map's root is a branca Figure")
    root.header.add_child(Literal(_style(interactive)), name="jiegui_sheet_css")
    root.html.add_child(Literal(_frame(text)), name="jiegui_sheet_frame")
    if not interactive:
        root.script.add_child(Literal(_OPEN_LEGENDS), name="jiegui_open_legends")
    return root.render()


def _frame(text: SheetText) -> str:
    """The title above the map and the footer below it."""
    return (
        '<header class="jiegui-sheet-head">'
        f"<h1>{escape_text(text.title)}</h1><p>{escape_text(text.subtitle)}</p></header>"
        '<footer class="jiegui-sheet-foot">'
        f'<span class="data">{escape_text(text.attribution)}</span>'
        f'<span class="made">{escape_text(text.made)}</span></footer>'
    )


def _north_arrow(letter: str) -> str:
    """An arrow pointing up with its letter (north is up on the web map's projection)."""
    return (
        '<svg width="30" height="44" viewBox="0 0 30 44" role="img" '
        f'aria-label="{escape_text(letter)}">'
        f'<text x="15" y="12" text-anchor="middle" font-size="13" font-weight="700" fill="{INK}">'
        f"{escape_text(letter)}</text>"
        f'<polygon points="15,15 25,42 15,35 5,42" fill="{INK}"/>'
        f'<polygon points="15,15 15,35 5,42" fill="#ffffff" stroke="{INK}" stroke-width="1"/></svg>'
    )


#: Opens every collapsible part of the legend before the sheet is drawn (a closed legend
#: would print as its title only). Runs on load: the legend is added by the map's script.
_OPEN_LEGENDS = (
    'window.addEventListener("load", function() {'
    ' document.querySelectorAll(".jiegui-legend details").forEach('
    "function(d) { d.open = true; }); });"
)


def _style(interactive: bool) -> str:
    """The sheet's style sheet: the frame, and (printed) a fixed A4 page without controls."""
    size = (
        "width: 100vw !important; height: 100vh !important;"
        if interactive
        else f"width: {SHEET_WIDTH}px !important; height: {SHEET_HEIGHT}px !important;"
    )
    printed = (
        ""
        if interactive
        else """
@page { size: 297mm 210mm; margin: 0; }
.leaflet-control-zoom, .leaflet-control-layers, .leaflet-control-attribution { display: none; }
.jiegui-legend { max-height: none !important; }
"""
    )
    return f"""<style>
html, body {{ margin: 0 !important; padding: 0 !important; background: #ffffff; color: {INK};
  font-family: system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; }}
body {{ position: relative; overflow: hidden; {size} }}
.jiegui-sheet-head {{ position: absolute; left: 28px; right: 28px; top: 12px; height: 54px;
  overflow: hidden; }}
.jiegui-sheet-head h1 {{ font-size: 20px; line-height: 1.3; margin: 0 0 3px 0; }}
.jiegui-sheet-head p {{ font-size: 12px; margin: 0; color: #333; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }}
.folium-map {{ position: absolute !important; left: 28px !important; right: 28px;
  top: 70px !important; bottom: 40px; width: auto !important; height: auto !important;
  border: 1.5px solid {INK}; box-sizing: border-box; }}
.jiegui-sheet-foot {{ position: absolute; left: 28px; right: 28px; bottom: 6px; height: 30px;
  display: flex; justify-content: space-between; align-items: flex-start; gap: 24px;
  font-size: 10px; line-height: 1.3; color: #444; overflow: hidden; }}
.jiegui-sheet-foot .made {{ white-space: nowrap; }}
.jiegui-north {{ background: rgba(255,255,255,0.85); border-radius: 4px; padding: 2px 3px 0;
  box-shadow: 0 1px 3px rgba(0,0,0,0.25); line-height: 0; }}
{printed}</style>"""
