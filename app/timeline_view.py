"""The page's "Growth over time": the focus border's routes, interfaces and lanes by year.

An expander, closed at first: it counts only once opened (every year of the slider's span,
about 0.6-0.8 s the first time for a region, statuses and layers on the embedded dataset;
then kept, and read back from disk after a restart), and Streamlit reruns the page when it
is opened or closed. The counts are those the comparison uses
(:func:`app.compare_view.history`), so opening it after comparing two years, or comparing
after opening it, counts nothing more.

Inside: the chart (:mod:`app.timeline_chart`) through ``st.vega_lite_chart`` (Vega-Lite as
Streamlit bundles it: nothing from the internet), from the data's first year to the year
they describe, the years shown narrowed by a slider; notes on what it adds up, what the
data do not cover and what the report's diamonds count; and downloads: the CSV behind it,
as the command line's ``--timeline --format csv`` for the border, and the chart as PNG and
SVG, drawn on the server on click (:func:`app.timeline_chart.chart_image`). Streamlit's
own chart toolbar offers a PNG of the chart as shown, too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, Literal

import pandas as pd
import streamlit as st

from app import compare_tables, compare_view, timeline_chart, year_history
from app import years_text as tx
from app.hosting import public_text
from app.labels import error_text
from app.language import current
from app.page_text import CODE_MARK, md, md_with_code, pair_label, place
from app.query import Keys, PageQuery
from app.views import Loaded
from geo.basis import statuses_label
from geo.errors import JieguiError
from geo.io import export
from geo.labels import LAYER_LABELS, Language
from geo.overview import PORTS
from geo.timeline import Timeline
from layers import get_layer

PNG_MIME = "image/png"
SVG_MIME = "image/svg+xml"


@st.cache_data(show_spinner=False, max_entries=32)
def chart_spec(
    query: PageQuery,
    first_year: int,
    last_year: int,
    years: tuple[int, int],
    title: str | None,
    subtitle: tuple[str, ...],
    lang: Language,
    _line: Timeline,
) -> dict[str, Any]:
    """The chart's Vega-Lite spec for the border of ``query`` and the years shown.

    Keyed by the query (source, datum, region, neighbour, statuses, layers), the history's
    span, what is shown and the page's language ``lang`` (the chart's words); ``_line`` is
    the border's timeline those name.
    """
    frame = timeline_chart.chart_frame(
        _line, query.layer_names, summed=query.neighbour is None, years=years
    )
    chart = timeline_chart.growth_chart(frame, years=years, title=title, subtitle=subtitle)
    return chart.to_dict()


def _layers_text(names: list[str]) -> str:
    return tx.listed(LAYER_LABELS.get(n, {"en": n, "zh": n})[current()] for n in names)


def _notes(line: Timeline, query: PageQuery) -> list[str]:
    """What the chart leaves out or adds up, and what its diamonds count."""
    notes = []
    rows = line.rows
    covered = rows.groupby("layer", sort=False)["covered"].any() if len(rows) else pd.Series()
    uncovered = [n for n in query.layer_names if n in covered.index and not covered[n]]
    drawn = [n for n in query.layer_names if n not in uncovered]
    apart = [n for n in drawn if get_layer(n).capacity_total != "sum"]
    if query.neighbour is None:
        notes.append(tx.text("growth_summed", region=place(query.region)))
    if uncovered:
        notes.append(tx.text("growth_not_covered", layers=_layers_text(uncovered)))
    if apart:
        notes.append(tx.text("growth_not_summed", layers=_layers_text(apart)))
    documented = line.documented
    if not documented.empty:
        if query.neighbour is None:
            notes.append(tx.text("growth_documented_all"))
        else:
            bases = dict.fromkeys(
                tx.pick(statuses_label(str(s).split("+"))) for s in documented["statuses"]
            )
            notes.append(
                tx.text(
                    "growth_documented",
                    basis=" / ".join(bases),
                    counted=tx.pick(statuses_label(query.statuses)),
                )
            )
    return notes


def _years_shown(first: int, last: int, start: int) -> tuple[int, int]:
    """The slider of the years shown: from ``start`` at first (:func:`default_start`).

    A span kept from other data that does not fit is dropped.
    """
    kept = st.session_state.get(Keys.GROWTH_YEARS)
    if not (
        isinstance(kept, tuple | list) and len(kept) == 2 and first <= kept[0] <= kept[1] <= last
    ):
        st.session_state.pop(Keys.GROWTH_YEARS, None)
    if first == last:
        return first, last
    low, high = st.slider(tx.text("years_shown"), first, last, (start, last), key=Keys.GROWTH_YEARS)
    return int(low), int(high)


@st.cache_data(show_spinner=False, max_entries=32)
def _change_years(query: PageQuery, first: int, last: int, _line: Timeline) -> list[int]:
    """The years a line of the border's chart changes in (keyed as :func:`chart_spec`)."""
    frame = timeline_chart.chart_frame(
        _line, query.layer_names, summed=query.neighbour is None, years=(first, last)
    )
    return timeline_chart.change_years(frame)


def _left_out(changes: list[int], first: int, years: tuple[int, int]) -> str | None:
    """A note on the years before the span shown: the changes in them, or that none is."""
    if years[0] <= first:
        return None
    before = [y for y in changes if y < years[0]]
    if not before:
        return tx.text("growth_quiet_before", start=years[0], first=first)
    listed = tx.listed([*before[:6], *(["…"] if len(before) > 6 else [])])
    return tx.text("growth_left_out", start=years[0], n=len(before), years=listed)


def show(
    loaded: Loaded,
    query: PageQuery,
    first_year: int,
    last_year: int,
    *,
    first_run: bool,
    dataset_label: str,
) -> None:
    """The "Growth over time" expander (nothing on a session's first run, as the tables).

    Parameters
    ----------
    loaded, query
        The page's source and choices.
    first_year, last_year
        The year slider's span (counted once for the comparison and this chart).
    first_run
        The session's first run, which leaves the tables out until the map is drawn.
    dataset_label
        The source's name in file names.
    """
    if first_run:
        return
    box = st.expander(tx.text("growth_title"), key=Keys.GROWTH, on_change="rerun")
    with box:
        if not box.open:
            return
        try:
            counted = compare_view.history(
                year_history.history_query(query), first_year, last_year, loaded
            )
        except JieguiError as exc:
            st.error(md(public_text(error_text(exc))))
            return
        _growth(
            counted.timeline,
            query,
            dataset_label,
            partial(_berth_notes, loaded, query, first_year, last_year),
        )


def _berth_notes(
    loaded: Loaded, query: PageQuery, first_year: int, last_year: int, line: Timeline
) -> list[str]:
    """Why the ports' berth line stops: the years it does and the data's reason.

    Yangshan's berths are unknown from 2017 (its phase IV has no berth figure): the line
    stopping there would read as the port losing its berths. The reason is read in the
    year the line stops (:func:`app.compare_tables.berth_note`); where the data give none,
    the note says only that they do not give the berths.
    """
    if PORTS not in query.layer_names:
        return []
    ports = loaded.source.layers.get(PORTS)
    notes = []
    for year in timeline_chart.berth_gap_years(line):
        view = compare_view.year_overview(
            year_history.history_query(query), first_year, last_year, year, loaded
        )
        why = compare_tables.berth_note(view, ports, query.region, query.neighbour)
        if why is None:
            notes.append(tx.text("growth_berths_unknown_plain", year=year))
        else:
            notes.append(tx.text("growth_berths_unknown", year=year, why=tx.pick(why)))
    return notes


def _growth(
    whole: Timeline,
    query: PageQuery,
    dataset_label: str,
    berth_notes: Callable[[Timeline], list[str]] | None = None,
) -> None:
    line = year_history.pair_timeline(whole, query.region, query.neighbour)
    shown_pair = pair_label(query.region, query.neighbour)
    first, last = line.first_year, line.last_year
    st.markdown(f"**{md(shown_pair)}** · {md(tx.pick(line.caption))}")
    if first == last:
        st.caption(md(tx.text("growth_one_year", year=last)))
    changes = _change_years(query, first, last, line)
    years = _years_shown(first, last, timeline_chart.default_start(changes, first, last))
    spec = chart_spec(query, first, last, years, None, (), current(), line)
    if not spec.get("datasets") or not any(spec["datasets"].values()):
        st.info(md(tx.text("growth_nothing", border=shown_pair)))
    else:
        st.vega_lite_chart(spec=spec, key="growth-chart")
    caption = tx.text("growth_caption", caption=tx.pick(line.caption))
    left_out = _left_out(changes, first, years)
    notes = [*_notes(line, query), *(berth_notes(line) if berth_notes else [])]
    st.caption(md(tx.sentences([caption, *notes, left_out or ""])))
    pair_part = export.pair_slug(query.region, query.neighbour)
    span = f"{first}-{last}"
    title = tx.text("chart_title", border=shown_pair)
    subtitle = (
        tx.text(
            "chart_subtitle",
            span=tx.span(*years),
            basis=tx.pick(statuses_label(query.statuses)),
        ),
    )

    def image(fmt: Literal["png", "svg"]) -> bytes:
        """The chart of the years shown, with its title, as an image (built on click)."""
        full = chart_spec(query, first, last, years, title, subtitle, current(), line)
        return timeline_chart.chart_image(full, fmt)

    with st.container(horizontal=True, gap="small"):
        st.download_button(
            tx.text("timeline_csv"),
            data=lambda: year_history.timeline_file(line),
            file_name=export.file_name(dataset_label, pair_part, span, "timeline", "csv"),
            mime=export.CSV_MIME,
            on_click="ignore",
            key=Keys.download("timeline-csv"),
        )
        shown_span = f"{years[0]}-{years[1]}"
        images: tuple[tuple[Literal["png", "svg"], str], ...] = (
            ("png", PNG_MIME),
            ("svg", SVG_MIME),
        )
        for fmt, mime in images:
            st.download_button(
                tx.text(f"chart_{fmt}"),
                data=partial(image, fmt),
                file_name=export.file_name(dataset_label, pair_part, shown_span, "growth", fmt),
                mime=mime,
                on_click="ignore",
                key=Keys.download(f"chart-{fmt}"),
            )
    note = tx.text("timeline_export_note", border=shown_pair, command=CODE_MARK)
    st.caption(md_with_code(note, "python -m geo crossings … --timeline --format csv"))
