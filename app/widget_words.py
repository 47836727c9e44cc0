"""Streamlit's own words on its widgets, in the page's language where Streamlit allows it.

Streamlit 1.67's frontend writes some words itself, in English, with no option for another
language: the file uploader's button ("Upload") and its line of limits ("200MB per file •
GEOJSON, ..."), an empty select box's "Choose an option", the data grids' toolbar tips
(streamlit/streamlit#13500 asks for the uploader's, open). The page sets what Streamlit lets
it set (labels, ``help=``, ``placeholder=``). For the uploader, a style sheet of the Chinese
page hides Streamlit's two texts and shows the page's own in their place (CSS ``content``,
:func:`widget_words_css`), scoped to the uploader's ``data-testid`` attributes; the English
page keeps Streamlit's. The style sheet is sent with ``st.html`` (style only, so it takes
no room in the page). What it replaces is checked in a browser (``tests/test_e2e_language.py``).
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
    return (
        f"{_BUTTON_TEXT} > p {{ display: none; }}\n"
        f"{_BUTTON_TEXT}::after {{ content: {button}; }}\n"
        f"{_LIMITS} {{ font-size: 0; }}\n"
        f"{_LIMITS}::after {{ content: {limits}; font-size: 0.875rem; }}\n"
    )


def put_widget_words(*, limit_mb: int, kinds: Sequence[str]) -> None:
    """Send :func:`widget_words_css` for the page's language (an empty sheet in English)."""
    css = widget_words_css(current(), limit_mb=limit_mb, kinds=kinds)
    st.html(f"<style>{css}</style>")


__all__ = ["css_string", "put_widget_words", "widget_words_css"]
