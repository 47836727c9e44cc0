"""The view in the page's URL: read from a link on a session's first run, written as it changes.

The page keeps what it shows in its URL's query parameters (``st.query_params``; the
parameters and how each is checked: :mod:`app.link_state`), so that the address bar, or
the link the page shows with a "Copy link" button (:func:`share_box`), opens the same
view in another browser.

Reading (a session's first run only, :func:`opened_link`): each value is put into the
session state of the widget it belongs to just before that widget is drawn, once the page
knows what it offers (:func:`seed_choice`, :func:`seed_names`, :func:`seed_year`,
:func:`seed_source`, :func:`seed_datum`); a value it does not offer is left out with a
note, shown under the title until the user changes the view (:func:`show_notes`). The map's
centre and zoom go into the map drawn on that run (:func:`start_view`); the selected
interface waits for the table (:func:`selected_interface`).

Writing (:func:`write_params`): once per run, after the map, and only when a value
changed (Streamlit sends the browser each change). The map's view is what the map reported
last (``st_folium`` reports it after each move, which reruns the page); until it has, the
view it was drawn at (a link's, or where the user left the map before it was drawn anew).

The map's view: the map's script holds the view it opens at (:func:`start_view`): a
link's; where the user left it when it is drawn anew for the same border (another year,
layer, basis, language or basemap); fitted to the border for a new border. The map is
asked to go somewhere (``st_folium(center=..., zoom=...)``) only for an interface newly
selected (:func:`map_view`); never to the view the map reported itself, which, sent back
while the user drags on, would pull the map back.

Decision on "Copy link": Streamlit has no clipboard API, and its code block's copy icon
uses ``navigator.clipboard``, which a browser offers only on ``https://`` or
``localhost`` pages, not on an office server reached as ``http://host:8501``. So the link
is shown in a code block (readable, and selectable by hand) with a one-button frame
beside it (``st.iframe``) that copies it with ``navigator.clipboard`` where allowed and
with ``document.execCommand("copy")`` where not, and says which happened.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app import hosting, link_state
from app.basis_panel import CUSTOM
from app.labels import say
from app.language import current, use
from app.link_state import Link, MapView, Note
from app.page_text import md
from app.query import Keys, PageQuery
from app.webmap import MapContent, selection_view
from geo.datum import BD09_DATUM, GCJ02_DATUM
from geo.io import datasets
from geo.region_names import RegionNames


def opened_link() -> Link:
    """The URL's parameters on a session's first run (an empty link on every later run).

    The link's map view is kept for the map (:func:`map_view`), its interface for the
    table (:func:`selected_interface`), its language for the session (:func:`use_language`).
    """
    state = st.session_state
    if state.get(Keys.LINK_READ):
        return Link()
    state[Keys.LINK_READ] = True
    link = Link.of(st.query_params.to_dict())
    state[Keys.LINK_NOTES] = link.notes  # the same list: notes added later in this run too
    language = link.language()
    if language is not None:
        state[Keys.LANGUAGE] = language
    view = link.view()
    if view is not None:
        state[Keys.VIEW_REQUEST] = view
    interface = link.text(link_state.INTERFACE)
    if interface:
        state[Keys.LINK_INTERFACE] = interface
    return link


def use_language() -> None:
    """Show this run in the session's language, when it has one (a link's ``lang``)."""
    language = st.session_state.get(Keys.LANGUAGE)
    if language in ("en", "zh"):
        use(language)


def seed_source(link: Link) -> None:
    """Select the link's source: an embedded dataset, or (hosted) a file of the list.

    Never a path: in hosted mode a name of :func:`app.hosting.shared_files`, resolved inside
    its folder only when loaded; on one's own machine embedded datasets only.
    """
    embedded = datasets.available()
    shared = hosting.shared_files() if hosting.hosted() else []
    chosen = link.choice(link_state.SOURCE, [*embedded, *shared])
    if chosen is None:
        return
    if chosen in embedded:
        st.session_state[Keys.DATASET] = chosen
        st.session_state.pop(Keys.SHARED_FILE, None)
    else:
        st.session_state[Keys.SHARED_FILE] = chosen


def seed_datum(link: Link) -> None:
    """Tick the box of the link's datum (``datum=gcj02`` or ``bd09``) and untick the other.

    Called after :func:`seed_source` and before the boxes are drawn. Only for a source a datum
    applies to (:func:`_own_source`): an embedded dataset has none to choose (its boxes are
    disabled), so a datum with it is left out with a note.
    """
    datum = link.datum(applies=_own_source())
    if datum is None:
        return
    st.session_state[Keys.GCJ02] = datum == GCJ02_DATUM
    st.session_state[Keys.BD09] = datum == BD09_DATUM


def _own_source() -> bool:
    """Whether the sidebar is to show one's own file rather than an embedded dataset.

    In hosted mode a file of the list chosen (a link's ``src``, :func:`seed_source`); on one's
    own machine a path typed in. (An upload is never there on a session's first run.)
    """
    state = st.session_state
    if hosting.hosted():
        return bool(state.get(Keys.SHARED_FILE))
    return bool(str(state.get(Keys.SOURCE_PATH) or "").strip())


def seed_choice(
    link: Link,
    param: str,
    key: str,
    options: Sequence[str],
    *,
    aliases: Mapping[str, str] | None = None,
    normal: Callable[[str], str] = str,
    regions: RegionNames | None = None,
) -> None:
    """Give widget ``key`` the link's ``param`` when it is one of ``options``.

    With ``regions``, a region named by any of its names (:meth:`app.link_state.Link.choice`).
    """
    chosen = link.choice(param, options, aliases=aliases, normal=normal, regions=regions)
    if chosen is not None:
        st.session_state[key] = chosen


def seed_names(link: Link, param: str, key: str, options: Sequence[str]) -> None:
    """Give the multiselect ``key`` the link's list ``param`` (its known items)."""
    chosen = link.names(param, options)
    if chosen is not None:
        st.session_state[key] = chosen


def seed_year(link: Link, param: str, key: str, first: int, last: int) -> None:
    """Give the year widget ``key`` the link's ``param`` when it is from ``first`` to ``last``."""
    year = link.year(param, first, last)
    if year is not None:
        st.session_state[key] = year


def selected_interface(table_row: str | None, ids: pd.Series) -> str | None:
    """The interface selected: the table's row, else the link's (while it is a shown one).

    A row selected in the table replaces the link's interface for good; a link's interface
    that is not among ``ids`` (the table's) is left out with a note.
    """
    state = st.session_state
    if table_row is not None:
        state.pop(Keys.LINK_INTERFACE, None)
        return table_row
    wanted = state.get(Keys.LINK_INTERFACE)
    if wanted is None:
        return None
    if wanted in set(ids.astype(str)):
        return str(wanted)
    del state[Keys.LINK_INTERFACE]
    _add_note("link_interface", param=link_state.INTERFACE, value=str(wanted)[:60])
    return None


def row_selection(ids: pd.Series) -> dict[str, Any] | None:
    """The table's starting selection: the row of a link's interface; None without one.

    ``st.dataframe``'s ``selection_default``, applied by Streamlit when the table has no
    selection of its own yet; once shown, the row is the table's selection, which the
    next run reads (:func:`selected_interface`).
    """
    wanted = linked_interface()
    rows = [i for i, v in enumerate(ids.astype(str)) if v == wanted] if wanted else []
    return {"selection": {"rows": rows[:1]}} if rows else None


def linked_interface() -> str | None:
    """The interface a link selected, while no row of the table replaced it."""
    found = st.session_state.get(Keys.LINK_INTERFACE)
    return None if found is None else str(found)


@dataclass(frozen=True)
class MapStart:
    """Where the map the page draws opens, and what it was drawn for.

    Attributes
    ----------
    border
        What the map is of (:func:`border_key`): while it stays, a map drawn anew opens
        where the last one was left.
    drawn
        Everything else the map's script is made from (:func:`drawn_key`); while both
        stay, the script, and so ``st_folium``'s iframe, stays the same.
    view
        The view the map opens at; None: fitted to the border (``content.bounds``).
    """

    border: tuple[object, ...]
    drawn: tuple[object, ...]
    view: MapView | None


def border_key(query: PageQuery) -> tuple[object, ...]:
    """What a map is of: the source, its datum and the pair (not the year, layers, basis)."""
    return (query.path, query.datum, query.region, query.neighbour)


def drawn_key(query: PageQuery, *extra: object) -> tuple[object, ...]:
    """Everything a map's script is made from but its view.

    The query, the page's language and ``extra`` (the basemap, the attribution...).
    """
    return (query, current(), *extra)


def start_view(
    border: tuple[object, ...], drawn: tuple[object, ...], selected: str | None
) -> MapView | None:
    """Where the map drawn this run opens (:func:`app.webmap.draw_map`'s ``view``).

    The map's script holds its opening view, so it is decided once per drawn map and kept
    while the map is the same (a script that changed on each move would reload the map's
    iframe). When the map is drawn anew (the year, the layers, the basis, the language or
    the basemap changed), it opens:

    - at a link's view (``lat``, ``lon``, ``z``), on a session's first run;
    - where the map was left (its last report), while the border is the same;
    - fitted to the border (None) for a new border, or with nothing reported yet.

    The view goes into the script rather than to ``st_folium(center=..., zoom=...)``,
    which sets it after the map has drawn fitted to its border: a pan at the same zoom
    is done by Leaflet in whole pixels, so the map would stand up to a pixel (hundreds of
    metres at zoom 9) off the link's centre, and the URL would then change.

    Parameters
    ----------
    border, drawn
        :func:`border_key` and :func:`drawn_key` of this run.
    selected
        The selected interface: a link's view with its interface shows it already, so the
        map is not sent to the interface's own view (:func:`map_view`).
    """
    state = st.session_state
    start: MapStart | None = state.get(Keys.MAP_START)
    if start is not None and start.drawn == drawn:
        return start.view
    requested: MapView | None = state.pop(Keys.VIEW_REQUEST, None)
    if requested is not None:
        view: MapView | None = requested
        if selected is not None:
            state[Keys.VIEW_SHOWN_FOR] = selected
    elif start is not None and start.border == border:
        view = MapView.reported(state.get(Keys.MAP)) or start.view
    else:
        view = None
    state[Keys.MAP_START] = MapStart(border, drawn, view)
    return view


def map_view(content: MapContent, selected: str | None) -> tuple[tuple[float, float], int] | None:
    """Where to send the drawn map this run (``st_folium``'s ``center`` and ``zoom``), or None.

    A newly selected interface's view (:func:`app.webmap.selection_view`), unless the
    link's view showed that interface already; else nothing, and the map stays where the
    user left it (it is never sent back where it reported itself: sent back while the
    user drags on, that would pull the map back).
    """
    state = st.session_state
    if selected is None:
        state.pop(Keys.VIEW_SHOWN_FOR, None)
        return None
    if state.get(Keys.VIEW_SHOWN_FOR) == selected:
        return None
    state[Keys.VIEW_SHOWN_FOR] = selected
    return selection_view(content, selected)


def current_view(report: Mapping[str, Any] | None) -> MapView | None:
    """The map's view for the link and the exports (None while unknown).

    The one the map reported last, else (a map just drawn anew, which has not reported
    yet) the view it opens at; None for a map fitted to its border until it reports.
    """
    reported = MapView.reported(report)
    if reported is not None:
        return reported
    start: MapStart | None = st.session_state.get(Keys.MAP_START)
    return start.view if start is not None else None


def page_choices(
    query: PageQuery, *, link_name: str | None, year: int, compare: int | None
) -> dict[str, str]:
    """The link's parameters of the sidebar's choices (:func:`app.link_state.page_params`).

    Parameters
    ----------
    query
        The page's choices.
    link_name
        The source's name in a link (:attr:`app.source_panel.SourceChoice.link_name`).
    year, compare
        The slider's year and the year compared with it (None: none).

    The datum is the query's: WGS84, so no ``datum``, for an embedded dataset (its boxes
    are disabled, :func:`app.source_panel.source_panel`) or with neither box ticked.
    """
    basis = st.session_state.get(Keys.BASIS)
    return link_state.page_params(
        source=link_name,
        region=query.region,
        neighbour=query.neighbour,
        layers=query.layer_names,
        year=year,
        compare=compare,
        basis=str(basis or ""),
        statuses=query.statuses if basis == CUSTOM else None,
        language=current(),
        view=None,
        interface=None,
        datum=query.datum,
    )


def write_params(params: dict[str, str], *, keep_view: bool = False) -> None:
    """Put ``params`` in the URL, replacing what is there, if anything differs.

    With ``keep_view`` the URL's map view and interface stay as they are: the page writes
    its choices as soon as they are known (a run may stop before the map: a source with
    nothing to count), and the map's view once the map has reported.

    On the session's first write, the choices are noted: a later change of them drops the
    link's notes, which were about what the link asked for.
    """
    state = st.session_state
    current = st.query_params.to_dict()
    if keep_view:
        kept = {k: current[k] for k in link_state.VIEW_PARAMS if k in current}
        params = link_state.with_view(params, None, None) | kept
        params = {k: params[k] for k in link_state.PARAMS if k in params}
    choices = {k: v for k, v in params.items() if k not in link_state.VIEW_PARAMS}
    if Keys.LINK_CHOICES not in state:
        state[Keys.LINK_CHOICES] = choices
    elif state[Keys.LINK_CHOICES] != choices:
        state.pop(Keys.LINK_NOTES, None)
    if current != params:
        st.query_params.from_dict(params)


def _add_note(key: str, **values: str) -> None:
    """A note about the session's link, found after its first run read it."""
    notes: list[Note] | None = st.session_state.get(Keys.LINK_NOTES)
    if notes is not None:
        notes.append(Note(key, tuple(values.items())))


def show_notes(box: DeltaGenerator) -> None:
    """Say in ``box`` (under the title) which values of the session's link were left out."""
    notes: list[Note] = st.session_state.get(Keys.LINK_NOTES) or []
    if notes:
        # The visitor's own text said back; in hosted mode without anything like a path.
        lines = "\n".join(f"- {md(hosting.public_text(n.text()))}" for n in dict.fromkeys(notes))
        box.warning(f"{md(say('link_notes'))}\n{lines}")


def link_url(params: Mapping[str, str]) -> str:
    """The page's address with ``params``: absolute when the browser's URL is known."""
    base = st.context.url or ""
    return f"{base}?{urlencode(params, safe=',*')}" if params else base


def share_box(params: Mapping[str, str], *, carried: bool) -> None:
    """The link to this view, and a button that copies it (see the module docstring).

    Parameters
    ----------
    params
        The page's parameters (:func:`app.link_state.page_params`).
    carried
        Whether the link names the source; if not (an upload, a path), it says so.
    """
    url = link_url(params)
    st.caption(md(say("share_link")))
    st.code(url, language=None, wrap_lines=True)
    st.iframe(_copy_button(url), height=44, alt=say("copy_link"))
    if not carried:
        st.caption(md(say("share_no_source")))


def _js(text: str) -> str:
    """Text as a JavaScript string literal that cannot end the script it is in."""
    return json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _copy_button(url: str) -> str:
    """A frame's HTML: one button copying ``url``, and a line saying whether it could."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; font-family: "Source Sans Pro", system-ui, sans-serif; font-size: 14px; }}
button {{ padding: 5px 12px; border: 1px solid rgba(49,51,63,0.2); border-radius: 8px;
  background: #fff; cursor: pointer; font: inherit; }}
button:hover {{ border-color: #ff4b4b; color: #ff4b4b; }}
span {{ margin-left: 10px; color: #555; }}
</style></head><body>
<button id="copy" type="button"></button><span id="said" role="status"></span>
<script>
var link = {_js(url)};
var button = document.getElementById("copy"), said = document.getElementById("said");
button.textContent = {_js(say("copy_link"))};
function byHand() {{
  var area = document.createElement("textarea");
  area.value = link; area.setAttribute("readonly", "");
  area.style.position = "fixed"; area.style.opacity = "0";
  document.body.appendChild(area); area.select();
  var done = false;
  try {{ done = document.execCommand("copy"); }} catch (e) {{ done = false; }}
  document.body.removeChild(area);
  return done;
}}
function say(done) {{
  said.textContent = done ? {_js(say("copied"))} : {_js(say("copy_by_hand"))};
  button.dataset.copied = done ? "yes" : "no";
}}
button.addEventListener("click", function() {{
  if (navigator.clipboard && window.isSecureContext) {{
    navigator.clipboard.writeText(link).then(function() {{ say(true); }},
                                             function() {{ say(byHand()); }});
  }} else {{
    say(byHand());
  }}
}});
</script></body></html>"""
