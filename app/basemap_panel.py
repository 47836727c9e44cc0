"""The sidebar's "Basemap" panel: no tiles (the default), OpenStreetMap's, or a tile URL.

The map draws its regions, so it is readable with no tiles and no internet; tiles can be
switched on. Tiles in China's offset coordinates are warned about
(:func:`app.webmap.tile_warning`). The panel also sets the map's height: fitted to the
window (the default) or one of :data:`app.map_size.MAP_HEIGHTS` (:func:`map_height_choice`).
"""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from app import webmap
from app.labels import say
from app.language import in_this_run
from app.map_size import DEFAULT_HEIGHT, MAP_HEIGHTS, frame_css, map_height_label
from app.page_text import md
from app.query import Keys
from app.widget_words import placeholder
from geo.text import Bilingual

#: The choices, as ``{value: key of its label}`` (:data:`app.labels.TEXT`).
BASEMAPS = {"none": "tiles_none", "osm": "tiles_osm", "url": "tiles_url"}


def basemap_label(choice: str) -> str:
    """A choice as listed, in the page's language."""
    return say(BASEMAPS[choice]) if choice in BASEMAPS else choice


def offset_warning(system: str, metres: float | None) -> str:
    """What the page says of tiles in China's offset coordinates.

    ``system`` and ``metres`` as :func:`app.webmap.tile_offset` gives them.
    """
    if metres is None:
        how_far = Bilingual("some hundreds of metres from their place", "偏离原位数百米")
    else:
        m = f"{round(metres, -1):.0f}"
        how_far = Bilingual(
            f"about {m} m from their place at the map's centre", f"在地图中心偏离原位约 {m} 米"
        )
    return say("tiles_offset", system=system, how_far=how_far)


def map_height_choice() -> str:
    """Draw the map's height's choice (in the panel).

    Returns
    -------
    str
        The key of :data:`app.map_size.MAP_HEIGHTS` chosen.
    """
    choices = list(MAP_HEIGHTS)
    if st.session_state.get(Keys.MAP_HEIGHT) not in choices:
        st.session_state[Keys.MAP_HEIGHT] = DEFAULT_HEIGHT
    choice = st.selectbox(
        say("map_height"), choices, format_func=in_this_run(map_height_label),
        key=Keys.MAP_HEIGHT, help=say("map_height_help"), placeholder=placeholder(choices),
    )  # fmt: skip
    return str(choice or DEFAULT_HEIGHT)


def basemap_panel(regions_wgs84: gpd.GeoDataFrame) -> tuple[str, str]:
    """Draw the panel in the sidebar and return the chosen ``(tile URL, attribution)``.

    The panel holds the map's height too (:func:`map_height_choice`), whose style sheet
    (:func:`app.map_size.frame_css`) goes into the sidebar with ``st.html``, outside the
    panel (style only, it takes no room): the map's frame is sized in the browser, by the
    window.

    Parameters
    ----------
    regions_wgs84
        The regions the map draws, where an offset of the tiles is measured.

    Returns
    -------
    (str, str)
        Both empty for no basemap; an empty attribution names the tile server's host.
    """
    with st.sidebar.expander(say("basemap"), key=Keys.BASEMAP_PANEL):
        basemap = st.selectbox(
            say("tiles"), list(BASEMAPS), format_func=in_this_run(basemap_label), key=Keys.BASEMAP,
            help=say("tiles_help"), placeholder=placeholder(list(BASEMAPS)),
        )  # fmt: skip
        tiles, tile_attribution = "", ""
        if basemap == "osm":
            tiles, tile_attribution = webmap.OSM_TILES, webmap.OSM_TILE_ATTRIBUTION
        elif basemap == "url":
            tiles = st.text_input(
                say("tile_url"),
                value="",
                key=Keys.TILE_URL,
                placeholder="http://localhost:8080/{z}/{x}/{y}.png",
                help=say("tile_url_help"),
            ).strip()
            tile_attribution = st.text_input(
                say("tile_attribution"), value="", key=Keys.TILE_ATTRIBUTION
            ).strip()
        offset = webmap.tile_offset(tiles, regions_wgs84)
        if offset is not None:
            st.warning(md(offset_warning(*offset)))
        height = map_height_choice()
    with st.sidebar:
        st.html(f"<style>{frame_css(height)}</style>")
    return tiles, tile_attribution
