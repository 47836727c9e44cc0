"""The what-if view on the page's map: the interfaces by criticality, the detours drawn.

One group added to the page's map (``st_folium(feature_group_to_add=...)``, as the
comparison's rings are, :mod:`app.compare_map`), so closing an interface does not reload the
map: a ring round each interface of the border analysed, coloured as *critical* (its closure
alone disconnects a trip or adds at least the critical minutes), *not critical* or
*closed* (in the set the user closed), and the routes the trips take once that set is
closed. Over each ring lies an invisible, wider click target carrying the interface's id
as :data:`TOGGLE_PROPERTY`: a click on it closes the interface, or opens it again
(:func:`clicked_toggle`, :func:`app.what_if_view.prepare`), while a click on the marker
inside still selects it. Their styles are written once, in :data:`STYLES`: the features
and the legend's swatches are both made from it. Texts are in the page's language; text from data is
escaped. Nothing here imports streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import folium
import shapely

from app.labels import say
from app.map_elements import GroupLegend, StaticGeoJson
from app.map_geojson import feature_collection
from app.map_html import css_token, escape_text
from app.map_legend import line_swatch, marker_swatch
from app.webmap import CLICK_REPORT, MapContent
from geo.resilience import ResilienceResult

#: The styles of the view, by kind: rings round interfaces (``ring``) and detour lines
#: (``line``), with the key of their legend text (:data:`app.labels.TEXT`).
STYLES: Final[dict[str, dict[str, Any]]] = {
    "closed": {"shape": "ring", "color": "#111111", "dash": "4 3", "label": "wi_legend_closed"},
    "critical": {"shape": "ring", "color": "#d7191c", "dash": None, "label": "wi_legend_critical"},
    "open": {"shape": "ring", "color": "#1a9641", "dash": None, "label": "wi_legend_open"},
    "detour": {"shape": "line", "color": "#7b2cbf", "dash": "8 5", "label": "wi_legend_detour"},
}
#: How far (px) a ring stands out from the interface's marker, and a ring's line weight.
RING_GAP: Final = 5.0
RING_WEIGHT: Final = 3.5
#: A detour line's weight (px).
DETOUR_WEIGHT: Final = 4.0
#: A ring's radius where the map draws no marker for the interface.
LONE_RADIUS: Final = 9.0
#: The click target over each ring: an invisible stroke this wide (px), from just outside
#: the interface's marker (a click on the marker still selects it) to beyond the ring.
HIT_WEIGHT: Final = 12.0
#: The property naming the interface a click on the target closes or opens; not ``id``,
#: which :func:`app.webmap.clicked_interface` reads as a marker selected.
TOGGLE_PROPERTY: Final = "what_if_toggle"


def ring_kind(ident: str, critical: bool, closed: Sequence[str]) -> str:
    """``closed``, ``critical`` or ``open``: how the view draws an interface."""
    if ident in closed:
        return "closed"
    return "critical" if critical else "open"


def _ring(ident: str, kind: str, lonlat: tuple[float, float], radius: float) -> dict[str, Any]:
    """The ring drawn round an interface (not interactive: its click target takes clicks)."""
    spec = STYLES[kind]
    style: dict[str, Any] = {
        "radius": radius + RING_GAP,
        "color": spec["color"],
        "weight": RING_WEIGHT,
        "opacity": 0.95,
        "fill": False,
        "interactive": False,
        "className": f"jiegui-whatif jiegui-whatif-{kind} {css_token('jiegui-if-' + ident)}",
    }
    if spec["dash"]:
        style["dashArray"] = spec["dash"]
    return {
        "type": "Feature",
        "properties": {"kind": kind, "style": style},
        "geometry": {"type": "Point", "coordinates": [round(lonlat[0], 6), round(lonlat[1], 6)]},
    }


def _ring_target(
    ident: str, kind: str, lonlat: tuple[float, float], radius: float, tip: str
) -> dict[str, Any]:
    """The ring's click target: a transparent stroke over it, carrying the id to toggle."""
    inner = radius + 1.0  # the marker's edge stays the marker's
    style: dict[str, Any] = {
        "radius": inner + HIT_WEIGHT / 2,
        "color": STYLES[kind]["color"],
        "weight": HIT_WEIGHT,
        "opacity": 0.0,
        "fill": False,
        "className": f"jiegui-whatif-toggle {css_token('jiegui-if-' + ident)}",
    }
    return {
        "type": "Feature",
        "properties": {TOGGLE_PROPERTY: ident, "kind": kind, "style": style, "tip": tip},
        "geometry": {"type": "Point", "coordinates": [round(lonlat[0], 6), round(lonlat[1], 6)]},
    }


def clicked_toggle(report: Mapping[str, Any] | None) -> str | None:
    """The id of the interface whose ring was clicked last, from what the map reported.

    As :func:`app.webmap.clicked_interface`, from ``st_folium``'s
    :data:`app.webmap.CLICK_REPORT`, but only a ring's click target (its
    :data:`TOGGLE_PROPERTY`) counts. Unchecked: the caller checks the id is one offered.
    """
    feature = (report or {}).get(CLICK_REPORT)
    properties = feature.get("properties") if isinstance(feature, Mapping) else None
    found = properties.get(TOGGLE_PROPERTY) if isinstance(properties, Mapping) else None
    return found if isinstance(found, str) and found else None


def _detour(geometry: shapely.LineString, tip: str) -> dict[str, Any]:
    spec = STYLES["detour"]
    style = {
        "color": spec["color"],
        "weight": DETOUR_WEIGHT,
        "opacity": 0.9,
        "dashArray": spec["dash"],
        "className": "jiegui-whatif jiegui-whatif-detour",
    }
    geo = shapely.geometry.mapping(shapely.set_precision(geometry, 1e-6))
    return {
        "type": "Feature",
        "properties": {"kind": "detour", "style": style, "tip": tip},
        "geometry": geo,
    }


def what_if_features(
    singles: Sequence[ResilienceResult],
    together: Sequence[ResilienceResult],
    closed: Sequence[str],
    content: MapContent,
    labels: Mapping[str, str],
    places: Mapping[str, str],
) -> list[dict[str, Any]]:
    """The rings of the border's interfaces and the detour lines of the set closed.

    Parameters
    ----------
    singles
        Each interface closed alone: whether it is critical.
    together
        The set the user closed (its routes are the detours drawn).
    closed
        The ids of that set.
    content
        What the map draws: a ring goes round an interface's marker, sized to it.
    labels
        ``{interface id: route number and name}`` for the tooltips (escaped here).
    places
        ``{place name: its name in the page's language}``, for the detours' tooltips.
    """
    markers = {f["properties"]["id"]: f for f in content.interfaces}
    rings: list[dict[str, Any]] = []
    targets: list[dict[str, Any]] = []
    detours: list[dict[str, Any]] = []
    for result in singles:
        for row in result.interfaces.to_dict("records"):
            ident = str(row["id"])
            marker = markers.get(ident)
            if marker is None:
                continue
            kind = ring_kind(ident, bool(row["critical"]), closed)
            lon, lat = (float(v) for v in marker["geometry"]["coordinates"])
            radius = float(marker["properties"]["style"].get("radius", LONE_RADIUS))
            name = escape_text(labels.get(ident, ident))
            action = say("wi_ring_open" if kind == "closed" else "wi_ring_close")
            tip = (
                f"<b>{name}</b><br>{escape_text(say(STYLES[kind]['label']))}"
                f"<br><i>{escape_text(action)}</i>"
            )
            rings.append(_ring(ident, kind, (lon, lat), radius))
            targets.append(_ring_target(ident, kind, (lon, lat), radius, tip))
    for result in together:
        for row in result.routes.to_dict("records"):
            tip = escape_text(
                say(
                    "wi_detour_tip",
                    origin=places.get(str(row["origin"]), row["origin"]),
                    destination=places.get(str(row["destination"]), row["destination"]),
                    km=f"{float(row['km']):.1f}",
                    min=f"{float(row['min']):.0f}",
                )
            )
            detours.append(_detour(row["geometry"], tip))
    # The click targets last: on top of the detours, which would otherwise take the clicks.
    return [*rings, *detours, *targets]


def legend_html(kinds: set[str]) -> str:
    """The view's legend: a swatch per kind drawn, from :data:`STYLES`."""
    entries = []
    for kind, spec in STYLES.items():
        if kind not in kinds:
            continue
        swatch = (
            line_swatch(spec["color"], DETOUR_WEIGHT, spec["dash"])
            if spec["shape"] == "line"
            else marker_swatch(spec["color"], 5, dash=spec["dash"])
        )
        entries.append(
            f'<span class="entry" data-kind="whatif-{kind}" '
            f'data-color="{escape_text(spec["color"])}">'
            f"{swatch}{escape_text(say(spec['label']))}</span>"
        )
    return f"<b>{escape_text(say('wi_legend_title'))}</b><br>" + "".join(entries)


def what_if_layer(features: Sequence[dict[str, Any]]) -> folium.FeatureGroup | None:
    """The features and their legend as one group to add to the page's map (None: nothing)."""
    if not features:
        return None
    group = folium.FeatureGroup(name="What if", control=False, show=True)
    StaticGeoJson(feature_collection(features)).add_to(group)
    kinds = {
        str(f["properties"]["kind"]) for f in features if TOGGLE_PROPERTY not in f["properties"]
    }
    GroupLegend(
        legend_html(kinds), position="bottomright", css_class="jiegui-legend jiegui-whatif-legend"
    ).add_to(group)
    return group
