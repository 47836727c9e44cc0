"""Streamlit's own words on its widgets, in the page's language where Streamlit allows it.

Streamlit 1.67's frontend writes some words itself, in English, with no option for another
language (streamlit/streamlit#13500 asks for one, open): the file uploader's button
("Upload"), its line of limits ("200MB per file • GEOJSON, ..."), its refusal of a file
("Error: File must be 200.0MB or smaller.", and the same in a tooltip), an empty select
box's "Choose an option", the data grids' toolbar tips ("Download as CSV", "Search",
"Fullscreen", ...). The page sets what Streamlit lets it set (labels, ``help=``,
``placeholder=``: :func:`placeholder`). For the rest, a style sheet of the Chinese page
(:func:`widget_words_css`) hides Streamlit's text and shows the page's own in its place
(CSS ``content``), scoped by Streamlit's ``data-testid`` attributes:

* the uploader's button and line of limits, and its refusal of a file (the file's row and
  the error tooltip), one sentence naming both limits (the file kinds and the size: the
  frontend says which one failed, the style sheet cannot tell);
* the link that lets a keyboard user skip to the page's content ("Skip to main content");
* the grids' toolbar tips: a tip is drawn in a layer of its own at the end of the page, not
  under its button, so each rule names the button the pointer is on (by its ``aria-label``,
  Streamlit's English name for it) with ``:has()``.

The English page keeps Streamlit's words. What stays English, and why, is in
``docs/language.md``. The style sheet is sent with ``st.html`` (style only, so it takes no
room in the page). What it replaces is checked in a browser (``tests/test_e2e_language.py``,
``tests/test_e2e_widget_words.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from app.labels import say
from app.language import current

#: The uploader's parts whose text Streamlit writes (its frontend's ``data-testid``).
_DROPZONE = '[data-testid="stFileUploaderDropzone"]'
_BUTTON_TEXT = f'{_DROPZONE} [data-testid^="stBaseButton"] [data-testid="stMarkdownContainer"]'
_LIMITS = f'{_DROPZONE} [data-testid="stFileUploaderDropzoneInstructions"] span'
#: The uploaded file's row when Streamlit refused the file (its text for screen readers), and
#: the tooltip over it (the words a sighted visitor reads).
_REFUSAL = '[data-testid="stFileChip"] [role="alert"]'
_ERROR_TIP = '[data-testid="stTooltipErrorContent"]'
#: Streamlit's link for keyboard users to skip to the page's content (shown when focused).
_SKIP_LINK = '[data-testid="stSkipToContent"]'
#: A tip's text (drawn in a layer at the end of the page).
_TIP = '[data-testid="stTooltipContent"] [data-testid="stMarkdownContainer"] p'

#: The grid toolbar's buttons: Streamlit's English name (the start of their ``aria-label``)
#: and the key of the page's words for them (:mod:`app.labels`).
GRID_BUTTONS: dict[str, str] = {
    "Show/hide columns": "grid_columns",
    "Download as CSV": "grid_download",
    "Search": "grid_search",
    "Fullscreen": "grid_fullscreen",
    "Close fullscreen": "grid_close_fullscreen",
    "Clear selection": "grid_clear_selection",
}


def css_string(text: str) -> str:
    r"""``text`` as a CSS string literal: quotes, backslashes, ``<``, ``>`` and controls escaped.

    Examples
    --------
    >>> print(css_string('say "hi"'))
    "say \22 hi\22 "
    """
    escaped = "".join(
        f"\\{ord(ch):x} " if ch in '"\\\n\r<>' or ord(ch) < 32 else ch for ch in text
    )
    return f'"{escaped}"'


def widget_words_css(language: str, *, limit_mb: int, kinds: Sequence[str]) -> str:
    """The style sheet that puts the page's words on the uploader, or ``""`` in English.

    Parameters
    ----------
    language
        The page's language: only ``"zh"`` gets a style sheet.
    limit_mb
        The upload limit the uploader is given (``max_upload_size``), megabytes.
    kinds
        The file kinds it accepts (``type=``), shown upper-case as Streamlit shows them.
    """
    if language != "zh":
        return ""
    button = css_string(say("uploader_button"))
    limits = css_string(
        say("uploader_limit", mb=limit_mb, kinds="、".join(k.upper() for k in kinds))
    )
    listed = "、".join(k.upper() for k in kinds)
    refused = css_string(say("uploader_refused", mb=limit_mb, kinds=listed))
    skip = css_string(say("skip_to_content"))
    rules = [
        f"{_SKIP_LINK} {{ font-size: 0; }}",
        f"{_SKIP_LINK}::after {{ content: {skip}; font-size: 1rem; }}",
        f"{_BUTTON_TEXT} > p {{ display: none; }}",
        f"{_BUTTON_TEXT}::after {{ content: {button}; }}",
        f"{_LIMITS} {{ font-size: 0; }}",
        f"{_LIMITS}::after {{ content: {limits}; font-size: 0.875rem; }}",
        f"{_REFUSAL}, {_ERROR_TIP} {{ font-size: 0; }}",
        f"{_ERROR_TIP} {{ white-space: normal; max-width: 16rem; }}",
        f"{_REFUSAL}::after, {_ERROR_TIP}::after {{ content: {refused}; font-size: 0.875rem; }}",
    ]
    for english, key in GRID_BUTTONS.items():
        named = f'button[aria-label="{english}"], button[aria-label^="{english}: "]'
        pointed = [
            f'body:has([data-testid="stElementToolbarButton"] :is({named}):{state}) {_TIP}'
            for state in ("hover", "focus-visible")
        ]
        word = css_string(say(key))
        rules.append(f"{', '.join(pointed)} {{ font-size: 0; }}")
        rules.append(
            f"{', '.join(f'{p}::after' for p in pointed)} "
            f"{{ content: {word}; font-size: 0.875rem; }}"
        )
    return "\n".join(rules) + "\n"


def placeholder(options: Sequence[object]) -> str:
    """A select box's placeholder in the page's language (Streamlit's is English).

    Shown when nothing is chosen: "Choose an option", or "No options to select" when there
    are none.
    """
    return say("choose_option") if options else say("no_options")


def put_widget_words(*, limit_mb: int, kinds: Sequence[str]) -> None:
    """Send :func:`widget_words_css` for the page's language (an empty sheet in English)."""
    css = widget_words_css(current(), limit_mb=limit_mb, kinds=kinds)
    st.html(f"<style>{css}</style>")


__all__ = ["GRID_BUTTONS", "css_string", "placeholder", "put_widget_words", "widget_words_css"]
