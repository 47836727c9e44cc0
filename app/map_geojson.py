"""What the map draws, as GeoJSON text: regions, each layer's features and the interfaces.

Each feature carries what the map's script needs in its properties: ``style`` (Leaflet path
options, from the layer's :attr:`layers.base.LayerSpec.style`), ``tip`` (tooltip HTML),
``popup`` and, for interfaces, ``id`` (:mod:`app.popups` writes the HTML, in the page's
language, from the facts of :mod:`geo.feature_facts`). Region outlines
are simplified for drawing and coordinates rounded, so the map's script is smaller and
paints sooner; counting always uses the full geometry. The texts are safe to write into a
``<script>``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.city_popups import city_popup, city_tip
from app.language import current
from app.map_html import (
    css_token,
    escape_text,
    region_tip,
)
from app.map_legend import layer_group
from app.popups import feature_popup, feature_tip, interface_popup, interface_tip, says_more
from geo.feature_facts import feature_facts, interface_facts
from geo.labels import LAYER_LABELS
from geo.projection import WGS84, require_crs
from geo.values import is_missing, plain
from layers import drawing, get_layer
from layers.cities import LAYER as _CITIES

#: Features drawn per layer at most; beyond it main classes are kept first.
MAX_FEATURES = 5000

#: The layer whose points carry a document's figures (their own popups).
CITIES = _CITIES.name

#: Region outlines are drawn simplified to this many degrees (about 500 m, within Natural
#: Earth's own 0.5-2 km generalisation), so the map's HTML is smaller and paints sooner.
#: Counting always uses the full geometry.
DISPLAY_TOLERANCE_DEG = 0.005

#: Coordinates of drawn lines and points are rounded to this many degrees (about 1 m).
DRAW_PRECISION_DEG = 1e-5

_REGION_LINE = "#5d6d7e"
_REGION_FILL = "#f6f1e7"
#: The regions in focus are outlined in a warm grey: the dark slate they had (#34495e) was
#: conventional rail's colour (#2c3e50) to the eye, and the border counted is drawn apart
#: (:data:`BORDER_STYLE`).
_FOCUS_LINE = "#b08d57"
_FOCUS_FILL = "#fce7c8"

#: The border being counted: a wide dashed magenta line that no layer, context or marker
#: uses (the layers' colours are in ``layers/*.py``), so it reads at once and prints in
#: colour or grey; drawn over :data:`BORDER_HALO_STYLE`, a light halo that keeps it clear of
#: the regions' outlines and the links under it. It lies under the links and interfaces
#: (:data:`app.webmap.PANES`): what crosses it stays on top.
BORDER_STYLE: dict[str, Any] = {
    "color": "#d01c8b",
    "weight": 4.0,
    "opacity": 0.95,
    "dashArray": "10 6",
    "lineCap": "butt",
    "className": "jiegui-border",
}
BORDER_HALO_STYLE: dict[str, Any] = {
    "color": "#ffffff",
    "weight": 9.0,
    "opacity": 0.8,
    "className": "jiegui-border-halo",
}

#: How opaque the regions' fill is: the pair in focus, and the others. With no basemap the
#: regions are the land (the map's background is the sea); over a basemap's tiles the
#: page draws them fainter still (:data:`app.webmap.TILED_REGION_STYLE`).
REGION_FILL_OPACITY = {"focus": 0.6, "other": 0.45}


def to_wgs84(frame: gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    """``frame`` in WGS84 (as it is when it already is); ``what`` names it in the error."""
    require_crs(frame, what=what)
    return frame if frame.crs == WGS84 else frame.to_crs(WGS84)


# ----------------------------------------------------------------------------- GeoJSON


def feature_collection(features: Sequence[Mapping[str, Any]]) -> str:
    """GeoJSON FeatureCollection text of feature dicts."""
    return _script_safe(json.dumps({"type": "FeatureCollection", "features": list(features)}))


def _features_json(geometries: Sequence[str], properties: Sequence[Mapping[str, Any]]) -> str:
    """GeoJSON FeatureCollection text of GeoJSON geometry texts with their properties."""
    parts = [
        f'{{"type": "Feature", "properties": {json.dumps(props)}, "geometry": {geom}}}'
        for geom, props in zip(geometries, properties, strict=True)
    ]
    return _script_safe('{"type": "FeatureCollection", "features": [' + ", ".join(parts) + "]}")


def _script_safe(text: str) -> str:
    """JSON text that cannot close the ``<script>`` it is written into."""
    return text.replace("</", "<\\/")


def _attrs(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row's values but its geometry, missing values as None, numpy scalars as Python's."""
    return {key: plain(value) for key, value in row.items() if key != "geometry"}


# ------------------------------------------------------------------------------ regions


def _for_display(geoms: np.ndarray) -> np.ndarray:
    """Region outlines simplified for drawing, with coordinates rounded to about 10 m."""
    simple = shapely.simplify(geoms, DISPLAY_TOLERANCE_DEG, preserve_topology=True)
    return shapely.set_precision(simple, 1e-4)


def region_shapes(regions_wgs84: gpd.GeoDataFrame) -> tuple[str, ...]:
    """Each region's outline as drawn: simplified, rounded GeoJSON geometry text, by row."""
    regions = to_wgs84(regions_wgs84, "The regions")
    return tuple(shapely.to_geojson(_for_display(regions.geometry.to_numpy())))


def regions_geojson(
    regions: gpd.GeoDataFrame, chosen: set[str], shapes: Sequence[str] | None = None
) -> str:
    """The regions as GeoJSON text, the ``chosen`` ones drawn stronger.

    Parameters
    ----------
    regions
        Region polygons in WGS84 with ``name`` (and optionally ``name_zh``).
    chosen
        Names of the regions to highlight.
    shapes
        :func:`region_shapes` of ``regions`` when the caller keeps them; made when None.
    """
    props = []
    for row in regions.itertuples(index=False):
        focus = str(row.name) in chosen
        props.append(
            {
                "tip": region_tip(row.name, getattr(row, "name_zh", "")),
                "style": {
                    "color": _FOCUS_LINE if focus else _REGION_LINE,
                    "weight": 1.6 if focus else 1.0,
                    "fillColor": _FOCUS_FILL if focus else _REGION_FILL,
                    "fillOpacity": REGION_FILL_OPACITY["focus" if focus else "other"],
                    "className": "jiegui-region jiegui-focus" if focus else "jiegui-region",
                },
            }
        )
    if shapes is None:
        shapes = region_shapes(regions)
    return _features_json(shapes, props)


def border_geojson(border: gpd.GeoSeries) -> str:
    """The border counted as GeoJSON text: its halo, then its dashed line (one feature each).

    Simplified and rounded as the regions are (the same stretches outline them).

    Parameters
    ----------
    border
        Its lines, any CRS (:func:`geo.focus.counted_border`); empty gives no features.
    """
    lines = border[~(border.is_empty | border.isna())]
    if lines.empty:
        return feature_collection([])
    merged = shapely.line_merge(shapely.union_all(to_wgs84(lines, "The border").geometry))
    drawn = _for_display(np.asarray([merged]))[0]
    if drawn.is_empty:
        return feature_collection([])
    geometry = shapely.to_geojson(drawn)
    styles = [{"style": BORDER_HALO_STYLE}, {"style": BORDER_STYLE}]
    return _features_json([geometry, geometry], styles)


# ------------------------------------------------------------------------------- layers


def _ranked(frame: gpd.GeoDataFrame, main_classes: Sequence[str], limit: int) -> gpd.GeoDataFrame:
    """At most ``limit`` features, main classes first (stable otherwise)."""
    if len(frame) <= limit:
        return frame
    rank = frame["class"].map({c: i for i, c in enumerate(main_classes)}).fillna(len(main_classes))
    return frame.loc[rank.sort_values(kind="stable").index[:limit]]


def layer_geojson(name: str, frame: gpd.GeoDataFrame, max_features: int) -> tuple[str, str, str]:
    """One layer as ``(escaped label, GeoJSON text, legend HTML)``.

    The label is the layer's name in the page's language; the legend's part lists the
    styles drawn (:func:`app.map_legend.layer_group`), made by the same ``style``.

    Parameters
    ----------
    name
        The layer kind (:data:`layers.REGISTRY`), which styles the features.
    frame
        Its features in WGS84.
    max_features
        Features drawn at most, main classes first (the legend says when some are left out).
    """
    spec = get_layer(name)
    drawn = _ranked(frame, spec.main_classes, max_features)
    records = [_attrs(r) for r in drawn.drop(columns=drawn.geometry.name).to_dict("records")]
    point = spec.geometry == "point"
    props = []
    for record in records:
        style = spec.style(record)
        out: dict[str, Any] = {
            "color": style.color,
            "weight": float(style.weight),
            "opacity": drawing.LINE_OPACITY,
            "className": f"jiegui-feature jiegui-{css_token(name)}",
        }
        if style.dash_array:
            out["dashArray"] = style.dash_array
        if point:
            out.update(
                radius=style.radius or drawing.POINT_RADIUS,
                fill=True,
                fillColor=style.color,
                fillOpacity=drawing.POINT_FILL_OPACITY,
                weight=drawing.POINT_LINE_WEIGHT,
            )
        facts = feature_facts(record)
        shown: dict[str, Any] = {"tip": feature_tip(record, facts, spec), "style": out}
        if name == CITIES:  # a city's figures, quoting the report (app.city_popups)
            shown.update(tip=city_tip(record, facts), popup=city_popup(record, facts))
        elif says_more(facts):  # not OpenStreetMap's thousands of lines (app.popups)
            shown["popup"] = feature_popup(record, facts, spec)
        props.append(shown)
    geoms = shapely.set_precision(drawn.geometry.to_numpy(), DRAW_PRECISION_DEG)
    legend = layer_group(name, spec.legend(records), len(drawn), len(frame))
    label = LAYER_LABELS.get(name, {"en": spec.label, "zh": spec.label})[current()]
    return escape_text(label), _features_json(shapely.to_geojson(geoms), props), legend


def region_names(regions: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """``{name: (Chinese name, English name)}`` of the regions, for borders in either language.

    A region's name stands for the language it is written in when the other column is
    missing (OpenStreetMap's names are Chinese, Natural Earth's English).
    """
    out: dict[str, tuple[str, str]] = {}
    for row in regions.drop(columns=["geometry"], errors="ignore").to_dict("records"):
        name = str(row.get("name") or "")
        zh = row.get("name_zh") if isinstance(row.get("name_zh"), str) else ""
        en = row.get("name_en") if isinstance(row.get("name_en"), str) else ""
        chinese = any("\u4e00" <= c <= "\u9fff" for c in name)
        out[name] = (zh or (name if chinese else ""), en or ("" if chinese else name))
    return out


# --------------------------------------------------------------------------- interfaces


def marker_radius(layer: str, capacity: object) -> float:
    """Radius in pixels of an interface marker: grows with lanes or tracks.

    Layers whose capacities add up (lanes, tracks) grow with the capacity; a grade or a
    diameter, and unknown capacity, get a fixed size.
    """
    known = None if is_missing(capacity) else float(cast(float, capacity))
    return drawing.marker_radius(get_layer(layer), known)


def interface_features(
    interfaces: pd.DataFrame,
    layers: Mapping[str, pd.DataFrame],
    regions: Mapping[str, tuple[str, str]] | None = None,
) -> list[dict[str, Any]]:
    """One GeoJSON point Feature per interface: id, style, tooltip and popup in its properties.

    Also its ``ref`` (labelled on the map) and ``accuracy_m``: how far its features'
    lines may be from the real ones, the largest their sources state (None when none
    does), which limits how far the map zooms in on it (:func:`app.webmap.selection_view`).

    Parameters
    ----------
    interfaces
        Interfaces (:data:`geo.interfaces.INTERFACE_COLUMNS` with ``lon``/``lat``).
    layers
        The features they cross on, whose facts (names in Chinese and English, years,
        accuracy, sources: :func:`geo.feature_facts.interface_facts`) the popups show.
    regions
        :func:`region_names` of the regions, for the border in the page's language.
    """
    features = []
    names = regions or {}
    records = interfaces.drop(columns=["geometry"], errors="ignore").to_dict("records")
    for raw, facts in zip(records, interface_facts(interfaces, layers), strict=True):
        attrs = _attrs(raw)
        spec = get_layer(str(attrs["layer"]))
        style = spec.style(
            {"class": attrs.get("class"), "status": attrs.get("status"), "capacity": None}
        )
        known = not is_missing(attrs.get("capacity")) and not attrs.get("lanes_missing")
        marker: dict[str, Any] = {
            "radius": marker_radius(spec.name, attrs.get("capacity") if known else None),
            "color": drawing.MARKER_LINE,
            "weight": drawing.MARKER_LINE_WEIGHT,
            "fill": True,
            "fillColor": style.color,
            "fillOpacity": drawing.MARKER_FILL_KNOWN if known else drawing.MARKER_FILL_UNKNOWN,
            "className": f"jiegui-interface {css_token('jiegui-if-' + str(attrs.get('id')))}",
        }
        if attrs.get("status") != "open":
            marker["dashArray"] = drawing.MARKER_DASH
        lon = round(float(attrs["lon"]), 6)
        lat = round(float(attrs["lat"]), 6)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "id": str(attrs.get("id")),
                    "ref": str(attrs.get("ref") or ""),
                    "accuracy_m": facts.accuracy_m,
                    "style": marker,
                    "tip": interface_tip(attrs, facts, spec, names),
                    "popup": interface_popup(attrs, facts, spec, names),
                },
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
        )
    return features


def feature_count(
    regions_wgs84: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    interfaces: pd.DataFrame,
    *,
    max_features: int = MAX_FEATURES,
) -> int:
    """Number of vector shapes the map draws (Leaflet's interactive paths).

    One per region, per drawn line feature (a multi-line is one path), per point of a point
    layer and per interface.
    """
    shapes = len(regions_wgs84)
    for frame in layers.values():
        if frame.empty:
            continue
        kept = frame.iloc[:max_features]
        points = kept.geometry.geom_type.isin(["Point", "MultiPoint"])
        shapes += int((~points).sum())
        shapes += int(kept.geometry[points].count_coordinates().sum()) if points.any() else 0
    return shapes + len(interfaces)
