"""The map's offline context and labels, as the map's script draws them.

The context (coast, lakes, rivers; :mod:`geo.io.context`, built into ``data/context``) is the
same for every map, so it is prepared once per process: simplified for the screen, its
coordinates quantised and delta-coded (:func:`context_json`), which makes the 199 kB of
GeoJSON a text of about a fifth of that in the map's script; ``static/jiegui/map.js``
decodes it. Labels are rows ``[lat, lon, text, kind, min_zoom, colour, gap, angle]``: the context's
(provinces, cities, lakes; their min_zoom from the build, :func:`context_labels`), the
rivers' names along their lines (:func:`placed_labels`) and the route numbers at a
border's interfaces (:func:`route_labels`), each placed after the ones before by the same
rule (:func:`geo.label_layout.place_after`), so labels shown together never overlap.
The map shows a label from its min_zoom on (and none below
:data:`geo.label_layout.ZOOMS`' first zoom, where the rule was not checked). Nothing here
imports streamlit or folium.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import shapely

from geo.io.context import context_layers, label_points, manifest
from geo.label_layout import ZOOMS, Label, place_after
from geo.river_labels import river_labels

#: The context's lines are simplified to this many degrees for drawing: under one screen
#: pixel up to zoom 9 (:func:`pixels_at`), where the page's map shows a border.
DISPLAY_TOLERANCE_DEG: Final = 0.002

#: Their coordinates are rounded to this many degrees (about 55 m north-south) and sent as
#: whole multiples of it, each the difference from the one before.
QUANTUM_DEG: Final = 0.0005

#: Where :func:`context_json` is kept as a file, under ``static/`` (which Streamlit serves
#: at ``/app/static``): the page's map fetches it once and the browser keeps it, instead of
#: receiving it inside the map's script on every rerun. Written by
#: ``scripts/build_map_context.py``; a test checks it is :func:`context_json`.
CONTEXT_FILE: Final = "jiegui/context.json"

#: The folder served as ``static/``.
STATIC_ROOT: Final = Path(__file__).resolve().parent.parent / "static"

#: The context layers drawn, in drawing order, as ``(name, kind of shape)``.
CONTEXT_DRAWN: Final = (("lakes", "polygon"), ("rivers", "line"), ("coastline", "line"))

#: How each is drawn (Leaflet path options; the legend shows the same): light, under the
#: links, the water in the map's background colour (the sea, ``app.map_html.MAP_STYLE``).
CONTEXT_STYLES: Final[dict[str, dict[str, Any]]] = {
    "lakes": {
        "color": "#8db4d2",
        "weight": 0.8,
        "fillColor": "#cfe1f1",
        "fillOpacity": 1.0,
        "className": "jiegui-context jiegui-context-lakes",
    },
    "rivers": {
        "color": "#8db4d2",
        "weight": 1.2,
        "className": "jiegui-context jiegui-context-rivers",
    },
    "coastline": {
        "color": "#7d9fb8",
        "weight": 1.0,
        "className": "jiegui-context jiegui-context-coastline",
    },
}

#: No label shows below this zoom: the placement was checked from it up
#: (:data:`geo.label_layout.ZOOMS`).
LABEL_MIN_ZOOM: Final = ZOOMS[0]

#: Zooms at which route numbers are placed: those of the context's labels and beyond, up
#: to the zoom the map goes to for a well-placed interface.
ROUTE_ZOOMS: Final = range(ZOOMS[0], 14)

#: Space between an interface marker's edge and its route number, pixels.
ROUTE_GAP_PX: Final = 3.0

LabelRow = list[Any]
"""``[lat, lon, text, kind, min_zoom, colour, gap, angle]``: one label as the map's script reads it.

``colour`` (a route number's box) and ``gap`` (pixels between the point and a route
number, :attr:`geo.label_layout.Label.gap_px`) are None for the context's labels;
``angle`` (degrees clockwise, a river's name along its line) is None for upright ones."""


def pixels_at(zoom: int, degrees: float = DISPLAY_TOLERANCE_DEG) -> float:
    """How many screen pixels ``degrees`` of longitude span at ``zoom`` (256-pixel tiles).

    Examples
    --------
    >>> round(pixels_at(9), 2)
    0.73
    """
    return degrees / 360.0 * 256 * 2**zoom


def _flat(coords: np.ndarray) -> list[int]:
    """Coordinates as whole multiples of :data:`QUANTUM_DEG`: the first, then differences."""
    steps = np.rint(np.asarray(coords, dtype=float)[:, :2] / QUANTUM_DEG).astype(np.int64)
    steps[1:] -= steps[:-1].copy()
    return [int(v) for v in steps.ravel()]


def _shapes(geometry: shapely.Geometry, kind: str) -> list[list[list[int]]]:
    """A geometry as a list of shapes, each a list of coded rings (polygons) or one line."""
    out = []
    for part in shapely.get_parts(geometry):
        if part.is_empty:
            continue
        if kind == "polygon":
            rings = [part.exterior, *part.interiors]
            out.append([_flat(shapely.get_coordinates(r)) for r in rings])
        else:
            out.append([_flat(shapely.get_coordinates(part))])
    return [s for s in out if all(len(r) >= 4 for r in s)]


@lru_cache(maxsize=1)
def context_json() -> str:
    """The context layers as the map's script reads them (made once per process).

    A JSON object: ``q`` (:data:`QUANTUM_DEG`) and, per layer of :data:`CONTEXT_DRAWN`, a
    list of shapes; a shape is a list of coded rings (a lake's outline and its islands) or
    of one coded line; a coded line is ``[x0, y0, dx1, dy1, ...]`` in multiples of ``q``
    (lon, lat). Safe to write into a ``<script>`` (numbers only).
    """
    layers = context_layers()
    data: dict[str, Any] = {"q": QUANTUM_DEG}
    for name, kind in CONTEXT_DRAWN:
        geoms = shapely.simplify(
            layers[name].geometry.to_numpy(), DISPLAY_TOLERANCE_DEG, preserve_topology=True
        )
        data[name] = [shape for geom in geoms for shape in _shapes(geom, kind)]
    return json.dumps(data, separators=(",", ":"))


@lru_cache(maxsize=1)
def context_file_version() -> str | None:
    """The first 12 hex digits of the sha256 of ``static/`` :data:`CONTEXT_FILE`, or None.

    Put in the file's URL (``?v=...``), so a browser that kept an older context fetches the
    new one. None when the file is missing or is not :func:`context_json` (a checkout whose
    data changed without ``scripts/build_map_context.py``): the map then carries the
    context inline, as before. Read once per process.
    """
    path = STATIC_ROOT / CONTEXT_FILE
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if data != context_json().encode("utf-8"):
        return None
    return hashlib.sha256(data).hexdigest()[:12]


def context_url(prefix: str) -> str | None:
    """The URL of the context file under ``prefix`` (where ``static/`` is served), or None.

    None when the file cannot stand for the context (:func:`context_file_version`).
    """
    version = context_file_version()
    if version is None:
        return None
    return f"{prefix.rstrip('/')}/{CONTEXT_FILE}?v={version}"


@lru_cache(maxsize=4)
def context_labels(language: str) -> tuple[tuple[Label, int], ...]:
    """The context's labels in ``language`` (``zh`` or ``en``) with their min_zoom."""
    frame = label_points(language)
    return tuple(
        (Label(float(p.x), float(p.y), str(text), str(kind)), int(zoom))
        for p, text, kind, zoom in zip(
            frame.geometry, frame["label"], frame["kind"], frame["min_zoom"]
        )
    )


@lru_cache(maxsize=4)
def placed_labels(language: str) -> tuple[tuple[Label, int], ...]:
    """:func:`context_labels`, then the rivers' names placed after them, with their min_zoom.

    The rivers' candidate labels (:func:`geo.river_labels.river_labels`) are placed by
    :func:`geo.label_layout.place_after` at the zooms of :data:`ROUTE_ZOOMS`: a river's
    name never covers a province's, a city's or a lake's, nor another river's, at any zoom
    it shows at; candidates that never fit are left out. Made once per process and language.
    """
    context = context_labels(language)
    rivers = river_labels(context_layers()["rivers"], language)
    zooms = place_after(context, rivers, ROUTE_ZOOMS)
    placed = tuple((lb, z) for lb, z in zip(rivers, zooms, strict=True) if z is not None)
    return (*context, *placed)


def context_label_rows(language: str) -> list[LabelRow]:
    """:func:`placed_labels` as rows for the map's script (no colour; rivers turned)."""
    return [
        [
            round(lb.lat, 5),
            round(lb.lon, 5),
            lb.text,
            lb.kind,
            zoom,
            None,
            None,
            lb.angle_deg if lb.angle_deg else None,
        ]
        for lb, zoom in placed_labels(language)
    ]


@lru_cache(maxsize=2)
def attribution(language: str = "en") -> str:
    """The context's credit on the map: the first sentence of its manifest's attribution.

    ``"Made with Natural Earth."`` (Natural Earth is in the public domain and asks for no
    more; the rest of its line names its website, which the map's small corner can spare);
    in Chinese (``language="zh"``) ``"使用 Natural Earth 数据制作。"``. Read once per process.
    """
    full = str(manifest().get("attribution") or "").strip()
    first = full.split(". ")[0].rstrip(".") if full else ""
    if language == "zh" and first.startswith("Made with "):
        return f"使用 {first.removeprefix('Made with ')} 数据制作。"
    return first + "." if first else ""


def route_text(ref: object) -> str:
    """An interface's route numbers as labelled: ``"G60;G92"`` gives ``"G60/G92"``."""
    if not isinstance(ref, str):
        return ""
    return "/".join(part.strip() for part in ref.split(";") if part.strip())


def route_labels(markers: Sequence[Mapping[str, Any]], language: str) -> list[LabelRow]:
    """The route numbers of the interfaces drawn, placed after the context's labels.

    Parameters
    ----------
    markers
        The interfaces' GeoJSON point features (:func:`app.map_geojson.interface_features`):
        their ``ref`` and the marker's ``style`` (``radius``, ``fillColor``) in the
        properties; those without a ref get no label. Given in order of priority.
    language
        The page's language: the context and river labels they must not overlap
        (:func:`placed_labels`) are this language's.

    Returns
    -------
    list of LabelRow
        One per interface with a ref that shows at some zoom of :data:`ROUTE_ZOOMS` (kind
        ``"ref"``, the colour of its layer's class).
    """
    wanted = []
    for feature in markers:
        props = feature["properties"]
        text = route_text(props.get("ref"))
        if not text:
            continue
        lon, lat = (float(v) for v in feature["geometry"]["coordinates"])
        if not (math.isfinite(lon) and math.isfinite(lat)):
            continue
        gap = float(props["style"]["radius"]) + ROUTE_GAP_PX
        wanted.append((Label(lon, lat, text, "ref", gap_px=gap), props["style"].get("fillColor")))
    zooms = place_after(placed_labels(language), [lb for lb, _ in wanted], ROUTE_ZOOMS)
    return [
        [round(lb.lat, 6), round(lb.lon, 6), lb.text, "ref", zoom, colour, lb.gap_px, None]
        for (lb, colour), zoom in zip(wanted, zooms)
        if zoom is not None
    ]


__all__ = [
    "CONTEXT_DRAWN",
    "CONTEXT_FILE",
    "CONTEXT_STYLES",
    "DISPLAY_TOLERANCE_DEG",
    "LABEL_MIN_ZOOM",
    "QUANTUM_DEG",
    "ROUTE_ZOOMS",
    "attribution",
    "context_file_version",
    "context_json",
    "context_label_rows",
    "context_labels",
    "context_url",
    "pixels_at",
    "placed_labels",
    "route_labels",
    "route_text",
]
