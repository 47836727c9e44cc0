"""The page's two years side by side: the year on the slider and another one.

The sidebar's "Compare with year" (:func:`year_control`, under the year slider) names a
second year. With one chosen, :func:`compared` sets the two side by side for the focus
border (or all the region's borders), and the page shows:

* on the map, a ring around each interface that opened, changed or closed in between, with
  its legend (:func:`map_groups`, :mod:`app.compare_map`);
* under the cards, a card with both years' routes, interfaces and capacity per layer and
  the change, a layer partly covered marked so, and why the border is not wholly covered
  folded under it (:func:`show`);
* a "What changed" table: each interface that opened, closed, widened or narrowed or
  changed status, with the year it happened and the sources, and the comparison as CSV and
  JSON, as the command line writes them (``--compare A B``).

The counts come from :func:`app.year_history.year_history`, every year of the slider
counted once, kept here per :func:`app.year_history.history_query` (source, datum,
region, statuses, layers) and span: a comparison of any two years then takes two
overviews and their difference. The second year is not part of the page's
:class:`app.query.PageQuery`, which keys what the rest of the page computes (a change of
it recomputes nothing else); these caches are keyed by that query and the years.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Literal

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app import compare_tables, year_history
from app import years_text as tx
from app.cards import note_md
from app.compare_map import change_layer
from app.hosting import public_text
from app.labels import error_text
from app.language import current, in_this_run
from app.page_text import CODE_MARK, md, md_with_code, pair_label, zh_places
from app.query import Keys, PageQuery
from app.views import Loaded
from app.webmap import MapContent
from app.widget_words import placeholder
from geo.analysis import CrossingResult
from geo.basis import statuses_label
from geo.compare import Comparison
from geo.errors import JieguiError
from geo.io import export
from geo.labels import Language
from geo.overview import PORTS, Overview
from geo.text import Bilingual

#: What a comparison's file names say after the pair and years.
FILE_PART = "compare"
JSON_MIME = "application/json"


@dataclass(frozen=True)
class Compared:
    """The page's two years, compared.

    Attributes
    ----------
    query
        The page's choices.
    map_year, other_year
        The year on the slider (the map's) and the one compared with it.
    border
        The focus border's comparison (every border of the region without a neighbour),
        card and table; None when the year chosen is the slider's own.
    ports
        The source's ports layer, which places the ports on the map.
    """

    query: PageQuery
    map_year: int
    other_year: int
    border: BorderChanges | None
    ports: gpd.GeoDataFrame | None


#: The choice of "Compare with year" that compares with none: a value, not Streamlit's empty
#: box (which the language switch could not relabel, :mod:`app.language_switch`).
NO_YEAR = 0


def year_control(first_year: int, last_year: int) -> int | None:
    """Draw "Compare with year" in the sidebar; return the year chosen (None: no comparison).

    The newest year first, after :data:`NO_YEAR`; a year kept from other data that is not
    among these is dropped.
    """
    options = [NO_YEAR, *range(last_year, first_year - 1, -1)]
    if st.session_state.get(Keys.COMPARE_YEAR) not in options:
        st.session_state.pop(Keys.COMPARE_YEAR, None)
    chosen: int = st.sidebar.selectbox(
        tx.text("compare_with"),
        options,
        format_func=in_this_run(_year_label),
        key=Keys.COMPARE_YEAR,
        placeholder=placeholder(options),
        help=tx.text("compare_help"),
    )
    return None if chosen == NO_YEAR else chosen


def _year_label(year: int) -> str:
    """A choice of "Compare with year": the year, or "none"."""
    return tx.text("compare_none") if year == NO_YEAR else str(year)


def chosen_year(first_year: int, last_year: int) -> int | None:
    """The year to compare with, as chosen in the sidebar (None when none, or out of range).

    Read from the session state, so the map, drawn before the rest, knows it.
    """
    year = st.session_state.get(Keys.COMPARE_YEAR)
    if not isinstance(year, int) or year == NO_YEAR or first_year >= last_year:
        return None
    return year if first_year <= year <= last_year else None


def kept_count(
    query: PageQuery, first_year: int, last_year: int, loaded: Loaded
) -> CrossingResult | None:
    """The year's count from the history of every year, when the page has one at hand.

    The history (:func:`history`) holds the page's own count of each year: the same count
    (:func:`geo.timeline.results_by_year` equals :func:`geo.analysis.count_crossings`,
    clipped-line warning included; a test checks every year), so taking it saves counting
    a year new to the page (some 80-100 ms). It is at hand when a comparison or the
    growth chart is on (their runs need it anyway), or when it is kept in memory or on
    disk (:func:`app.year_history.is_kept`: the server prepares the first view's region in
    every named basis as it starts). None otherwise, for the data as tagged (``as_of``
    None) or for a year outside the span: the page counts then.
    """
    year = query.as_of
    if year is None or first_year >= last_year:
        return None
    wanted = year_history.history_query(query)
    in_use = chosen_year(first_year, last_year) is not None or bool(
        st.session_state.get(Keys.GROWTH)
    )
    if not (in_use or year_history.is_kept(loaded, wanted, first_year, last_year)):
        return None
    result = history(wanted, first_year, last_year, loaded).results.get(year)
    # Years of one network share a result object: give this one its own year.
    return None if result is None else dataclasses.replace(result, as_of=year)


def history(
    query: PageQuery, first_year: int, last_year: int, _loaded: Loaded
) -> year_history.YearHistory:
    """Every year of the span counted once (:func:`_history`), under a spinner.

    The spinner speaks the page's language (shown after half a second: not when kept).
    """
    with st.spinner(tx.text("spinner_history")):
        return _history(query, first_year, last_year, _loaded)


@st.cache_resource(show_spinner=False, max_entries=8)
def _history(
    query: PageQuery, first_year: int, last_year: int, _loaded: Loaded
) -> year_history.YearHistory:
    """Every year of the span counted once (:func:`app.year_history.year_history`).

    Keyed by :func:`app.year_history.history_query` (which names the loaded source) and the
    span; shared by every session, never changed.
    """
    return year_history.year_history(_loaded, query, first_year, last_year)


@st.cache_resource(show_spinner=False, max_entries=128)
def year_overview(
    query: PageQuery, first_year: int, last_year: int, year: int, _loaded: Loaded
) -> Overview:
    """The region's borders in one year (:func:`app.year_history.overview_at`), kept."""
    counted = history(query, first_year, last_year, _loaded)
    return year_history.overview_at(_loaded, query, counted, year)


@st.cache_resource(show_spinner=False, max_entries=64)
def region_comparison(
    query: PageQuery,
    first_year: int,
    last_year: int,
    year_a: int,
    year_b: int,
    _loaded: Loaded,
) -> Comparison:
    """The region's borders in years A and B (:func:`app.year_history.compare`), kept.

    Each year's overview is kept too, so another year set beside one already shown costs
    one overview and the difference.
    """
    counted = history(query, first_year, last_year, _loaded)

    def overview(year: int) -> Overview:
        return year_overview(query, first_year, last_year, year, _loaded)

    return year_history.compare(_loaded, query, counted, year_a, year_b, overviews=overview)


@st.cache_resource(show_spinner=False, max_entries=128)
def border_figures(
    query: PageQuery, first_year: int, last_year: int, year: int, _loaded: Loaded
) -> pd.DataFrame:
    """The focus border's figures in one year, as the cards count them, kept.

    ``query`` without the slider's year (:func:`app.compare_tables.year_figures`).
    """
    view = year_overview(
        year_history.history_query(query), first_year, last_year, year, _loaded
    )
    return compare_tables.year_figures(view, query.region, query.neighbour, query.layer_names)


@dataclass(frozen=True)
class BorderChanges:
    """What the page shows of one border's comparison, derived once per border and years.

    Attributes
    ----------
    comparison
        The border's counts and changes (:func:`app.year_history.pair_comparison`).
    card
        The change card's markdown (:func:`app.compare_tables.card_markdown`).
    table
        The "What changed" table (:func:`app.compare_tables.change_table`).
    headers
        Its columns' headers (:func:`app.compare_tables.change_headers`).
    notes
        Why the border is not wholly covered in either year, and what would cover it
        (:func:`app.compare_tables.coverage_notes`), folded under the card.
    """

    comparison: Comparison
    card: str
    table: pd.DataFrame
    headers: dict[str, str]
    notes: tuple[Bilingual, ...] = ()


@st.cache_resource(show_spinner=False, max_entries=64)
def border_changes(
    query: PageQuery,
    first_year: int,
    last_year: int,
    year_a: int,
    year_b: int,
    lang: Language,
    _loaded: Loaded,
    _names_zh: Mapping[str, str] | None = None,
) -> BorderChanges:
    """The focus border's comparison, card and table (``query`` without the slider's year).

    The card and table are text in the page's language ``lang``: one entry per language;
    ``_names_zh`` are the source's features' Chinese names (:attr:`app.views.Loaded.names_zh`),
    the same for the source ``query`` names.
    """
    whole = region_comparison(
        year_history.history_query(query), first_year, last_year, year_a, year_b, _loaded
    )
    border = year_history.pair_comparison(whole, query.region, query.neighbour)
    figures = (
        border_figures(query, first_year, last_year, year_a, _loaded),
        border_figures(query, first_year, last_year, year_b, _loaded),
    )
    source = _loaded.source
    ports = source.layers.get(PORTS) if PORTS in query.layer_names else None
    rows = compare_tables.card_rows(
        whole, query.region, query.neighbour, query.layer_names, figures=figures, ports=ports
    )
    return BorderChanges(
        comparison=border,
        card=compare_tables.card_markdown(rows),
        table=compare_tables.change_table(
            border, with_border=query.neighbour is None, names_zh=_names_zh, ports=ports
        ),
        headers=compare_tables.change_headers(year_a, year_b),
        notes=compare_tables.coverage_notes(
            border, source.coverage, zh_places(source.region_set.regions)
        ),
    )


def compared(
    loaded: Loaded, query: PageQuery, year: int, first_year: int, last_year: int
) -> Compared | None:
    """The comparison the sidebar asks for; None without a second year.

    The year on the slider compared with itself gives a :class:`Compared` without
    ``border``: the page says to choose another.

    Parameters
    ----------
    loaded
        The page's source.
    query
        The page's choices.
    year
        The year on the slider.
    first_year, last_year
        The slider's span, which the history counts.

    Raises
    ------
    geo.errors.JieguiError
        When the years cannot be counted (the page shows the sentence).
    """
    other = chosen_year(first_year, last_year)
    if other is None:
        return None
    if other == year:
        return Compared(query=query, map_year=year, other_year=other, border=None, ports=None)
    year_a, year_b = sorted((year, other))
    border = dataclasses.replace(query, as_of=None)
    return Compared(
        query=query,
        map_year=year,
        other_year=other,
        border=border_changes(
            border,
            first_year,
            last_year,
            year_a,
            year_b,
            current(),
            loaded,
            loaded.names_zh if current() == "zh" else None,
        ),
        ports=loaded.source.layers.get(PORTS) if PORTS in query.layer_names else None,
    )


def compared_or_error(
    loaded: Loaded, query: PageQuery, year: int, first_year: int, last_year: int
) -> Compared | None:
    """:func:`compared`, with a failure shown as one sentence instead of raised."""
    try:
        return compared(loaded, query, year, first_year, last_year)
    except JieguiError as exc:
        st.error(md(public_text(error_text(exc))))
        return None


def map_groups(
    selection: folium.FeatureGroup | None,
    years: Compared | None,
    content: MapContent,
    what_if: folium.FeatureGroup | None = None,
) -> list[folium.FeatureGroup] | None:
    """What the page adds to its map: the selected interface, rings and detours.

    The comparison's rings, and the what-if view's rings and detours
    (:func:`app.what_if_view.map_group`).

    ``st_folium(feature_group_to_add=...)`` draws them into the map that is there, so the
    map is not reloaded when any changes. None when there is none.
    """
    groups = [g for g in (what_if, selection) if g is not None]
    if years is not None and years.border is not None:
        rings = change_layer(
            years.border.comparison,
            content,
            map_year=years.map_year,
            compared_year=years.other_year,
            ports=years.ports,
        )
        if rings is not None:
            groups.append(rings)
    return groups or None


def show(
    years: Compared | None,
    *,
    cards: DeltaGenerator,
    first_run: bool,
    dataset_label: str,
    source_name: str,
    attribution: str,
) -> None:
    """The change card (in ``cards``, under the page's cards) and the "What changed" section.

    Nothing without a comparison; a note when the year compared with is the slider's own.
    The section waits for the session's second run, as the page's tables do.
    """
    if years is None:
        return
    if years.border is None:
        with cards:
            st.info(md(tx.text("same_year", year=years.other_year)))
        return
    border = years.border.comparison
    query = years.query
    with cards, st.container(border=True, key="compare-card"):
        st.markdown(f"**{md(tx.text('card_title', a=border.year_a, b=border.year_b))}**")
        st.markdown(years.border.card)
        basis = statuses_label(query.statuses)
        st.caption(
            md(tx.text("card_note", a=border.year_a, b=border.year_b, basis=tx.pick(basis)))
        )
        notes = years.border.notes
        if notes:
            title = tx.text("card_coverage", a=border.year_a, b=border.year_b)
            with st.expander(f"{title} ({len(notes)})"):
                for note in notes:
                    st.caption(note_md(note))
    if first_run:
        return
    _changes_section(years, dataset_label, source_name, attribution)


def _comparison_file(border: Comparison, source: str, attribution: str, fmt: str) -> bytes:
    return year_history.comparison_files(border, source=source, attribution=attribution)[fmt]


def _changes_section(
    years: Compared, dataset_label: str, source_name: str, attribution: str
) -> None:
    assert years.border is not None  # shown only with two different years
    changes = years.border
    border, query = changes.comparison, years.query
    shown_pair = pair_label(query.region, query.neighbour)
    st.subheader(
        f"{tx.text('changes_title')} · {border.year_a} → {border.year_b} · {md(shown_pair)}"
    )
    st.caption(md(tx.text("changes_caption", caption=tx.pick(border.caption))))
    if border.changes.empty:
        st.info(
            md(
                tx.text(
                    "nothing_changed", a=border.year_a, b=border.year_b, border=shown_pair
                )
            )
        )
    else:
        with st.container(key=Keys.CHANGES_TABLE):
            widths: dict[str, Literal["large", "medium"]] = {"sources": "large", "id": "medium"}
            st.dataframe(
                changes.table,
                hide_index=True,
                column_config={
                    column: st.column_config.TextColumn(label, width=widths.get(column))
                    for column, label in changes.headers.items()
                    if column in changes.table.columns
                },
            )
    pair_part = export.pair_slug(query.region, query.neighbour)
    span = f"{border.year_a}-{border.year_b}"
    source, credit = public_text(source_name), public_text(attribution)
    with st.container(horizontal=True, gap="small"):
        for fmt, mime in (("csv", export.CSV_MIME), ("json", JSON_MIME)):
            st.download_button(
                tx.text(f"compare_{fmt}"),
                # Built on click: the same text as the command line's --format csv / json.
                data=partial(_comparison_file, border, source, credit, fmt),
                file_name=export.file_name(dataset_label, pair_part, span, FILE_PART, fmt),
                mime=mime,
                on_click="ignore",
                key=Keys.download(f"compare-{fmt}"),
            )
    note = tx.text("compare_export_note", border=shown_pair, command=CODE_MARK)
    command = f"python -m geo crossings … --compare {border.year_a} {border.year_b}"
    st.caption(md_with_code(note, command))
