"""Point labels on the web map: their boxes, and from which zoom each can show without overlap.

A label is a text at a point, drawn in one of the :data:`STYLES` (a region's name centred on
its label point, a city's name to the right of its dot, a lake's name centred in the lake).
Its box is estimated from the text: a CJK character is one em wide, any other character
:attr:`LabelStyle.latin_em`; the height is the font size times the line height, and a few
pixels of padding (the halo) go round it.

Coordinates in are (lon, lat) in degrees, WGS84. Boxes are in pixels of the web map at a
zoom: Web Mercator (EPSG:3857) with 256-pixel tiles, x to the east and y to the south, as
Leaflet counts them. Zooms of a regional map, :data:`ZOOMS`, are 6 to 11.

:func:`assign_min_zoom` gives each label the first zoom from which it can be shown: labels
are taken in order of priority; each gets the lowest zoom, not below its own floor (from its
rank, :func:`rank_floor`), at which its box overlaps no box of a label placed before it, at
that zoom and every higher one. A label that overlaps at every zoom of :data:`ZOOMS` gets
None (not labelled on a regional map). :func:`overlapping` is the check: which labels shown
at a zoom overlap.

:func:`place_after` places more labels after some already placed, by the same rule, without
moving them: the web map puts the route numbers of a border's interfaces (:data:`ROUTE_STYLES`)
after the context's labels, whose zooms are computed once when ``data/context`` is built.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

#: The zooms of a regional map that labels are placed for (6: the six provinces on a
#: screen; 11: a city and its surroundings).
ZOOMS: Final = range(6, 12)

#: Pixels of one tile's side (Leaflet's default): the world is ``256 * 2**zoom`` wide.
TILE_PX: Final = 256

#: Web Mercator's latitude limit, degrees.
_MAX_LAT: Final = 85.05112878

Box = tuple[float, float, float, float]
"""A label's box in pixels: (left, top, right, bottom), y growing to the south."""


@dataclass(frozen=True)
class LabelStyle:
    """How a kind of label is drawn, as far as its size and place are concerned.

    Attributes
    ----------
    kind
        ``"region"``, ``"city"`` or ``"lake"``.
    font_px
        Font size in CSS pixels.
    latin_em
        Width of a character that is not CJK (Latin letters, digits, spaces), in em. Chosen
        so that the estimate is never narrower than the text: measured in Chromium
        (``measureText``) for every label of ``data/context`` in DejaVu Sans, Liberation
        Sans (Arial's widths) and WenQuanYi Micro Hei, at the style's size and weight
        (regions bold, lakes italic).
    anchor
        ``"centre"``: the text is centred on the point; ``"right"``: a dot of radius
        ``dot_px`` is drawn at the point and the text starts ``gap_px`` to its right,
        centred vertically.
    dot_px
        Radius of the dot drawn at the point (``"right"`` labels), pixels.
    gap_px
        Space between the point and the text (``"right"`` labels), pixels.
    pad_px
        Halo round the text that another label must not cover, pixels.
    line_height
        Height of a line of text, in em.
    """

    kind: str
    font_px: float
    latin_em: float
    anchor: Literal["centre", "right"]
    dot_px: float = 0.0
    gap_px: float = 0.0
    pad_px: float = 2.0
    line_height: float = 1.2


#: The label styles by kind; the map draws labels with these sizes (the boxes assume them).
STYLES: Final[dict[str, LabelStyle]] = {
    "region": LabelStyle("region", font_px=14, latin_em=0.75, anchor="centre"),
    "city": LabelStyle("city", font_px=12, latin_em=0.72, anchor="right", dot_px=3, gap_px=5),
    "lake": LabelStyle("lake", font_px=11, latin_em=0.7, anchor="centre"),
}

#: Labels the web map adds to the context's: a route's number (``G60``) in a small box to
#: the right of the interface where it crosses the border. The box's 3 px of padding and
#: 1 px border are in ``pad_px``; the gap from the point is the marker's radius plus a few
#: pixels (:attr:`Label.gap_px`). Kept apart from :data:`STYLES`, which ``data/context``
#: was built with.
ROUTE_STYLES: Final[dict[str, LabelStyle]] = {
    "ref": LabelStyle("ref", font_px=11, latin_em=0.75, anchor="right", pad_px=6.0),
}

#: A river's name, centred on a point of its line and turned along it
#: (:attr:`Label.angle_deg`; :mod:`geo.river_labels`); italic like the lakes'. Its box is
#: the upright box round the turned text. Kept apart from :data:`STYLES` too.
RIVER_STYLES: Final[dict[str, LabelStyle]] = {
    "river": LabelStyle("river", font_px=11, latin_em=0.72, anchor="centre"),
}

_ALL_STYLES: Final = {**STYLES, **ROUTE_STYLES, **RIVER_STYLES}


@dataclass(frozen=True)
class Label:
    """One label to place.

    Attributes
    ----------
    lon, lat
        The point, degrees WGS84.
    text
        The text shown.
    kind
        A key of :data:`STYLES` or :data:`ROUTE_STYLES`.
    floor
        The lowest zoom it may be shown at (:func:`rank_floor`).
    gap_px
        For a ``"right"`` label, the space between the point and the text in pixels, when
        it is not the style's (a route number clears its interface's marker).
    angle_deg
        For a ``"centre"`` label, how far the text is turned, degrees clockwise on the
        screen (a river's name along its line); 0 for upright text.
    """

    lon: float
    lat: float
    text: str
    kind: str
    floor: int = ZOOMS[0]
    gap_px: float | None = None
    angle_deg: float = 0.0


def rank_floor(kind: str, scalerank: float, population: float = 0) -> int:
    """The lowest zoom a label may show at, from its Natural Earth ``scalerank`` and population.

    The rule (Natural Earth's ``scalerank``: 0 for the world's largest cities, higher for
    smaller places):

    * a region: 6;
    * a city: 6 for ``scalerank`` 0-2 (Shanghai and the provincial capitals), 7 for 3-4,
      8 for 5-6, 9 above; one zoom lower (not below 6) for 2 million people or more
      (``pop_max``);
    * a lake: 7 for ``scalerank`` up to 4 (Taihu, Poyang, Hongze), 8 for 5, 9 above.

    Parameters
    ----------
    kind
        ``"region"``, ``"city"`` or ``"lake"``.
    scalerank
        Natural Earth's ``scalerank`` of the feature (ignored for regions).
    population
        Natural Earth's ``pop_max`` (cities only).

    Examples
    --------
    >>> rank_floor("city", 4, 1_650_000), rank_floor("city", 4, 2_350_000)
    (7, 6)
    """
    if kind == "region":
        return 6
    if kind == "lake":
        return 7 if scalerank <= 4 else 8 if scalerank <= 5 else 9
    if kind != "city":
        raise ValueError(f"unknown label kind {kind!r}; use one of {', '.join(STYLES)}.")
    floor = 6 if scalerank <= 2 else 7 if scalerank <= 4 else 8 if scalerank <= 6 else 9
    if population >= 2_000_000:
        floor -= 1
    return max(floor, ZOOMS[0])


def text_width_px(text: str, style: LabelStyle) -> float:
    """Estimated width of ``text`` in pixels: a CJK character 1 em, any other ``latin_em``.

    Examples
    --------
    >>> text_width_px("杭州", STYLES["city"]), round(text_width_px("Hangzhou", STYLES["city"]), 2)
    (24.0, 69.12)
    """
    ems = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else style.latin_em for ch in text)
    return ems * style.font_px


def to_pixels(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel coordinates (x east, y south) of a point at ``zoom``.

    Examples
    --------
    >>> to_pixels(0.0, 0.0, 0)
    (128.0, 128.0)
    """
    size = TILE_PX * 2.0**zoom
    phi = math.radians(max(-_MAX_LAT, min(_MAX_LAT, lat)))
    x = (lon + 180.0) / 360.0 * size
    y = (1.0 - math.log(math.tan(phi) + 1.0 / math.cos(phi)) / math.pi) / 2.0 * size
    return x, y


def label_box(label: Label, zoom: float) -> Box:
    """The box a label covers at ``zoom``, in pixels (left, top, right, bottom).

    The box holds the label's point (its dot, for a city), so it never shrinks to nothing
    and two labels at one point always overlap.
    """
    style = _ALL_STYLES[label.kind]
    x, y = to_pixels(label.lon, label.lat, zoom)
    width = text_width_px(label.text, style)
    half_height = style.font_px * style.line_height / 2 + style.pad_px
    if style.anchor == "centre":
        half_width = width / 2 + style.pad_px
        if label.angle_deg:
            turn = math.radians(label.angle_deg)
            cos, sin = abs(math.cos(turn)), abs(math.sin(turn))
            half_width, half_height = (
                half_width * cos + half_height * sin,
                half_width * sin + half_height * cos,
            )
        return (x - half_width, y - half_height, x + half_width, y + half_height)
    left = x - style.dot_px - style.pad_px
    gap = style.gap_px if label.gap_px is None else label.gap_px
    right = x + gap + width + style.pad_px
    return (left, y - half_height, right, y + half_height)


def boxes_overlap(a: Box, b: Box) -> bool:
    """Whether two boxes share more than an edge."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def assign_min_zoom(labels: Sequence[Label], zooms: range = ZOOMS) -> list[int | None]:
    """The first zoom each label can show at without overlapping a label placed before it.

    Parameters
    ----------
    labels
        In order of priority: a label never pushes away one placed before it.
    zooms
        The zooms considered, lowest first.

    Returns
    -------
    list of int or None
        For each label, the lowest zoom ``z`` of ``zooms`` not below its ``floor`` such that
        at ``z`` and every higher zoom its box overlaps none of the earlier labels shown
        there; None when there is no such zoom.
    """
    boxes = [{z: label_box(label, z) for z in zooms} for label in labels]
    placed: list[tuple[int, int]] = []  # (position, min_zoom) of the labels placed so far
    result: list[int | None] = []
    for i, label in enumerate(labels):
        found = next(
            (
                z
                for z in zooms
                if z >= label.floor
                and not any(
                    boxes_overlap(boxes[i][zz], boxes[j][zz])
                    for j, since in placed
                    for zz in zooms
                    if zz >= max(z, since)
                )
            ),
            None,
        )
        result.append(found)
        if found is not None:
            placed.append((i, found))
    return result


def place_after(
    placed: Sequence[tuple[Label, int]], labels: Sequence[Label], zooms: range = ZOOMS
) -> list[int | None]:
    """The first zoom of each of ``labels`` by :func:`assign_min_zoom`'s rule, after ``placed``.

    ``placed`` are labels already given their min_zoom (each shows from it on); they come
    first in priority and keep their zooms. ``labels`` are placed after them, in order, as
    :func:`assign_min_zoom` would place them if it were given ``placed`` first. Computed
    with arrays, a zoom at a time, so a few hundred placed labels cost milliseconds.

    Parameters
    ----------
    placed
        ``(label, min_zoom)`` of the labels already placed.
    labels
        The labels to place, in order of priority.
    zooms
        The zooms considered, lowest first (they may go beyond :data:`ZOOMS`: a label
        placed before shows at every zoom from its min_zoom on).

    Returns
    -------
    list of int or None
        For each of ``labels``, the lowest zoom of ``zooms`` not below its floor from which
        its box overlaps, at every zoom of ``zooms``, none of the labels before it shown
        there; None when there is none.
    """
    boxes: dict[int, list[Box]] = {z: [label_box(lb, z) for lb, _ in placed] for z in zooms}
    since: list[int] = [z for _, z in placed]
    result: list[int | None] = []
    for label in labels:
        mine = {z: label_box(label, z) for z in zooms}
        clash = {z: _clashes(mine[z], boxes[z], since, z) for z in zooms}
        found = next(
            (
                z
                for z in zooms
                if z >= label.floor and not any(clash[zz] for zz in zooms if zz >= z)
            ),
            None,
        )
        result.append(found)
        if found is not None:
            for z in zooms:
                boxes[z].append(mine[z])
            since.append(found)
    return result


def _clashes(box: Box, others: Sequence[Box], since: Sequence[int], zoom: int) -> bool:
    """Whether ``box`` overlaps one of ``others`` shown at ``zoom`` (``since`` at most it)."""
    if not others:
        return False
    arr = np.asarray(others, dtype=float)
    shown = np.asarray(since) <= zoom
    hits = (box[0] < arr[:, 2]) & (arr[:, 0] < box[2]) & (box[1] < arr[:, 3]) & (arr[:, 1] < box[3])
    return bool((hits & shown).any())


def overlapping(
    labels: Sequence[Label], min_zooms: Sequence[int | None], zoom: int
) -> list[tuple[int, int]]:
    """Pairs (by position) of the labels shown at ``zoom`` whose boxes overlap.

    A label is shown at ``zoom`` when its min_zoom is not None and at most ``zoom``. An
    empty list means the labels can all be drawn at that zoom without collision.
    """
    shown = [i for i, mz in enumerate(min_zooms) if mz is not None and mz <= zoom]
    boxes = {i: label_box(labels[i], zoom) for i in shown}
    return [
        (a, b)
        for n, a in enumerate(shown)
        for b in shown[n + 1 :]
        if boxes_overlap(boxes[a], boxes[b])
    ]


__all__ = [
    "RIVER_STYLES",
    "ROUTE_STYLES",
    "STYLES",
    "ZOOMS",
    "Box",
    "Label",
    "LabelStyle",
    "assign_min_zoom",
    "boxes_overlap",
    "label_box",
    "overlapping",
    "place_after",
    "rank_floor",
    "text_width_px",
    "to_pixels",
]
