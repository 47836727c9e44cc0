"""How tall the page's map is: fitted to the browser's window, or a height the user chose.

The map was 560 px high whatever the window: a third of a 1920 × 1080 screen stayed empty
under it, and on a 1024 × 768 one it ran past the window's bottom. ``st_folium`` takes a
height in pixels, which the server must give before it knows the window. So the page sends
a style sheet (:func:`frame_css`, put in the page by ``st.html``) that sizes the map's frame
in the browser, by the window's height: ``clamp(MIN, 100vh - ABOVE, MAX)`` for "Fit the
window" (the default), or the height chosen in the sidebar's "Basemap" panel. Inside the
frame, the map fills it (:data:`app.map_html.MAP_STYLE`: ``#map_div``, the map's element
in ``st_folium``'s frame, is ``100vh`` high), and Leaflet redraws when the frame changes
size, so changing the choice, or the window, resizes the map without reloading it.

The printed sheet and the HTML map have sizes of their own (:mod:`app.print_sheet`), and a
link carries the map's centre and zoom, not its size (:mod:`app.share_view`): neither
depends on this. Nothing here imports streamlit.
"""

from __future__ import annotations

from typing import Final

from app.labels import say

#: The map's heights to choose from, in pixels; ``None`` fits the window.
MAP_HEIGHTS: Final[dict[str, int | None]] = {
    "fit": None,
    "small": 480,
    "medium": 640,
    "large": 800,
    "larger": 1000,
}

#: The default choice.
DEFAULT_HEIGHT: Final = "fit"

#: A fitted map is never lower than this (a small window scrolls to it) ...
FIT_MIN_PX: Final = 440
#: ... nor higher than this (on a tall screen the tables below stay a scroll away).
FIT_MAX_PX: Final = 1000
#: What the window shows besides a fitted map: the page's top margin, title and caption above
#: it (the map's top is 223 px down the page at 1440 px and wider) and a margin below it, so
#: that its scale bar and credits show. A title on two lines (a narrower window) pushes the
#: map down by some 50 px more; that margin is :data:`NARROW_EXTRA_PX`.
ABOVE_MAP_PX: Final = 250
#: Windows narrower than this (the title wraps) leave :data:`NARROW_EXTRA_PX` more above.
NARROW_WINDOW_PX: Final = 1200
NARROW_EXTRA_PX: Final = 50

#: The height given to ``st_folium``: what its frame has until the style sheet applies,
#: and what a page without it (a test's in-process run) describes. The same whatever the
#: choice, so that a new choice changes the style sheet only, not the map's message.
COMPONENT_HEIGHT: Final = 560

#: The map's frame in the page (``st_folium``'s iframe).
FRAME_SELECTOR: Final = 'iframe[title="streamlit_folium.st_folium"]'


def map_height_label(choice: str) -> str:
    """A choice as the sidebar lists it, in the page's language.

    Examples
    --------
    >>> map_height_label("medium")
    'Medium (640 px)'
    """
    height = MAP_HEIGHTS[choice]
    if height is None:
        return say("map_height_fit")
    return say(f"map_height_{choice}", px=height)


def fitted_height_css(above_px: int = ABOVE_MAP_PX) -> str:
    """The CSS height of a map fitted to the window with ``above_px`` of the window besides it.

    Examples
    --------
    >>> fitted_height_css()
    'clamp(440px, calc(100vh - 250px), 1000px)'
    """
    return f"clamp({FIT_MIN_PX}px, calc(100vh - {above_px}px), {FIT_MAX_PX}px)"


def frame_css(choice: str) -> str:
    """The style sheet that sizes the map's frame for ``choice`` (a key of :data:`MAP_HEIGHTS`).

    An unknown choice fits the window.

    Examples
    --------
    >>> print(frame_css("small"))
    iframe[title="streamlit_folium.st_folium"] { height: 480px !important; }
    """
    height = MAP_HEIGHTS.get(choice)
    if height is not None:
        return f"{FRAME_SELECTOR} {{ height: {height}px !important; }}"
    narrow = fitted_height_css(ABOVE_MAP_PX + NARROW_EXTRA_PX)
    return (
        f"{FRAME_SELECTOR} {{ height: {fitted_height_css()} !important; }}\n"
        f"@media (max-width: {NARROW_WINDOW_PX - 1}px) {{ "
        f"{FRAME_SELECTOR} {{ height: {narrow} !important; }} }}"
    )


__all__ = [
    "ABOVE_MAP_PX",
    "COMPONENT_HEIGHT",
    "DEFAULT_HEIGHT",
    "FIT_MAX_PX",
    "FIT_MIN_PX",
    "FRAME_SELECTOR",
    "MAP_HEIGHTS",
    "NARROW_EXTRA_PX",
    "NARROW_WINDOW_PX",
    "fitted_height_css",
    "frame_css",
    "map_height_label",
]
