"""How close a map may come to a feature whose position is known only to some kilometres.

A feature of the embedded dataset states how far its drawn line may be from the real one
(``accuracy_m``: 3-30 km for lines authored from documents). Shown at a street-level zoom,
such a line would look surveyed. Two helpers keep it honest:

* :func:`zoom_for_accuracy`: the zoom a map goes to for a feature, so that a circle of the
  accuracy's radius around it spans :data:`HALO_SPAN_PX` pixels at most (never beyond
  ``max_zoom``, the zoom for a feature of unknown or fine accuracy);
* :func:`halo`: that circle as a polygon, computed in a metric projection (an azimuthal
  equidistant one centred on the point, so the radius is true in every direction) and
  returned in WGS84, to draw around the feature.

Zooms are Web Mercator's with 256-pixel tiles, as Leaflet counts them
(:mod:`geo.label_layout`). Coordinates are (lon, lat) in degrees, WGS84.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import shapely
from pyproj import CRS, Transformer

from geo.errors import InvalidParameterError
from geo.text import Bilingual

#: Metres per pixel at zoom 0 on the equator (Web Mercator, 256-pixel tiles).
METRES_PER_PIXEL_Z0: Final = 2 * math.pi * 6_378_137.0 / 256

#: The most pixels the accuracy circle's diameter spans at the zoom of
#: :func:`zoom_for_accuracy`: under half the height of the page's map (560 px).
HALO_SPAN_PX: Final = 240.0

#: Features stated to this accuracy or better get no halo: it would hide under their marker.
FINE_ACCURACY_M: Final = 100.0


def zoom_for_accuracy(
    lat: float,
    accuracy_m: float | None,
    *,
    max_zoom: int,
    min_zoom: int = 6,
    span_px: float = HALO_SPAN_PX,
) -> int:
    """The highest whole zoom at which ``accuracy_m`` around a point spans at most ``span_px``.

    Parameters
    ----------
    lat
        The point's latitude, degrees (the scale of Web Mercator depends on it).
    accuracy_m
        How far the feature may be from its drawn place, metres; None (unknown) or at most
        :data:`FINE_ACCURACY_M` gives ``max_zoom``.
    max_zoom
        The zoom for a feature placed well (and the highest returned).
    min_zoom
        The lowest zoom returned.
    span_px
        The most pixels the circle's diameter may span.

    Returns
    -------
    int

    Examples
    --------
    >>> zoom_for_accuracy(30.8, 4000, max_zoom=13), zoom_for_accuracy(30.8, 30000, max_zoom=13)
    (11, 9)
    >>> zoom_for_accuracy(30.8, None, max_zoom=13)
    13
    """
    if accuracy_m is None or not math.isfinite(accuracy_m) or accuracy_m <= FINE_ACCURACY_M:
        return max_zoom
    scale = METRES_PER_PIXEL_Z0 * math.cos(math.radians(lat))
    zoom = math.floor(math.log2(scale * span_px / (2.0 * accuracy_m)))
    return max(min_zoom, min(max_zoom, zoom))


def halo(lon: float, lat: float, radius_m: float, *, segments: int = 48) -> shapely.Polygon:
    """A circle of ``radius_m`` metres around a point, as a WGS84 polygon.

    Parameters
    ----------
    lon, lat
        The centre, degrees WGS84.
    radius_m
        The radius, metres (positive).
    segments
        Vertices of the polygon.

    Raises
    ------
    InvalidParameterError
        For a radius that is not a positive number.
    """
    if not (math.isfinite(radius_m) and radius_m > 0):
        raise InvalidParameterError(
            Bilingual(
                f"An accuracy circle needs a positive radius in metres, not {radius_m!r}.",
                f"精度圈的半径应为以米计的正数，而不是 {radius_m!r}。",
            )
        )
    local = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    back = Transformer.from_crs(local, "EPSG:4326", always_xy=True)
    circle = shapely.Point(0.0, 0.0).buffer(radius_m, quad_segs=max(1, segments // 4))

    def to_wgs84(xy: np.ndarray) -> np.ndarray:
        lons, lats = back.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([lons, lats])

    return shapely.transform(circle, to_wgs84)


__all__ = ["FINE_ACCURACY_M", "HALO_SPAN_PX", "METRES_PER_PIXEL_Z0", "halo", "zoom_for_accuracy"]
