"""The what-if view of the border in focus: close interfaces, see the detours and the impact.

Under the interface table, behind a switch (nothing is routed until it is on): a band
(:data:`BAND_KM`) and up to :data:`MAX_CLOSED` interfaces of the border to close together,
chosen in a list by route number and name. The page's map shows every interface of the
border by criticality and the routes the trips take with the chosen set closed
(:mod:`app.what_if_map`); cards give the min cut (all crossings, counted interfaces only)
and the number of critical interfaces per layer; the table (:mod:`app.what_if_table`) the
closure of the chosen set and of each interface alone; both download as CSV and GeoJSON.

Closing by a click on the map: each interface of the border is ringed, and a click on its
ring closes it, or opens it again (:func:`take_click`, read before the list is drawn, so
the list follows); a click on the marker inside still selects it for the interface table
(:func:`app.webmap.clicked_interface`). The list stays the visible record of what is
closed: it says which are, holds several and is bounded (``max_selections``; a click that
would close one more than :data:`MAX_CLOSED` is refused with a note, and a ring id the
page did not offer with an error box).

The engine is :func:`geo.what_if.what_if` on the dataset's shipped network
(:func:`geo.io.network_data.dataset_network`), a fetched package's network band
(:func:`geo.io.sources.package_network`, ``fetch --network-km``), or else the source's own
lines, and
Natural Earth's places (:func:`geo.io.places.default_places`). Its results are cached by
the page's query, band and closed set (each interface alone: once per band), so a change
of language or a map move reruns nothing. The state is read before the map is drawn
(:func:`prepare`), the widgets drawn below it (:func:`show`), as the interface table's
selection is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st

from app import webmap, what_if_map, what_if_table
from app.cards import layer_label
from app.hosting import public_text
from app.labels import error_text, one_of, say
from app.language import current
from app.page_text import md
from app.query import Keys, PageQuery
from app.views import Loaded
from app.webmap import MapContent
from geo.border_network import BAND_M
from geo.errors import JieguiError
from geo.io import export
from geo.io.network_data import dataset_network
from geo.io.places import default_places
from geo.io.sources import package_network
from geo.resilience import CRITICAL_MIN, ResilienceResult
from geo.what_if import CONNECT_M, ROUTABLE_LAYERS, what_if

#: Most interfaces closed at once (bounded work on a shared server).
MAX_CLOSED = 5
#: Longest id an error box quotes from a ring click the page did not offer (characters).
QUOTED_ID = 80
#: The band's half-width: bounds, step and default (km).
BAND_KM = (10, 120)
BAND_STEP = 10
DEFAULT_BAND_KM = int(BAND_M / 1000)


@dataclass
class Prepared:
    """The view's state in one run: what the map and the section show.

    Attributes
    ----------
    options
        The border's interfaces that can be closed: ``{id: label}`` (route number, name).
    refs, routes
        ``{id: route number}``, ``{id: name in the page's language}``.
    closed
        The ids closed together (validated).
    band_km
        The band's half-width.
    singles, together
        Each interface closed alone; the set closed (empty when none is).
    message
        Why nothing is analysed (a text key of :data:`app.labels.TEXT`), or None.
    error
        A bad choice or an engine error, as the page's error box says it.
    notice
        Why a click on a ring closed nothing (the set is full), or None.
    """

    options: dict[str, str] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
    routes: dict[str, str] = field(default_factory=dict)
    closed: tuple[str, ...] = ()
    band_km: int = DEFAULT_BAND_KM
    singles: list[ResilienceResult] = field(default_factory=list)
    together: list[ResilienceResult] = field(default_factory=list)
    message: str | None = None
    error: str | None = None
    notice: str | None = None


@st.cache_resource(show_spinner=False, max_entries=4)
def _network(
    folder: str | None, path: str, stamp: str, layers: tuple[str, ...]
) -> tuple[dict[str, gpd.GeoDataFrame], float | None]:
    """The network routed on and the connectors' limit, read once; shared, never mutated.

    An embedded dataset's shipped graph (its own lines joined to it by connectors up to
    :data:`geo.what_if.CONNECT_M`), else a fetched package's network band (the same data
    as its lines: no connectors), else none. ``stamp``: the file's state (a key only).
    """
    if folder:
        return dataset_network(Path(folder), layers), CONNECT_M
    network = package_network(path, layers)
    return network, (None if network else CONNECT_M)


@st.cache_resource(show_spinner=False, max_entries=1)
def _places() -> gpd.GeoDataFrame:
    """Natural Earth's populated places, read once; shared, never mutated."""
    return default_places()


@st.cache_data(show_spinner=False, max_entries=32)
def results(
    _loaded: Loaded,
    key: tuple[str, str, str, str],
    query: PageQuery,
    layers: tuple[str, ...],
    band_km: int,
    close: tuple[tuple[str, ...], ...] | None,
) -> list[ResilienceResult]:
    """:func:`geo.what_if.what_if` for the query's border, cached by ``key`` (the source's).

    ``close``: sets closed together, one per layer; None for each interface alone.
    """
    source = _loaded.source
    folder = str(source.folder) if source.folder is not None else None
    assert query.neighbour is not None
    network, connect_m = _network(folder, query.path, query.stamp, layers)
    return what_if(
        source.layers,
        source.region_set,
        query.region,
        query.neighbour,
        layer_names=layers,
        network=network,
        connect_m=connect_m,
        places=_places(),
        band_m=band_km * 1000.0,
        close=[list(s) for s in close] if close is not None else None,
        as_of=query.as_of,
        statuses=query.statuses,
    )


def _names(table: pd.DataFrame, lang_zh: bool) -> tuple[dict[str, str], dict[str, str]]:
    """``{id: route number, else name}`` and ``{id: name in the page's language}``."""
    refs, routes = {}, {}
    for row in table.to_dict("records"):
        ident = str(row["id"])
        zh, en = (row.get(k) for k in ("name_zh", "name_en"))
        first, second = (zh, en) if lang_zh else (en, zh)
        name = next((v for v in (first, second, row.get("name")) if isinstance(v, str) and v), "")
        routes[ident] = name
        # A line without a route number (most railways) goes by its name.
        refs[ident] = str(row.get("ref") or "").replace(";", " / ") or name
    return refs, routes


def validate(
    closed: object, options: Mapping[str, str], band: object
) -> tuple[tuple[str, ...], int, str | None]:
    """The closed set and band read from the page's state, and what is wrong with them.

    Returns the set (empty when bad), the band (the default when bad) and an error text in
    the page's language, or None.
    """
    error = None
    ids: tuple[str, ...] = ()
    if isinstance(closed, (list, tuple)):
        ids = tuple(str(i) for i in closed)
    unknown = [i for i in ids if i not in options]
    if unknown:
        error, ids = say("wi_unknown", what=unknown[0]), ()
    elif len(ids) > MAX_CLOSED:
        error, ids = say("wi_too_many", n=len(ids), max=MAX_CLOSED), ()
    try:
        km = int(float(band))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        km = -1
    if not BAND_KM[0] <= km <= BAND_KM[1]:
        error = error or say("wi_bad_band", low=BAND_KM[0], high=BAND_KM[1], got=band)
        km = DEFAULT_BAND_KM
    return ids, km, error


def _click_count(report: object) -> int | None:
    """The map's count of clicks on features (None before any report, or a bad value)."""
    count = report.get(webmap.CLICK_COUNT) if isinstance(report, Mapping) else None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def take_click(report: object) -> str | None:
    """The interface whose ring the map reports clicked since the last call, else None.

    Each click is read once: the map's click count (:data:`app.webmap.CLICK_COUNT`) is
    kept in the session, and a report whose count was read already gives None (a map
    loaded anew starts counting from 0, which reads as new and names no ring).
    """
    state = st.session_state
    count = _click_count(report)
    if count is None or count == state.get(Keys.WHAT_IF_CLICKS):
        return None
    state[Keys.WHAT_IF_CLICKS] = count
    return what_if_map.clicked_toggle(report if isinstance(report, Mapping) else None)


def toggled(
    closed: object, ident: str, options: Mapping[str, str]
) -> tuple[list[str], str | None, str | None]:
    """The closed set after a click on ``ident``'s ring: opened if closed, else closed.

    Returns the set, an error (an id the page did not offer: the click is refused) and a
    notice (the set holds :data:`MAX_CLOSED` already: the click is refused), in the page's
    language. The set is returned as it was (a list) when the click is refused.
    """
    ids = [str(i) for i in closed] if isinstance(closed, (list, tuple)) else []
    if ident in ids:
        return [i for i in ids if i != ident], None, None
    if ident not in options:  # a crafted report: quoted, cut short
        shown = ident if len(ident) <= QUOTED_ID else ident[: QUOTED_ID - 1] + "…"
        return ids, say("wi_unknown", what=shown), None
    if len(ids) >= MAX_CLOSED:
        return ids, None, say("wi_click_full", n=len(ids))
    return [*ids, ident], None, None


def prepare(loaded: Loaded, query: PageQuery, table: pd.DataFrame, *, zh: bool) -> Prepared | None:
    """The view's state and results for this run; None while its switch is off.

    Parameters
    ----------
    loaded
        The page's source.
    query
        The page's choices (the border in focus, year, statuses, layers).
    table
        The pair's interface table (:attr:`app.views.PairTables.table`).
    zh
        Whether the page is in Chinese (the interfaces' names).
    """
    state = st.session_state
    # A ring clicked is read on every run, so that one clicked while the view was off (a
    # map not redrawn yet) is not taken later.
    click = take_click(state.get(Keys.MAP))
    if not state.get(Keys.WHAT_IF, False):
        return None
    if query.neighbour is None:
        return Prepared(message="wi_choose_neighbour")
    layers = tuple(n for n in query.layer_names if n in ROUTABLE_LAYERS)
    if not layers:
        return Prepared(message="wi_no_layer")
    mine = table[table["layer"].isin(layers)] if len(table) else table
    refs, routes = _names(mine, zh)
    options = {i: " · ".join(dict.fromkeys(p for p in (refs[i], routes[i]) if p)) for i in refs}
    chosen: object = state.get(Keys.WHAT_IF_CLOSED, [])
    click_error = notice = None
    if click is not None:  # the list follows the map (it is drawn below, after this)
        chosen, click_error, notice = toggled(chosen, click, options)
        state[Keys.WHAT_IF_CLOSED] = chosen
    closed, band, error = validate(chosen, options, state.get(Keys.WHAT_IF_BAND, DEFAULT_BAND_KM))
    if error is not None:  # the widgets start again from what is valid
        state[Keys.WHAT_IF_CLOSED] = list(closed)
        state[Keys.WHAT_IF_BAND] = band
    out = Prepared(options, refs, routes, closed, band, error=error or click_error, notice=notice)
    try:
        with st.spinner(say("wi_working")):
            out.singles = results(loaded, loaded.key, query, layers, band, None)
            if closed:
                touched = tuple(n for n in layers if any(i.startswith(f"{n}/") for i in closed))
                sets = tuple(tuple(i for i in closed if i.startswith(f"{n}/")) for n in touched)
                out.together = results(loaded, loaded.key, query, touched, band, sets)
    except JieguiError as exc:
        out.error = public_text(error_text(exc))
    return out


def map_group(prepared: Prepared | None, content: MapContent) -> folium.FeatureGroup | None:
    """The view's rings and detours as a group for the page's map (None: nothing to draw)."""
    if prepared is None or not prepared.singles:
        return None
    labels = {i: prepared.options.get(i, i) for i in prepared.options}
    features = what_if_map.what_if_features(
        prepared.singles, prepared.together, prepared.closed, content, labels,
        _place_words(prepared),
    )  # fmt: skip
    return what_if_map.what_if_layer(features)


def _place_words(prepared: Prepared) -> dict[str, str]:
    """``{place name: its name in the page's language}`` of the places routed between."""
    words: dict[str, str] = {}
    zh = current() == "zh"
    for result in prepared.singles:
        for row in result.places.to_dict("records"):
            name = str(row.get("name") or "")
            pick = row.get("name_zh") if zh else row.get("name_en")
            words[name] = pick if isinstance(pick, str) and pick else name
    return words


def show(
    prepared: Prepared | None, *, file_name: Callable[[str, str], str], attribution: str
) -> None:
    """The section: heading, switch, band, interfaces to close, cards, table, downloads.

    Parameters
    ----------
    prepared
        :func:`prepare`'s state (None: the switch is off).
    file_name
        ``file_name(what, ext)``: a download's file name, as the page's others.
    attribution
        The data's credit, written into the GeoJSON.
    """
    st.subheader(say("wi_heading"))
    st.toggle(say("wi_switch"), key=Keys.WHAT_IF, help=say("wi_switch_help"))
    if prepared is None:
        return
    if prepared.message is not None:
        st.info(say(prepared.message))
        return
    with st.container(horizontal=True, gap="medium", vertical_alignment="bottom"):
        st.slider(
            say("wi_band"), min_value=BAND_KM[0], max_value=BAND_KM[1], step=BAND_STEP,
            value=prepared.band_km, key=Keys.WHAT_IF_BAND, help=say("wi_band_help"), width=260,
        )  # fmt: skip
        st.multiselect(
            say("wi_close"),
            list(prepared.options),
            key=Keys.WHAT_IF_CLOSED,
            format_func=lambda i: prepared.options.get(i, i),
            max_selections=MAX_CLOSED,
            help=say("wi_close_help", n=MAX_CLOSED),
            placeholder=say("choose_options"),
        )
    if prepared.error is not None:
        st.error(md(prepared.error))
    if prepared.notice is not None:
        st.warning(md(prepared.notice))
    if not prepared.singles:
        return
    _cards(prepared.singles)
    places = _place_words(prepared)
    comma = "、" if current() == "zh" else ", "
    st.caption(md(say("wi_places", places=comma.join(dict.fromkeys(places.values())))))
    table = what_if_table.closures_table(
        prepared.singles, prepared.together, refs=prepared.refs, routes=prepared.routes,
        layer_words={n: layer_label(n) for n in ROUTABLE_LAYERS},
    )  # fmt: skip
    if prepared.together and not any(
        int(r.interfaces["pairs_moved"].sum()) for r in prepared.together
    ):
        st.info(say("wi_no_detour"))
    st.markdown(f"**{md(say('wi_table'))}**")
    with st.container(key="what-if-table"):
        st.dataframe(
            table,
            hide_index=True,
            column_order=list(what_if_table.SHOWN_COLUMNS),
            column_config=_column_config(table),
        )
    shown = [*prepared.together, *prepared.singles]
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            say("wi_download_csv"),
            data=what_if_table.closures_csv(table),
            file_name=file_name("what-if", "csv"),
            mime=export.CSV_MIME,
            on_click="ignore",
            key="download-what-if-csv",
        )
        st.download_button(
            say("wi_download_geojson"),
            data=lambda: what_if_table.routes_geojson(shown, attribution=attribution),
            file_name=file_name("what-if-routes", "geojson"),
            mime=export.GEOJSON_MIME,
            on_click="ignore",
            key="download-what-if-geojson",
        )
    for result in prepared.singles:  # each layer's notes, named by their layer
        for warning in result.warnings:
            text = public_text(one_of(warning))
            st.caption(md(say("wi_note", layer=layer_label(result.layer), text=text)))


def _column_config(table: pd.DataFrame) -> dict[str, Any]:
    """The table's headers and helps; the scenario column as wide as its words."""
    helps = what_if_table.helps()
    config: dict[str, Any] = {
        c: st.column_config.Column(h, help=helps.get(c)) for c, h in what_if_table.headers().items()
    }
    scenario = what_if_table.headers()["scenario"]
    width = what_if_table.column_width([scenario, *table["scenario"]])
    config["scenario"] = st.column_config.Column(scenario, width=width)
    return config


def _cards(singles: list[ResilienceResult]) -> None:
    """One card per layer: min cut, through counted interfaces, critical interfaces."""
    with st.container(horizontal=True, gap="small"):
        for result in singles:
            with st.container(border=True, key=f"what-if-card-{result.layer}", width="content"):
                st.markdown(f"**{md(layer_label(result.layer))}**")
                with st.container(horizontal=True, gap="small"):
                    st.metric(
                        say("wi_min_cut"),
                        result.min_cut,
                        help=say("wi_min_cut_help"),
                        width="content",
                    )
                    st.metric(
                        say("wi_min_cut_counted"), result.min_cut_counted,
                        help=say("wi_min_cut_counted_help"), width="content",
                    )  # fmt: skip
                    st.metric(
                        say("wi_critical"), len(result.critical),
                        help=say("wi_critical_help", min=f"{CRITICAL_MIN:g}"), width="content",
                    )  # fmt: skip
