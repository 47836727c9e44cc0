"""Jiegui: cross-border links, counted the way planners count them.

A thin page over ``geo``: choose a dataset, a region and its neighbour, the layers, a year
and the statuses; see the map, the counts per layer for the pair, the interfaces, the
warnings and the attribution. Loading and counting are cached by their inputs; the map is
drawn by :func:`geo.webmap.build_map` with its scripts served from ``static/``.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import datasets, webmap
from geo.analysis import CrossingResult, count_crossings
from geo.errors import JieguiError
from geo.report import interface_records
from geo.sources import Source, load_source
from layers import LINE_LAYERS, REGISTRY, STATUSES

started = time.perf_counter()
st.set_page_config(page_title="Jiegui 接轨", layout="wide")

ALL_NEIGHBOURS = "All neighbours"
UPLOAD_TYPES = ["geojson", "json", "gpkg", "zip", "osm", "pbf", "gz", "bz2"]
TABLE_COLUMNS = [
    "id", "b", "layer", "class", "ref", "name", "carriageways", "lanes",
    "lanes_per_carriageway", "capacity", "capacity_unit", "bridge", "tunnel", "status", "via",
    "lon", "lat", "source_ids",
]  # fmt: skip


@dataclass(frozen=True)
class Loaded:
    """A loaded source and what the page derives from it once."""

    source: Source
    regions_wgs84: gpd.GeoDataFrame
    years: tuple[int, int] | None


@st.cache_resource(show_spinner="Loading the data…", max_entries=8)
def load(path: str, stamp: str) -> Loaded:
    """Load a source once per path and file state (``stamp``); shared, never mutated."""
    # An embedded dataset brings its ports by itself (naming them again loads them twice).
    wanted = LINE_LAYERS if datasets.dataset_dir(path) is not None else tuple(REGISTRY)
    source = load_source(path, layer_names=wanted)
    return Loaded(source, source.region_set.regions.to_crs(4326), webmap.year_range(source.layers))


@st.cache_data(show_spinner="Counting crossings…", max_entries=64)
def count(
    path: str,
    stamp: str,
    region: str,
    as_of: int | None,
    statuses: tuple[str, ...],
    layer_names: tuple[str, ...],
) -> CrossingResult:
    """Count the region's crossings for one set of inputs."""
    source = load(path, stamp).source
    chosen = {n: source.layers[n] for n in layer_names if n in source.layers}
    return count_crossings(chosen, source.region_set, region=region, as_of=as_of, statuses=statuses)


def saved_upload(name: str, data: bytes) -> str:
    """Write an uploaded file once per content and return its path."""
    digest = hashlib.sha256(data).hexdigest()[:20]
    folder = Path(tempfile.gettempdir()) / "jiegui-uploads" / digest
    target = folder / Path(name).name
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return str(target)


def static_url() -> str:
    """Where Streamlit serves ``static/``, under ``server.baseUrlPath`` when one is set."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{webmap.STATIC_URL}" if base else webmap.STATIC_URL


def md(text: object) -> str:
    """Text shown as itself in Streamlit markdown: no links, emphasis, LaTeX or HTML."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(text))


def stop_with(message: str) -> None:
    """Show one error sentence and end this run."""
    st.error(md(message))
    st.stop()


# ---------------------------------------------------------------------------- sidebar

st.sidebar.header("Data")
embedded = datasets.available()
dataset = st.sidebar.selectbox(
    "Embedded dataset",
    embedded,
    format_func=lambda n: datasets.manifest(n).get("title", n),
    disabled=not embedded,
)
uploaded = st.sidebar.file_uploader(
    "…or upload an OSM extract or GIS file",
    type=UPLOAD_TYPES,
    help=".osm, .osm.pbf, .osm.gz/.bz2, GeoJSON, GeoPackage or a zipped Shapefile.",
)
path_text = st.sidebar.text_input("…or a path on this machine", value="").strip()

if uploaded is not None:
    path = saved_upload(uploaded.name, uploaded.getvalue())
    stamp = webmap.source_stamp(path)
elif path_text:
    path, stamp = path_text, webmap.source_stamp(path_text)
elif dataset:
    path, stamp = dataset, webmap.source_stamp(dataset)
else:
    st.title("Jiegui 接轨 — links across borders")
    st.info("Choose a source to count its cross-border links.")
    st.stop()

try:
    loaded = load(path, stamp)
except JieguiError as exc:
    st.title("Jiegui 接轨 — links across borders")
    stop_with(str(exc))
source = loaded.source
names = source.region_set.names
try:
    default_region, default_neighbour = webmap.default_pair(names, source.folder)
except JieguiError as exc:
    st.title("Jiegui 接轨 — links across borders")
    stop_with(str(exc))

st.sidebar.header("Border")
region = st.sidebar.selectbox("Focus region", names, index=names.index(default_region))
neighbours = source.region_set.neighbours(region)
neighbour_options = [*neighbours, ALL_NEIGHBOURS]
neighbour_choice = st.sidebar.selectbox(
    "Neighbour",
    neighbour_options,
    index=neighbour_options.index(
        default_neighbour if default_neighbour in neighbours else ALL_NEIGHBOURS
    ),
)
neighbour = None if neighbour_choice == ALL_NEIGHBOURS else neighbour_choice

st.sidebar.header("Network")
available_layers = [n for n in REGISTRY if n in source.layers]
layer_names = st.sidebar.multiselect(
    "Layers",
    available_layers,
    default=available_layers,
    format_func=lambda n: REGISTRY[n].label,
)
this_year = datetime.date.today().year
first_year, last_year = loaded.years or (this_year, this_year)
first_year, last_year = min(first_year, this_year), max(last_year, this_year)
if first_year < last_year:
    year = st.sidebar.slider(
        "As of year",
        min_value=first_year,
        max_value=last_year,
        value=this_year,
        help=f"{this_year} shows the data as it is now; earlier years read each feature's "
        "status and capacity in that year.",
    )
    as_of = None if year == this_year else year
else:
    year, as_of = this_year, None
    st.sidebar.caption("No opening years in this data: the network is shown as it is now.")
statuses = st.sidebar.multiselect(
    "Status",
    list(STATUSES),
    default=["open"],
    help="Only features with these statuses (in the chosen year) are drawn and counted.",
)
with st.sidebar.expander("Basemap"):
    tiles = st.text_input(
        "Tile URL (optional)",
        value="",
        placeholder="http://localhost:8080/{z}/{x}/{y}.png",
        help="Leave empty to draw no basemap (works offline).",
    ).strip()
    tile_attribution = st.text_input("Tile attribution", value="").strip()

# ------------------------------------------------------------------------- main area

title = datasets.manifest(path).get("title") if source.folder is not None else source.name
pair_label = f"{region} – {neighbour}" if neighbour else f"{region} – all neighbours"
st.title("Jiegui 接轨 — links across borders")
st.caption(md(f"{title} · {pair_label} · as of {year} · status: {', '.join(statuses) or 'none'}"))

if not layer_names or not statuses:
    st.info("Choose at least one layer and one status.")
    st.stop()

try:
    result = count(path, stamp, region, as_of, tuple(statuses), tuple(layer_names))
except JieguiError as exc:
    stop_with(str(exc))

shown = webmap.pair_interfaces(result.interfaces, region, neighbour)
totals = webmap.layer_totals(shown, layer_names)
drawn = webmap.layers_at(
    {n: source.layers[n] for n in layer_names}, as_of=as_of, statuses=statuses
)
try:
    fmap = webmap.build_map(
        loaded.regions_wgs84,
        drawn,
        shown,
        tiles=tiles or None,
        attribution=source.attribution,
        tile_attribution=tile_attribution,
        highlight=[region, neighbour] if neighbour else [region],
        assets=static_url(),
    )
except JieguiError as exc:
    stop_with(str(exc))

map_column, cards_column = st.columns([2.3, 1], gap="medium")
with cards_column:
    for row in totals.itertuples(index=False):
        with st.container(border=True):
            st.markdown(f"**{row.label}**")
            with st.container(horizontal=True, gap="small"):
                st.metric("Routes", row.routes, width="content")
                st.metric("Interfaces", row.interfaces, width="content")
                st.metric(
                    row.capacity_short.capitalize(),
                    "–" if pd.isna(row.capacity) else f"{row.capacity:,}",
                    width="content",
                    help=row.capacity_label.capitalize()
                    + (f"; {row.missing} interface(s) without data" if row.missing else ""),
                )
with map_column:
    clicked = st_folium(
        fmap,
        key="map",
        height=560,
        use_container_width=True,
        returned_objects=["last_object_clicked_tooltip"],
    )

records = pd.DataFrame(interface_records(result), columns=[*TABLE_COLUMNS, "a"])
table = webmap.pair_interfaces(records, region, neighbour)[TABLE_COLUMNS]
tooltip = (clicked or {}).get("last_object_clicked_tooltip") or ""
picked = [i for i in table["id"] if tooltip.split() and str(i) in tooltip.split()]
if picked:
    st.subheader("Selected interface")
    st.dataframe(table[table["id"] == picked[-1]], hide_index=True)

st.subheader(f"Interfaces · {md(pair_label)}")
if table.empty:
    st.info("No interface between these regions with the chosen layers, year and statuses.")
else:
    st.dataframe(table, hide_index=True)

for warning in result.warnings:
    st.warning(md(warning))
if source.attribution:
    st.caption(md(source.attribution))
st.caption(f"Page computed in {(time.perf_counter() - started) * 1000:.0f} ms.")
