"""The page's map as files for a report: an HTML map that opens offline, a PNG and a PDF.

The HTML map is built on click (a download button's deferred data,
:func:`app.print_sheet.sheet_html` with ``interactive=True``). The PNG and the PDF are the
printed sheet drawn by Chromium on the server (:mod:`geo.io.render`), a second or two
each: "Make PNG and PDF" draws both in the page's run, with its spinner, and keeps them
for the view they were drawn for, whose two download buttons follow; a changed view asks
for them to be made again. Drawing can fail in ways a visitor should read (the server
busy with another drawing, a drawing too slow), so it runs in the page's run, where an
error is one sentence in the page's language, rather than in a download button's deferred
data, which Streamlit reports as "Failed to generate file" only.

Without Chromium on the server the two buttons are shown disabled, under one sentence
saying why; the HTML map works all the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import folium
import streamlit as st

from app.labels import say
from app.link_state import MapView
from app.page_text import md
from app.print_sheet import PNG_SCALE, SHEET_HEIGHT, SHEET_WIDTH, SheetText, sheet_html
from app.query import Keys
from app.webmap import MapContent
from geo.errors import RenderBusyError, RenderError, RenderTimeoutError
from geo.io import render

HTML_MIME = "text/html"
PNG_MIME = "image/png"
PDF_MIME = "application/pdf"


def sheet_words(
    *,
    source_title: str,
    pair: str,
    counted: str,
    year: int,
    compared: int | None,
    attribution: str,
    today: date | None = None,
) -> SheetText:
    """The sheet's words in the page's language.

    Parameters
    ----------
    source_title
        The source's title (an embedded dataset's) or name.
    pair
        The border shown (:func:`app.page_text.pair_label`).
    counted
        The year and basis caption (:func:`geo.basis.caption`, in the page's language).
    year, compared
        The map's year and the year compared with it (None: no comparison).
    attribution
        The source's attribution.
    today
        The sheet's date (default: today's).
    """
    parts = [source_title, counted]
    if compared is not None and compared != year:
        parts.append(say("sheet_compare", first=min(year, compared), last=max(year, compared)))
    return SheetText(
        title=say("sheet_title", pair=pair),
        subtitle=" · ".join(parts),
        attribution=say("sheet_data", attribution=attribution) if attribution else "",
        made=say("sheet_made", date=(today or date.today()).isoformat()),
        north=say("north"),
    )


def print_section(
    content: MapContent,
    text: SheetText,
    *,
    view: MapView | None,
    groups: Callable[[], Sequence[folium.FeatureGroup]],
    file_name: Callable[[str], str],
    sheet_id: str,
) -> None:
    """The HTML, PNG and PDF buttons of the map as it is now.

    Parameters
    ----------
    content
        What the map draws.
    text
        The sheet's words, in the page's language.
    view
        The map's view (:func:`app.share_view.current_view`); None: the border's.
    groups
        Makes what the page adds to its map (the selection, a comparison's rings) anew for
        each file (folium elements belong to one map).
    file_name
        The download's name for an extension (``"png"`` ...).
    sheet_id
        What the sheet shows, as text (the page's query, the view, the selection...): PNG
        and PDF made for another are not offered.
    """

    def html_map() -> bytes:
        return sheet_html(content, text, view=view, groups=groups(), interactive=True).encode()

    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.download_button(
            say("map_html"),
            data=html_map,
            file_name=file_name("html"),
            mime=HTML_MIME,
            on_click="ignore",
            key=Keys.download("map-html"),
        )
        if render.chromium_path() is None:
            st.button(say("map_png"), disabled=True, key=Keys.download("map-png"))
            st.button(say("map_pdf"), disabled=True, key=Keys.download("map-pdf"))
            missing = True
        else:
            make = st.button(say("print_make"), key=Keys.PRINT_RUN)
            missing = False
    if missing:
        st.caption(md(say("print_no_chromium")))
        return
    if make:
        sheet = sheet_html(content, text, view=view, groups=groups(), interactive=False)
        files = _drawn(sheet)
        if files is None:
            return
        st.session_state[Keys.PRINTED] = {"id": sheet_id, "png": files[0], "pdf": files[1]}
    printed = st.session_state.get(Keys.PRINTED)
    if printed is not None and printed["id"] == sheet_id:
        with st.container(horizontal=True, gap="small"):
            for ext, label, mime in (("png", "map_png", PNG_MIME), ("pdf", "map_pdf", PDF_MIME)):
                st.download_button(
                    say(label),
                    data=printed[ext],
                    file_name=file_name(ext),
                    mime=mime,
                    on_click="ignore",
                    key=Keys.download(f"map-{ext}"),
                )
    elif printed is not None:
        st.caption(md(say("print_stale")))
    st.caption(md(say("print_caption")))


def _drawn(sheet: str) -> tuple[bytes, bytes] | None:
    """The sheet as PNG and PDF; None, after one sentence in an error box, when it fails."""
    try:
        with st.spinner(say("print_make")):
            png = render.render_png(sheet, width=SHEET_WIDTH, height=SHEET_HEIGHT, scale=PNG_SCALE)
            pdf = render.render_pdf(sheet)
    except RenderBusyError:
        st.error(md(say("print_busy")))
    except RenderTimeoutError:
        st.error(md(say("print_timeout", seconds=f"{render.TIMEOUT_S:g}")))
    except RenderError:
        st.error(md(say("print_failed")))
    else:
        return png, pdf
    return None
