"""The Streamlit side.

What the page shows (``views``) and its state as one value (``query``); the map
(``webmap``, drawing what ``map_geojson`` writes, with ``map_html``'s tooltips, popups and
legend, ``map_elements``' literal folium elements and ``map_assets``' local Leaflet); the
sidebar's panels (``source_panel``, ``fetch_panel``, ``basemap_panel``) and the page's
text (``page_text``); the results kept on disk (``result_cache``, signed entries in
``result_store``); uploads on disk (``uploads``) and hosted mode (``hosting``). Only the
panels, and ``hosting`` for Streamlit's options, import streamlit. Nothing in ``geo/`` or
``layers/`` imports this package.
"""
