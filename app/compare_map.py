"""The map's marks of a comparison: a ring around each interface that changed, and a legend.

When the page compares the year on its slider with another (:mod:`app.compare_view`), the
map rings every interface (or port) of the border that changed between the two years:
green opened, orange changed (wider or narrower, capacity data, status), pink closed. A
ring sits around the interface's marker when the map draws it (it exists in the map's
year); it is dashed, alone at the interface's place, when the map's year does not have
it (an interface opened after the map's year, or closed before it). Its tooltip names the
link, what changed and the year(s) it happened.

The rings and their legend are one folium group, :func:`change_layer`, which the page adds
to the map through ``st_folium(feature_group_to_add=...)``: choosing another year redraws
them without reloading the map. The legend is a Leaflet control that comes and goes with
the group (:class:`app.map_elements.GroupLegend`). Every text from data is escaped
(:func:`app.map_html.escape_text`) and added literally (:mod:`app.map_elements`). Nothing
here imports streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from app import years_text as tx
from app.compare_tables import capacity_text, status_word
from app.language import current
from app.map_elements import GroupLegend, StaticGeoJson
from app.map_geojson import feature_collection, to_wgs84
from app.map_html import css_token, dot_swatch, escape_text, route_label
from app.webmap import MapContent
from geo.compare import Comparison
from geo.labels import change_label
from geo.overview import PORTS

#: Ring colours by what happened to the interface.
RING_COLORS: dict[str, str] = {"opened": "#1e8449", "changed": "#d35400", "closed": "#e91e63"}

#: How much wider than the interface's marker its ring is (pixels).
RING_GAP = 4.0

#: The radius of a ring where the map draws no marker (pixels).
LONE_RING_RADIUS = 9.0


def ring_kind(changes: set[str]) -> str:
    """``opened``, ``closed`` or ``changed``: what a ring shows of an interface's changes."""
    if "opened" in changes:
        return "opened"
    if "closed" in changes:
        return "closed"
    return "changed"


def change_positions(
    comparison: Comparison, ports: gpd.GeoDataFrame | None = None
) -> dict[str, tuple[float, float]]:
    """``{id: (lon, lat)}`` of every interface counted in either year, and of the ports.

    From the comparison's two overviews (the later year's place first) and, for ports, the
    ports layer (any CRS; taken in WGS84).
    """
    places: dict[str, tuple[float, float]] = {}
    for view in (comparison.overview_a, comparison.overview_b):
        frame = view.interfaces
        if len(frame):
            for iid, lon, lat in zip(frame["id"], frame["lon"], frame["lat"]):
                places[str(iid)] = (float(lon), float(lat))
    if ports is not None and len(ports):
        points = to_wgs84(ports, "The ports layer").geometry.representative_point()
        for pid, point in zip(ports["id"], points):
            if point is not None and not point.is_empty:
                places.setdefault(str(pid), (float(point.x), float(point.y)))
    return places


def _what(row: Mapping[str, Any]) -> str:
    """``opened 2008 (6 lanes)``, ``widened 2017 (grade V → III)`` ..."""
    kind = str(row["change"])
    years = ", ".join(str(y) for y in row["years"] or [])
    label = change_label(kind, row["status_b"])[current()]
    if kind == "opened":
        detail = capacity_text(row["capacity_b"], row["capacity_unit"])
    elif kind == "closed":
        detail = capacity_text(row["capacity_a"], row["capacity_unit"])
    elif kind == "status":
        detail = f"{status_word(row['status_a'])} → {status_word(row['status_b'])}"
    else:
        before = capacity_text(row["capacity_a"], row["capacity_unit"])
        detail = f"{before} → {capacity_text(row['capacity_b'], row['capacity_unit'])}"
    return " ".join(p for p in (label, years, f"({detail})") if p)


def ring_features(
    changes: pd.DataFrame,
    places: Mapping[str, tuple[float, float]],
    content: MapContent,
    *,
    map_year: int,
) -> list[dict[str, Any]]:
    """One ring (a GeoJSON point with a Leaflet circle style) per changed interface.

    Parameters
    ----------
    changes
        The border's changes (:attr:`geo.compare.Comparison.changes`).
    places
        ``{id: (lon, lat)}`` (:func:`change_positions`); an interface without a place is
        not ringed.
    content
        What the map draws: a ring goes around the marker of an interface it draws, sized
        to it, and is dashed where it draws none.
    map_year
        The map's year, named in the tooltip of a dashed ring.
    """
    markers = {f["properties"]["id"]: f for f in content.interfaces}
    features = []
    for iid, rows in changes.groupby("id", sort=False):
        key = str(iid)
        if key not in places:
            continue
        records = rows.to_dict("records")
        kind = ring_kind({str(r["change"]) for r in records})
        marker = markers.get(key)
        radius = (
            float(marker["properties"]["style"]["radius"]) + RING_GAP
            if marker is not None
            else LONE_RING_RADIUS
        )
        style: dict[str, Any] = {
            "radius": radius,
            "color": RING_COLORS[kind],
            "weight": 3.5,
            "opacity": 0.95,
            "fill": False,
            "className": f"jiegui-change jiegui-change-{kind} {css_token('jiegui-if-' + key)}",
        }
        lines = [f"<b>{escape_text(route_label(records[0]))}</b>"]
        lines += [escape_text(_what(r)) for r in records]
        if marker is None:
            style["dashArray"] = "5 4"
            lines.append(escape_text(tx.text("ring_tip_absent", year=map_year)))
        lon, lat = places[key]
        features.append(
            {
                "type": "Feature",
                # The id, as on the interface's marker: a click on the ring picks it too.
                "properties": {"id": key, "kind": kind, "style": style, "tip": "<br>".join(lines)},
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            }
        )
    return features


def legend_html(compared_year: int, map_year: int, kinds: set[str], *, dashed: bool) -> str:
    """The rings' legend: the year compared with, a swatch per kind shown, dashed rings.

    The line on dashed rings only when there are some (``dashed``).
    """
    entries = [
        f'<span class="entry">{dot_swatch(RING_COLORS[k], 5, hollow=True)}'
        f"{escape_text(tx.text('ring_' + k))}</span>"
        for k in ("opened", "changed", "closed")
        if k in kinds
    ]
    note = ""
    if dashed:
        note = f'<br><span class="jiegui-note">{escape_text(tx.text("ring_dashed", year=map_year))}'
        note += "</span>"
    return (
        f"<b>{escape_text(tx.text('legend_title', year=compared_year))}</b><br>"
        + "".join(entries)
        + note
    )


def change_layer(
    comparison: Comparison,
    content: MapContent,
    *,
    map_year: int,
    compared_year: int,
    ports: gpd.GeoDataFrame | None = None,
) -> folium.FeatureGroup | None:
    """The rings of a border's changes and their legend, as one group to add to the map.

    Parameters
    ----------
    comparison
        The border's comparison (:func:`app.year_history.pair_comparison`); its overviews
        place the interfaces.
    content
        What the map draws (:func:`app.webmap.map_content`).
    map_year
        The year the map shows (one of the two compared).
    compared_year
        The other year.
    ports
        The source's ports layer, which places the ports that changed.

    Returns
    -------
    folium.FeatureGroup or None
        None when nothing changed (or nothing that changed has a place).
    """
    changes = comparison.changes
    if changes.empty:
        return None
    has_ports = ports is not None and bool((changes["layer"] == PORTS).any())
    places = change_positions(comparison, ports if has_ports else None)
    rings = ring_features(changes, places, content, map_year=map_year)
    if not rings:
        return None
    group = folium.FeatureGroup(name="Changes", control=False, show=True)
    StaticGeoJson(feature_collection(rings)).add_to(group)
    kinds = {str(r["properties"]["kind"]) for r in rings}
    dashed = any("dashArray" in r["properties"]["style"] for r in rings)
    GroupLegend(
        legend_html(compared_year, map_year, kinds, dashed=dashed),
        position="bottomright",
        css_class="jiegui-legend jiegui-change-legend",
    ).add_to(group)
    return group
