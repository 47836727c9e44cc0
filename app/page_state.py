"""Widgets whose value the page sets itself: settled before they are drawn.

The sidebar's region, neighbour and year are set by the user and by the page (a click on an
overview row focuses that border; "Count as the report does" sets the year), so they keep
their value under a key (:class:`app.query.Keys`) rather than by their default. Before such
a widget is drawn, :func:`settle` makes its value one it can show: the default on a
session's first run and whenever what it was chosen for changes (another source: its years
and regions are others), and whenever the value is no longer among the choices (another
region has other neighbours). Otherwise the value stays.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import streamlit as st

from app.query import Keys


def settle(
    key: str, default: object, *, valid: Callable[[object], bool], scope: Hashable
) -> None:
    """Give the widget ``key`` a value it can show, before it is drawn this run.

    Parameters
    ----------
    key
        The widget's key in the session state.
    default
        Its value when it has none, when ``scope`` changed, or when its value is not valid.
    valid
        Whether a value can be shown (among the options, within the range).
    scope
        What the value was chosen for (the source's key): a new scope resets it.
    """
    state = st.session_state
    if state.get(Keys.scope(key)) != scope or key not in state or not valid(state[key]):
        state[key] = default
    state[Keys.scope(key)] = scope
