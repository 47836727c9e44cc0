"""The sidebar's "Basemap" panel: no tiles (the default), OpenStreetMap's, or a tile URL.

The map draws its regions, so it is readable with no tiles and no internet; tiles can be
switched on. Tiles in China's offset coordinates are warned about
(:func:`app.webmap.tile_warning`).
"""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from app import webmap
from app.page_text import md
from app.query import Keys

#: The choices, as ``{value: label}``.
BASEMAPS = {
    "none": "None (works offline)",
    "osm": "OpenStreetMap (needs internet)",
    "url": "A tile URL (e.g. a local tile server)",
}


def basemap_panel(regions_wgs84: gpd.GeoDataFrame) -> tuple[str, str]:
    """Draw the panel in the sidebar and return the chosen ``(tile URL, attribution)``.

    Parameters
    ----------
    regions_wgs84
        The regions the map draws, where an offset of the tiles is measured.

    Returns
    -------
    (str, str)
        Both empty for no basemap; an empty attribution names the tile server's host.
    """
    with st.sidebar.expander("Basemap"):
        basemap = st.selectbox(
            "Tiles under the map", list(BASEMAPS), format_func=BASEMAPS.__getitem__,
            key=Keys.BASEMAP,
            help="Off by default: the map draws its regions, so it is readable with no internet.",
        )  # fmt: skip
        tiles, tile_attribution = "", ""
        if basemap == "osm":
            tiles, tile_attribution = webmap.OSM_TILES, webmap.OSM_TILE_ATTRIBUTION
        elif basemap == "url":
            tiles = st.text_input(
                "Tile URL",
                value="",
                key=Keys.TILE_URL,
                placeholder="http://localhost:8080/{z}/{x}/{y}.png",
                help="A URL with {z}, {x} and {y}.",
            ).strip()
            tile_attribution = st.text_input("Tile attribution", value="").strip()
        tile_note = webmap.tile_warning(tiles, regions_wgs84)
        if tile_note:
            st.warning(md(tile_note))
    return tiles, tile_attribution
