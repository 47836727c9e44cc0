"""How the map draws what each layer's :attr:`layers.base.LayerSpec.style` gives.

A layer's ``style`` gives a feature's colour, line weight and dash pattern; the values here
are the rest of the drawing, shared by every layer: the opacity of lines, how a point
feature (a port) is drawn, and the interface markers. The web map (:mod:`app.map_geojson`)
and the QGIS styles of the exports (:mod:`geo.io.qgis_style`) both read them, so that a
file opened in QGIS looks like the page's map. Sizes are in CSS pixels, as Leaflet takes
them.
"""

from __future__ import annotations

from layers.base import LayerSpec

#: Opacity of drawn lines.
LINE_OPACITY = 0.9

#: A point feature (a port): a circle of this radius, filled with its colour at
#: :data:`POINT_FILL_OPACITY`, outlined in its colour :data:`POINT_LINE_WEIGHT` wide.
POINT_RADIUS = 9.0
POINT_FILL_OPACITY = 0.35
POINT_LINE_WEIGHT = 2.0

#: Interface markers: outlined in this colour and weight, filled with their layer's colour,
#: opaque when their capacity is known and pale when not, dashed unless open.
MARKER_LINE = "#1b2631"
MARKER_LINE_WEIGHT = 1.5
MARKER_FILL_KNOWN = 0.9
MARKER_FILL_UNKNOWN = 0.35
MARKER_DASH = "3 3"
#: The radius of a marker of unknown capacity, or of a layer whose capacities do not add up.
MARKER_RADIUS = 6.0
#: Markers of layers whose capacities add up (lanes, tracks) grow with the capacity, up to
#: :data:`MARKER_CAPACITY_CAP`: ``MARKER_BASE + MARKER_STEP * min(capacity, cap)``.
MARKER_BASE = 4.0
MARKER_STEP = 1.25
MARKER_CAPACITY_CAP = 12.0


def marker_radius(spec: LayerSpec, capacity: float | None) -> float:
    """Radius in pixels of an interface marker of ``spec``'s layer (None: unknown capacity).

    Examples
    --------
    >>> from layers import get_layer
    >>> marker_radius(get_layer("highways"), 8), marker_radius(get_layer("waterways"), 3)
    (14.0, 6.0)
    """
    if capacity is None or spec.capacity_total != "sum":
        return MARKER_RADIUS
    return MARKER_BASE + MARKER_STEP * min(float(capacity), MARKER_CAPACITY_CAP)
