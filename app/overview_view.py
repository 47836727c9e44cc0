"""The overview on the page: every border of the focus region (or of the source) × layer.

A sortable table (:func:`app.border_views.overview_display`: the numbers are sorted on,
the cells read "not covered", Roman grades, ``?`` for unknown; partly covered cells
shaded), captioned with the year and basis counted, and under it why borders are not wholly covered
(the overview's coverage notes, folded). Selecting a row focuses that border:
a callback sets the sidebar's region and neighbour before the page runs again (clearing
the selection shows all the region's neighbours). Downloads: the table as CSV (UTF-8 with a
byte order mark, as ``python -m geo crossings --overview --format csv`` writes it) and as
an Excel workbook, both naming the year and basis in their file name and inside.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from app.border_views import OverviewDisplay, not_covered_text
from app.cards import note_md
from app.labels import say
from app.page_text import ALL_NEIGHBOURS, md
from app.query import Keys

#: The background of a partly covered cell, and the colour of "not covered".
PARTLY_CSS = "background-color: rgba(255, 189, 69, 0.22)"
NOT_COVERED_CSS = "color: rgba(49, 51, 63, 0.55)"

#: The width of a cell of counts (px).
CELL_PX = 130

#: ``(label, file name, bytes (built on click), mime type)`` of a download.
Download = tuple[str, str, Callable[[], bytes], str]


def every_pair_switch() -> bool:
    """The switch between the region's borders and every pair of the source (in the heading)."""
    return bool(
        st.toggle(say("every_pair"), key=Keys.EVERY_PAIR, help=say("every_pair_help"))
    )


def styled(display: OverviewDisplay) -> Styler:
    """The overview's numbers, shown as their texts, partly covered cells shaded.

    A number reads as itself with thousands separators; the cells that read otherwise (a
    grade's numeral, ``?``, ``(1 unknown)``) get their text, one format per column and text
    (per cell, a table of a few borders took 60-90 ms). Streamlit shows a missing value by
    the table's placeholder, not by its text: the page passes
    :func:`app.border_views.not_covered_text`, which only a cell not covered is.
    """
    values = display.values
    numbers = list(values.columns[1:-1])
    styler = values.style.format(thousands=",", precision=0, subset=numbers)
    for column in numbers:
        special: dict[str, list[int]] = {}
        for i, (value, text) in enumerate(zip(values[column], display.text[column])):
            if not pd.isna(value) and text != f"{int(value):,}":
                special.setdefault(text, []).append(i)
        for text, rows in special.items():
            styler = styler.format(lambda _v, t=text: t, subset=pd.IndexSlice[rows, [column]])
    not_covered = (display.text == not_covered_text()).to_numpy()
    shades = np.where(
        not_covered, NOT_COVERED_CSS, np.where(display.partly.to_numpy(), PARTLY_CSS, "")
    )  # numpy: masking a frame of strings took 11 of the 21 ms
    css = pd.DataFrame(shades, index=values.index, columns=values.columns, dtype=object)
    return styler.apply(lambda _frame: css, axis=None)


def focus_for(
    rows: list[int], pairs: tuple[tuple[str, str], ...], region: str
) -> tuple[str | None, str]:
    """The region and neighbour a selection of overview rows focuses.

    The selected row's border: its other side when ``region`` is on it (the region is
    kept: None), else its two regions; no row selected, all the region's neighbours.

    Examples
    --------
    >>> pairs = (("Zhejiang", "Anhui"), ("Jiangsu", "Shanghai"))
    >>> focus_for([0], pairs, "Zhejiang"), focus_for([1], pairs, "Zhejiang")
    ((None, 'Anhui'), ('Jiangsu', 'Shanghai'))
    >>> focus_for([], pairs, "Zhejiang")
    (None, 'All neighbours')
    """
    if not rows or not 0 <= rows[0] < len(pairs):
        return None, ALL_NEIGHBOURS
    a, b = pairs[rows[0]]
    if region in (a, b):
        return None, b if a == region else a
    return a, b


def focus_border(key: str, pairs: tuple[tuple[str, str], ...], region: str) -> None:
    """Focus the border of the row selected in the overview ``key`` (a callback).

    Sets the sidebar's neighbour (and region) before the page runs again (:func:`focus_for`).
    """
    state = st.session_state.get(key)
    try:
        rows = [int(r) for r in state["selection"]["rows"]]  # type: ignore[index]
    except (KeyError, TypeError):
        rows = []
    new_region, neighbour = focus_for(rows, pairs, region)
    if new_region is not None:
        st.session_state[Keys.REGION] = new_region
    st.session_state[Keys.NEIGHBOUR] = neighbour


def overview_table(
    display: OverviewDisplay,
    *,
    region: str,
    neighbour: str | None,
    caption: str,
    downloads: list[Download],
) -> None:
    """Draw the overview: its caption, the table, the downloads.

    Parameters
    ----------
    display
        The overview as shown (:func:`app.border_views.overview_display`).
    region, neighbour
        The border in focus: its row is shown selected.
    caption
        The year and basis counted (:func:`geo.basis.caption`, in the page's language).
    downloads
        The CSV and XLSX downloads.
    """
    st.caption(md(say("overview_caption", caption=caption)))
    if display.values.empty:
        st.info(say("no_pairs"))
        return
    focus = next(
        (i for i, pair in enumerate(display.pairs) if {region, neighbour} == set(pair)), None
    )
    key = Keys.overview_table(display.pairs, (region, neighbour))
    border = display.values.columns[0]
    with st.container(key=Keys.OVERVIEW):
        st.dataframe(
            styled(display),
            hide_index=True,
            key=key,
            on_select=partial(focus_border, key, display.pairs, region),
            selection_mode="single-row",
            selection_default={"selection": {"rows": [focus]}} if focus is not None else None,
            column_config={
                border: st.column_config.TextColumn(pinned=True),
                # Wide enough for "not covered 未覆盖" and "IV (2 unknown)" (not clipped).
                **{c: st.column_config.Column(width=CELL_PX) for c in display.values.columns[1:-1]},
            },
            placeholder=not_covered_text(),
        )
    if display.notes:
        with st.expander(f"{say('overview_coverage_notes')} ({len(display.notes)})"):
            for note in display.notes:
                st.caption(note_md(note))
    with st.container(horizontal=True, gap="small"):
        for label, name, data, mime in downloads:
            st.download_button(
                label, data=data, file_name=name, mime=mime, on_click="ignore",
                key=Keys.download(name.rpartition(".")[2] + "-overview"),
            )  # fmt: skip
