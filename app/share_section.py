"""Under the map: the view written into the URL, its link, and the map as HTML, PNG and PDF.

One call of the page, after its map (:func:`share_and_print`): the page's parameters
(:func:`app.link_state.page_params`) are written into the URL when they changed
(:func:`app.share_view.write_params`), what a link asked for that the page does not offer
is said under the title (:func:`app.share_view.show_notes`), and a closed expander holds
the link with its "Copy link" button (:func:`app.share_view.share_box`) and the map's
files (:func:`app.print_view.print_section`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import folium
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app import compare_view, link_state, share_view
from app.compare_view import Compared
from app.labels import say
from app.print_view import print_section, sheet_words
from app.query import PageQuery
from app.webmap import MapContent, clicked_interface, selection_layer


def share_and_print(
    query: PageQuery,
    *,
    choices: dict[str, str],
    link_name: str | None,
    year: int,
    years: Compared | None,
    content: MapContent,
    report: Mapping[str, Any] | None,
    selected: str | None,
    source_title: str,
    pair: str,
    counted: str,
    attribution: str,
    file_name: Callable[[str], str],
    notes_box: DeltaGenerator | None,
) -> None:
    """Write the URL, say the link's notes, show the link and the map's files.

    Parameters
    ----------
    query
        The page's choices.
    choices
        Their link parameters (:func:`app.share_view.page_choices`).
    link_name
        The source's name in a link (:attr:`app.source_panel.SourceChoice.link_name`).
    year
        The slider's year.
    years
        The comparison with another year, None without one.
    content
        What the map draws.
    report
        What the map reported last (``st_folium``'s value).
    selected
        The selected interface's id (the table's row or the link's).
    source_title, pair, counted, attribution
        The source's title, the border, the year-and-basis caption and the attribution,
        for the printed sheet.
    file_name
        A download's name for an extension.
    notes_box
        Where the link's notes go (a placeholder under the title); None: the page says
        them itself (:func:`app.share_view.show_notes`).
    """
    compared = years.other_year if years is not None else None
    view = share_view.current_view(report)
    params = link_state.with_view(choices, view, selected or clicked_interface(report))
    share_view.write_params(params)
    if notes_box is not None:
        share_view.show_notes(notes_box)

    def groups() -> list[folium.FeatureGroup]:
        """What the page adds to its map, made anew for a file."""
        return compare_view.map_groups(selection_layer(content, selected), years, content) or []

    with st.expander(say("share_print")):
        share_view.share_box(params, carried=link_name is not None)
        text = sheet_words(
            source_title=source_title,
            pair=pair,
            counted=counted,
            year=year,
            compared=compared,
            attribution=attribution,
        )
        print_section(
            content,
            text,
            view=view,
            groups=groups,
            file_name=file_name,
            sheet_id=repr((query, view, selected, compared, text)),
        )
