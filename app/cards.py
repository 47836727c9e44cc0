"""The cards beside the map: routes, interfaces and capacity per layer of the pair shown.

Under the pair and the caption of what is counted (:func:`geo.basis.caption`), one card per
line layer. A layer whose border the data do not cover reads "not covered", never 0;
one partly covered (some of the borders, or of their links, are held) carries a mark, and
the notes below say why and what would cover it (:meth:`geo.coverage.Coverage.notes`).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import streamlit as st

from app.border_views import NOT_COVERED, PARTLY, unknown_note
from app.labels import TEXT, one_of, say
from app.language import current
from app.page_text import md
from app.views import PairTables
from geo.labels import LAYER_LABELS, MEASURE_LABELS, grade_text
from geo.overview import capacity_name
from geo.text import Bilingual


def cards(tables: PairTables, *, heading: str, expand_notes: bool) -> None:
    """Draw the cards of a pair, then the coverage notes.

    Parameters
    ----------
    tables
        The pair's totals, coverage and notes (:func:`app.views.pair_tables`).
    heading
        What the cards count, from data: the pair and the caption (escaped here).
    expand_notes
        Open the notes at once (a single border with a layer not covered).
    """
    st.caption(md(heading))
    covers = tables.covers.set_index("layer") if len(tables.covers) else None
    for row in tables.totals.itertuples(index=False):
        cover = covers.loc[row.layer] if covers is not None and row.layer in covers.index else None
        state = str(cover["state"]) if cover is not None else None
        with st.container(border=True, key=f"card-{row.layer}"):  # CSS class st-key-card-…
            with st.container(horizontal=True, gap="small", vertical_alignment="center"):
                st.markdown(f"**{md(layer_label(row.layer))}**", width="content")
                if state == PARTLY:
                    st.badge(say("partly"), color="orange", help=_borders(cover))
            if state == NOT_COVERED:
                _not_covered(row)
            else:
                _metrics(row)
                if state == PARTLY and _borders(cover):
                    st.caption(_borders(cover))
    if tables.notes:
        with st.expander(f"{say('coverage_notes')} ({len(tables.notes)})", expanded=expand_notes):
            for note in tables.notes:
                st.caption(note_md(note))


def _borders(cover: pd.Series | None) -> str | None:
    """The words "2 of 5 borders covered", when not all the borders shown are."""
    if cover is None or int(cover["covered_borders"]) == int(cover["borders"]):
        return None
    covered, total = int(cover["covered_borders"]), int(cover["borders"])
    return say("borders_covered", covered=covered, total=total)


def _not_covered(row: Any) -> None:
    """A card's body for a layer the data do not cover: the words, and what was found."""
    st.markdown(f":gray[**{say('not_covered')}**]")
    found = int(row.interfaces)
    if found:
        st.caption(say("found_anyway", n=found))


def _metrics(row: Any) -> None:
    """A card's body: routes, interfaces and capacity.

    The capacity's title carries its unit where it is not a count (``Max diameter (mm)``);
    when some interfaces lack the capacity, the number says so under it as the overview's
    cell does after it (``(2 unknown)``, :func:`app.border_views.overview_display`): a
    delta without arrow or colour, so a narrow card keeps the number on one line.
    """
    missing = int(row.missing)
    name = capacity_name(row.layer)
    about = MEASURE_LABELS.get(name, {"en": name, "zh": name})[current()]
    with st.container(horizontal=True, gap="small"):
        st.metric(say("routes"), row.routes, width="content")
        st.metric(say("interfaces"), row.interfaces, width="content")
        st.metric(
            say(f"cap_{name}") if f"cap_{name}" in TEXT else about,
            capacity_text(row.capacity, name, interfaces=int(row.interfaces)),
            delta=unknown_note(missing),
            delta_color="off",
            delta_arrow="off",
            width="content",
            help=about[:1].upper() + about[1:]
            + (f"{'; ' if current() == 'en' else '；'}{say('without_data', n=missing)}"
               if missing else ""),
        )  # fmt: skip


def capacity_text(capacity: object, name: str, *, interfaces: int) -> str:
    """A card's capacity: ``26``, ``III`` (``III级``), ``?`` or ``–`` as the overview says.

    ``?`` when its ``interfaces`` all lack it, ``–`` when there is no interface to measure
    (:func:`app.border_views.overview_display`).
    """
    if pd.isna(capacity):
        return "?" if interfaces else "–"
    if name == "best_grade":
        # Navigation grades read as Roman numerals (级 after them in Chinese: IV级).
        return grade_text(capacity) + ("" if current() == "en" else "级")
    return f"{capacity:,}"


def layer_label(layer: str) -> str:
    """A layer's name in the page's language (:data:`geo.labels.LAYER_LABELS`)."""
    return LAYER_LABELS.get(layer, {"en": layer, "zh": layer})[current()]


def note_md(note: Bilingual) -> str:
    """A coverage note as markdown: its text escaped, its commands as inline code.

    The note comes from data (region names, a dataset's reasons), so every part is escaped
    (:func:`app.page_text.md`) but the commands between backticks, shown as code; a command
    that itself holds a backtick is escaped as text too.
    """
    parts = re.split(r"`([^`]*)`", one_of(note))
    out = []
    for n, part in enumerate(parts):
        is_code = n % 2 == 1
        out.append(f"`{part}`" if is_code and part and "`" not in part else md(part))
    return "".join(out)
