"""The page's language switch, 中文 / English, at the top of the sidebar.

Each visitor chooses; until they do, the page opens in the language the link names
(``?lang=zh``), else the server's setting (``JIEGUI_LANGUAGE``), else the browser's
(``st.context.locale``), else English (:func:`app.language.first_language`). The choice is
kept in the session state under :attr:`app.query.Keys.LANGUAGE` and set for the run
(:func:`app.language.use`) before any text is drawn.

Switching keeps the view. The widgets hold keys, not labels (a region's name, a layer's
name, ``"osm"``), and show them through a ``format_func`` in the page's language; but a
browser sends back what a choice was labelled, which after a switch names no option in the
new language, and Streamlit would then fall back to the first. So the switch's callback
writes each such widget's value back into the session state (:data:`KEPT`), and the next
run draws it with the new labels.
"""

from __future__ import annotations

from typing import Final

import streamlit as st

from app import link_state
from app.language import current, first_language, use
from app.query import Keys
from geo import settings
from geo.labels import LANGUAGES, Language

#: The switch's choices as shown: each language in its own words, Chinese first.
NAMES: Final[dict[Language, str]] = {"zh": "中文", "en": "English"}

#: The switch's label, the same in both languages (whoever reads either finds it).
LABEL: Final = "语言 · Language"

#: The widgets whose options are shown in the page's language (keys of the session state).
KEPT: Final[tuple[str, ...]] = (
    Keys.DATASET,
    Keys.SHARED_FILE,
    Keys.REGION,
    Keys.NEIGHBOUR,
    Keys.LAYERS,
    Keys.BASIS,
    Keys.STATUSES,
    Keys.COMPARE_YEAR,
    Keys.BASEMAP,
    Keys.FETCH_FROM,
    Keys.FETCH_SHARED,
)


def keep_choices() -> None:
    """Write each of :data:`KEPT`'s values back, so the next run shows it relabelled.

    The switch's callback: it runs before the next run, while the session state still
    holds the values the last run read.
    """
    state = st.session_state
    for key in KEPT:
        # None is no choice (Streamlit would show the box empty if it were written back).
        if state.get(key) is not None:
            state[key] = state[key]


def opening_language() -> Language:
    """The language of a session's first view (:func:`app.language.first_language`)."""
    link = st.query_params.get(link_state.LANGUAGE)
    return first_language(
        link=link if isinstance(link, str) else None,
        setting=settings.LANGUAGE.value(),
        locale=st.context.locale,
    )


def language_switch() -> Language:
    """Draw the switch at the top of the sidebar and set the run's language; return it.

    Call it first in every run, before any text is drawn.

    Raises
    ------
    geo.errors.InvalidParameterError
        On a session's first run, when ``JIEGUI_LANGUAGE`` names another language.
    """
    state = st.session_state
    if state.get(Keys.LANGUAGE) not in LANGUAGES:
        state[Keys.LANGUAGE] = opening_language()
    chosen = st.sidebar.segmented_control(
        LABEL,
        list(NAMES),
        format_func=NAMES.__getitem__,
        key=Keys.LANGUAGE,
        required=True,
        on_change=keep_choices,
    )
    use(chosen if chosen in LANGUAGES else current())
    return current()
