r"""The interactive map of a crossing run: a folium map that draws with no network.

:func:`build_map` draws the regions, one toggleable group per layer kind (styled by the
layer's :attr:`layers.base.LayerSpec.style`), the interfaces as circle markers sized by
lanes or tracks, a legend and the data attribution. The small helpers beside it
(:func:`layers_at`, :func:`year_range`, :func:`layer_totals`) prepare what the page shows;
nothing here imports streamlit.

Offline assets
--------------
folium points Leaflet, jQuery, Bootstrap, Font Awesome and the awesome-markers plugin at
CDNs (``folium.Map.default_js`` / ``default_css``). This map needs only Leaflet (the map)
and jQuery (folium's ``Popup`` template calls ``$(...)``): both are vendored in ``static/``
(see ``static/README.md``) and every other default is dropped. They are linked in one of
two ways, chosen by ``assets``:

* a URL prefix (default :data:`STATIC_URL`, ``/app/static``): Streamlit serves ``static/``
  there when ``[server] enableStaticServing = true`` (``.streamlit/config.toml``). The
  ``st_folium`` iframe is served by the same Streamlit server, so an absolute path
  resolves to it; the component's arguments, resent on every rerun, stay a few hundred
  bytes and the browser caches the files. This is what the app uses.
* ``"inline"``: the files are embedded as ``data:`` URIs (about 330 kB), for a standalone
  HTML file that is opened with no server at all.

There is no basemap unless a tile URL is given (``tiles``): the regions are drawn as
polygons, so the map is readable offline, and a local tile server can be switched on.

Escaping
--------
Every text that comes from data (names, refs, classes, regions, attribution) is passed
through :func:`escape_text` before it enters HTML: HTML-escaped, and with `` ` ``, ``$``
and ``\`` written as character references, since folium puts tooltip and popup HTML
inside JavaScript template literals.
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.template import Template
from folium.utilities import JsCode

from geo import datasets
from geo.errors import InvalidParameterError
from geo.lifecycle import capacity_at, status_at
from geo.projection import WGS84, latlon, require_crs
from geo.reconcile import load_documented
from geo.summary import count_routes
from layers import get_layer, total_capacity

#: The vendored browser assets (Leaflet, jQuery), served by Streamlit at :data:`STATIC_URL`.
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

#: Where Streamlit's static file serving publishes ``static/``.
STATIC_URL = "/app/static"

#: Scripts the map needs, as ``(folium link name, path under static/)``, in load order.
MAP_JS: tuple[tuple[str, str], ...] = (
    ("leaflet", "leaflet/leaflet.js"),
    ("jquery", "jquery/jquery.min.js"),
)

#: Style sheets the map needs, as ``(folium link name, path under static/)``.
MAP_CSS: tuple[tuple[str, str], ...] = (("leaflet_css", "leaflet/leaflet.css"),)

#: Features drawn per layer at most; beyond it main classes are kept first.
MAX_FEATURES = 5000

#: Outline colour of the selected interface's marker.
SELECTED_COLOR = "#00b4d8"

#: Half the side, in degrees, of the box the map opens on around a selected interface.
SELECTED_SPAN = 0.04

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_TILE_URL = re.compile(r"\{z\}.*\{x\}.*\{y\}|\{z\}.*\{y\}.*\{x\}")

_REGION_LINE = "#5d6d7e"
_REGION_FILL = "#f6f1e7"
_FOCUS_FILL = "#fce7c8"

#: Binds each GeoJSON feature's pre-escaped ``tip`` property as its tooltip.
_BIND_TIP = JsCode(
    "function(feature, layer) {"
    " if (feature.properties && feature.properties.tip) {"
    " layer.bindTooltip(feature.properties.tip, {sticky: true}); } }"
)


# --------------------------------------------------------------------------- helpers


def escape_text(value: object) -> str:
    r"""Return data text safe to put in the map's HTML.

    Parameters
    ----------
    value
        Any value; ``None`` and missing values give ``""``.

    Returns
    -------
    str
        ``html.escape(str(value))`` with `` ` ``, ``$`` and ``\`` as character
        references, so the text also stays inert inside folium's JavaScript template
        literals. A name like ``<img src=x onerror=alert(1)>`` shows as text.
    """
    if _missing(value):
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def css_token(text: str) -> str:
    """Return ``text`` as a CSS class name (``"highways-9"`` stays, ``"a b"`` gives ``"a_b"``).

    Characters other than letters, digits, ``-`` and ``_`` become ``_``.

    Interface markers carry ``jiegui-interface`` and ``css_token("jiegui-if-" + id)``;
    drawn features ``jiegui-feature`` and ``jiegui-<layer>``.
    """
    return re.sub(r"[^A-Za-z0-9_-]", "_", text)


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists, arrays
        return False


def _clean(value: object) -> object:
    """Missing values as None, numpy scalars as Python ones."""
    if _missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def asset_links(
    assets: str = STATIC_URL,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Links to the vendored Leaflet and jQuery.

    Parameters
    ----------
    assets
        A URL prefix under which ``static/`` is served (``"/app/static"`` in the app), or
        ``"inline"`` to embed the files as ``data:`` URIs.

    Returns
    -------
    (js, css)
        Lists of ``(name, url)`` in folium's ``default_js`` / ``default_css`` form.
    """
    if assets == "inline":
        js = [(name, _data_uri(STATIC_DIR / path, "text/javascript")) for name, path in MAP_JS]
        css = [(name, _css_data_uri(STATIC_DIR / path)) for name, path in MAP_CSS]
        return js, css
    if not assets:
        raise InvalidParameterError(
            "The assets location is empty; give a URL prefix such as '/app/static' or 'inline'."
        )
    prefix = assets.rstrip("/")
    return (
        [(name, f"{prefix}/{path}") for name, path in MAP_JS],
        [(name, f"{prefix}/{path}") for name, path in MAP_CSS],
    )


def _data_uri(path: Path, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _css_data_uri(path: Path) -> str:
    """The style sheet as a data: URI, its relative ``url(images/...)`` inlined too."""
    css = path.read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        image = path.parent / match.group(1)
        return f"url({_data_uri(image, 'image/png')})" if image.is_file() else match.group(0)

    css = re.sub(r"url\((images/[^)]+\.png)\)", inline, css)
    return f"data:text/css;base64,{base64.b64encode(css.encode('utf-8')).decode('ascii')}"


def remote_asset_links(fmap: folium.Map) -> list[str]:
    """Script and style-sheet links of ``fmap`` (and all its elements) that leave the machine.

    Parameters
    ----------
    fmap
        A map, e.g. from :func:`build_map`.

    Returns
    -------
    list of str
        Every ``default_js`` / ``default_css`` URL with a scheme and host (``https://...``,
        ``//cdn...``); empty when the map loads only local or inline files.
    """
    found: list[str] = []

    def walk(element: Any) -> None:
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]:
            if _REMOTE.match(url) and not url.startswith("data:"):
                found.append(url)
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(fmap)
    return list(dict.fromkeys(found))


# ------------------------------------------------------------------ data for the page


def layers_at(
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    as_of: int | None = None,
    statuses: Sequence[str] = ("open",),
) -> dict[str, gpd.GeoDataFrame]:
    """The features of each layer as they stood in a year, filtered by status.

    Parameters
    ----------
    layers
        ``{layer name: features}`` in the common schema.
    as_of
        Year (status and capacity from :mod:`geo.lifecycle`); the current data when None.
    statuses
        Statuses (in that year) of the features kept.

    Returns
    -------
    dict
        The same keys; ``status`` and ``capacity`` hold the values of that year. These are
        the features :func:`geo.analysis.count_crossings` counts with the same arguments.
    """
    out: dict[str, gpd.GeoDataFrame] = {}
    for name, frame in layers.items():
        if frame.empty:
            out[name] = frame
            continue
        dated = frame.assign(status=status_at(frame, as_of), capacity=capacity_at(frame, as_of))
        out[name] = dated[dated["status"].isin(list(statuses))]
    return out


def year_range(layers: Mapping[str, pd.DataFrame]) -> tuple[int, int] | None:
    """Earliest and latest ``start_year`` in the layers, or None when no feature has one."""
    years = [
        pd.to_numeric(frame["start_year"], errors="coerce")
        for frame in layers.values()
        if "start_year" in frame.columns and not frame.empty
    ]
    known = pd.concat(years).dropna() if years else pd.Series(dtype=float)
    if known.empty:
        return None
    return int(known.min()), int(known.max())


def pair_interfaces(
    interfaces: pd.DataFrame, region: str, neighbour: str | None = None
) -> pd.DataFrame:
    """Interfaces between ``region`` and ``neighbour``, in either order.

    All of ``region``'s interfaces when ``neighbour`` is None.
    """
    if interfaces.empty:
        return interfaces
    a, b = interfaces["a"], interfaces["b"]
    if neighbour is None:
        return interfaces[(a == region) | (b == region)]
    return interfaces[((a == region) & (b == neighbour)) | ((a == neighbour) & (b == region))]


def layer_totals(interfaces: pd.DataFrame, layer_names: Sequence[str]) -> pd.DataFrame:
    """Routes, interfaces and capacity per layer, for the cards of one region pair.

    Parameters
    ----------
    interfaces
        Interfaces (:data:`geo.interfaces.INTERFACE_COLUMNS`), usually of one pair.
    layer_names
        Layers to report, in order; point layers (ports) are skipped.

    Returns
    -------
    pandas.DataFrame
        ``layer``, ``label``, ``routes``, ``interfaces``, ``capacity`` (missing when no
        interface has it), ``capacity_label`` (e.g. ``"lanes"``, ``"best navigation
        grade"``), ``capacity_short`` (``"best grade"``) and ``missing`` (interfaces
        without capacity data). Capacities combine
        as the layer says (:attr:`layers.base.LayerSpec.capacity_total`); missing ones
        are never guessed.
    """
    rows = []
    for name in layer_names:
        spec = get_layer(name)
        if spec.geometry != "line":
            continue
        sub = interfaces[interfaces["layer"] == name] if len(interfaces) else interfaces
        missing = sub["lanes_missing"].astype(bool) if len(sub) else pd.Series(dtype=bool)
        known = [int(c) for c in sub.loc[~missing, "capacity"] if not _missing(c)]
        prefix = {"min": "best ", "max": "largest "}.get(spec.capacity_total, "")
        unit = spec.capacity_unit.replace("_mm", " (mm)").replace("_", " ")
        short = {"min": "best ", "max": "max "}.get(spec.capacity_total, "") + re.split(
            r"[ _]", spec.capacity_unit
        )[-1 if spec.capacity_total == "min" else 0]
        rows.append(
            {
                "layer": name,
                "label": spec.label,
                "routes": count_routes(sub) if len(sub) else 0,
                "interfaces": len(sub),
                "capacity": total_capacity(known, spec.capacity_total),
                "capacity_label": prefix + unit,
                "capacity_short": short,
                "missing": int(missing.sum()),
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "layer", "label", "routes", "interfaces", "capacity", "capacity_label",
            "capacity_short", "missing",
        ],
    )  # fmt: skip
    frame["capacity"] = pd.array(frame["capacity"].tolist(), dtype="Int64")
    return frame


def feature_count(
    regions_wgs84: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    interfaces: pd.DataFrame,
    *,
    max_features: int = MAX_FEATURES,
) -> int:
    """Number of vector shapes :func:`build_map` draws (Leaflet's interactive paths).

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


def source_stamp(source: str) -> str:
    """A fingerprint of a source's files, so caches reload when the data change.

    Parameters
    ----------
    source
        A file path or an embedded dataset name.

    Returns
    -------
    str
        Size and modification time of the file, or the latest of the dataset folder's
        files; ``""`` when there is no such file or dataset (loading then reports it).
    """
    folder = datasets.dataset_dir(source)
    files = sorted(folder.rglob("*")) if folder is not None else [Path(source)]
    stats = [f.stat() for f in files if f.is_file()]
    if not stats:
        return ""
    return f"{len(stats)}-{sum(s.st_size for s in stats)}-{max(s.st_mtime_ns for s in stats)}"


def default_pair(names: Sequence[str], folder: Path | None = None) -> tuple[str, str | None]:
    """The region pair a page opens on.

    Parameters
    ----------
    names
        Region names of the source.
    folder
        An embedded dataset's folder: its first documented border (``documented.csv``)
        whose two regions are in ``names`` is the default pair.

    Returns
    -------
    (region, neighbour)
        Else ``Zhejiang`` (the project's first subject) when present, else the first
        name; the neighbour is None (all neighbours) when no documented border applies.
    """
    if not names:
        raise InvalidParameterError("The source has no regions; load one with boundaries.")
    if folder is not None:
        for border in load_documented(folder).get("border", []):
            first, _, second = str(border).partition("–")
            if first in names and second in names:
                return first, second
    return ("Zhejiang" if "Zhejiang" in names else names[0]), None


# ------------------------------------------------------------------------ map elements


class _HtmlControl(MacroElement):
    """A Leaflet control holding fixed HTML (the legend)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function() {
                var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            control.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, *, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.html = html_text
        self.position = position
        self.css_class = css_class


class _Attribution(MacroElement):
    """Adds (escaped) text to the map's attribution control."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text = text


_MAP_CSS = """<style>
.leaflet-container { background: #eaf1f6; font-family: system-ui, "Noto Sans CJK SC",
  "WenQuanYi Micro Hei", sans-serif; }
.jiegui-legend { background: rgba(255,255,255,0.92); padding: 4px 8px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font-size: 11px; line-height: 1.3;
  max-height: 50vh; max-width: 290px; overflow-y: auto; color: #222; }
.jiegui-legend summary { font-weight: 600; cursor: pointer; }
.jiegui-legend .group { margin-top: 3px; }
.jiegui-legend .entry { display: inline-block; white-space: nowrap; margin-right: 6px; }
.jiegui-legend svg { vertical-align: middle; margin-right: 2px; }
.jiegui-popup table { border-collapse: collapse; font-size: 12px; }
.jiegui-popup th { text-align: left; padding: 1px 8px 1px 0; color: #555; font-weight: 600;
  vertical-align: top; white-space: nowrap; }
.jiegui-popup td { padding: 1px 0; }
.leaflet-tooltip { font-size: 12px; }
.leaflet-control-layers { font-size: 12px; }
.leaflet-control-attribution { font-size: 10px; line-height: 1.3; max-width: 55%; }
.jiegui-note { color: #666; }
</style>"""


def _line_swatch(color: str, weight: float, dash: str | None) -> str:
    dash_attr = f' stroke-dasharray="{escape_text(dash)}"' if dash else ""
    return (
        '<svg width="30" height="10" aria-hidden="true"><line x1="1" y1="5" x2="29" y2="5" '
        f'stroke="{escape_text(color)}" stroke-width="{min(weight, 8):.1f}"{dash_attr}/></svg>'
    )


def _dot_swatch(color: str, radius: float, *, hollow: bool = False) -> str:
    fill = "none" if hollow else escape_text(color)
    size = int(2 * radius + 4)
    return (
        f'<svg width="{size}" height="{size}" aria-hidden="true"><circle cx="{size / 2}" '
        f'cy="{size / 2}" r="{radius}" stroke="{escape_text(color)}" stroke-width="2" '
        f'fill="{fill}" fill-opacity="0.8"/></svg>'
    )


def _attrs(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _clean(value) for key, value in row.items() if key != "geometry"}


def _route_label(attrs: Mapping[str, Any]) -> str:
    parts = [str(attrs.get(k) or "").replace(";", " / ") for k in ("ref", "name")]
    return " ".join(p for p in parts if p) or "(unnamed)"


def _number(value: object) -> str:
    """``4.0`` as ``4``; other values as they are."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _capacity_text(value: object, unit: str) -> str:
    unit = unit.replace("_", " ")
    return f"{_number(value)} {unit}" if not _missing(value) else f"{unit} unknown"


def _feature_tip(attrs: Mapping[str, Any], unit: str) -> str:
    """Tooltip HTML of one drawn feature (all data escaped)."""
    lines = [f"<b>{escape_text(_route_label(attrs))}</b>"]
    zh = attrs.get("name_zh")
    if zh and zh != attrs.get("name"):
        lines.append(escape_text(zh))
    details = [
        str(attrs.get("class") or ""),
        _capacity_text(attrs.get("capacity"), unit),
        str(attrs.get("status") or ""),
    ]
    if attrs.get("start_year"):
        details.append(f"since {attrs['start_year']}")
    lines.append(escape_text(" · ".join(d for d in details if d)))
    return "<br>".join(lines)


def _interface_label(attrs: Mapping[str, Any]) -> str:
    unit = str(attrs.get("capacity_unit") or "")
    if attrs.get("layer") == "highways":
        lanes = attrs.get("lanes")
        return f"{_number(lanes)} lanes" if not _missing(lanes) else "lanes unknown"
    return _capacity_text(attrs.get("capacity"), unit)


def _interface_tip(attrs: Mapping[str, Any], zh: str) -> str:
    """Tooltip HTML of one interface: route, capacity, pair and id (all escaped)."""
    head = f"<b>{escape_text(_route_label(attrs))}</b>"
    if zh:
        head += f"<br>{escape_text(zh)}"
    pair = f"{attrs.get('a')} – {attrs.get('b')}"
    return (
        f"{head}<br>{escape_text(_interface_label(attrs))} · {escape_text(attrs.get('class'))}"
        f"<br>{escape_text(pair)} · {escape_text(attrs.get('id'))}"
    )


def _yes_no(value: object) -> str:
    return "yes" if bool(value) and not _missing(value) else "no"


def _interface_popup(attrs: Mapping[str, Any], zh: str) -> str:
    """Popup HTML: the interface's attributes as a table (all escaped)."""
    per = attrs.get("lanes_per_carriageway")
    per_text = ", ".join("?" if _missing(v) else str(v) for v in per) if per is not None else ""
    sources = str(attrs.get("source_ids") or "").replace(";", ", ")
    rows: list[tuple[str, object]] = [
        ("interface", attrs.get("id")),
        ("a", attrs.get("a")),
        ("b", attrs.get("b")),
        ("layer", attrs.get("layer")),
        ("class", attrs.get("class")),
        ("ref", attrs.get("ref")),
        ("name", attrs.get("name")),
    ]
    if zh:
        rows.append(("name (zh)", zh))
    rows += [
        (
            "carriageways" if attrs.get("layer") == "highways" else "lines",
            attrs.get("carriageways"),
        ),
        ("lanes" if attrs.get("layer") == "highways" else "capacity", _interface_label(attrs)),
        ("per line", per_text),
        ("bridge", _yes_no(attrs.get("bridge"))),
        ("tunnel", _yes_no(attrs.get("tunnel"))),
        ("status", attrs.get("status")),
        ("via", attrs.get("via")),
        ("lat, lon", f"{attrs.get('lat', 0):.5f}, {attrs.get('lon', 0):.5f}"),
        ("source ids", sources),
    ]
    body = "".join(
        f"<tr><th>{escape_text(k)}</th><td>{escape_text(v)}</td></tr>"
        for k, v in rows
        if not _missing(v) and v != ""
    )
    return f'<div class="jiegui-popup"><table>{body}</table></div>'


def marker_radius(layer: str, capacity: object) -> float:
    """Radius in pixels of an interface marker: grows with lanes or tracks.

    Layers whose capacities add up (lanes, tracks) grow with the capacity; a grade or a
    diameter, and unknown capacity, get a fixed size.
    """
    spec = get_layer(layer)
    if _missing(capacity) or spec.capacity_total != "sum":
        return 6.0
    return 4.0 + 1.25 * min(float(capacity), 12.0)


def _ranked(frame: gpd.GeoDataFrame, main_classes: Sequence[str], limit: int) -> gpd.GeoDataFrame:
    """At most ``limit`` features, main classes first (stable otherwise)."""
    if len(frame) <= limit:
        return frame
    rank = frame["class"].map({c: i for i, c in enumerate(main_classes)}).fillna(len(main_classes))
    return frame.loc[rank.sort_values(kind="stable").index[:limit]]


def _zh_names(layers: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """``{feature id: Chinese name}`` of features that carry a ``name_zh``."""
    names: dict[str, str] = {}
    for frame in layers.values():
        if "name_zh" in frame.columns and "id" in frame.columns:
            for fid, zh in zip(frame["id"], frame["name_zh"]):
                if isinstance(zh, str) and zh:
                    names[str(fid)] = zh
    return names


def _to_wgs84(frame: gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    require_crs(frame, what=what)
    return frame if frame.crs == WGS84 else frame.to_crs(WGS84)


# ---------------------------------------------------------------------------- the map


def build_map(
    regions_wgs84: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    interfaces: gpd.GeoDataFrame,
    *,
    tiles: str | None = None,
    attribution: str = "",
    tile_attribution: str = "",
    highlight: Sequence[str] = (),
    assets: str = STATIC_URL,
    max_features: int = MAX_FEATURES,
    selected: str | None = None,
) -> folium.Map:
    """Draw regions, layers and interfaces on a folium map that needs no network.

    Parameters
    ----------
    regions_wgs84
        Region polygons with a ``name`` column (any CRS; drawn in WGS84).
    layers
        ``{layer name: features}`` in the common schema (e.g. from :func:`layers_at`);
        each becomes a toggleable group styled by its layer's ``style``: colour and
        weight by class and capacity, dashed when not open.
    interfaces
        Interfaces (:data:`geo.interfaces.INTERFACE_COLUMNS` with ``lon``/``lat``),
        drawn as circle markers sized by lanes or tracks, with a tooltip and a popup.
    tiles
        Optional basemap tile URL with ``{z}``, ``{x}``, ``{y}`` (e.g. a local tile
        server); no basemap when None.
    attribution
        Attribution of the data, shown on the map (escaped).
    tile_attribution
        Attribution of the basemap; the tile server's address when empty.
    highlight
        Names of regions drawn stronger (the focus region and its neighbour); the map
        opens on them, else on all regions.
    assets
        Where Leaflet and jQuery come from: a URL prefix serving ``static/`` or
        ``"inline"`` (see the module docstring).
    max_features
        Features drawn per layer at most (main classes first); the legend says when
        some are left out.
    selected
        Id of an interface to single out (a row picked in the page's table): its marker
        is drawn last, larger, with a thick outline and the class ``jiegui-selected``,
        and the map opens zoomed on it (:data:`SELECTED_SPAN` degrees around it). Ignored
        when no interface has that id.

    Returns
    -------
    folium.Map
        A map whose scripts and style sheets are all local
        (:func:`remote_asset_links` is empty).
    """
    if tiles is not None and not _TILE_URL.search(tiles):
        raise InvalidParameterError(
            f"The tile URL {tiles!r} lacks {{z}}, {{x}} and {{y}}; give one like "
            "'http://localhost:8080/{z}/{x}/{y}.png'."
        )
    regions = _to_wgs84(regions_wgs84, "The regions")
    fmap = folium.Map(tiles=None, control_scale=True, zoom_start=6)
    js, css = asset_links(assets)
    # Instance attributes: the class lists (CDN links) stay untouched for other maps.
    fmap.default_js = js
    fmap.default_css = css
    fmap.get_root().header.add_child(Element(_MAP_CSS), name="jiegui_css")
    if tiles is not None:
        host = re.sub(r"^[a-z]+://", "", tiles).split("/")[0] or tiles
        folium.TileLayer(
            tiles=tiles,
            attr=escape_text(tile_attribution or f"Basemap: {host}"),
            name="Basemap",
            overlay=False,
            control=True,
        ).add_to(fmap)

    chosen = set(highlight)
    _add_regions(fmap, regions, chosen)
    legend: list[str] = []
    zh = _zh_names(layers)
    for name, frame in layers.items():
        if frame.empty:
            continue
        legend.append(_add_layer(fmap, name, _to_wgs84(frame, f"The {name} layer"), max_features))
    if len(interfaces):
        legend.append(_add_interfaces(fmap, interfaces, zh, selected))
    legend.append(
        '<div class="group jiegui-note">Line weight grows with capacity; dashed: not open. '
        "Hover or click for details.</div>"
    )
    legend_html = f"<details open><summary>Legend</summary>{''.join(legend)}</details>"
    _HtmlControl(legend_html, position="bottomleft", css_class="jiegui-legend").add_to(fmap)
    if attribution:
        _Attribution(escape_text(attribution)).add_to(fmap)
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)

    focus = regions[regions["name"].isin(chosen)] if chosen else regions
    if focus.empty:
        focus = regions
    picked = _selected_row(interfaces, selected)
    if picked is not None:
        lon, lat = float(picked["lon"]), float(picked["lat"])
        fmap.fit_bounds(
            [
                latlon(lon - SELECTED_SPAN, lat - SELECTED_SPAN),
                latlon(lon + SELECTED_SPAN, lat + SELECTED_SPAN),
            ],
            padding_top_left=(10, 10),
            padding_bottom_right=(150, 10),
        )
    elif not focus.empty:
        west, south, east, north = focus.total_bounds
        # Room on the right for the layer control, so no feature opens hidden under it.
        fmap.fit_bounds(
            [latlon(west, south), latlon(east, north)],
            padding_top_left=(10, 10),
            padding_bottom_right=(150, 10),
        )
    return fmap


#: Region outlines are drawn simplified to this many degrees (about 500 m, within Natural
#: Earth's own 0.5-2 km generalisation), so the map's HTML is smaller and paints sooner.
#: Counting always uses the full geometry.
DISPLAY_TOLERANCE_DEG = 0.005


def _for_display(geoms: np.ndarray) -> np.ndarray:
    """Region outlines simplified for drawing, with coordinates rounded to about 10 m."""
    simple = shapely.simplify(geoms, DISPLAY_TOLERANCE_DEG, preserve_topology=True)
    return shapely.set_precision(simple, 1e-4)


def _add_regions(fmap: folium.Map, regions: gpd.GeoDataFrame, chosen: set[str]) -> None:
    tips = []
    for row in regions.itertuples(index=False):
        zh = getattr(row, "name_zh", "")
        extra = f"<br>{escape_text(zh)}" if isinstance(zh, str) and zh else ""
        tips.append(f"<b>{escape_text(row.name)}</b>{extra}")
    frame = gpd.GeoDataFrame(
        {"tip": tips, "focus": [str(n) in chosen for n in regions["name"]]},
        geometry=_for_display(regions.geometry.to_numpy()),
        crs=WGS84,
    )

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        focus = feature["properties"]["focus"]
        return {
            "color": "#34495e" if focus else _REGION_LINE,
            "weight": 2.2 if focus else 1.0,
            "fillColor": _FOCUS_FILL if focus else _REGION_FILL,
            "fillOpacity": 0.75 if focus else 0.55,
            "className": "jiegui-region",
        }

    folium.GeoJson(
        frame.__geo_interface__,
        name="Regions",
        style_function=style,
        on_each_feature=_BIND_TIP,
        control=True,
    ).add_to(fmap)


def _add_layer(fmap: folium.Map, name: str, frame: gpd.GeoDataFrame, max_features: int) -> str:
    """Add one layer's group; return its legend HTML."""
    spec = get_layer(name)
    drawn = _ranked(frame, spec.main_classes, max_features)
    records = [_attrs(r) for r in drawn.drop(columns=drawn.geometry.name).to_dict("records")]
    styles = [spec.style(r) for r in records]
    data = gpd.GeoDataFrame(
        {
            "tip": [_feature_tip(r, spec.capacity_unit) for r in records],
            "color": [s.color for s in styles],
            "weight": [float(s.weight) for s in styles],
            "dash": [s.dash_array or "" for s in styles],
        },
        geometry=drawn.geometry.to_numpy(),
        crs=WGS84,
    )
    point = spec.geometry == "point"

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        props = feature["properties"]
        out = {
            "color": props["color"],
            "weight": props["weight"],
            "opacity": 0.9,
            "className": f"jiegui-feature jiegui-{css_token(name)}",
        }
        if props["dash"]:
            out["dashArray"] = props["dash"]
        if point:
            out.update(fillColor=props["color"], fillOpacity=0.35, weight=2.0)
        return out

    group = folium.FeatureGroup(name=escape_text(spec.label), show=True)
    folium.GeoJson(
        data.__geo_interface__,
        style_function=style,
        on_each_feature=_BIND_TIP,
        marker=folium.CircleMarker(radius=9, fill=True) if point else None,
        control=False,
    ).add_to(group)
    group.add_to(fmap)

    entries = []
    for cls in dict.fromkeys(r.get("class") for r in records):
        sample = spec.style({"class": cls, "status": "open", "capacity": None})
        swatch = (
            _dot_swatch(sample.color, 6)
            if point
            else _line_swatch(sample.color, sample.weight + 1, None)
        )
        entries.append(f'<span class="entry">{swatch}{escape_text(cls)}</span>')
    note = ""
    if len(drawn) < len(frame):
        note = f' <span class="jiegui-note">(showing {len(drawn)} of {len(frame)})</span>'
    unit = escape_text(spec.capacity_unit.replace("_", " "))
    return (
        f'<div class="group" title="{"size" if point else "line weight"} by {unit}">'
        f"<b>{escape_text(spec.label)}</b>{note}: {''.join(entries)}</div>"
    )


def _selected_row(interfaces: pd.DataFrame, selected: str | None) -> pd.Series | None:
    """The interface whose id is ``selected``, or None."""
    if selected is None or not len(interfaces):
        return None
    rows = interfaces[interfaces["id"].astype(str) == str(selected)]
    return rows.iloc[0] if len(rows) else None


def _add_interfaces(
    fmap: folium.Map,
    interfaces: pd.DataFrame,
    zh_names: Mapping[str, str],
    selected: str | None = None,
) -> str:
    """Add the interface markers (the selected one last, on top); return their legend HTML."""
    group = folium.FeatureGroup(name="Interfaces", show=True)
    frame = interfaces.drop(columns=["geometry"], errors="ignore")
    records = frame.to_dict("records")
    if selected is not None:
        records.sort(key=lambda r: str(r.get("id")) == str(selected))
    for raw in records:
        attrs = _attrs(raw)
        chosen = selected is not None and str(attrs.get("id")) == str(selected)
        spec = get_layer(str(attrs["layer"]))
        style = spec.style(
            {"class": attrs.get("class"), "status": attrs.get("status"), "capacity": None}
        )
        ids = [s for s in str(attrs.get("source_ids") or "").split(";") if s]
        zh = next((zh_names[i] for i in ids if i in zh_names), "")
        known = not _missing(attrs.get("capacity")) and not attrs.get("lanes_missing")
        radius = marker_radius(spec.name, attrs.get("capacity") if known else None)
        classes = f"jiegui-interface {css_token('jiegui-if-' + str(attrs.get('id')))}"
        folium.CircleMarker(
            location=latlon(float(attrs["lon"]), float(attrs["lat"])),
            radius=radius + 5 if chosen else radius,
            color=SELECTED_COLOR if chosen else "#1b2631",
            weight=5 if chosen else 1.5,
            fill=True,
            fill_color=style.color,
            fill_opacity=0.9 if known or chosen else 0.35,
            dash_array="3 3" if attrs.get("status") != "open" and not chosen else None,
            class_name=f"{classes} jiegui-selected" if chosen else classes,
            tooltip=folium.Tooltip(_interface_tip(attrs, zh), sticky=True),
            popup=folium.Popup(_interface_popup(attrs, zh), max_width=380),
        ).add_to(group)
    group.add_to(fmap)
    return (
        '<div class="group"><b>Interfaces</b>: '
        f'<span class="entry">{_dot_swatch("#1b2631", 3)}{_dot_swatch("#1b2631", 6)}'
        "size by lanes, tracks</span>"
        f'<span class="entry">{_dot_swatch("#1b2631", 5, hollow=True)}no data</span></div>'
    )
