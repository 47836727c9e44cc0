"""Jiegui: cross-border links, counted the way planners count them.

A thin page over ``geo``: choose a source, a region and the layers; see the counts per
border and the interfaces. (The full map page is the app issue's work.)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from geo.analysis import count_crossings
from geo.errors import JieguiError
from geo.report import interface_records
from geo.sources import load_source
from layers import LINE_LAYERS

st.set_page_config(page_title="Jiegui", layout="wide")
st.title("Jiegui 接轨 — links across borders")


@st.cache_data(show_spinner="Counting crossings…")
def _count(path: str, region: str | None, layers: tuple[str, ...]) -> dict:
    source = load_source(path, region=region or None, layer_names=layers)
    result = count_crossings(source.layers, source.region_set, region=region or None)
    return {
        "summary": result.summary,
        "interfaces": interface_records(result),
        "warnings": result.warnings,
        "attribution": source.attribution,
        "regions": source.region_set.names,
    }


uploaded = st.file_uploader(
    "OpenStreetMap extract or boundaries file",
    type=["osm", "gz", "bz2", "pbf", "geojson", "gpkg"],
)
path_text = st.text_input("…or a path on this machine", value="")
region = st.text_input("Region (name as in the data)", value="")
layers = st.multiselect("Layers", LINE_LAYERS, default=list(LINE_LAYERS))

path = path_text.strip()
if uploaded is not None:
    folder = Path(tempfile.mkdtemp(prefix="jiegui-"))
    target = folder / uploaded.name
    target.write_bytes(uploaded.getvalue())
    path = str(target)

if path and layers:
    try:
        data = _count(path, region.strip(), tuple(layers))
    except JieguiError as exc:
        st.error(str(exc))
    else:
        st.subheader("Counts per border")
        st.dataframe(data["summary"], hide_index=True)
        st.subheader("Interfaces")
        st.dataframe(data["interfaces"], hide_index=True)
        for warning in data["warnings"]:
            st.warning(warning)
        st.caption(data["attribution"])
else:
    st.info("Choose a source to count its cross-border links.")
