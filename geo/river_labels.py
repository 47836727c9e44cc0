"""Where a river's name goes on the web map: points along its line, the text turned along it.

Natural Earth draws a river as several lines (a river, then a lake's centre line, then the
river again); the lines of one name are joined and each long stretch gets candidate label
points at even steps along it, measured on the screen (Web Mercator pixels at zoom
:data:`STEP_ZOOM`). Each candidate is a :class:`geo.label_layout.Label` of kind ``"river"``
(:data:`geo.label_layout.RIVER_STYLES`) turned to the line's direction there
(:attr:`~geo.label_layout.Label.angle_deg`), with a floor (the lowest zoom it may show
at) from the river's Natural Earth ``scalerank`` and from its place in the row of
candidates: every fourth candidate from the floor, every second one a zoom later, the
others a zoom after that, so a river is named about every :data:`STEP_PX` pixels at any
zoom. Whether a candidate shows, and from which zoom, the caller decides with
:func:`geo.label_layout.place_after`, after the labels placed before (so river names
never cover a province's, a city's or a lake's, nor one another).

Coordinates are (lon, lat) in degrees, WGS84. Nothing here reads files.
"""

from __future__ import annotations

import math
from typing import Final

import geopandas as gpd
import shapely

from geo.errors import InvalidParameterError
from geo.label_layout import ZOOMS, Label, to_pixels
from geo.labels import LANGUAGES, RIVER_NAME

#: The zoom at which steps along a river are measured, in pixels.
STEP_ZOOM: Final = 9

#: Pixels, at :data:`STEP_ZOOM`, between two candidate label points of one river.
STEP_PX: Final = 420.0

#: Stretches shorter than this many pixels at :data:`STEP_ZOOM` get no label of their own.
MIN_STRETCH_PX: Final = 160.0

#: Pixels, at :data:`STEP_ZOOM`, either side of a label point over which the line's
#: direction (the text's angle) is taken.
ANGLE_SPAN_PX: Final = 40.0


def river_floor(scalerank: float) -> int:
    """The lowest zoom a river's name may show at, from its Natural Earth ``scalerank``.

    7 for the great rivers (``scalerank`` up to 3: the Yangtze, the Yellow River), 8 up to
    7 (the Qiantang, the Huai), 9 above.

    Examples
    --------
    >>> river_floor(1), river_floor(7), river_floor(9)
    (7, 8, 9)
    """
    base = 7 if scalerank <= 3 else 8 if scalerank <= 7 else 9
    return max(base, ZOOMS[0])


def _screen_angle(line: shapely.LineString, at: float) -> float:
    """The line's direction at ``at`` (pixels along it), degrees clockwise, within ±90."""
    a = line.interpolate(max(at - ANGLE_SPAN_PX, 0.0))
    b = line.interpolate(min(at + ANGLE_SPAN_PX, line.length))
    angle = math.degrees(math.atan2(b.y - a.y, b.x - a.x))
    if angle > 90:
        angle -= 180
    elif angle <= -90:
        angle += 180
    return round(angle, 1)


def _to_screen(line: shapely.LineString) -> shapely.LineString:
    return shapely.LineString([to_pixels(x, y, STEP_ZOOM) for x, y in line.coords])


def _to_lonlat(x: float, y: float) -> tuple[float, float]:
    size = 256 * 2.0**STEP_ZOOM
    lon = x / size * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / size))))
    return lon, lat


def river_labels(rivers: gpd.GeoDataFrame, language: str) -> list[Label]:
    """Candidate labels of the named rivers in ``language``, in order of priority.

    Parameters
    ----------
    rivers
        River lines with ``name_en``, ``name_zh`` and ``scalerank`` (as
        :func:`geo.io.context.context_layers` gives them), any CRS.
    language
        ``"zh"`` (``钱塘江``) or ``"en"`` (``Qiantang River``).

    Returns
    -------
    list of Label
        Kind ``"river"``, each turned along its line, with its floor; first every fourth
        candidate of every river (great rivers first, then longer ones), then every
        second, then the rest. Rivers without a name in that language get none.

    Raises
    ------
    InvalidParameterError
        For a language other than ``zh`` or ``en``.
    """
    if language not in LANGUAGES:
        raise InvalidParameterError(
            f"River names come in {' and '.join(LANGUAGES)}, not {language!r}; use one of those."
        )
    frame = rivers.to_crs("EPSG:4326") if rivers.crs is not None else rivers
    named = frame[frame["name_en"].notna() & frame[f"name_{language}"].notna()]
    found: list[tuple[tuple[int, float, float, int], Label]] = []
    for name_en, group in named.groupby("name_en", sort=True):
        text = RIVER_NAME[language].format(name=group[f"name_{language}"].iloc[0])
        rank = float(group["scalerank"].min())
        floor = river_floor(rank)
        merged = shapely.line_merge(shapely.union_all(group.geometry.to_numpy()))
        stretches = [_to_screen(part) for part in shapely.get_parts(merged)]
        for line in sorted(stretches, key=lambda g: -g.length):
            if line.length < MIN_STRETCH_PX:
                continue
            count = max(1, int(line.length // STEP_PX))
            offset = (line.length - (count - 1) * STEP_PX) / 2
            for i in range(count):
                at = offset + i * STEP_PX
                point = line.interpolate(at)
                lon, lat = _to_lonlat(point.x, point.y)
                level = 0 if i % 4 == 0 else 1 if i % 2 == 0 else 2
                label = Label(
                    round(lon, 5),
                    round(lat, 5),
                    text,
                    "river",
                    floor=floor + level,
                    angle_deg=_screen_angle(line, at),
                )
                found.append(((level, rank, -line.length, i), label))
        del name_en
    found.sort(key=lambda pair: pair[0])
    return [label for _, label in found]


__all__ = [
    "ANGLE_SPAN_PX",
    "MIN_STRETCH_PX",
    "STEP_PX",
    "STEP_ZOOM",
    "river_floor",
    "river_labels",
]
