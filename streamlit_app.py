"""Jiegui: cross-border links, counted the way planners count them.

A thin page over ``geo``: the sidebar chooses a source (:mod:`app.source_panel`), a region
and its neighbour, the layers, a year and the counting basis (with panels of its own:
:mod:`app.fetch_panel`, :mod:`app.basis_panel` and :mod:`app.basemap_panel`), which make
one :class:`app.query.PageQuery`; from it :mod:`app.views` derives the map's content, the
counts per layer for the pair, the interfaces, the overview of every border, the warnings
and the attribution, and the page shows them: map, cards (:mod:`app.cards`), tables
(:mod:`app.overview_view`, :mod:`app.report_view`), downloads. Every figure group is
captioned with its year and basis (:func:`geo.basis.caption`); borders the data do not
cover read "not covered". Those results are cached here by the query while the server
runs, and on disk across restarts (:mod:`app.result_cache`). The map is drawn by
:func:`app.webmap.draw_map` with its scripts served from ``static/``. In hosted mode
(``JIEGUI_HOSTED=1``, :mod:`app.hosting`) the page shows no server path.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

# The whole engine first: the server's start-up thread (server.py) may be importing it as
# this runs, and a geo module this run reached first (through a page module) could wait for
# the package while the package waited for it; Python then fails one of the two imports.
import geo  # noqa: F401
from app import (
    compare_view,
    interface_table,
    link_state,
    share_view,
    timeline_view,
    views,
    webmap,
    what_if_map,
    what_if_view,
)
from app.basemap_panel import basemap_panel
from app.basis_panel import CUSTOM, as_report_button, basis_panel
from app.border_views import OverviewDisplay, overview_display, overview_notes
from app.cards import cards, layer_label
from app.fetch_panel import fetch_panel
from app.hosting import apply_streamlit_options, public_text
from app.labels import data_note, error_text, layer_text, one_of, say
from app.language import current, in_this_run
from app.language_switch import language_switch
from app.map_assets import static_url
from app.map_geojson import region_names
from app.map_size import COMPONENT_HEIGHT
from app.overview_view import every_pair_switch, overview_table
from app.page_state import settle
from app.page_text import (
    ALL_NEIGHBOURS,
    md,
    neighbour_label,
    pair_label,
    place,
    title,
    use_places,
    zh_places,
)
from app.query import Keys, PageQuery
from app.read_status import read_progress_note
from app.report_view import report_section
from app.share_section import share_and_print
from app.source_panel import dataset_attribution, dataset_title, source_panel
from app.widget_words import placeholder
from geo.analysis import CrossingResult
from geo.basis import BASES, Basis, caption
from geo.datum import WGS84_DATUM
from geo.errors import JieguiError
from geo.io import border_report, export
from geo.labels import Language
from geo.overview import Overview
from geo.reconcile import default_pair, documented_basis, documented_years, explanations_zh
from layers import LINE_LAYERS, STATUSES

started = time.perf_counter()
st.set_page_config(page_title="Jiegui 接轨", layout="wide")
# The view a link asks for (the URL's parameters, read on a session's first run: each is
# put into its widget below, once the page knows what it offers), and its language (which
# the language switch, first in the sidebar, starts from).
link = share_view.opened_link()


# Caches of values shown as text (headers, labels, places) take the page's language as an
# argument (``lang``), so that one language's texts are never served to the other; those
# of plain values (counts, tables of data, the loaded source) do not. Their spinners say
# what they wait for in the page's language (shown after half a second, so not on a hit).
@st.cache_resource(show_spinner=False, max_entries=8)
def _load(path: str, stamp: str, datum: str = WGS84_DATUM) -> views.Loaded:
    """Load a source once per path, file state (``stamp``) and datum; shared, never mutated.

    An OSM file's reading is reported in a placeholder made here (Streamlit replays what a
    cached function drew, so it must draw in its own block), emptied once it is read.
    """
    note = st.empty()
    try:
        return views.load(path, stamp, datum, progress=read_progress_note(note))
    finally:
        note.empty()


def load(path: str, stamp: str, datum: str = WGS84_DATUM) -> views.Loaded:
    """:func:`_load`, under a spinner in the page's language."""
    with st.spinner(say("loading")):
        return _load(path, stamp, datum)


def loaded_for(query: PageQuery) -> views.Loaded:
    """The query's source, loaded (once, :func:`load`)."""
    return load(query.path, query.stamp, query.datum)


def count(query: PageQuery) -> CrossingResult:
    """The region's crossings for the query, counted once for all the region's neighbours.

    Taken from the history of every year when a comparison keeps one
    (:func:`app.compare_view.kept_count`: the same count); counted otherwise.
    """
    try:
        kept = compare_view.kept_count(query.all_neighbours, first_year, last_year, loaded)
    except JieguiError:
        kept = None  # the comparison shows the error; the page counts the year itself
    if kept is not None:
        return kept
    with st.spinner(say("counting")):
        return count_for_region(query.all_neighbours)


@st.cache_data(show_spinner=False, max_entries=64)
def count_for_region(query: PageQuery) -> CrossingResult:
    """Count the region's crossings with all its neighbours (``query.all_neighbours``)."""
    return views.count(loaded_for(query), query)


def against_documents(path: str, stamp: str, datum: str, region: str) -> pd.DataFrame | None:
    """The dataset's documented figures beside computed ones (None when it has none)."""
    with st.spinner(say("comparing_documents")):
        return _against_documents(path, stamp, datum, region)


@st.cache_data(show_spinner=False, max_entries=8)
def _against_documents(path: str, stamp: str, datum: str, region: str) -> pd.DataFrame | None:
    """:func:`against_documents`, computed once."""
    return views.against_documents(load(path, stamp, datum), region)


@st.cache_data(show_spinner=False, max_entries=8)
def report_of(path: str, stamp: str, datum: str) -> tuple[int | None, Basis | None]:
    """The year of a source's documented figures and their basis (None, None: no report)."""
    folder = load(path, stamp, datum).source.folder
    years = documented_years(folder)
    return (years[0], documented_basis(folder, years[0])) if years else (None, None)


@st.cache_data(show_spinner=False, max_entries=32)
def pair_tables(query: PageQuery) -> views.PairTables:
    """The cards' totals, coverage and interface table of one data state, derived once."""
    source = loaded_for(query).source
    names_zh = zh_places(source.region_set.regions)
    return views.pair_tables(count(query), query, source.coverage, source.layers, names_zh)


@st.cache_data(show_spinner=False, max_entries=16)
def page_beside_report(query: PageQuery) -> list[float | None] | None:
    """The report's measures in the page's basis at the report's year (one per row).

    They depend on the region, statuses and layers only: call with the year and neighbour
    cleared (:func:`beside_key`), so that the cache keeps one entry for every year.
    """
    return views.page_beside_report(loaded_for(query), query)


def beside_key(query: PageQuery) -> PageQuery:
    """``query`` without what the report's measures do not depend on (year, neighbour)."""
    return dataclasses.replace(query.all_neighbours, as_of=None)


def overview_of(query: PageQuery, every_pair: bool) -> Overview:
    """The overview of the region's borders (of every pair: ``every_pair``), counted once."""
    loaded = loaded_for(query)
    result = views.count(loaded, query.all_neighbours, every_pair=True) if every_pair else count(
        query
    )
    return views.overview(loaded, result, query, every_pair=every_pair)


@st.cache_data(show_spinner=False, max_entries=32)
def overview_shown(query: PageQuery, every_pair: bool, lang: Language) -> OverviewDisplay:
    """The overview as the page's table shows it (:func:`app.border_views.overview_display`).

    In the page's language ``lang`` (the key: one entry per language), with the overview's
    coverage notes (:func:`app.border_views.overview_notes`).
    """
    view = overview_of(query.all_neighbours, every_pair)
    source = loaded_for(query).source
    display = overview_display(view, border_header=say("border"), coverage_header=say("coverage"))
    notes = overview_notes(view, source.coverage, zh_places(source.region_set.regions))
    return dataclasses.replace(display, notes=notes)


@st.cache_data(show_spinner=False, max_entries=16)
def overview_file(query: PageQuery, every_pair: bool, fmt: str) -> bytes:
    """The overview as CSV (UTF-8 with a byte order mark, as the CLI writes it) or XLSX."""
    view = overview_of(query.all_neighbours, every_pair)
    source = loaded_for(query).source
    if fmt == "xlsx":
        return border_report.overview_xlsx(
            view, source=source.name, attribution=source.attribution
        )
    return border_report.overview_csv(view).encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=16)
def export_files(
    query: PageQuery, dataset_label: str, year: int
) -> dict[str, tuple[str, bytes, str]]:
    """The downloads of one page state (:func:`geo.io.export.export_files`), built once.

    Keyed by the query they are shown for; the layers, interfaces, ports and counts are
    those of the pair shown, derived from the same cached load and count as the page's
    (:func:`app.views.pair_export`).
    """
    loaded = loaded_for(query)
    pair = views.pair_export(loaded, count(query), query, year)
    return export.export_files(pair, dataset=dataset_label)


@st.cache_data(show_spinner=False, max_entries=32)
def map_content(query: PageQuery, lang: Language) -> webmap.MapContent:
    """What the map draws for one data state (:func:`app.webmap.map_content`), built once.

    Plain text and values, copied out of the cache: each run draws its own map from it. Its
    tooltips, popups, legend and labels are in the page's language ``lang`` (a key of the
    cache).
    """
    return views.map_content(loaded_for(query), count(query), query, lang)


def table_selection(key: str) -> list[int]:
    """Rows selected in the dataframe with ``key`` (read before it is drawn this run)."""
    state = st.session_state.get(key)
    try:
        return [int(r) for r in state["selection"]["rows"]]
    except (KeyError, TypeError):
        return []


def stop_with(error: JieguiError, *, with_title: bool = False) -> None:
    """Show the error in one box (under the page's title when it is not shown yet), then stop.

    In the page's language (:func:`app.labels.error_text`), and in hosted mode without
    server paths (:func:`app.hosting.public_text`).
    """
    if with_title:
        st.title(title())
    st.error(md(public_text(error_text(error))))
    st.stop()


# ---------------------------------------------------------------------------- sidebar

try:
    language_switch()  # first: every text after it is in the language chosen
    apply_streamlit_options()  # the upload limit; in hosted mode no error details
    share_view.seed_source(link)
    share_view.seed_datum(link)  # after the source: a datum only for one's own files
    chosen = source_panel()
except JieguiError as exc:
    stop_with(exc, with_title=True)
if chosen is None:
    st.title(title())
    st.info(say("choose_source"))
    st.stop()
path, stamp, datum, dataset = chosen.path, chosen.stamp, chosen.datum, chosen.dataset

try:
    loaded = load(path, stamp, datum)
except JieguiError as exc:
    stop_with(exc, with_title=True)
source = loaded.source
names = source.region_set.names
use_places(zh_places(source.region_set.regions))  # regions named in the page's language
try:
    default_region, default_neighbour = default_pair(names, source.folder)
except JieguiError as exc:
    stop_with(exc, with_title=True)

st.sidebar.header(say("sidebar_border"))
# Keyed, so that a click on an overview row can set them (app.page_state); the values are
# the data's names, shown in the page's language.
settle(Keys.REGION, default_region, valid=names.__contains__, scope=loaded.key)
# A link may name a region by any of its names (浙江, 浙江省, zhejiang); the URL gets the data's.
known_names = source.region_set.known_names
share_view.seed_choice(link, link_state.REGION, Keys.REGION, names, regions=known_names)
region = st.sidebar.selectbox(
    say("focus_region"),
    names,
    key=Keys.REGION,
    format_func=in_this_run(place),
    placeholder=placeholder(names),
)
neighbours = source.region_set.neighbours(region)
neighbour_options = [*neighbours, ALL_NEIGHBOURS]
settle(
    Keys.NEIGHBOUR,
    default_neighbour if default_neighbour in neighbours else ALL_NEIGHBOURS,
    valid=neighbour_options.__contains__,
    scope=loaded.key,
)
share_view.seed_choice(
    link, link_state.NEIGHBOUR, Keys.NEIGHBOUR, neighbours,
    aliases={link_state.ALL_NEIGHBOURS: ALL_NEIGHBOURS}, regions=known_names,
)  # fmt: skip
neighbour_choice = st.sidebar.selectbox(
    say("neighbour"),
    neighbour_options,
    key=Keys.NEIGHBOUR,
    format_func=in_this_run(neighbour_label),
    placeholder=placeholder(neighbour_options),
)
neighbour = None if neighbour_choice == ALL_NEIGHBOURS else neighbour_choice

fetch_panel(source, region, neighbour)

st.sidebar.header(say("network"))
available_layers = list(views.default_layers(source))
# Keyed (a switch of language keeps it), so its value is settled: every layer for new data.
settle(
    Keys.LAYERS,
    available_layers,
    valid=lambda v: isinstance(v, list) and set(v) <= set(available_layers),
    scope=loaded.key,
)
share_view.seed_names(link, link_state.LAYERS, Keys.LAYERS, available_layers)
layer_names = st.sidebar.multiselect(
    say("layers"),
    available_layers,
    format_func=in_this_run(layer_label),
    key=Keys.LAYERS,
    placeholder=say("choose_options"),
)
# "Now" is the year the data describe: an OSM extract's timestamp, else today.
this_year = views.data_today(loaded)
first_year, last_year = views.year_span(loaded)
if first_year < last_year:
    settle(
        Keys.YEAR, this_year, valid=lambda y: first_year <= int(y) <= last_year, scope=loaded.key
    )
    share_view.seed_year(link, link_state.YEAR, Keys.YEAR, first_year, last_year)
    share_view.seed_year(link, link_state.COMPARE, Keys.COMPARE_YEAR, first_year, last_year)
    year = st.sidebar.slider(
        say("year"),
        min_value=first_year,
        max_value=last_year,
        value=this_year,  # what a value out of range falls back to
        key=Keys.YEAR,
        help=say("year_help", year=this_year),
    )
    as_of = None if year == this_year else year
    compare_view.year_control(first_year, last_year)  # "Compare with year", under the slider
else:
    year, as_of = this_year, None
    link.year(link_state.YEAR, this_year, this_year)  # noted when it is another year
    st.sidebar.caption(say("no_years", year=this_year))
share_view.seed_choice(
    link, link_state.BASIS, Keys.BASIS, [*BASES, CUSTOM], normal=lambda v: v.replace(" ", "+")
)  # a "+" typed into a link reads as a space
share_view.seed_names(link, link_state.STATUSES, Keys.STATUSES, STATUSES)
statuses = basis_panel()
# The report's basis and year, for "Count as the report does" (embedded datasets only).
report_year, report_basis = report_of(path, stamp, datum)
set_year = report_year if report_year and first_year <= report_year <= last_year else None
counts_as_report = report_basis is not None and set(statuses) == set(report_basis.statuses) and (
    set_year is None or year == set_year
)
with st.sidebar:
    as_report_button("sidebar", report_basis, set_year, counts_as_report=counts_as_report)
tiles, tile_attribution = basemap_panel(loaded.regions_wgs84)

query = PageQuery(
    path, stamp, datum, region, neighbour, as_of, tuple(statuses), tuple(layer_names)
)
# The choices into the URL now (the map's view follows the map), for a run that stops early.
choices = share_view.page_choices(
    query, link_name=chosen.link_name, year=int(year),
    compare=compare_view.chosen_year(first_year, last_year),
)  # fmt: skip
share_view.write_params(choices, keep_view=True)

# ------------------------------------------------------------------------- main area

source_title = dataset_title(path) if source.folder is not None else source.name
# The data's credit in the page's language (an embedded dataset has it in both).
credit = dataset_attribution(path) if source.folder is not None else source.attribution
shown_pair = pair_label(region, neighbour)
st.title(title())
# "as of 2006, open + under construction", beside every figure group
counted = one_of(caption(statuses, year)) if statuses else say("choose_status")
st.caption(md(f"{source_title} · {shown_pair} · {counted}"))
link_notes = st.empty()  # what a link asked for that the page does not offer

if not layer_names or not statuses:
    if not available_layers:
        st.info(say("no_lines", names=", ".join(LINE_LAYERS)))
    else:
        st.info(say("choose_layer") if statuses else say("choose_status"))
    # What the loader noted (features left out, polygons repaired, layers not read) is said
    # even so: with nothing counted, it may be why.
    for warning in source.region_set.warnings:
        st.warning(md(public_text(data_note(warning))))
    st.stop()

try:
    result = count(query)
except JieguiError as exc:
    stop_with(exc)

tables = pair_tables(query)
totals, table = tables.totals, tables.table
table_key = Keys.interface_table(table["id"])
rows = [r for r in table_selection(table_key) if 0 <= r < len(table)]
# The row selected in the table, else the interface a link selected.
selected_id = share_view.selected_interface(
    str(table.at[rows[0], "id"]) if rows else None, table["id"]
)
content = map_content(query, current())
# Where the map opens: a link's view, where the user left it (a map drawn anew for the same
# border), or fitted to a new border (app.share_view.start_view).
opening = share_view.start_view(
    share_view.border_key(query),
    share_view.drawn_key(query, tiles, tile_attribution, credit),
    selected_id,
)


def draw_page_map() -> folium.Map:
    """A new map each run, from the cached content.

    It renders the same script as long as the data are the same, so st_folium keeps its
    iframe and only the selection changes.
    """
    return webmap.draw_map(
        content,
        tiles=tiles or None,
        attribution=credit,
        tile_attribution=tile_attribution,
        assets=static_url(st.get_option("server.baseUrlPath")),
        view=None if opening is None else (opening.center, opening.zoom),
    )


try:
    draw_page_map()  # a bad tile URL is said before the page goes on
except JieguiError as exc:
    stop_with(exc)
# The what-if view's state (its widgets are drawn under the interface table): its rings and
# detours go on the map.
what_if = what_if_view.prepare(loaded, query, table, zh=current() == "zh")
# Where the drawn map is sent: a newly selected interface (else it stays).
view = share_view.map_view(content, selected_id)
# The year compared with the slider's, if one is chosen: its rings go on the map.
years = compare_view.compared_or_error(loaded, query, int(year), first_year, last_year)
dataset_label = (
    dataset if source.folder is not None and path == dataset else Path(path).stem.split(".")[0]
)
pair_part = export.pair_slug(region, neighbour)

# The tables wait for the map. Laying out their data grids (and, on a browser's first
# visit, loading their scripts) held the map's first paint back by 0.15-0.4 s
# (benchmarks/README.md). So a session's first run leaves them out; the map reports its
# view once it is drawn, and that report reruns the page, which then shows the tables.
# Any other rerun does too. The map reports its view after each move as well, for the
# page's link (app.share_view): a rerun per move, in which everything is cached.
first_run = not st.session_state.get(Keys.SHOWN_ONCE, False)
st.session_state[Keys.SHOWN_ONCE] = True
map_column, cards_column = st.columns([2.3, 1], gap="medium")
with cards_column:
    cards(
        tables,
        heading=f"{shown_pair} · {counted}",
        expand_notes=neighbour is not None and (tables.covers["state"] == "not").all(),
    )


def map_and_link() -> None:
    """The map, the view in the URL and the share section.

    The map reports its view once drawn and after each move, and a marker or ring clicked;
    each report reruns the whole page (from the caches). It once ran in an ``st.fragment``
    so that a move reran only this; Streamlit's frontend then sent a sidebar change made
    while the map reported as the fragment's rerun, or blanked the page (docs/share-and-print.md,
    "Why the map is not in a fragment").
    """
    clicked = st_folium(
        draw_page_map(),
        key=Keys.MAP,
        # The frame's height is set in the browser, by the window or the height chosen in
        # the basemap panel (app.map_size): this is its height until that style applies.
        height=COMPONENT_HEIGHT,
        use_container_width=True,
        returned_objects=[webmap.CLICK_REPORT, webmap.CLICK_COUNT, *link_state.VIEW_REPORT],
        feature_group_to_add=compare_view.map_groups(
            webmap.selection_layer(content, selected_id), years, content,
            what_if_view.map_group(what_if, content),
        ),
        center=view[0] if view else None,
        zoom=view[1] if view else None,
        # What st_folium sends is made by rendering the map itself; rendering its whole
        # page first as well (render=True) changed none of it and took 4.5 of 11 ms.
        render=False,
    )
    state = st.session_state
    # The view in the URL (when it changed), its link, and the map as HTML, PNG and PDF.
    share_and_print(
        query, choices=choices, link_name=chosen.link_name, year=int(year), years=years,
        content=content, report=clicked, selected=selected_id, source_title=source_title,
        pair=shown_pair, counted=counted, attribution=credit, notes_box=None,
        file_name=lambda ext: export.file_name(
            dataset_label, pair_part, year, "map", ext, basis=export.basis_slug(statuses)
        ),
    )  # fmt: skip
    click = webmap.clicked_interface(clicked)
    if click is None and what_if_map.clicked_toggle(clicked) is not None:
        click = state.get(Keys.CLICK_SEEN)  # a what-if ring clicked: the marker stays picked
    state[Keys.CLICK_SEEN] = click  # the marker clicked last, named under the map


with map_column:
    map_and_link()
share_view.show_notes(link_notes)
clicked = st.session_state.get(Keys.MAP)

# The planner's columns first, the engine's behind a switch (app.interface_table).
engine_fields = bool(st.session_state.get(Keys.ENGINE_FIELDS, False))
planner = interface_table.planner_table(table, region_names(loaded.regions_wgs84))
shown_columns = interface_table.shown_columns(engine=engine_fields)
column_config = {
    column: st.column_config.Column(header)
    for column, header in interface_table.headers(shown_columns).items()
}
# The marker clicked last, else (on a first run, which has no table yet) a link's interface.
picked_id = st.session_state.get(Keys.CLICK_SEEN) or (
    share_view.linked_interface() if first_run else None
)
picked = planner[table["id"].astype(str) == picked_id]
if not picked.empty:
    st.subheader(say("selected_interface"))
    st.dataframe(
        picked, hide_index=True, column_order=shown_columns, column_config=column_config
    )

st.subheader(say("interfaces_heading", pair=md(shown_pair)))
if table.empty:
    st.info(say("no_interface"))
elif first_run:
    st.caption(say("table_follows", n=len(table)))
else:
    st.caption(say("select_row"))
    st.toggle(say("engine_fields"), key=Keys.ENGINE_FIELDS, help=say("engine_fields_help"))
    with st.container(key=Keys.INTERFACE_TABLE):
        st.dataframe(
            planner,
            hide_index=True,
            on_select="rerun",
            selection_mode="single-row",
            key=table_key,
            column_order=shown_columns,
            column_config=column_config,
            # A link's interface is the table's selected row (until the user selects another).
            selection_default=share_view.row_selection(table["id"]),
        )

# What if interfaces of the border close: detours, min cut, critical interfaces.
if not first_run:
    what_if_view.show(
        what_if,
        file_name=lambda what, ext: export.file_name(
            dataset_label, pair_part, year, what, ext, basis=export.basis_slug(statuses)
        ),
        attribution=credit,
    )

# Every border of the region (or of the source) × layer; a row clicked focuses that border.
every_pair = bool(st.session_state.get(Keys.EVERY_PAIR, False))
with st.container(horizontal=True, vertical_alignment="bottom"):
    st.subheader(
        say("overview_all") if every_pair else say("overview_region", region=md(place(region)))
    )
    every_pair = every_pair_switch()
if first_run:
    st.caption(md(counted))
else:
    scope = "every-pair" if every_pair else f"{region}-borders"
    overview_table(
        overview_shown(query, every_pair, current()),
        region=region,
        neighbour=neighbour,
        caption=counted,
        downloads=[
            (
                say(f"overview_{fmt}"),
                export.file_name(
                    dataset_label, scope, year, "overview", fmt, basis=export.basis_slug(statuses)
                ),
                lambda fmt=fmt: overview_file(query, every_pair, fmt),
                mime,
            )
            for fmt, mime in (("csv", export.CSV_MIME), ("xlsx", export.XLSX_MIME))
        ],
    )

documented = (
    against_documents(path, stamp, datum, region)
    if source.folder is not None and not first_run
    else None
)
if documented is not None and not documented.empty:
    report_section(
        documented,
        page_beside_report(beside_key(query)),
        statuses=statuses,
        report_basis=report_basis,
        set_year=set_year,
        counts_as_report=counts_as_report,
        explanations_zh=(
            explanations_zh(source.folder)
            if source.folder is not None and current() == "zh"
            else None
        ),
    )

# Two years side by side (a card under the cards, what changed) and the growth over time.
compare_view.show(
    years, cards=cards_column, first_run=first_run, dataset_label=dataset_label,
    source_name=source.name, attribution=source.attribution,
)  # fmt: skip
timeline_view.show(
    loaded, query, first_year, last_year, first_run=first_run, dataset_label=dataset_label
)

st.subheader(say("export"))
export_args = (query, dataset_label, int(year))  # what the downloads are built from


def download(label: str, what: str, ext: str, item: str) -> None:
    """A download button whose bytes are built on click (cached by the page's inputs)."""
    st.download_button(
        label,
        data=lambda args=export_args, item=item: export_files(*args)[item][1],
        file_name=export.file_name(
            dataset_label, pair_part, year, what, ext, basis=export.basis_slug(statuses)
        ),
        mime=export.MIME[ext],
        on_click="ignore",
        key=Keys.download(item),
    )


with st.container(horizontal=True, gap="small"):
    download(say("download_zip"), "all", "zip", "zip")
    download(say("download_gpkg"), "all", "gpkg", "gpkg")
    for name in layer_names:
        download(say("download_layer", layer=layer_text(name)), name, "geojson", name)
    download(say("download_interfaces"), "interfaces", "geojson", "interfaces")
    download(say("download_counts"), "counts", "csv", "counts")
    download(say("download_history"), "history", "csv", "history")
st.caption(md(say("export_caption", caption=counted)))

for warning in result.warnings:
    st.warning(md(public_text(data_note(warning))))
if credit:
    st.caption(md(credit))
st.caption(say("page_time", ms=f"{(time.perf_counter() - started) * 1000:.0f}"))
